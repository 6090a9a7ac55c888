/**
 * The exit interview over HTTP with the real stack: asked at sign-off, the handover waits for it
 * after the rating and then completes; causes come from the stay interview's list; once on record
 * the leaver's team is scored again, and a second exit for the same cause raises their risk. The
 * report of causes groups by department and quarter, scopes a manager to their department and hides
 * groups of fewer than three leavers.
 */
import { eventually, people } from './support/fixtures';
import { acknowledge, checklistLines, completeAll, earlierLeaver, openTaskOfType, phaseOf, signOffAfterChecklist, startHandover, verifyAll } from './support/handover';
import { apiTestStack, expectProblem, type Who } from './support/http';

const { stack, as, api } = apiTestStack();

const V1 = '/api/v1';
/** A day in the company's calendar, `days` from today. */
const day = (days: number) => new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
const interview = (extra: object = {}) => ({ heldOn: day(0), causes: ['pay', 'workload'], notes: '同样的活，别家多给两成', wouldReturn: false, wouldRecommend: true, ...extra });
const post = (resignationId: string, who: Who, body: object) => api().post(`${V1}/resignations/${resignationId}/exit-interview`).set(as(who)).send(body);
const report = (who: Who, from = '2026-07-01', to = '2027-03-31') => api().get(`${V1}/reports/leaving-causes?from=${from}&to=${to}`).set(as(who));

let resignationId: string;

test('the handover asks for the interview at sign-off and completes only once it is on record; causes are checked; the team’s risk rises', async () => {
  // Collector A's teammate left for pay two months ago.
  await stack.db.exitInterview.create({ data: earlierLeaver('dept-collection', day(-60), ['pay', 'family'], people.collectionHead.id) });

  const started = await startHandover(stack.flows);
  resignationId = started.resignationId;
  const { flowId } = started;
  expectProblem(await post(resignationId, 'hrOfficer', interview()), 409);
  await acknowledge(stack.db, stack.flows, flowId);
  const lines = (await checklistLines(stack.db, stack.flows, resignationId, 326)).map((l) => l.itemNo);
  // Not at that step yet: the flow refuses.
  const early = await post(resignationId, 'hrOfficer', interview());
  expectProblem(early, 409);
  expect(early.body.code).toBe('wrong_state');
  await completeAll(stack.flows, `${flowId}/checklist-1`, lines, people.collectorA.id);
  await verifyAll(stack.flows, `${flowId}/checklist-1`, lines, people.collectionHead.id);
  await signOffAfterChecklist(stack, flowId, resignationId);

  const task = await openTaskOfType(stack.db, flowId, 'handover_exit_interview');
  expect(task.assigneeId).toBe(people.hrOfficer.id);
  await expect(api().get(`${V1}/resignations/${resignationId}/exit-interview`).set(as('hrOfficer')).then((r) => r.body)).resolves.toEqual({ resignationId, open: true, interview: null });

  // The successor rates the handover; the flow then waits for the interview alone.
  const rating = await openTaskOfType(stack.db, flowId, 'handover_rating');
  await api().post(`${V1}/resignations/${resignationId}/rating`).set(as('collectorB')).send({ score: 4 }).expect(200);
  expect(rating.assigneeId).toBe(people.collectorB.id);
  await phaseOf(stack.db, resignationId, 'exit_interview');
  // The leaver has left (sign-off), but the flow goes on.
  expect((await stack.db.flow.findUniqueOrThrow({ where: { id: flowId } })).status).toBe('running');

  // Causes only from the stay interview's list, each once; a day not yet come; the body's fields named.
  expectProblem(await post(resignationId, 'hrOfficer', interview({ causes: ['boredom'] })), 400, ['causes.0']);
  expectProblem(await post(resignationId, 'hrOfficer', interview({ causes: [] })), 400, ['causes']);
  expectProblem(await post(resignationId, 'hrOfficer', interview({ causes: ['pay', 'pay'] })), 400, ['causes']);
  expectProblem(await post(resignationId, 'hrOfficer', interview({ notes: ' ', wouldReturn: 'yes' })), 400, ['notes', 'wouldReturn']);
  expectProblem(await post(resignationId, 'hrOfficer', interview({ heldOn: day(3) })), 422);
  // HR only: the leaver's manager, the successor and admins are turned away (the leaver has left:
  // their sign-in no longer counts).
  expectProblem(await post(resignationId, 'collectorA', interview()), 401);
  for (const who of ['collectionHead', 'collectorB', 'admin'] as const) {
    expectProblem(await post(resignationId, who, interview()), 403);
    expectProblem(await api().get(`${V1}/resignations/${resignationId}/exit-interview`).set(as(who)), 403);
  }
  // Another HR officer is not the task's holder.
  expectProblem(await post(resignationId, 'hrAssistant', interview()), 403);

  const held = await post(resignationId, 'hrOfficer', interview()).set('Idempotency-Key', 'exit-1');
  expect(held.status).toBe(200);
  expect(held.body.causes).toEqual(['pay', 'workload']);
  // Sent again with the same key: answered, not applied twice.
  expect((await post(resignationId, 'hrOfficer', interview()).set('Idempotency-Key', 'exit-1')).status).toBe(200);
  await expect(stack.client.workflow.getHandle(flowId).result()).resolves.toBe('completed');
  expect(await stack.db.resignation.findUniqueOrThrow({ where: { id: resignationId } })).toMatchObject({ status: 'completed', phase: 'completed', ratingScore: 4 });
  expect(await stack.db.exitInterview.count({ where: { resignationId } })).toBe(1);
  expect(await stack.db.auditEvent.count({ where: { flowId, action: 'handover.exit_interview_held', actorId: people.hrOfficer.id } })).toBe(1);
  const recorded = await api().get(`${V1}/resignations/${resignationId}/exit-interview`).set(as('hrDirector'));
  expect(recorded.body).toMatchObject({ open: false, interview: { causes: ['pay', 'workload'], heldOn: day(0), leftOn: '2027-02-26', wouldReturn: false, wouldRecommend: true, recordedById: people.hrOfficer.id } });
  expectProblem(await post(resignationId, 'hrOfficer', interview()), 409);

  // Two of the collection head's team left for pay within 180 days: collectors B and C hear of it.
  for (const who of ['collectorB', 'collectorC'] as const) {
    const risk = await eventually(async () => {
      const res = await api().get(`${V1}/risk/${people[who].id}`).set(as('hrOfficer'));
      return res.body.reasons?.some((r: { key: string }) => r.key === 'same_cause_exits') ? res.body : undefined;
    }, `${who}'s risk after two exits for pay`);
    expect(risk).toMatchObject({ level: 'medium', score: 30 });
    expect(risk.reasons).toEqual([expect.objectContaining({ key: 'same_cause_exits', params: { cause: 'pay', value: 2, days: 180 }, points: 30 })]);
    expect(risk.reasons[0].text.en).toBe('2 of the team left for pay within 180 days');
  }
  // Someone outside the team is not scored for it.
  expect(await stack.db.employeeRisk.findUnique({ where: { employeeId: people.serviceRep.id } })).toBeNull();
});

