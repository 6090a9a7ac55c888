/**
 * `npm run bench:waiting [-- plans remindAfterSeconds remindEverySeconds]`: the scale of waiting
 * work. Starts `plans` training-plan approval flows (default 2,000), each left waiting on its
 * department head's approval task with a per-flow chasing policy that reminds `remindAfter` the task
 * opened and once more `remindEvery` later (maxReminders 2, escalation after P1D, so none). Then
 * waits, with nothing but the durable timers armed, until every reminder is on record, and prints
 * how late the reminders fired (audit_event.at − due), the worker process's memory sampled every
 * second, CPU of Temporal / this process / PostgreSQL per phase, PostgreSQL transactions while the
 * flows only wait, and the shape of 20 sampled histories (TimerStarted per flow: one per chasing
 * step, nothing polls).
 *
 * Stack as `npm run bench:http`: Temporal dev server on a SQLite file in WAL mode, PostgreSQL
 * (TEST_DATABASE_URL or embedded), one Baton worker in this process, FlowGateway as the API uses
 * it. All traffic stays on 127.0.0.1; the run is bounded and cleans up after itself. Prints
 * figures; asserts nothing. Run it with `node --expose-gc` (the npm script does) for the
 * after-GC figures.
 */
import { Client, Connection } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import { NativeConnection, type Worker } from '@temporalio/worker';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createLogger } from '../activities/logger';
import { FlowGateway } from '../api/flows';
import { durationMs } from '../domain/durations';
import type { ChasingPolicy } from '../domain/chasing';
import { settingsFrom, withOverrides } from '../domain/settings';
import { approvalChainFor, planContent } from '../domain/trainingPlan';
import { createDb } from '../prisma/db';
import { seedDemoOrganisation } from '../prisma/seed';
import { DEMO, samplePlanContent } from '../prisma/seed-data';
import { createBatonWorker, installTemporalRuntime, WORKER_DB_POOL } from '../worker/worker';
import { cpuMeter, pct, provenance, tsMs, type CpuSeconds } from './bench-measure';
import { startPersistentEngine } from './throwaway-stack';
import { runAndExit } from './throwaway-stack';
import { closeOutbox } from '../activities/notifications';

