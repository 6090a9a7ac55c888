/**
 * The one way workflows reach their activities, with one set of options. An attempt may run for
 * ACTIVITY_ATTEMPT_TIMEOUT; every database transaction inside it ends well before that
 * (TRANSACTION_TIMEOUT_MS), so a retry never overlaps a transaction of the attempt it replaces.
 *
 * It also counts the writes in flight, so a message handler can answer once the flow has done
 * everything it can do without people (`settled`): what the caller reads next is already written.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { ACTIVITY_ATTEMPT_TIMEOUT } from '../domain/settings';

const activities = proxyActivities<Activities>({
  startToCloseTimeout: ACTIVITY_ATTEMPT_TIMEOUT,
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

// Per workflow run: each run has its own copy of this module's state.
let writesInFlight = 0;

export const records = new Proxy(activities, {
  get(target, name: string) {
    const activity = target[name as keyof Activities] as (...args: unknown[]) => Promise<unknown>;
    return async (...args: unknown[]) => {
      writesInFlight++;
      try {
        return await activity(...args);
      } finally {
        writesInFlight--;
      }
    };
  },
}) as typeof activities;

/** No activity of this run is in flight: the flow waits for people, a timer or a child. */
export const settled = () => writesInFlight === 0;
