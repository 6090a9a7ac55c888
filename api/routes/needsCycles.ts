import { Router, type Request } from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Competency, NeedsAnalysis } from '../../domain/needsAnalysis';
import { adjustmentRequest, lowResponseRequest, observationRequest, startNeedsCycleRequest, surveyRequest } from '../../domain/needsCycle';
import { flowSettingsOverrides, withOverrides } from '../../domain/settings';
import { cancelFlowRequest } from '../../domain/tasks';
import { adjustAssessment, cancelFlow, decideLowResponse, submitObservation, submitSurvey } from '../../workflows/messages';
import { callerOf, hasRole, requireRole } from '../auth';
import type { ApiContext } from '../context';
import { HttpProblem, idempotencyKeyOf, parseRequest, refuseFields } from '../problems';
import { idFor } from '../flows';
import { messageRoute } from './flowMessages';
import { pageFrom, pageParams } from '../pagination';
import { needsCyclePageView, needsCycleView, reply } from '../views';

export const cycleIdParams = z.object({ id: z.uuid('must be a needs cycle id (uuid)') });
export const listCyclesQuery = z.object({ status: z.string().optional(), departmentId: z.string().optional(), ...pageParams() });
export const startNeedsCycleBody = startNeedsCycleRequest.safeExtend({ settings: flowSettingsOverrides.optional() });

const OVERSEERS = ['hr', 'hr_director', 'admin'] as const;

/** An analysis as a participant may see it: the aggregates, and among the individuals only themselves. */
function ownShare(analysis: unknown, participantId: string): unknown {
  if (analysis === null || typeof analysis !== 'object' || !Array.isArray((analysis as NeedsAnalysis).individuals)) return analysis;
  const a = analysis as NeedsAnalysis;
  return { ...a, individuals: a.individuals.filter((i) => i.participantId === participantId) };
}

