/**
 * Promotion (晋升通道, DOMAIN.md §8) over HTTP with the real stack: HR posts a vacancy, employees
 * apply while its window is open, each panelist scores every applicant, HR decides from the
 * ranking, the panel countersigns (a rejection sends it back), and every applicant hears their
 * result with its reason and their own score, and nobody else's.
 */
import { eventually, people } from './support/fixtures';
import { apiTestStack, expectProblem, type Who } from './support/http';

const { stack, as, api } = apiTestStack();

const criteria = [
  { key: 'performance', name: '回款业绩 Collection results', weight: 50 },
  { key: 'knowledge', name: '跟踪考核 Follow-up scores', weight: 30 },
  { key: 'leadership', name: '带队能力 Leadership', weight: 20 },
];
const PANEL: Who[] = ['collectionHead', 'serviceHead'];
const vacancy = (title: string, windowMs: number) => ({
  title,
  departmentId: 'dept-collection',
  description: '带领催收小组 Lead a collection team',
  criteria,
  panelIds: PANEL.map((w) => people[w].id),
  applyUntil: new Date(Date.now() + windowMs).toISOString(),
});
const open = (body: object, key?: string, who: Who = 'hrOfficer') => {
  const req = api().post('/api/v1/vacancies').set(as(who));
  return (key ? req.set('Idempotency-Key', key) : req).send(body);
};
const post = (vacancyId: string, path: string, who: Who, body: object = {}) => api().post(`/api/v1/vacancies/${vacancyId}/${path}`).set(as(who)).send(body);
const read = (vacancyId: string, who: Who) => api().get(`/api/v1/vacancies/${vacancyId}`).set(as(who));
const openTask = (flowId: string, type: string, assigneeId: string) =>
  eventually(async () => (await stack.db.task.findFirst({ where: { flowId, type, assigneeId, status: 'open' } })) ?? undefined, `${type} for ${assigneeId}`, 30_000);
const form = (a: [number, number, number], b: [number, number, number]) => ({
  evaluations: [
    { applicantId: people.collectorA.id, scores: { performance: a[0], knowledge: a[1], leadership: a[2] }, comment: '稳定 steady' },
    { applicantId: people.collectorB.id, scores: { performance: b[0], knowledge: b[1], leadership: b[2] } },
  ],
});

