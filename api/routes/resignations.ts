import { Router, type Request } from 'express';
import { z } from 'zod';
import {
  assessmentRequest,
  assignHandoverRequest,
  completeItemsRequest,
  lastDayOf,
  mentoringSessionRequest,
  ratingRequest,
  signOffRequest,
  startResignationRequest,
  submitArticleRequest,
  successorReviewRequest,
  verifyItemsRequest,
} from '../../domain/handover';
import { flowSettingsOverrides, withOverrides } from '../../domain/settings';
import { exitInterviewRequest } from '../../domain/exitInterview';
import { cancelFlowRequest } from '../../domain/tasks';
import type { Db } from '../../prisma/db';
import {
  assessSuccessor,
  assignHandover,
  completeItems,
  logMentoringSession,
  rateHandover,
  reviewSuccessor,
  submitArticle,
  verifyItems,
  cancelFlow,
  placeCandidate,
  recordExitInterview,
} from '../../workflows/messages';
import { heldBy } from '../flowAccess';
import { callerOf, hasRole, requireRole, type Caller } from '../auth';
import type { ApiContext } from '../context';
import { pageFrom, pageOf, pageParams, takeSkip } from '../pagination';
import { HttpProblem, parseRequest, refuseFields, type FieldError } from '../problems';
import { idFor } from '../flows';
import { messageRoute, updateIdOf } from './flowMessages';
import { exitInterviewView, handoverView, itemsResultView, portfolioView, reply, resignationPageView, successorCandidatesView } from '../views';
import { positionOf, POSITION_NAMES, type PlaceCandidateArgs } from '../../domain/reservePool';
import { rankedPool } from './reservePools';

export const resignationIdParams = z.object({ id: z.uuid('must be a resignation id (uuid)') });
export const itemIdParams = z.object({ id: z.uuid('must be a handover item id (uuid)') });
export const startResignationBody = startResignationRequest.safeExtend({ settings: flowSettingsOverrides.optional() });
export const resignationItemsQuery = z.object({
  status: z.enum(['open', 'done', 'verified', 'reopened']).optional(),
  category: z.enum(['work_content', 'open_cases', 'payment_plans', 'account', 'documents', 'system_access', 'assets']).optional(),
  // A whole checklist on one page is the common case, so pages here are larger than elsewhere.
  ...pageParams({ fallback: 1000, max: 10_000 }),
});
export const listResignationsQuery = z.object({ status: z.enum(['in_progress', 'completed', 'cancelled']).optional(), ...pageParams() });
export const bulkItems = z.object({ itemIds: z.array(z.uuid('must be a handover item id (uuid)')).min(1, 'name at least one item').max(10_000) });
export const accountsQuery = z.object({
  assignee: z.string().default('me').meta({ description: '`me` (default) or an employee id: yourself, someone you manage (directly or further down), a leaver whose handover you take over or supervise; HR and admins any' }),
  ...pageParams({ fallback: 500, max: 10_000 }),
});

/** One resignation, one flow: its id comes from the leaver and the resignation date. */
export const resignationIdFor = (employeeId: string, resignationDate: string) => idFor('resignation', employeeId, resignationDate);

const OVERSEERS = ['hr', 'hr_director', 'admin'] as const;
/** An exit interview is between the leaver and HR: nobody else reads or records it. */
const INTERVIEWERS = ['hr', 'hr_director'] as const;

/** The people of a handover may read it; HR, its director and admins may read any. */
function mayRead(caller: Caller, r: { employeeId: string; successorId: string | null; supervisorId: string | null; mentorId: string | null; hrId: string }, managerId: string | null) {
  return hasRole(caller, ...OVERSEERS) || [r.employeeId, r.successorId, r.supervisorId, r.mentorId, r.hrId, managerId].includes(caller.id);
}

/** Every named person who is not an active employee, as field errors. */
/**
 * The reserve pool comes first: while the leaver's pool holds candidates, a successor from outside
 * it needs a reason (HR's choice stays HR's, and the record says why).
 */
async function outsideThePool(db: Db, leaver: { id: string; roles: string[] }, successorId: string | undefined, reason: string | undefined): Promise<FieldError[]> {
  if (!successorId || reason) return [];
  const position = positionOf(leaver.roles);
  const pool = await rankedPool(db, position, [leaver.id]);
  if (!pool.length || pool.some((c) => c.employeeId === successorId)) return [];
  const names = pool.slice(0, 3).map((c) => `${c.employee.name} (${c.readiness.replace('_', ' ')})`).join(', ');
  return [{ field: 'successorReason', reason: `the ${POSITION_NAMES[position].en} reserve pool has ${pool.length} candidate(s), ${names}: say why you chose someone else` }];
}

