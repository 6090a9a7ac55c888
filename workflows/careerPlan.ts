/**
 * An employee's career plan (职业规划, DOMAIN.md §8): one flow per employee for as long as they stay.
 * The employee, their manager or HR revises the plan at any time; on the review date the reviewer
 * (their manager) gets a task for the yearly talk, chased like any task, and records it with the
 * plan as it stands afterwards. A run whose history has grown long continues as a new one when the
 * next review falls due: long after the last one, so a retried review still finds the run that took it.
 */
import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  careerPlanReviewArgs,
  careerPlanSettingsOf,
  monthsAfter,
  reviewTimeProblem,
  reviseCareerPlanArgs,
  type CareerPlanContent,
  type ReviseCareerPlanArgs,
} from '../domain/careerPlan';
import type { FlowSettings } from '../domain/settings';
import { FlowEnd } from './flowEnd';
import { TaskInbox } from './humanTask';
import { flowState, reviewCareerPlan, reviseCareerPlan } from './messages';
import { nothingCarried, records } from './records';
import { refuse, validArgs } from './refusals';

/** What one year's run hands the next. */
interface CarriedPlan {
  revision: number;
  nextReviewAt: number;
  reviews: number;
}

export interface CareerPlanFlowInput {
  employeeId: string;
  settings: FlowSettings;
  carried?: CarriedPlan;
}

const contentOf = ({ goals, targetRole, wantedSkills, trainingWanted }: CareerPlanContent): CareerPlanContent => ({ goals, targetRole, wantedSkills, trainingWanted });

export async function careerPlan({ employeeId, settings, carried }: CareerPlanFlowInput): Promise<'left' | 'cancelled'> {
  const flowId = workflowInfo().workflowId;
  const inbox = new TaskInbox(settings);
  const { reviewEveryMonths, historyLimit } = careerPlanSettingsOf(settings);
  let revision = carried?.revision ?? 0;
  let nextReviewAt = carried?.nextReviewAt ?? 0;
  let reviews = carried?.reviews ?? 0;
  let reviewedBy: string | undefined;
  /** Whether this run has taken a revision or a review (a new run goes straight to the review). */
  let changedInRun = false;
  const reviewStep = () => `review-${reviews + 1}`;

  setHandler(flowState, () => ({
    type: 'career_plan',
    status: inbox.openTasks.length ? 'review' : 'kept',
    step: inbox.openTasks.length ? reviewStep() : 'kept',
    openTasks: inbox.openTasks,
    details: { employeeId, revision, nextReviewAt: nextReviewAt ? new Date(nextReviewAt).toISOString() : null, reviews },
  }));

  // A revision is taken over the one its writer saw, never over a newer one: the second of two
  // people saving at once is refused and reloads.
  setHandler(
    reviseCareerPlan,
    async (args: ReviseCareerPlanArgs) => {
      changedInRun = true;
      revision += 1;
      const written = revision;
      if (args.nextReviewAt) nextReviewAt = Date.parse(args.nextReviewAt);
      else if (written === 1) nextReviewAt = monthsAfter(Date.now(), reviewEveryMonths);
      const at = new Date(nextReviewAt).toISOString();
      await records.reviseCareerPlan({ flowId, employeeId, revision: written, content: contentOf(args), actorId: args.actorId, nextReviewAt: at });
      return { revision: written, nextReviewAt: at };
    },
    {
      validator: (args) => {
        validArgs(reviseCareerPlanArgs, args);
        if (args.revision !== revision) refuse('wrong_state', `the plan is at revision ${revision} now, not ${args.revision}: reload it and make your change again`);
        const late = args.nextReviewAt && reviewTimeProblem(args.nextReviewAt, Date.now());
        if (late) refuse('invalid_action', `nextReviewAt ${late}`);
      },
    },
  );

  setHandler(
    reviewCareerPlan,
    (args) => {
      const step = reviewStep();
      return inbox.answering(async () => {
        changedInRun = true;
        reviewedBy = args.actorId;
        reviews += 1;
        if (args.plan) revision += 1;
        nextReviewAt = monthsAfter(Date.now(), reviewEveryMonths);
        const at = new Date(nextReviewAt).toISOString();
        const plan = args.plan && { flowId, employeeId, revision, content: contentOf(args.plan), actorId: args.actorId, nextReviewAt: at };
        await records.recordCareerPlanReview({ flowId, employeeId, reviewNo: reviews, reviewerId: args.actorId, comment: args.comment, plan, revision, nextReviewAt: at });
        return { reviewNo: reviews, revision, nextReviewAt: at };
      }, step);
    },
    {
      validator: (args) => {
        validArgs(careerPlanReviewArgs, args);
        inbox.checkActor(reviewStep(), args.actorId, 'a review of the career plan');
      },
    },
  );

  /** Until the review is due; a revision that moves the date starts the wait again. */
  async function untilReviewDue(): Promise<void> {
    for (;;) {
      const due = nextReviewAt;
      if (!(await condition(() => nextReviewAt !== due, Math.max(1, due - Date.now())))) return;
    }
  }

  /** The yearly talk, with whoever reviews the employee's plan now; false once they have left. */
  async function yearlyReview(): Promise<boolean> {
    const { reviewerId, employeeName } = await records.careerPlanReviewer({ employeeId });
    if (!reviewerId) return false;
    reviewedBy = undefined;
    await inbox.askForMessage(
      {
        stepKey: reviewStep(),
        type: 'career_plan_review',
        title: `职业规划年度回顾 Yearly career talk: ${employeeName}`,
        assigneeId: reviewerId,
        outcomes: ['done'],
        policy: settings.chasing.career_plan_review,
        payload: { employeeId },
        // The employee is the subject of the talk, not its reviewer.
        mayNotHold: { ids: [employeeId], why: 'an employee does not review their own career plan' },
        completedBy: 'the review is recorded (POST /employees/:id/career-plan/review)',
      },
      () => reviewedBy,
    );
    return true;
  }

  return new FlowEnd().run(async () => {
    // The first run starts with the first revision, which sets the review date.
    await condition(() => revision > 0);
    for (;;) {
      await untilReviewDue();
      if (changedInRun && workflowInfo().historyLength > historyLimit) {
        await condition(() => allHandlersFinished() && nothingCarried());
        await continueAsNew<typeof careerPlan>({ employeeId, settings, carried: { revision, nextReviewAt, reviews } });
      }
      if (!(await yearlyReview())) {
        // The employee has left: their plan ends with them.
        await records.endCareerPlan({ flowId });
        return 'left' as const;
      }
    }
  });
}
