import { Router, type Request } from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { OPEN_STAFFING, staffingAdjustmentRequest, staffingChangeRequest, staffingReassignRequest } from '../../domain/staffingAdjustment';
import type { Prisma } from '../../prisma/db';
import { endStaffingEarly, makeStaffingPermanent, reassignCoveredAccounts } from '../../workflows/messages';
import { callerOf, hasRole, type Caller } from '../auth';
import type { ApiContext } from '../context';
import { idFor } from '../flows';
import { heldBy, OVERSEERS } from '../flowAccess';
import { pageFrom, pageParams } from '../pagination';
import { HttpProblem, idempotencyKeyOf, parseRequest, refuseFields, type FieldError } from '../problems';
import { reply, staffingAdjustmentPageView, staffingAdjustmentStartedView, staffingAdjustmentView, staffingChangedView, staffingReassignedView } from '../views';
import { updateIdOf } from './flowMessages';

export const staffingAdjustmentParams = z.object({ id: z.uuid('must be a staffing adjustment id (uuid)') });
export const listStaffingAdjustmentsQuery = z.object({
  status: z.enum(['awaiting_approval', 'refused', 'active', 'ended', 'permanent', 'left_with_cover', 'cancelled']).optional(),
  ...pageParams(),
});

type AdjustmentRow = Prisma.StaffingAdjustmentGetPayload<object>;

/** Those an adjustment concerns read it: the two collectors and the head; the overseers read all. */
const concerning = (caller: Caller): Prisma.StaffingAdjustmentWhereInput =>
  hasRole(caller, ...OVERSEERS) ? {} : { OR: [{ coveringId: caller.id }, { coveredId: caller.id }, { headId: caller.id }] };

/**
 * Staffing adjustment (人员调整): HR starts one, makes it permanent or ends it early; the covered
 * person's head decides through the task inbox.
 */
