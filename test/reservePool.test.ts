/**
 * The reserve pool (DOMAIN.md §7) over HTTP with the real stack: managers nominate their own people,
 * HR assesses; the pool ranks ready-now first and alarms HR whenever it falls below its minimum; the
 * quarterly Schedule asks every pool for its review; a handover's successor choice shows the pool
 * first, choosing someone else needs a reason, and a candidate named successor leaves the pool.
 */
import { reservePoolFlowId } from '../domain/reservePool';
import { eventually, people } from './support/fixtures';
import { acknowledge } from './support/handover';
import { apiTestStack, expectProblem, type Who } from './support/http';

const { stack, as, api } = apiTestStack();

const nominate = (who: Who, employeeId: string, readiness = 'ready_now') =>
  api().post('/api/v1/reserve-pools/collector/candidates').set(as(who)).send({ employeeId, readiness, reason: '业绩稳定，能带新人' });
const pool = async () => (await api().get('/api/v1/reserve-pools/collector').set(as('hrOfficer'))).body;
const alarms = () => stack.db.notification.count({ where: { template: 'reserve_pool_short', flowId: reservePoolFlowId('collector') } });
/** A day in the company's calendar, `days` from today. */
const day = (days: number) => new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);

test('managers nominate their own people, HR assesses; ready-now and the higher score rank first; HR hears when the pool is short', async () => {
  // Collectors never see a pool; a manager nominates only their own people; nothing is written when refused.
  expectProblem(await api().get('/api/v1/reserve-pools').set(as('collectorB')), 403);
  expectProblem(await nominate('collectorB', people.collectorC.id), 403);
  expectProblem(await nominate('collectionHead', people.engineer.id), 403);
  expectProblem(await nominate('collectionHead', 'nobody'), 422, ['employeeId']);
  expectProblem(await api().post('/api/v1/reserve-pools/collector/candidates').set(as('collectionHead')).send({ employeeId: people.collectorB.id, readiness: 'soon', reason: ' ' }), 400, ['readiness', 'reason']);
  expectProblem(await api().post('/api/v1/reserve-pools/janitor/candidates').set(as('hrOfficer')).send({}), 400, ['params.position']);
  expect(await stack.db.reserveCandidate.count()).toBe(0);

  // One candidate is below the minimum of two: every HR officer hears of it, once.
  const first = await nominate('collectionHead', people.collectorB.id);
  expect([first.status, first.body.detail]).toEqual([201, undefined]);
  expect(first.body).toEqual({ held: 1, short: true });
  const hr = await stack.db.employee.count({ where: { status: 'active', roles: { has: 'hr' } } });
  expect(await alarms()).toBe(hr);
  expectProblem(await nominate('hrOfficer', people.collectorB.id), 409);

  // Two people nominating the same colleague at once: one nomination.
  const both = await Promise.all([nominate('collectionHead', people.collectorC.id, 'ready_later'), nominate('hrOfficer', people.collectorC.id, 'ready_later')]);
  expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
  expect(await stack.db.reserveCandidate.count({ where: { employeeId: people.collectorC.id } })).toBe(1);
  expect(await alarms()).toBe(hr);
  expect((await pool()).short).toBe(false);

  // HR's panel rating makes C ready now with the higher score: C ranks first.
  expectProblem(await api().post(`/api/v1/reserve-pools/collector/candidates/${people.collectorC.id}/assessment`).set(as('collectionHead')).send({ panelRating: 5, readiness: 'ready_now' }), 403);
  expectProblem(await api().post(`/api/v1/reserve-pools/collector/candidates/${people.engineer.id}/assessment`).set(as('hrOfficer')).send({ panelRating: 5, readiness: 'ready_now' }), 404);
  const assessed = await api().post(`/api/v1/reserve-pools/collector/candidates/${people.collectorC.id}/assessment`).set(as('hrOfficer')).send({ panelRating: 5, readiness: 'ready_now', comment: '模拟谈判优秀' });
  expect(assessed.status).toBe(200);
  const ranked = await pool();
  expect(ranked.candidates.map((c: { employee: { id: string }; rank: number; score: number | null; readiness: string }) => [c.employee.id, c.rank, c.readiness, c.score])).toEqual([
    [people.collectorC.id, 1, 'ready_now', 100],
    [people.collectorB.id, 2, 'ready_now', null],
  ]);
  expect(ranked.candidates[1].nominatedBy).toEqual({ id: people.collectionHead.id, name: people.collectionHead.name });

  const list = (await api().get('/api/v1/reserve-pools').set(as('collectionHead'))).body.items;
  expect(list.find((p: { position: string }) => p.position === 'collector')).toMatchObject({ minimum: 2, held: 2, needed: 0, readyNow: 2, short: false });
  const audit = (await stack.db.auditEvent.findMany({ where: { flowId: reservePoolFlowId('collector') }, orderBy: { id: 'asc' }, select: { action: true } })).map((e) => e.action);
  expect(audit).toEqual(['reserve_pool.nominated', 'reserve_pool.short', 'reserve_pool.nominated', 'reserve_pool.filled', 'reserve_pool.assessed']);
});

