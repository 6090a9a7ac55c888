import {
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { refusalReasons, type DecideTaskArgs } from '../domain/tasks';
import type { SubmitPlanArgs, WithdrawPlanArgs } from '../domain/trainingPlan';
import { decideTask, flowState, handoverStarted, submitPlan, withdrawPlan, type FlowLiveState } from '../workflows/messages';
import { handoverFlowId, type HandoverInput } from '../workflows/resignationHandover';
import { trainingPlanFlowId, type TrainingPlanFlowInput } from '../workflows/trainingPlan';
import { HttpProblem } from './problems';

/** The API's only way to change a flow: start it, or send it an Update (validated by the workflow). */
export class FlowGateway {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  /** Starts the plan's flow if needed and submits the plan to it, atomically (update-with-start).
   *  The update id makes a retried request land once. */
  submitPlan(input: TrainingPlanFlowInput, args: SubmitPlanArgs) {
    const start = new WithStartWorkflowOperation('trainingPlanApproval', {
      workflowId: trainingPlanFlowId(input.planId),
      taskQueue: this.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    return refusalsAsProblems(() =>
      this.client.workflow.executeUpdateWithStart(submitPlan, { args: [args], updateId: `submit:r${args.draftRevision}`, startWorkflowOperation: start }),
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
