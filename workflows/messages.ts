import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { DecideTaskArgs, OpenTaskView, TaskResult } from '../domain/tasks';
import type { PlanStatus, SubmitPlanArgs, WithdrawPlanArgs } from '../domain/trainingPlan';

/** What every flow answers about itself while it runs. */
export interface FlowLiveState {
  type: string;
  status: string;
  step: string;
  openTasks: OpenTaskView[];
  details: Record<string, unknown>;
}
export const flowState = defineQuery<FlowLiveState>('flowState');

export interface DecideTaskResult extends Partial<TaskResult> {
  taskId: string;
  status: 'done' | 'cancelled';
}
/** A person decides one of the flow's open tasks (any procedure). */
export const decideTask = defineUpdate<DecideTaskResult, [DecideTaskArgs]>('decideTask');

export interface SubmitPlanResult {
  flowId: string;
  version: number;
}
export const submitPlan = defineUpdate<SubmitPlanResult, [SubmitPlanArgs]>('submitPlan');
export const withdrawPlan = defineUpdate<{ status: PlanStatus }, [WithdrawPlanArgs]>('withdrawPlan');
