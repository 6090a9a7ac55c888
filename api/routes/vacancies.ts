import { Router, type Request } from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  vacancyApplicationRequest,
  countersignRequest,
  decisionRequest,
  evaluationRequest,
  extensionRequest,
  vacancyRequest,
  withdrawalRequest,
  type Criterion,
} from '../../domain/promotion';
import { cancelFlowRequest } from '../../domain/tasks';
import type { Prisma } from '../../prisma/db';
import { applyForVacancy, cancelFlow, decidePromotion, decideTask, evaluateApplicants, extendVacancy, withdrawApplication } from '../../workflows/messages';
import { heldBy } from '../flowAccess';
import { callerOf, hasRole, requireRole, type Caller } from '../auth';
import type { ApiContext } from '../context';
import { idFor } from '../flows';
import { pageFrom, pageParams } from '../pagination';
import { HttpProblem, idempotencyKeyOf, parseRequest, refuseFields, type FieldError } from '../problems';
import { reply, vacancyOpenedView, vacancyPageView, vacancyView } from '../views';
import { messageRoute, updateIdOf } from './flowMessages';

export const vacancyIdParams = z.object({ id: z.uuid('must be a vacancy id (uuid)') });
export const listVacanciesQuery = z.object({
  status: z.enum(['open', 'evaluating', 'deciding', 'countersigning', 'decided', 'cancelled']).optional(),
  ...pageParams(),
});

/** Read every vacancy, with its applicants and the panel's scores. */
const OVERSEERS = ['hr', 'hr_director'] as const;

type VacancyRow = Prisma.VacancyGetPayload<object>;

/**
 * Promotion: HR posts a vacancy, employees apply, the panel scores and countersigns, HR decides.
 * Every write is a message to the vacancy's flow, which decides whether it may happen now.
 */
