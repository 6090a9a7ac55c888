import { Router, type Request } from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { flowSettingsOverrides, withOverrides } from '../../domain/settings';
import { answerProblems, surveyActionRequest, surveyAnswers, surveyChange, surveyRequest, type SurveyQuestion } from '../../domain/surveys';
import { answerSurvey, assignSurveyAction } from '../../workflows/messages';
import { callerOf, hasRole, requireRole } from '../auth';
import type { ApiContext } from '../context';
import { pageFrom, pageParams } from '../pagination';
import { HttpProblem, parseRequest, refuseFields } from '../problems';
import { reply, surveyPageView, surveyRunView, surveyView } from '../views';
import { updateIdOf } from './flowMessages';
import { recurringControls } from './recurring';
import { surveyScheduleId } from '../../workflows/surveyRun';

export const surveyIdParams = z.object({ id: z.uuid('must be a survey id (uuid)') });
export const surveyRunIdParams = z.object({ id: z.uuid('must be a survey run id (uuid)') });
export const listSurveysQuery = z.object({ status: z.enum(['active', 'paused', 'deleted']).optional(), ...pageParams() });
export const createSurveyBody = surveyRequest.safeExtend({ settings: flowSettingsOverrides.optional() });

const READERS = ['hr', 'hr_director', 'executive', 'admin'] as const;

/** Recurring surveys: HR defines them and their Schedule; each run asks, closes and shows results. */
export function surveyRoutes({ db, flows, flowDefaults }: ApiContext): Router {
  const router = Router();

  async function loadSurvey(req: Request) {
    const { id } = parseRequest(surveyIdParams, req.params, 'params');
    const survey = await db.survey.findUnique({ where: { id }, include: { runs: { orderBy: { runNo: 'desc' }, take: 12 } } });
    if (!survey || survey.status === 'deleted') throw new HttpProblem(404, 'Not found', `no survey ${id}`);
    return survey;
  }

  async function knownDepartments(ids: string[] | undefined) {
    if (!ids?.length) return;
    const found = await db.department.findMany({ where: { id: { in: ids } }, select: { id: true } });
    refuseFields(ids.flatMap((d, i) => (found.some((f) => f.id === d) ? [] : [{ field: `departmentIds.${i}`, reason: `no department ${d}` }])));
  }

  router.post('/', requireRole('hr'), async (req, res) => {
    const { settings, ...body } = parseRequest(createSurveyBody, req.body, 'body');
    await knownDepartments(body.departmentIds);
    const id = randomUUID();
    await db.survey.create({ data: { id, title: body.title, questions: body.questions, departmentIds: body.departmentIds, anonymous: body.anonymous, schedule: body.schedule, answerWithin: body.answerWithin, createdById: callerOf(req).id } });
    try {
      await flows.scheduleRecurring(surveyScheduleId(id), body.schedule, 'surveyRun', [{ surveyId: id, settings: withOverrides(flowDefaults, settings) }]);
    } catch (err) {
      // Without its Schedule the survey would never run: it is not kept.
      await db.survey.delete({ where: { id } });
      throw err;
    }
    res.location(`/api/v1/surveys/${id}`);
    reply(res, surveyView, await loadSurvey({ params: { id } } as unknown as Request), 201);
  });

  router.get('/', requireRole(...READERS), async (req, res) => {
    const q = parseRequest(listSurveysQuery, req.query, 'query');
    const where = { status: q.status ?? { not: 'deleted' } };
    reply(
      res,
      surveyPageView,
      await pageFrom(
        q,
        (window) => db.survey.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], include: { runs: { orderBy: { runNo: 'desc' }, take: 12 } }, ...window }),
        () => db.survey.count({ where }),
      ),
    );
  });

  router.get('/:id', requireRole(...READERS), async (req, res) => reply(res, surveyView, await loadSurvey(req)));

  /** Later runs ask what the survey says then; the Schedule follows a new schedule. */
  router.patch('/:id', requireRole('hr'), async (req, res) => {
    const survey = await loadSurvey(req);
    const change = parseRequest(surveyChange, req.body, 'body');
    await knownDepartments(change.departmentIds);
    if (change.schedule) await flows.changeRecurring(surveyScheduleId(survey.id), { when: change.schedule });
    await db.survey.update({ where: { id: survey.id }, data: change });
    reply(res, surveyView, await loadSurvey(req));
  });

  recurringControls(router, flows, {
    load: loadSurvey,
    scheduleIdOf: surveyScheduleId,
    setStatus: (id, status) => db.survey.update({ where: { id }, data: { status } }),
    runGoing: (survey) => survey.runs.filter((r) => r.status === 'open').map((r) => `run #${r.runNo}`)[0],
    answer: async (req, res) => reply(res, surveyView, await loadSurvey(req)),
  });

  return router;
}

