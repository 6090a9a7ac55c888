/**
 * Lets a flow wait out a gap in the organisation instead of retrying an activity forever: the
 * flow shows `stalled` with the reason (admins and HR are told), waits on a durable timer or
 * until an operator resumes it, and tries again, at most MAX_STALL_ATTEMPTS times.
 */
import { ApplicationFailure, condition, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { MAX_STALL_ATTEMPTS, ORGANISATION_INCOMPLETE, stallRetryDelayMs } from '../domain/stalls';
import { refuse } from './humanTask';
import { resumeFlow } from './messages';
import { records } from './records';

export class StallGuard {
  /** Why the flow cannot go on, while it waits. */
  reason: string | undefined;
  private resumeRequested = false;
  private readonly flowId = workflowInfo().workflowId;

  /** `flow` is what the flow's row says of it, should the flow stall before it has recorded itself. */
  constructor(private readonly flow: Omit<Parameters<Activities['openFlow']>[0], 'flowId'>) {
    setHandler(
      resumeFlow,
      () => {
        this.resumeRequested = true;
        return { resumed: true };
      },
      { validator: () => void (this.reason === undefined && refuse('wrong_state', 'the flow is not stalled')) },
    );
  }

  /** Runs `step`; while it fails for want of someone in the organisation, stalls and tries again. */
  async resolving<T>(step: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await step();
        if (this.reason !== undefined) {
          this.reason = undefined;
          await records.resumeAfterStall({ flowId: this.flowId, attempt });
        }
        return result;
      } catch (err) {
        const reason = organisationGap(err);
        if (reason === undefined) throw err;
        if (attempt >= MAX_STALL_ATTEMPTS) throw ApplicationFailure.create({ type: ORGANISATION_INCOMPLETE, message: `gave up after ${attempt} tries: ${reason}`, nonRetryable: true });
        this.reason = reason;
        this.resumeRequested = false;
        await records.reportStall({ ...this.flow, flowId: this.flowId, attempt, reason });
        await condition(() => this.resumeRequested, stallRetryDelayMs(attempt));
      }
    }
  }
}

/** The reason, when an activity (regular or local, however wrapped) failed for want of someone. */
function organisationGap(err: unknown): string | undefined {
  for (let e = err; e instanceof Error; e = e.cause) {
    if (e instanceof ApplicationFailure && e.type === ORGANISATION_INCOMPLETE) return e.message;
  }
  return undefined;
}
