import express, { Router } from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { signToken } from '../auth';
import type { ApiContext } from '../context';
import { HttpProblem, parseRequest } from '../problems';
import { callerView, demoUserListView, reply } from '../views';

export const webConfigView = z
  .object({
    demoSignIn: z.boolean().meta({ description: 'whether the demo-user picker may sign in (embedded defaults only)' }),
    temporalWebUrl: z.string().nullable().meta({ description: 'the Temporal Web UI, for links to a flow' }),
    namespace: z.string(),
  })
  .meta({ id: 'WebConfig' });
export const demoSignInRequest = z.object({ employeeId: z.string().min(1).max(100) });
export const demoSignInView = z.object({ token: z.string(), caller: callerView }).meta({ id: 'DemoSignIn' });

/** What the web app reads before anyone signs in; the demo picker exists only on embedded defaults. */
export function webAppRoutes({ db, auth, web }: ApiContext): Router {
  const router = Router();
  router.get('/config', (_req, res) => reply(res, webConfigView, { demoSignIn: !!web?.demoSignIn, temporalWebUrl: web?.temporalWebUrl ?? null, namespace: web?.namespace ?? 'default' }));
  if (!web?.demoSignIn) return router;

  router.get('/demo/users', async (_req, res) => {
    const people = await db.employee.findMany({ where: { status: { not: 'left' } }, orderBy: { employeeNo: 'asc' }, select: { id: true, employeeNo: true, name: true, roles: true, departmentId: true, department: { select: { name: true, nameEn: true } } } });
    reply(res, demoUserListView, { items: people });
  });
  router.post('/demo/sign-in', async (req, res) => {
    const { employeeId } = parseRequest(demoSignInRequest, req.body, 'body');
    const employee = await db.employee.findUnique({ where: { id: employeeId } });
    if (!employee || employee.status === 'left') throw new HttpProblem(422, 'Unknown employee', `no active employee ${employeeId}`, [{ field: 'employeeId', reason: 'names no active employee' }]);
    const caller = { id: employee.id, name: employee.name, roles: employee.roles, departmentId: employee.departmentId };
    reply(res, demoSignInView, { token: await signToken(auth, employee.id), caller });
  });
  return router;
}

/** The built web app at `/`: its files, and index.html for every other page it routes itself. */
export function webAppFiles(root: string): Router {
  const router = Router();
  if (!existsSync(path.join(root, 'index.html'))) return router;
  router.use(express.static(root, { index: 'index.html', maxAge: '1h', setHeaders: (res, file) => file.endsWith('index.html') && res.setHeader('Cache-Control', 'no-cache') }));
  router.get(/^\/(?!api\/|metrics|healthz|readyz).*/, (_req, res) => res.sendFile(path.join(root, 'index.html'), { headers: { 'Cache-Control': 'no-cache' } }));
  return router;
}
