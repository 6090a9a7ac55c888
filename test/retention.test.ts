/**
 * Early warning and retention (DOMAIN.md §7) with the real stack: imported figures and flags score
 * people; a rise to high opens one retention flow even when imports arrive together; the manager's
 * stay interview, HR's review and the action checks close it; so does a fall of the level, or HR.
 * Nobody but HR and the person's own manager sees risk, and every read of it is audited.
 */
import { retentionFlowId } from '../domain/risk';
import { eventually, people } from './support/fixtures';
import { apiTestStack, expectProblem, type Who } from './support/http';
import { sessionKit } from './support/sessions';
import { startProgramme } from './support/followUp';

const http = apiTestStack();
const { stack, as, api } = http;

const V1 = '/api/v1';
/** A day in the company's calendar, `days` from today. */
const day = (days: number) => new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
const row = (who: keyof typeof people, collectionRate: number, contacts: number, complaints: number) => ({ employeeNo: people[who].employeeNo, collectionRate, contacts, complaints });
const importJson = (month: string, rows: object[], who: Who = 'hrOfficer') => api().post(`${V1}/performance/imports`).set(as(who)).send({ month, rows });
const importCsv = (month: string, csv: string, who: Who = 'hrOfficer') => api().post(`${V1}/performance/imports?month=${month}`).set(as(who)).set('Content-Type', 'text/csv').send(csv);
const flag = (employee: keyof typeof people, who: Who, reason = '最近情绪低落，提过想离职') => api().post(`${V1}/risk/${people[employee].id}/flags`).set(as(who)).send({ reason });
const flow = (flowId: string) => `${V1}/retention-flows/${encodeURIComponent(flowId)}`;
const openTasksOf = (flowId: string, count: number) =>
  eventually(async () => {
    const open = await stack.db.task.findMany({ where: { flowId, status: 'open' }, orderBy: { stepKey: 'asc' } });
    return open.length === count ? open : undefined;
  }, `${count} open task(s) of ${flowId}`);
const caseOf = (flowId: string, status: string) =>
  eventually(async () => {
    const found = await stack.db.retentionCase.findUnique({ where: { flowId } });
    return found?.status === status ? found : undefined;
  }, `${flowId} ${status}`);

test('a bad CSV names every bad line and field and applies nothing', async () => {
  const csv = `employeeNo,collectionRate,contacts,complaints\n${people.collectorA.employeeNo},45,120,3\nBT999,50,10,0\n${people.collectorB.employeeNo},150,x,0\n`;
  const bad = await importCsv('2026-11', csv);
  expectProblem(bad, 400, ['csv line 4, collectionRate', 'csv line 4, contacts']);
  const unknown = await importCsv('2026-11', `employeeNo,collectionRate,contacts,complaints\n${people.collectorA.employeeNo},45,120,3\nBT999,50,10,0\n`);
  expectProblem(unknown, 422, ['csv line 3, employeeNo']);
  expectProblem(await importCsv('2026-13', csv), 400, ['query.month']);
  expectProblem(await importJson('2026-11', [row('collectorA', 45, 120, 3), { employeeNo: '' }]), 400, ['rows.1.employeeNo']);
  expect(await stack.db.performanceFigure.count()).toBe(0);
  expect(await stack.db.riskScore.count()).toBe(0);
});

