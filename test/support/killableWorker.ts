/** A Baton worker in a process of its own (test/support/workerProcess.ts), so a test can SIGKILL it. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { testEnvironment } from './environment';
import type { TestStack } from './stack';

export async function startKillableWorker(stack: TestStack) {
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
  return {
    /** SIGKILL: no chance to finish anything in flight. */
    async kill(): Promise<void> {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
