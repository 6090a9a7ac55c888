/**
 * Delegation while away: the department head names a delegate for a period; their open approval
 * moves at the start, new ones go straight to the delegate, who decides acting for them; the
 * period ends on its durable timer or early. Over HTTP with the real stack.
 */
import { eventually, people, planContent } from './support/fixtures';
import { apiTestStack, expectProblem, type Who } from './support/http';

const { stack, as, api } = apiTestStack();

const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();

/** A submitted plan, and its first approval task (the department head's, or their delegate's). */
async function submittedPlan(drafter: Who = 'hrOfficer') {
  const plan = await api().post('/api/v1/training-plans').set(as(drafter)).send({ title: '代理测试 Delegation', departmentId: 'dept-collection', content: planContent() });
  const submitted = await api().post(`/api/v1/training-plans/${plan.body.id}/submit`).set(as(drafter)).send({});
  expect(submitted.status).toBe(202);
  return { planId: plan.body.id as string, task: submitted.body.next[0] as { taskId: string; assigneeId: string } };
}

const delegate = (who: Who, body: object) => api().post('/api/v1/delegations').set(as(who)).send(body);
const endEarly = (id: string, who: Who) => api().post(`/api/v1/delegations/${id}/end`).set(as(who)).send({ reason: '提前返岗 back early' });
const delegationStatus = async (id: string) => (await stack.db.delegation.findUniqueOrThrow({ where: { id } })).status;

test('away for a week: the open approval moves to the delegate, a new one goes straight to them, they decide acting for the head; ended early, new tasks are the head\'s again', async () => {
  const before = await submittedPlan();
  expect(before.task.assigneeId).toBe(people.collectionHead.id);

  const started = await delegate('collectionHead', { delegateId: people.serviceHead.employeeNo, endsAt: inSeconds(7 * 86_400), reason: '年假 annual leave' });
  expect(started.status).toBe(201);
  const { delegationId } = started.body as { delegationId: string };
  await eventually(async () => ((await delegationStatus(delegationId)) === 'active' ? true : undefined), 'the delegation active');
  await eventually(async () => ((await stack.db.task.findUniqueOrThrow({ where: { id: before.task.taskId } })).assigneeId === people.serviceHead.id ? true : undefined), 'the open task moved');
  expect(await stack.db.task.findUniqueOrThrow({ where: { id: before.task.taskId } })).toMatchObject({ actingForId: people.collectionHead.id, status: 'open' });
  expect(await stack.db.auditEvent.count({ where: { taskId: before.task.taskId, action: 'task.delegated' } })).toBe(1);
  expect((await stack.db.notification.findFirstOrThrow({ where: { taskId: before.task.taskId, template: 'task_delegated' } })).recipientId).toBe(people.serviceHead.id);

  const during = await submittedPlan();
  expect(during.task.assigneeId).toBe(people.serviceHead.id);
  expect((await api().get(`/api/v1/tasks/${during.task.taskId}`).set(as('serviceHead'))).body).toMatchObject({ assigneeId: people.serviceHead.id, actingForId: people.collectionHead.id });

  // The head is away: the tasks are the delegate's to decide, recorded as acting for the head.
  expectProblem(await api().post(`/api/v1/tasks/${during.task.taskId}/decision`).set(as('collectionHead')).send({ decision: 'approve' }), 403);
  const decided = await api().post(`/api/v1/tasks/${during.task.taskId}/decision`).set(as('serviceHead')).send({ decision: 'approve' });
  expect(decided.body).toMatchObject({ decidedById: people.serviceHead.id, onBehalfOfId: people.collectionHead.id });
  const moved = await api().post(`/api/v1/tasks/${before.task.taskId}/decision`).set(as('serviceHead')).send({ decision: 'approve' });
  expect(moved.body).toMatchObject({ decidedById: people.serviceHead.id, onBehalfOfId: people.collectionHead.id });
  const decision = await stack.db.planDecision.findFirstOrThrow({ where: { taskId: during.task.taskId } });
  expect(decision).toMatchObject({ approverId: people.collectionHead.id, decidedById: people.serviceHead.id });

  // The delegate cannot end it; the head can.
  expectProblem(await endEarly(delegationId, 'serviceHead'), 403);
  expect((await endEarly(delegationId, 'collectionHead')).body).toEqual({ status: 'ended' });
  expect(await delegationStatus(delegationId)).toBe('ended');
  expectProblem(await endEarly(delegationId, 'collectionHead'), 409);
  const after = await submittedPlan();
  expect(after.task.assigneeId).toBe(people.collectionHead.id);
  expect((await api().get('/api/v1/delegations?owner=me').set(as('collectionHead'))).body.items).toEqual([expect.objectContaining({ id: delegationId, status: 'ended' })]);
});

