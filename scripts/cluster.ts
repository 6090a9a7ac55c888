// `npm run stack:cluster`: Baton as it runs in production, on one machine without Docker. A real
// Temporal server on PostgreSQL (its schemas created or migrated, its configuration the file
// docker-compose mounts), Baton's database migrated and seeded, and several stateless workers and
// API instances started from the production build (dist/). test/cluster.test.ts runs the same.
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { signToken } from '../api/auth';
import { createDb } from '../prisma/db';
import { DEMO } from '../prisma/seed-data';
import { seedDemoOrganisation } from '../prisma/seed';
import { applyMigrations, ensureDatabase } from './migrate';
import { supervise, type Supervised } from './processes';
import { findTemporalServer, setupTemporalSchemas, startTemporalServer, type TemporalServerEnv } from './temporal-server';

type Log = (msg: string) => void;
const ROOT = path.resolve(__dirname, '..');

export interface ClusterOptions {
  /** A PostgreSQL URL with the right to create databases; Temporal's and Baton's live there. */
  pgAdminUrl: string;
  /** Prefix of the three databases' names (`<prefix>temporal`, `<prefix>temporal_visibility`, `<prefix>baton`). */
  prefix: string;
  /** The Temporal frontend's port; its other services take the next ones. */
  temporalPortBase: number;
  apiPorts: number[];
  /** One per worker: where it serves its Prometheus metrics. */
  workerMetricsPorts: number[];
  /** Logs of the server and of every process go here, one file each. */
  logDir: string;
  jwtSecret: string;
  /** More environment for the workers and API instances (say, OTEL_EXPORTER_OTLP_ENDPOINT). */
  env?: Record<string, string>;
  log: Log;
}

