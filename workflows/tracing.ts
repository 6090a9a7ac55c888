/**
 * The workflow interceptors of a traced worker (not a workflow): the SDK's OpenTelemetry ones,
 * except around Updates. With those, a flow replayed after a worker restart refused decisions on
 * tasks it had open (task_not_open); without them, the trace still runs request → workflow →
 * activities, through the workflow's start headers.
 */
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow';
import type { Next, UpdateInput, WorkflowInboundCallsInterceptor, WorkflowInterceptors } from '@temporalio/workflow';

class InboundWithoutUpdates extends OpenTelemetryInboundInterceptor {
  override handleUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'handleUpdate'>): Promise<unknown> {
    return next(input);
  }

  override validateUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'validateUpdate'>): void {
    next(input);
  }
}

export const interceptors = (): WorkflowInterceptors => ({
  inbound: [new InboundWithoutUpdates()],
  outbound: [new OpenTelemetryOutboundInterceptor()],
  internals: [new OpenTelemetryInternalsInterceptor()],
});
