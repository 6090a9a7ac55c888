import { Router, type Request } from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { adjustmentRequest, lowResponseRequest, observationRequest, startNeedsCycleRequest, surveyRequest } from '../../domain/needsCycle';
import { flowSettingsOverrides, withOverrides } from '../../domain/settings';
import { adjustAssessment, decideLowResponse, submitObservation, submitSurvey } from '../../workflows/messages';
import { callerOf, hasRole, requireRole } from '../auth';
import type { ApiContext } from '../context';
import { HttpProblem, parseRequest, refuseFields } from '../problems';
import { idFor } from '../flows';
import { messageRoute } from './flowMessages';

export const cycleIdParams = z.object({ id: z.uuid('must be a needs cycle id (uuid)') });
export const startNeedsCycleBody = startNeedsCycleRequest.safeExtend({ settings: flowSettingsOverrides.optional() });

const OVERSEERS = ['hr', 'hr_director', 'admin'] as const;

export function needsCycleRoutes({ db, flows, flowDefaults }: ApiContext): Router {
  const router = Router();

  async function loadCycle(req: Request) {
    const { id } = parseRequest(cycleIdParams, req.params, 'params');
    const cycle = await db.needsCycle.findUnique({ where: { id } });
    if (!cycle) throw new HttpProblem(404, 'Not found', `no needs cycle ${id}`);
    return cycle;
  }

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
    const key = req.get('idempotency-key');
    const cycleId = key ? idFor('needs-cycle', caller.id, key) : randomUUID();
    const { settings, ...cycle } = body;
    const started = await flows.startNeedsCycle({ ...cycle, cycleId, hrId: body.hrId ?? caller.id, startedById: caller.id, settings: withOverrides(flowDefaults, settings) });
    res.status(202).location(`/api/v1/needs-cycles/${cycleId}`).json(started);
  });

  /** The cycle: response rate, the analysis exactly as stored (every version), confirmations, open tasks. */
  router.get('/:id', async (req, res) => {
    const cycle = await loadCycle(req);
    const caller = callerOf(req);
    if (!hasRole(caller, ...OVERSEERS) && ![cycle.headId, cycle.hrId, ...cycle.participantIds].includes(caller.id)) throw new HttpProblem(403, 'Forbidden', 'you take no part in this cycle');
    const [responses, observations, assessments, tasks] = await Promise.all([
      db.needsResponse.count({ where: { cycleId: cycle.id } }),
      db.needsObservation.count({ where: { cycleId: cycle.id } }),
      db.needsAssessment.findMany({ where: { cycleId: cycle.id }, orderBy: { version: 'asc' } }),
      db.task.findMany({ where: { flowId: cycle.flowId }, orderBy: { createdAt: 'asc' } }),
    ]);
    const decisionOf = (t: (typeof tasks)[number]) => ({ taskId: t.id, version: (t.payload as { version?: number }).version, who: t.assigneeId, status: t.status, outcome: t.outcome, comment: t.comment, decidedById: t.decidedById, decidedAt: t.decidedAt });
    res.json({
      ...cycle,
      responseRate: { surveys: responses / cycle.participantIds.length, observations: observations / cycle.participantIds.length, responses, observationsSubmitted: observations },
      analysis: assessments.at(-1)?.analysis ?? null,
      assessments,
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
  return router;
}
