/**
 * What approvers know from Feishu and DingTalk, in the human-task block every procedure uses:
 * 退回 send back to an earlier level, 加签 add a signer before or after oneself, 抄送 copy people
 * in, each allowed per task type by a setting. Over HTTP on a plan's approval chain (department
 * head, then HR director); races are held open with real row locks.
 */
import { eventually, people, planContent } from './support/fixtures';
import { apiTestStack, expectProblem, repeatedUntilAnswered, type Who } from './support/http';
import { holdRows } from './support/rowLock';

const { stack, as, api } = apiTestStack();

interface Next {
  taskId: string;
  assigneeId: string;
  type: string;
}

/** A submitted plan, and the collection head's approval task in their inbox. */
async function planAwaitingTheHead(settings: object = {}) {
  const plan = await api().post('/api/v1/training-plans').set(as('hrOfficer')).send({ title: '审批工具 Approval toolkit', departmentId: 'dept-collection', content: planContent() });
  const submitted = await api().post(`/api/v1/training-plans/${plan.body.id}/submit`).set(as('hrOfficer')).send({ settings });
  expect(submitted.status).toBe(202);
  const task = submitted.body.next[0] as Next;
  expect(task.assigneeId).toBe(people.collectionHead.id);
  return { planId: plan.body.id as string, flowId: submitted.body.flowId as string, taskId: task.taskId };
}

const decide = (taskId: string, who: Who, body: object = { decision: 'approve' }) => api().post(`/api/v1/tasks/${taskId}/decision`).set(as(who)).send(body);
const addSigner = (taskId: string, who: Who, body: object, idempotencyKey = `signer-${Math.random()}`) =>
  api().post(`/api/v1/tasks/${taskId}/signers`).set(as(who)).set('Idempotency-Key', idempotencyKey).send(body);
const copyIn = (taskId: string, who: Who, body: object, idempotencyKey = `cc-${Math.random()}`) =>
  api().post(`/api/v1/tasks/${taskId}/cc`).set(as(who)).set('Idempotency-Key', idempotencyKey).send(body);
const planStatus = async (planId: string) => (await stack.db.trainingPlan.findUniqueOrThrow({ where: { id: planId } })).status;

test('退回: the HR director sends the plan back to the department head, who decides again, and then the HR director again', async () => {
  const { planId, taskId } = await planAwaitingTheHead();
  const headTask = (await api().get(`/api/v1/tasks/${taskId}`).set(as('collectionHead'))).body;
  expect(headTask).toMatchObject({ actions: ['transfer', 'add_signer', 'cc'], earlierLevels: [] });
  // The first level has nothing earlier to send back to.
  expectProblem(await decide(taskId, 'collectionHead', { decision: 'send_back', backTo: 'department_head', comment: '?' }), 403);

  const directorTask = ((await decide(taskId, 'collectionHead')).body.next as Next[])[0]!;
  expect(directorTask.assigneeId).toBe(people.hrDirector.id);
  expect((await api().get(`/api/v1/tasks/${directorTask.taskId}`).set(as('hrDirector'))).body).toMatchObject({ actions: ['transfer', 'add_signer', 'send_back', 'cc'], earlierLevels: ['department_head'] });
  expectProblem(await decide(directorTask.taskId, 'hrDirector', { decision: 'send_back', comment: '请部门再核' }), 400, ['backTo']);
  expectProblem(await decide(directorTask.taskId, 'hrDirector', { decision: 'send_back', backTo: 'department_head' }), 400, ['comment']);
  expectProblem(await decide(directorTask.taskId, 'hrDirector', { decision: 'send_back', backTo: 'executive', comment: '?' }), 422);

  const sentBack = await decide(directorTask.taskId, 'hrDirector', { decision: 'send_back', backTo: 'department_head', comment: '请部门再核人数 Recheck the headcount' });
  expect(sentBack.status).toBe(200);
  expect(sentBack.body).toMatchObject({ outcome: 'send_back', backTo: 'department_head' });
  const again = (sentBack.body.next as Next[])[0]!;
  expect(again).toMatchObject({ assigneeId: people.collectionHead.id, type: 'plan_approval' });
  expect(again.taskId).not.toBe(taskId);
  expect(await planStatus(planId)).toBe('in_approval');

  const toDirectorAgain = ((await decide(again.taskId, 'collectionHead')).body.next as Next[])[0]!;
  expect(toDirectorAgain.assigneeId).toBe(people.hrDirector.id);
  expect(toDirectorAgain.taskId).not.toBe(directorTask.taskId);
  expect((await decide(toDirectorAgain.taskId, 'hrDirector')).status).toBe(200);
  await eventually(async () => ((await planStatus(planId)) === 'approved' ? true : undefined), 'the plan approved');

  const decisions = (await api().get(`/api/v1/training-plans/${planId}`).set(as('hrOfficer'))).body.decisions as { level: string; decision: string }[];
  expect(decisions.map((d) => `${d.level}:${d.decision}`)).toEqual(['department_head:approve', 'hr_director:send_back', 'department_head:approve', 'hr_director:approve']);
  const audit = await stack.db.auditEvent.findFirstOrThrow({ where: { taskId: directorTask.taskId, action: 'task.decided' } });
  expect(audit.payload).toMatchObject({ outcome: 'send_back', backTo: 'department_head', comment: '请部门再核人数 Recheck the headcount' });
});

