import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure, type SignalDefinition, type UpdateDefinition } from '@temporalio/common';
import { createHash } from 'node:crypto';
import { refusalReasons, type DecideTaskArgs, type TransferTaskArgs } from '../domain/tasks';
import type { SubmitPlanArgs, WithdrawPlanArgs } from '../domain/trainingPlan';
import { decideTask, delegationStarted, reviseCareerPlan, suggestionSubmitted, vacancyOpened, transferTask, flowState, handoverStarted, needsCycleStarted, resumeFlow, sessionStarted, submitPlan, withdrawPlan, type FlowLiveState } from '../workflows/messages';
import { trainingSessionFlowId, type TrainingSessionInput } from '../workflows/trainingSession';
import { handoverFlowId, type HandoverInput } from '../workflows/resignationHandover';
import type { NeedsCycleInput } from '../workflows/needsAnalysisCycle';
import { needsFlowId } from '../domain/needsCycle';
import { trainingPlanFlowId, type TrainingPlanFlowInput } from '../workflows/trainingPlan';
import { delegationFlowId } from '../workflows/delegation';
import { scheduleSpecOf, type Recurrence } from '../domain/recurrence';
import type { DelegationInput } from '../domain/delegation';
import { suggestionFlowId } from '../domain/suggestion';
import type { SuggestionFlowInput } from '../workflows/suggestion';
import { careerPlanFlowId, type ReviseCareerPlanArgs } from '../domain/careerPlan';
import type { CareerPlanFlowInput } from '../workflows/careerPlan';
import { promotionFlowId } from '../domain/promotion';
import type { PromotionFlowInput } from '../workflows/promotion';
import { reservePoolFlowId } from '../domain/reservePool';
import type { ReservePoolInput } from '../workflows/reservePool';
import type { PoolChange } from '../workflows/messages';
import type { RiskIntake } from '../domain/risk';
import type { FlowSettings } from '../domain/settings';
import type { riskIntake } from '../workflows/riskIntake';
import { onboardingFlowId } from '../domain/onboarding';
import type { OnboardingFlowInput } from '../workflows/onboarding';
import { onboardingStarted, staffingAdjustmentStarted } from '../workflows/messages';
import { staffingAdjustmentFlowId } from '../domain/staffingAdjustment';
import type { StaffingAdjustmentFlowInput } from '../workflows/staffingAdjustment';
import { HttpProblem, unavailable } from './problems';

/** A name-based UUID (version 5 layout): the same business key always gives the same id, so a
 *  repeated start finds the same flow. */