const say = (message: string) => process.stderr.write(`[bench:waiting] ${new Date().toISOString().slice(11, 19)} ${message}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const PLANS = Number(process.argv[2] ?? 2000) || 2000;
const START_CONCURRENCY = 16;
/** Default lead before the first reminder: long enough for every flow to be open before it. */
const REMIND_AFTER_S = Number(process.argv[3]) || Math.max(60, Math.ceil(PLANS / 12) + 30);
const REMIND_EVERY_S = Number(process.argv[4]) || REMIND_AFTER_S;
const POLICY: ChasingPolicy = {
  remindAfter: `PT${REMIND_AFTER_S}S`,
  remindEvery: `PT${REMIND_EVERY_S}S`,
  maxReminders: 2,
  escalateAfter: 'P1D',
  escalateTo: ['manager', 'hr'],
};
const SAMPLE_HISTORIES = 20;

// ---------------------------------------------------------------------------------------------
// Figures

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)}`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const row = (label: string, text: string) => console.log(`${label.padEnd(30)}${text}`);

/** The forced GC: --expose-gc's global, else V8's flag set at run time. */
function gcFunction(): (() => void) | undefined {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  try {
    require('node:v8').setFlagsFromString('--expose-gc');
    return require('node:vm').runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

interface Sample {
  at: number;
  rss: number;
  heapUsed: number;
  cached: number;
}

/** Samples this process's memory and the worker's workflow cache every second, by phase. */
class MemorySampler {
  readonly samples = new Map<string, Sample[]>();
  private phase = 'start';
  private readonly timer: NodeJS.Timeout;
  constructor(private readonly worker: Worker) {
    this.timer = setInterval(() => this.take(), 1000);
    this.timer.unref();
  }
  enter(phase: string) {
    this.phase = phase;
    this.take();
  }
  take() {
    const m = process.memoryUsage();
    const list = this.samples.get(this.phase) ?? [];
    list.push({ at: Date.now(), rss: m.rss, heapUsed: m.heapUsed, cached: this.worker.getStatus().numCachedWorkflows });
    this.samples.set(this.phase, list);
  }
  stop() {
    clearInterval(this.timer);
  }
  summary(phase: string): string {
    const s = this.samples.get(phase) ?? [];
    if (!s.length) return '–';
    const mm = (f: (x: Sample) => number) => `${mib(Math.min(...s.map(f)))}–${mib(Math.max(...s.map(f)))}`;
    const cached = s.map((x) => x.cached);
    return `RSS ${mm((x) => x.rss)} MiB, heap ${mm((x) => x.heapUsed)} MiB, cached workflows ${Math.min(...cached)}–${Math.max(...cached)} (${s.length} samples)`;
  }
}

/** Every query this process sends to PostgreSQL (the worker's activities, through Prisma's pg
 *  driver, and this script's own reads), counted where the driver sends it. */
let pgQueries = 0;
const pgQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  pgQueries++;
  return (pgQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pg.Client.prototype.query;

// ---------------------------------------------------------------------------------------------
// Histories

interface Shape {
  events: number;
  workflowTasks: number;
  timersStarted: number;
  timersFired: number;
  localActivities: number;
  /** Events between the first timer's start and its firing (the task only waits then). */
  eventsWhileWaiting: number;
  whileWaiting: string[];
  /** The longest workflow task of the flow: waiting in the queue (scheduled → started) and
   *  running on the worker (started → completed, including the local activities it runs). */
  wftQueueMaxMs: number;
  wftRunMaxMs: number;
}

async function shapeOf(client: Client, flowId: string): Promise<Shape> {
  const events = (await client.workflow.getHandle(flowId).fetchHistory()).events ?? [];
  const shape: Shape = { events: events.length, workflowTasks: 0, timersStarted: 0, timersFired: 0, localActivities: 0, eventsWhileWaiting: 0, whileWaiting: [], wftQueueMaxMs: 0, wftRunMaxMs: 0 };
  const at = new Map<string, number>();
  let firstTimer: string | undefined;
  let waiting = false;
  for (const e of events) {
    at.set(String(e.eventId), tsMs(e.eventTime));
    const since = (id: unknown) => tsMs(e.eventTime) - (at.get(String(id)) ?? NaN);
    if (e.workflowTaskStartedEventAttributes) shape.wftQueueMaxMs = Math.max(shape.wftQueueMaxMs, since(e.workflowTaskStartedEventAttributes.scheduledEventId));
    if (e.workflowTaskCompletedEventAttributes) {
      shape.workflowTasks++;
      shape.wftRunMaxMs = Math.max(shape.wftRunMaxMs, since(e.workflowTaskCompletedEventAttributes.startedEventId));
    }
    if (e.markerRecordedEventAttributes?.markerName === 'core_local_activity') shape.localActivities++;
    if (e.timerFiredEventAttributes) {
      shape.timersFired++;
      if (e.timerFiredEventAttributes.timerId === firstTimer) waiting = false;
    } else if (waiting) {
      shape.eventsWhileWaiting++;
      shape.whileWaiting.push(String(proto.api.enums.v1.EventType[e.eventType ?? 0] ?? e.eventType).replace(/^EVENT_TYPE_/, ''));
    }
    if (e.timerStartedEventAttributes) {
      shape.timersStarted++;
      if (firstTimer === undefined) {
        firstTimer = e.timerStartedEventAttributes.timerId ?? undefined;
        waiting = true;
      }
    }
  }
  return shape;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const began = Date.now();
  const log = createLogger('warn', 'bench-waiting');
  installTemporalRuntime(log);
  const gc = gcFunction();
  const { temporal, databaseUrl, stops, stopAll } = await startPersistentEngine('bench-waiting', say);
  try {

    // Stack traces off, as in the README's figures: flows keep no stack per promise.
    const settings = settingsFrom({ DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_TASK_QUEUE: 'baton-bench-waiting', LOG_LEVEL: 'warn', WORKER_MAX_CACHED_WORKFLOWS: process.env.WORKER_MAX_CACHED_WORKFLOWS, WORKFLOW_STACK_TRACES: 'off' });
    const flowSettings = withOverrides(settings.flows, { chasing: { plan_approval: POLICY } });
    if (approvalChainFor(samplePlanContent(1_000_000), flowSettings.executiveThresholdFen)[0] !== 'department_head') throw new Error('expected the department head first');
    const db = createDb(databaseUrl, WORKER_DB_POOL + START_CONCURRENCY);
    stops.push(async () => {
      await closeOutbox(db);
      await db.$disconnect();
    });
    await seedDemoOrganisation(db);

    say('bundling the workflows…');
    const native = await NativeConnection.connect({ address: temporal.address });
    stops.push(() => native.close());
    const worker = await createBatonWorker({ connection: native, namespace: 'default', taskQueue: settings.temporal.taskQueue, db, log, maxCachedWorkflows: settings.maxCachedWorkflows, workflowStackTraces: settings.workflowStackTraces });
    const running = worker.run();
    stops.push(async () => {
      worker.shutdown();
      await running;
    });
    const connection = await Connection.connect({ address: temporal.address });
    stops.push(() => connection.close());
    const client = new Client({ connection });
    const flows = new FlowGateway(client, settings.temporal.taskQueue);
    const memory = new MemorySampler(worker);
    stops.push(async () => memory.stop());

    // ---- start: N plans, each submitted and left with its department head's task open
    say(`starting ${PLANS} plan approvals, ${START_CONCURRENCY} at a time (remindAfter ${POLICY.remindAfter}, remindEvery ${POLICY.remindEvery})…`);
    memory.enter('start');
    const cpuStart = cpuMeter();
    const queriesAtStart = pgQueries;
    const started = performance.now();
    const flowIds: string[] = [];
    const errors: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: START_CONCURRENCY }, async () => {
        while (next < PLANS) {
          const i = next++;
          try {
            const plan = await db.trainingPlan.create({ data: { title: `Waiting ${i}`, departmentId: DEMO.departments.collection.id, drafterId: DEMO.employees.hrOfficer.id, draft: samplePlanContent(1_000_000) } });
            const input = { planId: plan.id, departmentId: plan.departmentId, drafterId: plan.drafterId, title: plan.title, settings: flowSettings };
            const { flowId } = await flows.submitPlan(input, { actorId: plan.drafterId, title: plan.title, content: planContent.parse(plan.draft), draftRevision: 1 }, 1);
            flowIds.push(flowId);
          } catch (err) {
            errors.push(String(err));
          }
          if ((i + 1) % 500 === 0) say(`  ${i + 1} started (${((i + 1) / ((performance.now() - started) / 1000)).toFixed(1)}/s)`);
        }
      }),
    );
    const startSeconds = (performance.now() - started) / 1000;
    const cpuStarting = cpuStart();
    const tasks = await db.task.findMany({ where: { type: 'plan_approval', status: 'open' }, select: { id: true, createdAt: true, dueAt: true } });
    const firstDue = Math.min(...tasks.map((t) => t.createdAt.getTime())) + durationMs(POLICY.remindAfter);
    const lastDue = Math.max(...tasks.map((t) => t.createdAt.getTime())) + durationMs(POLICY.remindAfter) + durationMs(POLICY.remindEvery);
    const remindedEarly = await db.auditEvent.count({ where: { action: 'task.reminded' } });
    say(`${flowIds.length} started in ${startSeconds.toFixed(0)} s; ${tasks.length} tasks open; first reminder due in ${secs(firstDue - Date.now())}, last in ${secs(lastDue - Date.now())}`);

    // ---- waiting: every task open, no reminder due yet. Nothing is read or written meanwhile.
    memory.enter('waiting');
    const cpuWait = cpuMeter();
    const queriesBefore = pgQueries;
    const queriesStarting = queriesBefore - queriesAtStart;
    const quietMs = Math.max(0, firstDue - Date.now() - 2000);
    await sleep(quietMs);
    memory.take();
    const queriesWaiting = pgQueries - queriesBefore;
    const cpuWaiting = cpuWait();
    let gcWaiting: NodeJS.MemoryUsage | undefined;
    if (gc) {
      gc();
      gcWaiting = process.memoryUsage();
    }

    // ---- chasing: wait for every reminder to be on record (bounded)
    memory.enter('chasing');
    const cpuChase = cpuMeter();
    const chaseStarted = Date.now();
    const queriesAtChase = pgQueries;
    const expected = tasks.length * POLICY.maxReminders;
    const deadline = lastDue + 5 * 60_000;
    let recorded = 0;
    while ((recorded = await db.auditEvent.count({ where: { action: 'task.reminded' } })) < expected && Date.now() < deadline) {
      await sleep(recorded === 0 ? 1000 : 3000);
      if (Date.now() > firstDue && (Date.now() - chaseStarted) % 60_000 < 3000) say(`  ${recorded}/${expected} reminders on record`);
    }
    const cpuChasing = cpuChase();
    const queriesChasing = pgQueries - queriesAtChase;
    const chaseSeconds = (Date.now() - chaseStarted) / 1000;
    let gcChasing: NodeJS.MemoryUsage | undefined;
    if (gc) {
      gc();
      gcChasing = process.memoryUsage();
    }
    memory.stop();

    // ---- lateness per reminder: audit_event.at − (task.created_at + remindAfter + (k−1)·remindEvery);
    // also against the workflow's own clock (its createdAt, = due_at − escalateAfter).
    const rows = await db.$queryRaw<{ reminder: number; at: Date; created_at: Date; due_at: Date }[]>`
      SELECT (a.payload->>'reminder')::int AS reminder, a.at, t.created_at, t.due_at
      FROM audit_event a JOIN task t ON t.id = a.task_id WHERE a.action = 'task.reminded'`;
    const offset = (k: number) => durationMs(POLICY.remindAfter) + (k - 1) * durationMs(POLICY.remindEvery);
    const late = rows.map((r) => r.at.getTime() - (r.created_at.getTime() + offset(r.reminder)));
    const lateWf = rows.map((r) => r.at.getTime() - (r.due_at.getTime() - durationMs(POLICY.escalateAfter) + offset(r.reminder)));
    const byK = (xs: number[], k: number) => rows.flatMap((r, i) => (r.reminder === k ? [xs[i]!] : []));
    const lat = (xs: number[]) => (xs.length ? `p50 ${pct(xs, 50).toFixed(0)}  p95 ${pct(xs, 95).toFixed(0)}  p99 ${pct(xs, 99).toFixed(0)}  max ${Math.max(...xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, n ${xs.length})` : '–');
    const escalations = await db.auditEvent.count({ where: { action: { in: ['task.escalated', 'task.escalation_skipped'] } } });
    const stillOpen = await db.task.count({ where: { type: 'plan_approval', status: 'open' } });

    // ---- histories of a sample of flows (still running: their tasks stay open)
    const sample = Array.from({ length: Math.min(SAMPLE_HISTORIES, flowIds.length) }, (_, i) => flowIds[Math.floor((i * flowIds.length) / Math.min(SAMPLE_HISTORIES, flowIds.length))]!);
    const shapes = await Promise.all(sample.map((id) => shapeOf(client, id)));
    const dist = (f: (s: Shape) => number) => {
      const xs = shapes.map(f);
      const lo = Math.min(...xs);
      const hi = Math.max(...xs);
      return lo === hi ? `${lo}` : `${lo}–${hi} (mean ${(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(1)})`;
    };
    const cpu = (c: CpuSeconds | undefined, s: number) =>
      !c ? 'n/a (no /proc)' : `temporal ${c.temporal.toFixed(1)} s (${((100 * c.temporal) / s).toFixed(0)}% of a core), node ${c.node.toFixed(1)} s (${((100 * c.node) / s).toFixed(0)}%), postgres ${c.postgres.toFixed(1)} s`;
    const gcLine = (m: NodeJS.MemoryUsage | undefined) => (m ? `RSS ${mib(m.rss)} MiB, heap ${mib(m.heapUsed)} MiB` : 'n/a (no gc)');

    console.log(`npm run bench:waiting, ${new Date().toISOString()}, ${provenance()}`);
    console.log(
      `stack: Baton worker + clients in one Node ${process.version} process (workflow cache ${worker.options.maxCachedWorkflows}), Temporal dev server on SQLite (WAL), ` +
        `PostgreSQL ${process.env.TEST_DATABASE_URL ? '(TEST_DATABASE_URL)' : '(embedded)'}; ${os.cpus().length} cores`,
    );
    console.log(`policy plan_approval: remindAfter ${POLICY.remindAfter}, remindEvery ${POLICY.remindEvery}, maxReminders ${POLICY.maxReminders}, escalateAfter ${POLICY.escalateAfter}\n`);
    row('plans started', `${flowIds.length} in ${startSeconds.toFixed(1)} s → ${(flowIds.length / startSeconds).toFixed(1)} flows/s (${START_CONCURRENCY} at a time; errors ${errors.length})`);
    row('tasks open', `${tasks.length}; reminders before all were open: ${remindedEarly}`);
    row('reminders on record', `${recorded}/${expected}${recorded < expected ? ' (deadline reached)' : ''}; escalations ${escalations}; tasks still open ${stillOpen}`);
    row('lateness, all reminders', lat(late));
    row('  1st reminder', lat(byK(late, 1)));
    row('  2nd reminder', lat(byK(late, 2)));
    row('vs the workflow clock, all', lat(lateWf));
    row('  1st reminder', lat(byK(lateWf, 1)));
    row('  2nd reminder', lat(byK(lateWf, 2)));
    row('phases', `start ${secs(startSeconds * 1000)}, waiting ${secs(quietMs)} (all open, none due), chasing ${chaseSeconds.toFixed(1)} s`);
    row('memory while starting', memory.summary('start'));
    row('memory while waiting', memory.summary('waiting'));
    row('  after forced GC', gcLine(gcWaiting));
    row('memory while chasing', memory.summary('chasing'));
    row('  after forced GC', gcLine(gcChasing));
    row('CPU while starting', cpu(cpuStarting, startSeconds));
    row('CPU while waiting', cpu(cpuWaiting, quietMs / 1000));
    row('CPU while chasing', cpu(cpuChasing, chaseSeconds));
    row('PostgreSQL queries', `starting ${queriesStarting} (${(queriesStarting / Math.max(1, flowIds.length)).toFixed(1)}/flow), ` +
      `waiting ${queriesWaiting} in ${secs(quietMs)} with ${tasks.length} tasks open, chasing ${queriesChasing} (${(queriesChasing / Math.max(1, recorded)).toFixed(1)}/reminder, incl. this script's count every 3 s)`);
    row(`histories (${shapes.length} flows)`, `${dist((s) => s.events)} events, ${dist((s) => s.workflowTasks)} workflow tasks, ${dist((s) => s.localActivities)} local activities`);
    row('  timers per flow', `${dist((s) => s.timersStarted)} TimerStarted, ${dist((s) => s.timersFired)} TimerFired; events while waiting on the first timer: ${dist((s) => s.eventsWhileWaiting)} (${[...new Set(shapes.flatMap((s) => s.whileWaiting))].join(', ') || 'none'})`);
    row('  slowest workflow task', `queued ${dist((s) => Math.round(s.wftQueueMaxMs))} ms, running ${dist((s) => Math.round(s.wftRunMaxMs))} ms (per flow, its longest)`);
    for (const e of errors.slice(0, 5)) console.log(`  error: ${e.slice(0, 300)}`);
    console.log(
      '\nLateness: audit_event.at (the reminder transaction\'s start, PostgreSQL clock) minus task.created_at + remindAfter (+ remindEvery ' +
        'for the 2nd); "vs the workflow clock" uses the timer\'s own start (task.due_at − escalateAfter). Memory: the whole process ' +
        '(worker, its workflow threads, clients, Prisma), sampled every second; heap is the main thread\'s. CPU: seconds used in the ' +
        'phase by the Temporal dev server, this process and every postgres process.',
    );
    console.log(`whole run ${((Date.now() - began) / 1000).toFixed(0)} s`);
  } finally {
    await stopAll();
  }
}

runAndExit(main);
