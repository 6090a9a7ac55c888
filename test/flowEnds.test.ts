/**
 * Every procedure records its end, however it ends: cancelled by HR through the API, cancelled by
 * an operator in Temporal, or terminated (recorded by the flow-end watch).
 */
import { startFlowEndWatch } from '../worker/worker';
import { FLOW_END_WATCH_ID } from '../workflows/flowEndWatch';
import { completeItems, verifyItems } from '../workflows/messages';
import { eventually, openTasks, people, planContent } from './support/fixtures';
import { acknowledge, checklistLines, startHandover } from './support/handover';
import { apiTestStack, expectProblem } from './support/http';

const { stack, as, api } = apiTestStack();
const flowStatus = (flowId: string, status: string) =>
  eventually(async () => ((await stack.db.flow.findUnique({ where: { id: flowId } }))?.status === status ? true : undefined), `flow ${flowId} ${status}`);

test('HR cancels a resignation filed by mistake: the accounts it moved go back, the collector stays, nothing is left open', async () => {
  const portfolio = await stack.db.account.count({ where: { assigneeId: people.collectorC.id } });
  const successorBefore = await stack.db.account.count({ where: { assigneeId: people.collectorB.id } });
  const { flowId, resignationId } = await startHandover(stack.flows, { leaver: people.collectorC.id, successor: people.collectorB.id });
  await acknowledge(stack.db, stack.flows, flowId);
  const lines = await checklistLines(stack.db, stack.flows, resignationId, portfolio + 6);
  const accounts = lines.filter((l) => l.category === 'account').slice(0, 5);
  const checklist = lines[0]!.checklistFlowId;
  await stack.flows.send(checklist, completeItems, { actorId: people.collectorC.id, itemNos: accounts.map((l) => l.itemNo) });
  await stack.flows.send(checklist, verifyItems, { actorId: people.collectionHead.id, itemNos: accounts.map((l) => l.itemNo), verdict: 'accept' });
  expect(await stack.db.account.count({ where: { assigneeId: people.collectorB.id } })).toBe(successorBefore + 5);

  expectProblem(await api().post(`/api/v1/resignations/${resignationId}/cancel`).set(as('collectorC')).send({ reason: 'changed my mind' }), 403);
  expectProblem(await api().post(`/api/v1/resignations/${resignationId}/cancel`).set(as('hrOfficer')).send({}), 400, ['reason']);
  const cancelled = await api().post(`/api/v1/resignations/${resignationId}/cancel`).set(as('hrOfficer')).send({ reason: '误提交 filed by mistake' });
  expect(cancelled.status).toBe(200);
  // A cancellation opens nothing, and its answer says so, as every message's answer lists what it opened.
  expect(cancelled.body).toEqual({ status: 'cancelled', next: [] });
  expect(await stack.client.workflow.getHandle(flowId).result()).toBe('cancelled');

  expect(await stack.db.resignation.findUniqueOrThrow({ where: { id: resignationId } })).toMatchObject({ status: 'cancelled', phase: 'cancelled' });
  expect((await stack.db.employee.findUniqueOrThrow({ where: { id: people.collectorC.id } })).status).toBe('active');
  expect(await stack.db.flow.findUniqueOrThrow({ where: { id: flowId } })).toMatchObject({ status: 'cancelled' });
  expect(await stack.db.account.count({ where: { assigneeId: people.collectorC.id } })).toBe(portfolio);
  expect(await stack.db.account.count({ where: { assigneeId: people.collectorB.id } })).toBe(successorBefore);
  expect(await stack.db.task.count({ where: { flowId, status: 'open' } })).toBe(0);
  const ownerless = await stack.db.account.count({ where: { assignee: { status: { not: 'active' } } } });
  expect(ownerless).toBe(0);
  const ended = await stack.db.auditEvent.findUniqueOrThrow({ where: { key: `${flowId}:ended` } });
  expect(ended).toMatchObject({ action: 'flow.cancelled', actorId: people.hrOfficer.id });
  expectProblem(await api().post(`/api/v1/resignations/${resignationId}/cancel`).set(as('hrOfficer')).send({ reason: 'again' }), 409);
});