test('a period ahead: nothing moves before its start; it ends by its own timer and tasks return to their owner from then', async () => {
  // The head's task is open before the period is entered; what moves it, and when, is on the audit trail.
  const ahead = await submittedPlan();
  expect(ahead.task.assigneeId).toBe(people.collectionHead.id);
  const startsAt = inSeconds(10);
  const started = await delegate('hrOfficer', { ownerId: people.collectionHead.id, delegateId: people.engineeringHead.id, startsAt, endsAt: inSeconds(15), reason: '出差 business trip' });
  expect(started.body).toMatchObject({ status: 'scheduled' });
  const { delegationId } = started.body as { delegationId: string };
  await eventually(async () => ((await delegationStatus(delegationId)) === 'active' ? true : undefined), 'the period started', 30_000);
  await eventually(async () => ((await stack.db.task.findUniqueOrThrow({ where: { id: ahead.task.taskId } })).assigneeId === people.engineeringHead.id ? true : undefined), 'the task moved at the start');
  const move = await stack.db.auditEvent.findFirstOrThrow({ where: { taskId: ahead.task.taskId, action: 'task.delegated' } });
  expect(move.at.getTime()).toBeGreaterThanOrEqual(Date.parse(startsAt));
  await eventually(async () => ((await delegationStatus(delegationId)) === 'ended' ? true : undefined), 'the period ended', 30_000);
  expect((await submittedPlan()).task.assigneeId).toBe(people.collectionHead.id);
  // What the delegate took on stays with them.
  expect((await stack.db.task.findUniqueOrThrow({ where: { id: ahead.task.taskId } })).assigneeId).toBe(people.engineeringHead.id);
  expect(await stack.db.auditEvent.findMany({ where: { flowId: `delegation:${delegationId}` }, orderBy: { id: 'asc' }, select: { action: true } })).toEqual(
    ['delegation.scheduled', 'delegation.started', 'delegation.ended'].map((action) => ({ action })),
  );
});

test('separation of duties holds: a plan\'s drafter, the head\'s delegate, never receives its approval', async () => {
  const started = await delegate('collectionHead', { delegateId: people.hrAssistant.id, endsAt: inSeconds(3600), reason: '病假 sick leave' });
  const { delegationId } = started.body as { delegationId: string };
  await eventually(async () => ((await delegationStatus(delegationId)) === 'active' ? true : undefined), 'active');
  const own = await submittedPlan('hrAssistant');
  expect(own.task.assigneeId).toBe(people.collectionHead.id);
  expect((await stack.db.task.findUniqueOrThrow({ where: { id: own.task.taskId } })).actingForId).toBeNull();
  const others = await submittedPlan('hrOfficer');
  expect(others.task.assigneeId).toBe(people.hrAssistant.id);
  await endEarly(delegationId, 'collectionHead');
});

test('refused clearly, nothing started: oneself, nobody, someone else\'s without HR, an end before the start, overlapping periods, a delegate away then too', async () => {
  expectProblem(await delegate('collectionHead', { delegateId: people.collectionHead.id, endsAt: inSeconds(60), reason: 'x' }), 422, ['delegateId']);
  expectProblem(await delegate('collectionHead', { delegateId: 'BT999', endsAt: inSeconds(60), reason: 'x' }), 422, ['delegateId']);
  expectProblem(await delegate('collectorA', { ownerId: people.collectionHead.id, delegateId: people.collectorB.id, endsAt: inSeconds(60), reason: 'x' }), 403);
  expectProblem(await delegate('collectionHead', { delegateId: people.serviceHead.id, startsAt: inSeconds(120), endsAt: inSeconds(60), reason: 'x' }), 400, ['endsAt']);
  expectProblem(await delegate('collectionHead', { delegateId: people.serviceHead.id, endsAt: inSeconds(60) }), 400, ['reason']);
  expectProblem(await delegate('collectionHead', { delegateId: people.serviceHead.id, endsAt: 'next week', reason: 'x' }), 400, ['endsAt']);
  expect(await stack.db.delegation.count({ where: { ownerId: people.collectionHead.id, status: { in: ['scheduled', 'active'] } } })).toBe(0);

  const first = await delegate('engineeringHead', { delegateId: people.serviceHead.id, startsAt: inSeconds(3600), endsAt: inSeconds(7200), reason: '培训 away on training' });
  expect(first.status).toBe(201);
  const overlapping = await delegate('engineeringHead', { delegateId: people.collectionHead.id, startsAt: inSeconds(5400), endsAt: inSeconds(9000), reason: 'again' });
  expectProblem(overlapping, 409);
  expect(overlapping.body.detail).toContain('overlaps');
  const delegateAway = await delegate('collectionHead', { delegateId: people.engineeringHead.id, startsAt: inSeconds(4000), endsAt: inSeconds(5000), reason: 'x' });
  expectProblem(delegateAway, 409);
  expect(delegateAway.body.detail).toContain('away then too');
  expect(await stack.db.delegation.count({ where: { ownerId: { in: [people.engineeringHead.id, people.collectionHead.id] }, status: 'scheduled' } })).toBe(1);
  expect((await endEarly(first.body.delegationId, 'engineeringHead')).body).toEqual({ status: 'cancelled' });
});
