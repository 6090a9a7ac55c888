/**
 * Career plans (职业规划, DOMAIN.md §8) over HTTP with the real stack: kept by the employee with
 * their manager, revised over the revision one saw (two writers at once: one wins, the other is
 * told), every revision kept; on the review date the manager's yearly-talk task opens, and the
 * review records the plan as it left it, the next review a year on, and tells the employee.
 */
import { monthsAfter } from '../domain/careerPlan';
import { eventually, people } from './support/fixtures';
import { apiTestStack, expectProblem, type Who } from './support/http';
import { FAST_SETTINGS } from './support/stack';

const { stack, as, api } = apiTestStack();

const plan = (revision: number, extra: object = {}) => ({
  revision,
  goals: '两年内成为催收组长 Lead a collection team within two years',
  targetRole: '催收组长 Team lead',
  wantedSkills: [
    { key: 'negotiation', name: '谈判沟通 Negotiation' },
    { key: 'leadership', name: '团队管理 Leadership' },
  ],
  trainingWanted: '主管培训班 The supervisors’ course',
  ...extra,
});
const put = (who: Who, whose: string, body: object) => api().put(`/api/v1/career-plans/${whose}`).set(as(who)).send(body);
const reviewTask = (employeeId: string) =>
  eventually(async () => (await stack.db.task.findFirst({ where: { type: 'career_plan_review', status: 'open', payload: { path: ['employeeId'], equals: employeeId } } })) ?? undefined, 'the review task');

test('kept by the employee and their manager: a retried write lands once, a stale one is refused, every revision stays', async () => {
  const a = people.collectorA.id;
  const first = await put('collectorA', 'me', plan(0));
  expect(first.status).toBe(200);
  expect(first.body.revision).toBe(1);
  // A year from now by default.
  expect(Math.abs(Date.parse(first.body.nextReviewAt) - monthsAfter(Date.now(), 12))).toBeLessThan(120_000);
  // The same plan sent again over the same revision (a retry) is the same change.
  expect((await put('collectorA', 'me', plan(0))).body).toEqual(first.body);
  expect(await stack.db.careerPlanRevision.count({ where: { employeeId: a } })).toBe(1);

  // Their manager revises it; the employee's edit over the old revision is refused, not merged.
  const managers = await put('collectionHead', a, plan(1, { goals: '先做好资深催收员 First a senior collector' }));
  expect(managers.status).toBe(200);
  expect(managers.body.revision).toBe(2);
  const stale = await put('collectorA', 'me', plan(1, { goals: '我的新目标 My new goal' }));
  expectProblem(stale, 409);
  expect(stale.body.detail).toMatch(/revision 2 now/);

  // Two writers over the same revision at once: exactly one lands.
  const [x, y] = await Promise.all([put('collectorA', 'me', plan(2, { goals: '甲 A' })), put('hrOfficer', a, plan(2, { goals: '乙 B' }))]);
  expect([x.status, y.status].sort()).toEqual([200, 409]);
  const winner = x.status === 200 ? '甲 A' : '乙 B';
  const shown = (await api().get('/api/v1/career-plans/me').set(as('collectorA'))).body;
  expect(shown).toMatchObject({ revision: 3, goals: winner, employee: { name: people.collectorA.name }, mayReview: false });
  const history = (await api().get(`/api/v1/career-plans/${a}/history`).set(as('collectionHead'))).body;
  expect(history.revisions.map((r: { revision: number; actorId: string }) => [r.revision, r.actorId])).toEqual([
    [1, a],
    [2, people.collectionHead.id],
    [3, x.status === 200 ? a : people.hrOfficer.id],
  ]);
  expect(history.revisions[1].content.goals).toBe('先做好资深催收员 First a senior collector');
  expect(await stack.db.auditEvent.count({ where: { flowId: `career-plan:${a}`, action: 'career_plan.revised' } })).toBe(3);

  // Others neither read nor write it; bad input is refused by field.
  expectProblem(await api().get(`/api/v1/career-plans/${a}`).set(as('collectorB')), 403);
  expectProblem(await put('serviceHead', a, plan(3)), 403);
  expectProblem(await put('collectorA', 'me', plan(3, { wantedSkills: [{ key: 'law', name: '法律' }, { key: 'law', name: 'Law' }] })), 400, ['wantedSkills.1.key']);
  expectProblem(await put('collectorA', 'me', plan(3, { wantedSkills: [{ key: 'Law Basics', name: '法律' }] })), 400, ['wantedSkills.0.key']);
  expectProblem(await put('collectorA', 'me', plan(3, { nextReviewAt: '2020-01-01T09:00:00+08:00' })), 422, ['nextReviewAt']);
  expectProblem(await put('collectorA', 'me', plan(-1)), 400, ['revision']);
  expectProblem(await api().get('/api/v1/career-plans/nobody-here').set(as('hrOfficer')), 404);

  // The manager's list holds their reports' plans; a collector's holds only their own.
  const listed = (await api().get('/api/v1/career-plans').set(as('collectionHead'))).body.items.map((p: { employeeId: string }) => p.employeeId);
  expect(listed).toContain(a);
  const own = (await api().get('/api/v1/career-plans').set(as('collectorB'))).body.items;
  expect(own.every((p: { employeeId: string }) => p.employeeId === people.collectorB.id)).toBe(true);
}, 120_000);

