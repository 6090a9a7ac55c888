/**
 * A complete, temporary Baton stack in this process (in-memory Temporal, throwaway PostgreSQL,
 * migrated and seeded, one worker), for the scripts that exercise real flows: recording replay
 * histories and benchmarks.
 */
import { Client, Connection } from '@temporalio/client';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import pino from 'pino';
import { FlowGateway } from '../api/flows';
import { createDb, type Db } from '../prisma/db';
import { seedDemoOrganisation } from '../prisma/seed';
import { createDatabase, dropDatabase, startTestPostgres } from './throwaway-postgres';
import { createBatonWorker } from '../worker/worker';
import { applyMigrations } from './migrate';
import { startTemporalDevServer } from './temporal';
import { closeOutbox } from '../activities/notifications';

export interface ThrowawayStack {
  db: Db;
  client: Client;
  flows: FlowGateway;
  stop(): Promise<void>;
}

export async function startThrowawayStack(taskQueue: string): Promise<ThrowawayStack> {
  const [temporal, pg] = await Promise.all([startTemporalDevServer({ uiPort: false }), startTestPostgres()]);
  const name = `baton_throwaway_${process.pid}`;
  const url = await createDatabase(pg.adminUrl, name);
  await applyMigrations(url);
  const db = createDb(url, 20);
  await seedDemoOrganisation(db);
  const native = await NativeConnection.connect({ address: temporal.address });
  // Benchmarks measure without per-promise stack traces, as bench:http does (WORKFLOW_STACK_TRACES=off).
  const worker = await createBatonWorker({ connection: native, namespace: 'default', taskQueue, db, log: pino({ level: 'warn' }), workflowStackTraces: false });
  const running = worker.run();
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection });
  return {
    db,
    client,
    flows: new FlowGateway(client, taskQueue),
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
      await native.close();
      await closeOutbox(db);
      await db.$disconnect();
      await temporal.stop();
      await dropDatabase(pg.adminUrl, name);
      await pg.stop();
    },
  };
}

/**
 * For benchmarks of the engine as `npm start` runs it: a Temporal dev server on a SQLite file in
 * WAL mode and an empty, migrated database, both thrown away by `stopAll`, which also runs
 * whatever the caller pushes onto `stops` (in reverse order).
 */
export async function startPersistentEngine(name: string, say: (message: string) => void) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `baton-${name}-`));
  const stops: (() => Promise<void>)[] = [async () => rmSync(dir, { recursive: true, force: true })];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch((err) => say(`while stopping: ${String(err)}`));
  };
  try {
    say('starting PostgreSQL and a Temporal dev server on a SQLite file (WAL)…');
    const [temporal, postgres] = await Promise.all([startTemporalDevServer({ dbFile: path.join(dir, 'temporal.db'), uiPort: false, log: say }), startTestPostgres()]);
    stops.push(() => postgres.stop(), () => temporal.stop());
    const dbName = `baton_${name.replace(/-/g, '_')}_${process.pid}`;
    const databaseUrl = await createDatabase(postgres.adminUrl, dbName);
    stops.push(() => dropDatabase(postgres.adminUrl, dbName));
    await applyMigrations(databaseUrl);
    return { temporal, databaseUrl, stops, stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** Runs a script to its end and exits (the stack's connections would otherwise keep it alive). */
export function runAndExit(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