test('加签 before: the head asks the service head first; the head\'s own decision waits, then is theirs again', async () => {
  const { taskId } = await planAwaitingTheHead();
  const added = await addSigner(taskId, 'collectionHead', { signerId: people.serviceHead.employeeNo, position: 'before', reason: '涉及客服部 It concerns customer service' });
  expect(added.status).toBe(200);
  const signerTask = (added.body.next as Next[])[0]!;
  expect(added.body).toMatchObject({ taskId, signerTaskId: signerTask.taskId });
  expect(signerTask).toMatchObject({ assigneeId: people.serviceHead.id, type: 'plan_approval' });
  expect(await stack.db.task.findUniqueOrThrow({ where: { id: taskId } })).toMatchObject({ waitingForId: people.serviceHead.id, status: 'open' });
  expect(await stack.db.task.findUniqueOrThrow({ where: { id: signerTask.taskId } })).toMatchObject({ addedById: people.collectionHead.id });
  expect((await stack.db.notification.findFirstOrThrow({ where: { taskId, template: 'task_signer_added' } })).recipientId).toBe(people.serviceHead.id);

  // Meanwhile the head cannot decide, nor hand the task on.
  const early = await decide(taskId, 'collectionHead');
  expectProblem(early, 409);
  expect(early.body.detail).toContain('waits for the decision of the signer');

  const signed = await decide(signerTask.taskId, 'serviceHead');
  expect(signed.body).toMatchObject({ status: 'done', decidedById: people.serviceHead.id, next: [] });
  await eventually(async () => ((await stack.db.task.findUniqueOrThrow({ where: { id: taskId } })).waitingForId === null ? true : undefined), 'the task back with the head');
  const told = await eventually(async () => (await stack.db.notification.findFirst({ where: { taskId, template: 'task_back_with_you' } })) ?? undefined, 'the head told');
  expect(told.recipientId).toBe(people.collectionHead.id);

  const decided = await decide(taskId, 'collectionHead');
  expect(decided.body).toMatchObject({ decidedById: people.collectionHead.id });
  expect((decided.body.next as Next[])[0]!.assigneeId).toBe(people.hrDirector.id);
});

test('加签 before: the added signer asks for changes, and that is the step\'s decision', async () => {
  const { planId, taskId } = await planAwaitingTheHead();
  const signerTask = ((await addSigner(taskId, 'collectionHead', { signerId: people.serviceHead.id, position: 'before', reason: '请把关' })).body.next as Next[])[0]!;
  const changes = await decide(signerTask.taskId, 'serviceHead', { decision: 'request_changes', comment: '客服培训缺失 Add customer-service training' });
  expect(changes.status).toBe(200);
  await eventually(async () => ((await planStatus(planId)) === 'changes_requested' ? true : undefined), 'changes requested');
  expect(await stack.db.task.findUniqueOrThrow({ where: { id: taskId } })).toMatchObject({ status: 'done', outcome: 'request_changes', decidedById: people.serviceHead.id, waitingForId: null });
});

