/**
 * How a flow waits while it cannot go on by itself (someone missing from the organisation, a write
 * that cannot succeed): it says why, and tries again on a durable timer or as soon as an operator
 * resumes it (`POST /flows/:id/resume`). One resume handler per run serves every reason.
 */
import { ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import { stallRetryDelayMs } from '../domain/stalls';
import { resumeFlow } from './messages';
import { refuse } from './refusals';

// Per workflow run, as all module state in a flow.
let reason: string | undefined;
let resumeRequested = false;
let listening = false;

/** Why the flow cannot go on, while it waits. */
export const stallReason = () => reason;

/** Takes an operator's resume while the flow is stalled (refused otherwise). */
export function listenForResume(): void {
  if (listening) return;
  listening = true;
  setHandler(
    resumeFlow,
    () => {
      resumeRequested = true;
      return { resumed: true };
    },
    { validator: () => void (reason === undefined && refuse('wrong_state', 'the flow is not stalled')) },
  );
}

/** The flow stalls for `why`: from now on a resume is taken (and ends the next wait early). */
export function stallFor(why: string): void {
  listenForResume();
  reason = why;
  resumeRequested = false;
}

/** Waits for the next try after the `attempt`-th failure: its delay, or an operator's resume. */
export async function nextTry(attempt: number): Promise<void> {
  await condition(() => resumeRequested, stallRetryDelayMs(attempt));
}

/** The step went through: the flow is no longer stalled. */
export function stallEnded(): void {
  reason = undefined;
}

/** The message of the failure of `type` behind an activity's failure (regular or local, however wrapped). */
export function failureOfType(err: unknown, type: string): string | undefined {
  for (let e = err; e instanceof Error; e = e.cause) {
    if (e instanceof ApplicationFailure && e.type === type) return e.message;
  }
  return undefined;
}
