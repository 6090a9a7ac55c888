/**
 * Staffing adjustment (DOMAIN.md §7) with the real stack: HR asks for a collector to cover another's
 * accounts; the covered person's head approves through the inbox; the accounts move out and back at
 * the end date (a worker restart in between changes nothing), or stay when HR makes it permanent;
 * a refusal moves nothing; an owner who left meanwhile leaves the accounts with the cover and HR
 * with a task. No account is ever without an active holder.
 */
import { DEFAULT_STAFFING, staffingAdjustmentFlowId } from '../domain/staffingAdjustment';
import { settingsFrom } from '../domain/settings';
import type { PlanContent } from '../domain/trainingPlan';
import { eventually, people } from './support/fixtures';
import { randomUUID } from 'node:crypto';
import { apiTestStack, expectProblem, type Who } from './support/http';
import { sessionKit } from './support/sessions';

const testStack = apiTestStack();
const { stack, as, api } = testStack;
const V1 = '/api/v1/staffing-adjustments';

const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
const start = (who: Who, body: object, key?: string) => {
  const req = api().post(V1).set(as(who));
  return (key ? req.set('Idempotency-Key', key) : req).send(body);
};
const accountsOf = async (employeeId: string, take: number) =>
  (await stack.db.account.findMany({ where: { assigneeId: employeeId }, orderBy: { id: 'asc' }, take, select: { id: true } })).map((a) => a.id);
const holders = async (accountIds: string[]) => [...new Set((await stack.db.account.findMany({ where: { id: { in: accountIds } }, select: { assigneeId: true } })).map((a) => a.assigneeId))];
const openTask = (flowId: string, type: string) =>
  eventually(async () => (await stack.db.task.findFirst({ where: { flowId, type, status: 'open' } })) ?? undefined, `the ${type} task`);
const decide = (taskId: string, who: Who, decision: string, comment?: string) => api().post(`/api/v1/tasks/${taskId}/decision`).set(as(who)).send({ decision, comment });
const result = (adjustmentId: string) => stack.client.workflow.getHandle(staffingAdjustmentFlowId(adjustmentId)).result();
const rowsWritten = async () => [await stack.db.staffingAdjustment.count(), await stack.db.flow.count({ where: { type: 'staffing_adjustment' } })];

/** Started by HR and approved by the covered collector's head: the accounts are with the cover. */
async function approved(body: object) {
  const res = await start('hrOfficer', body);
  expect(res.status).toBe(201);
  const { adjustmentId, flowId } = res.body as { adjustmentId: string; flowId: string };
  const approval = await openTask(flowId, 'staffing_approval');
  expect(approval.assigneeId).toBe(people.collectionHead.id);
  expect((await decide(approval.id, 'collectionHead', 'approve')).status).toBe(200);
  return { adjustmentId, flowId };
}

