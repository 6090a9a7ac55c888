/**
 * What people see must be true, and no call hangs: stalled flows, separation of duties, business
 * keys that never start a second run, incomplete surveys, every bad field named, outages as 503.
 */
import request from 'supertest';
import { eventually, openTasks, people, planContent } from './support/fixtures';
import { apiTestStack, expectProblem } from './support/http';

const { stack, as, api } = apiTestStack();
const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

async function submittedPlan(title = '沟通技巧') {
  const plan = (await api().post('/api/v1/training-plans').set(as('hrOfficer')).send({ title, departmentId: 'dept-collection', content: planContent(1_200_000) })).body as { id: string };
  const submitted = await api().post(`/api/v1/training-plans/${plan.id}/submit`).set(as('hrOfficer'));
  expect(submitted.status).toBe(202);
  return { planId: plan.id, flowId: submitted.body.flowId as string };
}

describe('a flow that cannot go on', () => {
  test('stalls visibly with its reason, tells admins and HR, and carries on once resumed', async () => {
    await stack.db.employee.update({ where: { id: people.hrDirector.id }, data: { status: 'left' } });
    try {
      const { flowId } = await submittedPlan('无人审批的计划');
      const [head] = await openTasks(stack.db, flowId, 1);
      await stack.flows.decide(flowId, { taskId: head!.id, actorId: head!.assigneeId, decision: 'approve' });

      const stalled = await eventually(async () => {
        const res = await api().get(`/api/v1/flows/${encodeURIComponent(flowId)}`).set(as('admin'));
        return res.body.status === 'stalled' ? res.body : undefined;
      }, 'the flow stalled');
      expect(stalled.stalledReason).toContain('hr_director');
      // The head's decision went with the lookup that stalled: it is on record all the same.
      expect(await stack.db.task.findUniqueOrThrow({ where: { id: head!.id } })).toMatchObject({ status: 'done', outcome: 'approve' });
      expect(await stack.db.planDecision.count({ where: { taskId: head!.id } })).toBe(1);
      expect(stalled.live).toMatchObject({ status: 'stalled', step: expect.stringContaining('hr_director') });
      const listed = await api().get('/api/v1/flows?status=stalled').set(as('admin'));
      expect(listed.body.items.map((f: { id: string }) => f.id)).toContain(flowId);
      const told = await stack.db.notification.findMany({ where: { flowId, template: 'flow_stalled' } });
      expect(told.map((n) => n.recipientId)).toEqual(expect.arrayContaining([people.admin.id, people.hrOfficer.id]));
      expect(told.every((n) => n.critical)).toBe(true);

      // Resuming a flow that is not stalled is refused; once the role is filled, resuming goes on at once.
      expectProblem(await api().post(`/api/v1/flows/${encodeURIComponent(flowId)}/resume`).set(as('collectorA')), 403);
      await stack.db.employee.update({ where: { id: people.hrDirector.id }, data: { status: 'active' } });
      expect((await api().post(`/api/v1/flows/${encodeURIComponent(flowId)}/resume`).set(as('admin'))).body).toEqual({ resumed: true });
      const [director] = await openTasks(stack.db, flowId, 1);
      expect(director!.assigneeId).toBe(people.hrDirector.id);
      const flow = await stack.db.flow.findUniqueOrThrow({ where: { id: flowId } });
      expect(flow).toMatchObject({ status: 'running', stalledReason: null });
      expectProblem(await api().post(`/api/v1/flows/${encodeURIComponent(flowId)}/resume`).set(as('admin')), 409);
    } finally {
      await stack.db.employee.update({ where: { id: people.hrDirector.id }, data: { status: 'active' } });
    }
  });

  test('a decision sent while no worker runs answers 503 with Retry-After in bounded time, and a retry applies it once', async () => {
    const { flowId } = await submittedPlan('工人停机');
    const [head] = await openTasks(stack.db, flowId, 1);
    await stack.stopWorker();
    let first: request.Response;
    try {
      first = await api().post(`/api/v1/tasks/${head!.id}/decision`).set(as('collectionHead')).send({ decision: 'approve' });
    } finally {
      await stack.startWorker();
    }
    expectProblem(first, 503);
    expect(first.headers['retry-after']).toBe('5');
    const again = await api().post(`/api/v1/tasks/${head!.id}/decision`).set(as('collectionHead')).send({ decision: 'approve' });
    expect(again.status).toBe(200);
    await openTasks(stack.db, flowId, 1); // the HR director's, and only one
    const decided = await stack.db.auditEvent.count({ where: { flowId, action: 'task.decided', taskId: head!.id } });
    expect(decided).toBe(1);
  });
});

