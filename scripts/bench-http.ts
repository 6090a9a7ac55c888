/**
 * `npm run bench:http [-- users approvalsPerUser]`: plan approvals driven over real HTTP by
 * concurrent users, as people do, against a throwaway stack like `npm start` (API + worker in this
 * process, a Temporal dev server persisting to a SQLite file in WAL mode, PostgreSQL), and the
 * same number of clients driving a bare Temporal workflow of the same shape (./bench-baseline) on
 * the same Temporal server. Default: 1 user × 20 approvals, then 10 users × 10. Prints figures;
 * asserts nothing. All traffic stays on 127.0.0.1.
 *
 * One approval, per user, with no think time:
 *   HR officer      POST /api/v1/training-plans, POST /api/v1/training-plans/:id/submit
 *   department head GET /api/v1/tasks?status=open until the flow's task is there, POST /tasks/:id/decision
 *   HR director     the same
 */
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import inspector from 'node:inspector/promises';
import path from 'node:path';
import type { Server } from 'node:http';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { createLogger } from '../activities/logger';
import { signToken } from '../api/auth';
import { createApp } from '../api/app';
import { FlowGateway } from '../api/flows';
import { channelChoice, settingsFrom } from '../domain/settings';
import { approvalChainFor } from '../domain/trainingPlan';
import { createDb } from '../prisma/db';
import { seedDemoOrganisation } from '../prisma/seed';
import { DEMO } from '../prisma/seed-data';
import { samplePlanContent as planContent } from '../prisma/seed-data';
import { createBatonWorker, installTemporalRuntime, startFlowEndWatch, WORKER_DB_POOL } from '../worker/worker';
import { baselineActivities } from './bench-baseline/activities';
import { bareApproval, decide, submit } from './bench-baseline/workflows';
import { cpuMeter, pct, provenance, tsMs, type CpuSeconds } from './bench-measure';
import { committedTransactions, measureParts, transactionsSince, type PartCosts } from './bench-parts';
import { startCluster } from './cluster';
import { dropDatabase } from './throwaway-postgres';
import { startPersistentEngine } from './throwaway-stack';
import { runAndExit } from './throwaway-stack';
import { closeOutbox } from '../activities/notifications';

const say = (message: string) => process.stderr.write(`[bench:http] ${message}\n`);
const WARM_UP = { users: 10, perUser: 15 };
/** Baton's workers keep no stack per promise, as in the README's figures (WORKFLOW_STACK_TRACES). */
const BENCH_STACK_TRACES = 'off';
/** With BENCH_CLUSTER=1: how many worker processes the cluster runs (BENCH_CLUSTER_WORKERS, default 2). */
const CLUSTER_WORKERS = Math.max(1, Number(process.env.BENCH_CLUSTER_WORKERS ?? 2) || 2);

// ---------------------------------------------------------------------------------------------
// Figures

type CallType = 'create' | 'submit' | 'inbox' | 'decision';

interface FlowShape {
  events: number;
  workflowTasks: number;
  /** Workflow task queue wait (scheduled → started) and run (started → completed), summed, ms. */
  wftQueueMs: number;
  wftRunMs: number;
  activities: number;
  actQueueMs: number;
  actRunMs: number;
  /** Local activities, counted by the marker each leaves in the history. */
  localActivities: number;
}

interface Run {
  label: string;
  approvals: number;
  errors: string[];
  seconds: number;
  latency: Record<CallType, number[]>;
  /** Approver steps, and those whose task was in the inbox on the first GET. */
  /** The Temporal part of submit and decision requests, as the API's FlowGateway saw it. */
  gateway: { submit: number[]; decision: number[] };
  firstLooks: number;
  firstLookHits: number;
  /** On a miss: ms from the previous step's answer until the task was in the inbox. */
  missDelaysMs: number[];
  flowIds: string[];
  shapes: FlowShape[];
  cpu?: CpuSeconds;
  /** Transactions PostgreSQL committed in Baton's database during the run (and its settling). */
  transactions?: number;
}

