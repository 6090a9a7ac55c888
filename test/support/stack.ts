/**
 * One test file's stack: a fresh copy of the seeded database, a real worker on its own task queue
 * against the shared Temporal dev server, a Temporal client and the Express app wired to both.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, DefaultLogger, type LogLevel, type Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { msToTs } from '@temporalio/common/lib/time';
import pino from 'pino';
import type { Express } from 'express';
import { createApp } from '../../api/app';
import { signToken, type AuthSettings } from '../../api/auth';
import type { ApiContext } from '../../api/context';
import { FlowGateway } from '../../api/flows';
import { DEFAULT_NEEDS } from '../../domain/needsCycle';
import { DEFAULT_HANDOVER } from '../../domain/handover';
import { channelChoice, DEFAULT_CHASING, type FlowSettings, type NotificationSettings } from '../../domain/settings';
import { createDb, type Db } from '../../prisma/db';
import { createBatonWorker, WORKER_DB_POOL } from '../../worker/worker';
import { testEnvironment } from './environment';
import { createDatabase, dropDatabase } from '../../scripts/throwaway-postgres';
import { closeOutbox } from '../../activities/notifications';

let runtimeInstalled = false;

export const TEST_AUTH: AuthSettings = { secret: 'test-secret-test-secret-test-secret' };

/** Chasing in seconds, so tests run the production code paths quickly. */
export const FAST_SETTINGS: FlowSettings = {
  executiveThresholdFen: 5_000_000,
  handover: DEFAULT_HANDOVER,
  needs: DEFAULT_NEEDS,
  // Retention's action check comes seconds after HR's review (RETENTION_SETTINGS in a deployment).
  retention: { stayInterviewWithin: 'PT1H', reviewWithin: 'PT1H', actionCheckAfter: 'PT2S' },
  chasing: Object.fromEntries(
    Object.keys(DEFAULT_CHASING).map((type) => [type, { remindAfter: 'PT1H', remindEvery: 'PT1H', maxReminders: 5, escalateAfter: 'PT2H', escalateTo: ['manager', 'hr'] }]),
  ) as FlowSettings['chasing'],
};

/** Every channel may be chosen; what is sent goes to the log (the worker's default courier). */
export const TEST_CHANNELS: ApiContext['notificationChannels'] = { configured: ['log', 'email', 'wecom', 'dingtalk', 'feishu'], defaults: ['log'] };

export interface TestStack {
  db: Db;
  /** The file's own database, for tests that need a raw connection (to hold a lock, say). */
  dbUrl: string;
  client: Client;
  /** The gateway the app uses: tests drive flows exactly as the API does. */
  flows: FlowGateway;
  taskQueue: string;
  app: Express;
  worker(): Worker;
  /** Stops the worker (as a crash or deploy would) and starts a new one on the same queue. */
  restartWorker(between?: () => Promise<void>): Promise<void>;
  stopWorker(): Promise<void>;
  startWorker(): Promise<void>;
  token(employeeId: string): Promise<string>;
  stop(): Promise<void>;
}

/** `notifications`: the worker's channels and delivery rules (unset: the log, at any hour);
 *  `web`: the web app the API serves, and whether its demo picker signs in;
 *  `workflowStackTraces`: the worker's WORKFLOW_STACK_TRACES (unset: on);
 *  `attachments`: where the API keeps comments' files and their size limit (unset: the defaults). */
export async function startTestStack(options: { notifications?: NotificationSettings; web?: ApiContext['web']; workflowStackTraces?: boolean; attachments?: ApiContext['attachments'] } = {}): Promise<TestStack> {
  const env = testEnvironment();
  if (!runtimeInstalled) {
    // Tests provoke activity failures on purpose (a stalled flow); errors are what is worth reading.
    Runtime.install({ logger: new DefaultLogger((process.env.TEST_SDK_LOG_LEVEL as LogLevel | undefined) ?? 'ERROR') });
    runtimeInstalled = true;
  }
  const dbName = `baton_t_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const dbUrl = await createDatabase(env.pgAdminUrl, dbName, env.templateDatabase);
  const db = createDb(dbUrl, WORKER_DB_POOL);
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const taskQueue = `test-${dbName}`;
  const nativeConnection = await NativeConnection.connect({ address: env.temporalAddress });
  const connection = await Connection.connect({ address: env.temporalAddress });
  // A namespace per file, like a database per file: business-key workflow ids (a resignation of
  // the same person on the same date) must not meet another file's flows.
  const namespace = taskQueue;
  await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
  const client = new Client({ connection, namespace });

  let current: { worker: Worker; running: Promise<void> } | undefined;
  const startWorker = async () => {
    const worker = await createBatonWorker({
      connection: nativeConnection,
      namespace,
      taskQueue,
      db,
      log,
      workflowBundle: { codePath: env.workflowBundlePath },
      notifications: options.notifications,
      workflowStackTraces: options.workflowStackTraces,
    });
    current = { worker, running: worker.run() };
  };
  const stopWorker = async () => {
    if (!current) return;
    current.worker.shutdown();
    await current.running;
    current = undefined;
  };
  await startWorker();

  const flows = new FlowGateway(client, taskQueue);
  const app = createApp({
    db,
    flows,
    flowDefaults: FAST_SETTINGS,
    notificationChannels: options.notifications ? channelChoice(options.notifications) : TEST_CHANNELS,
    auth: TEST_AUTH,
    web: options.web,
    attachments: options.attachments,
    log,
    temporalReady: async () => {
      await connection.workflowService.getSystemInfo({});
      return true;
    },
  });

  return {
    db,
    dbUrl,
    client,
    flows,
    taskQueue,
    app,
    worker: () => current!.worker,
    startWorker,
    stopWorker,
    async restartWorker(between) {
      await stopWorker();
      await between?.();
      await startWorker();
    },
    token: (employeeId) => signToken(TEST_AUTH, employeeId),
    async stop() {
      await stopWorker();
      await connection.close();
      await nativeConnection.close();
      await closeOutbox(db);
      await db.$disconnect();
      await dropDatabase(env.pgAdminUrl, dbName);
    },
  };
}
