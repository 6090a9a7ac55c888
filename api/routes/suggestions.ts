import { Router, type Request } from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { suggestionAnswerRequest, suggestionRequest, suggestionStats } from '../../domain/suggestion';
import { DEFAULT_WORKING_TIME } from '../../domain/workingTime';
import type { Prisma } from '../../prisma/db';
import { answerSuggestion } from '../../workflows/messages';
import { heldBy } from '../flowAccess';
import { callerOf, hasRole, requireRole, type Caller } from '../auth';
import type { ApiContext } from '../context';
import { idFor } from '../flows';
import { pageFrom, pageParams } from '../pagination';
import { HttpProblem, idempotencyKeyOf, parseRequest, refuseFields } from '../problems';
import { reply, suggestionAnsweredView, suggestionPageView, suggestionStatsView, suggestionSubmittedView, suggestionView } from '../views';
import { updateIdOf } from './flowMessages';

export const suggestionIdParams = z.object({ id: z.uuid('must be a suggestion id (uuid)') });
export const listSuggestionsQuery = z.object({
  mine: z.enum(['true', 'false']).optional().meta({ description: '`true`: the suggestions the caller sent (anonymous ones included)' }),
  departmentId: z.string().max(100).optional(),
  status: z.enum(['open', 'answered', 'cancelled']).optional(),
  ...pageParams(),
});
const moment = z.iso.datetime({ offset: true, message: 'must be a date and time, e.g. 2027-01-01T00:00:00+08:00' });
export const suggestionStatsQuery = z
  .object({ from: moment.optional().meta({ description: 'submitted from (a year before `to` when not given)' }), to: moment.optional().meta({ description: 'submitted before (now when not given)' }) })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { message: 'must be after from', path: ['to'] });

/** Read every department's suggestions. */
const ALL_READERS = ['hr', 'hr_director'] as const;
const STATS_READERS = ['hr', 'hr_director', 'executive'] as const;
const YEAR_MS = 365 * 86_400_000;

type SuggestionRow = Prisma.SuggestionGetPayload<object>;

/**
 * Employee suggestions: anyone submits, the owner department's head answers through the flow. Who
 * sent an anonymous one is read here only to show the sender their own: no answer to anyone else
 * depends on it.
 */
