/**
 * The handover over HTTP: start, checklist lines, sign-off refused too early, knowledge, mentoring,
 * assessment, sign-off, rating, exit interview, portfolios; bad input and wrong people.
 */
import { eventually, people } from './support/fixtures';
import { apiTestStack, expectProblem, type Who } from './support/http';

const { stack, as, api } = apiTestStack();

const resignation = (employee: Who, extra: object = {}) => ({
  employeeId: people[employee].id,
  resignationDate: '2027-01-04',
  lastWorkingDay: '2027-02-26',
  reason: '个人发展 career move',
  ...extra,
});

/** Polls the resignation view until `ready` holds. */
async function viewWhen(id: string, who: Who, ready: (view: any) => boolean, what: string) {
  return eventually(async () => {
    const res = await api().get(`/api/v1/resignations/${id}`).set(as(who));
    return res.status === 200 && ready(res.body) ? res.body : undefined;
  }, what);
}

test('bad resignations are refused naming the field, and start nothing', async () => {
  expectProblem(await api().post('/api/v1/resignations').set(as('hrOfficer')).send(resignation('collectorC', { lastWorkingDay: '2026-12-01' })), 400, ['lastWorkingDay']);
  expectProblem(await api().post('/api/v1/resignations').set(as('hrOfficer')).send(resignation('collectorC', { resignationDate: '2027-13-01', reason: '' })), 400, ['resignationDate', 'reason']);
  expectProblem(await api().post('/api/v1/resignations').set(as('hrOfficer')).send(resignation('collectorC', { successorId: people.collectorC.id })), 400, ['successorId']);
  expectProblem(await api().post('/api/v1/resignations').set(as('hrOfficer')).send(resignation('collectorC', { supervisorId: 'nobody' })), 422, ['supervisorId']);
  expectProblem(await api().post('/api/v1/resignations').set(as('collectorA')).send(resignation('collectorC')), 403);
  expectProblem(await api().post('/api/v1/resignations').set(as('hrOfficer')).send(resignation('collectorC', { settings: { handover: { minMentoringSessions: -1 } } })), 400, ['settings.handover.minMentoringSessions']);
  expect(await stack.db.resignation.count()).toBe(0);
  expect((await stack.db.employee.findUniqueOrThrow({ where: { id: people.collectorC.id } })).status).toBe('active');
});