const newRun = (label: string): Run => ({
  label,
  approvals: 0,
  errors: [],
  seconds: 0,
  latency: { create: [], submit: [], inbox: [], decision: [] },
  gateway: { submit: [], decision: [] },
  firstLooks: 0,
  firstLookHits: 0,
  missDelaysMs: [],
  flowIds: [],
  shapes: [],
});

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const maxOf = (xs: number[]) => (xs.length ? Math.max(...xs) : NaN);
const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(0)}` : '–');
const lat = (xs: number[]) => (xs.length ? `p50 ${ms(pct(xs, 50))}  p95 ${ms(pct(xs, 95))}  p99 ${ms(pct(xs, 99))} ms (n ${xs.length})` : '–');

async function timed<T>(into: number[], work: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const result = await work();
  into.push(performance.now() - t);
  return result;
}

// ---------------------------------------------------------------------------------------------
// CPU: this process (API + worker + bench clients), the Temporal dev server (our child) and every
// `postgres` process on the machine (approximate: backends that exit between samples are lost).

// ---------------------------------------------------------------------------------------------
// Histories

async function flowShape(client: Client, flowId: string): Promise<FlowShape> {
  const handle = client.workflow.getHandle(flowId);
  await Promise.race([handle.result(), new Promise((_, reject) => setTimeout(() => reject(new Error(`${flowId} did not complete within 30 s`)), 30_000))]);
  const events = (await handle.fetchHistory()).events ?? [];
  const at = new Map<string, number>();
  const shape: FlowShape = { events: events.length, workflowTasks: 0, wftQueueMs: 0, wftRunMs: 0, activities: 0, actQueueMs: 0, actRunMs: 0, localActivities: 0 };
  for (const e of events) {
    const id = String(e.eventId);
    const t = tsMs(e.eventTime);
    at.set(id, t);
    if (e.workflowTaskStartedEventAttributes) shape.wftQueueMs += t - at.get(String(e.workflowTaskStartedEventAttributes.scheduledEventId))!;
    if (e.workflowTaskCompletedEventAttributes) {
      shape.workflowTasks++;
      shape.wftRunMs += t - at.get(String(e.workflowTaskCompletedEventAttributes.startedEventId))!;
    }
    if (e.activityTaskStartedEventAttributes) shape.actQueueMs += t - at.get(String(e.activityTaskStartedEventAttributes.scheduledEventId))!;
    if (e.activityTaskCompletedEventAttributes) {
      shape.activities++;
      shape.actRunMs += t - at.get(String(e.activityTaskCompletedEventAttributes.startedEventId))!;
    }
    // Local activities leave a marker each; so does each patched() check (core_patch), not counted.
    if (e.markerRecordedEventAttributes?.markerName === 'core_local_activity') shape.localActivities++;
  }
  return shape;
}

/** Waits for each flow to end and reads its history, a few at a time (outside the timed part). */
async function collectShapes(client: Client, run: Run): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < run.flowIds.length) {
        const flowId = run.flowIds[next++]!;
        try {
          run.shapes.push(await flowShape(client, flowId));
        } catch (err) {
          run.errors.push(`history of ${flowId}: ${(err as Error).message}`);
        }
      }
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// The API's gateway to Temporal, timed: how much of a request's time is the flow's answer.

/** Where the gateway's timings go: the Baton run in progress. */
let gatewaySink: Run['gateway'] | undefined;

class TimedFlowGateway extends FlowGateway {
  override submitPlan(...args: Parameters<FlowGateway['submitPlan']>) {
    const into = gatewaySink?.submit ?? [];
    return timed(into, () => super.submitPlan(...args));
  }

  override decide(...args: Parameters<FlowGateway['decide']>) {
    const into = gatewaySink?.decision ?? [];
    return timed(into, () => super.decide(...args));
  }
}

// ---------------------------------------------------------------------------------------------
// Drivers

interface Person {
  name: string;
  token: string;
}

interface InboxPage {
  items: { id: string; flowId: string; status: string }[];
  total: number;
}

/** Runs `users` loops of `perUser` approvals at once; returns the run with its wall time. */
async function drive(run: Run, users: number, perUser: number, driver: (run: Run) => (user: number, i: number) => Promise<void>): Promise<Run> {
  const approveOnce = driver(run);
  const cpu = cpuMeter();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: users }, async (_, user) => {
      for (let i = 0; i < perUser; i++) {
        try {
          await approveOnce(user, i);
          run.approvals++;
        } catch (err) {
          run.errors.push((err as Error).message);
        }
      }
    }),
  );
  run.seconds = (performance.now() - started) / 1000;
  run.cpu = cpu();
  return run;
}

/** One API call as a person's client makes it; a refusal throws with its answer. */
async function request<T>(baseUrl: string, method: 'GET' | 'POST', route: string, who: Person, body?: unknown): Promise<T> {
  const res = await fetch(baseUrl + route, {
    method,
    headers: { authorization: `Bearer ${who.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${who.name}: ${method} ${route} → ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

const OPEN_TASKS = '/api/v1/tasks?status=open';

/** `baseUrls`: the API instances, taken in turn as a load balancer would. */
function batonDriver(baseUrls: string[], drafters: Person[], approvers: Person[]) {
  let turn = 0;
  const http = <T>(method: 'GET' | 'POST', route: string, who: Person, body?: unknown) => request<T>(baseUrls[turn++ % baseUrls.length]!, method, route, who, body);

  /** The approver reads their inbox until the flow's task is there (polling every 10 ms). */
  async function findTask(run: Run, approver: Person, flowId: string, since: number): Promise<string> {
    for (let look = 0; ; look++) {
      const page = await timed(run.latency.inbox, () => http<InboxPage>('GET', OPEN_TASKS, approver));
      const task = page.items.find((t) => t.flowId === flowId);
      if (look === 0) {
        run.firstLooks++;
        if (task) run.firstLookHits++;
      }
      if (task) {
        if (look > 0) run.missDelaysMs.push(performance.now() - since);
        return task.id;
      }
      if (page.total > page.items.length) throw new Error(`${approver.name}'s inbox has ${page.total} open tasks, more than one page`);
      if (performance.now() - since > 30_000) throw new Error(`${flowId}: no task for ${approver.name} after 30 s`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  return (run: Run) => {
    gatewaySink = run.gateway;
    return (user: number, i: number) => approveOnce(run, user, i);
  };

  async function approveOnce(run: Run, user: number, i: number): Promise<void> {
    const drafter = drafters[user % drafters.length]!;
    const plan = await timed(run.latency.create, () =>
      http<{ id: string }>('POST', '/api/v1/training-plans', drafter, { title: `${run.label} u${user} #${i}`, departmentId: DEMO.departments.collection.id, content: planContent() }),
    );
    const { flowId } = await timed(run.latency.submit, () => http<{ flowId: string }>('POST', `/api/v1/training-plans/${plan.id}/submit`, drafter, {}));
    run.flowIds.push(flowId);
    let since = performance.now();
    for (const approver of approvers) {
      const taskId = await findTask(run, approver, flowId, since);
      await timed(run.latency.decision, () => http('POST', `/api/v1/tasks/${taskId}/decision`, approver, { decision: 'approve' }));
      since = performance.now();
    }
  }
}

function bareDriver(client: Client, taskQueue: string) {
  return (run: Run) => async (user: number, i: number) => {
    const workflowId = `bare-approval:${randomUUID()}`;
    const start = new WithStartWorkflowOperation(bareApproval, { workflowId, taskQueue, workflowIdConflictPolicy: 'USE_EXISTING', workflowIdReusePolicy: 'REJECT_DUPLICATE' });
    let { taskId } = await timed(run.latency.submit, () =>
      client.workflow.executeUpdateWithStart(submit, { args: [{ actorId: `user-${user}` }], updateId: `submit:${i}`, startWorkflowOperation: start }),
    );
    run.flowIds.push(workflowId);
    const handle = client.workflow.getHandle(workflowId);
    while (taskId) {
      const decided = taskId;
      ({ taskId } = await timed(run.latency.decision, () => handle.executeUpdate(decide, { args: [{ taskId: decided, decision: 'approve' }], updateId: `decide:${decided}` })));
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Report

/** Baton's own node CPU: this process in-process; the cluster's worker and API processes on a cluster. */
let batonNodeOf = (c: CpuSeconds) => c.node;

function report(users: number, perUser: number, baton: Run, bare: Run, parts: PartCosts): void {
  const W = 50;
  const row = (name: string, left: string, right = '') => console.log(`${name.padEnd(22)}${right ? left.padEnd(W) : left}${right}`);
  const tput = (r: Run) => r.approvals / r.seconds;
  const shape = (r: Run, f: (s: FlowShape) => number) => mean(r.shapes.map(f));
  // Baton's node: this process, or the cluster's processes; the bare flow's worker is always this process.
  const nodeOf = (r: Run) => (r === baton ? batonNodeOf(r.cpu!) : r.cpu!.node);
  const cpu = (r: Run) => (r.cpu ? `node ${nodeOf(r).toFixed(1)}, temporal ${r.cpu.temporal.toFixed(1)}, pg ${r.cpu.postgres.toFixed(1)} s` : 'n/a');
  // Per approval; threads that ended during the run are not counted.
  const each = (r: Run, seconds: number) => ms((1000 * seconds) / Math.max(1, r.approvals));
  const perApproval = (r: Run) => (r.cpu ? `${each(r, nodeOf(r) + r.cpu.temporal + r.cpu.postgres)}: node ${each(r, nodeOf(r))}, temporal ${each(r, r.cpu.temporal)}, pg ${each(r, r.cpu.postgres)}` : 'n/a');
  const byThread = (r: Run) => (r.cpu?.nodeThreads && nodeOf(r) === r.cpu.node ? `main ${each(r, r.cpu.nodeThreads.main)}, other ${each(r, r.cpu.nodeThreads.other)}, SDK core ${each(r, r.cpu.nodeThreads.sdkCore)}` : 'n/a');
  const busy = (r: Run) => (r.cpu ? `${(100 * r.cpu.mainThreadBusy).toFixed(0)}%` : 'n/a');
  const misses = baton.firstLooks - baton.firstLookHits;

  console.log(`\n${users} user${users === 1 ? '' : 's'} × ${perUser} approvals, no think time (plan below the executive threshold: department head, then HR director)`);
  row('', 'Baton, over HTTP', 'bare Temporal, client direct');
  row('throughput', `${tput(baton).toFixed(2)} approvals/s (${baton.approvals} in ${baton.seconds.toFixed(1)} s)`, `${tput(bare).toFixed(2)} approvals/s (${bare.approvals} in ${bare.seconds.toFixed(1)} s)`);
  row('  Baton ÷ bare', `${(tput(baton) / tput(bare)).toFixed(2)}`);
  row('create (POST plan)', lat(baton.latency.create), '–');
  row('submit', lat(baton.latency.submit), `update-with-start ${lat(bare.latency.submit)}`);
  row('  of which Temporal', lat(baton.gateway.submit));
  row('inbox read (GET)', lat(baton.latency.inbox), '–');
  row('decision', lat(baton.latency.decision), `update ${lat(bare.latency.decision)}`);
  row('  of which Temporal', lat(baton.gateway.decision));
  row(
    'first-look inbox',
    `${baton.firstLookHits}/${baton.firstLooks} (${((100 * baton.firstLookHits) / Math.max(1, baton.firstLooks)).toFixed(0)}%) there on the first GET` +
      (misses ? `; ${misses} misses, visible after p50 ${ms(pct(baton.missDelaysMs, 50))} ms, max ${ms(maxOf(baton.missDelaysMs))} ms` : ''),
  );
  row('history per flow', `mean ${shape(baton, (s) => s.events).toFixed(1)}, max ${maxOf(baton.shapes.map((s) => s.events))} events`, `mean ${shape(bare, (s) => s.events).toFixed(1)}, max ${maxOf(bare.shapes.map((s) => s.events))} events`);
  // From the histories, per flow: workflow tasks (their run includes the local activities they
  // execute) and regular activities, each as time queued and time running, summed over the flow.
  const tasks = (r: Run) => `${shape(r, (s) => s.workflowTasks).toFixed(1)}, queued ${ms(shape(r, (s) => s.wftQueueMs))} + running ${ms(shape(r, (s) => s.wftRunMs))} ms`;
  const acts = (r: Run) =>
    `${shape(r, (s) => s.localActivities).toFixed(1)} local; ${shape(r, (s) => s.activities).toFixed(1)} regular, queued ${ms(shape(r, (s) => s.actQueueMs))} + running ${ms(shape(r, (s) => s.actRunMs))} ms`;
  row('workflow tasks/flow', tasks(baton), tasks(bare));
  row('activities/flow', acts(baton), acts(bare));
  row('CPU during the run', cpu(baton), cpu(bare));
  row('  ms per approval', perApproval(baton), perApproval(bare));
  row('  node, by thread', byThread(baton), byThread(bare));
  row('node main thread busy', busy(baton), busy(bare));
  row('errors', `${baton.errors.length}`, `${bare.errors.length}`);
  for (const e of [...baton.errors, ...bare.errors].slice(0, 5)) console.log(`  ${e}`);
  if (baton.cpu && bare.cpu) speedInOneFigure(baton, bare, parts);
}

/** CPU per approval by part, approvals per second per core, and Baton node's budget: the bare
 *  flow's node CPU, plus its HTTP requests and its write transactions at their measured costs. */
function speedInOneFigure(baton: Run, bare: Run, parts: PartCosts): void {
  const per = (r: Run, seconds: number) => (1000 * seconds) / Math.max(1, r.approvals);
  const node = per(baton, batonNodeOf(baton.cpu!));
  const temporal = per(baton, baton.cpu!.temporal);
  const postgres = per(baton, baton.cpu!.postgres);
  const total = node + temporal + postgres;
  const bareNode = per(bare, bare.cpu!.node);
  const bareTotal = bareNode + per(bare, bare.cpu!.temporal);
  const requests = Object.values(baton.latency).reduce((n, xs) => n + xs.length, 0) / Math.max(1, baton.approvals);
  const transactions = (baton.transactions ?? NaN) / Math.max(1, baton.approvals);
  const writes = Math.max(0, transactions - requests * parts.transactionsPerRequest);
  const http = requests * parts.httpMs;
  const budget = bareNode + http + writes * parts.writeMs;
  const cores = os.cpus().length;
  console.log('speed in one figure');
  console.log(`  CPU per approval        Baton ${ms(total)} ms: node ${ms(node)}, Temporal ${ms(temporal)}, PostgreSQL ${ms(postgres)}; bare ${ms(bareTotal)} ms`);
  console.log(
    `  approvals/s per core    Baton ${(1000 / total).toFixed(1)} (bare ${(1000 / bareTotal).toFixed(1)}) per core-second of CPU; ` +
      `on this machine ${(baton.approvals / baton.seconds / cores).toFixed(2)} (bare ${(bare.approvals / bare.seconds / cores).toFixed(2)}) per core of ${cores}`,
  );
  const verdict = (spent: number, budget: number) => `spent ${ms(spent)}, ${spent <= budget ? 'within' : `${ms(spent - budget)} over`}`;
  console.log(
    `  Baton node's budget     ${ms(budget)} ms = bare flow's node ${ms(bareNode)} + HTTP ${ms(http)} (${requests.toFixed(1)} requests × ${parts.httpMs.toFixed(1)} ms) + ` +
      `writes ${ms(writes * parts.writeMs)} (${writes.toFixed(1)} transactions × ${parts.writeMs.toFixed(2)} ms); ${verdict(node, budget)}`,
  );
  const [mine, theirs] = [baton.cpu!.nodeThreads, bare.cpu!.nodeThreads];
  if (!mine || !theirs || batonNodeOf(baton.cpu!) !== baton.cpu!.node) return;
  // By thread, in one process: requests and writes run on the main thread, flows on the workflow thread.
  console.log(`    main thread           budget ${ms(per(bare, theirs.main) + http + writes * parts.writeMs)} (bare's ${ms(per(bare, theirs.main))} + HTTP + writes), ${verdict(per(baton, mine.main), per(bare, theirs.main) + http + writes * parts.writeMs)}`);
  console.log(`    workflow thread + V8  budget ${ms(per(bare, theirs.other))} (bare's), ${verdict(per(baton, mine.other), per(bare, theirs.other))}`);
  console.log(`    SDK core              budget ${ms(per(bare, theirs.sdkCore))} (bare's), ${verdict(per(baton, mine.sdkCore), per(bare, theirs.sdkCore))}`);
}

// ---------------------------------------------------------------------------------------------

interface Stack {
  temporalAddress: string;
  /** Baton's database, for PostgreSQL's transaction counts and the write cost. */
  db: ReturnType<typeof createDb>;
  baseUrls: string[];
  auth: { secret: string };
  /** What ran where, for the report's heading. */
  described: string;
}

/** As `npm start` runs it: API and worker in this process, a Temporal dev server on SQLite (WAL). */
async function inProcessStack(stops: (() => Promise<unknown>)[], databaseUrl: string, temporalAddress: string, log: ReturnType<typeof createLogger>): Promise<Stack> {
  const settings = settingsFrom({ DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_TASK_QUEUE: 'baton-bench-http', JWT_SECRET: randomBytes(24).toString('hex'), LOG_LEVEL: 'warn', WORKFLOW_STACK_TRACES: BENCH_STACK_TRACES });
  const db = createDb(databaseUrl, WORKER_DB_POOL + 10); // as `npm start`: the worker's slots and the API's requests
  stops.push(async () => {
    await closeOutbox(db);
    await db.$disconnect();
  });
  await seedDemoOrganisation(db);
  const native = await NativeConnection.connect({ address: temporalAddress });
  stops.push(() => native.close());
  const worker = await createBatonWorker({ connection: native, namespace: 'default', taskQueue: settings.temporal.taskQueue, db, log, workflowStackTraces: settings.workflowStackTraces });
  const running = worker.run();
  stops.push(async () => {
    worker.shutdown();
    await running;
  });
  await startFlowEndWatch(new Client({ connection: native }), settings.temporal.taskQueue);

  // The API as `npm start` runs it (its own client connection), listening on 127.0.0.1 only.
  const apiConnection = await Connection.connect({ address: temporalAddress });
  stops.push(() => apiConnection.close());
  const app = createApp({
    db,
    flows: new TimedFlowGateway(new Client({ connection: apiConnection }), settings.temporal.taskQueue),
    flowDefaults: settings.flows,
    notificationChannels: channelChoice(settings.notifications),
    auth: settings.auth,
    log,
    temporalReady: async () => Boolean(await apiConnection.workflowService.getSystemInfo({})),
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  stops.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  const { port } = server.address() as { port: number };
  return {
    temporalAddress,
    db,
    baseUrls: [`http://127.0.0.1:${port}`],
    auth: { secret: settings.auth.secret },
    described: `API + Baton worker + bare worker in one Node ${process.version} process, Temporal dev server on SQLite (WAL, synchronous=normal), PostgreSQL ${process.env.TEST_DATABASE_URL ? '(TEST_DATABASE_URL)' : '(embedded)'}`,
  };
}

/** As `npm run stack:cluster` runs it: the Temporal server on PostgreSQL, two workers and two API
 *  instances from the production build, each a process of its own. */
async function clusterStack(stops: (() => Promise<unknown>)[]): Promise<Stack> {
  const jwtSecret = randomBytes(24).toString('hex');
  const pgAdminUrl = process.env.CLUSTER_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const prefix = `bench_${Date.now().toString(36)}_`;
  const cluster = await startCluster({
    pgAdminUrl,
    prefix,
    temporalPortBase: 7500,
    apiPorts: [3101, 3102],
    workerMetricsPorts: Array.from({ length: CLUSTER_WORKERS }, (_, i) => 9564 + i),
    logDir: path.join(__dirname, '..', '.data', 'bench-cluster', 'logs'),
    jwtSecret,
    log: say,
    env: { WORKFLOW_STACK_TRACES: BENCH_STACK_TRACES },
  });
  stops.push(async () => {
    await cluster.stop();
    for (const name of ['baton', 'temporal', 'temporal_visibility']) await dropDatabase(pgAdminUrl, `${prefix}${name}`);
  });
  const db = createDb(cluster.databaseUrl, 12);
  stops.push(() => db.$disconnect());
  batonNodeOf = (c) => c.children;
  return {
    temporalAddress: cluster.temporalAddress,
    db,
    baseUrls: cluster.apiUrls,
    auth: { secret: jwtSecret },
    described: `2 API instances and ${CLUSTER_WORKERS} worker(s) (node dist/, one process each), the Temporal server ${'v1.29.1'} on PostgreSQL (deploy/temporal/production.yaml, 4 history shards), the bare worker in the bench process`,
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2).map(Number);
  const sections: [number, number][] = args.length ? [[args[0] || 1, args[1] || 10]] : [[1, 20], [10, 10]];
  const began = Date.now();
  const onCluster = process.env.BENCH_CLUSTER === '1';

  const log = createLogger('warn', 'bench-http');
  installTemporalRuntime(log);
  const engine = onCluster ? undefined : await startPersistentEngine('bench-http', say);
  const stops: (() => Promise<unknown>)[] = engine?.stops ?? [];
  const stopAll =
    engine?.stopAll ??
    (async () => {
      for (const stop of stops.splice(0).reverse()) await stop().catch((err) => say(`while stopping: ${String(err)}`));
    });
  try {
    const levels = approvalChainFor(planContent(), settingsFrom({}).flows.executiveThresholdFen);
    if (levels.join() !== 'department_head,hr_director') throw new Error(`the bench plan needs ${levels.join(', ')}; expected two levels`);
    say(onCluster ? 'starting the cluster (npm run build first)…' : 'bundling the workflows of Baton and of the bare baseline…');
    const stack = onCluster ? await clusterStack(stops) : await inProcessStack(stops, engine!.databaseUrl, engine!.temporal.address, log);

    // The bare baseline's worker, in this process, on the same Temporal server.
    const native = await NativeConnection.connect({ address: stack.temporalAddress });
    stops.push(() => native.close());
    const bareQueue = 'bare-baseline';
    const bareWorker = await Worker.create({ connection: native, namespace: 'default', taskQueue: bareQueue, workflowsPath: require.resolve('./bench-baseline/workflows'), activities: baselineActivities });
    const bareRunning = bareWorker.run();
    stops.push(async () => {
      bareWorker.shutdown();
      await bareRunning;
    });

    const person = async (key: keyof typeof DEMO.employees): Promise<Person> => ({ name: key, token: await signToken(stack.auth, DEMO.employees[key].id) });
    const drafters = [await person('hrOfficer'), await person('hrAssistant')];
    const approvers = [await person('collectionHead'), await person('hrDirector')];
    const baton = batonDriver(stack.baseUrls, drafters, approvers);
    const benchClientConnection = await Connection.connect({ address: stack.temporalAddress });
    stops.push(() => benchClientConnection.close());
    const client = new Client({ connection: benchClientConnection });
    const bare = bareDriver(client, bareQueue);

    // Unmeasured rounds first, so the figures are those of a process that has been running: V8
    // optimises a function only once it has run often (a single approval left ~8 optimising
    // compiles per approval to the first hundred measured), and pools and caches fill.
    say(`warming up (${WARM_UP.users} users × ${WARM_UP.perUser} approvals each way)…`);
    for (const [run, driver] of [[newRun('warm-up'), baton], [newRun('warm-up'), bare]] as const) {
      await drive(run, WARM_UP.users, WARM_UP.perUser, driver);
      if (run.errors.length) throw new Error(`warm-up failed: ${run.errors[0]}`);
    }

    console.log(`npm run bench:http${onCluster ? ' (BENCH_CLUSTER=1)' : ''}, ${new Date().toISOString()}, ${provenance()}`);
    console.log(`stack: ${stack.described}; ${os.cpus().length} cores; bare = same shape, 7 no-op local activities`);
    say('measuring the parts: inbox reads over HTTP, write transactions…');
    let turn = 0;
    const parts = await measureParts(stack.db, () => request(stack.baseUrls[turn++ % stack.baseUrls.length]!, 'GET', OPEN_TASKS, approvers[0]!), batonNodeOf);
    for (const [users, perUser] of sections) {
      const label = `Bench ${users}x${perUser}`;
      say(`${users} user(s) × ${perUser}: Baton over HTTP…`);
      const profiling = await profileMainThread(process.env.BENCH_CPU_PROFILE, `${users}x${perUser}`);
      const transactions = await committedTransactions(stack.db);
      const batonRun = await drive(newRun(label), users, perUser, baton);
      batonRun.transactions = await transactionsSince(stack.db, transactions);
      await profiling.stop();
      await collectShapes(client, batonRun);
      say(`${users} user(s) × ${perUser}: bare Temporal baseline…`);
      const bareRun = await drive(newRun(label), users, perUser, bare);
      await collectShapes(client, bareRun);
      report(users, perUser, batonRun, bareRun, parts);
    }
    console.log(
      '\nLatencies are per request as the client sees it; "of which Temporal" is the API\'s call to the flow inside it. Workflow ' +
        'tasks/flow: their time queued in Temporal plus running on the worker, summed over a flow; running includes the local ' +
        'activities they execute (Baton\'s PostgreSQL writes). CPU: seconds used during the section by this process (all threads), ' +
        'the Temporal dev server and every postgres process.',
    );
    console.log(`whole run (start, bundle, warm-up, sections, history reads) ${((Date.now() - began) / 1000).toFixed(0)} s`);
  } finally {
    await stopAll();
  }
}

/** With BENCH_CPU_PROFILE=<dir>, writes a CPU profile of this process's main thread during each
 *  Baton section (open it in Chrome DevTools); workflow threads are not included. */
async function profileMainThread(dir: string | undefined, tag: string): Promise<{ stop(): Promise<void> }> {
  if (!dir) return { stop: async () => {} };
  const session = new inspector.Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      const file = path.join(dir, `bench-http-${tag}-${Date.now()}.cpuprofile`);
      await writeFile(file, JSON.stringify(profile));
      session.disconnect();
      say(`CPU profile of the main thread: ${file}`);
    },
  };
}

runAndExit(main);