test('approved, the accounts move to the cover, and back at the end date after a worker restart', async () => {
  const accountIds = await accountsOf(people.collectorA.id, 3);
  const res = await start('hrOfficer', { coveringId: people.collectorB.id, coveredId: people.collectorA.id, accountIds, startsAt: inSeconds(0), endsAt: inSeconds(12), kind: 'deployment', reason: '吴海燕休假' }, 'cover-a');
  expect(res.status).toBe(201);
  expect(res.body.status).toBe('awaiting_approval');
  const { adjustmentId, flowId } = res.body;
  // A retried request finds the same adjustment; nothing is written twice.
  expect((await start('hrOfficer', { coveringId: people.collectorB.id, coveredId: people.collectorA.id, accountIds, startsAt: inSeconds(0), endsAt: inSeconds(12), kind: 'deployment', reason: '吴海燕休假' }, 'cover-a')).body.adjustmentId).toBe(adjustmentId);
  expect(await stack.db.staffingAdjustment.count({ where: { id: adjustmentId } })).toBe(1);
  expect(await holders(accountIds)).toEqual([people.collectorA.id]);

  const approval = await openTask(flowId, 'staffing_approval');
  expectProblem(await decide(approval.id, 'collectorB', 'approve'), 403);
  expect((await decide(approval.id, 'collectionHead', 'approve')).status).toBe(200);
  expect(await holders(accountIds)).toEqual([people.collectorB.id]);
  const active = await api().get(`${V1}/${adjustmentId}`).set(as('hrOfficer'));
  expect(active.body).toMatchObject({ status: 'active', covering: { id: people.collectorB.id }, covered: { id: people.collectorA.id }, head: { id: people.collectionHead.id }, mayChange: true });
  expect(active.body.movedAccountIds.sort()).toEqual([...accountIds].sort());
  // The covered collector reads it, but only HR changes it.
  expect((await api().get(`${V1}/${adjustmentId}`).set(as('collectorA'))).body.mayChange).toBe(false);

  await stack.restartWorker();
  expect(await result(adjustmentId)).toBe('ended');
  expect(await holders(accountIds)).toEqual([people.collectorA.id]);
  const moves = await stack.db.auditEvent.findMany({ where: { flowId, action: 'accounts.moved' }, orderBy: { id: 'asc' } });
  expect(moves.map((m) => (m.payload as { to: string }).to)).toEqual([people.collectorB.id, people.collectorA.id]);
  expect((await stack.db.flow.findUniqueOrThrow({ where: { id: flowId } })).status).toBe('completed');
  expect((await api().get(`${V1}/${adjustmentId}`).set(as('hrOfficer'))).body).toMatchObject({ status: 'ended', mayChange: false });
});

test('HR makes a cover permanent: the accounts stay; a later change is refused', async () => {
  const accountIds = await accountsOf(people.collectorC.id, 2);
  const { adjustmentId } = await approved({ coveringId: people.collectorB.employeeNo, coveredId: people.collectorC.id, accountIds, startsAt: inSeconds(0), endsAt: inSeconds(3600), kind: 'rotation', reason: '轮岗' });
  expectProblem(await api().post(`${V1}/${adjustmentId}/make-permanent`).set(as('collectionHead')).send({ reason: 'x' }), 403);
  expectProblem(await api().post(`${V1}/${adjustmentId}/make-permanent`).set(as('hrOfficer')).send({ reason: ' ' }), 400, ['reason']);
  const made = await api().post(`${V1}/${adjustmentId}/make-permanent`).set(as('hrOfficer')).send({ reason: '长期调岗' });
  expect(made.status).toBe(200);
  expect(made.body.status).toBe('permanent');
  expect(await result(adjustmentId)).toBe('permanent');
  expect(await holders(accountIds)).toEqual([people.collectorB.id]);
  expectProblem(await api().post(`${V1}/${adjustmentId}/end-early`).set(as('hrOfficer')).send({ reason: '再改' }), 409);
  expect(await holders(accountIds)).toEqual([people.collectorB.id]);
});

test('HR ends a cover early: the accounts move back now and the open enrolment task closes', async () => {
  const accountIds = await accountsOf(people.collectorA.id, 2);
  const { adjustmentId, flowId } = await approved({ coveringId: people.collectorC.id, coveredId: people.collectorA.id, accountIds, startsAt: inSeconds(0), endsAt: inSeconds(3600), kind: 'deployment', reason: '支援', training: '新小区收费政策' });
  const enrolment = await openTask(flowId, 'staffing_training');
  expect(enrolment.assigneeId).toBe(people.hrOfficer.id);
  expect(enrolment.title).toContain('新小区收费政策');
  expect(await holders(accountIds)).toEqual([people.collectorC.id]);
  const ended = await api().post(`${V1}/${adjustmentId}/end-early`).set(as('hrOfficer')).send({ reason: '提前返岗' });
  expect(ended.body.status).toBe('ended');
  expect(await holders(accountIds)).toEqual([people.collectorA.id]);
  expect(await result(adjustmentId)).toBe('ended');
  expect((await stack.db.task.findUniqueOrThrow({ where: { id: enrolment.id } })).status).toBe('cancelled');
});

