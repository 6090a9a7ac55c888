/**
 * Recurring surveys on Temporal Schedules (DOMAIN.md §8): HR defines one, its Schedule starts the
 * runs (one at a time), people answer anonymously, the results show by department (hidden for
 * groups under 5) with the trend, and HR's actions are chased. Over HTTP with the real stack; the
 * anonymity test tries every route that could tie an answer to a person.
 */
import { eventually, people } from './support/fixtures';
import { apiTestStack, expectProblem, type Who } from './support/http';
import { surveyScheduleId } from '../workflows/surveyRun';

const { stack, as, api } = apiTestStack();

const QUESTIONS = [
  { key: 'pay', text: '对薪酬福利的满意度 Satisfaction with pay and benefits', kind: 'rating' },
  { key: 'workload', text: '工作量是否合理 Is the workload reasonable', kind: 'rating' },
  { key: 'say', text: '想说的话 Anything to say', kind: 'text' },
];
const ASKED: Who[] = ['collectionHead', 'collectorA', 'collectorB', 'collectorC', 'serviceHead', 'serviceRep'];

async function openRunOf(surveyId: string, runNo: number) {
  return eventually(async () => (await stack.db.surveyRun.findFirst({ where: { surveyId, runNo } })) ?? undefined, `run #${runNo}`, 60_000);
}
const closed = (runId: string) => eventually(async () => ((await stack.db.surveyRun.findUniqueOrThrow({ where: { id: runId } })).status === 'closed' ? true : undefined), 'the run closed', 90_000);
const answer = (runId: string, who: Who, answers: object) => api().post(`/api/v1/survey-runs/${runId}/answers`).set(as(who)).send({ answers });

