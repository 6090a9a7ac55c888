import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db, Prisma } from '../prisma/db';
import { durationMs } from '../domain/durations';
import { surveyResults, type SurveyAnswers, type SurveyQuestion, type SurveyResults } from '../domain/surveys';
import { appendAudit } from './audit';
import { changeAndNotify } from './notifications';

/** The writes of a survey's runs; each keyed by its run or ballot, so a retry writes nothing twice. */
export function surveyActivities(db: Db, log: Logger) {
  return {
    /** A run starts: what the survey asks now and whom (its departments' active people, or
     *  everyone), numbered after the last run. A retry finds the run it recorded. */
    async openSurveyRun({ surveyId, flowId }: { surveyId: string; flowId: string }): Promise<{ runId: string; title: string; closesAt: string; participantIds: string[]; hrId: string }> {
      return db.$transaction(async (tx) => {
        const known = await tx.surveyRun.findUnique({ where: { flowId } });
        const survey = await tx.survey.findUniqueOrThrow({ where: { id: surveyId } });
        if (known) {
          const asked = await tx.surveyParticipant.findMany({ where: { runId: known.id }, select: { employeeId: true } });
          return { runId: known.id, title: known.title, closesAt: known.closesAt.toISOString(), participantIds: asked.map((p) => p.employeeId), hrId: survey.createdById };
        }
        const people = await tx.employee.findMany({
          where: { status: 'active', ...(survey.departmentIds.length ? { departmentId: { in: survey.departmentIds } } : {}) },
          orderBy: { employeeNo: 'asc' },
          select: { id: true, departmentId: true },
        });
        const last = await tx.surveyRun.findFirst({ where: { surveyId }, orderBy: { runNo: 'desc' }, select: { runNo: true } });
        const runNo = (last?.runNo ?? 0) + 1;
        const opensAt = new Date();
        const run = await tx.surveyRun.create({
          data: {
            id: randomUUID(),
            surveyId,
            runNo,
            flowId,
            title: `${survey.title} #${runNo}`,
            questions: survey.questions as Prisma.InputJsonValue,
            anonymous: survey.anonymous,
            opensAt,
            closesAt: new Date(opensAt.getTime() + durationMs(survey.answerWithin)),
            invited: people.length,
          },
        });
        await tx.surveyParticipant.createMany({ data: people.map((p) => ({ runId: run.id, employeeId: p.id, departmentId: p.departmentId })) });
        await appendAudit(tx, { key: `${flowId}:run-opened`, action: 'survey.run_opened', flowId, payload: { surveyId, runNo, invited: people.length } });
        return { runId: run.id, title: run.title, closesAt: run.closesAt.toISOString(), participantIds: people.map((p) => p.id), hrId: survey.createdById };
      });
    },

    /** Counts a ballot: the participant is marked as having answered, and the ballot's answers move
     *  to the run's responses under a new id (with the respondent only when the survey is not
     *  anonymous); the ballot goes. Once counted, a retry finds no ballot and changes nothing. */
    async countBallot({ runId, ballotId, participantId }: { runId: string; ballotId: string; participantId: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        const ballot = await tx.surveyBallot.findUnique({ where: { id: ballotId } });
        if (!ballot) return;
        const run = await tx.surveyRun.findUniqueOrThrow({ where: { id: runId }, select: { anonymous: true, flowId: true } });
        const { count } = await tx.surveyParticipant.updateMany({ where: { runId, employeeId: participantId, answered: false }, data: { answered: true } });
        if (count === 1) {
          await tx.surveyResponse.create({ data: { id: randomUUID(), runId, departmentId: ballot.departmentId, respondentId: run.anonymous ? null : participantId, answers: ballot.answers as Prisma.InputJsonValue } });
          // Who took part is on the trail; never which answers were theirs.
          await appendAudit(tx, { key: `${runId}:answered:${participantId}`, action: 'survey.answered', flowId: run.flowId, actorId: participantId, payload: {} });
        }
        await tx.surveyBallot.delete({ where: { id: ballotId } });
      });
    },

    /** The run closes: its results by department, hidden where groups are small, with the trend
     *  against the previous run; HR is told. */
    async closeSurveyRun({ runId }: { runId: string }): Promise<void> {
      await changeAndNotify(db, log, async (tx, notify) => {
        const run = await tx.surveyRun.findUniqueOrThrow({ where: { id: runId }, include: { survey: true } });
        if (run.status === 'closed') return;
        const responses = await tx.surveyResponse.findMany({ where: { runId }, select: { departmentId: true, answers: true } });
        const previous = await tx.surveyRun.findFirst({ where: { surveyId: run.surveyId, runNo: { lt: run.runNo }, status: 'closed' }, orderBy: { runNo: 'desc' }, select: { results: true } });
        const results = surveyResults(
          run.questions as unknown as SurveyQuestion[],
          responses.map((r) => ({ departmentId: r.departmentId, answers: r.answers as SurveyAnswers })),
          run.invited,
          run.anonymous,
          previous?.results as SurveyResults | null | undefined,
        );
        await tx.surveyRun.update({ where: { id: runId }, data: { status: 'closed', results: results as unknown as Prisma.InputJsonValue } });
        await tx.surveyBallot.deleteMany({ where: { runId } });
        const key = `${run.flowId}:closed`;
        await appendAudit(tx, { key, action: 'survey.run_closed', flowId: run.flowId, payload: { invited: run.invited, responses: results.responses } });
        notify({ key, recipientId: run.survey.createdById, template: 'survey_closed', params: { title: run.title, responses: String(results.responses), invited: String(run.invited) }, flowId: run.flowId });
      });
    },

    /** Every action of the run is done: the run's flow is complete. */
    async finishSurveyRun({ runId, flowId }: { runId: string; flowId: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        await tx.flow.updateMany({ where: { id: flowId, status: 'running' }, data: { status: 'completed', currentStep: null, closedAt: new Date() } });
        await appendAudit(tx, { key: `${flowId}:finished`, action: 'survey.run_finished', flowId, payload: { runId } });
      });
    },
  };
}
