/**
 * A traced worker (the OpenTelemetry interceptors in its bundle) replays its flows correctly: a
 * decision sent right after the worker restarted, with nothing cached, is taken. With the SDK's
 * interceptors around Updates, every such decision was refused (task_not_open); see
 * workflows/tracing.ts. Spans go to a local collector, which counts what arrives.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bundleWorkflowCode, NativeConnection, type Worker } from '@temporalio/worker';
import pino from 'pino';
import { startTracing } from '../activities/tracing';
import { createBatonWorker, quietBundlerLogger, workflowBundleOptions } from '../worker/worker';
import { draftPlan } from './support/fixtures';
import { testEnvironment } from './support/environment';
import { apiTestStack } from './support/http';

const { stack, as, api } = apiTestStack();

test('a traced worker restarted between a submit and its decision takes the decision', async () => {
  await stack.stopWorker();
  const { code } = await bundleWorkflowCode({ ...workflowBundleOptions(true), logger: quietBundlerLogger });
  let exports = 0;
  const collector = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      exports++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  const tracing = startTracing('baton-worker-under-test', `http://127.0.0.1:${(collector.address() as AddressInfo).port}`)!;
  const native = await NativeConnection.connect({ address: testEnvironment().temporalAddress });
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  const startTraced = async () => {
    worker = await createBatonWorker({ connection: native, namespace: stack.taskQueue, taskQueue: stack.taskQueue, db: stack.db, log: pino({ level: 'silent' }), workflowBundle: { code }, tracing });
    running = worker.run();
  };
  const stopTraced = async () => {
    worker!.shutdown();
    await running;
  };
  try {
    await startTraced();
    const answers: number[] = [];
    for (let i = 0; i < 3; i++) {
      const plan = await draftPlan(stack.db);
      const submitted = await api().post(`/api/v1/training-plans/${plan.id}/submit`).set(as('hrOfficer')).send({});
      expect(submitted.status).toBe(202);
      // The worker goes away and comes back: the flow is replayed from its history.
      await stopTraced();
      await startTraced();
      const decided = await api().post(`/api/v1/tasks/${submitted.body.next[0].taskId}/decision`).set(as('collectionHead')).send({ decision: 'approve' });
      answers.push(decided.status);
    }
    expect(answers).toEqual([200, 200, 200]);
  } finally {
    await stopTraced();
    await native.close();
    await tracing.shutdown();
    collector.close();
    await stack.startWorker();
  }
  expect(exports).toBeGreaterThan(0);
}, 300_000);