describe('separation of duties', () => {
  test('a leaver cannot name their own successor, supervisor or mentor', async () => {
    const res = await api()
      .post('/api/v1/resignations')
      .set(as('collectorC'))
      .send({ employeeId: people.collectorC.id, resignationDate: '2027-02-01', lastWorkingDay: '2027-02-26', reason: '个人原因', successorId: people.collectorB.id, mentorId: people.collectorB.id });
    expectProblem(res, 403, ['successorId', 'mentorId']);
    expect(await stack.db.resignation.count({ where: { employeeId: people.collectorC.id } })).toBe(0);
    const mentoringSelf = await api()
      .post('/api/v1/resignations')
      .set(as('hrOfficer'))
      .send({ employeeId: people.collectorC.id, resignationDate: '2027-02-01', lastWorkingDay: '2027-02-26', reason: '个人原因', mentorId: people.collectorC.id });
    expectProblem(mentoringSelf, 400, ['mentorId']);
  });

  test('an HR officer who resigns is not the HR officer of their own handover', async () => {
    const res = await api()
      .post('/api/v1/resignations')
      .set(as('hrAssistant'))
      .send({ employeeId: people.hrAssistant.id, resignationDate: '2027-02-02', lastWorkingDay: '2027-02-26', reason: '深造' });
    expect(res.status).toBe(202);
    const resignation = await eventually(async () => (await stack.db.resignation.findUnique({ where: { id: res.body.resignationId } })) ?? undefined, 'the resignation on record');
    expect(resignation.hrId).not.toBe(people.hrAssistant.id);
    expect(resignation.hrId).toBe(people.hrOfficer.id);
  });
});

describe('a last working day already past (the collector has gone)', () => {
  test('is accepted as an emergency: the supervisor owns the checklist from the start and no chasing step fires in a burst', async () => {
    const started = await api()
      .post('/api/v1/resignations')
      .set(as('hrOfficer'))
      .send({ employeeId: people.engineer.id, resignationDate: '2026-10-01', lastWorkingDay: '2026-10-30', reason: '不辞而别 left without notice', successorId: people.collectorA.id, supervisorId: people.engineeringHead.id });
    expect(started.status).toBe(202);
    expect(started.body.emergency).toContain('supervisor');
    const { flowId, resignationId } = started.body as { flowId: string; resignationId: string };
    const [ack] = await openTasks(stack.db, flowId, 1);
    const acknowledged = await stack.flows.decide(flowId, { taskId: ack!.id, actorId: ack!.assigneeId, decision: 'confirm' });
    // The knowledge articles fall to the supervisor, not to the collector who has gone; HR reviews them.
    expect(acknowledged.next.filter((t) => t.type === 'knowledge_capture').map((t) => t.assigneeId)).toEqual([people.engineeringHead.id]);
    expect(await stack.db.task.count({ where: { flowId, assigneeId: people.engineer.id } })).toBe(0);
    const article = await api()
      .post(`/api/v1/resignations/${resignationId}/knowledge-articles`)
      .set(as('engineeringHead'))
      .send({ kind: 'key_customer', title: '重点客户 Key customers', body: '从工单记录整理 Compiled from the ticket history' });
    expect(article.status).toBe(200);
    expect(article.body.next.map((t: { assigneeId: string; type: string }) => [t.type, t.assigneeId])).toEqual([['knowledge_review', people.hrOfficer.id]]);
    const checklist = `${flowId}/checklist-1`;
    // Everything was due long ago; HR hears of it once, as critical, and nothing fires before that.
    await eventually(async () => (await stack.db.auditEvent.findFirst({ where: { flowId: checklist, action: 'handover.critical_escalation' } })) ?? undefined, 'the critical escalation');
    const lines = await stack.db.handoverItem.findMany({ where: { resignationId } });
    expect(lines.length).toBeGreaterThan(0);
    expect(new Set(lines.map((l) => l.ownerId))).toEqual(new Set([people.engineeringHead.id]));
    const chased = await stack.db.auditEvent.count({ where: { flowId: checklist, action: { in: ['handover.items_reminded', 'handover.items_escalated', 'handover.items_reassigned'] } } });
    expect(chased).toBe(0);
  });
});

