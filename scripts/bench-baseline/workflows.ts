/**
 * The bare Temporal baseline for `npm run bench:http`: an approval of the same shape as Baton's
 * trainingPlanApproval (submit, then two approval levels) with everything else taken away: no
 * database, no HTTP, no chasing timers, no validation beyond the task id. Its worker runs on its own
 * task queue in the benchmark's process, bundled from this file at start.
 *
 * Shape, as the benchmark's clients see it:
 *   update-with-start `submit`  → answers once the first task is "open"     (3 writes before)
 *   update `decide` (level 1)   → answers once that task is closed and the next one is open (2)
 *   update `decide` (level 2)   → answers once that task is closed and the outcome written (2)
 * Seven writes in all, each a no-op LOCAL activity. Like Baton's `answering`, an update answers only
 * when no write is in flight, so what the caller does next already sees it.
 */
import { allHandlersFinished, condition, defineUpdate, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { BaselineActivities } from './activities';

const { write } = proxyLocalActivities<BaselineActivities>({ startToCloseTimeout: '1 minute' });

/** The task now waiting for a decision, or null once the flow is decided. */
export interface NextTask {
  taskId: string | null;
}
export const submit = defineUpdate<NextTask, [{ actorId: string }]>('submit');
export const decide = defineUpdate<NextTask, [{ taskId: string; decision: 'approve' }]>('decide');

/** Department head, then HR director: Baton's chain for a plan below the executive threshold. */
const LEVELS = 2;

export async function bareApproval(): Promise<'approved'> {
  let submitted = false;
  let openTask: string | undefined; // its write is done and no decision has closed it yet
  let decided: string | undefined; // the task the latest decision named
  let done = false;
  let writing = 0; // writes in flight (Baton's `settled` is writing === 0)

  const record = async (what: string) => {
    writing++;
    try {
      await write(what);
    } finally {
      writing--;
    }
  };

  setHandler(
    submit,
    async (_args) => {
      submitted = true;
      await condition(() => openTask !== undefined && writing === 0);
      return { taskId: openTask! };
    },
    {
      validator: (_args) => {
        if (submitted) throw new Error('already submitted');
      },
    },
  );

  setHandler(
    decide,
    async ({ taskId }) => {
      decided = taskId;
      // The decided task is closed and the next one open (or the outcome written), nothing in flight.
      await condition(() => ((openTask !== undefined && openTask !== taskId) || done) && writing === 0);
      return { taskId: done ? null : openTask! };
    },
    {
      validator: ({ taskId }) => {
        if (taskId !== openTask || decided === taskId) throw new Error(`task ${taskId} is not open`);
      },
    },
  );

  await record('open flow');
  await condition(() => submitted);
  await record('record submission');
  for (let level = 1; level <= LEVELS; level++) {
    const taskId = `level-${level}`;
    await record('open task');
    openTask = taskId;
    await condition(() => decided === taskId);
    await record('close task');
    openTask = undefined;
  }
  await record('record outcome');
  done = true;
  await condition(allHandlersFinished);
  return 'approved';
}