test('a resignation can no longer be cancelled once the last working day has begun', async () => {
  const { flowId, resignationId } = await startHandover(stack.flows, { leaver: people.serviceRep.id, successor: people.collectorB.id, supervisor: people.serviceHead.id, lastDayIn: -60, departsIn: 3600 });
  await eventually(async () => ((await stack.db.resignation.findUnique({ where: { id: resignationId } })) ? true : undefined), 'the resignation on record');
  const refused = await api().post(`/api/v1/resignations/${resignationId}/cancel`).set(as('hrOfficer')).send({ reason: 'too late' });
  expectProblem(refused, 409);
  expect(refused.body.detail).toContain('last working day');
  expect((await stack.db.flow.findUniqueOrThrow({ where: { id: flowId } })).status).toBe('running');
});

test('an operator cancelling a plan approval in Temporal: the plan is withdrawn, the flow cancelled, the approvers’ tasks closed', async () => {
  const plan = (await api().post('/api/v1/training-plans').set(as('hrOfficer')).send({ title: '取消的计划', departmentId: 'dept-collection', content: planContent(1_200_000) })).body as { id: string };
  const { flowId } = (await api().post(`/api/v1/training-plans/${plan.id}/submit`).set(as('hrOfficer'))).body as { flowId: string };
  await openTasks(stack.db, flowId, 1);
  await stack.client.workflow.getHandle(flowId).cancel();
  await flowStatus(flowId, 'cancelled');
  expect((await stack.db.trainingPlan.findUniqueOrThrow({ where: { id: plan.id } })).status).toBe('withdrawn');
  expect(await stack.db.task.count({ where: { flowId, status: 'open' } })).toBe(0);
  // The row is written inside the flow, before its last workflow task closes the run: await the run's end.
  const handle = stack.client.workflow.getHandle(flowId);
  await expect(handle.result()).rejects.toMatchObject({ cause: { name: 'CancelledFailure' } });
  expect((await handle.describe()).status.name).toBe('CANCELLED');
});

test('a terminated needs cycle is recorded as ended by the flow-end watch', async () => {
  const started = await api()
    .post('/api/v1/needs-cycles')
    .set(as('hrOfficer'))
    .send({ name: '被终止', departmentId: 'dept-collection', participantIds: [people.collectorA.id], competencies: [{ key: 'law', name: '法规', requiredLevel: 3 }], surveyDeadline: new Date(Date.now() + 86_400_000).toISOString() });
  const { flowId, cycleId } = started.body as { flowId: string; cycleId: string };
  await openTasks(stack.db, flowId, 2);
  await startFlowEndWatch(stack.client, stack.taskQueue, 200);
  try {
    await stack.client.workflow.getHandle(flowId).terminate('operator stopped it');
    await flowStatus(flowId, 'cancelled');
    expect((await stack.db.needsCycle.findUniqueOrThrow({ where: { id: cycleId } })).status).toBe('cancelled');
    expect(await stack.db.task.count({ where: { flowId, status: 'open' } })).toBe(0);
    expect((await stack.db.auditEvent.findUniqueOrThrow({ where: { key: `${flowId}:ended` } })).payload).toMatchObject({ reason: expect.stringContaining('terminated'), tasksCancelled: 2 });
    // A notification queued by a worker that died before delivering it: the watch's sweep (or any
    // later delivery pass) sends it.
    const orphan = await stack.db.notification.create({ data: { key: `${flowId}:orphan`, recipientId: people.hrOfficer.id, template: 'task_cancelled', params: { title: '被终止', reason: 'test' }, flowId } });
    await eventually(async () => ((await stack.db.notification.findUniqueOrThrow({ where: { id: orphan.id } })).status === 'sent' ? true : undefined), 'the sweep delivering it');
  } finally {
    await stack.client.workflow.getHandle(FLOW_END_WATCH_ID).terminate('test over');
  }
});
