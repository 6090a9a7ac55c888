/**
 * Faults with real parts: a worker killed with SIGKILL in the middle of an activity, PostgreSQL
 * refusing connections while a flow is between activities, the Temporal server restarted on its
 * database file, and one request sent several times at once. Each time the flow finishes and
 * nothing is written twice.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client as Pg } from 'pg';
import pino from 'pino';
import { FlowGateway } from '../api/flows';
import { planContent as completePlan } from '../domain/trainingPlan';
import { startTemporalDevServer } from '../scripts/temporal';
import { createBatonWorker } from '../worker/worker';
import { testEnvironment } from './support/environment';
import { draftPlan, eventually, openTasks, people, planContent } from './support/fixtures';
import { apiTestStack } from './support/http';
import { onKillableWorker } from './support/killableWorker';
import { FAST_SETTINGS } from './support/stack';

const { stack, as, api } = apiTestStack();

async function submit(flows: FlowGateway) {
  const plan = await draftPlan(stack.db);
  const { flowId } = await flows.submitPlan(
    { planId: plan.id, departmentId: plan.departmentId, drafterId: plan.drafterId, title: plan.title, settings: FAST_SETTINGS },
    { actorId: plan.drafterId, title: plan.title, content: completePlan.parse(plan.draft), draftRevision: plan.draftRevision },
    1,
  );
  return { planId: plan.id, flowId };
}

/** Every row the approval wrote, by kind: what a doubled write would change. */
async function approvalRows(flowId: string, planId: string) {
  const [tasks, decisions, versions, opened, decided] = await Promise.all([
    stack.db.task.count({ where: { flowId } }),
    stack.db.planDecision.count({ where: { planId } }),
    stack.db.trainingPlanVersion.count({ where: { planId } }),
    stack.db.auditEvent.count({ where: { flowId, action: 'task.opened' } }),
    stack.db.auditEvent.count({ where: { flowId, action: 'task.decided' } }),
  ]);
  return { tasks, decisions, versions, opened, decided };
}

async function approveRemaining(flows: FlowGateway, flowId: string) {
  const [director] = await openTasks(stack.db, flowId, 1);
  expect(director!.assigneeId).toBe(people.hrDirector.id);
  await flows.decide(flowId, { taskId: director!.id, actorId: people.hrDirector.id, decision: 'approve' });
}

test('a worker killed with SIGKILL in the middle of an activity: another worker finishes the flow and nothing is written twice', async () => {
  await onKillableWorker(stack, async (worker) => {
    const { planId, flowId } = await submit(stack.flows);
    const [head] = await openTasks(stack.db, flowId, 1);
    // The decision's write waits for a row lock, so the worker dies in the middle of it.
    const decision = { taskId: head!.id, actorId: head!.assigneeId, decision: 'approve' as const };
    const deciding = await worker.killMidWrite('SELECT id FROM task WHERE id = $1 FOR UPDATE', [head!.id], () => stack.flows.decide(flowId, decision).catch((err: unknown) => err));
    // The caller heard 503 within the bound; it repeats the decision, as the answer tells it to.
    expect(deciding).toMatchObject({ status: 503 });
    expect(await stack.flows.decide(flowId, decision)).toMatchObject({ status: 'done', outcome: 'approve' });
    await approveRemaining(stack.flows, flowId);
    expect(await stack.client.workflow.getHandle(flowId).result()).toBe('approved');
    expect(await approvalRows(flowId, planId)).toEqual({ tasks: 2, decisions: 2, versions: 1, opened: 2, decided: 2 });
  });
});

