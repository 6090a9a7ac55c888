/**
 * A Baton worker in a process of its own, for tests that kill it (SIGKILL) in the middle of an
 * activity. Configured by BATON_WORKER (JSON); prints `ready` once it polls.
 */
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import pino from 'pino';
import { createDb } from '../../prisma/db';
import { createBatonWorker, WORKER_DB_POOL } from '../../worker/worker';

interface WorkerProcessConfig {
  address: string;
  namespace: string;
  taskQueue: string;
  dbUrl: string;
  bundlePath: string;
}

async function main(): Promise<void> {
  const c = JSON.parse(process.env.BATON_WORKER!) as WorkerProcessConfig;
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const connection = await NativeConnection.connect({ address: c.address });
  const db = createDb(c.dbUrl, WORKER_DB_POOL);
  const worker = await createBatonWorker({ connection, namespace: c.namespace, taskQueue: c.taskQueue, db, log: pino({ level: 'silent' }), workflowBundle: { codePath: c.bundlePath } });
  const running = worker.run();
  process.stdout.write('ready\n');
  await running;
}

void main();
