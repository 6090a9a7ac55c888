/**
 * Employee suggestions (意见反馈, DOMAIN.md §8) over HTTP with the real stack: anyone submits, the
 * owner department's head answers through the flow, the submitter is told and reads the answer; an
 * unanswered one is chased and escalated; an anonymous submitter is named by no route, trail,
 * notification or Temporal history that anyone else can read.
 */
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../api/app';
import { withOverrides } from '../domain/settings';
import { eventually, people } from './support/fixtures';
import { apiTestStack, expectProblem, type Who } from './support/http';
import { FAST_SETTINGS, TEST_AUTH, TEST_CHANNELS } from './support/stack';

const { stack, as, api } = apiTestStack();
const COLLECTION = 'dept-collection';

const suggestion = (title: string, extra: object = {}) => ({ title, body: `${title}：具体内容 the details`, departmentId: COLLECTION, category: 'process', ...extra });
const submit = (who: Who, body: object, key?: string, app = api()) => {
  const req = app.post('/api/v1/suggestions').set(as(who));
  return (key ? req.set('Idempotency-Key', key) : req).send(body);
};
const answerTask = (flowId: string) =>
  eventually(async () => (await stack.db.task.findFirst({ where: { flowId, type: 'suggestion_answer', status: 'open' } })) ?? undefined, 'the answer task');