export function idFor(...key: string[]): string {
  const h = createHash('sha1').update(['baton', ...key].join(':')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The API's only way to change a flow: start it, or send it an Update (validated by the workflow). */
export class FlowGateway {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  /** Starts the plan's flow if needed and submits the plan to it, atomically (update-with-start).
   *  The update id (the version this submission creates, the draft's revision) makes a retried
   *  request land once, while a resubmission after a request for changes, edited or not, is new. */
  submitPlan(input: TrainingPlanFlowInput, args: SubmitPlanArgs, version: number) {
    const start = new WithStartWorkflowOperation('trainingPlanApproval', {
      workflowId: trainingPlanFlowId(input.planId),
      taskQueue: this.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    return this.answer(() =>
      this.client.workflow.executeUpdateWithStart(submitPlan, { args: [args], updateId: `submit:v${version}:r${args.draftRevision}`, startWorkflowOperation: start }),
    );
  }

  /** A career plan's revision, starting the employee's plan flow the first time. The same writer
   *  sending the same plan over the same revision is one update (`updateId`). */
  reviseCareerPlan(input: CareerPlanFlowInput, args: ReviseCareerPlanArgs, updateId: string) {
    const start = new WithStartWorkflowOperation('careerPlan', {
      workflowId: careerPlanFlowId(input.employeeId),
      taskQueue: this.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    });
    return this.answer(() => this.client.workflow.executeUpdateWithStart(reviseCareerPlan, { args: [args], updateId, startWorkflowOperation: start }));
  }

  /** A change to a key position's reserve pool, starting the pool's flow the first time; the same
   *  `updateId` (the client's Idempotency-Key) lands once. */
  changePool<A>(input: ReservePoolInput, update: UpdateDefinition<PoolChange, [A]>, args: A, updateId: string) {
    const start = new WithStartWorkflowOperation('reservePool', {
      workflowId: reservePoolFlowId(input.position),
      taskQueue: this.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    });
    return this.answer(() => this.client.workflow.executeUpdateWithStart(update, { args: [args], updateId, startWorkflowOperation: start }));
  }

  withdrawPlan(planId: string, args: WithdrawPlanArgs) {
    return this.send(trainingPlanFlowId(planId), withdrawPlan, args, `withdraw:${args.actorId}`);
  }

  /** Delivers a decision; the same person repeating the same decision is one update. */
  decide(flowId: string, args: DecideTaskArgs) {
    return this.send(flowId, decideTask, args, `decide:${args.taskId}:${args.actorId}:${args.decision}`);
  }

  /** 转交; with an update id (from the client's Idempotency-Key) a repeat is answered, not applied again. */
  transfer(flowId: string, args: TransferTaskArgs, updateId?: string) {
    return this.send(flowId, transferTask, args, updateId);
  }

  /** Starts a resignation's handover flow, or finds the one already started for it; answers once
   *  the resignation is on record. */
  startHandover(input: HandoverInput) {
    return this.startOnce('resignationHandover', handoverFlowId(input.employeeId, input.resignationId), input, handoverStarted);
  }

  /** Starts a needs cycle's flow, or finds the one started with this id, running or finished (a
   *  business key never starts a second run); answers once the cycle is on record. */
  async startNeedsCycle(input: NeedsCycleInput) {
    const flowId = needsFlowId(input.cycleId);
    try {
      return await this.startOnce('needsAnalysisCycle', flowId, input, needsCycleStarted);
    } catch (err) {
      // Its run has finished: the cycle has long been on record.
      if (err instanceof WorkflowExecutionAlreadyStartedError) return { cycleId: input.cycleId, flowId };
      throw err;
    }
  }

  /** Starts a repeat session's flow; answers once the session is on record. A session number
   *  already taken (two added at once) is refused with 409. */
  startSession(input: TrainingSessionInput) {
    const start = new WithStartWorkflowOperation('trainingSession', {
      workflowId: trainingSessionFlowId(input.planId, input.sessionNo),
      taskQueue: this.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    return this.answer(() => this.client.workflow.executeUpdateWithStart(sessionStarted, { args: [], updateId: 'started', startWorkflowOperation: start }));
  }

  /** Starts a delegation's flow; answers once the period is on record, or refused (409) when it
   *  overlaps another. The same id (from an Idempotency-Key) gets the first answer. */
  startDelegation(input: DelegationInput) {
    return this.startOnce('delegationPeriod', delegationFlowId(input.delegationId), input, delegationStarted);
  }

  /** Starts a suggestion's flow; answers once the suggestion is on record. The same id (from an
   *  Idempotency-Key) finds the flow it started, running or finished, and starts nothing. */
  startSuggestion(input: SuggestionFlowInput) {
    const flowId = suggestionFlowId(input.suggestionId);
    return this.startOnce('suggestion', flowId, input, suggestionSubmitted, { suggestionId: input.suggestionId, flowId });
  }

  /** Starts a vacancy's flow; answers once the vacancy is on record. The same id (from an
   *  Idempotency-Key) finds the flow it started, running or finished, and starts nothing. */
  startPromotion(input: PromotionFlowInput) {
    const flowId = promotionFlowId(input.vacancyId);
    return this.startOnce('promotion', flowId, input, vacancyOpened, { vacancyId: input.vacancyId, flowId });
  }

  /** A recurring procedure's Schedule: it starts `workflowType` with `args` at each time the
   *  recurrence gives; a run still going when the next is due makes the next one skip
   *  (overlapping runs refused), and one missed while Temporal was down runs within a day. */
  async scheduleRecurring(scheduleId: string, when: Recurrence, workflowType: string, args: unknown[]): Promise<void> {
    await this.answer(() =>
      this.client.schedule.create({
        scheduleId,
        spec: scheduleSpecOf(when),
        action: { type: 'startWorkflow', workflowType, workflowId: `${scheduleId}:run`, taskQueue: this.taskQueue, args },
        policies: { overlap: 'SKIP', catchupWindow: '1 day' },
      }),
    );
  }

  /** A deployment-wide Schedule kept at `when`: created the first time, its recurrence changed after. */
  async keepRecurring(scheduleId: string, when: Recurrence, workflowType: string, args: unknown[]): Promise<void> {
    try {
      await this.scheduleRecurring(scheduleId, when, workflowType, args);
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await this.changeRecurring(scheduleId, { when });
    }
  }

  async hasSchedule(scheduleId: string): Promise<boolean> {
    return this.answer(() =>
      this.client.schedule
        .getHandle(scheduleId)
        .describe()
        .then(() => true, (err: unknown) => (err instanceof ScheduleNotFoundError ? false : Promise.reject(err))),
    );
  }

  /** A Schedule's recurrence changed, paused, resumed, run now or removed. */
  changeRecurring(scheduleId: string, change: { when?: Recurrence; pause?: boolean; runNow?: boolean; remove?: boolean }) {
    const handle = this.client.schedule.getHandle(scheduleId);
    return this.answer(async () => {
      if (change.remove) return handle.delete();
      if (change.when) await handle.update((previous) => ({ ...previous, spec: scheduleSpecOf(change.when!) }));
      if (change.pause === true) await handle.pause('paused by HR');
      if (change.pause === false) await handle.unpause('resumed by HR');
      if (change.runNow) await handle.trigger('SKIP');
    });
  }

  /** Starts the flow `workflowId` unless it exists, running or finished (a business key never
   *  starts a second run), and answers its `started` Update: once the flow has its record written.
   *  A flow that has finished answers `whenFinished` if given (its record has long been written). */
  private async startOnce<Ret>(workflowType: string, workflowId: string, input: unknown, started: UpdateDefinition<Ret, []>, whenFinished?: Ret): Promise<Ret> {
    const start = new WithStartWorkflowOperation(workflowType, {
      workflowId,
      taskQueue: this.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    try {
      return await this.answer(() => this.client.workflow.executeUpdateWithStart(started, { args: [], updateId: 'started', startWorkflowOperation: start }));
    } catch (err) {
      if (whenFinished && err instanceof HttpProblem && err.code === 'flow_closed') return whenFinished;
      throw err;
    }
  }

  /** Early warning's intake flow (`risk-intake:<intakeId>`): writes what came in, rescores, and
   *  answers the new levels. A repeated id (from an Idempotency-Key) answers what its first run did. */
  async runRiskIntake(intakeId: string, intake: RiskIntake, settings: FlowSettings): Promise<Awaited<ReturnType<typeof riskIntake>>> {
    const workflowId = `risk-intake:${intakeId}`;
    return this.answer(async () => {
      try {
        return await this.client.workflow.execute<typeof riskIntake>('riskIntake', { workflowId, taskQueue: this.taskQueue, args: [intake, settings], workflowIdReusePolicy: 'REJECT_DUPLICATE' });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        return this.client.workflow.getHandle<typeof riskIntake>(workflowId).result();
      }
    });
  }

  /** Starts a hire's onboarding once (its id is the hire's); answers once the hire is on record. A
   *  hire whose onboarding has finished is refused by the API before it gets here. */
  startOnboarding(input: OnboardingFlowInput) {
    return this.startOnce('onboarding', onboardingFlowId(input.employeeId), input, onboardingStarted);
  }

  /** Starts a staffing adjustment's flow once; answers once it is on record, or refused (409) when
   *  another open adjustment took some of its accounts meanwhile. */
  startStaffingAdjustment(input: StaffingAdjustmentFlowInput) {
    return this.startOnce('staffingAdjustment', staffingAdjustmentFlowId(input.adjustmentId), input, staffingAdjustmentStarted);
  }

  /** Signals each flow that is running (one that has ended needs no word); answers how many heard. */
  async tellRunning<A extends unknown[]>(flowIds: string[], signal: SignalDefinition<A>, ...args: A): Promise<number> {
    let told = 0;
    for (const flowId of flowIds) {
      await this.answer(() => this.client.workflow.getHandle(flowId).signal(signal, ...args)).then(
        () => told++,
        (err: unknown) => {
          if (!(err instanceof HttpProblem && err.code === 'flow_closed')) throw err;
        },
      );
    }
    return told;
  }

  /** Tells a stalled flow to try again now (after the organisation was fixed). */
  resume(flowId: string) {
    return this.answer(() => this.client.workflow.getHandle(flowId).executeUpdate(resumeFlow));
  }

  /** Sends a flow one message. With an update id (from the client's Idempotency-Key) a retried
   *  request gets the first answer instead of being applied again. */
  send<Ret, Args>(flowId: string, update: UpdateDefinition<Ret, [Args]>, args: Args, updateId?: string): Promise<Ret> {
    return this.answer(() => this.client.workflow.getHandle(flowId).executeUpdate(update, { args: [args], updateId }));
  }

  /** The flow's live state, or undefined when it is closed or no worker answers in time. */
  async liveState(flowId: string): Promise<FlowLiveState | undefined> {
    try {
      return await this.client.withAbortSignal(AbortSignal.timeout(3000), () => this.client.workflow.getHandle(flowId).query(flowState));
    } catch {
      return undefined;
    }
  }

  /** Runs a call to a flow for at most FLOW_ANSWER_TIMEOUT_MS (then its gRPC calls are cancelled
   *  and the caller hears 503), turning the flow's refusals into problems. */
  private async answer<T>(call: () => Promise<T>): Promise<T> {
    const deadline = AbortSignal.timeout(FLOW_ANSWER_TIMEOUT_MS);
    try {
      return await this.client.withAbortSignal(deadline, call);
    } catch (err) {
      if (deadline.aborted) throw unavailable(`the flow did not answer within ${FLOW_ANSWER_TIMEOUT_MS / 1000} s`, 'flow_not_answering');
      throw asProblem(err);
    }
  }
}


/** The longest an HTTP request waits for a flow to answer (no worker running, a flow busy writing);
 *  past it the API answers 503 with Retry-After, and the message may still be applied once. */
export const FLOW_ANSWER_TIMEOUT_MS = 10_000;

function asProblem(err: unknown): unknown {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type && err.cause.type in refusalReasons) {
    const code = err.cause.type as keyof typeof refusalReasons;
    return new HttpProblem(refusalReasons[code], 'Refused by the flow', err.cause.message, undefined, code);
  }
  // A flow without a task inbox (a delegation's period) takes no comments or decisions.
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.message.startsWith('No registered handler for update')) {
    return new HttpProblem(409, 'Refused by the flow', 'this flow takes no such message', undefined, 'wrong_state');
  }
  if (err instanceof WorkflowNotFoundError || err instanceof WorkflowExecutionAlreadyStartedError || isNotFound(err)) {
    return new HttpProblem(409, 'Flow closed', 'the flow has already finished', undefined, 'flow_closed');
  }
  return err;
}

const isNotFound = (err: unknown) => (err as { code?: number })?.code === 5; // gRPC NOT_FOUND