test('two imports at once raise collector A to high: exactly one retention flow; a month imported again replaces it', async () => {
  const [first, second] = await Promise.all([
    importJson('2026-11', [row('collectorA', 45, 120, 3), row('collectorB', 88, 320, 0)]),
    importCsv('2026-10', `employeeNo,collectionRate,contacts,complaints\n${people.collectorA.employeeNo},52.5,150,2\n`),
  ]);
  expect([first.status, second.status]).toEqual([201, 201]);
  const flowId = retentionFlowId(people.collectorA.id, 1);
  expect(await stack.db.retentionCase.findMany({ where: { employeeId: people.collectorA.id }, select: { flowId: true } })).toEqual([{ flowId }]);
  expect(first.body.levels.concat(second.body.levels).filter((l: { retentionFlowId?: string }) => l.retentionFlowId === flowId).length).toBeGreaterThan(0);
  const risk = await stack.db.employeeRisk.findUniqueOrThrow({ where: { employeeId: people.collectorA.id } });
  expect([risk.level, risk.score, risk.retentionFlowId, risk.ruleSetVersion]).toEqual(['high', 60, flowId, 1]);
  expect((risk.reasons as { key: string }[]).map((r) => r.key)).toEqual(['collection_rate_low', 'contacts_low', 'complaints_high']);

  // November again, without collector A: their November row goes; October (as bad) keeps them high.
  const again = await importJson('2026-11', [row('collectorB', 90, 300, 0)]);
  expect(again.status).toBe(201);
  expect(await stack.db.performanceFigure.findMany({ where: { month: '2026-11' }, select: { employeeId: true } })).toEqual([{ employeeId: people.collectorB.id }]);
  expect((await stack.db.employeeRisk.findUniqueOrThrow({ where: { employeeId: people.collectorA.id } })).level).toBe('high');
  expect(await stack.db.retentionCase.count({ where: { employeeId: people.collectorA.id } })).toBe(1);
  // The same request again (its Idempotency-Key) is the same intake.
  const keyed = () => importJson('2026-09', [row('collectorA', 80, 300, 0)]).set('Idempotency-Key', 'sept-1');
  expect((await keyed()).body).toEqual((await keyed()).body);
  expect(await stack.db.auditEvent.count({ where: { action: 'risk.performance_imported' } })).toBe(4);
});

test('risk is seen by HR and the own manager only; every route refuses the others; every read is audited', async () => {
  const a = people.collectorA.id;
  const flowId = retentionFlowId(a, 1);
  await openTasksOf(flowId, 1);
  const reads = () => stack.db.auditEvent.count({ where: { action: 'risk.read' } });
  const before = await reads();
  const get = (path: string, who: Who) => api().get(`${V1}${path}`).set(as(who));
  // A collector: nobody's risk, their own included.
  for (const path of ['/risk', `/risk/${a}`, `/risk/${people.collectorB.id}`, '/risk/rules', '/retention-flows', flow(flowId).slice(V1.length)]) expectProblem(await get(path, 'collectorA'), 403);
  expectProblem(await flag('collectorB', 'collectorA'), 403);
  expectProblem(await importJson('2026-08', [row('collectorB', 90, 300, 0)], 'collectorA'), 403);
  expectProblem(await api().put(`${V1}/risk/rules`).set(as('collectorA')).send({}), 403);
  // Another team's manager.
  expectProblem(await get(`/risk/${a}`, 'serviceHead'), 403);
  expectProblem(await get(flow(flowId).slice(V1.length), 'serviceHead'), 403);
  expectProblem(await flag('collectorA', 'serviceHead'), 403);
  expectProblem(await get('/risk/rules', 'serviceHead'), 403);
  expectProblem(await importJson('2026-08', [row('collectorB', 90, 300, 0)], 'collectionHead'), 403);
  for (const step of ['stay-interview', 'review', 'action-checks', 'close']) {
    expectProblem(await api().post(`${flow(flowId)}/${step}`).set(as('collectorA')).send({}), 403);
    expectProblem(await api().post(`${flow(flowId)}/${step}`).set(as(step === 'action-checks' ? 'collectorB' : 'serviceHead')).send({}), 403);
  }
  expect((await get('/risk', 'serviceHead')).body.items.map((r: { employeeId: string }) => r.employeeId)).not.toContain(a);
  expect((await get('/retention-flows', 'serviceHead')).body.total).toBe(0);
  // The own manager and HR.
  const listed = await get('/risk?level=high', 'collectionHead');
  expect(listed.status).toBe(200);
  expect(listed.body.items.map((r: { employeeId: string }) => r.employeeId)).toEqual([a]);
  expect((await get(`/risk?departmentId=dept-engineering`, 'hrOfficer')).body.items).toEqual([]);
  const record = await get(`/risk/${a}`, 'collectionHead');
  expect(record.status).toBe(200);
  expect(record.body).toMatchObject({ level: 'high', ruleSetVersion: 1, retention: [{ flowId, status: 'open' }] });
  expect(record.body.reasons[0].text.en).toMatch(/collection rate 52.5% in 2026-10/);
  expect((await get(`/risk/${a}`, 'hrOfficer')).status).toBe(200);
  expect((await get(flow(flowId).slice(V1.length), 'hrOfficer')).body).toMatchObject({ stage: 'stay_interview', openTasks: [{ type: 'retention_stay_interview', assigneeId: people.collectionHead.id }] });
  expect((await get('/retention-flows', 'collectionHead')).body.items.map((c: { flowId: string }) => c.flowId)).toEqual([flowId]);
  // Executives and operators oversee flows, but not retention flows.
  for (const who of ['ceo', 'admin'] as Who[]) {
    expectProblem(await get(`/flows/${encodeURIComponent(flowId)}`, who), 403);
    expect((await get('/flows?type=retention', who)).body.total).toBe(0);
  }
  // Nor its tasks, whose titles name the person: not in the manager's inbox as an admin reads it, nor one by one.
  const [interviewTask] = await openTasksOf(flowId, 1);
  expect((await get(`/tasks?assignee=${people.collectionHead.id}`, 'admin')).body.items.map((t: { flowId: string }) => t.flowId)).not.toContain(flowId);
  expectProblem(await get(`/tasks/${interviewTask!.id}`, 'admin'), 403);
  expect((await get(`/tasks?assignee=${people.collectionHead.id}`, 'hrOfficer')).body.items.map((t: { flowId: string }) => t.flowId)).toContain(flowId);
  expect((await get(`/tasks/${interviewTask!.id}`, 'hrOfficer')).status).toBe(200);
  expect((await get(`/flows/${encodeURIComponent(flowId)}`, 'hrOfficer')).status).toBe(200);
  expect(await reads()).toBe(before + 9); // the last: HR's read of the flow at /flows
  const lastRead = await stack.db.auditEvent.findFirstOrThrow({ where: { action: 'risk.read' }, orderBy: { id: 'desc' } });
  expect([lastRead.actorId, lastRead.flowId, lastRead.payload]).toEqual([people.hrOfficer.id, flowId, { what: 'flow', employeeIds: [a] }]);
});