test('加签 after: the head approves, then the added signer decides before the plan goes on to the HR director', async () => {
  const { taskId } = await planAwaitingTheHead();
  const added = await addSigner(taskId, 'collectionHead', { signerId: people.engineeringHead.id, position: 'after', reason: '工程部也派人参训' });
  expect(added.body).toEqual({ taskId, next: [] });
  expect(await stack.db.task.findUniqueOrThrow({ where: { id: taskId } })).toMatchObject({ signersAfter: [people.engineeringHead.id], waitingForId: null });

  const approved = await decide(taskId, 'collectionHead');
  const signerTask = (approved.body.next as Next[])[0]!;
  expect(signerTask).toMatchObject({ assigneeId: people.engineeringHead.id, type: 'plan_approval' });
  const signed = await decide(signerTask.taskId, 'engineeringHead');
  expect((signed.body.next as Next[])[0]!.assigneeId).toBe(people.hrDirector.id);
  expect(await stack.db.auditEvent.count({ where: { taskId, action: 'task.signer_added' } })).toBe(1);
});

test('加签 refused clearly, nothing written: the drafter, oneself, nobody, someone else\'s task, without a reason', async () => {
  const { taskId } = await planAwaitingTheHead();
  const drafter = await addSigner(taskId, 'collectionHead', { signerId: people.hrOfficer.id, position: 'before', reason: 'HR knows it' });
  expectProblem(drafter, 403);
  expect(drafter.body.detail).toContain('drafted this plan');
  expectProblem(await addSigner(taskId, 'collectionHead', { signerId: people.collectionHead.id, position: 'after', reason: 'me' }), 422);
  expectProblem(await addSigner(taskId, 'collectionHead', { signerId: 'BT999', position: 'after', reason: 'nobody' }), 422, ['signerId']);
  expectProblem(await addSigner(taskId, 'serviceHead', { signerId: people.engineeringHead.id, position: 'after', reason: 'not mine' }), 403);
  expectProblem(await addSigner(taskId, 'collectionHead', { signerId: people.serviceHead.id, position: 'beside', reason: 'x' }), 400, ['position']);
  expectProblem(await addSigner(taskId, 'collectionHead', { signerId: people.serviceHead.id, position: 'after' }), 400, ['reason']);
  expect(await stack.db.task.findUniqueOrThrow({ where: { id: taskId } })).toMatchObject({ waitingForId: null, signersAfter: [] });
  expect(await stack.db.auditEvent.count({ where: { taskId, action: 'task.signer_added' } })).toBe(0);
});

test('抄送: the head copies two people in; they read the flow and are told, others still may not; a retry copies nobody twice', async () => {
  const { flowId, taskId } = await planAwaitingTheHead();
  expectProblem(await api().get(`/api/v1/flows/${flowId}`).set(as('collectorA')), 403);
  const key = `cc-${taskId}`;
  const copied = await copyIn(taskId, 'collectionHead', { ids: [people.collectorA.employeeNo, people.trainer.id], note: '供参考 For your information' }, key);
  expect(copied.status).toBe(200);
  expect(copied.body).toEqual({ flowId, added: [people.collectorA.id, people.trainer.id], next: [] });
  expect((await copyIn(taskId, 'collectionHead', { ids: [people.collectorA.employeeNo, people.trainer.id], note: '供参考 For your information' }, key)).body.added).toEqual([people.collectorA.id, people.trainer.id]);
  expect((await copyIn(taskId, 'collectionHead', { ids: [people.collectorA.id] })).body.added).toEqual([]);
  expect(await stack.db.flowCc.count({ where: { flowId } })).toBe(2);
  expect(await stack.db.auditEvent.count({ where: { flowId, action: 'flow.copied' } })).toBe(2);
  const told = await stack.db.notification.findMany({ where: { flowId, template: 'flow_cc' } });
  expect(told.map((n) => n.recipientId).sort()).toEqual([people.collectorA.id, people.trainer.id].sort());

  const seen = await api().get(`/api/v1/flows/${flowId}`).set(as('collectorA'));
  expect(seen.status).toBe(200);
  expect(seen.body.cc.map((c: { employeeId: string }) => c.employeeId).sort()).toEqual([people.collectorA.id, people.trainer.id].sort());
  expectProblem(await api().get(`/api/v1/flows/${flowId}`).set(as('collectorB')), 403);
  // Copied in is read-only: the task is not theirs.
  expectProblem(await decide(taskId, 'collectorA'), 403);
  const mine = await api().get('/api/v1/flows?cc=me').set(as('collectorA'));
  expect(mine.body.items.map((f: { id: string }) => f.id)).toContain(flowId);
  expectProblem(await api().get('/api/v1/flows').set(as('collectorA')), 403);

  expectProblem(await copyIn(taskId, 'collectionHead', { ids: [] }), 400, ['ids']);
  expectProblem(await copyIn(taskId, 'collectionHead', { ids: [people.collectorB.id, 'BT999'] }), 422, ['ids.1']);
  expectProblem(await copyIn(taskId, 'serviceHead', { ids: [people.collectorB.id] }), 403);
});