test('each quarter the Schedule asks every pool for its review; HR keeps or withdraws every candidate', async () => {
  expectProblem(await api().post('/api/v1/reserve-pools/review-schedule/run-now').set(as('hrOfficer')), 404);
  expectProblem(await api().put('/api/v1/reserve-pools/review-schedule').set(as('hrOfficer')).send({ schedule: { cron: '0 9 32 * *' } }), 400, ['schedule.cron']);
  expectProblem(await api().put('/api/v1/reserve-pools/review-schedule').set(as('collectionHead')).send({ schedule: { cron: '0 9 1 1,4,7,10 *' } }), 403);
  const months = async () => JSON.stringify((await stack.client.schedule.getHandle('reserve-pool-review').describe()).spec.calendars?.map((c) => c.month));
  const set = await api().put('/api/v1/reserve-pools/review-schedule').set(as('hrOfficer')).send({ schedule: { cron: '0 9 1 1,4,7,10 *' } });
  expect(set.status).toBe(200);
  expect(await months()).not.toContain('"step":3');
  // Set again: the same Schedule follows the new rhythm.
  expect((await api().put('/api/v1/reserve-pools/review-schedule').set(as('hrOfficer')).send({ schedule: { cron: '0 9 1 */3 *' } })).status).toBe(200);
  expect(await months()).toContain('"step":3');

  expectProblem(await api().post('/api/v1/reserve-pools/collector/reviews').set(as('hrOfficer')).send({ verdicts: [] }), 409);
  expect((await api().post('/api/v1/reserve-pools/review-schedule/run-now').set(as('hrOfficer'))).status).toBe(202);
  const task = await eventually(
    async () => (await stack.db.task.findFirst({ where: { flowId: reservePoolFlowId('collector'), type: 'reserve_pool_review', status: 'open' } })) ?? undefined,
    'the review task',
  );
  expect(task.assigneeId).toBe(people.hrOfficer.id);
  // Every key position's pool was asked.
  await eventually(async () => ((await stack.db.task.count({ where: { type: 'reserve_pool_review', status: 'open' } })) === 3 ? true : undefined), 'three review tasks');
  expect((await pool()).reviewTask).toMatchObject({ taskId: task.id, assigneeId: people.hrOfficer.id });

  const review = (who: Who, body: object) => api().post('/api/v1/reserve-pools/collector/reviews').set(as(who)).send(body);
  expectProblem(await review('hrAssistant', { verdicts: [{ employeeId: people.collectorC.id, readiness: 'ready_now' }, { employeeId: people.collectorB.id, withdraw: true }] }), 403);
  const partial = await review('hrOfficer', { verdicts: [{ employeeId: people.collectorC.id, readiness: 'ready_now' }] });
  expectProblem(partial, 422);
  expect(partial.body.detail).toContain(people.collectorB.id);
  expectProblem(await review('hrOfficer', { verdicts: [{ employeeId: people.collectorC.id, readiness: 'ready_now', withdraw: true }] }), 400, ['verdicts']);

  const before = await alarms();
  const done = await review('hrOfficer', { verdicts: [{ employeeId: people.collectorC.id, readiness: 'ready_now' }, { employeeId: people.collectorB.id, withdraw: true }], comment: '郑磊本季度转岗意向' });
  expect(done.status).toBe(200);
  expect(done.body).toMatchObject({ held: 1, short: true, reviewNo: 1 });
  expect((await pool()).needed).toBe(1);
  expect((await stack.db.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe('done');
  expect((await stack.db.reserveCandidate.findFirstOrThrow({ where: { employeeId: people.collectorB.id } })).status).toBe('withdrawn');
  expect(await alarms()).toBeGreaterThan(before);
  expect((await pool()).lastReviewedAt).not.toBeNull();
});

test('a handover shows the pool first; someone else needs a reason; a candidate named successor leaves the pool', async () => {
  const rep = await nominate('hrOfficer', people.serviceRep.id);
  expect([rep.status, rep.body.detail]).toEqual([201, undefined]);
  const resign = (who: Who, body: object) =>
    api().post('/api/v1/resignations').set(as(who)).send({ resignationDate: day(0), lastWorkingDay: day(14), reason: '个人原因', ...body });

  const started = await resign('hrOfficer', { employeeId: people.collectorA.id });
  expect(started.status).toBe(202);
  const { resignationId, flowId } = started.body;
  await acknowledge(stack.db, stack.flows, flowId);

  const candidates = await api().get(`/api/v1/resignations/${resignationId}/successor-candidates`).set(as('hrOfficer'));
  expect(candidates.status).toBe(200);
  expect(candidates.body.position).toBe('collector');
  expect(candidates.body.fromPool.map((c: { id: string; rank: number }) => [c.id, c.rank])).toEqual([
    [people.collectorC.id, 1],
    [people.serviceRep.id, 2],
  ]);
  expect(candidates.body.others.map((o: { id: string }) => o.id)).toEqual([people.collectionHead.id, people.collectorB.id]);
  expectProblem(await api().get(`/api/v1/resignations/${resignationId}/successor-candidates`).set(as('collectorB')), 403);

  // Someone outside the pool: refused without a reason, nothing changed; accepted with one, and the record says why.
  const outside = await api().post(`/api/v1/resignations/${resignationId}/assignment`).set(as('hrOfficer')).send({ successorId: people.collectorB.id, supervisorId: people.collectionHead.id });
  expectProblem(outside, 422, ['successorReason']);
  expect(outside.body.errors[0].reason).toContain(people.collectorC.name);
  expect((await stack.db.resignation.findUniqueOrThrow({ where: { id: resignationId } })).successorId).toBeNull();
  const why = '郑磊负责同一楼盘，客户熟悉';
  const assigned = await api().post(`/api/v1/resignations/${resignationId}/assignment`).set(as('hrOfficer')).send({ successorId: people.collectorB.id, supervisorId: people.collectionHead.id, successorReason: why });
  expect(assigned.status).toBe(200);
  const phase = await eventually(async () => (await stack.db.auditEvent.findFirst({ where: { flowId, action: 'handover.phase', payload: { path: ['phase'], equals: 'handover' } } })) ?? undefined, 'the handover phase');
  expect(phase.payload).toMatchObject({ successorId: people.collectorB.id, successorReason: why });
  expect((await pool()).held).toBe(2);

  // A pool candidate named at the start: no reason needed, and they leave the pool for the post.
  const fromPool = await resign('hrOfficer', { employeeId: people.engineer.id, successorId: people.serviceRep.id, supervisorId: people.engineeringHead.id });
  expect(fromPool.status).toBe(202);
  expect((await stack.db.reserveCandidate.findFirstOrThrow({ where: { employeeId: people.serviceRep.id } })).status).toBe('placed');
  const after = await pool();
  expect(after.candidates.map((c: { employee: { id: string } }) => c.employee.id)).toEqual([people.collectorC.id]);
});
