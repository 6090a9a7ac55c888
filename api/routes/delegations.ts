import { Router, type Request } from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { delegationRequest, endDelegationRequest } from '../../domain/delegation';
import { endDelegation } from '../../workflows/messages';
import { callerOf, hasRole } from '../auth';
import type { ApiContext } from '../context';
import { idFor } from '../flows';
import { pageFrom, pageParams } from '../pagination';
import { HttpProblem, idempotencyKeyOf, parseRequest, refuseFields } from '../problems';
import { delegationPageView, delegationStartedView, delegationView, reply } from '../views';
import { updateIdOf } from './flowMessages';

export const delegationIdParams = z.object({ id: z.uuid('must be a delegation id (uuid)') });
export const listDelegationsQuery = z.object({
  owner: z.string().optional().meta({ description: '`me` or an employee id (HR for others)' }),
  delegate: z.string().optional().meta({ description: '`me` or an employee id (HR for others)' }),
  status: z.enum(['scheduled', 'active', 'ended', 'cancelled']).optional(),
  ...pageParams(),
});

/** Delegation while away: an employee (or HR for them) names who acts for them over a period. */
export function delegationRoutes({ db, flows }: ApiContext): Router {
  const router = Router();

  async function loadDelegation(req: Request) {
    const { id } = parseRequest(delegationIdParams, req.params, 'params');
    const d = await db.delegation.findUnique({ where: { id } });
    if (!d) throw new HttpProblem(404, 'Not found', `no delegation ${id}`);
    const caller = callerOf(req);
    if (![d.ownerId, d.delegateId, d.createdById].includes(caller.id) && !hasRole(caller, 'hr', 'admin')) throw new HttpProblem(403, 'Forbidden', 'this delegation is not yours');
    return d;
  }

  router.post('/', async (req, res) => {
    const body = parseRequest(delegationRequest, req.body, 'body');
    const caller = callerOf(req);
    const ownerId = body.ownerId ?? caller.id;
    if (ownerId !== caller.id && !hasRole(caller, 'hr')) throw new HttpProblem(403, 'Forbidden', 'only HR sets a delegation for someone else');
    const people = await db.employee.findMany({ where: { status: 'active', OR: [{ id: { in: [ownerId, body.delegateId] } }, { employeeNo: { in: [ownerId, body.delegateId] } }] }, select: { id: true, employeeNo: true } });
    const named = (n: string) => people.find((p) => p.id === n || p.employeeNo === n)?.id;
    const [owner, delegate] = [named(ownerId), named(body.delegateId)];
    const startsAt = body.startsAt ?? new Date().toISOString();
    refuseFields([
      ...(owner ? [] : [{ field: 'ownerId', reason: `no active employee has the id or number ${ownerId}` }]),
      ...(delegate ? [] : [{ field: 'delegateId', reason: `no active employee has the id or number ${body.delegateId}` }]),
      ...(owner && owner === delegate ? [{ field: 'delegateId', reason: 'someone else must act for you' }] : []),
      // A start a little in the past (a slow form) means now; earlier would hand over tasks decided since.
      ...(Date.parse(startsAt) < Date.now() - 3_600_000 ? [{ field: 'startsAt', reason: 'must not be more than an hour in the past' }] : []),
    ]);
    const key = idempotencyKeyOf(req);
    const delegationId = key ? idFor('delegation', caller.id, key) : randomUUID();
    const started = await flows.startDelegation({ delegationId, ownerId: owner!, delegateId: delegate!, startsAt, endsAt: body.endsAt, reason: body.reason, createdById: caller.id });
    res.location(`/api/v1/delegations/${delegationId}`);
    reply(res, delegationStartedView, started, 201);
  });

  /** Delegations: one's own (as owner or delegate); HR and admins anyone's. */
  router.get('/', async (req, res) => {
    const q = parseRequest(listDelegationsQuery, req.query, 'query');
    const caller = callerOf(req);
    const who = (v?: string) => (v === 'me' ? caller.id : v);
    const [ownerId, delegateId] = [who(q.owner), who(q.delegate)];
    const overseer = hasRole(caller, 'hr', 'admin');
    if (!overseer && ![ownerId, delegateId].includes(caller.id)) throw new HttpProblem(403, 'Forbidden', 'ask for owner=me or delegate=me (HR and admins see anyone\'s)');
    if (!overseer && [ownerId, delegateId].some((id) => id !== undefined && id !== caller.id)) throw new HttpProblem(403, 'Forbidden', 'only HR and admins read other people\'s delegations');
    const where = { ownerId, delegateId, status: q.status };
    reply(
      res,
      delegationPageView,
      await pageFrom(
        q,
        (window) => db.delegation.findMany({ where, orderBy: [{ startsAt: 'desc' }, { id: 'asc' }], ...window }),
        () => db.delegation.count({ where }),
      ),
    );
  });

  router.get('/:id', async (req, res) => reply(res, delegationView, await loadDelegation(req)));

  /** Ends the period early (cancels it before it starts): its owner, its creator or HR. */
  router.post('/:id/end', async (req, res) => {
    const d = await loadDelegation(req);
    const body = parseRequest(endDelegationRequest, req.body ?? {}, 'body');
    const caller = callerOf(req);
    if (![d.ownerId, d.createdById].includes(caller.id) && !hasRole(caller, 'hr')) throw new HttpProblem(403, 'Forbidden', 'only the owner, whoever set it or HR ends a delegation');
    reply(res, z.object({ status: z.string() }), await flows.send(d.flowId, endDelegation, { ...body, actorId: caller.id }, updateIdOf(req, 'end')));
  });

  return router;
}