export interface Cluster {
  temporalAddress: string;
  databaseUrl: string;
  apiUrls: string[];
  workerMetricsUrls: string[];
  workers: Supervised[];
  apis: Supervised[];
  /** Starts worker `i` again (after it was stopped or killed), with `env` added to the cluster's. */
  startWorker(i: number, env?: Record<string, string>): Promise<void>;
  /** Starts API instance `i` again and waits until it is ready, with `env` added to the cluster's. */
  startApi(i: number, env?: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

/** Where dist/ lives: the production build must exist (`npm run build`). */
function builtEntry(file: string): string {
  const entry = path.join(ROOT, 'dist', file);
  if (!fs.existsSync(path.join(ROOT, 'dist', 'workflow-bundle.js'))) throw new Error('no production build: run `npm run build` first');
  return entry;
}

export async function startCluster(o: ClusterOptions): Promise<Cluster> {
  fs.mkdirSync(o.logDir, { recursive: true });
  const pg = new URL(o.pgAdminUrl);
  const temporalEnv: TemporalServerEnv = {
    TEMPORAL_PG_HOST: pg.hostname,
    TEMPORAL_PG_PORT: pg.port || '5432',
    TEMPORAL_PG_USER: decodeURIComponent(pg.username) || 'postgres',
    TEMPORAL_PG_PASSWORD: decodeURIComponent(pg.password),
    TEMPORAL_DB: `${o.prefix}temporal`,
    TEMPORAL_VISIBILITY_DB: `${o.prefix}temporal_visibility`,
    TEMPORAL_PORT_BASE: String(o.temporalPortBase),
    TEMPORAL_METRICS_ADDRESS: `127.0.0.1:${o.temporalPortBase + 20}`,
  };
  const tools = await findTemporalServer(o.log);
  await setupTemporalSchemas(tools, temporalEnv);
  const temporal = await startTemporalServer(tools, temporalEnv, { logFile: path.join(o.logDir, 'temporal-server.log'), log: o.log });
  const running: Supervised[] = [temporal.process];
  try {
    await registerNamespace(temporal.address, 'default');

    const databaseUrl = new URL(o.pgAdminUrl);
    databaseUrl.pathname = `/${o.prefix}baton`;
    await ensureDatabase(databaseUrl.toString());
    await applyMigrations(databaseUrl.toString());
    const db = createDb(databaseUrl.toString(), 2);
    await seedDemoOrganisation(db);
    await db.$disconnect();

    const env = {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl.toString(),
      TEMPORAL_ADDRESS: temporal.address,
      JWT_SECRET: o.jwtSecret,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      ...o.env,
    };
    const workers: Supervised[] = [];
    const apis: Supervised[] = [];
    const startWorker = async (i: number, more: Record<string, string> = {}) => {
      workers[i] = supervise(process.execPath, [builtEntry('worker/main.js')], {
        env: { ...env, ...more, WORKER_METRICS_ADDRESS: `127.0.0.1:${o.workerMetricsPorts[i]}` },
        logFile: path.join(o.logDir, `worker-${i + 1}.log`),
      });
      await waitFor(`worker ${i + 1}'s metrics`, workers[i]!, () => fetch(`http://127.0.0.1:${o.workerMetricsPorts[i]}/metrics`).then((r) => r.ok));
    };
    const startApi = async (i: number, more: Record<string, string> = {}) => {
      apis[i] = supervise(process.execPath, [builtEntry('api/main.js')], { env: { ...env, ...more, PORT: String(o.apiPorts[i]) }, logFile: path.join(o.logDir, `api-${i + 1}.log`) });
      await waitFor(`API instance ${i + 1}`, apis[i]!, () => fetch(`http://127.0.0.1:${o.apiPorts[i]}/readyz`).then((r) => r.ok));
    };
    await Promise.all([...o.workerMetricsPorts.map((_, i) => startWorker(i)), ...o.apiPorts.map((_, i) => startApi(i))]);
    return {
      temporalAddress: temporal.address,
      databaseUrl: databaseUrl.toString(),
      apiUrls: o.apiPorts.map((p) => `http://127.0.0.1:${p}`),
      workerMetricsUrls: o.workerMetricsPorts.map((p) => `http://127.0.0.1:${p}/metrics`),
      workers,
      apis,
      startWorker,
      startApi,
      async stop() {
        await Promise.all([...workers, ...apis].map((p) => p.stop(65_000)));
        await temporal.process.stop();
      },
    };
  } catch (err) {
    await Promise.all(running.map((p) => p.stop()));
    throw err;
  }
}

async function registerNamespace(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('3 days') });
  } catch (err) {
    if ((err as { code?: number }).code !== 6) throw err; // ALREADY_EXISTS: a later start of the same cluster
  } finally {
    await connection.close();
  }
  // A new namespace reaches every frontend's cache within seconds; wait until this one serves it.
  await waitFor(`namespace ${namespace}`, undefined, async () => {
    const c = await Connection.connect({ address });
    try {
      await c.workflowService.describeNamespace({ namespace });
      await c.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 });
      return true;
    } finally {
      await c.close();
    }
  });
}

/** Polls `ready` (errors count as not yet) until it holds, the process exits, or a minute passes. */
async function waitFor(what: string, process: Supervised | undefined, ready: () => Promise<boolean>): Promise<void> {
  let exited = false;
  void process?.exited.then(() => (exited = true));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`${what} exited during startup:\n${process!.output()}`);
    if (await ready().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} not ready after 60 s${process ? `:\n${process.output()}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main(): Promise<void> {
  const log: Log = (m) => console.log(m);
  const jwtSecret = process.env.JWT_SECRET ?? randomBytes(24).toString('hex');
  const cluster = await startCluster({
    pgAdminUrl: process.env.CLUSTER_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
    prefix: process.env.CLUSTER_DB_PREFIX ?? 'cluster_',
    temporalPortBase: Number(process.env.CLUSTER_TEMPORAL_PORT ?? 7400),
    apiPorts: [3001, 3002],
    workerMetricsPorts: [9464, 9465],
    logDir: path.join(ROOT, '.data', 'cluster', 'logs'),
    jwtSecret,
    log,
  });
  const hr = await signToken({ secret: jwtSecret }, DEMO.employees.hrOfficer.id);
  log(`Temporal server (PostgreSQL) at ${cluster.temporalAddress}; Baton's database ${cluster.databaseUrl}`);
  log(`API instances: ${cluster.apiUrls.join(', ')} (metrics at /metrics); worker metrics: ${cluster.workerMetricsUrls.join(', ')}`);
  log(`Logs in .data/cluster/logs. An HR officer's token: ${hr}`);
  log('Ctrl-C stops everything (workers and API instances drain first).');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await cluster.stop();
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