test('a collector’s handover through the API, from resignation to rating', async () => {
  const before = await api().get(`/api/v1/accounts?assignee=${people.collectorC.id}`).set(as('collectionHead'));
  expect(before.status).toBe(200);
  const accounts = before.body.total as number;
  expect(accounts).toBeGreaterThan(0);
  expect(before.body.items).toHaveLength(accounts);

  // The collector hands in their own resignation; HR names the successor later.
  const settings = { handover: { minMentoringSessions: 1, minKnowledgeArticles: 1 } };
  const started = await api().post('/api/v1/resignations').set(as('hrOfficer')).send(resignation('collectorC', { settings }));
  expect(started.status).toBe(202);
  const { resignationId, flowId } = started.body;
  const again = await api().post('/api/v1/resignations').set(as('collectorC')).send(resignation('collectorC'));
  expect(again.body).toEqual(started.body);
  expectProblem(await api().post('/api/v1/resignations').set(as('hrOfficer')).send(resignation('collectorC', { resignationDate: '2027-01-05' })), 409);
  expectProblem(await api().get(`/api/v1/resignations/${resignationId}`).set(as('engineer')), 403);

  const ack = await eventually(async () => (await api().get('/api/v1/tasks?status=open').set(as('collectionHead'))).body.items.find((t: any) => t.flowId === flowId), 'acknowledgement task');
  expect(ack.type).toBe('handover_acknowledge');
  await api().post(`/api/v1/tasks/${ack.id}/decision`).set(as('collectionHead')).send({ decision: 'confirm' }).expect(200);

  await viewWhen(resignationId, 'hrOfficer', (v) => v.phase === 'assignment', 'the assignment phase');
  expectProblem(await api().post(`/api/v1/resignations/${resignationId}/assignment`).set(as('collectorA')).send({ successorId: people.collectorA.id, supervisorId: people.collectionHead.id }), 403);
  expectProblem(await api().post(`/api/v1/resignations/${resignationId}/assignment`).set(as('hrOfficer')).send({ successorId: people.collectorA.id, supervisorId: people.collectorA.id }), 400, ['supervisorId']);
  await api().post(`/api/v1/resignations/${resignationId}/assignment`).set(as('hrOfficer')).send({ successorId: people.collectorA.id, supervisorId: people.collectionHead.id }).expect(200);

  const view = await viewWhen(resignationId, 'collectorC', (v) => v.checklist.total === accounts + 6 && v.checklist.ready, 'the checklist');
  expect(view.checklist).toMatchObject({ open: accounts + 6, done: 0, verified: 0, overdue: 0, accountsWithLeaver: accounts });
  const items: { id: string; category: string }[] = view.checklist.items;
  const accountLines = items.filter((i) => i.category === 'account');
  const others = items.filter((i) => i.category !== 'account');

  // Sign-off is refused while accounts are still the leaver's.
  const early = await api().post(`/api/v1/resignations/${resignationId}/sign-off`).set(as('collectionHead')).send({});
  expectProblem(early, 409);
  expect(early.body.detail).toContain(`${accounts} account(s) with the leaver`);

  // Lines: one by one or in bulk; only the leaver completes, only the supervisor verifies.
  expectProblem(await api().post(`/api/v1/handover-items/${accountLines[0]!.id}/complete`).set(as('collectionHead')).send({}), 403);
  expectProblem(await api().post('/api/v1/handover-items/complete').set(as('collectorC')).send({ itemIds: [] }), 400, ['itemIds']);
  expectProblem(await api().post('/api/v1/handover-items/complete').set(as('collectorC')).send({ itemIds: ['00000000-0000-4000-8000-00000000beef'] }), 404);
  const one = await api().post(`/api/v1/handover-items/${accountLines[0]!.id}/complete`).set(as('collectorC')).send({ note: '已电话告知业主' });
  expect(one.body).toEqual({ applied: 1 });
  expectProblem(await api().post(`/api/v1/handover-items/${accountLines[0]!.id}/complete`).set(as('collectorC')).send({}), 409);
  const rest = await api().post('/api/v1/handover-items/complete').set(as('collectorC')).send({ itemIds: [...accountLines.slice(1), ...others].map((i) => i.id) });
  expect(rest.body).toEqual({ applied: accounts + 5 });
  expectProblem(await api().post(`/api/v1/handover-items/${others[0]!.id}/verify`).set(as('collectionHead')).send({ verdict: 'reopen' }), 400, ['comment']);
  expectProblem(await api().post(`/api/v1/handover-items/${others[0]!.id}/verify`).set(as('collectorC')).send({ verdict: 'accept' }), 403);
  const verified = await api().post('/api/v1/handover-items/verify').set(as('collectionHead')).set('Idempotency-Key', 'verify-all-1').send({ itemIds: items.map((i) => i.id), verdict: 'accept' });
  expect(verified.body).toEqual({ applied: accounts + 6, accountsMoved: accounts });
  const retried = await api().post('/api/v1/handover-items/verify').set(as('collectionHead')).set('Idempotency-Key', 'verify-all-1').send({ itemIds: items.map((i) => i.id), verdict: 'accept' });
  expect(retried.body).toEqual(verified.body);

  const after = await api().get(`/api/v1/accounts?assignee=${people.collectorC.id}`).set(as('collectionHead'));
  expect(after.body).toMatchObject({ total: 0, items: [] });
  const successor = await api().get('/api/v1/accounts').set(as('collectorA'));
  expect(successor.body.items.map((a: { id: string }) => a.id)).toEqual(expect.arrayContaining(before.body.items.map((a: { id: string }) => a.id)));

  // Knowledge article, reviewed from the supervisor's inbox.
  const article = await api().post(`/api/v1/resignations/${resignationId}/knowledge-articles`).set(as('collectorC')).send({ kind: 'procedure', title: '月底对账流程', body: '每月最后一个工作日与财务核对实收。' });
  expect(article.status).toBe(200);
  expectProblem(await api().post(`/api/v1/resignations/${resignationId}/knowledge-articles`).set(as('collectorC')).send({ kind: 'gossip', title: 'x', body: 'y' }), 400, ['kind']);
  const review = await eventually(async () => (await api().get('/api/v1/tasks?status=open').set(as('collectionHead'))).body.items.find((t: any) => t.type === 'knowledge_review' && t.flowId === flowId), 'review task');
  await api().post(`/api/v1/tasks/${review.id}/decision`).set(as('collectionHead')).send({ decision: 'approve' }).expect(200);

  await viewWhen(resignationId, 'collectionHead', (v) => v.phase === 'mentoring', 'mentoring');
  expectProblem(await api().post(`/api/v1/resignations/${resignationId}/mentoring-sessions`).set(as('collectionHead')).send({ heldAt: 'yesterday', durationMinutes: 2, topic: 'x' }), 400, ['heldAt', 'durationMinutes']);
  expectProblem(await api().post(`/api/v1/resignations/${resignationId}/mentoring-sessions`).set(as('collectorA')).send({ heldAt: new Date().toISOString(), durationMinutes: 30, topic: 'x' }), 403);
  const session = await api().post(`/api/v1/resignations/${resignationId}/mentoring-sessions`).set(as('collectionHead')).send({ heldAt: new Date().toISOString(), durationMinutes: 60, topic: '重点业主拜访' });
  expect(session.body).toMatchObject({ sessions: 1, required: 1 });

  await viewWhen(resignationId, 'collectionHead', (v) => v.phase === 'assessment', 'assessment');
  expectProblem(await api().post(`/api/v1/resignations/${resignationId}/assessment`).set(as('collectionHead')).send({ passed: 'yes', score: 9 }), 400, ['passed', 'score']);
  await api().post(`/api/v1/resignations/${resignationId}/assessment`).set(as('collectionHead')).send({ passed: true, score: 5 }).expect(200);

  await viewWhen(resignationId, 'collectionHead', (v) => v.openTasks.filter((t: any) => t.type === 'handover_sign_off').length === 2, 'sign-off tasks');
  expectProblem(await api().post(`/api/v1/resignations/${resignationId}/sign-off`).set(as('collectorA')).send({}), 409);
  await api().post(`/api/v1/resignations/${resignationId}/sign-off`).set(as('collectionHead')).send({ comment: '交接完整' }).expect(200);
  await api().post(`/api/v1/resignations/${resignationId}/sign-off`).set(as('hrOfficer')).send({}).expect(200);

  await viewWhen(resignationId, 'collectorA', (v) => v.phase === 'rating', 'rating');
  expectProblem(await api().post(`/api/v1/resignations/${resignationId}/rating`).set(as('collectorA')).send({ score: 6 }), 400, ['score']);
  await api().post(`/api/v1/resignations/${resignationId}/rating`).set(as('collectorA')).send({ score: 4, comment: '账户资料齐全' }).expect(200);

  // HR's exit interview, asked with the sign-off: the handover completes once it is on record too.
  const exitInterview = { heldOn: new Date().toISOString().slice(0, 10), causes: ['career'], notes: '想转做法务', wouldReturn: true, wouldRecommend: true };
  await api().post(`/api/v1/resignations/${resignationId}/exit-interview`).set(as('hrOfficer')).send(exitInterview).expect(200);
  const final = await viewWhen(resignationId, 'hrOfficer', (v) => v.phase === 'completed', 'completion');
  expect(final).toMatchObject({ status: 'completed', ratingScore: 4, successorId: people.collectorA.id, supervisorId: people.collectionHead.id });
  expect(final.checklist).toMatchObject({ verified: accounts + 6, accountsWithLeaver: 0 });
  expect(final.articles.map((a: any) => a.status)).toEqual(['published']);
  expect(final.mentoringSessions).toHaveLength(1);
  expect(final.assessments.map((a: any) => a.passed)).toEqual([true]);
  expect((await stack.db.employee.findUniqueOrThrow({ where: { id: people.collectorC.id } })).status).toBe('left');
  const flow = await api().get(`/api/v1/flows/${encodeURIComponent(flowId)}`).set(as('hrOfficer'));
  expect(flow.body.status).toBe('completed');
  expect(flow.body.audit.map((e: any) => e.action)).toEqual(expect.arrayContaining(['handover.resigned', 'handover.signed_off', 'handover.completed']));

  const listed = await api().get('/api/v1/resignations?status=completed').set(as('hrDirector'));
  expect(listed.body.items.map((r: any) => r.id)).toContain(resignationId);
  expectProblem(await api().get('/api/v1/resignations').set(as('collectorA')), 403);
});
