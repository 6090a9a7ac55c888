/**
 * Training-plan drafting and approval (DOMAIN.md §2): the drafter submits, the chain
 * department head → HR director → executive (above the budget threshold) countersigns level by
 * level; request_changes sends the plan back for a new version and the chain starts again.
 */
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  isCancellation,
  ParentClosePolicy,
  patched,
  setHandler,
  startChild,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { FlowSettings } from '../domain/settings';
import { sessionOfPlan } from '../domain/trainingSession';
import type { TaskResult } from '../domain/tasks';
import {
  approvalChainFor,
  submitPlanArgs,
  withdrawPlanArgs,
  type PlanContent,
  type PlanStatus,
  type SubmitPlanArgs,
  type WithdrawPlanArgs,
} from '../domain/trainingPlan';
import { FlowEnd } from './flowEnd';
import { carried, records } from './records';
import { StallGuard } from './stalls';
import { refuse, TaskInbox } from './humanTask';
import { flowState, submitPlan, withdrawPlan } from './messages';
import { trainingSession, trainingSessionFlowId, type TrainingSessionInput } from './trainingSession';


export interface TrainingPlanFlowInput {
  planId: string;
  departmentId: string;
  drafterId: string;
  title: string;
  settings: FlowSettings;
}

export const trainingPlanFlowId = (planId: string) => `training-plan:${planId}`;

const WITHDRAWN = Symbol('withdrawn');

