/** A Baton worker in a process of its own (test/support/workerProcess.ts), so a test can SIGKILL it. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { testEnvironment } from './environment';
import { holdRows } from './rowLock';
import type { TestStack } from './stack';

async function startWorkerProcess(stack: TestStack) {
  const env = testEnvironment();
  // Node itself runs the worker (tsx only as its loader), so SIGKILL reaches the worker, not a wrapper.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'workerProcess.ts')], {
    env: { ...process.env, BATON_WORKER: JSON.stringify({ address: env.temporalAddress, namespace: stack.taskQueue, taskQueue: stack.taskQueue, dbUrl: stack.dbUrl, bundlePath: env.workflowBundlePath }) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    child.on('exit', (code) => reject(new Error(`the worker process exited (${code})`)));
  });
  return async function kill(): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
}

export interface KillableWorker {
  /**
   * Runs `act` while the test holds the row lock `lockSql` (a SELECT … FOR UPDATE) takes; once
   * `act`'s write waits for it, SIGKILLs the worker process, releases the lock and lets the stack's
   * own worker take over. Answers what `act` answered.
   */
  killMidWrite<T>(lockSql: string, params: unknown[], act: () => Promise<T>): Promise<T>;
}

/** Runs `body` with the flows on a worker process that it may kill; the stack's worker comes back after. */
export async function onKillableWorker(stack: TestStack, body: (worker: KillableWorker) => Promise<void>): Promise<void> {
  await stack.stopWorker();
  const kill = await startWorkerProcess(stack);
  let restarted = false;
  try {
    await body({
      async killMidWrite(lockSql, params, act) {
        const lock = await holdRows(stack.dbUrl, lockSql, params);
        const answer = act();
        try {
          await lock.waitedFor();
          await kill();
        } finally {
          await lock.release();
        }
        const answered = await answer;
        await stack.startWorker();
        restarted = true;
        return answered;
      },
    });
  } finally {
    await kill();
    if (!restarted) await stack.startWorker();
  }
}
