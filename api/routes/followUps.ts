/**
 * A programme's follow-up (DOMAIN.md §4) under its plan: `/training-plans/:id/follow-up…`. Scores
 * and results go to the programme's flow; what concerns one participant goes to their own flow.
 */
import express, { Router, type Request } from 'express';
import { z } from 'zod';
import {
  applicationRequest,
  baselineRequest,
  behaviourRequest,
  coachingSessionRequest,
  mentorRequest,
  participantFlowId,
  reportCsv,
  resultsRequest,
  scoresFromCsv,
  scoresRequest,
  type ProgrammeReport,
  type TargetResult,
} from '../../domain/followUp';
import {
  giveBaseline,
  logCoachingSession,
  nameMentor,
  rateBehaviour,
  recordResults,
  recordScores,
  reportApplication,
} from '../../workflows/messages';
import { callerOf, hasRole, requireRole } from '../auth';
import type { ApiContext } from '../context';
import { HttpProblem, parseRequest, refuseFields } from '../problems';
import { followUpReportView, followUpView, reply } from '../views';
import { updateIdOf } from './flowMessages';

export const followUpParams = z.object({ id: z.uuid('must be a plan id (uuid)') });
export const participantParams = followUpParams.extend({ employeeId: z.string().min(1).max(100) });

/** Who reads a whole programme: HR, its director, executives, admins, managers. */
const READERS = ['hr', 'hr_director', 'executive', 'admin', 'manager'] as const;