test('the covering collector joins the session HR named when the cover starts; a session cancelled meanwhile leaves HR a task saying why', async () => {
  const onlyAandB = (c: PlanContent) => ({ ...c, participantIds: [people.collectorA.id, people.collectorB.id] });
  const { sessions } = await sessionKit(testStack).approvedPlan([{ startsIn: 7200, endsIn: 9000 }, { startsIn: 90_000, endsIn: 93_600 }], { leadTime: 'PT10M' }, onlyAandB);
  const [first, second] = sessions as [(typeof sessions)[number], (typeof sessions)[number]];
  const body = (accountIds: string[], trainingSessionId: string) => ({ coveringId: people.collectorC.id, coveredId: people.collectorA.id, accountIds, startsAt: inSeconds(0), endsAt: inSeconds(3600), kind: 'deployment', reason: '支援', trainingSessionId });
  const [one, two] = (await accountsOf(people.collectorA.id, 2)).map((id) => [id]) as [string[], string[]];
  expectProblem(await start('hrOfficer', body(one, randomUUID())), 422, ['trainingSessionId']);

  const { adjustmentId, flowId } = await approved(body(one, first.id));
  const joined = await eventually(async () => (await stack.db.sessionParticipant.findUnique({ where: { sessionId_employeeId: { sessionId: first.id, employeeId: people.collectorC.id } } })) ?? undefined, 'collectorC in the session');
  expect(joined.attendance).toBe('expected');
  await eventually(async () => ((await stack.db.auditEvent.count({ where: { flowId, action: 'staffing.enrolled' } })) === 1 ? true : undefined), 'the enrolment on record');
  expect(await stack.db.auditEvent.findFirstOrThrow({ where: { flowId: first.flowId, action: 'session.participants_changed' } })).toMatchObject({ actorId: people.hrOfficer.id, payload: expect.objectContaining({ added: [people.collectorC.id] }) });
  expect((await api().get(`${V1}/${adjustmentId}`).set(as('hrOfficer'))).body.trainingSessionId).toBe(first.id);
  expect((await api().post(`${V1}/${adjustmentId}/end-early`).set(as('hrOfficer')).send({ reason: '提前返岗' })).body.status).toBe('ended');
  expect(await stack.db.task.count({ where: { flowId, type: 'staffing_training' } })).toBe(0);

  // Named while scheduled, cancelled before the head approves: HR enrols by hand, told why.
  const started = await start('hrOfficer', body(two, second.id));
  expect(started.status).toBe(201);
  expect((await api().post(`/api/v1/training-sessions/${second.id}/cancel`).set(as('hrOfficer')).send({ reason: '讲师出差' })).status).toBe(200);
  expectProblem(await start('hrOfficer', body(await accountsOf(people.collectorB.id, 1), second.id)), 422, ['trainingSessionId']);
  const approval = await openTask(started.body.flowId, 'staffing_approval');
  expect((await decide(approval.id, 'collectionHead', 'approve')).status).toBe(200);
  const enrolment = await openTask(started.body.flowId, 'staffing_training');
  expect(enrolment.title).toContain(second.title);
  expect(enrolment.payload).toMatchObject({ sessionId: second.id, notJoined: 'the session is cancelled' });
  expect(await stack.db.sessionParticipant.count({ where: { sessionId: second.id, employeeId: people.collectorC.id } })).toBe(0);
});