test('submitted, answered by the head, the submitter told: a retried submit writes once', async () => {
  const body = suggestion('催收话术模板更新 Update the call scripts');
  const first = await submit('collectorA', body, 'sugg-1');
  expect(first.status).toBe(202);
  const { suggestionId, flowId } = first.body as { suggestionId: string; flowId: string };
  expect(flowId).toBe(`suggestion:${suggestionId}`);
  const again = await submit('collectorA', body, 'sugg-1');
  expect(again.status).toBe(202);
  expect(again.body).toEqual(first.body);
  expect(await stack.db.suggestion.count({ where: { id: suggestionId } })).toBe(1);
  expect(await stack.db.suggestionSender.count({ where: { suggestionId } })).toBe(1);
  expect(await stack.db.auditEvent.count({ where: { flowId, action: 'suggestion.submitted' } })).toBe(1);

  // The head holds a task due in five days (working time on production settings), which they may hand on or copy.
  const task = await answerTask(flowId);
  expect(task.assigneeId).toBe(people.collectionHead.id);
  expect(task.actions).toEqual(['transfer', 'cc']);
  expect(await stack.db.task.count({ where: { flowId } })).toBe(1);
  const listed = (await api().get('/api/v1/suggestions').set(as('collectionHead'))).body.items as { id: string; submitter: { name: string } | null; mine: boolean }[];
  expect(listed.find((s) => s.id === suggestionId)).toMatchObject({ submitter: { name: people.collectorA.name }, mine: false, mayAnswer: true });
  expect((await api().get(`/api/v1/suggestions/${suggestionId}`).set(as('collectorA'))).body).toMatchObject({ mine: true, mayAnswer: false });

  // Only whoever holds the task answers; a half answer is refused with its field.
  expectProblem(await api().post(`/api/v1/suggestions/${suggestionId}/answer`).set(as('collectorB')).send({ answer: 'x', accepted: false }), 403);
  expectProblem(await api().get(`/api/v1/suggestions/${suggestionId}`).set(as('serviceHead')), 403);
  expectProblem(await api().post(`/api/v1/suggestions/${suggestionId}/answer`).set(as('collectionHead')).send({ answer: 'x', accepted: false, actionPlanned: 'y' }), 400, ['actionPlanned']);
  const answered = await api()
    .post(`/api/v1/suggestions/${suggestionId}/answer`)
    .set(as('collectionHead'))
    .send({ answer: '采纳，下周更新 Taken up: new scripts next week', accepted: true, actionPlanned: '周五前发布新模板 Publish the new scripts by Friday' });
  expect(answered.status).toBe(200);
  expect(answered.body).toEqual({ status: 'answered', next: [] });
  expectProblem(await api().post(`/api/v1/suggestions/${suggestionId}/answer`).set(as('collectionHead')).send({ answer: 'again', accepted: false }), 409);

  // The submitter reads the answer among their own, and is told.
  const mine = (await api().get('/api/v1/suggestions?mine=true').set(as('collectorA'))).body.items as { id: string }[];
  expect(mine.find((s) => s.id === suggestionId)).toMatchObject({ status: 'answered', accepted: true, answer: '采纳，下周更新 Taken up: new scripts next week', answeredById: people.collectionHead.id, mine: true });
  const told = await stack.db.notification.findFirst({ where: { recipientId: people.collectorA.id, template: 'suggestion_answered' } });
  expect(told).toMatchObject({ flowId, params: expect.objectContaining({ title: body.title, accepted: 'true' }) });
  expect((await stack.db.flow.findUniqueOrThrow({ where: { id: flowId } })).status).toBe('completed');
  expect((await stack.db.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe('done');
}, 120_000);

test('unanswered: the head is reminded when it falls due, then their manager and HR are escalated to; the manager answers for them', async () => {
  const chasing = withOverrides(FAST_SETTINGS, {
    suggestions: { answerWithin: 'PT3S' },
    chasing: { suggestion_answer: { remindAfter: 'PT1H', remindEvery: 'PT1H', maxReminders: 0, remindBeforeDue: 'PT1S', escalateAfter: 'PT2S', escalateTo: ['manager', 'hr'] } },
  });
  const fast = createApp({ db: stack.db, flows: stack.flows, flowDefaults: chasing, notificationChannels: TEST_CHANNELS, auth: TEST_AUTH, log: pino({ level: 'silent' }), temporalReady: async () => true });
  const res = await submit('serviceRep', suggestion('催收与客服交接 Handing cases to customer service'), undefined, request(fast));
  expect(res.status).toBe(202);
  const { suggestionId, flowId } = res.body as { suggestionId: string; flowId: string };
  const task = await answerTask(flowId);
  const trail = (action: string, n = 1) =>
    eventually(async () => {
      const found = await stack.db.auditEvent.findMany({ where: { taskId: task.id, action }, orderBy: { id: 'asc' } });
      return found.length >= n ? found : undefined;
    }, `${n} × ${action}`, 30_000);
  await trail('task.reminded', 2);
  const escalations = await trail('task.escalated', 2);
  expect(escalations.map((e) => (e.payload as { to: string }).to)).toEqual(['manager', 'hr']);
  expect((escalations[0]!.payload as { targetId: string }).targetId).toBe(people.vicePresident.id);

  const answered = await api().post(`/api/v1/suggestions/${suggestionId}/answer`).set(as('vicePresident')).send({ answer: '暂不采纳 Not now', accepted: false });
  expect(answered.status).toBe(200);
  expect(await stack.db.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({ decidedById: people.vicePresident.id, onBehalfOfId: people.collectionHead.id });
  const stored = await stack.db.suggestion.findUniqueOrThrow({ where: { id: suggestionId } });
  expect(stored.answeredAt!.getTime()).toBeGreaterThan(stored.dueAt.getTime());
  await eventually(async () => (await stack.db.notification.count({ where: { recipientId: people.serviceRep.id, template: 'suggestion_answered' } })) || undefined, 'the submitter told');

  // Counted as answered late in the statistics.
  const stats = (await api().get('/api/v1/suggestions/stats').set(as('hrDirector'))).body;
  expect(stats.byDepartment[COLLECTION]).toMatchObject({ answered: expect.any(Number), onTimeShare: expect.any(Number) });
  expect(stats.overall.answered).toBeGreaterThanOrEqual(1);
  expect(stats.overall.onTimeShare).toBeLessThan(1);
}, 120_000);

test('anonymous: no route, trail, notification or Temporal history others read names the submitter', async () => {
  const secretTitle = '匿名：加班太多 Too much overtime';
  const res = await submit('collectorB', suggestion(secretTitle, { anonymous: true, category: 'management' }), 'anon-1');
  expect(res.status).toBe(202);
  const { suggestionId, flowId } = res.body as { suggestionId: string; flowId: string };
  const task = await answerTask(flowId);
  const who = people.collectorB;
  const names = (value: unknown) => {
    const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    return text.includes(who.id) || text.includes(who.name) || text.includes(who.employeeNo);
  };

  // The record itself names nobody; the sender's link is apart.
  expect(await stack.db.suggestion.findUniqueOrThrow({ where: { id: suggestionId } })).toMatchObject({ anonymous: true, submitterId: null });
  expect(await stack.db.flow.findUniqueOrThrow({ where: { id: flowId } })).toMatchObject({ startedById: null });

  // Before and after the answer, every reader but the submitter sees no trace of them.
  const readers: Who[] = ['collectionHead', 'hrOfficer', 'hrDirector', 'vicePresident'];
  const routes = [
    '/api/v1/suggestions',
    `/api/v1/suggestions?departmentId=${COLLECTION}`,
    `/api/v1/suggestions/${suggestionId}`,
    `/api/v1/flows/${encodeURIComponent(flowId)}`,
    '/api/v1/flows?type=suggestion',
    '/api/v1/notifications/deliveries',
    `/api/v1/notifications/deliveries?recipient=${who.id}`,
    `/api/v1/tasks/${task.id}`,
    '/api/v1/suggestions/stats',
  ];
  async function nobodyNamed() {
    for (const reader of readers) {
      for (const route of routes) {
        const read = await api().get(route).set(as(reader));
        expect([200, 403]).toContain(read.status);
        if (names(read.body)) throw new Error(`${reader} reads the submitter through ${route}`);
      }
    }
  }
  await nobodyNamed();
  const asHead = (await api().get(`/api/v1/suggestions/${suggestionId}`).set(as('collectionHead'))).body;
  expect(asHead).toMatchObject({ title: secretTitle, anonymous: true, submitter: null, mine: false });

  expect((await api().post(`/api/v1/suggestions/${suggestionId}/answer`).set(as('collectionHead')).send({ answer: '会调整排班 We will rework the rota', accepted: true })).status).toBe(200);
  // The sender is told, privately: no flow, a key unrelated to the suggestion.
  const notice = await eventually(async () => (await stack.db.notification.findFirst({ where: { recipientId: who.id, template: 'suggestion_answered' } })) ?? undefined, 'the sender told');
  expect(notice.flowId).toBeNull();
  expect(notice.key.startsWith('private:')).toBe(true);
  expect(notice.key.includes(suggestionId)).toBe(false);
  await eventually(async () => ((await stack.db.notificationDelivery.count({ where: { notificationId: notice.id } })) > 0 ? true : undefined), 'its delivery routed');
  await nobodyNamed();

  // No audit event, task or notification to anyone else names them.
  expect(names(await stack.db.auditEvent.findMany({ where: { flowId } }))).toBe(false);
  expect(await stack.db.auditEvent.count({ where: { actorId: who.id } })).toBe(0);
  expect(names(await stack.db.task.findMany({ where: { flowId } }))).toBe(false);
  expect(names(await stack.db.notification.findMany({ where: { OR: [{ flowId }, { key: { startsWith: flowId } }] } }))).toBe(false);
  // Temporal's history (what an operator reads in its UI): input, activities, messages, results.
  const history = JSON.stringify(await stack.client.workflow.getHandle(flowId).fetchHistory(), (k, v: unknown) => (k === 'data' && typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : v));
  expect(history.includes(suggestionId)).toBe(true); // the payloads are read as text: an id would show
  expect(history.includes(who.id)).toBe(false);

  // The submitter alone reads it as theirs, with the answer.
  const mine = (await api().get('/api/v1/suggestions?mine=true').set(as('collectorB'))).body.items;
  expect(mine).toEqual([expect.objectContaining({ id: suggestionId, mine: true, submitter: null, status: 'answered', answer: '会调整排班 We will rework the rota' })]);
  expect((await api().get(`/api/v1/suggestions/${suggestionId}`).set(as('collectorB'))).body.mine).toBe(true);
}, 120_000);

test('refused clearly, nothing kept: a missing field, an unknown department, statistics for someone not in HR', async () => {
  const before = await stack.db.suggestionSender.count();
  expectProblem(await submit('engineer', { title: '', body: 'x', departmentId: COLLECTION, category: 'salary' }), 400, ['title', 'category']);
  expectProblem(await submit('engineer', suggestion('x', { departmentId: 'dept-nowhere' })), 422, ['departmentId']);
  expect(await stack.db.suggestionSender.count()).toBe(before);
  expectProblem(await api().get('/api/v1/suggestions').set(as('engineer')), 403);
  expectProblem(await api().get('/api/v1/suggestions/stats').set(as('collectionHead')), 403);
  expectProblem(await api().get('/api/v1/suggestions/stats?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z').set(as('hrOfficer')), 400, ['query.to']);
  expectProblem(await api().get('/api/v1/suggestions/not-an-id').set(as('hrOfficer')), 400, ['params.id']);
});
