/**
 * 转交: the holder of an open task hands it to another person, saying why. Over HTTP, through the
 * human-task block every procedure uses; races are held open with real row locks.
 */
import { eventually, people, planContent } from './support/fixtures';
import { apiTestStack, expectProblem, repeatedUntilAnswered, type Who } from './support/http';
import { holdRows } from './support/rowLock';

const { stack, as, api } = apiTestStack();

/** A submitted plan, and the collection head's approval task in their inbox. */
async function planAwaitingTheHead() {
  const plan = await api().post('/api/v1/training-plans').set(as('hrOfficer')).send({ title: '转交测试 Transfer', departmentId: 'dept-collection', content: planContent() });
  const submitted = await api().post(`/api/v1/training-plans/${plan.body.id}/submit`).set(as('hrOfficer')).send({});
  expect(submitted.status).toBe(202);
  const task = submitted.body.next[0] as { taskId: string; assigneeId: string };
  expect(task.assigneeId).toBe(people.collectionHead.id);
  return { planId: plan.body.id as string, flowId: submitted.body.flowId as string, taskId: task.taskId };
}

const transfer = (taskId: string, who: Who, body: object, idempotencyKey = `transfer-${Math.random()}`) =>
  api().post(`/api/v1/tasks/${taskId}/transfer`).set(as(who)).set('Idempotency-Key', idempotencyKey).send(body);
const decide = (taskId: string, who: Who, decision = 'approve') => api().post(`/api/v1/tasks/${taskId}/decision`).set(as(who)).send({ decision });

test('the head transfers the approval to a colleague, by employee number: it moves inbox, is audited and told, and only the new holder decides it', async () => {
  const { planId, flowId, taskId } = await planAwaitingTheHead();
  const moved = await transfer(taskId, 'collectionHead', { toId: people.serviceHead.employeeNo, reason: '出差一周 Away on business this week' });
  expect(moved.status).toBe(200);
  expect(moved.body).toEqual({ taskId, assigneeId: people.serviceHead.id, next: [expect.objectContaining({ taskId, assigneeId: people.serviceHead.id, type: 'plan_approval' })] });

  expect(await stack.db.task.findUniqueOrThrow({ where: { id: taskId } })).toMatchObject({ assigneeId: people.serviceHead.id, status: 'open' });
  const audit = await stack.db.auditEvent.findMany({ where: { taskId, action: 'task.transferred' } });
  expect(audit).toHaveLength(1);
  expect(audit[0]).toMatchObject({ actorId: people.collectionHead.id, payload: { fromId: people.collectionHead.id, toId: people.serviceHead.id, reason: '出差一周 Away on business this week' } });
  const told = await eventually(async () => (await stack.db.notification.findFirst({ where: { taskId, template: 'task_transferred' } })) ?? undefined, 'the new holder told');
  expect(told.recipientId).toBe(people.serviceHead.id);
  const inbox = await api().get('/api/v1/tasks?status=open').set(as('serviceHead'));
  expect(inbox.body.items.map((t: { id: string }) => t.id)).toContain(taskId);

  // The previous holder no longer decides it; the new one does, as themselves.
  expectProblem(await decide(taskId, 'collectionHead'), 403);
  const decided = await decide(taskId, 'serviceHead');
  expect(decided.status).toBe(200);
  expect(decided.body).toMatchObject({ decidedById: people.serviceHead.id, status: 'done' });
  expect(decided.body.onBehalfOfId).toBeUndefined();
  expect(decided.body.next).toEqual([expect.objectContaining({ assigneeId: people.hrDirector.id })]);
  const shown = await api().get(`/api/v1/training-plans/${planId}`).set(as('hrOfficer'));
  expect(shown.body.decisions).toEqual([expect.objectContaining({ level: 'department_head', decision: 'approve' })]);
  expect((await stack.db.flow.findUniqueOrThrow({ where: { id: flowId } })).status).toBe('running');
});

