/**
 * One run of a recurring survey (DOMAIN.md §8), started by the survey's Temporal Schedule: the run
 * is recorded with what the survey asks now, everyone in its audience gets a task until it closes
 * (chased by policy), the results are computed with the trend, and HR reviews them and assigns
 * actions to owners, each chased until done. Answers reach the run as ballots with no name on them.
 */
import { setHandler, workflowInfo } from '@temporalio/workflow';
import type { FlowSettings } from '../domain/settings';
import { answerSurveyArgs, surveyActionArgs, type AnswerSurveyArgs, type SurveyActionArgs } from '../domain/surveys';
import { askUntil, refuse, TaskInbox, taskMaker } from './humanTask';
import { assignSurveyAction, answerSurvey, flowState } from './messages';
import { carried, records } from './records';
import { validArgs } from './refusals';

export interface SurveyRunInput {
  surveyId: string;
  settings: FlowSettings;
}

export const surveyScheduleId = (surveyId: string) => `survey:${surveyId}`;

export async function surveyRun({ surveyId, settings }: SurveyRunInput): Promise<'closed'> {
  const flowId = workflowInfo().workflowId;
  const inbox = new TaskInbox(settings);
  const answered = new Set<string>();
  const actions: Promise<unknown>[] = [];
  let status: 'open' | 'review' | 'actions' | 'closed' = 'open';

  const run = await records.openSurveyRun({ surveyId, flowId });
  const spec = taskMaker(settings.chasing, () => ({ payload: { surveyId, runId: run.runId } }));

  setHandler(flowState, () => ({ type: 'survey_run', status, step: status, openTasks: inbox.openTasks, details: { surveyId, runId: run.runId, answered: answered.size, invited: run.participantIds.length } }));

  // The ballot carries the answers; this message only who cast it, so that the flow can chase
  // whoever has not answered while nothing links a person to their answers.
  setHandler(
    answerSurvey,
    (args: AnswerSurveyArgs) =>
      inbox.answering(async () => {
        await records.countBallot({ runId: run.runId, ballotId: args.ballotId, participantId: args.actorId });
        answered.add(args.actorId);
        return { answered: answered.size, invited: run.participantIds.length };
      }, `answer/${args.actorId}`),
    {
      validator: (args) => {
        validArgs(answerSurveyArgs, args);
        if (!run.participantIds.includes(args.actorId)) refuse('not_your_task', 'you are not asked in this survey');
        if (answered.has(args.actorId)) refuse('already_decided', 'you have answered this survey');
        if (status !== 'open') refuse('wrong_state', 'this survey has closed');
        inbox.checkActor(`answer/${args.actorId}`, args.actorId, 'answering the survey');
      },
    },
  );

  setHandler(
    assignSurveyAction,
    (args: SurveyActionArgs) =>
      inbox.answering(() => {
        const n = actions.length + 1;
        const due = Date.parse(args.dueAt);
        actions.push(inbox.ask(spec(`action-${n}`, 'survey_action', `调研改进行动 Survey action: ${args.title}`, args.ownerId, { dueAt: due, payload: { surveyId, runId: run.runId, assignedById: args.actorId } })));
        return { actionNo: n };
      }),
    {
      validator: (args) => {
        validArgs(surveyActionArgs, args);
        if (status !== 'review' && status !== 'actions') refuse('wrong_state', 'actions are assigned once the survey has closed');
        if (args.actorId !== run.hrId) inbox.checkActor('review', args.actorId, 'assigning actions');
        if (Date.parse(args.dueAt) <= Date.now()) refuse('invalid_decision', 'dueAt: must be in the future');
      },
    },
  );

  await carried.openFlow({ flowId, type: 'survey_run', businessKey: run.runId, subject: run.title, startedById: run.hrId });
  await askUntil(Date.parse(run.closesAt), () =>
    Promise.all(
      run.participantIds.map((p) =>
        inbox.askForMessage({ ...spec(`answer/${p}`, 'survey_answer', `问卷调查 Survey: ${run.title}`, p, { dueAt: Date.parse(run.closesAt) }), completedBy: 'they answer the survey' }, () => (answered.has(p) ? p : undefined)),
      ),
    ),
  );
  status = 'review';
  await records.closeSurveyRun({ runId: run.runId });
  // HR reads the results and assigns actions meanwhile; the run ends once every action is done.
  await inbox.ask(spec('review', 'survey_review', `调研结果评审 Review the results: ${run.title}`, run.hrId));
  status = 'actions';
  // Actions may still be assigned while earlier ones are worked on.
  for (let seen = -1; seen !== actions.length; ) {
    seen = actions.length;
    await Promise.all(actions);
  }
  status = 'closed';
  await records.finishSurveyRun({ runId: run.runId, flowId });
  return 'closed';
}
