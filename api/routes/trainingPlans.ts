import { Router } from 'express';
import { z } from 'zod';
import { flowSettingsOverrides, withOverrides } from '../../domain/settings';
import {
  adminOwnersNamed,
  createPlanRequest,
  planContent,
  planStatus,
  updatePlanRequest,
  withdrawPlanRequest,
  type PlanContent,
  type PlanDraftContent,
} from '../../domain/trainingPlan';
import { addSessionRequest, sessionOfPlan, type SessionRollUp } from '../../domain/trainingSession';
import type { Lesson } from '../../domain/followUp';
import type { NeedsAnalysis } from '../../domain/needsAnalysis';
import { objectivesFrom } from '../../domain/needsCycle';
import { Prisma } from '../../prisma/db';
import { callerOf, hasRole, requireRole, type Caller } from '../auth';
import type { ApiContext } from '../context';
import { pageFrom, pageParams } from '../pagination';
import { idFor } from '../flows';
import { planPageView, planView, reply, submittedPlanView } from '../views';
import { fieldErrors, HttpProblem, idempotencyKeyOf, parseRequest, refuseFields } from '../problems';

export const planIdParams = z.object({ id: z.uuid('must be a plan id (uuid)') });
export const submitPlanRequest = z.object({ settings: flowSettingsOverrides.optional() });
export const addSessionBody = addSessionRequest.safeExtend({ settings: flowSettingsOverrides.optional() });
export const listPlansQuery = z.object({ status: planStatus.optional(), departmentId: z.string().optional(), ...pageParams() });

const EDITABLE = ['draft', 'changes_requested'] as const;
const READERS = ['hr', 'hr_director', 'executive', 'admin', 'manager'] as const;

/** A plan row as its view publishes it: the roll-up is what closeSessionFeedback stores. */
const withRollUp = <P extends { sessionSummary: Prisma.JsonValue }>(plan: P) => ({
  ...plan,
  sessionSummary: plan.sessionSummary as unknown as SessionRollUp | null,
});

/** The people a request names, by field (`prefix.` before each), leaving out fields it leaves unset. */
const named = (fields: Record<string, string | undefined>, prefix = '') =>
  Object.entries(fields).flatMap(([field, id]) => (id ? [{ field: `${prefix}${field}`, id }] : []));