test('applied, scored, decided, sent back by a panelist, decided again: each applicant told their result, reason and own score', async () => {
  const body = vacancy('催收组长 Collection team lead', 6000);
  const first = await open(body, 'vac-1');
  expect(first.status).toBe(202);
  const { vacancyId, flowId } = first.body as { vacancyId: string; flowId: string };
  expect(flowId).toBe(`promotion:${vacancyId}`);
  const again = await open(body, 'vac-1');
  expect(again.body).toEqual(first.body);
  expect(await stack.db.vacancy.count({ where: { id: vacancyId } })).toBe(1);

  // Published to everyone while open: its criteria, not who applied.
  const asEngineer = (await read(vacancyId, 'engineer')).body;
  expect(asEngineer).toMatchObject({ status: 'open', criteria, mayApply: true, mine: null });
  expect(asEngineer.applications).toBeUndefined();
  expect((await api().get('/api/v1/vacancies').set(as('engineer'))).body.items.map((v: { id: string }) => v.id)).toContain(vacancyId);

  // Internal applications: once each, never by a panelist; two identical ones at once write one row.
  expect((await post(vacancyId, 'applications', 'collectorA', { statement: '三年催收经验 Three years collecting' })).status).toBe(200);
  expectProblem(await post(vacancyId, 'applications', 'collectorA', { statement: 'again' }), 409);
  expectProblem(await post(vacancyId, 'applications', 'collectionHead', { statement: 'me too' }), 403);
  expectProblem(await post(vacancyId, 'applications', 'collectorB', { statement: '' }), 400, ['statement']);
  const race = await Promise.all([0, 1].map(() => post(vacancyId, 'applications', 'collectorB', { statement: '带过新人 I mentored new hires' })));
  expect(race.map((r) => r.status).sort()).toEqual([200, 409]);
  expect(await stack.db.vacancyApplication.count({ where: { vacancyId, applicantId: people.collectorB.id } })).toBe(1);
  // A third applies and withdraws before the panel starts: they are not scored and hear no result.
  expect((await post(vacancyId, 'applications', 'collectorC', { statement: 'Keen to lead' })).status).toBe(200);
  expect((await post(vacancyId, 'applications/withdraw', 'collectorC', { reason: 'not this year' })).status).toBe(200);
  expect((await read(vacancyId, 'collectorC')).body.mine).toMatchObject({ status: 'withdrawn' });

  // The window closes: each panelist is asked to score; a late application is refused.
  const [headTask, serviceTask] = await Promise.all(PANEL.map((w) => openTask(flowId, 'promotion_evaluation', people[w].id)));
  expect(headTask!.actions).toEqual([]);
  expectProblem(await post(vacancyId, 'applications', 'serviceRep', { statement: 'late' }), 409);
  expect((await stack.db.vacancy.findUniqueOrThrow({ where: { id: vacancyId } })).status).toBe('evaluating');
  const evidence = await stack.db.vacancyApplication.findUniqueOrThrow({ where: { vacancyId_applicantId: { vacancyId, applicantId: people.collectorA.id } } });
  expect(evidence.evidence).toMatchObject({ knowledgeScores: expect.any(Array), behaviourRatings: expect.any(Array) });

  // A form must score every applicant on every criterion; only the panel scores.
  expectProblem(await post(vacancyId, 'evaluations', 'collectionHead', { evaluations: [form([5, 4, 4], [3, 3, 3]).evaluations[0]] }), 422);
  expectProblem(await post(vacancyId, 'evaluations', 'collectionHead', form([5, 4, 6], [3, 3, 3])), 400, ['evaluations.0.scores.leadership']);
  expectProblem(await post(vacancyId, 'evaluations', 'hrOfficer', form([5, 4, 4], [3, 3, 3])), 403);
  expect((await post(vacancyId, 'evaluations', 'collectionHead', form([5, 4, 4], [3, 3, 3]))).status).toBe(200);
  expectProblem(await post(vacancyId, 'evaluations', 'collectionHead', form([1, 1, 1], [1, 1, 1])), 409);
  const scored = await post(vacancyId, 'evaluations', 'serviceHead', form([4, 4, 4], [4, 3, 3]));
  expect(scored.status).toBe(200);
  // The last form ranks them and opens HR's decision: A 4.25 (4.5, 4, 4), B 3.25 (3.5, 3, 3).
  expect(scored.body.next).toEqual([expect.objectContaining({ type: 'promotion_decision', assigneeId: people.hrOfficer.id })]);
  expect((await stack.db.task.findUniqueOrThrow({ where: { id: serviceTask!.id } })).status).toBe('done');
  const decisionTask = await openTask(flowId, 'promotion_decision', people.hrOfficer.id);
  expect((decisionTask.payload as { ranking: { applicantId: string; score: number; rank: number }[] }).ranking.map((r) => [r.applicantId, r.score, r.rank])).toEqual([
    [people.collectorA.id, 4.25, 1],
    [people.collectorB.id, 3.25, 2],
  ]);

  // Only HR decides, saying why to each one not selected.
  expectProblem(await post(vacancyId, 'decision', 'collectorA', { reason: 'me' }), 403);
  expectProblem(await post(vacancyId, 'decision', 'hrOfficer', { selectedId: people.collectorA.id, reason: '综合得分最高 Best overall' }), 422);
  const proposed = await post(vacancyId, 'decision', 'hrOfficer', { reason: '综合得分最高 Best overall', reasons: { [people.collectorB.id]: '带队经验尚浅 Little team experience yet' } });
  expect(proposed.status).toBe(200);
  expect(proposed.body).toMatchObject({ status: 'countersigning', selectedId: people.collectorA.id });
  expect(proposed.body.next.map((t: { type: string }) => t.type)).toEqual(['promotion_countersign', 'promotion_countersign']);

  // One panelist approves, the other rejects with a comment: back to HR, who decides again.
  expectProblem(await post(vacancyId, 'countersign', 'serviceHead', { decision: 'reject' }), 400, ['comment']);
  expectProblem(await post(vacancyId, 'countersign', 'collectorA', { decision: 'approve' }), 403);
  expect((await post(vacancyId, 'countersign', 'collectionHead', { decision: 'approve' })).status).toBe(200);
  expect((await post(vacancyId, 'countersign', 'serviceHead', { decision: 'reject', comment: '理由请写具体 Make the reasons specific' })).status).toBe(200);
  const second = await eventually(
    async () => (await stack.db.task.findFirst({ where: { flowId, type: 'promotion_decision', status: 'open', stepKey: 'decision/2' } })) ?? undefined,
    'the decision back with HR',
  );
  expect(second.payload).toMatchObject({ round: 2, sentBack: { by: people.serviceHead.id, comment: '理由请写具体 Make the reasons specific' } });
  expect((await stack.db.vacancy.findUniqueOrThrow({ where: { id: vacancyId } })).status).toBe('deciding');

  const reasonA = '回款率连续三季度第一，跟踪考核 92 分 Top collection rate three quarters running';
  const reasonB = '带队经验尚浅，建议先带教新人 Mentor new hires first';
  expect((await post(vacancyId, 'decision', 'hrOfficer', { selectedId: people.collectorA.id, reason: reasonA, reasons: { [people.collectorB.id]: reasonB } })).status).toBe(200);
  for (const w of PANEL) expect((await post(vacancyId, 'countersign', w, { decision: 'approve' })).status).toBe(200);
  expectProblem(await post(vacancyId, 'countersign', 'collectionHead', { decision: 'approve' }), 409);

  // Final: every applicant hears their own result, reason and score; the one who withdrew hears nothing.
  await eventually(async () => ((await stack.db.vacancy.findUniqueOrThrow({ where: { id: vacancyId } })).status === 'decided' ? true : undefined), 'the vacancy decided');
  const told = await stack.db.notification.findMany({ where: { flowId, template: 'promotion_result' } });
  expect(Object.fromEntries(told.map((n) => [n.recipientId, n.params]))).toEqual({
    [people.collectorA.id]: { title: body.title, selected: 'true', reason: reasonA, score: '4.25' },
    [people.collectorB.id]: { title: body.title, selected: 'false', reason: reasonB, score: '3.25' },
  });
  expect(await stack.db.notification.count({ where: { recipientId: people.collectorC.id, template: 'promotion_result' } })).toBe(0);
  expect((await stack.db.flow.findUniqueOrThrow({ where: { id: flowId } })).status).toBe('completed');

  // An applicant reads their own result, never the others' scores or the panel's forms.
  const asB = await read(vacancyId, 'collectorB');
  expect(asB.status).toBe(200);
  expect(asB.body.mine).toMatchObject({ applicantId: people.collectorB.id, status: 'not_selected', reason: reasonB, score: 3.25 });
  expect(asB.body.applications).toBeUndefined();
  expect(asB.body.evaluations).toBeUndefined();
  expect(JSON.stringify(asB.body)).not.toContain('4.25');
  expect(JSON.stringify(asB.body)).not.toContain(people.collectorA.id);
  expectProblem(await read(vacancyId, 'engineer'), 403);

  // HR and the panel read everything.
  const asHr = (await read(vacancyId, 'hrOfficer')).body;
  expect(asHr).toMatchObject({ status: 'decided', selectedId: people.collectorA.id, decisionReason: reasonA });
  expect(asHr.applications.map((a: { applicantId: string; status: string; score: number | null }) => [a.applicantId, a.status, a.score])).toEqual([
    [people.collectorA.id, 'selected', 4.25],
    [people.collectorB.id, 'not_selected', 3.25],
    [people.collectorC.id, 'withdrawn', null],
  ]);
  expect(asHr.evaluations).toHaveLength(4);
  expect((await read(vacancyId, 'serviceHead')).body.evaluations).toHaveLength(4);
}, 120_000);