test('the head refuses: nothing moves and the flow ends refused', async () => {
  const accountIds = await accountsOf(people.collectorA.id, 2);
  const res = await start('hrOfficer', { coveringId: people.collectorB.id, coveredId: people.collectorA.id, accountIds, startsAt: inSeconds(0), endsAt: inSeconds(3600), kind: 'deployment', reason: '支援' });
  const { adjustmentId, flowId } = res.body;
  const approval = await openTask(flowId, 'staffing_approval');
  expect((await decide(approval.id, 'collectionHead', 'reject', '人手不够')).status).toBe(200);
  expect(await result(adjustmentId)).toBe('refused');
  expect(await holders(accountIds)).toEqual([people.collectorA.id]);
  expect(await stack.db.auditEvent.count({ where: { flowId, action: 'accounts.moved' } })).toBe(0);
  expect((await api().get(`${V1}/${adjustmentId}`).set(as('hrOfficer'))).body).toMatchObject({ status: 'refused', endReason: '人手不够' });
  expect((await stack.db.flow.findUniqueOrThrow({ where: { id: flowId } })).status).toBe('rejected');
});

test('refused with the field at fault, nothing written: collectors, bad dates, unknown people, accounts not theirs, an overlap', async () => {
  const accountIds = await accountsOf(people.collectorA.id, 2);
  const body = { coveringId: people.collectorB.id, coveredId: people.collectorA.id, accountIds, startsAt: inSeconds(0), endsAt: inSeconds(3600), kind: 'deployment', reason: '支援' };
  // An open adjustment of these accounts, awaiting approval.
  const first = await start('hrOfficer', body);
  expect(first.status).toBe(201);
  const before = await rowsWritten();

  expectProblem(await start('collectorA', body), 403);
  expectProblem(await start('collectionHead', body), 403);
  expectProblem(await start('hrOfficer', { ...body, endsAt: inSeconds(-60), startsAt: inSeconds(0) }), 400, ['endsAt']);
  expectProblem(await start('hrOfficer', { ...body, kind: 'loan', reason: '' }), 400, ['kind', 'reason']);
  expectProblem(await start('hrOfficer', { ...body, coveringId: 'BT999' }), 422, ['coveringId']);
  expectProblem(await start('hrOfficer', { ...body, coveringId: people.collectorA.id }), 422, ['coveringId']);
  const notTheirs = await start('hrOfficer', { ...body, accountIds: [...accountIds, ...(await accountsOf(people.collectorB.id, 1))] });
  expectProblem(notTheirs, 422, ['accountIds']);
  expect(notTheirs.body.errors[0].reason).toMatch(/^not /);
  const overlap = await start('hrOfficer', { ...body, coveringId: people.collectorC.id });
  expectProblem(overlap, 422, ['accountIds']);
  expect(overlap.body.errors[0].reason).toMatch(/another open staffing adjustment/);
  expect(await rowsWritten()).toEqual(before);

  // Read by those it concerns: not by another collector, nor listed for them.
  expectProblem(await api().get(`${V1}/${first.body.adjustmentId}`).set(as('collectorC')), 403);
  expect((await api().get(V1).set(as('collectorC'))).body.items.map((a: { id: string }) => a.id)).not.toContain(first.body.adjustmentId);
  expect((await api().get(V1).set(as('collectorA'))).body.items.map((a: { id: string }) => a.id)).toContain(first.body.adjustmentId);
  expect((await api().get(`${V1}?status=awaiting_approval`).set(as('hrOfficer'))).body.total).toBe(1);
  expectProblem(await api().post(`${V1}/${first.body.adjustmentId}/end-early`).set(as('hrOfficer')).send({ reason: '还没批' }), 409);

  // Refused by the head, so the next test finds these accounts free.
  const approval = await openTask(first.body.flowId, 'staffing_approval');
  await decide(approval.id, 'collectionHead', 'reject', '不需要');
  expect(await result(first.body.adjustmentId)).toBe('refused');
});

test('an operator cancels an active cover in Temporal: it is recorded, and the accounts stay with the cover', async () => {
  const accountIds = await accountsOf(people.collectorA.id, 1);
  const { adjustmentId, flowId } = await approved({ coveringId: people.collectorC.id, coveredId: people.collectorA.id, accountIds, startsAt: inSeconds(0), endsAt: inSeconds(3600), kind: 'rotation', reason: '轮岗' });
  await stack.client.workflow.getHandle(flowId).cancel();
  await eventually(async () => ((await stack.db.staffingAdjustment.findUniqueOrThrow({ where: { id: adjustmentId } })).status === 'cancelled' ? true : undefined), 'the cover cancelled');
  expect((await stack.db.flow.findUniqueOrThrow({ where: { id: flowId } })).status).toBe('cancelled');
  expect(await holders(accountIds)).toEqual([people.collectorC.id]);
});

