/**
 * Lets a flow wait out a gap in the organisation instead of retrying an activity forever: the
 * flow shows `stalled` with the reason (admins and HR are told), waits on a durable timer or
 * until an operator resumes it, and tries again, at most MAX_STALL_ATTEMPTS times.
 */
import { ApplicationFailure, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { MAX_STALL_ATTEMPTS, ORGANISATION_INCOMPLETE } from '../domain/stalls';
import { records } from './records';
import { failureOfType, listenForResume, nextTry, stallEnded, stallFor, stallReason } from './stallWait';

export class StallGuard {
  private readonly flowId = workflowInfo().workflowId;

  /** `flow` is what the flow's row says of it, should the flow stall before it has recorded itself. */
  constructor(private readonly flow: Omit<Parameters<Activities['openFlow']>[0], 'flowId'>) {
    listenForResume();
  }

  /** Why the flow cannot go on, while it waits. */
  get reason(): string | undefined {
    return stallReason();
  }

  /** Runs `step`; while it fails for want of someone in the organisation, stalls and tries again. */
  async resolving<T>(step: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await step();
        if (this.reason !== undefined) {
          stallEnded();
          await records.resumeAfterStall({ flowId: this.flowId, attempt });
        }
        return result;
      } catch (err) {
        const reason = failureOfType(err, ORGANISATION_INCOMPLETE);
        if (reason === undefined) throw err;
        if (attempt >= MAX_STALL_ATTEMPTS) throw ApplicationFailure.create({ type: ORGANISATION_INCOMPLETE, message: `gave up after ${attempt} tries: ${reason}`, nonRetryable: true });
        stallFor(reason);
        await records.reportStall({ ...this.flow, flowId: this.flowId, attempt, reason });
        await nextTry(attempt);
      }
    }
  }
}