test('a quarterly survey: its Schedule starts a run, one at a time; anonymous answers show by department only in groups of 5; the trend across runs; actions chased', async () => {
  const created = await api()
    .post('/api/v1/surveys')
    .set(as('hrOfficer'))
    .send({ title: '员工满意度 Satisfaction', questions: QUESTIONS, departmentIds: ['dept-collection', 'dept-customer-service'], schedule: { every: 'PT2S' }, answerWithin: 'PT25S' });
  expect(created.status).toBe(201);
  const surveyId = created.body.id as string;

  // The Schedule fires; HR pauses it once the first run is open. A second firing meanwhile is skipped.
  const first = await openRunOf(surveyId, 1);
  expect((await api().post(`/api/v1/surveys/${surveyId}/pause`).set(as('hrOfficer'))).body.status).toBe('paused');
  expect((await stack.client.schedule.getHandle(surveyScheduleId(surveyId)).describe()).state.paused).toBe(true);
  expectProblem(await api().post(`/api/v1/surveys/${surveyId}/run-now`).set(as('hrOfficer')), 409);
  expect(first.invited).toBe(ASKED.length);

  const ratings = [
    [4, 3],
    [2, 2],
    [5, 4],
    [3, 3],
    [4, 5],
    [1, 2],
  ];
  for (const [i, who] of ASKED.entries()) {
    const res = await answer(first.id, who, { pay: ratings[i]![0], workload: ratings[i]![1], say: `意见 ${i}` });
    expect(res.status).toBe(200);
  }
  expectProblem(await answer(first.id, 'collectorA', { pay: 1, workload: 1, say: 'again' }), 409);
  expectProblem(await answer(first.id, 'engineer', { pay: 1, workload: 1, say: 'not asked' }), 403);
  expectProblem(await answer(first.id, 'collectorB', { pay: 6, workload: 1, say: 'x' }), 400);
  expect(await stack.db.surveyBallot.count()).toBe(0);

  await closed(first.id);
  const run1 = (await api().get(`/api/v1/survey-runs/${first.id}`).set(as('hrOfficer'))).body;
  // 6 answers overall; each department has fewer than 5, so neither shows its answers.
  expect(run1.results.overall).toMatchObject({ responses: 6, averages: { pay: 3.17, workload: 3.17 } });
  expect(run1.results.overall.texts.say).toEqual(ASKED.map((_, i) => `意见 ${i}`).sort());
  expect(run1.results.byDepartment['dept-collection']).toEqual({ responses: 4, averages: null, texts: null });
  expect(run1.results.byDepartment['dept-customer-service']).toEqual({ responses: 2, averages: null, texts: null });
  expect(run1.results.trend).toBeNull();

  // HR assigns an action; its owner is chased until it is done; the run ends after the review.
  const review = await eventually(async () => (await stack.db.task.findFirst({ where: { flowId: first.flowId, type: 'survey_review', status: 'open' } })) ?? undefined, 'the review task');
  const action = await api().post(`/api/v1/survey-runs/${first.id}/actions`).set(as('hrOfficer')).send({ title: '梳理催收组工作量 Rebalance the collectors\' workload', ownerId: people.collectionHead.employeeNo, dueAt: new Date(Date.now() + 7 * 86_400_000).toISOString() });
  expect(action.status).toBe(200);
  const actionTask = action.body.next[0] as { taskId: string; assigneeId: string };
  expect(actionTask.assigneeId).toBe(people.collectionHead.id);
  expect((await api().post(`/api/v1/tasks/${review.id}/decision`).set(as('hrOfficer')).send({ decision: 'done' })).status).toBe(200);
  expect((await stack.db.flow.findUniqueOrThrow({ where: { id: first.flowId } })).status).toBe('running');
  expect((await api().post(`/api/v1/tasks/${actionTask.taskId}/decision`).set(as('collectionHead')).send({ decision: 'done' })).status).toBe(200);
  await eventually(async () => ((await stack.db.flow.findUniqueOrThrow({ where: { id: first.flowId } })).status === 'completed' ? true : undefined), 'the run complete');

  // A second run, now: the trend is this run's average less the last one's.
  expect((await api().post(`/api/v1/surveys/${surveyId}/run-now`).set(as('hrOfficer'))).status).toBe(202);
  const second = await openRunOf(surveyId, 2);
  for (const who of ASKED) expect((await answer(second.id, who, { pay: 4, workload: 3, say: '好' })).status).toBe(200);
  await closed(second.id);
  const run2 = (await api().get(`/api/v1/survey-runs/${second.id}`).set(as('hrOfficer'))).body;
  expect(run2.results.trend).toEqual({ pay: 0.83, workload: -0.17 });

  // Changed and deleted through the API: the Schedule follows, then is gone; the runs stay.
  expect((await api().patch(`/api/v1/surveys/${surveyId}`).set(as('hrOfficer')).send({ schedule: { cron: '0 1 1 */3 *' } })).status).toBe(200);
  const spec = (await stack.client.schedule.getHandle(surveyScheduleId(surveyId)).describe()).spec;
  expect(spec.calendars).toHaveLength(1);
  expect(spec.intervals ?? []).toHaveLength(0);
  expect((await api().delete(`/api/v1/surveys/${surveyId}`).set(as('hrOfficer'))).status).toBe(204);
  await expect(stack.client.schedule.getHandle(surveyScheduleId(surveyId)).describe()).rejects.toThrow();
  expect(await stack.db.surveyRun.count({ where: { surveyId } })).toBe(2);
}, 300_000);