/** A successor from the pool leaves it for the post (nothing happens for anyone else). */
async function placeFromPool({ db, flows, flowDefaults }: ApiContext, leaverRoles: string[], args: PlaceCandidateArgs): Promise<void> {
  const position = positionOf(leaverRoles);
  if (!(await db.reserveCandidate.count({ where: { position, employeeId: args.employeeId, status: 'active' } }))) return;
  await flows.changePool({ position, settings: flowDefaults }, placeCandidate, args, `place:${args.resignationId}:${args.employeeId}`);
}

async function inactivePeople(db: Db, named: Record<string, string | undefined>): Promise<FieldError[]> {
  const ids = Object.values(named).filter((id): id is string => !!id);
  const found = await db.employee.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, status: true } });
  return Object.entries(named).flatMap(([field, id]) => {
    if (!id) return [];
    const e = found.find((f) => f.id === id);
    return e?.status === 'active' ? [] : [{ field, reason: e ? `${e.name} is ${e.status}` : `no employee ${id}` }];
  });
}

export function resignationRoutes(ctx: ApiContext): Router {
  const { db, flows, flowDefaults } = ctx;
  const router = Router();

  async function loadResignation(req: Request) {
    const { id } = parseRequest(resignationIdParams, req.params, 'params');
    const r = await db.resignation.findUnique({ where: { id }, include: { employee: { select: { name: true, employeeNo: true, managerId: true, status: true } } } });
    if (!r) throw new HttpProblem(404, 'Not found', `no resignation ${id}`);
    if (!mayRead(callerOf(req), r, r.employee.managerId)) throw new HttpProblem(403, 'Forbidden', 'you take no part in this handover');
    return r;
  }

  router.post('/', async (req, res) => {
    const body = parseRequest(startResignationBody, req.body, 'body');
    const caller = callerOf(req);
    const leaver = await db.employee.findUnique({ where: { id: body.employeeId } });
    const isLeaver = caller.id === body.employeeId;
    if (!hasRole(caller, 'hr') && !isLeaver && leaver?.managerId !== caller.id) throw new HttpProblem(403, 'Forbidden', 'HR, the employee or their manager may hand in a resignation');
    if (body.settings && !hasRole(caller, 'hr', 'admin')) throw new HttpProblem(403, 'Forbidden', 'only HR may set a flow’s settings');
    // Separation of duties: the people who check a handover are never chosen by the one leaving.
    const namedByLeaver = isLeaver ? (['successorId', 'supervisorId', 'mentorId'] as const).filter((f) => body[f]) : [];
    if (namedByLeaver.length) throw new HttpProblem(403, 'Forbidden', 'a leaver cannot name who takes over or checks their own handover; HR or their manager does', namedByLeaver.map((field) => ({ field, reason: 'named by HR or the leaver’s manager' })), 'not_allowed');
    refuseFields([
      ...(leaver ? [] : [{ field: 'employeeId', reason: `no employee ${body.employeeId}` }]),
      ...(await inactivePeople(db, { successorId: body.successorId, supervisorId: body.supervisorId, mentorId: body.mentorId })),
      ...(leaver ? await outsideThePool(db, leaver, body.successorId, body.successorReason) : []),
    ]);
    const resignationId = resignationIdFor(body.employeeId, body.resignationDate);
    const running = await db.resignation.findFirst({ where: { employeeId: body.employeeId, status: 'in_progress', id: { not: resignationId } } });
    if (running) throw new HttpProblem(409, 'Already resigning', `${leaver!.name} already has a handover in progress (resignation ${running.id})`, undefined, 'wrong_state');
    if (leaver!.status === 'left') throw new HttpProblem(409, 'Already left', `${leaver!.name} has already left`, undefined, 'wrong_state');
    const { settings, ...resignation } = body;
    const lastDay = lastDayOf(body.lastWorkingDay);
    const started = await flows.startHandover({ ...resignation, resignationId, ...lastDay, startedById: caller.id, settings: withOverrides(flowDefaults, settings) });
    if (body.successorId) await placeFromPool(ctx, leaver!.roles, { employeeId: body.successorId, resignationId, actorId: caller.id });
    // A last working day already over is an emergency (the collector has gone): accepted, and said so.
    const emergency = Date.parse(lastDay.departsAt) <= Date.now() ? { emergency: 'the last working day is over: the supervisor owns every checklist line from the start' } : {};
    res.status(202).location(`/api/v1/resignations/${resignationId}`).json({ ...started, ...emergency });
  });

  router.get('/', async (req, res) => {
    if (!hasRole(callerOf(req), ...OVERSEERS)) throw new HttpProblem(403, 'Forbidden', `listing resignations needs one of the roles: ${OVERSEERS.join(', ')}`);
    const q = parseRequest(listResignationsQuery, req.query, 'query');
    const where = { status: q.status };
    reply(
      res,
      resignationPageView,
      await pageFrom(
        q,
        (window) => db.resignation.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], include: { employee: { select: { name: true, employeeNo: true } } }, ...window }),
        () => db.resignation.count({ where }),
      ),
    );
  });

  /** The handover at a glance: the checklist line by line with who was chased when, the counts,
   *  articles, mentoring, assessments and the open tasks. */
  router.get('/:id', async (req, res) => {
    const r = await loadResignation(req);
    const q = parseRequest(resignationItemsQuery, req.query, 'query');
    const now = new Date();
    const itemsWhere = { resignationId: r.id, status: q.status, category: q.category };
    const [items, itemsTotal, byStatus, overdue, accountsWithLeaver, articles, sessions, assessments, tasks, chasing] = await Promise.all([
      db.handoverItem.findMany({ where: itemsWhere, orderBy: { itemNo: 'asc' }, ...takeSkip(q) }),
      db.handoverItem.count({ where: itemsWhere }),
      db.handoverItem.groupBy({ by: ['status'], where: { resignationId: r.id }, _count: true }),
      db.handoverItem.count({ where: { resignationId: r.id, status: { in: ['open', 'reopened'] }, dueAt: { lt: now } } }),
      db.account.count({ where: { assigneeId: r.employeeId } }),
      db.knowledgeArticle.findMany({ where: { resignationId: r.id }, orderBy: { createdAt: 'asc' } }),
      db.mentoringSession.findMany({ where: { resignationId: r.id }, orderBy: { heldAt: 'asc' } }),
      db.successorAssessment.findMany({ where: { resignationId: r.id }, orderBy: { attempt: 'asc' } }),
      db.task.findMany({ where: { flowId: r.flowId, status: 'open' }, orderBy: { createdAt: 'asc' } }),
      db.auditEvent.findMany({
        where: { OR: [{ flowId: r.flowId }, { flowId: { startsWith: `${r.flowId}/` } }], action: { in: ['handover.items_reminded', 'handover.items_escalated', 'handover.critical_escalation', 'handover.items_reassigned', 'task.reminded', 'task.escalated'] } },
        orderBy: { id: 'asc' },
      }),
    ]);
    const counts = Object.fromEntries(byStatus.map((g) => [g.status, g._count]));
    // Lines can be acted on once the round's workflow has them (a moment after they are written).
    const latestRound = await db.handoverItem.findFirst({ where: { resignationId: r.id }, orderBy: { itemNo: 'desc' }, select: { checklistFlowId: true } });
    const live = latestRound && (await flows.liveState(latestRound.checklistFlowId));
    reply(res, handoverView, {
      ...r,
      checklist: {
        total: byStatus.reduce((n, g) => n + g._count, 0),
        open: counts.open ?? 0,
        reopened: counts.reopened ?? 0,
        done: counts.done ?? 0,
        verified: counts.verified ?? 0,
        overdue,
        accountsWithLeaver,
        ready: latestRound !== null && live?.status !== 'writing',
        items,
        // The lines matching status and category, of which `items` is one page.
        itemsTotal,
        limit: q.limit,
        offset: q.offset,
      },
      chasing: chasing.map((e) => ({ at: e.at, action: e.action, flowId: e.flowId, ...(e.payload as object) })),
      articles,
      mentoringSessions: sessions,
      assessments,
      openTasks: tasks,
    });
  });

  const handoverFlow = async (req: Request) => (await loadResignation(req)).flowId;
  /** HR names the successor and supervisor: the pool's candidates first (GET successor-candidates). */
  router.post('/:id/assignment', async (req, res) => {
    const r = await loadResignation(req);
    const body = parseRequest(assignHandoverRequest, req.body, 'body');
    const leaver = await db.employee.findUniqueOrThrow({ where: { id: r.employeeId }, select: { id: true, roles: true } });
    refuseFields(await outsideThePool(db, leaver, body.successorId, body.successorReason));
    const actorId = callerOf(req).id;
    const answer = await flows.send(r.flowId, assignHandover, { ...body, actorId }, updateIdOf(req, 'assignment'));
    await placeFromPool(ctx, leaver.roles, { employeeId: body.successorId, resignationId: r.id, actorId });
    res.json(answer);
  });

  /** Whom HR may name successor: the leaver's reserve pool ranked first, then their active colleagues. */
  router.get('/:id/successor-candidates', async (req, res) => {
    const r = await loadResignation(req);
    if (!hasRole(callerOf(req), 'hr', 'hr_director', 'admin') && r.employee.managerId !== callerOf(req).id) {
      throw new HttpProblem(403, 'Forbidden', 'HR and the leaver’s manager choose a successor', undefined, 'not_allowed');
    }
    const leaver = await db.employee.findUniqueOrThrow({ where: { id: r.employeeId }, select: { id: true, roles: true, departmentId: true } });
    const position = positionOf(leaver.roles);
    const pool = await rankedPool(db, position, [leaver.id]);
    const others = await db.employee.findMany({
      where: { departmentId: leaver.departmentId, status: 'active', id: { notIn: [leaver.id, ...pool.map((c) => c.employeeId)] } },
      orderBy: { employeeNo: 'asc' },
      select: { id: true, name: true, employeeNo: true },
    });
    reply(res, successorCandidatesView, {
      position,
      fromPool: pool.map((c) => ({ id: c.employeeId, name: c.employee.name, readiness: c.readiness, rank: c.rank, score: c.score })),
      others,
    });
  });
  messageRoute(router, flows, handoverFlow, 'knowledge-articles', submitArticleRequest, submitArticle);
  messageRoute(router, flows, handoverFlow, 'mentoring-sessions', mentoringSessionRequest, logMentoringSession);
  messageRoute(router, flows, handoverFlow, 'assessment', assessmentRequest, assessSuccessor);
  messageRoute(router, flows, handoverFlow, 'successor-review', successorReviewRequest, reviewSuccessor);
  messageRoute(router, flows, handoverFlow, 'rating', ratingRequest, rateHandover);
  messageRoute(router, flows, handoverFlow, 'cancel', cancelFlowRequest, cancelFlow, ['hr']);

  /** The exit interview: whether the flow waits for it, and what was recorded. */
  router.get('/:id/exit-interview', requireRole(...INTERVIEWERS), async (req, res) => {
    const r = await loadResignation(req);
    const [interview, open] = await Promise.all([
      db.exitInterview.findUnique({ where: { resignationId: r.id } }),
      db.task.count({ where: { flowId: r.flowId, type: 'handover_exit_interview', status: 'open' } }),
    ]);
    const day = (d: Date) => d.toISOString().slice(0, 10);
    reply(res, exitInterviewView, { resignationId: r.id, open: open > 0, interview: interview && { ...interview, heldOn: day(interview.heldOn), leftOn: day(interview.leftOn) } });
  });
  router.post('/:id/exit-interview', requireRole(...INTERVIEWERS), async (req, res) => {
    const r = await loadResignation(req);
    const body = parseRequest(exitInterviewRequest, req.body, 'body');
    res.json(await flows.send(r.flowId, recordExitInterview, { ...body, actorId: callerOf(req).id }, updateIdOf(req, 'exit-interview')));
  });

  /** Sign-off is the caller's open sign-off task; before it opens, say what still stands in the way. */
  router.post('/:id/sign-off', async (req, res) => {
    const r = await loadResignation(req);
    const body = parseRequest(signOffRequest, req.body, 'body');
    const caller = callerOf(req);
    const task = await db.task.findFirst({ where: { flowId: r.flowId, type: 'handover_sign_off', status: 'open', ...heldBy(caller.id) } });
    if (!task) {
      const [accounts, unverified] = await Promise.all([
        db.account.count({ where: { assigneeId: r.employeeId } }),
        db.handoverItem.count({ where: { resignationId: r.id, status: { not: 'verified' } } }),
      ]);
      throw new HttpProblem(409, 'Sign-off refused', `there is no sign-off waiting for you: sign-off opens once every checklist line is verified and no account is left with the leaver (now ${accounts} account(s) with the leaver, ${unverified} line(s) not verified; phase ${r.phase})`, undefined, 'wrong_state');
    }
    res.json(await flows.decide(r.flowId, { taskId: task.id, actorId: caller.id, decision: 'confirm', comment: body.comment }));
  });

  return router;
}