describe('needs cycles', () => {
  const competencies = [
    { key: 'negotiation', name: '谈判', requiredLevel: 4 },
    { key: 'law', name: '法规', requiredLevel: 3 },
  ];

  test('starting a finished cycle again with its Idempotency-Key finds it and starts no second run', async () => {
    const body = { name: '再次启动', departmentId: 'dept-collection', participantIds: [people.collectorA.id], competencies, surveyDeadline: future(7) };
    const first = await api().post('/api/v1/needs-cycles').set(as('hrOfficer')).set('Idempotency-Key', 'cycle-once').send(body);
    expect(first.status).toBe(202);
    const handle = stack.client.workflow.getHandle(first.body.flowId);
    const { runId } = await handle.describe();
    await handle.terminate('finished for the test');
    const again = await api().post('/api/v1/needs-cycles').set(as('hrOfficer')).set('Idempotency-Key', 'cycle-once').send(body);
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    const latest = await stack.client.workflow.getHandle(first.body.flowId).describe();
    expect(latest.runId).toBe(runId);
    expect(latest.status.name).toBe('TERMINATED');
  });

  test('the same start sent five times at once answers five times alike, with one run, one accepted start and one row', async () => {
    const body = { name: '同时启动', departmentId: 'dept-collection', participantIds: [people.collectorB.id], competencies, surveyDeadline: future(7) };
    const answers = await Promise.all(Array.from({ length: 5 }, () => api().post('/api/v1/needs-cycles').set(as('hrOfficer')).set('Idempotency-Key', 'cycle-at-once').send(body)));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202]);
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    const { cycleId, flowId } = answers[0]!.body;
    expect(await stack.db.needsCycle.count({ where: { id: cycleId } })).toBe(1);
    // One run, and in it the start's Update accepted once, whatever the five requests did.
    const handle = stack.client.workflow.getHandle(flowId);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    const history = await handle.fetchHistory();
    expect(history.events!.filter((e) => e.workflowExecutionStartedEventAttributes)).toHaveLength(1);
    expect(history.events!.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId === 'started')).toHaveLength(1);
  });

  test('a survey must rate every competency; an empty one is refused and counts for nothing', async () => {
    const res = await api().post('/api/v1/needs-cycles').set(as('hrOfficer')).send({ name: '完整问卷', departmentId: 'dept-collection', participantIds: [people.collectorB.id], competencies, surveyDeadline: future(7) });
    const cycleId = res.body.cycleId as string;
    await eventually(async () => ((await stack.db.task.count({ where: { flowId: res.body.flowId, type: 'needs_survey', status: 'open' } })) === 1 ? true : undefined), 'the survey task');
    const empty = await api().post(`/api/v1/needs-cycles/${cycleId}/survey`).set(as('collectorB')).send({ selfRatings: {} });
    expectProblem(empty, 422);
    expect(empty.body.detail).toContain('negotiation');
    const partial = await api().post(`/api/v1/needs-cycles/${cycleId}/survey`).set(as('collectorB')).send({ selfRatings: { negotiation: 3 } });
    expectProblem(partial, 422);
    expect(partial.body.detail).toContain('law');
    const cycle = await api().get(`/api/v1/needs-cycles/${cycleId}`).set(as('hrOfficer'));
    expect(cycle.body.responseRate.responses).toBe(0);
    expect((await api().post(`/api/v1/needs-cycles/${cycleId}/survey`).set(as('collectorB')).send({ selfRatings: { negotiation: 3, law: 2 } })).status).toBe(200);
  });

  test('a deadline in the past, an unknown department and an unknown participant are all named in one 422', async () => {
    const res = await api()
      .post('/api/v1/needs-cycles')
      .set(as('hrOfficer'))
      .send({ name: '错误', departmentId: 'dept-nowhere', participantIds: ['00000000-0000-4000-8000-0000000009ff'], competencies, surveyDeadline: new Date(Date.now() - 60_000).toISOString() });
    expectProblem(res, 422, ['departmentId', 'participantIds', 'surveyDeadline']);
    expect(await stack.db.needsCycle.count({ where: { name: '错误' } })).toBe(0);
  });
});

test('a plan naming an unknown department and an unconfirmed assessment hears of both at once', async () => {
  const res = await api()
    .post('/api/v1/training-plans')
    .set(as('hrOfficer'))
    .send({ title: '两处错误', departmentId: 'dept-nowhere', needsAssessmentId: '00000000-0000-4000-8000-0000000000aa', content: planContent(1_200_000) });
  expectProblem(res, 422, ['departmentId', 'needsAssessmentId']);
  expect(await stack.db.trainingPlan.count({ where: { title: '两处错误' } })).toBe(0);
});

test('responses carry security headers', async () => {
  const res = await api().get('/healthz');
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['content-security-policy']).toBeDefined();
});

describe('bodies nested without end', () => {
  test('are refused with 400 naming the depth, before anything walks them', async () => {
    let reason: unknown = 'why';
    for (let i = 0; i < 2_500; i++) reason = { a: reason };
    const res = await api().post('/api/v1/training-plans').set(as('hrOfficer')).send({ title: '深', departmentId: 'dept-collection', content: { objectives: reason } });
    expectProblem(res, 400);
    expect(res.body.errors[0].reason).toContain('nested more than 32 levels');
  });
});
