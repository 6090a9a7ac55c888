/**
 * Team rebuilding (DOMAIN.md §7) with the real stack: once a collector's handover is signed off, the
 * head gets a team meeting and a one-to-one with each remaining colleague, chased like any task;
 * each talk is recorded once, by whoever holds its task; the flow ends when all are recorded.
 */
import { randomUUID } from 'node:crypto';
import { teamRebuildingFlowId } from '../domain/teamRebuilding';
import { eventually, people } from './support/fixtures';
import { acknowledge, checklistLines, completeAll, finishAfterChecklist, startHandover, verifyAll } from './support/handover';
import { apiTestStack, expectProblem, type Who } from './support/http';
import { FAST_SETTINGS } from './support/stack';

const { stack, as, api } = apiTestStack();

const talk = (resignationId: string, who: Who, body: object, key?: string) => {
  const req = api().post(`/api/v1/team-rebuildings/${resignationId}/talks`).set(as(who));
  return (key ? req.set('Idempotency-Key', key) : req).send(body);
};
/** A day in the company's calendar, `days` from today. */
const day = (days: number) => new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);

test('after collector A leaves, the head meets the team and each colleague; every talk recorded once, by whoever holds it', async () => {
  const { flowId, resignationId } = await startHandover(stack.flows);
  await acknowledge(stack.db, stack.flows, flowId);
  const lines = await checklistLines(stack.db, stack.flows, resignationId, (await stack.db.account.count({ where: { assigneeId: people.collectorA.id } })) + 6);
  const itemNos = lines.map((l) => l.itemNo);
  await completeAll(stack.flows, `${flowId}/checklist-1`, itemNos, people.collectorA.id);
  await verifyAll(stack.flows, `${flowId}/checklist-1`, itemNos, people.collectionHead.id);
  expect(await finishAfterChecklist(stack, flowId, resignationId, people.collectorB.id)).toBe('completed');

  // The head (collector A's manager) holds three talks: the team, then collectors B and C.
  const rebuildingFlow = teamRebuildingFlowId(resignationId);
  const tasks = await eventually(async () => {
    const open = await stack.db.task.findMany({ where: { flowId: rebuildingFlow, status: 'open' }, orderBy: { stepKey: 'asc' } });
    return open.length === 3 ? open : undefined;
  }, 'the three talks');
  expect(tasks.map((t) => [t.type, t.stepKey, t.assigneeId])).toEqual([
    ['team_one_to_one', `one-to-one/${people.collectorB.id}`, people.collectionHead.id],
    ['team_one_to_one', `one-to-one/${people.collectorC.id}`, people.collectionHead.id],
    ['team_meeting', 'team-meeting', people.collectionHead.id],
  ]);
  expect(tasks.every((t) => t.dueAt.getTime() > Date.now())).toBe(true);

  const asHead = await api().get(`/api/v1/team-rebuildings/${resignationId}`).set(as('collectionHead'));
  expect(asHead.status).toBe(200);
  expect(asHead.body).toMatchObject({ status: 'open', leaver: { name: people.collectorA.name }, head: { id: people.collectionHead.id }, talks: [] });
  expect(asHead.body.members.map((m: { name: string }) => m.name)).toEqual([people.collectorB.name, people.collectorC.name]);
  expect(asHead.body.mayRecord.sort()).toEqual(tasks.map((t) => t.stepKey).sort());
  expect((await api().get(`/api/v1/team-rebuildings/${resignationId}`).set(as('hrOfficer'))).body.mayRecord).toEqual([]);
  expectProblem(await api().get(`/api/v1/team-rebuildings/${resignationId}`).set(as('collectorB')), 403);

  // Refused, nothing written: a malformed form, a day still ahead, someone not in the team, people not holding the task.
  expectProblem(await talk(resignationId, 'collectionHead', { heldOn: '2026-13-01', notes: ' ' }), 400, ['heldOn', 'notes']);
  const ahead = await talk(resignationId, 'collectionHead', { heldOn: day(2), notes: '还没开' });
  expectProblem(ahead, 422);
  expect(ahead.body.detail).toMatch(/^heldOn/);
  expect((await talk(resignationId, 'collectionHead', { memberId: people.engineer.id, heldOn: day(0), notes: 'x' })).body.detail).toMatch(/^memberId: not a remaining member/);
  expectProblem(await talk(resignationId, 'collectorB', { heldOn: day(0), notes: 'x' }), 403);
  expectProblem(await talk(resignationId, 'hrOfficer', { heldOn: day(0), notes: 'x' }), 403);
  expect(await stack.db.teamTalk.count()).toBe(0);

  // The meeting: a retried request (same key) is the same record; the same talk again is refused.
  const meeting = await talk(resignationId, 'collectionHead', { heldOn: day(0), notes: '分配吴海燕的客户，讨论排班' }, 'meeting-1');
  expect(meeting.status).toBe(200);
  expect(meeting.body).toMatchObject({ step: 'team-meeting', remaining: 2 });
  expect((await talk(resignationId, 'collectionHead', { heldOn: day(0), notes: '分配吴海燕的客户，讨论排班' }, 'meeting-1')).body).toEqual(meeting.body);
  expectProblem(await talk(resignationId, 'collectionHead', { heldOn: day(0), notes: 'again' }), 409);

  // Both one-to-ones at once: each lands, and the last one ends the flow.
  const [b, c] = await Promise.all([
    talk(resignationId, 'collectionHead', { memberId: people.collectorB.id, heldOn: day(-1), notes: '接手 320 户，担心工作量' }),
    talk(resignationId, 'collectionHead', { memberId: people.collectorC.id, heldOn: day(0), notes: '愿意带新人' }),
  ]);
  expect([b.status, c.status]).toEqual([200, 200]);
  expect([b.body.remaining, c.body.remaining].sort()).toEqual([0, 1]);
  expect(await stack.client.workflow.getHandle(rebuildingFlow).result()).toBe('done');

  const done = (await api().get(`/api/v1/team-rebuildings/${resignationId}`).set(as('hrOfficer'))).body;
  expect(done.status).toBe('done');
  // The head recorded each as themselves: on nobody's behalf.
  expect(done.talks.map((t: { step: string; heldOn: string; recordedById: string; onBehalfOfId: string | null }) => [t.step, t.heldOn, t.recordedById, t.onBehalfOfId]).sort()).toEqual(
    [
      ['team-meeting', day(0), people.collectionHead.id, null],
      [`one-to-one/${people.collectorB.id}`, day(-1), people.collectionHead.id, null],
      [`one-to-one/${people.collectorC.id}`, day(0), people.collectionHead.id, null],
    ].sort(),
  );
  expect(await stack.db.task.count({ where: { flowId: rebuildingFlow, status: 'done' } })).toBe(3);
  const audit = (await stack.db.auditEvent.findMany({ where: { flowId: rebuildingFlow }, select: { action: true } })).map((e) => e.action);
  expect(audit.filter((a) => a.startsWith('team.')).sort()).toEqual(['team.meeting_held', 'team.one_to_one_held', 'team.one_to_one_held', 'team.rebuilding_done', 'team.rebuilding_opened']);

  // Listed for those who held its talks and for HR; not for a colleague.
  const listed = (who: Who) => api().get('/api/v1/team-rebuildings').set(as(who));
  expect((await listed('collectionHead')).body.items.map((r: { resignationId: string }) => r.resignationId)).toEqual([resignationId]);
  expect((await listed('hrOfficer')).body.total).toBe(1);
  expect((await listed('collectorB')).body.total).toBe(0);
});

test('an operator cancels a rebuilding in Temporal: its record and its open talks close', async () => {
  const resignationId = randomUUID();
  const flowId = teamRebuildingFlowId(resignationId);
  const handle = await stack.client.workflow.start('teamRebuilding', { workflowId: flowId, taskQueue: stack.taskQueue, args: [{ resignationId, leaverId: people.serviceRep.id, settings: FAST_SETTINGS }] });
  await eventually(async () => ((await stack.db.task.count({ where: { flowId, status: 'open' } })) > 0 ? true : undefined), 'the talks opened');
  await handle.cancel();
  await eventually(async () => ((await stack.db.teamRebuilding.findUnique({ where: { resignationId } }))?.status === 'cancelled' ? true : undefined), 'the rebuilding cancelled');
  expect(await stack.db.task.count({ where: { flowId, status: 'open' } })).toBe(0);
  expect((await stack.db.flow.findUniqueOrThrow({ where: { id: flowId } })).status).toBe('cancelled');
});