test('stay interview → HR review → each action checked by its owner → the flow closes', async () => {
  const a = people.collectorA.id;
  const flowId = retentionFlowId(a, 1);
  const [interviewTask] = await openTasksOf(flowId, 1);
  expect(interviewTask!.dueAt.getTime()).toBeGreaterThan(Date.now());
  const interview = {
    heldOn: day(0),
    causes: ['pay', 'workload'],
    notes: '觉得提成太低，片区户数太多',
    actions: [
      { what: '调整片区，减少 80 户', ownerId: people.collectionHead.id, dueOn: day(14) },
      { what: '复核提成方案', ownerId: people.hrOfficer.id, dueOn: day(30) },
    ],
  };
  const post = (step: string, who: Who, body: object) => api().post(`${flow(flowId)}/${step}`).set(as(who)).send(body);
  expectProblem(await post('stay-interview', 'collectionHead', { ...interview, causes: ['boredom'] }), 400, ['causes.0']);
  expectProblem(await post('stay-interview', 'collectionHead', { ...interview, actions: [{ ...interview.actions[0], ownerId: people.collectorB.id }] }), 422, ['actions.0.ownerId']);
  expectProblem(await post('stay-interview', 'hrOfficer', interview), 403);
  expectProblem(await post('review', 'hrOfficer', { comment: '同意' }), 409);
  const held = await post('stay-interview', 'collectionHead', interview);
  expect(held.status).toBe(200);
  expect(held.body).toMatchObject({ actions: 2, next: [{ assigneeId: people.hrOfficer.id, type: 'retention_hr_review' }] });
  expectProblem(await post('stay-interview', 'collectionHead', interview), 409);

  expect((await post('review', 'hrOfficer', { comment: '同意两项措施' })).status).toBe(200);
  const checks = await openTasksOf(flowId, 2);
  expect(checks.map((t) => [t.stepKey, t.assigneeId])).toEqual([
    ['action-check/1', people.collectionHead.id],
    ['action-check/2', people.hrOfficer.id],
  ]);
  expectProblem(await post('action-checks', 'collectionHead', { actionNo: 2, done: true, notes: 'x' }), 403);
  expect((await post('action-checks', 'collectionHead', { actionNo: 1, done: true, notes: '已调整片区' })).body).toMatchObject({ actionNo: 1, remaining: 1 });
  expect((await post('action-checks', 'hrOfficer', { actionNo: 2, done: false, notes: '提成方案下季度调整' })).body).toMatchObject({ remaining: 0 });
  expect(await stack.client.workflow.getHandle(flowId).result()).toBe('actions_checked');
  const closed = await caseOf(flowId, 'actions_checked');
  expect(closed.stage).toBe('closed');
  expect((closed.actionChecks as { actionNo: number; done: boolean }[]).map((c) => [c.actionNo, c.done])).toEqual([[1, true], [2, false]]);
  expect((await stack.db.employeeRisk.findUniqueOrThrow({ where: { employeeId: a } })).retentionFlowId).toBeNull();
  const audit = (await stack.db.auditEvent.findMany({ where: { flowId }, select: { action: true } })).map((e) => e.action).filter((x) => x.startsWith('retention.'));
  expect(audit.sort()).toEqual(['retention.action_checked', 'retention.action_checked', 'retention.closed', 'retention.reviewed', 'retention.stay_interview_held']);
});

