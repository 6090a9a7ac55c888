import { ApplicationFailure } from '@temporalio/common';
import { durationMs } from './durations';

/**
 * A flow stalls when the organisation lacks someone it needs (nobody holds a role, no HR officer
 * is left). Retrying at once cannot help, so the activity fails for good with this type; the flow
 * shows `stalled`, tells admins and HR, and tries again on a durable timer or when an operator
 * resumes it, a bounded number of times.
 */
export const ORGANISATION_INCOMPLETE = 'organisation_incomplete';

export function organisationIncomplete(reason: string): ApplicationFailure {
  return ApplicationFailure.create({ type: ORGANISATION_INCOMPLETE, message: reason, nonRetryable: true });
}

/** Tries before the flow gives up and fails (about two days with the schedule below). */
export const MAX_STALL_ATTEMPTS = 50;

/** How long a stalled flow waits before its next try: 1 min, 5 min, 15 min, then hourly. */
export function stallRetryDelayMs(attempt: number): number {
  return durationMs(['PT1M', 'PT5M', 'PT15M'][attempt - 1] ?? 'PT1H');
}

/**
 * A write that no retry can mend (a programming error or data the database refuses: an unknown
 * column, a broken reference, a malformed value) fails at once with this type, rather than being
 * retried forever. The flow stalls with the write's error, operators are told (critical), and it
 * tries the write again on the stall timers or when an operator resumes it after a fix.
 */
export const WRITE_CANNOT_SUCCEED = 'write_cannot_succeed';
