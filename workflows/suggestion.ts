/**
 * An employee's suggestion (意见反馈, DOMAIN.md §8): recorded with the department it concerns, whose
 * head gets a task to answer it within `answerWithin` (chased and escalated by policy); the answer
 * comes through its form, and the submitter is told. An anonymous suggestion's flow never learns
 * who sent it: its input names nobody, and the activity that tells the submitter looks them up.
 */
import { condition, setHandler, workflowInfo } from '@temporalio/workflow';
import { clockOf } from '../domain/chasing';
import type { FlowSettings } from '../domain/settings';
import { answerSuggestionArgs, suggestionSettingsOf, type AnswerSuggestionArgs, type SuggestionInput } from '../domain/suggestion';
import { FlowEnd } from './flowEnd';
import { TaskInbox } from './humanTask';
import { answerSuggestion, flowState, suggestionSubmitted } from './messages';
import { records } from './records';
import { refuse, validArgs } from './refusals';

export type SuggestionFlowInput = SuggestionInput & { settings: FlowSettings };

export async function suggestion({ settings, ...input }: SuggestionFlowInput): Promise<'answered' | 'cancelled'> {
  const flowId = workflowInfo().workflowId;
  const inbox = new TaskInbox(settings);
  let status: 'submitted' | 'open' | 'answered' = 'submitted';
  let answeredBy: string | undefined;

  setHandler(flowState, () => ({ type: 'suggestion', status, step: status, openTasks: inbox.openTasks, details: { suggestionId: input.suggestionId, departmentId: input.departmentId } }));

  // Answers the submission once the suggestion is on record.
  setHandler(suggestionSubmitted, async () => {
    await condition(() => status !== 'submitted');
    return { suggestionId: input.suggestionId, flowId };
  });

  setHandler(
    answerSuggestion,
    (args: AnswerSuggestionArgs) =>
      inbox.answering(async () => {
        await records.answerSuggestion({ ...args, suggestionId: input.suggestionId, flowId });
        answeredBy = args.actorId;
        status = 'answered';
        return { status };
      }, 'answer'),
    {
      validator: (args) => {
        validArgs(answerSuggestionArgs, args);
        if (answeredBy) refuse('already_decided', 'the suggestion has been answered');
        inbox.checkActor('answer', args.actorId, 'answering the suggestion');
      },
    },
  );

  return new FlowEnd().run(async () => {
    const policy = settings.chasing.suggestion_answer;
    // Due `answerWithin` after submission, on the policy's clock (working time by default).
    const dueAt = clockOf(policy, settings.workingTime).after(Date.now(), suggestionSettingsOf(settings).answerWithin);
    const { ownerId } = await records.recordSuggestion({ ...input, flowId, dueAt: new Date(dueAt).toISOString() });
    status = 'open';
    await inbox.askForMessage(
      {
        stepKey: 'answer',
        type: 'suggestion_answer',
        title: `意见反馈 Answer the suggestion: ${input.title}`,
        assigneeId: ownerId,
        outcomes: ['done'],
        policy,
        dueAt,
        payload: { suggestionId: input.suggestionId },
        completedBy: 'the suggestion is answered (POST /suggestions/:id/answer)',
      },
      () => answeredBy,
    );
    await records.finishSuggestion({ flowId });
    return 'answered' as const;
  });
}