test('the report counts causes by department and quarter; small groups are hidden; a manager sees their department only; collectors are refused', async () => {
  await stack.db.exitInterview.createMany({
    data: [
      earlierLeaver('dept-collection', '2026-07-15', ['pay', 'workload']),
      earlierLeaver('dept-collection', '2026-08-31', ['pay']),
      earlierLeaver('dept-collection', '2026-09-30', ['career']),
      earlierLeaver('dept-customer-service', '2026-08-01', ['management']),
      earlierLeaver('dept-customer-service', '2026-09-01', ['management']),
      // Outside the range asked for.
      earlierLeaver('dept-customer-service', '2026-06-30', ['management']),
    ],
  });
  const hr = await report('hrOfficer');
  expect(hr.status).toBe(200);
  expect(hr.body).toMatchObject({ from: '2026-07-01', to: '2027-03-31', minGroup: 3, causes: ['pay', 'workload', 'career', 'relations', 'management', 'family', 'other'] });
  expect(hr.body.groups.map((g: any) => [g.departmentId, g.quarter, g.suppressed, g.leavers])).toEqual([
    ['dept-collection', '2026-Q3', false, 3],
    ['dept-collection', '2026-Q4', true, null],
    ['dept-collection', '2027-Q1', true, null],
    ['dept-customer-service', '2026-Q3', true, null],
  ]);
  expect(hr.body.groups[0]).toMatchObject({ department: { name: '收费催收部', nameEn: 'Fee Collection' }, causes: { pay: 2, workload: 1, career: 1, relations: 0, management: 0, family: 0, other: 0 } });
  expect(hr.body.groups[1].causes).toBeNull();

  const head = await report('collectionHead');
  expect(head.body.groups.map((g: any) => g.departmentId)).toEqual(['dept-collection', 'dept-collection', 'dept-collection']);
  const service = await report('serviceHead');
  expect(service.body.groups).toEqual([expect.objectContaining({ departmentId: 'dept-customer-service', suppressed: true, leavers: null, causes: null })]);

  for (const who of ['collectorB', 'collectorC', 'engineer', 'admin'] as const) expectProblem(await report(who), 403);
  expectProblem(await report('hrOfficer', '2027-01-01', '2026-12-31'), 400, ['query.to']);
  expectProblem(await api().get(`${V1}/reports/leaving-causes?from=2026-13-01`).set(as('hrOfficer')), 400, ['query.from', 'query.to']);
  // Reads are on the audit trail, as reads of risk are.
  expect(await stack.db.auditEvent.count({ where: { action: 'risk.read', actorId: people.hrOfficer.id, payload: { path: ['what'], equals: 'leaving_causes' } } })).toBeGreaterThanOrEqual(1);
});