export function suggestionRoutes({ db, flows, flowDefaults }: ApiContext): Router {
  const router = Router();

  const headed = async (caller: Caller) => (await db.department.findMany({ where: { headId: caller.id }, select: { id: true } })).map((d) => d.id);
  const sentBy = async (caller: Caller, ids: string[]) =>
    new Set((await db.suggestionSender.findMany({ where: { employeeId: caller.id, suggestionId: { in: ids } }, select: { suggestionId: true } })).map((s) => s.suggestionId));
  /** As the caller reads them: an anonymous one names nobody (its row has no submitter either). */
  async function viewed(caller: Caller, rows: SuggestionRow[]) {
    const mine = await sentBy(caller, rows.map((s) => s.id));
    const named = rows.flatMap((s) => (s.anonymous || !s.submitterId ? [] : [s.submitterId]));
    const [people, open] = await Promise.all([
      db.employee.findMany({ where: { id: { in: named } }, select: { id: true, name: true } }),
      db.task.findMany({ where: { flowId: { in: rows.map((s) => s.flowId) }, status: 'open', ...heldBy(caller.id) }, select: { flowId: true } }),
    ]);
    return rows.map((s) => ({
      ...s,
      submitter: s.anonymous ? null : (people.find((p) => p.id === s.submitterId) ?? null),
      mine: mine.has(s.id),
      mayAnswer: open.some((t) => t.flowId === s.flowId),
    }));
  }

  router.post('/', async (req, res) => {
    const body = parseRequest(suggestionRequest, req.body, 'body');
    const caller = callerOf(req);
    if (!(await db.department.findUnique({ where: { id: body.departmentId }, select: { id: true } }))) refuseFields([{ field: 'departmentId', reason: `no department ${body.departmentId}` }]);
    const key = idempotencyKeyOf(req);
    const suggestionId = key ? idFor('suggestion', caller.id, key) : randomUUID();
    // Who sent it, kept apart before the flow starts: the flow never hears of an anonymous sender.
    await db.suggestionSender.createMany({ data: [{ suggestionId, employeeId: caller.id, noticeKey: randomUUID() }], skipDuplicates: true });
    const started = await flows.startSuggestion({ suggestionId, ...body, submitterId: body.anonymous ? undefined : caller.id, settings: flowDefaults });
    res.location(`/api/v1/suggestions/${suggestionId}`);
    reply(res, suggestionSubmittedView, started, 202);
  });

  /** `mine=true`: the caller's own; else a department head's departments, or every one for HR. */
  router.get('/', async (req, res) => {
    const q = parseRequest(listSuggestionsQuery, req.query, 'query');
    const caller = callerOf(req);
    let where: Prisma.SuggestionWhereInput;
    if (q.mine === 'true') {
      const own = await db.suggestionSender.findMany({ where: { employeeId: caller.id }, select: { suggestionId: true } });
      where = { id: { in: own.map((s) => s.suggestionId) } };
    } else if (hasRole(caller, ...ALL_READERS)) {
      where = {};
    } else {
      const departments = await headed(caller);
      if (!departments.length) throw new HttpProblem(403, 'Forbidden', 'ask for mine=true: department heads read their departments\' suggestions, HR every one');
      if (q.departmentId && !departments.includes(q.departmentId)) throw new HttpProblem(403, 'Forbidden', 'you read the suggestions of the departments you head');
      where = { departmentId: { in: departments } };
    }
    where = { ...where, ...(q.departmentId ? { departmentId: q.departmentId } : {}), status: q.status };
    const page = await pageFrom(
      q,
      (window) => db.suggestion.findMany({ where, orderBy: [{ submittedAt: 'desc' }, { id: 'asc' }], ...window }),
      () => db.suggestion.count({ where }),
    );
    reply(res, suggestionPageView, { ...page, items: await viewed(caller, page.items) });
  });

  /** Response times by department and month of submission (HR, directors). */
  router.get('/stats', requireRole(...STATS_READERS), async (req, res) => {
    const q = parseRequest(suggestionStatsQuery, req.query, 'query');
    const to = q.to ? Date.parse(q.to) : Date.now();
    const from = q.from ? Date.parse(q.from) : to - YEAR_MS;
    const cases = await db.suggestion.findMany({
      where: { submittedAt: { gte: new Date(from), lt: new Date(to) }, status: { not: 'cancelled' } },
      select: { departmentId: true, submittedAt: true, dueAt: true, answeredAt: true },
    });
    const stats = suggestionStats(
      cases.map((c) => ({ departmentId: c.departmentId, submittedAt: c.submittedAt.getTime(), dueAt: c.dueAt.getTime(), answeredAt: c.answeredAt?.getTime() ?? null })),
      flowDefaults.workingTime ?? DEFAULT_WORKING_TIME,
      Date.now(),
    );
    reply(res, suggestionStatsView, { from: new Date(from).toISOString(), to: new Date(to).toISOString(), ...stats });
  });

  /** One suggestion: for its sender, its department's head, HR, and whoever holds its task. */
  async function loadSuggestion(req: Request) {
    const { id } = parseRequest(suggestionIdParams, req.params, 'params');
    const s = await db.suggestion.findUnique({ where: { id } });
    if (!s) throw new HttpProblem(404, 'Not found', `no suggestion ${id}`);
    const caller = callerOf(req);
    const mine = (await sentBy(caller, [id])).has(id);
    const reads =
      mine ||
      hasRole(caller, ...ALL_READERS) ||
      (await headed(caller)).includes(s.departmentId) ||
      (await db.task.count({ where: { flowId: s.flowId, ...heldBy(caller.id) } })) > 0;
    if (!reads) throw new HttpProblem(403, 'Forbidden', 'a suggestion is read by its sender, its department\'s head, whoever answers it and HR');
    return (await viewed(caller, [s]))[0]!;
  }

  router.get('/:id', async (req, res) => reply(res, suggestionView, await loadSuggestion(req)));

  /** The answer goes to the flow, which takes it from whoever holds the task (or it was escalated to). */
  router.post('/:id/answer', async (req, res) => {
    const s = await loadSuggestion(req);
    const body = parseRequest(suggestionAnswerRequest, req.body, 'body');
    reply(res, suggestionAnsweredView, await flows.send(s.flowId, answerSuggestion, { ...body, actorId: callerOf(req).id }, updateIdOf(req, 'answer')));
  });

  return router;
}