test('nobody applied: HR opens the window again, then cancels the vacancy and its applicant is told', async () => {
  const res = await open(vacancy('客服主管 Service lead', 1500));
  expect(res.status).toBe(202);
  const { vacancyId, flowId } = res.body as { vacancyId: string; flowId: string };
  await openTask(flowId, 'promotion_no_applicants', people.hrOfficer.id);
  expectProblem(await post(vacancyId, 'extend', 'collectorA', { applyUntil: new Date(Date.now() + 60_000).toISOString() }), 403);
  expectProblem(await post(vacancyId, 'extend', 'hrOfficer', { applyUntil: new Date(Date.now() - 60_000).toISOString() }), 422);
  expect((await post(vacancyId, 'extend', 'hrOfficer', { applyUntil: new Date(Date.now() + 60_000).toISOString() })).status).toBe(200);
  expect((await post(vacancyId, 'applications', 'serviceRep', { statement: '愿意承担 Ready to lead' })).status).toBe(200);

  expectProblem(await post(vacancyId, 'cancel', 'collectorA', { reason: 'no' }), 403);
  expect((await post(vacancyId, 'cancel', 'hrOfficer', { reason: '岗位编制取消 The position was withdrawn' })).status).toBe(200);
  expect((await stack.db.vacancy.findUniqueOrThrow({ where: { id: vacancyId } })).status).toBe('cancelled');
  const notice = await eventually(async () => (await stack.db.notification.findFirst({ where: { recipientId: people.serviceRep.id, template: 'vacancy_cancelled' } })) ?? undefined, 'the applicant told');
  expect(notice.params).toMatchObject({ reason: '岗位编制取消 The position was withdrawn' });
  expectProblem(await post(vacancyId, 'applications', 'collectorA', { statement: 'late' }), 409);
}, 60_000);

test('refused clearly, nothing kept: not HR, a broken vacancy, a panelist who is nobody, a window already closed', async () => {
  const before = await stack.db.vacancy.count();
  expectProblem(await open(vacancy('x', 60_000), undefined, 'collectorA'), 403);
  expectProblem(await open({ ...vacancy('', 60_000), criteria: [{ key: 'performance', name: 'x', weight: 60 }] }), 400, ['title', 'criteria']);
  expectProblem(await open({ ...vacancy('x', 60_000), panelIds: ['nobody'], departmentId: 'dept-nowhere' }), 422, ['panelIds.0', 'departmentId']);
  expectProblem(await open(vacancy('x', -1000)), 422, ['applyUntil']);
  expect(await stack.db.vacancy.count()).toBe(before);
  expectProblem(await read('not-an-id', 'hrOfficer'), 400, ['params.id']);
});
