/**
 * Terminated, timed-out or failed flows run none of their own code at the end, so this watch
 * records their ends: every `everyMs` it asks Temporal which flows closed that way since it last
 * looked (a minute's overlap, as Temporal's lists lag) and records each end not yet on record.
 * It also sweeps the notification outbox, for what a worker that died left undelivered.
 */
import { continueAsNew, patched, sleep } from '@temporalio/workflow';
import { records } from './records';

export const FLOW_END_WATCH_ID = 'flow-end-watch';

export interface FlowEndWatchInput {
  everyMs: number;
  since: string;
}

const LOOKS_PER_RUN = 100;
const OVERLAP_MS = 60_000;

export async function flowEndWatch(input: FlowEndWatchInput): Promise<void> {
  let since = input.since;
  for (let look = 0; look < LOOKS_PER_RUN; look++) {
    const { checkedAt } = await records.recordEndsOfClosedFlows({ since });
    since = new Date(Date.parse(checkedAt) - OVERLAP_MS).toISOString();
    if (patched('outbox-sweep')) await records.deliverNotifications();
    await sleep(input.everyMs);
  }
  await continueAsNew<typeof flowEndWatch>({ ...input, since });
}