export function followUpRoutes({ db, flows }: ApiContext): Router {
  const router = Router();

  async function loadFollowUp(req: Request) {
    const { id } = parseRequest(followUpParams, req.params, 'params');
    const followUp = await db.followUp.findUnique({ where: { planId: id } });
    if (!followUp) throw new HttpProblem(404, 'Not found', `training plan ${id} has no follow-up (it starts when the plan's first session closes its feedback)`);
    return followUp;
  }

  /** The programme: participants with their progress, scores, checkpoints, coaching, targets; a
   *  participant sees the programme and their own entries only. */
  router.get('/:id/follow-up', async (req, res) => {
    const followUp = await loadFollowUp(req);
    const caller = callerOf(req);
    // Staff: the readers above, the plan's trainers, and whoever the programme itself asks something of.
    const staff =
      hasRole(caller, ...READERS) ||
      (await db.trainingSession.count({ where: { planId: followUp.planId, trainerId: caller.id } })) > 0 ||
      (await db.task.count({ where: { flowId: followUp.flowId, assigneeId: caller.id } })) > 0;
    const mine = { followUpId: followUp.id, ...(staff ? {} : { employeeId: caller.id }) };
    const participants = await db.followUpParticipant.findMany({ where: mine, orderBy: { employeeId: 'asc' } });
    if (!staff && participants.length === 0) throw new HttpProblem(403, 'Forbidden', 'only participants, trainers and staff may read this follow-up');
    const [scores, checkpoints, coaching, openTasks, plan] = await Promise.all([
      db.knowledgeScore.findMany({ where: mine, orderBy: [{ employeeId: 'asc' }, { attempt: 'asc' }] }),
      db.followUpCheckpoint.findMany({ where: mine, orderBy: [{ employeeId: 'asc' }, { checkpointNo: 'asc' }] }),
      db.coachingSession.findMany({ where: mine, orderBy: { createdAt: 'asc' } }),
      db.task.findMany({ where: { flowId: { in: [followUp.flowId, ...participants.map((p) => p.flowId)] }, status: 'open', ...(staff ? {} : { assigneeId: caller.id }) }, orderBy: { createdAt: 'asc' } }),
      db.trainingPlan.findUniqueOrThrow({ where: { id: followUp.planId }, select: { title: true } }),
    ]);
    const { report: _report, ...programme } = followUp;
    reply(res, followUpView, {
      ...programme,
      title: plan.title,
      targets: followUp.targets as unknown as TargetResult[],
      participants: participants.map((p) => ({
        ...p,
        baseline: p.baseline as Record<string, number> | null,
        scores: scores.filter((s) => s.employeeId === p.employeeId),
        checkpoints: checkpoints.filter((c) => c.employeeId === p.employeeId).map((c) => ({ ...c, observed: c.observed as Record<string, number> | null })),
        coachingSessions: coaching.filter((c) => c.employeeId === p.employeeId),
      })),
      openTasks,
    });
  });

  async function storedReport(req: Request): Promise<ProgrammeReport> {
    const followUp = await loadFollowUp(req);
    if (!followUp.report) throw new HttpProblem(409, 'Not reported yet', `the follow-up is ${followUp.status}; the report is computed when every participant's follow-up has ended`, undefined, 'wrong_state');
    return followUp.report as unknown as ProgrammeReport;
  }
  router.get('/:id/follow-up/report', requireRole(...READERS), async (req, res) => {
    reply(res, followUpReportView, await storedReport(req));
  });
  router.get('/:id/follow-up/report.csv', requireRole(...READERS), async (req, res) => {
    const { id } = parseRequest(followUpParams, req.params, 'params');
    res.type('text/csv; charset=utf-8').attachment(`follow-up-${id}.csv`).send(reportCsv(await storedReport(req)));
  });

  /** Test scores for the whole table at once: JSON `{scores: [...]}` or a CSV upload (text/csv). */
  router.post('/:id/follow-up/scores', requireRole('hr', 'trainer'), express.text({ type: 'text/csv', limit: '1mb' }), async (req, res) => {
    parseRequest(followUpParams, req.params, 'params');
    let body;
    if (req.is('text/csv')) {
      const { scores, problems } = scoresFromCsv(typeof req.body === 'string' ? req.body : '');
      if (problems.length) throw new HttpProblem(400, 'Invalid request', `${problems.length} line(s) of the CSV are invalid; nothing was recorded`, problems);
      body = parseRequest(scoresRequest, { scores }, 'body');
    } else body = parseRequest(scoresRequest, req.body, 'body');
    const followUp = await loadFollowUp(req);
    res.json(await flows.send(followUp.flowId, recordScores, { ...body, actorId: callerOf(req).id }, updateIdOf(req, 'scores')));
  });

  router.post('/:id/follow-up/results', requireRole('manager', 'hr'), async (req, res) => {
    parseRequest(followUpParams, req.params, 'params');
    const body = parseRequest(resultsRequest, req.body, 'body');
    const followUp = await loadFollowUp(req);
    res.json(await flows.send(followUp.flowId, recordResults, { ...body, actorId: callerOf(req).id }, updateIdOf(req, 'results')));
  });

  /** `POST /:id/follow-up/participants/:employeeId/<path>`: one message to that participant's flow. */
  function toParticipant<A extends object>(path: string, request: z.ZodType<A>, update: Parameters<typeof flows.send>[1], onlyFor: Parameters<typeof requireRole> = [], check?: (body: A) => Promise<void>) {
    router.post(`/:id/follow-up/participants/:employeeId/${path}`, ...(onlyFor.length ? [requireRole(...onlyFor)] : []), async (req, res) => {
      const { id, employeeId } = parseRequest(participantParams, req.params, 'params');
      const body = parseRequest(request, req.body, 'body');
      const participant = await db.followUpParticipant.findFirst({ where: { employeeId, followUp: { planId: id } } });
      if (!participant) throw new HttpProblem(404, 'Not found', `${employeeId} is not a participant of the follow-up of plan ${id}`);
      await check?.(body);
      res.json(await flows.send(participantFlowId(id, employeeId), update, { ...body, employeeId, actorId: callerOf(req).id }, updateIdOf(req, `${path}:${employeeId}`)));
    });
  }

  toParticipant('baseline', baselineRequest, giveBaseline, ['manager', 'hr']);
  toParticipant('application', applicationRequest, reportApplication);
  toParticipant('behaviour', behaviourRequest, rateBehaviour, ['manager', 'hr']);
  toParticipant('coaching-sessions', coachingSessionRequest, logCoachingSession);
  toParticipant('mentor', mentorRequest, nameMentor, ['hr'], async ({ mentorId }) => {
    const mentor = await db.employee.findFirst({ where: { id: mentorId, status: 'active' } });
    refuseFields(mentor ? [] : [{ field: 'mentorId', reason: `no active employee ${mentorId}` }]);
  });

  return router;
}