test('PostgreSQL refusing connections while a flow is between activities: the activities retry and the flow finishes', async () => {
  const { planId, flowId } = await submit(stack.flows);
  const [head] = await openTasks(stack.db, flowId, 1);
  const dbName = new URL(stack.dbUrl).pathname.slice(1);
  const admin = new Pg({ connectionString: testEnvironment().pgAdminUrl });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE "${dbName}" WITH ALLOW_CONNECTIONS false`);
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [dbName]);
    // The decision is accepted, but its writes cannot land: the caller hears 503 within the bound.
    const refused = await stack.flows.decide(flowId, { taskId: head!.id, actorId: head!.assigneeId, decision: 'approve' }).catch((err: unknown) => err);
    expect(refused).toMatchObject({ status: 503 });
    await admin.query(`ALTER DATABASE "${dbName}" WITH ALLOW_CONNECTIONS true`);
    // Once the database is back, the retried writes record the decision.
    await eventually(async () => ((await stack.db.task.findUnique({ where: { id: head!.id } }))?.status === 'done' ? true : undefined), 'the decision recorded');
  } finally {
    await admin.query(`ALTER DATABASE "${dbName}" WITH ALLOW_CONNECTIONS true`);
    await admin.end();
  }
  await approveRemaining(stack.flows, flowId);
  expect(await stack.client.workflow.getHandle(flowId).result()).toBe('approved');
  expect(await approvalRows(flowId, planId)).toEqual({ tasks: 2, decisions: 2, versions: 1, opened: 2, decided: 2 });
});

test('the Temporal server restarted on its database file mid-flow: the flow carries on', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-temporal-'));
  const dbFile = path.join(dir, 'temporal.db');
  let server = await startTemporalDevServer({ dbFile, uiPort: false, log: () => undefined });
  const port = Number(server.address.split(':')[1]);
  const native = await NativeConnection.connect({ address: server.address });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const taskQueue = 'restart';
  const log = pino({ level: 'silent' });
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  const startWorker = async () => {
    worker = await createBatonWorker({ connection: native, namespace: 'default', taskQueue, db: stack.db, log, workflowBundle: { codePath: testEnvironment().workflowBundlePath } });
    running = worker.run();
  };
  const flows = new FlowGateway(client, taskQueue);
  try {
    await startWorker();
    const { planId, flowId } = await submit(flows);
    const [head] = await openTasks(stack.db, flowId, 1);
    await flows.decide(flowId, { taskId: head!.id, actorId: head!.assigneeId, decision: 'approve' });

    worker!.shutdown();
    await running;
    await server.stop();
    server = await startTemporalDevServer({ dbFile, port, uiPort: false, log: () => undefined });
    await startWorker();

    await approveRemaining(flows, flowId);
    expect(await client.workflow.getHandle(flowId).result()).toBe('approved');
    expect(await approvalRows(flowId, planId)).toEqual({ tasks: 2, decisions: 2, versions: 1, opened: 2, decided: 2 });
  } finally {
    worker?.shutdown();
    await running?.catch(() => undefined);
    await connection.close();
    await native.close();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('one request sent five times at once with one Idempotency-Key has one effect', async () => {
  const create = () => api().post('/api/v1/training-plans').set(as('hrOfficer')).set('Idempotency-Key', 'five-at-once').send({ title: '同时五次', departmentId: 'dept-collection', content: planContent(1_200_000) });
  const created = await Promise.all([create(), create(), create(), create(), create()]);
  expect(created.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
  expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
  expect(await stack.db.trainingPlan.count({ where: { title: '同时五次' } })).toBe(1);

  const planId = created[0]!.body.id as string;
  const submit = () => api().post(`/api/v1/training-plans/${planId}/submit`).set(as('hrOfficer'));
  const submitted = await Promise.all([submit(), submit(), submit(), submit(), submit()]);
  expect(submitted.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
  const flowId = submitted[0]!.body.flowId as string;
  const [head] = await openTasks(stack.db, flowId, 1);

  const decide = () => api().post(`/api/v1/tasks/${head!.id}/decision`).set(as('collectionHead')).set('Idempotency-Key', 'approve-once').send({ decision: 'approve' });
  const decided = await Promise.all([decide(), decide(), decide(), decide(), decide()]);
  expect(decided.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
  await openTasks(stack.db, flowId, 1);
  expect(await approvalRows(flowId, planId)).toEqual({ tasks: 2, decisions: 1, versions: 1, opened: 2, decided: 1 });
});