export function staffingAdjustmentRoutes({ db, flows, flowDefaults }: ApiContext): Router {
  const router = Router();

  async function named(rows: AdjustmentRow[]) {
    const ids = [...new Set(rows.flatMap((r) => [r.coveringId, r.coveredId, ...(r.headId ? [r.headId] : [])]))];
    const people = new Map((await db.employee.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((p) => [p.id, p]));
    return rows.map((r) => ({ ...r, covering: people.get(r.coveringId)!, covered: people.get(r.coveredId)!, head: r.headId ? people.get(r.headId)! : null }));
  }

  async function adjustmentToRead(req: Request) {
    const { id } = parseRequest(staffingAdjustmentParams, req.params, 'params');
    const a = await db.staffingAdjustment.findUnique({ where: { id } });
    if (!a) throw new HttpProblem(404, 'Not found', `no staffing adjustment ${id}`);
    if (!(await db.staffingAdjustment.count({ where: { id, ...concerning(callerOf(req)) } }))) throw new HttpProblem(403, 'Forbidden', 'this staffing adjustment does not concern you');
    return a;
  }

  function requireHr(req: Request, what: string) {
    if (!hasRole(callerOf(req), 'hr')) throw new HttpProblem(403, 'Forbidden', `only HR ${what}`);
  }

  /** Checks the request against the organisation as it is; refused with every field at fault. */
  async function checked(body: z.infer<typeof staffingAdjustmentRequest>) {
    const people = await db.employee.findMany({
      where: { OR: [{ id: { in: [body.coveringId, body.coveredId] } }, { employeeNo: { in: [body.coveringId, body.coveredId] } }] },
      select: { id: true, employeeNo: true, status: true },
    });
    const named = (n: string) => people.find((p) => p.id === n || p.employeeNo === n);
    const [covering, covered] = [named(body.coveringId), named(body.coveredId)];
    const errors: FieldError[] = [];
    if (covering?.status !== 'active') errors.push({ field: 'coveringId', reason: covering ? `${body.coveringId} is ${covering.status}: only an active collector covers` : `no employee has the id or number ${body.coveringId}` });
    if (!covered || covered.status === 'left') errors.push({ field: 'coveredId', reason: covered ? `${body.coveredId} has left` : `no employee has the id or number ${body.coveredId}` });
    if (covering && covering.id === covered?.id) errors.push({ field: 'coveringId', reason: 'someone else must cover' });
    refuseFields(errors);
    const held = await db.account.findMany({ where: { assigneeId: covered!.id, ...(body.accountIds ? { id: { in: body.accountIds } } : {}) }, select: { id: true }, orderBy: { id: 'asc' } });
    const accountIds = held.map((a) => a.id);
    const notHeld = body.accountIds?.filter((id) => !accountIds.includes(id)) ?? [];
    if (notHeld.length) errors.push({ field: 'accountIds', reason: `not ${body.coveredId}'s accounts: ${notHeld.slice(0, 5).join(', ')}${notHeld.length > 5 ? ', …' : ''}` });
    else if (!accountIds.length) errors.push({ field: 'coveredId', reason: `${body.coveredId} holds no accounts to cover` });
    else {
      const open = await db.staffingAdjustment.findFirst({ where: { status: { in: OPEN_STAFFING }, accountIds: { hasSome: accountIds } }, select: { id: true } });
      if (open) errors.push({ field: 'accountIds', reason: `another open staffing adjustment (${open.id}) covers some of these accounts` });
    }
    if (body.trainingSessionId) {
      const session = await db.trainingSession.findUnique({ where: { id: body.trainingSessionId }, select: { status: true } });
      if (session?.status !== 'scheduled') errors.push({ field: 'trainingSessionId', reason: session ? `the session is ${session.status.replace(/_/g, ' ')}: name one whose sign-in has not opened` : `no training session ${body.trainingSessionId}` });
    }
    refuseFields(errors);
    return { coveringId: covering!.id, coveredId: covered!.id, accountIds };
  }

  router.post('/', async (req, res) => {
    requireHr(req, 'starts a staffing adjustment');
    const body = parseRequest(staffingAdjustmentRequest, req.body, 'body');
    const caller = callerOf(req);
    const key = idempotencyKeyOf(req);
    const adjustmentId = key ? idFor('staffing-adjustment', caller.id, key) : randomUUID();
    // A retried request finds what its first one started; the checks held then.
    const known = key ? await db.staffingAdjustment.findUnique({ where: { id: adjustmentId }, select: { coveringId: true, coveredId: true, accountIds: true } }) : null;
    const who = known ?? (await checked(body));
    const started = await flows.startStaffingAdjustment({
      adjustmentId,
      ...who,
      startsAt: body.startsAt,
      endsAt: body.endsAt,
      kind: body.kind,
      reason: body.reason,
      training: body.training,
      trainingSessionId: body.trainingSessionId,
      createdById: caller.id,
      settings: flowDefaults,
    });
    res.location(`/api/v1/staffing-adjustments/${adjustmentId}`);
    reply(res, staffingAdjustmentStartedView, started, 201);
  });

  /** The adjustments that concern the caller (all of them for the overseers), latest first. */
  router.get('/', async (req, res) => {
    const q = parseRequest(listStaffingAdjustmentsQuery, req.query, 'query');
    const where: Prisma.StaffingAdjustmentWhereInput = { ...concerning(callerOf(req)), ...(q.status ? { status: q.status } : {}) };
    const page = await pageFrom(
      q,
      (window) => db.staffingAdjustment.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], ...window }),
      () => db.staffingAdjustment.count({ where }),
    );
    reply(res, staffingAdjustmentPageView, { ...page, items: await named(page.items) });
  });

  router.get('/:id', async (req, res) => {
    const a = await adjustmentToRead(req);
    const caller = callerOf(req);
    const [view] = await named([a]);
    const reassigning = await db.task.count({ where: { flowId: a.flowId, type: 'staffing_reassign', status: 'open', ...heldBy(caller.id) } });
    reply(res, staffingAdjustmentView, { ...view!, mayChange: a.status === 'active' && hasRole(caller, 'hr'), mayReassign: reassigning > 0 });
  });

  for (const [path, update, what] of [
    ['make-permanent', makeStaffingPermanent, 'makes a staffing adjustment permanent'],
    ['end-early', endStaffingEarly, 'ends a staffing adjustment early'],
  ] as const) {
    router.post(`/:id/${path}`, async (req, res) => {
      requireHr(req, what);
      const a = await adjustmentToRead(req);
      const body = parseRequest(staffingChangeRequest, req.body, 'body');
      reply(res, staffingChangedView, await flows.send(a.flowId, update, { ...body, actorId: callerOf(req).id }, updateIdOf(req, path)));
    });
  }

  /** The owner left during the cover: the holder of HR's reassignment task names who keeps the
   *  accounts (an active employee; the covering collector keeps them when named). */
  router.post('/:id/reassign', async (req, res) => {
    const a = await adjustmentToRead(req);
    const { toId } = parseRequest(staffingReassignRequest, req.body, 'body');
    const to = await db.employee.findFirst({ where: { status: 'active', OR: [{ id: toId }, { employeeNo: toId }] }, select: { id: true } });
    if (!to) refuseFields([{ field: 'toId', reason: `no active employee has the id or number ${toId}` }]);
    reply(res, staffingReassignedView, await flows.send(a.flowId, reassignCoveredAccounts, { toId: to!.id, actorId: callerOf(req).id }, updateIdOf(req, 'reassign')));
  });

  return router;
}