test('a fall of the level closes the flow; HR closes another with a reason; a new rule version rescores everyone', async () => {
  // Collector B: the manager's flag (40) and a poor month (30) make 70, high.
  expect((await flag('collectorB', 'collectionHead')).status).toBe(201);
  const poor = await importJson('2026-12', [row('collectorB', 50, 300, 0), row('collectorC', 40, 100, 0)]);
  const flowB = retentionFlowId(people.collectorB.id, 1);
  expect(poor.body.levels.find((l: { employeeId: string }) => l.employeeId === people.collectorB.id)).toMatchObject({ level: 'high', previous: 'medium', retentionFlowId: flowB });
  await openTasksOf(flowB, 1);
  // December corrected: only the flag remains (40), medium; the flow closes and its task with it.
  await importJson('2026-12', [row('collectorB', 75, 300, 0), row('collectorC', 40, 100, 0)]);
  expect(await stack.client.workflow.getHandle(flowB).result()).toBe('level_fell');
  expect((await caseOf(flowB, 'level_fell')).closedReason).toBe('the risk level fell to medium');
  expect(await stack.db.task.count({ where: { flowId: flowB, status: 'open' } })).toBe(0);

  // Collector C: 40 from December's figures, then their manager's flag: high; HR closes it.
  const flowC = retentionFlowId(people.collectorC.id, 1);
  await flag('collectorC', 'collectionHead', '家里有事，可能要回老家');
  await openTasksOf(flowC, 1);
  expectProblem(await api().post(`${flow(flowC)}/close`).set(as('collectionHead')).send({ reason: 'x' }), 403);
  expectProblem(await api().post(`${flow(flowC)}/close`).set(as('hrOfficer')).send({}), 400, ['reason']);
  expect((await api().post(`${flow(flowC)}/close`).set(as('hrOfficer')).send({ reason: '已调岗到客服部' })).body).toEqual({ status: 'closed_by_hr' });
  expect((await caseOf(flowC, 'closed_by_hr')).closedReason).toBe('已调岗到客服部');
  expectProblem(await api().post(`${flow(flowC)}/close`).set(as('hrOfficer')).send({ reason: 'again' }), 409);

  // A stricter rule set: version 2, and every score from now on names it.
  const rules = (await api().get(`${V1}/risk/rules`).set(as('hrOfficer'))).body;
  expect(rules.version).toBe(1);
  expectProblem(await api().put(`${V1}/risk/rules`).set(as('hrOfficer')).send({ ...rules.rules, highFrom: 10 }), 400, ['highFrom']);
  const changed = await api().put(`${V1}/risk/rules`).set(as('hrOfficer')).send({ ...rules.rules, managerFlag: { weight: 0 } });
  expect(changed.status).toBe(200);
  expect(changed.body.version).toBe(2);
  expect(changed.body.levels.every((l: { ruleSetVersion: number }) => l.ruleSetVersion === 2)).toBe(true);
  expect((await stack.db.employeeRisk.findUniqueOrThrow({ where: { employeeId: people.collectorC.id } })).level).toBe('medium');
  expect((await api().get(`${V1}/risk/rules`).set(as('hrOfficer'))).body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
});

test('a session whose sign-in closes with everyone absent scores its participants again: collector C rises to high, a new flow opens', async () => {
  // Under rules v2: C has 40 from December; an absence adds 20. A stays high (no rise), B stays low.
  const { sessions } = await sessionKit(http).approvedPlan([{ startsIn: 25, endsIn: 3600 }], { leadTime: 'PT20S', criticalBefore: 'PT1S', signInOpensBefore: 'PT2S', signInClosesAfter: 'PT2S', lateAfter: 'PT1S' });
  const flowC2 = retentionFlowId(people.collectorC.id, 2);
  await caseOf(flowC2, 'open');
  const scored = await stack.db.riskScore.findMany({ where: { cause: 'session_attendance', id: { startsWith: sessions[0]!.flowId } }, select: { employeeId: true, level: true, ruleSetVersion: true } });
  expect(scored.sort((x, y) => x.employeeId.localeCompare(y.employeeId))).toEqual(
    [
      { employeeId: people.collectorA.id, level: 'high', ruleSetVersion: 2 },
      { employeeId: people.collectorB.id, level: 'low', ruleSetVersion: 2 },
      { employeeId: people.collectorC.id, level: 'high', ruleSetVersion: 2 },
    ].sort((x, y) => x.employeeId.localeCompare(y.employeeId)),
  );
  expect(await stack.db.retentionCase.count({ where: { employeeId: people.collectorA.id } })).toBe(1);
  const c = await stack.db.employeeRisk.findUniqueOrThrow({ where: { employeeId: people.collectorC.id } });
  expect((c.reasons as { key: string }[]).map((r) => r.key)).toEqual(['collection_rate_low', 'contacts_low', 'absences']);

  // An operator cancels it in Temporal: the case is recorded cancelled and C may get a new one.
  await openTasksOf(flowC2, 1);
  await stack.client.workflow.getHandle(flowC2).cancel();
  expect((await caseOf(flowC2, 'cancelled')).stage).toBe('closed');
  expect(await stack.db.task.count({ where: { flowId: flowC2, status: 'open' } })).toBe(0);
  expect((await stack.db.employeeRisk.findUniqueOrThrow({ where: { employeeId: people.collectorC.id } })).retentionFlowId).toBeNull();
}, 90_000);

test('a failed knowledge test recorded in a follow-up scores the participant again', async () => {
  const { planId, flowId, join } = await startProgramme(stack, {});
  await join([people.serviceRep.id]);
  await eventually(async () => (await stack.db.task.findFirst({ where: { flowId, type: 'followup_scores', status: 'open' } })) ?? undefined, 'the scores task');
  const scored = await api().post(`${V1}/training-plans/${planId}/follow-up/scores`).set(as('trainer')).send({ scores: [{ employeeId: people.serviceRep.id, score: 40 }] });
  expect(scored.status).toBe(200);
  // Answered once the recompute is on record.
  const score = await stack.db.riskScore.findFirstOrThrow({ where: { employeeId: people.serviceRep.id, cause: 'follow_up_score' } });
  expect([score.level, score.ruleSetVersion, (score.reasons as { key: string }[]).map((r) => r.key)]).toEqual(['low', 2, ['knowledge_failed']]);
});