test('refused clearly, with nothing moved: to the plan\'s drafter, to its holder, to nobody, by someone else, without a reason, and a task that is its holder\'s own part', async () => {
  const { taskId } = await planAwaitingTheHead();
  const drafter = await transfer(taskId, 'collectionHead', { toId: people.hrOfficer.id, reason: 'HR knows the plan' });
  expectProblem(drafter, 403);
  expect(drafter.body.detail).toContain('drafted this plan');
  expectProblem(await transfer(taskId, 'collectionHead', { toId: people.collectionHead.id, reason: 'to myself' }), 422);
  expectProblem(await transfer(taskId, 'collectionHead', { toId: 'BT999', reason: 'nobody' }), 422, ['toId']);
  expectProblem(await transfer(taskId, 'serviceHead', { toId: people.engineeringHead.id, reason: 'not mine to give' }), 403);
  expectProblem(await transfer(taskId, 'collectionHead', { toId: people.serviceHead.id }), 400, ['reason']);
  expect(await stack.db.task.findUniqueOrThrow({ where: { id: taskId } })).toMatchObject({ assigneeId: people.collectionHead.id, status: 'open' });
  expect(await stack.db.auditEvent.count({ where: { taskId, action: 'task.transferred' } })).toBe(0);

  // The drafter's revision is theirs alone: a resubmission completes it.
  const changes = await api().post(`/api/v1/tasks/${taskId}/decision`).set(as('collectionHead')).send({ decision: 'request_changes', comment: '预算过高 Budget too high' });
  const revision = changes.body.next[0] as { taskId: string; type: string };
  expect(revision.type).toBe('plan_revision');
  const own = await transfer(revision.taskId, 'hrOfficer', { toId: people.hrAssistant.id, reason: 'please revise it' });
  expectProblem(own, 403);
  expect(own.body.detail).toContain('cannot be transferred');
});

describe('two people at once', () => {
  test('a decision sent while the transfer is being written is refused; the new holder decides once', async () => {
    const { taskId } = await planAwaitingTheHead();
    const lock = await holdRows(stack.dbUrl, 'SELECT id FROM task WHERE id = $1 FOR UPDATE', [taskId]);
    // Held past the API's bound by the lock: the client sends it again with its key, as a 503 advises.
    const moving = repeatedUntilAnswered(() => transfer(taskId, 'collectionHead', { toId: people.serviceHead.id, reason: 'away' }, `away-${taskId}`));
    try {
      await lock.waitedFor();
      // The flow takes the next message in once its workflow task hands over while the write waits,
      // which can be after the API's 10 s bound: the client sends it again, as a 503 advises.
      const meanwhile = await repeatedUntilAnswered(() => decide(taskId, 'collectionHead'));
      expectProblem(meanwhile, 409);
      expect(meanwhile.body.detail).toContain('being transferred');
      expectProblem(await repeatedUntilAnswered(() => transfer(taskId, 'collectionHead', { toId: people.engineeringHead.id, reason: 'or rather to him' })), 409);
    } finally {
      await lock.release();
    }
    expect((await moving).body).toMatchObject({ assigneeId: people.serviceHead.id });
    expect((await decide(taskId, 'serviceHead')).body).toMatchObject({ status: 'done', decidedById: people.serviceHead.id });
    expect(await stack.db.auditEvent.count({ where: { taskId, action: { in: ['task.transferred', 'task.decided'] } } })).toBe(2);
    // Each message held up by the lock waits for the flow's next workflow task (up to ~8 s each).
  }, 240_000);

  test('a transfer sent while the decision is being written is refused: the decision stands', async () => {
    const { taskId } = await planAwaitingTheHead();
    const lock = await holdRows(stack.dbUrl, 'SELECT id FROM task WHERE id = $1 FOR UPDATE', [taskId]);
    const deciding = repeatedUntilAnswered(() => decide(taskId, 'collectionHead'));
    try {
      await lock.waitedFor();
      const meanwhile = await repeatedUntilAnswered(() => transfer(taskId, 'collectionHead', { toId: people.serviceHead.id, reason: 'too late' }));
      expectProblem(meanwhile, 409);
      expect(meanwhile.body.detail).toContain('already decided');
    } finally {
      await lock.release();
    }
    expect((await deciding).body).toMatchObject({ status: 'done', decidedById: people.collectionHead.id });
    expect(await stack.db.task.findUniqueOrThrow({ where: { id: taskId } })).toMatchObject({ assigneeId: people.collectionHead.id, status: 'done' });
    expect(await stack.db.auditEvent.count({ where: { taskId, action: 'task.transferred' } })).toBe(0);
  }, 240_000);
});
