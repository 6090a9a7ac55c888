/**
 * Retention (留任, DOMAIN.md §7): opened when an employee's risk rises to high. Their manager holds a
 * stay interview within a few working days and records the causes and the actions agreed (each with
 * an owner and a due date); HR reviews it; `actionCheckAfter` later each action's owner says whether
 * it was done. Every step is a task chased by policy. It closes once every action is checked, when a
 * recompute finds the level fallen below high, or when HR closes it with a reason.
 */
import { CancellationScope, condition, isCancellation, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import { clockOf } from '../domain/chasing';
import { durationMs } from '../domain/durations';
import {
  actionCheckArgs,
  actionCheckStep,
  HR_REVIEW_STEP,
  retentionCloseArgs,
  retentionReviewArgs,
  retentionSettingsOf,
  STAY_INTERVIEW_STEP,
  stayInterviewArgs,
  type RetentionEnd,
  type RetentionPeople,
  type StayInterviewArgs,
} from '../domain/risk';
import type { FlowSettings } from '../domain/settings';
import { heldOnProblem } from '../domain/teamRebuilding';
import { FlowEnd } from './flowEnd';
import { TaskInbox } from './humanTask';
import { checkRetentionAction, closeRetention, flowState, recordStayInterview, reviewRetention, riskLevelFell } from './messages';
import { records } from './records';
import { refuse, validArgs } from './refusals';

export interface RetentionInput {
  employeeId: string;
  caseNo: number;
  settings: FlowSettings;
}

export async function retention({ employeeId, caseNo, settings }: RetentionInput): Promise<RetentionEnd | 'cancelled'> {
  const flowId = workflowInfo().workflowId;
  const inbox = new TaskInbox(settings);
  const within = retentionSettingsOf(settings);
  let people: RetentionPeople | undefined;
  let stage = 'opening';
  let interview: StayInterviewArgs | undefined;
  let reviewedBy: string | undefined;
  /** Who checked each action, by its number. */
  const checked = new Map<number, string>();
  let ending: { how: RetentionEnd; reason?: string; actorId?: string } | undefined;
  let closed = false;
  const open = () => !ending && !closed;

  setHandler(flowState, () => ({
    type: 'retention',
    status: closed ? 'closed' : 'open',
    step: stage,
    openTasks: inbox.openTasks,
    details: { employeeId, caseNo, managerId: people?.managerId, hrId: people?.hrId, actions: interview?.actions.length ?? 0, checked: [...checked.keys()] },
  }));

  setHandler(riskLevelFell, ({ level }) => {
    if (open()) ending = { how: 'level_fell', reason: `the risk level fell to ${level}` };
  });

  setHandler(
    closeRetention,
    async (args) => {
      ending = { how: 'closed_by_hr', reason: args.reason, actorId: args.actorId };
      await condition(() => closed);
      return { status: 'closed_by_hr' as const };
    },
    {
      validator: (args) => {
        validArgs(retentionCloseArgs, args);
        if (!open()) refuse('wrong_state', 'this retention flow is already closing');
      },
    },
  );

  setHandler(
    recordStayInterview,
    (args) =>
      inbox.answering(async () => {
        await records.recordStayInterview({ ...args, flowId, onBehalfOfId: inbox.actsFor(STAY_INTERVIEW_STEP, args.actorId) });
        interview = args;
        return { actions: args.actions.length };
      }, STAY_INTERVIEW_STEP),
    {
      validator: (args) => {
        validArgs(stayInterviewArgs, args);
        if (!open()) refuse('wrong_state', 'this retention flow is closing');
        const problem = heldOnProblem(args.heldOn, Date.now());
        if (problem) refuse('invalid_decision', problem);
        inbox.checkActor(STAY_INTERVIEW_STEP, args.actorId, 'recording the stay interview');
      },
    },
  );

  setHandler(
    reviewRetention,
    (args) =>
      inbox.answering(async () => {
        await records.recordRetentionReview({ ...args, flowId, onBehalfOfId: inbox.actsFor(HR_REVIEW_STEP, args.actorId) });
        reviewedBy = args.actorId;
        return { stage: 'action_wait' };
      }, HR_REVIEW_STEP),
    {
      validator: (args) => {
        validArgs(retentionReviewArgs, args);
        if (!open()) refuse('wrong_state', 'this retention flow is closing');
        inbox.checkActor(HR_REVIEW_STEP, args.actorId, 'reviewing the stay interview');
      },
    },
  );

  setHandler(
    checkRetentionAction,
    (args) =>
      inbox.answering(async () => {
        const step = actionCheckStep(args.actionNo);
        await records.recordActionCheck({ ...args, flowId, onBehalfOfId: inbox.actsFor(step, args.actorId) });
        checked.set(args.actionNo, args.actorId);
        return { actionNo: args.actionNo, remaining: (interview?.actions.length ?? 0) - checked.size };
      }, actionCheckStep(args.actionNo)),
    {
      validator: (args) => {
        validArgs(actionCheckArgs, args);
        if (!open()) refuse('wrong_state', 'this retention flow is closing');
        if (interview && args.actionNo > interview.actions.length) refuse('invalid_decision', `actionNo: the interview agreed ${interview.actions.length} action(s)`);
        if (checked.has(args.actionNo)) refuse('already_decided', 'this action has been checked');
        inbox.checkActor(actionCheckStep(args.actionNo), args.actorId, 'checking this action');
      },
    },
  );

  const moveTo = async (next: string) => {
    stage = next;
    await records.retentionStage({ flowId, stage: next });
  };

  return new FlowEnd().run(async () => {
    people = await records.openRetention({ flowId, employeeId, caseNo });
    const { employeeName, managerId, hrId } = people;
    stage = 'stay_interview';
    const steps = new CancellationScope();
    const story = steps.run(async () => {
      const policy = settings.chasing.retention_stay_interview;
      await inbox.askForMessage(
        {
          stepKey: STAY_INTERVIEW_STEP,
          type: 'retention_stay_interview',
          title: `留任面谈 Stay interview with ${employeeName}`,
          assigneeId: managerId,
          outcomes: ['done'],
          policy,
          dueAt: clockOf(policy, settings.workingTime).after(Date.now(), within.stayInterviewWithin),
          payload: { employeeId, caseNo },
          completedBy: 'the stay interview is recorded (POST /retention-flows/:flowId/stay-interview)',
        },
        () => (interview ? interview.actorId : undefined),
      );
      stage = 'hr_review';
      const reviewPolicy = settings.chasing.retention_hr_review;
      await inbox.askForMessage(
        {
          stepKey: HR_REVIEW_STEP,
          type: 'retention_hr_review',
          title: `审阅留任面谈 Review the stay interview with ${employeeName}`,
          assigneeId: hrId,
          outcomes: ['done'],
          policy: reviewPolicy,
          dueAt: clockOf(reviewPolicy, settings.workingTime).after(Date.now(), within.reviewWithin),
          payload: { employeeId, caseNo },
          completedBy: 'HR records the review (POST /retention-flows/:flowId/review)',
        },
        () => reviewedBy,
      );
      stage = 'action_wait';
      // One durable timer until the check; the flow closes early if it is ended meanwhile.
      await sleep(durationMs(within.actionCheckAfter));
      await moveTo('action_check');
      await Promise.all(
        interview!.actions.map((action, i) =>
          inbox.askForMessage(
            {
              stepKey: actionCheckStep(i + 1),
              type: 'retention_action_check',
              title: `留任措施检查 Was it done? ${action.what}`,
              assigneeId: action.ownerId,
              outcomes: ['done'],
              policy: settings.chasing.retention_action_check,
              payload: { employeeId, caseNo, actionNo: i + 1 },
              completedBy: 'its owner records the check (POST /retention-flows/:flowId/action-checks)',
            },
            () => checked.get(i + 1),
          ),
        ),
      );
    });
    const finished = await Promise.race([story.then(() => true), condition(() => ending !== undefined).then(() => false)]);
    if (!finished) {
      steps.cancel();
      await story.catch((err: unknown) => {
        if (!isCancellation(err)) throw err;
      });
    }
    const end = ending ?? { how: 'actions_checked' as const };
    await records.closeRetention({ flowId, employeeId, ...end });
    stage = 'closed';
    closed = true;
    return end.how;
  });
}