export async function trainingPlanApproval(input: TrainingPlanFlowInput): Promise<PlanStatus | 'cancelled'> {
  const { planId, drafterId, settings } = input;
  const flowId = workflowInfo().workflowId;
  const inbox = new TaskInbox(settings);
  const stalls = new StallGuard({ type: 'training_plan', businessKey: planId, subject: input.title, startedById: drafterId });

  let status: PlanStatus = 'draft';
  let title = input.title;
  let version = 0;
  let round = 0;
  let step = 'awaiting submission';
  let submission: SubmitPlanArgs | undefined;
  let withdrawal: WithdrawPlanArgs | undefined;
  let stage: CancellationScope | undefined;

  setHandler(flowState, () => ({ type: 'training_plan', status: stalls.reason ? 'stalled' : status, step: stalls.reason ?? step, openTasks: inbox.openTasks, details: { planId, version, round } }));

  const FINAL: PlanStatus[] = ['approved', 'rejected', 'withdrawn'];
  const closed = () => FINAL.includes(status);

  setHandler(
    submitPlan,
    (args) =>
      inbox.answering(async () => {
        submission = args;
        const expected = version + 1;
        // A withdrawal or a final decision may overtake the submission: then it is refused, not left waiting.
        await condition(() => version >= expected || closed());
        if (version < expected) refuse('wrong_state', `the plan was ${status} before this submission was recorded`);
        return { flowId, version: expected };
      }),
    {
      validator: (args) => {
        const parsed = submitPlanArgs.safeParse(args);
        if (!parsed.success) refuse('invalid_decision', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
        if (args.actorId !== drafterId) refuse('not_allowed', 'only the drafter may submit this plan');
        if (withdrawal) refuse('wrong_state', 'the plan is being withdrawn');
        if (submission || (status !== 'draft' && status !== 'changes_requested')) {
          refuse('wrong_state', `the plan is ${status}; it can be submitted as a draft or after changes were requested`);
        }
      },
    },
  );

  setHandler(
    withdrawPlan,
    async (args) => {
      withdrawal = args;
      stage?.cancel();
      // The last approval may already be on record when the withdrawal arrives: then it is refused.
      await condition(closed);
      if (status !== 'withdrawn') refuse('wrong_state', `the plan was ${status} before the withdrawal took effect`);
      return { status };
    },
    {
      validator: (args) => {
        if (!withdrawPlanArgs.safeParse(args).success) refuse('invalid_decision', 'malformed withdrawal');
        if (args.actorId !== drafterId) refuse('not_allowed', 'only the drafter may withdraw this plan');
        if (withdrawal || (status !== 'in_approval' && status !== 'changes_requested')) {
          refuse('wrong_state', `the plan is ${status}; it can be withdrawn only before its final approval`);
        }
      },
    },
  );

  /** Runs one stage of the flow so that a withdrawal cancels it, whatever it is waiting for. */
  async function unlessWithdrawn<T>(work: () => Promise<T>): Promise<T | typeof WITHDRAWN> {
    if (withdrawal) return WITHDRAWN;
    stage = new CancellationScope();
    try {
      return await stage.run(work);
    } catch (err) {
      if (withdrawal && isCancellation(err)) return WITHDRAWN;
      throw err;
    } finally {
      stage = undefined;
    }
  }

  async function recordSubmission(): Promise<PlanContent> {
    const s = submission!;
    await carried.recordPlanSubmission({ flowId, planId, version: version + 1, title: s.title, content: s.content, submittedById: s.actorId });
    title = s.title;
    version += 1;
    submission = undefined;
    status = 'in_approval';
    return s.content;
  }

  /** One pass through the chain, level by level (a level sent back to decides again, and the
   *  levels after it); resolves with the deciding result, or undefined when all approved. */
  function approvalRound(plan: PlanContent): Promise<TaskResult | undefined> {
    const levels = approvalChainFor(plan, settings.executiveThresholdFen).map((level) => ({
      key: level,
      asks: async (pass: number) => {
        step = `${level} approval`;
        const approvers = await stalls.resolving(() => records.approversFor({ level, departmentId: input.departmentId }));
        return approvers.map((approverId) => ({
          stepKey: pass ? `round-${round}/back-${pass}/${level}/${approverId}` : `round-${round}/${level}/${approverId}`,
          type: 'plan_approval' as const,
          title: `审批培训计划 Approve training plan: ${title} (v${version})`,
          assigneeId: approverId,
          outcomes: ['approve' as const, 'reject' as const, 'request_changes' as const],
          policy: settings.chasing.plan_approval,
          payload: { planId, version, round, level },
          mayNotHold: { ids: [drafterId], why: 'they drafted this plan' },
        }));
      },
    }));
    return inbox.askInTurn(levels, (level, verdict) => {
      const results = verdict.results.map((r) => ({ ...r, approverId: r.onBehalfOfId ?? r.decidedById }));
      return carried.recordPlanDecisions({ planId, version, round, level, results });
    });
  }

  /** The drafter revises: a task in their inbox, completed by their resubmission. */
  async function awaitRevision(): Promise<PlanContent> {
    step = 'revision by the drafter';
    await inbox.askForMessage(
      {
        stepKey: `round-${round}/revision`,
        type: 'plan_revision',
        title: `修改培训计划 Revise training plan: ${title}`,
        assigneeId: drafterId,
        outcomes: ['done'],
        policy: settings.chasing.plan_revision,
        payload: { planId, version, round },
        completedBy: 'the drafter resubmits the revised plan',
      },
      () => submission?.actorId,
    );
    return recordSubmission();
  }

  /** Each of the approved plan's sessions still ahead gets its own flow, started once (its id is
   *  the plan's and the session's number) and living on after this one closes. */
  function sessionsAhead(plan: PlanContent): TrainingSessionInput[] {
    return plan.sessions.flatMap((session, i) =>
      Date.parse(session.endsAt) <= Date.now()
        ? []
        : [{
            ...sessionOfPlan(
              { id: planId, title, content: plan, hrId: drafterId },
              { ...session, sessionId: uuid4(), sessionNo: i + 1, trainerId: session.trainerId ?? plan.resources.trainers.find((t) => t.employeeId)?.employeeId },
            ),
            settings,
          }],
    );
  }

  /** Runs from before the approval's activity started the sessions started them as children. */
  async function startSessionsAsChildren(plan: PlanContent): Promise<void> {
    for (const session of sessionsAhead(plan)) {
      await startChild(trainingSession, { workflowId: trainingSessionFlowId(planId, session.sessionNo), parentClosePolicy: ParentClosePolicy.ABANDON, args: [session] });
    }
  }

  async function finish(final: 'approved' | 'rejected' | 'withdrawn', by?: TaskResult | WithdrawPlanArgs, sessions?: TrainingSessionInput[]): Promise<PlanStatus> {
    const decidedBy =
      by && 'decidedById' in by
        ? { actorId: by.decidedById, onBehalfOfId: by.onBehalfOfId, comment: by.comment }
        : { actorId: by?.actorId, comment: by?.reason };
    await records.recordPlanOutcome({ flowId, planId, version, status: final, ...decidedBy, sessions });
    status = final;
    step = final;
    await condition(allHandlersFinished);
    return final;
  }

  // The drafter ends a plan's approval by withdrawing it; only an operator cancels it.
  const flowEnd = new FlowEnd();
  return flowEnd.run(async () => {
    await carried.openFlow({ flowId, type: 'training_plan', businessKey: planId, subject: title, startedById: drafterId });
    await condition(() => submission !== undefined);
    let plan = await recordSubmission();

    for (round = 1; ; round++) {
      const dissent = await unlessWithdrawn(() => approvalRound(plan));
      if (dissent === WITHDRAWN) return finish('withdrawn', withdrawal);
      if (!dissent) {
        // The approval's own activity starts the sessions' flows: none of them weighs on this history.
        const sessions = patched('sessions-by-activity') ? sessionsAhead(plan) : undefined;
        const approved = await finish('approved', undefined, sessions);
        if (!sessions && patched('sessions-from-plans')) await startSessionsAsChildren(plan);
        return approved;
      }
      if (dissent.outcome === 'reject') return finish('rejected', dissent);

      await records.recordPlanOutcome({ flowId, planId, version, status: 'changes_requested', actorId: dissent.decidedById, onBehalfOfId: dissent.onBehalfOfId, comment: dissent.comment });
      status = 'changes_requested';
      const revised = await unlessWithdrawn(awaitRevision);
      if (revised === WITHDRAWN) return finish('withdrawn', withdrawal);
      plan = revised;
    }
  });
}
