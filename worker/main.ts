import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { settingsFrom } from '../domain/settings';
import { createDb } from '../prisma/db';
import { createLogger } from '../activities/logger';
import { startTracing } from '../activities/tracing';
import { createBatonWorker, installTemporalRuntime, startFlowEndWatch, WORKER_DB_POOL } from './worker';
import { closeOutbox } from '../activities/notifications';

/** `npm run worker`: one stateless worker process; Ctrl-C / SIGTERM drains it gracefully. */
async function main(): Promise<void> {
  const settings = settingsFrom(process.env);
  const log = createLogger(settings.logLevel, 'worker');
  if (!settings.databaseUrl) throw new Error('DATABASE_URL is not set (npm start sets it for the local stack)');
  installTemporalRuntime(log, settings.workerMetricsAddress);
  const db = createDb(settings.databaseUrl, WORKER_DB_POOL);
  const tracing = startTracing('baton-worker');
  const connection = await NativeConnection.connect({ address: settings.temporal.address });
  const worker = await createBatonWorker({ connection, namespace: settings.temporal.namespace, taskQueue: settings.temporal.taskQueue, db, log, maxCachedWorkflows: settings.maxCachedWorkflows, notifications: settings.notifications, workflowStackTraces: settings.workflowStackTraces, tracing });
  await startFlowEndWatch(new Client({ connection, namespace: settings.temporal.namespace }), settings.temporal.taskQueue);
  log.info({ taskQueue: settings.temporal.taskQueue, temporal: settings.temporal.address }, 'worker started');
  await worker.run(); // resolves after SIGINT/SIGTERM once in-flight tasks finish (the SDK installs the signal handlers)
  await connection.close();
  await closeOutbox(db);
  await db.$disconnect();
  await tracing?.shutdown();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