test('on the review date the manager holds the yearly talk: recorded with the plan it left, the next review a year on, the employee told', async () => {
  const c = people.collectorC.id;
  const soon = new Date(Date.now() + 3_000).toISOString();
  expect((await put('collectorC', 'me', plan(0, { nextReviewAt: soon }))).status).toBe(200);
  const task = await reviewTask(c);
  expect(task).toMatchObject({ assigneeId: people.collectionHead.id, flowId: `career-plan:${c}` });
  expect(task.title).toContain(people.collectorC.name);
  expect(task.actions).toEqual(['transfer', 'cc']);
  expect((await api().get(`/api/v1/career-plans/${c}`).set(as('collectionHead'))).body.mayReview).toBe(true);

  // The employee does not review their own plan, nor does anyone not holding the task.
  expectProblem(await api().post('/api/v1/career-plans/me/review').set(as('collectorC')).send({ comment: '我很好 All good' }), 403);
  expectProblem(await api().post(`/api/v1/career-plans/${c}/review`).set(as('collectionHead')).send({ comment: '' }), 400, ['comment']);

  const reviewed = await api()
    .post(`/api/v1/career-plans/${c}/review`)
    .set(as('collectionHead'))
    .set('Idempotency-Key', 'talk-1')
    .send({ comment: '沟通顺利，增加法规学习 Good talk; add regulations', plan: plan(0, { revision: undefined, wantedSkills: [{ key: 'regulations', name: '法规 Regulations' }] }) });
  expect(reviewed.status).toBe(200);
  expect(reviewed.body).toMatchObject({ reviewNo: 1, revision: 2, next: [] });
  expect(Math.abs(Date.parse(reviewed.body.nextReviewAt) - monthsAfter(Date.now(), 12))).toBeLessThan(120_000);
  // A retried review is answered, not recorded twice; a second talk this year is not expected.
  const retried = await api().post(`/api/v1/career-plans/${c}/review`).set(as('collectionHead')).set('Idempotency-Key', 'talk-1').send({ comment: '沟通顺利，增加法规学习 Good talk; add regulations' });
  expect(retried.body).toEqual(reviewed.body);
  expectProblem(await api().post(`/api/v1/career-plans/${c}/review`).set(as('collectionHead')).send({ comment: '再谈一次 Again' }), 409);

  const stored = await stack.db.careerPlan.findUniqueOrThrow({ where: { employeeId: c } });
  expect(stored).toMatchObject({ revision: 2, skillKeys: ['regulations'], lastReviewedAt: expect.any(Date) });
  expect(stored.nextReviewAt.toISOString()).toBe(reviewed.body.nextReviewAt);
  expect(await stack.db.careerPlanReview.findMany({ where: { employeeId: c } })).toEqual([expect.objectContaining({ reviewNo: 1, reviewerId: people.collectionHead.id, revision: 2 })]);
  expect((await stack.db.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe('done');
  const told = await stack.db.notification.findMany({ where: { recipientId: c, template: 'career_plan_reviewed' } });
  expect(told).toHaveLength(1);
  expect(told[0]!.params).toMatchObject({ reviewerName: people.collectionHead.name, nextReviewAt: reviewed.body.nextReviewAt });

  // The plan goes on: revisions over the one the review left.
  const next = await put('collectorC', 'me', plan(2, { goals: '新的一年 A new year' }));
  expect(next.status).toBe(200);
  expect(next.body).toEqual({ revision: 3, nextReviewAt: reviewed.body.nextReviewAt });
}, 120_000);

test('a plan whose history has grown long goes on in a new run when its review falls due, from the revision on record', async () => {
  const b = people.collectorB.id;
  const settings = { ...FAST_SETTINGS, careerPlans: { reviewEveryMonths: 12, historyLimit: 1 } };
  const soon = new Date(Date.now() + 3_000).toISOString();
  await stack.flows.reviseCareerPlan({ employeeId: b, settings }, { ...plan(0, { nextReviewAt: soon }), actorId: b }, 'first');
  const handle = stack.client.workflow.getHandle(`career-plan:${b}`);
  const firstRun = (await handle.describe()).runId;
  expect((await put('collectorB', 'me', plan(1))).body.revision).toBe(2);

  // Due: the run continues as a new one, which asks for the review.
  const task = await reviewTask(b);
  const described = await handle.describe();
  expect(described.runId).not.toBe(firstRun);
  expect(described.status.name).toBe('RUNNING');
  expectProblem(await put('collectorB', 'me', plan(1)), 409);
  const reviewed = await api().post(`/api/v1/career-plans/${b}/review`).set(as('collectionHead')).send({ comment: '按计划推进 On track' });
  expect(reviewed.body).toMatchObject({ reviewNo: 1, revision: 2 });
  expect((await stack.db.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe('done');
  expect((await put('collectorB', 'me', plan(2))).body.revision).toBe(3);
  expect(await stack.db.careerPlanRevision.count({ where: { employeeId: b } })).toBe(3);
}, 120_000);
