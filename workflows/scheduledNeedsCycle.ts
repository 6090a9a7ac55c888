/**
 * One run of a needs-cycle schedule (the yearly training-needs cycle, DOMAIN.md §1 on a Temporal
 * Schedule): the cycle starts with the department's active people and what the schedule asks now,
 * as a flow of its own (`needs:<cycleId>`, the same as one HR starts by hand). This run waits for
 * it, so a time of the Schedule that comes while the cycle is still going is skipped.
 */
import { executeChild, ParentClosePolicy, uuid4 } from '@temporalio/workflow';
import { needsFlowId } from '../domain/needsCycle';
import type { FlowSettings } from '../domain/settings';
import type * as needs from './needsAnalysisCycle';
import { records } from './records';

export interface ScheduledNeedsCycleInput {
  scheduleId: string;
  settings: FlowSettings;
}

export const needsScheduleId = (scheduleId: string) => `needs-schedule:${scheduleId}`;

export async function scheduledNeedsCycle({ scheduleId, settings }: ScheduledNeedsCycleInput): Promise<'confirmed' | 'cancelled' | 'nobody to ask'> {
  // Replay gives the same id, so the cycle is started once however often this run is replayed.
  const cycleId = uuid4();
  const cycle = await records.needsCycleOfSchedule({ scheduleId, cycleId });
  if (!cycle) return 'nobody to ask';
  // The cycle outlives an operator ending this run: it has people's tasks open.
  return executeChild<typeof needs.needsAnalysisCycle>('needsAnalysisCycle', {
    workflowId: needsFlowId(cycleId),
    args: [{ ...cycle, settings }],
    parentClosePolicy: ParentClosePolicy.ABANDON,
  });
}