/** Checklist lines: completed by their owner, verified by the supervisor, one or many at a time. */
export function handoverItemRoutes({ db, flows }: ApiContext): Router {
  const router = Router();

  /** The lines named, all on one checklist (they are one message to its workflow). */
  async function linesOf(ids: string[]) {
    const items = await db.handoverItem.findMany({ where: { id: { in: ids } }, select: { id: true, itemNo: true, checklistFlowId: true } });
    const missing = ids.filter((id) => !items.some((i) => i.id === id));
    if (missing.length) throw new HttpProblem(404, 'Not found', `no handover item ${missing.slice(0, 5).join(', ')}`);
    const flowIds = new Set(items.map((i) => i.checklistFlowId));
    if (flowIds.size > 1) throw new HttpProblem(400, 'Invalid request', undefined, [{ field: 'itemIds', reason: 'all items must belong to one checklist' }]);
    return { checklistFlowId: items[0]!.checklistFlowId, itemNos: items.map((i) => i.itemNo) };
  }

  const itemIdsOf = (req: Request) => (req.params.id ? [parseRequest(itemIdParams, req.params, 'params').id] : parseRequest(bulkItems, req.body, 'body').itemIds);

  for (const path of ['/:id/complete', '/complete']) {
    router.post(path, async (req, res) => {
      const ids = itemIdsOf(req);
      const body = parseRequest(completeItemsRequest, req.body, 'body');
      const { checklistFlowId, itemNos } = await linesOf(ids);
      reply(res, itemsResultView, await flows.send(checklistFlowId, completeItems, { ...body, itemNos, actorId: callerOf(req).id }, updateIdOf(req, 'complete')));
    });
  }
  for (const path of ['/:id/verify', '/verify']) {
    router.post(path, async (req, res) => {
      const ids = itemIdsOf(req);
      const body = parseRequest(verifyItemsRequest, req.body, 'body');
      const { checklistFlowId, itemNos } = await linesOf(ids);
      reply(res, itemsResultView, await flows.send(checklistFlowId, verifyItems, { ...body, itemNos, actorId: callerOf(req).id }, updateIdOf(req, 'verify')));
    });
  }
  return router;
}