test('the owner leaves during the cover: the accounts stay with the cover and HR gets a task to reassign them', async () => {
  const accountIds = await accountsOf(people.collectorA.id, 2);
  const { adjustmentId, flowId } = await approved({ coveringId: people.collectorB.id, coveredId: people.collectorA.id, accountIds, startsAt: inSeconds(0), endsAt: inSeconds(3600), kind: 'deployment', reason: '支援' });
  await stack.db.employee.update({ where: { id: people.collectorA.id }, data: { status: 'left' } });
  const ended = await api().post(`${V1}/${adjustmentId}/end-early`).set(as('hrOfficer')).send({ reason: '结束支援' });
  expect(ended.body.status).toBe('left_with_cover');
  expect(await holders(accountIds)).toEqual([people.collectorB.id]);
  const reassignTask = await openTask(flowId, 'staffing_reassign');
  expect(reassignTask.assigneeId).toBe(people.hrOfficer.id);
  expect((await stack.db.flow.findUniqueOrThrow({ where: { id: flowId } })).status).toBe('running');
  // Its own form completes it: naming who keeps the accounts, an active employee, once.
  expectProblem(await decide(reassignTask.id, 'hrOfficer', 'done'), 403);
  expect((await api().get(`${V1}/${adjustmentId}`).set(as('hrOfficer'))).body).toMatchObject({ status: 'left_with_cover', mayReassign: true, mayChange: false });
  expect((await api().get(`${V1}/${adjustmentId}`).set(as('collectorB'))).body.mayReassign).toBe(false);
  const reassign = (who: Who, toId: string) => api().post(`${V1}/${adjustmentId}/reassign`).set(as(who)).send({ toId });
  expectProblem(await reassign('hrOfficer', people.collectorA.id), 422, ['toId']);
  expectProblem(await reassign('collectorB', people.collectorC.id), 403);
  expect(await holders(accountIds)).toEqual([people.collectorB.id]);
  const reassigned = await reassign('hrOfficer', people.collectorC.employeeNo);
  expect(reassigned.status).toBe(200);
  expect(reassigned.body).toMatchObject({ holderId: people.collectorC.id, moved: 2 });
  expect(await holders(accountIds)).toEqual([people.collectorC.id]);
  expect(await result(adjustmentId)).toBe('left_with_cover');
  expectProblem(await reassign('hrOfficer', people.collectorB.id), 409);
  expect((await stack.db.flow.findUniqueOrThrow({ where: { id: flowId } })).status).toBe('completed');
  // Covering for someone who has left, or by them, is refused.
  expectProblem(await start('hrOfficer', { coveringId: people.collectorA.id, coveredId: people.collectorC.id, startsAt: inSeconds(0), endsAt: inSeconds(3600), kind: 'deployment', reason: 'x' }), 422, ['coveringId']);
  expectProblem(await start('hrOfficer', { coveringId: people.collectorC.id, coveredId: people.collectorA.id, startsAt: inSeconds(0), endsAt: inSeconds(3600), kind: 'deployment', reason: 'x' }), 422, ['coveredId']);
});

test('STAFFING_SETTINGS overrides the defaults; one that is not a duration is refused', () => {
  expect(settingsFrom({ STAFFING_SETTINGS: JSON.stringify({ decideWithin: 'PT4H' }) }).flows.staffing).toEqual({ ...DEFAULT_STAFFING, decideWithin: 'PT4H' });
  expect(() => settingsFrom({ STAFFING_SETTINGS: JSON.stringify({ decideWithin: 'soon' }) })).toThrow(/STAFFING_SETTINGS/);
});
