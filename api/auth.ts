import type { NextFunction, Request, Response } from 'express';
import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import type { Db } from '../prisma/db';
import type { Role } from '../generated/prisma/client';
import { HttpProblem } from './problems';

export interface AuthSettings {
  secret: string;
  issuer?: string;
  audience?: string;
  jwksUrl?: string;
}

export interface Caller {
  id: string;
  name: string;
  roles: Role[];
  departmentId: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    caller?: Caller;
  }
}

/** Signs a token naming an employee (`sub`), for the demo users and the tests. */
export async function signToken(auth: AuthSettings, employeeId: string, expiresIn = '12h'): Promise<string> {
  let jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(employeeId).setIssuedAt().setExpirationTime(expiresIn);
  if (auth.issuer) jwt = jwt.setIssuer(auth.issuer);
  if (auth.audience) jwt = jwt.setAudience(auth.audience);
  return jwt.sign(new TextEncoder().encode(auth.secret));
}

/** Verifies `Authorization: Bearer <jwt>` (shared secret, or the issuer's JWKS when configured)
 *  and loads the employee it names; inactive or unknown employees are refused. */
export function authenticate(auth: AuthSettings, db: Db) {
  const key: Uint8Array | JWTVerifyGetKey = auth.jwksUrl ? createRemoteJWKSet(new URL(auth.jwksUrl)) : new TextEncoder().encode(auth.secret);
  return async (req: Request, _res: Response, next: NextFunction) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new HttpProblem(401, 'Unauthorized', 'send Authorization: Bearer <token> (npm run -s token -- hr prints one)');
    let subject: string | undefined;
    try {
      const { payload } = await jwtVerify(match[1]!, key as Uint8Array, { issuer: auth.issuer, audience: auth.audience });
      subject = payload.sub;
    } catch (err) {
      throw new HttpProblem(401, 'Unauthorized', `the token is not valid: ${(err as Error).message}`);
    }
    const employee = subject ? await db.employee.findUnique({ where: { id: subject } }) : null;
    if (!employee || employee.status === 'left') throw new HttpProblem(401, 'Unauthorized', 'the token names no active employee');
    req.caller = { id: employee.id, name: employee.name, roles: employee.roles, departmentId: employee.departmentId };
    next();
  };
}

export function callerOf(req: Request): Caller {
  if (!req.caller) throw new HttpProblem(401, 'Unauthorized', 'not authenticated');
  return req.caller;
}

export const hasRole = (caller: Caller, ...roles: Role[]) => roles.some((r) => caller.roles.includes(r));

/** Route guard: the caller must hold one of the roles. */
export function requireRole(...roles: Role[]) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const caller = callerOf(req);
    if (!hasRole(caller, ...roles)) throw new HttpProblem(403, 'Forbidden', `this needs one of the roles: ${roles.join(', ')}`);
    next();
  };
}
