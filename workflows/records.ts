/**
 * The one way workflows reach their activities, with one set of options. An attempt may run for
 * ACTIVITY_ATTEMPT_TIMEOUT; every database transaction inside it ends well before that
 * (TRANSACTION_TIMEOUT_MS), so a retry never overlaps a transaction of the attempt it replaces.
 *
 * Short writes (a task row, a decision, a status) run as local activities: in the worker that runs
 * the workflow, without a round trip through the server's task queues for each one. Writes that
 * grow with a handover's size (thousands of lines or accounts) and the housekeeping sweeps stay
 * regular activities.
 *
 * It also counts the writes in flight, so a message handler can answer once the flow has done
 * everything it can do without people (`settled`): what the caller reads next is already written.
 */
import { patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { ACTIVITY_ATTEMPT_TIMEOUT } from '../domain/settings';

const options = {
  startToCloseTimeout: ACTIVITY_ATTEMPT_TIMEOUT,
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
} as const;
const regular = proxyActivities<Activities>(options);
const local = proxyLocalActivities<Activities>(options);

const MAY_RUN_LONG = new Set<keyof Activities>([
  'generateChecklist',
  'recordItemsCompleted',
  'recordItemsVerified',
  'chaseChecklistGroup',
  'escalateChecklistCritical',
  'handItemsToSupervisor',
  'replaceSuccessor',
  'completeHandover',
  'recordEndsOfClosedFlows',
  'deliverNotifications',
  'enrolParticipants',
  'recordScores',
  'evaluateFollowUp',
]);

// Per workflow run: each run has its own copy of this module's state.
let writesInFlight = 0;

export const records = new Proxy(regular, {
  get(_target, name: string) {
    return async (...args: unknown[]) => {
      // Runs from before short writes were local replay them as regular activities.
      const short = !MAY_RUN_LONG.has(name as keyof Activities) && patched('local-writes');
      const activity = (short ? local : regular)[name as keyof Activities] as (...a: unknown[]) => Promise<unknown>;
      writesInFlight++;
      try {
        return await activity(...args);
      } finally {
        writesInFlight--;
      }
    };
  },
}) as typeof regular;

/** No activity of this run is in flight: the flow waits for people, a timer or a child. */
export const settled = () => writesInFlight === 0;