/** A survey's runs: a participant answers; overseers read the results (never who answered what). */
export function surveyRunRoutes({ db, flows }: ApiContext): Router {
  const router = Router();

  async function loadRun(req: Request) {
    const { id } = parseRequest(surveyRunIdParams, req.params, 'params');
    const run = await db.surveyRun.findUnique({ where: { id } });
    if (!run) throw new HttpProblem(404, 'Not found', `no survey run ${id}`);
    const caller = callerOf(req);
    const asked = await db.surveyParticipant.findUnique({ where: { runId_employeeId: { runId: id, employeeId: caller.id } } });
    const overseer = hasRole(caller, ...READERS);
    if (!asked && !overseer) throw new HttpProblem(403, 'Forbidden', 'you are not asked in this survey');
    return { run, asked, overseer };
  }

  /** The run: its questions, whether the caller answered, and (for overseers) the results. */
  router.get('/:id', async (req, res) => {
    const { run, asked, overseer } = await loadRun(req);
    reply(res, surveyRunView, { ...run, results: overseer ? run.results : null, me: { asked: !!asked, answered: !!asked?.answered } });
  });

  /** The answers are filed as a ballot with no name on it; the run's flow counts it once it has
   *  checked that the caller is asked and has not answered. */
  router.post('/:id/answers', async (req, res) => {
    const { run, asked } = await loadRun(req);
    const { answers } = parseRequest(surveyAnswers, req.body, 'body');
    if (!asked) throw new HttpProblem(403, 'Forbidden', 'you are not asked in this survey');
    refuseFields(answerProblems(run.questions as unknown as SurveyQuestion[], answers));
    const ballotId = randomUUID();
    await db.surveyBallot.create({ data: { id: ballotId, runId: run.id, departmentId: asked.departmentId, answers } });
    const dropBallot = () => db.surveyBallot.deleteMany({ where: { id: ballotId } });
    let counted;
    try {
      counted = await flows.send(run.flowId, answerSurvey, { actorId: callerOf(req).id, ballotId }, updateIdOf(req, 'answer'));
    } catch (err) {
      // Refused, it is not kept; unanswered (503), the flow may still count it (the run's close sweeps it otherwise).
      if (!(err instanceof HttpProblem && err.status === 503)) await dropBallot();
      throw err;
    }
    // Counted, it is gone already; a retry answered from the first attempt leaves its own.
    await dropBallot();
    reply(res, z.object({ answered: z.int(), invited: z.int() }), counted);
  });

  router.post('/:id/actions', requireRole('hr'), async (req, res) => {
    const { run } = await loadRun(req);
    const body = parseRequest(surveyActionRequest, req.body, 'body');
    const owner = await db.employee.findFirst({ where: { status: 'active', OR: [{ id: body.ownerId }, { employeeNo: body.ownerId }] }, select: { id: true } });
    if (!owner) refuseFields([{ field: 'ownerId', reason: `no active employee has the id or number ${body.ownerId}` }]);
    res.json(await flows.send(run.flowId, assignSurveyAction, { ...body, ownerId: owner!.id, actorId: callerOf(req).id }, updateIdOf(req, 'action')));
  });

  return router;
}
