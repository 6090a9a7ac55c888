/**
 * `npm start`: the whole system on one machine with no configuration. Without DATABASE_URL it runs
 * an embedded PostgreSQL, without TEMPORAL_ADDRESS a Temporal dev server, both keeping their data
 * under .data/ so flows survive a restart. Then it migrates, seeds the demo organisation and runs a
 * worker and the API in this process.
 */
import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import path from 'node:path';
import { createLogger } from '../activities/logger';
import { FlowGateway } from '../api/flows';
import { startApiServer } from '../api/server';
import { settingsFrom } from '../domain/settings';
import { createDb } from '../prisma/db';
import { seedDemoOrganisation } from '../prisma/seed';
import { createBatonWorker, installTemporalRuntime, startFlowEndWatch, WORKER_DB_POOL } from '../worker/worker';
import { ensureDemoOnboarding } from './demo-onboarding';
import { ensureDemoStability } from './demo-stability';
import { ensureDemoTraining } from './demo-training';
import { startEmbeddedPostgres } from './embedded-postgres';
import { applyMigrations, ensureDatabase } from './migrate';
import { startTemporalDevServer } from './temporal';
import { ensureWebApp } from './web';
import { closeOutbox } from '../activities/notifications';

const say = (message: string) => process.stderr.write(`[baton] ${message}\n`);

async function main(): Promise<void> {
  const env = { ...process.env };
  const log = createLogger(settingsFrom(env).logLevel, 'baton');
  installTemporalRuntime(log, settingsFrom(env).workerMetricsAddress);
  const dataDir = path.resolve(env.BATON_DATA_DIR ?? path.join(__dirname, '..', '.data'));
  const stops: (() => Promise<void>)[] = [];
  let temporalUi: string | undefined;

  if (!env.DATABASE_URL) {
    const port = Number(env.EMBEDDED_PG_PORT ?? 54329);
    say(`starting embedded PostgreSQL on port ${port} (data in ${path.join(dataDir, 'postgres')})`);
    const pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres'), port, persistent: true });
    // As root in a private folder, the cluster lives where user postgres can reach it (a link in dataDir leads there).
    if (pg.dataDir !== path.join(dataDir, 'postgres')) say(`PostgreSQL's data is in ${pg.dataDir} (user postgres cannot enter this folder; ${path.join(dataDir, 'postgres')} links to it)`);
    stops.push(() => pg.stop());
    const url = new URL(pg.url);
    url.pathname = '/baton';
    env.DATABASE_URL = url.toString();
  }
  if (!env.TEMPORAL_ADDRESS) {
    const port = Number(env.TEMPORAL_DEV_PORT ?? 7233);
    say(`starting the Temporal dev server on port ${port} (data in ${path.join(dataDir, 'temporal.db')})`);
    const temporal = await startTemporalDevServer({ dbFile: path.join(dataDir, 'temporal.db'), port, uiPort: Number(env.TEMPORAL_UI_PORT ?? 8233), log: say });
    stops.unshift(() => temporal.stop());
    env.TEMPORAL_ADDRESS = temporal.address;
    temporalUi = temporal.uiUrl;
    env.TEMPORAL_WEB_URL ??= temporal.uiUrl;
  }

  const settings = settingsFrom(env);
  const databaseUrl = settings.databaseUrl!;
  await ensureDatabase(databaseUrl);
  const applied = await applyMigrations(databaseUrl, say);
  if (applied.length) say(`applied migrations: ${applied.join(', ')}`);
  const db = createDb(databaseUrl, WORKER_DB_POOL + 10); // the worker's slots and the API's requests
  const seeded = await seedDemoOrganisation(db);
  say(`demo organisation: ${seeded.departments} departments, ${seeded.employees} employees, ${seeded.accounts} accounts`);

  const connection = await NativeConnection.connect({ address: settings.temporal.address });
  const worker = await createBatonWorker({ connection, namespace: settings.temporal.namespace, taskQueue: settings.temporal.taskQueue, db, log, maxCachedWorkflows: settings.maxCachedWorkflows, notifications: settings.notifications, workflowStackTraces: settings.workflowStackTraces });
  const workerDone = worker.run();
  const client = new Client({ connection, namespace: settings.temporal.namespace });
  await startFlowEndWatch(client, settings.temporal.taskQueue);
  if (await ensureWebApp()) say('built the web app (dist/web)');
  const api = await startApiServer(settings, db, log);
  const demoPlan = await ensureDemoTraining(db, new FlowGateway(client, settings.temporal.taskQueue), settings.flows);
  if (demoPlan) say(`demo training plan approved, with two sessions ahead: GET /api/v1/training-sessions?planId=${demoPlan}`);
  for (const entered of await ensureDemoStability(db, api.url, settings.auth)) say(`demo: ${entered}`);
  for (const entered of await ensureDemoOnboarding(db, api.url, settings.auth)) say(`demo: ${entered}`);

  say('');
  say(`Web app       ${api.url}/   (sign in as any demo employee)`);
  say(`API           ${api.url}/api/v1`);
  say(`API docs      ${api.url}/api/docs`);
  if (temporalUi) say(`Temporal UI   ${temporalUi}`);
  say(`Tokens        npm run -s token -- hr   (or hr_director, executive, manager, BT005, …)`);
  say(`              curl -H "Authorization: Bearer $(npm run -s token -- hr)" ${api.url}/api/v1/tasks`);
  say('Ctrl-C stops everything; data stays in .data/ for the next start.');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await workerDone;
    await api.close();
    await connection.close();
    await closeOutbox(db);
    await db.$disconnect();
    for (const s of stops) await s();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  workerDone.catch(async (err) => {
    log.error({ err }, 'worker stopped unexpectedly');
    await stop();
  });
}

main().catch((err) => {
  say(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
