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
 * Writes the flow need not wait for are `carried`: they run ahead of the flow's next activity, in
 * the same local activity, so a step that records a decision, closes a task and opens the next
 * costs one or two local activities, not four.
 *
 * It also counts the writes in flight, so a message handler can answer once the flow has done
 * everything it can do without people (`settled`): what the caller reads next is already written.
 */
import { ApplicationFailure, CancellationScope, condition, patched, proxyActivities, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities, CarriedCall } from '../activities';
import { ACTIVITY_ATTEMPT_TIMEOUT } from '../domain/activityLimits';
import { MAX_STALL_ATTEMPTS, WRITE_CANNOT_SUCCEED } from '../domain/stalls';
import { failureOfType, nextTry, stallEnded, stallFor, stallReason } from './stallWait';

const options = {
  startToCloseTimeout: ACTIVITY_ATTEMPT_TIMEOUT,
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
} as const;
const regular = proxyActivities<Activities>(options);
const local = proxyLocalActivities<Activities>(options);

const MAY_RUN_LONG = new Set<keyof Activities>([
  'enrolForCover', // waits for another flow's answer
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
  'handOverToDelegate',
  // Early warning: a rule change rescores everyone.
  'takeRiskIntake',
  'recomputeRisk',
]);

type Call = (...args: unknown[]) => Promise<unknown>;
type ShortWrite = Exclude<keyof Activities, 'writeInOrder'>;

// Per workflow run: each run has its own copy of this module's state.
let writesInFlight = 0;
let waiting: (CarriedCall & { written: (answer: unknown) => void })[] = [];
/** Batches of carried writes on their way; every later activity waits for them, so writes keep their order. */
let batchesOnTheirWay = 0;
let lastBatch: Promise<unknown> = Promise.resolve();
/** Whether this run writes only through regular activities (`writeThroughRegularActivities`). */
let regularOnly = false;

/**
 * Every write of this run goes through a regular activity. For flows that keep many tasks and
 * timers open side by side: a local activity whose marker lands in the same workflow task as a
 * timer's cancellation replays out of order when a busy worker is restarted (Temporal's timer and
 * local activity machines), so such a flow pays a round trip per write instead. Call it first.
 */
export function writeThroughRegularActivities(): void {
  regularOnly = true;
}

export const records = new Proxy(regular, {
  get(_target, name: string) {
    return async (...args: unknown[]) => {
      if (batchesOnTheirWay > 0) await lastBatch;
      // Runs from before short writes were local replay them as regular activities.
      const short = !regularOnly && !MAY_RUN_LONG.has(name as keyof Activities) && patched('local-writes');
      if (short && waiting.length > 0) return sendCarried({ name, args });
      if (waiting.length > 0) await sendCarried();
      const activity = (short ? local : regular)[name as keyof Activities] as Call;
      writesInFlight++;
      try {
        return await despiteBrokenWrites(() => activity(...args));
      } finally {
        writesInFlight--;
      }
    };
  },
}) as typeof regular;

/**
 * Carries a write to the flow's next activity, or sends it on its own once the flow waits for
 * anything else; a cancellation of the flow does not stop it. `queued` resolves at once,
 * `written` once the write is on record, with its answer. Runs from before writes were carried wait for each
 * write on its own (`queued` is `written`).
 */
export function carryWrite<K extends ShortWrite>(name: K, ...args: Parameters<Activities[K]>): { queued: Promise<unknown>; written: Promise<unknown> } {
  if (!patched('carried-writes')) {
    // The very promise those runs awaited, so their replays take the same steps.
    const written = CancellationScope.nonCancellable(() => (records[name] as Call)(...args));
    return { queued: written, written };
  }
  const written = new Promise<unknown>((resolve) => waiting.push({ name, args, written: resolve }));
  carriedSoFar++;
  sendCarriedWhenIdle();
  return { queued: Promise.resolve(), written };
}

/** `carried.openFlow(…)`: a write the flow goes on from at once (see `carryWrite`). */
export const carried = new Proxy({} as { [K in ShortWrite]: (...args: Parameters<Activities[K]>) => Promise<unknown> }, {
  get: (_target, name: string) => (...args: unknown[]) => carryWrite(name as ShortWrite, ...(args as Parameters<Activities[ShortWrite]>)).queued,
});

let idleSender: Promise<void> | undefined;
let carriedSoFar = 0;
/** Conditions are checked once the flow's code has run as far as it can. Code unblocked by the
 *  same check may still carry more, or take the waiting writes to its next activity; so the
 *  sender looks again until a check finds nothing new, and sends what is still waiting then. */
function sendCarriedWhenIdle(): void {
  idleSender ??= CancellationScope.nonCancellable(async () => {
    for (;;) {
      await condition(() => waiting.length > 0);
      for (let seen = -1; seen !== carriedSoFar; ) {
        seen = carriedSoFar;
        await condition(() => true);
      }
      if (waiting.length > 0) await sendCarried();
    }
  });
}

/** One local activity: the waiting writes in order, then `last` (if any), whose result it returns. */
async function sendCarried(last?: CarriedCall): Promise<unknown> {
  if (batchesOnTheirWay > 0) await lastBatch;
  if (!last && waiting.length === 0) return undefined; // another call took them meanwhile
  const ahead = waiting;
  waiting = [];
  const caller = CancellationScope.current();
  writesInFlight++;
  batchesOnTheirWay++;
  const writer = regularOnly ? regular : local;
  const sending = CancellationScope.nonCancellable(() => despiteBrokenWrites(() => writer.writeInOrder(ahead.map(({ name, args }) => ({ name, args })), last)));
  lastBatch = sending.catch(() => undefined);
  try {
    const { result, refusal, written } = await sending;
    // Runs from before carried writes answered resolve them with nothing.
    ahead.forEach((w, i) => w.written(written?.[i]));
    if (refusal) throw ApplicationFailure.create({ ...refusal, nonRetryable: true });
    // A caller cancelled meanwhile learns it now; the writes ahead of its call are on record.
    if (last && caller.consideredCancelled) await caller.cancelRequested;
    return result;
  } finally {
    writesInFlight--;
    batchesOnTheirWay--;
  }
}

let brokenWriteStalls = 0;
/**
 * Sends a write again for as long as it fails as one that cannot succeed (a programming error, data
 * the database refuses): each time the flow stalls, operators hear of it, and the next try comes on
 * the stall timers or with an operator's resume, after a fix. Later writes wait, so none overtakes it.
 */
async function despiteBrokenWrites<T>(send: () => Promise<T>): Promise<T> {
  const flowId = workflowInfo().workflowId;
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await send();
      if (attempt > 1) {
        stallEnded();
        await local.resumeAfterStall({ flowId, attempt, key: `${workflowInfo().runId}:write-resumed:${brokenWriteStalls}` });
      }
      return result;
    } catch (err) {
      const reason = failureOfType(err, WRITE_CANNOT_SUCCEED);
      if (reason === undefined || attempt >= MAX_STALL_ATTEMPTS) throw err;
      stallFor(`a write cannot succeed: ${reason}`);
      // Straight to the activity: this write holds back every later one until it is on record.
      await local.reportBrokenWrite({ flowId, stall: `${workflowInfo().runId}:write-stalled:${++brokenWriteStalls}`, reason: stallReason()! });
      await nextTry(attempt);
    }
  }
}

/** No activity of this run is in flight and no write waits: the flow waits for people, a timer or a child. */
export const settled = () => writesInFlight === 0 && waiting.length === 0;

/** No carried write is waiting or on its way (a run may continue as new only then). */
export const nothingCarried = () => waiting.length === 0 && batchesOnTheirWay === 0;