export function vacancyRoutes({ db, flows, flowDefaults }: ApiContext): Router {
  const router = Router();

  const oversees = (caller: Caller, v: VacancyRow) => hasRole(caller, ...OVERSEERS) || v.panelIds.includes(caller.id);

  /** The vacancy as the caller may read it: what is published, their own application, and for
   *  HR and the panel everything else. An applicant's result shows only once it is decided. */
  async function viewed(caller: Caller, v: VacancyRow) {
    const decided = v.status === 'decided';
    const own = await db.vacancyApplication.findUnique({ where: { vacancyId_applicantId: { vacancyId: v.id, applicantId: caller.id } } });
    const mine = own && { ...own, reason: decided ? own.reason : null, score: decided ? own.score : null };
    // What HR and the panel alone read is left out here and added below for them.
    const { proposal, selectedId, decisionReason, decidedAt, ...publicFields } = v;
    const published = {
      ...publicFields,
      criteria: v.criteria as Criterion[],
      mayApply: v.status === 'open' && v.applyUntil.getTime() > Date.now() && !own && !v.panelIds.includes(caller.id),
      mine,
    };
    if (!oversees(caller, v)) return published;
    const [applications, evaluations] = await Promise.all([
      db.vacancyApplication.findMany({ where: { vacancyId: v.id }, orderBy: [{ appliedAt: 'asc' }, { applicantId: 'asc' }] }),
      db.vacancyEvaluation.findMany({ where: { vacancyId: v.id }, orderBy: [{ panelistId: 'asc' }, { applicantId: 'asc' }] }),
    ]);
    const names = await db.employee.findMany({ where: { id: { in: applications.map((a) => a.applicantId) } }, select: { id: true, name: true } });
    return {
      ...published,
      selectedId,
      decisionReason,
      decidedAt,
      proposal: proposal ?? undefined,
      applications: applications.map((a) => ({ ...a, applicantName: names.find((n) => n.id === a.applicantId)?.name ?? a.applicantId })),
      evaluations: evaluations.map((e) => ({ ...e, scores: e.scores as Record<string, number> })),
    };
  }

  router.post('/', requireRole('hr'), async (req, res) => {
    const body = parseRequest(vacancyRequest, req.body, 'body');
    const caller = callerOf(req);
    const [department, panel] = await Promise.all([
      db.department.findUnique({ where: { id: body.departmentId }, select: { id: true } }),
      db.employee.findMany({ where: { id: { in: body.panelIds }, status: 'active' }, select: { id: true } }),
    ]);
    const errors: FieldError[] = [];
    if (!department) errors.push({ field: 'departmentId', reason: `no department ${body.departmentId}` });
    body.panelIds.forEach((p, i) => {
      if (!panel.some((e) => e.id === p)) errors.push({ field: `panelIds.${i}`, reason: `${p} is not an active employee` });
    });
    if (Date.parse(body.applyUntil) <= Date.now()) errors.push({ field: 'applyUntil', reason: 'must be in the future' });
    refuseFields(errors);
    const key = idempotencyKeyOf(req);
    const vacancyId = key ? idFor('vacancy', caller.id, key) : randomUUID();
    const opened = await flows.startPromotion({ ...body, vacancyId, hrId: caller.id, settings: flowDefaults });
    res.location(`/api/v1/vacancies/${vacancyId}`);
    reply(res, vacancyOpenedView, opened, 202);
  });

  /** Open vacancies for everyone, and those the caller sits on the panel of or applied to; every one for HR. */
  router.get('/', async (req, res) => {
    const q = parseRequest(listVacanciesQuery, req.query, 'query');
    const caller = callerOf(req);
    let where: Prisma.VacancyWhereInput = {};
    if (!hasRole(caller, ...OVERSEERS)) {
      const applied = await db.vacancyApplication.findMany({ where: { applicantId: caller.id }, select: { vacancyId: true } });
      where = { OR: [{ status: 'open' }, { panelIds: { has: caller.id } }, { id: { in: applied.map((a) => a.vacancyId) } }] };
    }
    where = { ...where, status: q.status };
    const page = await pageFrom(
      q,
      (window) => db.vacancy.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], ...window }),
      () => db.vacancy.count({ where }),
    );
    reply(res, vacancyPageView, { ...page, items: await Promise.all(page.items.map((v) => viewed(caller, v))) });
  });

  async function findVacancy(req: Request): Promise<VacancyRow> {
    const { id } = parseRequest(vacancyIdParams, req.params, 'params');
    const v = await db.vacancy.findUnique({ where: { id } });
    if (!v) throw new HttpProblem(404, 'Not found', `no vacancy ${id}`);
    return v;
  }

  /** One vacancy to read: an open one for anyone; after that, for HR, its panel and its applicants. */
  async function loadVacancy(req: Request): Promise<VacancyRow> {
    const v = await findVacancy(req);
    const { id } = v;
    const caller = callerOf(req);
    const reads =
      v.status === 'open' || oversees(caller, v) || (await db.vacancyApplication.count({ where: { vacancyId: id, applicantId: caller.id } })) > 0;
    if (!reads) throw new HttpProblem(403, 'Forbidden', 'a vacancy no longer open is read by HR, its panel and its applicants');
    return v;
  }
  // Whether the caller may send a message now is the flow's to say.
  const flowOf = async (req: Request) => (await findVacancy(req)).flowId;

  router.get('/:id', async (req, res) => reply(res, vacancyView, await viewed(callerOf(req), await loadVacancy(req))));

  messageRoute(router, flows, flowOf, 'applications', vacancyApplicationRequest, applyForVacancy);
  messageRoute(router, flows, flowOf, 'applications/withdraw', withdrawalRequest, withdrawApplication);
  messageRoute(router, flows, flowOf, 'evaluations', evaluationRequest, evaluateApplicants);
  messageRoute(router, flows, flowOf, 'decision', decisionRequest, decidePromotion);
  messageRoute(router, flows, flowOf, 'extend', extensionRequest, extendVacancy);
  messageRoute(router, flows, flowOf, 'cancel', cancelFlowRequest, cancelFlow, ['hr']);

  /** A panelist countersigns HR's decision, or rejects it with a comment: their countersign task
   *  (or one escalated to them) is decided in the flow. */
  router.post('/:id/countersign', async (req, res) => {
    const v = await findVacancy(req);
    const body = parseRequest(countersignRequest, req.body, 'body');
    const caller = callerOf(req);
    const task = await db.task.findFirst({
      where: { flowId: v.flowId, type: 'promotion_countersign', status: 'open', ...heldBy(caller.id) },
      orderBy: { createdAt: 'asc' },
      select: { id: true },
    });
    if (!task) {
      if (v.status !== 'countersigning') throw new HttpProblem(409, 'Conflict', `the vacancy is ${v.status}: there is no decision to countersign`, undefined, 'wrong_state');
      if (v.panelIds.includes(caller.id)) throw new HttpProblem(409, 'Conflict', 'you have countersigned this decision', undefined, 'already_decided');
      throw new HttpProblem(403, 'Forbidden', 'only the panel countersigns', undefined, 'not_your_task');
    }
    res.json(await flows.send(v.flowId, decideTask, { taskId: task.id, actorId: caller.id, decision: body.decision, comment: body.comment }, updateIdOf(req, 'countersign')));
  });

  return router;
}