test('anonymity: no route ties an answer to the person who gave it', async () => {
  const created = await api()
    .post('/api/v1/surveys')
    .set(as('hrOfficer'))
    .send({ title: '匿名调研 Anonymous', questions: QUESTIONS, departmentIds: ['dept-collection', 'dept-customer-service'], schedule: { every: 'PT2S' }, answerWithin: 'PT20S' });
  const surveyId = created.body.id as string;
  const run = await openRunOf(surveyId, 1);
  await api().post(`/api/v1/surveys/${surveyId}/pause`).set(as('hrOfficer'));
  const secret = '只有郑磊会写的话 words only collectorB would write';
  for (const who of ASKED) await answer(run.id, who, { pay: 3, workload: 3, say: who === 'collectorB' ? secret : '一般 so-so' });
  await closed(run.id);

  // The stored answers carry no person and no time.
  const responses = await stack.db.surveyResponse.findMany({ where: { runId: run.id } });
  expect(responses).toHaveLength(ASKED.length);
  expect(responses.every((r) => r.respondentId === null)).toBe(true);
  expect(Object.keys(responses[0]!).sort()).toEqual(['answers', 'departmentId', 'id', 'respondentId', 'runId']);
  // The audit trail says who took part, never with what.
  const trail = await stack.db.auditEvent.findMany({ where: { flowId: run.flowId } });
  expect(JSON.stringify(trail.map((e) => e.payload)).includes(secret)).toBe(false);
  expect(trail.filter((e) => e.action === 'survey.answered').every((e) => JSON.stringify(e.payload) === '{}')).toBe(true);
  // Temporal's history of the run (what an operator sees in its UI) holds no answer.
  const history = JSON.stringify(await stack.client.workflow.getHandle(run.flowId).fetchHistory(), (k, v: unknown) => (k === 'data' && typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : v));
  expect(history.includes('ballotId')).toBe(true); // the payloads are read as text: an answer would show
  expect(history.includes('words only collectorB')).toBe(false);
  // No notification, task or task payload carries it.
  expect(JSON.stringify(await stack.db.notification.findMany({ where: { flowId: run.flowId } })).includes(secret)).toBe(false);
  expect(JSON.stringify(await stack.db.task.findMany({ where: { flowId: run.flowId } })).includes(secret)).toBe(false);
  // The API: results only in aggregate and only to overseers; the flow view shows no answers.
  expectProblem(await api().get(`/api/v1/survey-runs/${run.id}`).set(as('engineer')), 403);
  const asParticipant = (await api().get(`/api/v1/survey-runs/${run.id}`).set(as('collectorA'))).body;
  expect(asParticipant.results).toBeNull();
  expect(asParticipant.me).toEqual({ asked: true, answered: true });
  const flowView = JSON.stringify((await api().get(`/api/v1/flows/${run.flowId}`).set(as('hrOfficer'))).body);
  expect(flowView.includes(secret)).toBe(false);
  const results = (await api().get(`/api/v1/survey-runs/${run.id}`).set(as('hrOfficer'))).body.results;
  // Its text shows only among at least 5, sorted so that the order says nothing.
  expect(results.overall.texts.say).toEqual([...Array(5).fill('一般 so-so'), secret].sort());
  expect(results.byDepartment['dept-customer-service'].texts).toBeNull();
  expect(results.byDepartment['dept-collection'].texts).toBeNull();
  await api().delete(`/api/v1/surveys/${surveyId}`).set(as('hrOfficer'));
}, 240_000);

test('refused clearly, nothing kept: a schedule that is neither a period nor cron, an unknown department, a question key twice, someone not in HR', async () => {
  const body = { title: 'x', questions: QUESTIONS, schedule: { every: 'P90D' } };
  expectProblem(await api().post('/api/v1/surveys').set(as('hrOfficer')).send({ ...body, schedule: {} }), 400, ['schedule.every']);
  expectProblem(await api().post('/api/v1/surveys').set(as('hrOfficer')).send({ ...body, schedule: { cron: 'every day' } }), 400, ['schedule.cron']);
  // Five fields, one out of its range: the field says which, before any Schedule is asked.
  const badDay = await api().post('/api/v1/surveys').set(as('hrOfficer')).send({ ...body, schedule: { cron: '0 9 32 * *' } });
  expectProblem(badDay, 400, ['schedule.cron']);
  expect(badDay.body.errors.find((e: { field: string }) => e.field === 'schedule.cron').reason).toMatch(/day of month field "32"/);
  expectProblem(await api().post('/api/v1/surveys').set(as('hrOfficer')).send({ ...body, departmentIds: ['dept-nowhere'] }), 422, ['departmentIds.0']);
  expectProblem(await api().post('/api/v1/surveys').set(as('hrOfficer')).send({ ...body, questions: [QUESTIONS[0], QUESTIONS[0]] }), 400, ['questions']);
  expectProblem(await api().post('/api/v1/surveys').set(as('collectionHead')).send(body), 403);
  expect(await stack.db.survey.count({ where: { title: 'x' } })).toBe(0);
});