test('the settings table decides per task type: a flow whose plan approvals allow only transfer offers and accepts nothing else', async () => {
  const { taskId } = await planAwaitingTheHead({ taskActions: { plan_approval: ['transfer'] } });
  expect((await api().get(`/api/v1/tasks/${taskId}`).set(as('collectionHead'))).body.actions).toEqual(['transfer']);
  const signer = await addSigner(taskId, 'collectionHead', { signerId: people.serviceHead.id, position: 'before', reason: 'x' });
  expectProblem(signer, 403);
  expect(signer.body.detail).toContain('cannot have signers added');
  expectProblem(await copyIn(taskId, 'collectionHead', { ids: [people.collectorA.id] }), 403);
  const director = ((await decide(taskId, 'collectionHead')).body.next as Next[])[0]!;
  expectProblem(await decide(director.taskId, 'hrDirector', { decision: 'send_back', backTo: 'department_head', comment: 'x' }), 403);
});

describe('two people at once', () => {
  test('a decision sent while a signer is being added is refused; the signer decides first, then the holder, once each', async () => {
    const { taskId } = await planAwaitingTheHead();
    const lock = await holdRows(stack.dbUrl, 'SELECT id FROM task WHERE id = $1 FOR UPDATE', [taskId]);
    const adding = repeatedUntilAnswered(() => addSigner(taskId, 'collectionHead', { signerId: people.serviceHead.id, position: 'before', reason: '请先审' }, `before-${taskId}`));
    try {
      await lock.waitedFor();
      const meanwhile = await repeatedUntilAnswered(() => decide(taskId, 'collectionHead'));
      expectProblem(meanwhile, 409);
      expect(meanwhile.body.detail).toContain('having a signer added');
    } finally {
      await lock.release();
    }
    const signerTask = ((await adding).body.next as Next[])[0]!;
    expect((await decide(signerTask.taskId, 'serviceHead')).status).toBe(200);
    await eventually(async () => ((await stack.db.task.findUniqueOrThrow({ where: { id: taskId } })).waitingForId === null ? true : undefined), 'back with the head');
    expect((await decide(taskId, 'collectionHead')).status).toBe(200);
    expect(await stack.db.auditEvent.count({ where: { taskId: { in: [taskId, signerTask.taskId] }, action: 'task.decided' } })).toBe(2);
  });

  test('a signer added while the decision is being written is refused: the decision stands and nobody is asked', async () => {
    const { taskId } = await planAwaitingTheHead();
    const lock = await holdRows(stack.dbUrl, 'SELECT id FROM task WHERE id = $1 FOR UPDATE', [taskId]);
    const deciding = repeatedUntilAnswered(() => decide(taskId, 'collectionHead'));
    try {
      await lock.waitedFor();
      const meanwhile = await repeatedUntilAnswered(() => addSigner(taskId, 'collectionHead', { signerId: people.serviceHead.id, position: 'after', reason: 'too late' }));
      expectProblem(meanwhile, 409);
      expect(meanwhile.body.detail).toContain('already decided');
    } finally {
      await lock.release();
    }
    expect(((await deciding).body.next as Next[])[0]!.assigneeId).toBe(people.hrDirector.id);
    expect(await stack.db.auditEvent.count({ where: { taskId, action: 'task.signer_added' } })).toBe(0);
  });
});
