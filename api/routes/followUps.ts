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
  refusedScoreRows,
  reportCsv,
  resultsRequest,
  scoresFromCsv,
  scoresRequest,
  type ParticipantReport,
  type ProgrammeReport,
  type ScoreRow,
  type ScoresArgs,
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
import { heldBy } from '../flowAccess';
import { callerOf, hasRole, requireRole, type Caller } from '../auth';
import type { ApiContext } from '../context';
import { HttpProblem, parseRequest, refuseFields, type FieldError } from '../problems';
import { followUpReportView, followUpView, reply } from '../views';
import { updateIdOf } from './flowMessages';

export const followUpParams = z.object({ id: z.uuid('must be a plan id (uuid)') });
export const participantParams = followUpParams.extend({ employeeId: z.string().min(1).max(100) });

/** Who reads every participant of every programme: HR, its director, executives, admins. */
const READ_EVERY_PROGRAMME = ['hr', 'hr_director', 'executive', 'admin'] as const;

/** Whose entries of a programme a reader sees: everyone's, or those of these participants only. */
type Reach = 'everyone' | ReadonlySet<string>;
const inReach = (reach: Reach, employeeId: string) => reach === 'everyone' || reach.has(employeeId);

export function followUpRoutes({ db, flows }: ApiContext): Router {
  const router = Router();

  async function loadFollowUp(req: Request) {
    const { id } = parseRequest(followUpParams, req.params, 'params');
    const followUp = await db.followUp.findUnique({ where: { planId: id } });
    if (!followUp) throw new HttpProblem(404, 'Not found', `training plan ${id} has no follow-up (it starts when the plan's first session closes its feedback)`);
    return followUp;
  }
  type FollowUpRow = Awaited<ReturnType<typeof loadFollowUp>>;

  /**
   * Whose entries of the programme the caller reads (the same for the follow-up, its report and
   * the report's CSV). Everyone's: HR and the roles above, the programme's HR officer and
   * department head, the plan's trainers, whoever the programme's own flow asked something of.
   * Anyone else reads the participants they answer for: themselves, those of a department they
   * head or who report to them, those whose own flow asked them something (a coach, a mentor).
   */
  async function reachOf(caller: Caller, followUp: FollowUpRow): Promise<Reach> {
    if (hasRole(caller, ...READ_EVERY_PROGRAMME) || caller.id === followUp.hrId || caller.id === followUp.headId) return 'everyone';
    const [trainer, asked] = await Promise.all([
      db.trainingSession.count({ where: { planId: followUp.planId, trainerId: caller.id } }),
      // The programme's flow and its participants' flows (`<its flow id>:<employee id>`).
      db.task.findMany({ where: { flowId: { startsWith: followUp.flowId }, ...heldBy(caller.id) }, select: { flowId: true }, distinct: ['flowId'] }),
    ]);
    if (trainer > 0 || asked.some((t) => t.flowId === followUp.flowId)) return 'everyone';
    const led = await db.employee.findMany({ where: { OR: [{ managerId: caller.id }, { department: { headId: caller.id } }] }, select: { id: true } });
    const reached = await db.followUpParticipant.findMany({
      where: { followUpId: followUp.id, OR: [{ employeeId: { in: [caller.id, ...led.map((e) => e.id)] } }, { flowId: { in: asked.map((t) => t.flowId) } }] },
      select: { employeeId: true },
    });
    if (reached.length === 0) throw new HttpProblem(403, 'Forbidden', 'only staff of this programme, its participants and those who answer for them read its follow-up', undefined, 'not_allowed');
    return new Set(reached.map((p) => p.employeeId));
  }

  /** The programme: participants with their progress, scores, checkpoints, coaching, targets, as far as the caller's reach goes. */
  router.get('/:id/follow-up', async (req, res) => {
    const followUp = await loadFollowUp(req);
    const reach = await reachOf(callerOf(req), followUp);
    const mine = { followUpId: followUp.id, ...(reach === 'everyone' ? {} : { employeeId: { in: [...reach] } }) };
    const participants = await db.followUpParticipant.findMany({ where: mine, orderBy: { employeeId: 'asc' } });
    // The programme's own tasks concern everyone; a participant's flow's tasks concern them.
    const taskFlows = [...(reach === 'everyone' ? [followUp.flowId] : []), ...participants.map((p) => p.flowId)];
    const [scores, checkpoints, coaching, openTasks, plan] = await Promise.all([
      db.knowledgeScore.findMany({ where: mine, orderBy: [{ employeeId: 'asc' }, { attempt: 'asc' }] }),
      db.followUpCheckpoint.findMany({ where: mine, orderBy: [{ employeeId: 'asc' }, { checkpointNo: 'asc' }] }),
      db.coachingSession.findMany({ where: mine, orderBy: { createdAt: 'asc' } }),
      db.task.findMany({ where: { flowId: { in: taskFlows }, status: 'open' }, orderBy: { createdAt: 'asc' } }),
      db.trainingPlan.findUniqueOrThrow({ where: { id: followUp.planId }, select: { title: true } }),
    ]);
    const of = <T extends { employeeId: string }>(rows: T[], employeeId: string) => rows.filter((r) => r.employeeId === employeeId);
    // Field by field: the stored rows hold more (the recognition list, the lessons) than a reader may see.
    reply(res, followUpView, {
      id: followUp.id,
      planId: followUp.planId,
      title: plan.title,
      flowId: followUp.flowId,
      departmentId: followUp.departmentId,
      hrId: followUp.hrId,
      headId: followUp.headId,
      passMark: followUp.passMark,
      competencies: followUp.competencies,
      targets: (followUp.targets as unknown as TargetResult[]).map(targetView),
      status: followUp.status,
      reportedAt: followUp.reportedAt,
      participants: participants.map((p) => ({
        employeeId: p.employeeId,
        flowId: p.flowId,
        managerId: p.managerId,
        mentorId: p.mentorId,
        sessionIds: p.sessionIds,
        joinedAt: p.joinedAt,
        baseline: p.baseline as Record<string, number> | null,
        baselineSource: p.baselineSource,
        coachingReason: p.coachingReason,
        recheck: p.recheck,
        status: p.status,
        finishedAt: p.finishedAt,
        scores: of(scores, p.employeeId).map((s) => ({ attempt: s.attempt, score: s.score, passed: s.passed, recordedById: s.recordedById, recordedAt: s.recordedAt })),
        checkpoints: of(checkpoints, p.employeeId).map((c) => ({
          checkpointNo: c.checkpointNo,
          application: c.application,
          examples: c.examples,
          appliedAt: c.appliedAt,
          observed: c.observed as Record<string, number> | null,
          observerId: c.observerId,
          observerComment: c.observerComment,
          observedAt: c.observedAt,
        })),
        coachingSessions: of(coaching, p.employeeId).map((c) => ({ id: c.id, coachId: c.coachId, heldOn: c.heldOn, minutes: c.minutes, notes: c.notes, createdAt: c.createdAt })),
      })),
      openTasks: openTasks.map((t) => ({ id: t.id, type: t.type, title: t.title, assigneeId: t.assigneeId, dueAt: t.dueAt, payload: t.payload })),
    });
  });

  /** The stored report as the caller may read it: the programme's figures, and the people in their reach. */
  async function reportFor(req: Request): Promise<ProgrammeReport> {
    const followUp = await loadFollowUp(req);
    const reach = await reachOf(callerOf(req), followUp);
    if (!followUp.report) throw new HttpProblem(409, 'Not reported yet', `the follow-up is ${followUp.status}; the report is computed when every participant's follow-up has ended`, undefined, 'wrong_state');
    return reportView(followUp.report as unknown as ProgrammeReport, reach);
  }
  router.get('/:id/follow-up/report', async (req, res) => {
    reply(res, followUpReportView, await reportFor(req));
  });
  router.get('/:id/follow-up/report.csv', async (req, res) => {
    const { id } = parseRequest(followUpParams, req.params, 'params');
    res.type('text/csv; charset=utf-8').attachment(`follow-up-${id}.csv`).send(reportCsv(await reportFor(req)));
  });

  /**
   * Test scores for the whole table at once: JSON `{scores: [...]}` or a CSV upload (text/csv),
   * each participant named by employee id or number. Nothing is recorded unless every row is; a
   * refused row is named where its caller wrote it (`scores.3.employeeId`, `csv line 5, employeeId`):
   * 400 when it is malformed, 422 when it names no employee, or one the flow cannot score.
   */
  router.post('/:id/follow-up/scores', requireRole('hr', 'trainer'), express.text({ type: 'text/csv', limit: '1mb' }), async (req, res) => {
    parseRequest(followUpParams, req.params, 'params');
    const csv = req.is('text/csv') ? scoresFromCsv(typeof req.body === 'string' ? req.body : '') : undefined;
    if (csv?.problems.length) throw new HttpProblem(400, 'Invalid request', 'the CSV cannot be read; nothing was recorded', csv.problems);
    try {
      const body = parseRequest(scoresRequest, csv ? { scores: csv.scores } : req.body, 'body');
      const followUp = await loadFollowUp(req);
      const scores = await byEmployeeId(body.scores);
      res.json(await recordTable(followUp.flowId, { scores, actorId: callerOf(req).id }, updateIdOf(req, 'scores')));
    } catch (err) {
      throw csv ? onCsvLines(err, csv.lines) : err;
    }
  });

  /** The rows with each participant named by employee id: a sheet names them by employee number (BT010) as often. */
  async function byEmployeeId(rows: ScoreRow[]): Promise<ScoreRow[]> {
    const named = [...new Set(rows.map((r) => r.employeeId))];
    const found = await db.employee.findMany({ where: { OR: [{ id: { in: named } }, { employeeNo: { in: named } }] }, select: { id: true, employeeNo: true } });
    // An id wins over a number that happens to read the same.
    const idOf = new Map([...found.map((e) => [e.employeeNo, e.id] as const), ...found.map((e) => [e.id, e.id] as const)]);
    const unknown = rows.flatMap((r, i) => (idOf.has(r.employeeId) ? [] : [{ field: `scores.${i}.employeeId`, reason: `no employee has the number or id ${r.employeeId}` }]));
    if (unknown.length) throw rowsRefused(422, 'Unprocessable request', unknown);
    // One person named twice, once by number and once by id, is refused as any repeat is.
    return parseRequest(scoresRequest, { scores: rows.map((r) => ({ ...r, employeeId: idOf.get(r.employeeId)! })) }, 'body').scores;
  }

  /** Sends the table to the programme's flow; the rows it refuses are named one by one, like any refused row. */
  async function recordTable(flowId: string, args: ScoresArgs, updateId?: string) {
    try {
      return await flows.send(flowId, recordScores, args, updateId);
    } catch (err) {
      const rows = err instanceof HttpProblem && err.detail ? refusedScoreRows(err.detail) : [];
      if (!(err instanceof HttpProblem) || rows.length === 0) throw err;
      throw rowsRefused(err.status, err.title, rows.map(({ index, why }) => ({ field: `scores.${index}.employeeId`, reason: why })), err.code);
    }
  }

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

/** A target as published: the plan's stored targets carry more (their description). */
const targetView = (t: TargetResult): TargetResult => ({ metric: t.metric, target: t.target, unit: t.unit, better: t.better, actual: t.actual });

/** The stored report field by field: the programme's figures whole, and of the people only those in the reader's reach. */
function reportView(r: ProgrammeReport, reach: Reach): ProgrammeReport {
  return {
    participants: r.participants,
    attendanceRate: r.attendanceRate,
    reaction: r.reaction,
    knowledge: { meanScore: r.knowledge.meanScore, passRate: r.knowledge.passRate, scored: r.knowledge.scored, retested: r.knowledge.retested },
    application: r.application,
    behaviourChange: r.behaviourChange,
    results: { targets: r.results.targets.map((t) => ({ ...targetView(t), achievement: t.achievement })), score: r.results.score },
    overall: r.overall,
    coached: r.coached,
    stillBelow: r.stillBelow,
    costPerParticipantFen: r.costPerParticipantFen,
    modules: r.modules.map((m) => ({ no: m.no, title: m.title, rating: m.rating, responses: m.responses, flagged: m.flagged })),
    topPerformers: r.topPerformers.filter((p) => inReach(reach, p.employeeId)).map((p) => ({ employeeId: p.employeeId, name: p.name, overall: p.overall })),
    people: r.people.filter((p) => inReach(reach, p.employeeId)).map(personView),
  };
}

const personView = (p: ParticipantReport): ParticipantReport => ({
  employeeId: p.employeeId,
  name: p.name,
  attendance: { invited: p.attendance.invited, attended: p.attendance.attended, rate: p.attendance.rate },
  reaction: p.reaction,
  knowledge: p.knowledge && { score: p.knowledge.score, passed: p.knowledge.passed, retested: p.knowledge.retested },
  application: p.application,
  behaviour: p.behaviour && { baseline: p.behaviour.baseline, observed: p.behaviour.observed, change: p.behaviour.change },
  coached: p.coached,
  recheck: p.recheck,
  overall: p.overall,
  missing: p.missing,
});

/** Refused rows of a score table, each named with why in `errors` (as every field problem of the API is). */
const rowsRefused = (status: number, title: string, errors: FieldError[], code?: string) =>
  new HttpProblem(status, title, `${errors.length} row(s) of the table refused; nothing was recorded`, errors, code);

/** A CSV upload's problems named by the file's lines: the request's `scores.3.score` is the score cell of the fourth data row's line. */
function onCsvLines(err: unknown, lines: number[]): unknown {
  if (!(err instanceof HttpProblem) || !err.errors) return err;
  const onLine = (field: string) => (field === 'scores' ? 'csv' : field.replace(/^scores\.(\d+)\.(\w+)$/, (_, i: string, column: string) => `csv line ${lines[Number(i)]}, ${column}`));
  return rowsRefused(err.status, err.title, err.errors.map((e) => ({ field: onLine(e.field), reason: e.reason })), err.code);
}
