/**
 * A complete, temporary Baton stack in this process (in-memory Temporal, throwaway PostgreSQL,
 * migrated and seeded, one worker), for the scripts that exercise real flows: recording replay
 * histories and benchmarks.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import pino from 'pino';
import { FlowGateway } from '../api/flows';
import { createDb, type Db } from '../prisma/db';
import { seedDemoOrganisation } from '../prisma/seed';
import { createDatabase, dropDatabase, startTestPostgres } from './throwaway-postgres';
import { createBatonWorker } from '../worker/worker';
import { applyMigrations } from './migrate';
import { startTemporalDevServer } from './temporal';

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
  const worker = await createBatonWorker({ connection: native, namespace: 'default', taskQueue, db, log: pino({ level: 'warn' }) });
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
      await db.$disconnect();
      await temporal.stop();
      await dropDatabase(pg.adminUrl, name);
      await pg.stop();
    },
  };
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