export function needsCycleRoutes({ db, flows, flowDefaults }: ApiContext): Router {
  const router = Router();

  async function loadCycle(req: Request) {
    const { id } = parseRequest(cycleIdParams, req.params, 'params');
    const cycle = await db.needsCycle.findUnique({ where: { id } });
    if (!cycle) throw new HttpProblem(404, 'Not found', `no needs cycle ${id}`);
    return cycle;
  }

  /** Cycles, newest first: HR sees all, a department head their department's. */
  router.get('/', async (req, res) => {
    const q = parseRequest(listCyclesQuery, req.query, 'query');
    const caller = callerOf(req);
    const mine = hasRole(caller, ...OVERSEERS) ? {} : { headId: caller.id };
    const where = { ...mine, status: q.status, departmentId: q.departmentId };
    reply(
      res,
      needsCyclePageView,
      await pageFrom(
        q,
        (window) => db.needsCycle.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], ...window }),
        () => db.needsCycle.count({ where }),
      ),
    );
  });

  /** HR starts a cycle; with an Idempotency-Key a retried request finds the same cycle. */
  router.post('/', requireRole('hr'), async (req, res) => {
    const body = parseRequest(startNeedsCycleBody, req.body, 'body');
    const caller = callerOf(req);
    const department = await db.department.findUnique({ where: { id: body.departmentId } });
    const known = await db.employee.findMany({ where: { id: { in: [...body.participantIds, ...(body.hrId ? [body.hrId] : [])] }, status: 'active' }, select: { id: true } });
    const unknown = body.participantIds.filter((p) => !known.some((k) => k.id === p));
    refuseFields([
      ...(department ? [] : [{ field: 'departmentId', reason: `no department ${body.departmentId}` }]),
      ...(unknown.length ? [{ field: 'participantIds', reason: `no active employee ${unknown.join(', ')}` }] : []),
      ...(body.hrId && !known.some((k) => k.id === body.hrId) ? [{ field: 'hrId', reason: `no active employee ${body.hrId}` }] : []),
      // A deadline already past would close the survey the moment it opens.
      ...(Date.parse(body.surveyDeadline) <= Date.now() ? [{ field: 'surveyDeadline', reason: 'the survey deadline must be in the future' }] : []),
    ]);
    const key = idempotencyKeyOf(req);
    const cycleId = key ? idFor('needs-cycle', caller.id, key) : randomUUID();
    const { settings, ...cycle } = body;
    const started = await flows.startNeedsCycle({ ...cycle, cycleId, hrId: body.hrId ?? caller.id, startedById: caller.id, settings: withOverrides(flowDefaults, settings) });
    res.status(202).location(`/api/v1/needs-cycles/${cycleId}`).json(started);
  });

  /** The cycle: response rate, the analysis (every version), confirmations, open tasks. The head, the
   *  cycle's HR officer, HR and admins see it exactly as stored; a participant sees the aggregates and
   *  their own entries, never a colleague's gaps, tasks or comments. */
  router.get('/:id', async (req, res) => {
    const cycle = await loadCycle(req);
    const caller = callerOf(req);
    const seesIndividuals = hasRole(caller, ...OVERSEERS) || [cycle.headId, cycle.hrId].includes(caller.id);
    if (!seesIndividuals && !cycle.participantIds.includes(caller.id)) throw new HttpProblem(403, 'Forbidden', 'you take no part in this cycle');
    const [responses, observations, stored, allTasks] = await Promise.all([
      db.needsResponse.count({ where: { cycleId: cycle.id } }),
      db.needsObservation.count({ where: { cycleId: cycle.id } }),
      db.needsAssessment.findMany({ where: { cycleId: cycle.id }, orderBy: { version: 'asc' } }),
      db.task.findMany({ where: { flowId: cycle.flowId }, orderBy: { createdAt: 'asc' } }),
    ]);
    // The stored analysis stays as computed; only the answer is cut down to what the caller may see.
    const assessments = seesIndividuals ? stored : stored.map((a) => ({ ...a, analysis: ownShare(a.analysis, caller.id) }));
    // The head's and HR's approvals concern the whole assessment; every other task is its assignee's own.
    const tasks = seesIndividuals ? allTasks : allTasks.filter((t) => t.type === 'needs_approval' || t.assigneeId === caller.id || t.escalatedToIds.includes(caller.id));
    const decisionOf = (t: (typeof tasks)[number]) => ({ taskId: t.id, version: (t.payload as { version?: number }).version, who: t.assigneeId, status: t.status, outcome: t.outcome, comment: t.comment, decidedById: t.decidedById, decidedAt: t.decidedAt });
    reply(res, needsCycleView, {
      ...cycle,
      competencies: cycle.competencies as Competency[],
      responseRate: { surveys: responses / cycle.participantIds.length, observations: observations / cycle.participantIds.length, responses, observationsSubmitted: observations },
      analysis: (assessments.at(-1)?.analysis ?? null) as NeedsAnalysis | null,
      assessments: assessments.map((a) => ({ ...a, analysis: a.analysis as NeedsAnalysis })),
      confirmations: {
        approvals: tasks.filter((t) => t.type === 'needs_approval').map(decisionOf),
        participants: tasks.filter((t) => t.type === 'needs_confirm_own').map(decisionOf),
      },
      openTasks: tasks.filter((t) => t.status === 'open'),
    });
  });

  const cycleFlow = async (req: Request) => (await loadCycle(req)).flowId;
  messageRoute(router, flows, cycleFlow, 'survey', surveyRequest, submitSurvey);
  messageRoute(router, flows, cycleFlow, 'observations', observationRequest, submitObservation);
  messageRoute(router, flows, cycleFlow, 'low-response', lowResponseRequest, decideLowResponse);
  messageRoute(router, flows, cycleFlow, 'adjustment', adjustmentRequest, adjustAssessment);
  messageRoute(router, flows, cycleFlow, 'cancel', cancelFlowRequest, cancelFlow, ['hr']);
  return router;
}