/** Whether `managerId` manages `employeeId`: is their manager, their manager's manager, and so on up. */
async function managesChain(db: Db, managerId: string, employeeId: string): Promise<boolean> {
  const seen = new Set([employeeId]);
  let current: string | null = employeeId;
  while (current !== null) {
    const e: { managerId: string | null } | null = await db.employee.findUnique({ where: { id: current }, select: { managerId: true } });
    current = e?.managerId ?? null;
    if (current === managerId) return true;
    // A loop in the org chart ends the walk rather than the request.
    if (current !== null && seen.has(current)) return false;
    if (current !== null) seen.add(current);
  }
  return false;
}

/** Portfolios name owners and their arrears: they are for the collector, the managers above them,
 *  whoever takes over or supervises their handover in progress, and HR and admins. */
async function mayReadPortfolio(db: Db, caller: Caller, ownerId: string): Promise<boolean> {
  if (caller.id === ownerId || hasRole(caller, ...OVERSEERS)) return true;
  const handingOver = await db.resignation.count({ where: { employeeId: ownerId, status: 'in_progress', OR: [{ successorId: caller.id }, { supervisorId: caller.id }] } });
  return handingOver > 0 || managesChain(db, caller.id, ownerId);
}

/** Portfolios of delinquent accounts, for the people who answer for them. */
export function accountRoutes({ db }: ApiContext): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const q = parseRequest(accountsQuery, req.query, 'query');
    const caller = callerOf(req);
    const assigneeId = q.assignee === 'me' ? caller.id : q.assignee;
    if (!(await mayReadPortfolio(db, caller, assigneeId))) {
      throw new HttpProblem(403, 'Forbidden', 'a portfolio is for its collector, their managers, the successor and supervisor of their handover, and HR', undefined, 'not_allowed');
    }
    const [items, summary] = await Promise.all([
      db.account.findMany({ where: { assigneeId }, orderBy: { accountNo: 'asc' }, ...takeSkip(q) }),
      db.account.aggregate({ where: { assigneeId }, _count: true, _sum: { arrearsFen: true } }),
    ]);
    reply(res, portfolioView, { assigneeId, arrearsFen: summary._sum.arrearsFen ?? 0, ...pageOf(items, summary._count, q) });
  });
  return router;
}
