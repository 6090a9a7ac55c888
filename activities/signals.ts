import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';

/** Signals a flow if it is running; a flow that has ended (or never started) needs no word. */
export async function signalIfRunning<A extends unknown[]>(temporal: Client, workflowId: string, signal: SignalDefinition<A>, ...args: A): Promise<void> {
  await temporal.workflow
    .getHandle(workflowId)
    .signal(signal, ...args)
    .catch((err: unknown) => {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    });
}
