import {
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { createHash } from 'node:crypto';
import { refusalReasons, type DecideTaskArgs } from '../domain/tasks';
import type { SubmitPlanArgs, WithdrawPlanArgs } from '../domain/trainingPlan';
import { decideTask, flowState, handoverStarted, submitPlan, withdrawPlan, type FlowLiveState } from '../workflows/messages';
import { handoverFlowId, type HandoverInput } from '../workflows/resignationHandover';
import { needsAnalysisCycle, needsFlowId, type NeedsCycleInput } from '../workflows/needsAnalysisCycle';
import { trainingPlanFlowId, type TrainingPlanFlowInput } from '../workflows/trainingPlan';
import { HttpProblem } from './problems';

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
    return refusalsAsProblems(() =>
      this.client.workflow.executeUpdateWithStart(submitPlan, { args: [args], updateId: `submit:v${version}:r${args.draftRevision}`, startWorkflowOperation: start }),
    );
  }

  withdrawPlan(planId: string, args: WithdrawPlanArgs) {
    return this.send(trainingPlanFlowId(planId), withdrawPlan, args, `withdraw:${args.actorId}`);
  }

  /** Delivers a decision; the same person repeating the same decision is one update. */
  decide(flowId: string, args: DecideTaskArgs) {
    return this.send(flowId, decideTask, args, `decide:${args.taskId}:${args.actorId}:${args.decision}`);
  }

  /** Starts a resignation's handover flow, or finds the one already started for it; answers once
   *  the resignation is on record. */
  startHandover(input: HandoverInput) {
    const start = new WithStartWorkflowOperation('resignationHandover', {
      workflowId: handoverFlowId(input.employeeId, input.resignationId),
      taskQueue: this.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    return refusalsAsProblems(() => this.client.workflow.executeUpdateWithStart(handoverStarted, { args: [], updateId: 'started', startWorkflowOperation: start }));
  }

  /** Starts a needs cycle's flow, or finds the one already started with this id. */
  async startNeedsCycle(input: NeedsCycleInput) {
    const handle = await this.client.workflow.start(needsAnalysisCycle, {
      workflowId: needsFlowId(input.cycleId),
      taskQueue: this.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    return { cycleId: input.cycleId, flowId: handle.workflowId };
  }

  /** Sends a flow one message. With an update id (from the client's Idempotency-Key) a retried
   *  request gets the first answer instead of being applied again. */
  send<Ret, Args>(flowId: string, update: UpdateDefinition<Ret, [Args]>, args: Args, updateId?: string): Promise<Ret> {
    return refusalsAsProblems(() => this.client.workflow.getHandle(flowId).executeUpdate(update, { args: [args], updateId }));
  }

  /** The flow's live state, or undefined when it is closed or no worker answers in time. */
  async liveState(flowId: string): Promise<FlowLiveState | undefined> {
    try {
      const handle = this.client.workflow.getHandle(flowId);
      return await withTimeout(handle.query(flowState), 3000);
    } catch {
      return undefined;
    }
  }
}

async function refusalsAsProblems<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type && err.cause.type in refusalReasons) {
      const code = err.cause.type as keyof typeof refusalReasons;
      throw new HttpProblem(refusalReasons[code], 'Refused by the flow', err.cause.message, undefined, code);
    }
    if (err instanceof WorkflowNotFoundError || err instanceof WorkflowExecutionAlreadyStartedError || isNotFound(err)) {
      throw new HttpProblem(409, 'Flow closed', 'the flow has already finished', undefined, 'flow_closed');
    }
    throw err;
  }
}

const isNotFound = (err: unknown) => (err as { code?: number })?.code === 5; // gRPC NOT_FOUND

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms)))]).finally(() => clearTimeout(timer));
}
