/**
 * The one way workflows reach their activities, with one set of options. An attempt may run for
 * ACTIVITY_ATTEMPT_TIMEOUT; every database transaction inside it ends well before that
 * (TRANSACTION_TIMEOUT_MS), so a retry never overlaps a transaction of the attempt it replaces.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { ACTIVITY_ATTEMPT_TIMEOUT } from '../domain/settings';

export const records = proxyActivities<Activities>({
  startToCloseTimeout: ACTIVITY_ATTEMPT_TIMEOUT,
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});