export function trainingPlanRoutes({ db, flows, flowDefaults }: ApiContext): Router {
  const router = Router();

  function found<T>(plan: T | null, id: string): T {
    if (!plan) throw new HttpProblem(404, 'Not found', `no training plan ${id}`);
    return plan;
  }

  /** The plan with its versions, decisions and sessions, as readers see it. */
  const loadPlan = async (id: string) =>
    withRollUp(
      found(
        await db.trainingPlan.findUnique({
          where: { id },
          include: {
            versions: { orderBy: { version: 'asc' } },
            decisions: { orderBy: { decidedAt: 'asc' } },
            sessions: {
              orderBy: { sessionNo: 'asc' },
              select: { id: true, sessionNo: true, title: true, startsAt: true, endsAt: true, location: true, status: true, flowId: true },
            },
          },
        }),
        id,
      ),
    );

  /** Of the people a request names, those who are not active employees, as field errors. */
  async function notActive(people: { field: string; id: string }[]) {
    if (people.length === 0) return [];
    const active = await db.employee.findMany({ where: { id: { in: people.map((p) => p.id) }, status: 'active' }, select: { id: true } });
    return people.filter((p) => !active.some((e) => e.id === p.id)).map((p) => ({ field: p.field, reason: `no active employee ${p.id}` }));
  }

  /** The administrative owners a plan names are active employees; one 422 names every other. */
  const mustNameActiveOwners = async (content: PlanDraftContent) => refuseFields(await notActive(named(adminOwnersNamed(content), 'content.')));

  function mustBeDrafter(caller: Caller, plan: { drafterId: string }) {
    if (plan.drafterId !== caller.id) throw new HttpProblem(403, 'Forbidden', 'only the drafter of this plan may do this', undefined, 'not_allowed');
  }

  router.get('/', requireRole(...READERS), async (req, res) => {
    const q = parseRequest(listPlansQuery, req.query, 'query');
    const where = { status: q.status, departmentId: q.departmentId };
    reply(
      res,
      planPageView,
      await pageFrom(
        q,
        (window) => db.trainingPlan.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], ...window }),
        () => db.trainingPlan.count({ where }),
      ),
    );
  });

  router.post('/', requireRole('hr'), async (req, res) => {
    const body = parseRequest(createPlanRequest, req.body, 'body');
    const caller = callerOf(req);
    const createKey = idempotencyKeyOf(req);
    if (createKey) {
      const earlier = await db.trainingPlan.findUnique({ where: { createKey } });
      if (earlier) return reply(res.location(`/api/v1/training-plans/${earlier.id}`), planView, await loadPlan(earlier.id), 201);
    }
    const [department, cycle] = await Promise.all([
      db.department.findUnique({ where: { id: body.departmentId } }),
      body.needsAssessmentId ? db.needsCycle.findUnique({ where: { id: body.needsAssessmentId }, include: { assessments: { orderBy: { version: 'desc' }, take: 1 } } }) : undefined,
    ]);
    refuseFields([
      ...(department ? [] : [{ field: 'departmentId', reason: `no department ${body.departmentId}` }]),
      ...(await notActive(named(adminOwnersNamed(body.content), 'content.'))),
      ...(body.needsAssessmentId && cycle?.status !== 'confirmed'
        ? [{ field: 'needsAssessmentId', reason: cycle ? `the assessment is ${cycle.status}, not confirmed` : `no needs assessment ${body.needsAssessmentId}` }]
        : []),
    ]);
    const draft: PlanDraftContent = { ...body.content };
    // With a confirmed assessment, the objectives start from its ranked needs.
    if (cycle) {
      draft.objectives ??= objectivesFrom(cycle.name, cycle.assessments[0]!.analysis as unknown as NeedsAnalysis);
      draft.participantIds ??= cycle.participantIds;
    }
    try {
      const plan = await db.trainingPlan.create({
        data: { title: body.title, departmentId: body.departmentId, drafterId: caller.id, draft: draft as Prisma.InputJsonObject, createKey, needsAssessmentId: body.needsAssessmentId },
      });
      // A new plan has no versions or decisions yet: nothing to read back.
      reply(res.location(`/api/v1/training-plans/${plan.id}`), planView, { ...withRollUp(plan), versions: [], decisions: [], sessions: [] }, 201);
    } catch (err) {
      // Two requests with one Idempotency-Key raced: the second answers with the first's plan.
      if (createKey && err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
        const earlier = await db.trainingPlan.findUniqueOrThrow({ where: { createKey } });
        return reply(res, planView, await loadPlan(earlier.id), 201);
      }
      throw err;
    }
  });

  router.get('/:id', async (req, res) => {
    const { id } = parseRequest(planIdParams, req.params, 'params');
    const plan = await loadPlan(id);
    const caller = callerOf(req);
    if (!hasRole(caller, ...READERS) && plan.drafterId !== caller.id) throw new HttpProblem(403, 'Forbidden', 'you may not read this plan');
    // Modules the department's earlier programmes rated low: what this plan should do better.
    const earlier = await db.followUp.findMany({ where: { departmentId: plan.departmentId, planId: { not: id }, reportedAt: { not: null } }, orderBy: { reportedAt: 'desc' }, select: { lessons: true } });
    const followUp = await db.followUp.findUnique({ where: { planId: id }, select: { flowId: true, status: true, reportedAt: true } });
    reply(res, planView, { ...plan, followUp, lessons: earlier.flatMap((f) => f.lessons as unknown as Lesson[]) });
  });

  router.put('/:id', requireRole('hr'), async (req, res) => {
    const { id } = parseRequest(planIdParams, req.params, 'params');
    const body = parseRequest(updatePlanRequest, req.body, 'body');
    const plan = await loadPlan(id);
    mustBeDrafter(callerOf(req), plan);
    if (body.content) await mustNameActiveOwners(body.content);
    const content: PlanDraftContent = { ...(plan.draft as PlanDraftContent), ...body.content };
    // Only a draft, or a plan sent back for changes, is edited; the revision guards against a
    // concurrent submit or edit.
    const { count } = await db.trainingPlan.updateMany({
      where: { id, status: { in: [...EDITABLE] }, draftRevision: plan.draftRevision },
      data: { title: body.title ?? plan.title, draft: content as Prisma.InputJsonObject, draftRevision: { increment: 1 } },
    });
    if (count === 0) throw new HttpProblem(409, 'Not editable', `the plan is ${(await loadPlan(id)).status}; only a draft or a plan sent back for changes can be edited`, undefined, 'wrong_state');
    reply(res, planView, await loadPlan(id));
  });

  router.post('/:id/submit', requireRole('hr'), async (req, res) => {
    const { id } = parseRequest(planIdParams, req.params, 'params');
    const body = parseRequest(submitPlanRequest, req.body, 'body');
    const caller = callerOf(req);
    const plan = found(await db.trainingPlan.findUnique({ where: { id } }), id);
    mustBeDrafter(caller, plan);
    // In approval already: this repeats the submission that put it there (a retry after a 503, a
    // second click), which the flow answers again as it did the first time, tasks opened and all.
    const repeat = plan.status === 'in_approval' && !!plan.flowId;
    if (!repeat && !EDITABLE.includes(plan.status as (typeof EDITABLE)[number])) {
      throw new HttpProblem(409, 'Flow closed', `the plan is ${plan.status} and cannot be submitted again`, undefined, 'wrong_state');
    }
    const content = planContent.safeParse(plan.draft);
    if (!content.success) throw new HttpProblem(422, 'Plan incomplete', 'the plan cannot be submitted until these are fixed', fieldErrors(content.error, 'content'));
    // Someone it names may have left since the draft was saved.
    await mustNameActiveOwners(content.data);
    const settings = withOverrides(flowDefaults, body.settings);
    const result = await flows.submitPlan(
      { planId: plan.id, departmentId: plan.departmentId, drafterId: plan.drafterId, title: plan.title, settings },
      { actorId: caller.id, title: plan.title, content: content.data, draftRevision: plan.draftRevision },
      repeat ? plan.currentVersion : plan.currentVersion + 1,
    );
    reply(res, submittedPlanView, { ...result, status: 'in_approval' }, 202);
  });

  /** HR adds a repeat session to an approved plan: it gets the next number and its own flow. */
  router.post('/:id/sessions', requireRole('hr'), async (req, res) => {
    const { id } = parseRequest(planIdParams, req.params, 'params');
    const body = parseRequest(addSessionBody, req.body, 'body');
    const plan = found(await db.trainingPlan.findUnique({ where: { id }, include: { versions: { orderBy: { version: 'desc' }, take: 1 } } }), id);
    if (plan.status !== 'approved') throw new HttpProblem(409, 'Not approved', `the plan is ${plan.status}; sessions are added to approved plans`, undefined, 'wrong_state');
    refuseFields([
      ...(Date.parse(body.startsAt) <= Date.now() ? [{ field: 'startsAt', reason: 'must be in the future' }] : []),
      ...(await notActive(named({ trainerId: body.trainerId, adminOwnerId: body.adminOwnerId }))),
    ]);
    const content = plan.versions[0]!.content as unknown as PlanContent;
    const last = await db.trainingSession.aggregate({ where: { planId: id }, _max: { sessionNo: true } });
    const sessionNo = Math.max(last._max.sessionNo ?? 0, content.sessions.length) + 1;
    const settings = withOverrides(flowDefaults, body.settings);
    const started = await flows
      .startSession({
        ...sessionOfPlan(
          { id, title: plan.title, content, hrId: callerOf(req).id },
          {
            sessionId: idFor(id, 'session', String(sessionNo)),
            sessionNo,
            title: body.title,
            startsAt: body.startsAt,
            endsAt: body.endsAt,
            location: body.location,
            trainerId: body.trainerId,
            adminOwnerId: body.adminOwnerId,
          },
        ),
        settings,
      })
      .catch((err: unknown) => {
        if (err instanceof HttpProblem && err.code === 'flow_closed') throw new HttpProblem(409, 'Session number taken', 'another session was added to this plan at the same moment; try again', undefined, 'wrong_state');
        throw err;
      });
    res.status(201).location(`/api/v1/training-sessions/${started.sessionId}`).json(started);
  });

  router.post('/:id/withdraw', requireRole('hr'), async (req, res) => {
    const { id } = parseRequest(planIdParams, req.params, 'params');
    const body = parseRequest(withdrawPlanRequest, req.body, 'body');
    const caller = callerOf(req);
    const plan = await loadPlan(id);
    mustBeDrafter(caller, plan);
    if (!plan.flowId) throw new HttpProblem(409, 'Not submitted', 'only a submitted plan can be withdrawn', undefined, 'wrong_state');
    res.json(await flows.withdrawPlan(id, { actorId: caller.id, reason: body.reason }));
  });

  return router;
}
