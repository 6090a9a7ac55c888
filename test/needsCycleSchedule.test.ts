/**
 * The yearly training-needs cycle on a Temporal Schedule (DOMAIN.md §1, §8): HR sets it once, each
 * time of its Schedule starts a cycle of the department's active people, one at a time; paused,
 * changed, run now and removed through the API. Over HTTP with the real stack; the Schedule fires
 * on the dev server every 2 s, so the test awaits each firing rather than a clock.
 */
import { eventually, people } from './support/fixtures';
import { apiTestStack, expectProblem } from './support/http';
import { needsScheduleId } from '../workflows/scheduledNeedsCycle';

const { stack, as, api } = apiTestStack();

const COMPETENCIES = [
  { key: 'negotiation', name: '催收谈判 Negotiation', requiredLevel: 4 },
  { key: 'billing', name: '账单核对 Billing', requiredLevel: 3 },
];
const cyclesOf = (scheduleId: string) => stack.db.needsCycle.findMany({ where: { scheduleId }, orderBy: { createdAt: 'asc' } });
const describe_ = (scheduleId: string) => stack.client.schedule.getHandle(needsScheduleId(scheduleId)).describe();

test('each time of its Schedule starts a cycle of the department as it is then; one at a time; paused, changed, run now, removed', async () => {
  const created = await api()
    .post('/api/v1/needs-cycle-schedules')
    .set(as('hrOfficer'))
    .send({ name: '年度培训需求 Yearly training needs', departmentId: 'dept-collection', competencies: COMPETENCIES, surveyWithin: 'PT1H', schedule: { every: 'PT2S' } });
  expect(created.status).toBe(201);
  const scheduleId = created.body.id as string;
  expect(created.body).toMatchObject({ status: 'active', hrId: people.hrOfficer.id, cycles: [] });

  // The first time starts a cycle of the department's people; its head confirms instead.
  const first = await eventually(async () => (await cyclesOf(scheduleId))[0], 'the first cycle', 60_000);
  expect([...first.participantIds].sort()).toEqual([people.collectorA.id, people.collectorB.id, people.collectorC.id].sort());
  expect(first).toMatchObject({ departmentId: 'dept-collection', headId: people.collectionHead.id, hrId: people.hrOfficer.id, competencies: COMPETENCIES, status: 'survey' });
  expect(first.name).toBe(`年度培训需求 Yearly training needs ${new Date().getUTCFullYear()}`);
  await eventually(async () => ((await stack.db.task.count({ where: { flowId: first.flowId, type: 'needs_survey', status: 'open' } })) === 3 || undefined), 'the surveys asked');

  // While it is going, the next times are skipped, and a run now is refused.
  await eventually(async () => ((await describe_(scheduleId)).info.numActionsSkippedOverlap > 0 || undefined), 'a time skipped', 60_000);
  expect(await cyclesOf(scheduleId)).toHaveLength(1);
  expectProblem(await api().post(`/api/v1/needs-cycle-schedules/${scheduleId}/run-now`).set(as('hrOfficer')), 409);

  // Paused and changed: the next cycle asks what it says then.
  expect((await api().post(`/api/v1/needs-cycle-schedules/${scheduleId}/pause`).set(as('hrOfficer'))).body.status).toBe('paused');
  expect((await describe_(scheduleId)).state.paused).toBe(true);
  const changed = [...COMPETENCIES, { key: 'complaints', name: '投诉处理 Complaints', requiredLevel: 3 }];
  const patched = await api().patch(`/api/v1/needs-cycle-schedules/${scheduleId}`).set(as('hrOfficer')).send({ competencies: changed, schedule: { cron: '0 9 15 1 *' } });
  expect(patched.status).toBe(200);
  expect((await describe_(scheduleId)).spec.calendars).toHaveLength(1);

  // HR cancels the first cycle; its schedule's run ends with it, and a run now starts the next.
  expect((await api().post(`/api/v1/needs-cycles/${first.id}/cancel`).set(as('hrOfficer')).send({ reason: 'started by mistake' })).status).toBe(200);
  await eventually(async () => ((await describe_(scheduleId)).info.runningActions.length === 0 || undefined), 'the run ended with its cycle');
  expect((await api().post(`/api/v1/needs-cycle-schedules/${scheduleId}/run-now`).set(as('hrOfficer'))).status).toBe(202);
  const second = await eventually(async () => (await cyclesOf(scheduleId))[1], 'the second cycle', 60_000);
  expect(second.competencies).toEqual(changed);
  const view = (await api().get(`/api/v1/needs-cycle-schedules/${scheduleId}`).set(as('hrDirector'))).body;
  expect(view.cycles.map((c: { id: string }) => c.id)).toEqual([second.id, first.id]);
  expect(view.cycles[1].status).toBe('cancelled');

  // Removed: the Schedule is gone, the cycles stay.
  expect((await api().delete(`/api/v1/needs-cycle-schedules/${scheduleId}`).set(as('hrOfficer'))).status).toBe(204);
  await expect(describe_(scheduleId)).rejects.toThrow();
  expectProblem(await api().get(`/api/v1/needs-cycle-schedules/${scheduleId}`).set(as('hrOfficer')), 404);
  expect(await cyclesOf(scheduleId)).toHaveLength(2);
}, 300_000);

test('refused clearly: an unknown department, a schedule that is neither or both, and anyone but HR', async () => {
  const body = { name: 'Yearly', departmentId: 'dept-collection', competencies: COMPETENCIES, schedule: { cron: '0 9 15 1 *' } };
  expectProblem(await api().post('/api/v1/needs-cycle-schedules').set(as('hrOfficer')).send({ ...body, departmentId: 'dept-nowhere' }), 422, ['departmentId']);
  expectProblem(await api().post('/api/v1/needs-cycle-schedules').set(as('hrOfficer')).send({ ...body, schedule: { every: 'P1D', cron: '0 9 15 1 *' } }), 400, ['schedule.every']);
  expectProblem(await api().post('/api/v1/needs-cycle-schedules').set(as('hrOfficer')).send({ ...body, schedule: { every: 'P1Y' } }), 400, ['schedule.every']);
  expectProblem(await api().post('/api/v1/needs-cycle-schedules').set(as('collectionHead')).send(body), 403);
  expectProblem(await api().get('/api/v1/needs-cycle-schedules').set(as('collectorA')), 403);
  expect(await stack.db.needsCycleSchedule.count({ where: { name: 'Yearly' } })).toBe(0);
});
