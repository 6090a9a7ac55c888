/**
 * The follow-up of a training programme (DOMAIN.md §4) over real HTTP, Temporal and PostgreSQL:
 * from the session's hand-over through scores, retest, checkpoints, coaching and results to the
 * stored report and the recognition, with second-scale durations. Tests await the flows' own
 * events (their tasks, their rows), never sleep.
 */
import { flowState } from '../workflows/messages';
import { eventually, people, planContent } from './support/fixtures';
import { apiTestStack, expectProblem, repeatedUntilAnswered, type Who } from './support/http';
import { onKillableWorker } from './support/killableWorker';
import { startProgramme } from './support/followUp';

const { stack, as, api } = apiTestStack();

const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
const SCRIPTS = '催收话术 Collection scripts';
const REGULATIONS = '法律法规 Regulations';

async function decide(taskId: string, who: Who, decision: string, comment?: string) {
  const res = await api().post(`/api/v1/tasks/${taskId}/decision`).set(as(who)).send({ decision, comment });
  expect(res.status).toBe(200);
  return res.body;
}

const taskOf = (flowId: string, type: string, assigneeId?: string) =>
  eventually(async () => (await stack.db.task.findFirst({ where: { flowId, type, status: 'open', ...(assigneeId ? { assigneeId } : {}) } })) ?? undefined, `an open ${type} task`, 90_000);

/** One of a programme's sessions: the plan's modules it covers (unset, all) and who rates it how. */
interface SessionRatings {
  modules?: number[];
  ratings: Partial<Record<Who, number>>;
}

/**
 * A plan with short sessions (by default one) that collectorA and collectorB attend (collectorC
 * does not), each rated as given; answers once the sessions have handed their attendees to the
 * follow-up.
 */
async function programme(followUp: Record<string, unknown>, ratings: Partial<Record<Who, number>> = { collectorA: 5, collectorB: 4 }, plan: SessionRatings[] = [{ ratings }]) {
  const content = {
    ...planContent(1_200_000),
    cycle: { startsOn: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10), endsOn: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10) },
    sessions: plan.map((s, i) => ({ title: `Day ${i + 1}`, startsAt: inSeconds(6), endsAt: inSeconds(7), trainerId: people.trainer.id, modules: s.modules })),
    participantIds: [people.collectorA.id, people.collectorB.id, people.collectorC.id],
    passMark: 70,
  };
  const created = await api().post('/api/v1/training-plans').set(as('hrOfficer')).send({ title: '谈判技巧跟踪 Follow-up', departmentId: 'dept-collection', content });
  expect(created.status).toBe(201);
  // Sign-in stays open until the trainer closes it (heldSession): no step races the session's clock.
  const sessions = { leadTime: 'PT4S', criticalBefore: 'PT1S', signInOpensBefore: 'PT5S', signInClosesAfter: 'PT30M', lateAfter: 'PT20M', feedbackPeriod: 'PT2M' };
  const submitted = await api().post(`/api/v1/training-plans/${created.body.id}/submit`).set(as('hrOfficer')).send({ settings: { sessions, followUp } });
  expect(submitted.body).toMatchObject({ next: [expect.anything()] });
  let task = submitted.body.next[0];
  for (const who of ['collectionHead', 'hrDirector'] as Who[]) task = (await decide(task.taskId, who, 'approve')).next[0];
  const planId = created.body.id as string;
  const held = await Promise.all(plan.map((s, i) => heldSession(planId, i + 1, s.ratings)));
  const followUpRow = await eventually(async () => (await stack.db.followUp.findUnique({ where: { planId } })) ?? undefined, 'the follow-up', 60_000);
  return { planId, sessionId: held[0]!, followUp: followUpRow };
}

/** The plan's `sessionNo`-th session: collectorA and collectorB attend (the trainer closes sign-in
 *  then), rate it, the trainer reports. */
async function heldSession(planId: string, sessionNo: number, ratings: Partial<Record<Who, number>>): Promise<string> {
  const session = await eventually(async () => (await stack.db.trainingSession.findFirst({ where: { planId, sessionNo, status: 'signing_in' } })) ?? undefined, 'sign-in open', 60_000);
  for (const p of [people.collectorA.id, people.collectorB.id]) {
    expect((await api().post(`/api/v1/training-sessions/${session.id}/attendance`).set(as('trainer')).send({ participantId: p, attendance: 'present', reason: '纸质签到 signed on paper' })).status).toBe(200);
  }
  expect((await api().post(`/api/v1/training-sessions/${session.id}/close-sign-in`).set(as('trainer')).send({})).body).toMatchObject({ absent: 1 });
  await eventually(async () => ((await stack.db.trainingSession.findUnique({ where: { id: session.id } }))?.status === 'feedback' ? true : undefined), 'feedback open', 60_000);
  for (const [who, r] of Object.entries(ratings) as [Who, number][]) {
    expect((await api().post(`/api/v1/training-sessions/${session.id}/feedback`).set(as(who)).send({ content: r, method: r, trainer: r, usefulness: r })).status).toBe(200);
  }
  expect((await api().post(`/api/v1/training-sessions/${session.id}/report`).set(as('trainer')).send({ covered: 'Scripts' })).status).toBe(200);
  return session.id;
}

const idsOf = (...who: Who[]) => who.map((w) => people[w].id);
const participantFlow = (planId: string, who: Who) => `training-follow-up:${planId}:${people[who].id}`;
const toParticipant = (planId: string, who: Who, path: string) => `/api/v1/training-plans/${planId}/follow-up/participants/${people[who].id}/${path}`;

test('a programme from the hand-over through scores, retest, checkpoints, coaching and results to the report and the recognition', async () => {
  const settings = { checkpoints: ['PT15S', 'PT45S'], answerWithin: 'PT10S', retestWithin: 'PT10S', coachingWithin: 'PT1M', coachingSessions: 1, recognitionBar: 80, moduleFlagBelow: 4.6 };
  const { planId, followUp } = await programme(settings);
  expect(followUp).toMatchObject({ passMark: 70, competencies: [SCRIPTS, REGULATIONS], headId: people.collectionHead.id });

  // Without a needs assessment, the manager gives each attendee's baseline; collectorC never attended.
  const participants = await eventually(async () => {
    const rows = await stack.db.followUpParticipant.findMany({ where: { followUpId: followUp.id } });
    return rows.length === 2 ? rows : undefined;
  }, 'two participants');
  expect(participants.map((p) => p.employeeId).sort()).toEqual([people.collectorA.id, people.collectorB.id].sort());
  for (const who of ['collectorA', 'collectorB'] as Who[]) {
    await taskOf(participantFlow(planId, who), 'followup_baseline', people.collectionHead.id);
    expectProblem(await api().post(toParticipant(planId, who, 'baseline')).set(as('collectionHead')).send({ levels: { teamwork: 2 } }), 422);
    expect((await api().post(toParticipant(planId, who, 'baseline')).set(as('collectionHead')).send({ levels: { [SCRIPTS]: 2, [REGULATIONS]: 3 } })).status).toBe(200);
  }

  // Checkpoint 1: collectorA applies it daily, their manager sees them two levels up.
  await taskOf(participantFlow(planId, 'collectorA'), 'followup_application', people.collectorA.id);
  expectProblem(await api().post(toParticipant(planId, 'collectorA', 'application')).set(as('collectorB')).send({ level: 5, examples: 'x' }), 403);
  expect((await api().post(toParticipant(planId, 'collectorA', 'application')).set(as('collectorA')).send({ level: 5, examples: '每天用新话术 I use the scripts daily' })).body).toMatchObject({ checkpointNo: 1 });
  const rated = await api().post(toParticipant(planId, 'collectorA', 'behaviour')).set(as('collectionHead')).send({ levels: { [SCRIPTS]: 4, [REGULATIONS]: 5 } });
  expect(rated.body).toMatchObject({ checkpointNo: 1, change: 2 });

  // Scores as a CSV table: collectorB fails, retakes, fails again and is coached.
  await taskOf(followUp.flowId, 'followup_scores', people.trainer.id);
  const csv = `employeeId,score\n${people.collectorA.id},92\n${people.collectorB.id},50\n`;
  const scored = await repeatedUntilAnswered(async () =>
    api().post(`/api/v1/training-plans/${planId}/follow-up/scores`).set(as('trainer')).set('Idempotency-Key', 'table-of-500').set('Content-Type', 'text/csv').send(csv),
  );
  expect(scored.status).toBe(200);
  expect(scored.body).toMatchObject({ recorded: 2, retests: [people.collectorB.id] });
  await taskOf(participantFlow(planId, 'collectorB'), 'followup_retest', people.collectorB.id);
  expectProblem(await api().post(`/api/v1/training-plans/${planId}/follow-up/scores`).set(as('trainer')).send({ scores: [{ employeeId: people.collectorA.id, score: 95 }] }), 422);
  expect((await api().post(`/api/v1/training-plans/${planId}/follow-up/scores`).set(as('trainer')).send({ scores: [{ employeeId: people.collectorB.id, score: 60 }] })).status).toBe(200);
  const coachingTask = await taskOf(participantFlow(planId, 'collectorB'), 'followup_coaching', people.collectionHead.id);
  expect(coachingTask.title).toContain('knowledge');
  const logged = await api().post(toParticipant(planId, 'collectorB', 'coaching-sessions')).set(as('collectionHead')).send({ heldOn: '2026-12-01', minutes: 45, notes: '逐条练习话术 practised the scripts' });
  expect(logged.body).toMatchObject({ sessions: 1, required: 1 });
  const recheck = await taskOf(participantFlow(planId, 'collectorB'), 'followup_recheck', people.collectionHead.id);
  await decide(recheck.id, 'collectionHead', 'still_below', '仍需提高 needs more');
  const told = await eventually(async () => (await stack.db.notification.findFirst({ where: { template: 'followup_still_below', flowId: participantFlow(planId, 'collectorB') } })) ?? undefined, 'HR told');
  expect(told).toMatchObject({ recipientId: people.hrOfficer.id, critical: true });

  // Checkpoint 2 goes unanswered by collectorA (their last answers count); then the head records the results.
  const results = await taskOf(followUp.flowId, 'followup_results', people.collectionHead.id);
  expect(results).toBeDefined();
  expectProblem(await api().post(`/api/v1/training-plans/${planId}/follow-up/results`).set(as('collectionHead')).send({ actuals: [{ metric: 'complaints', actual: 3 }] }), 422);
  expect((await api().post(`/api/v1/training-plans/${planId}/follow-up/results`).set(as('collectionHead')).send({ actuals: [{ metric: 'collection_rate_90d', actual: 58.5 }] })).status).toBe(200);

  // The report: stored as computed; collectorA is proposed for recognition, HR approves.
  const recognition = await taskOf(followUp.flowId, 'followup_recognition', people.hrOfficer.id);
  const report = (await api().get(`/api/v1/training-plans/${planId}/follow-up/report`).set(as('hrOfficer'))).body;
  expect(report).toMatchObject({ participants: 2, knowledge: { scored: 2, retested: 1, passRate: 0.5 }, coached: 1, stillBelow: 1, costPerParticipantFen: 600_000 });
  expect(report.results.targets).toEqual([expect.objectContaining({ metric: 'collection_rate_90d', target: 65, actual: 58.5, achievement: 0.9 })]);
  const a = report.people.find((p: { employeeId: string }) => p.employeeId === people.collectorA.id);
  expect(a).toMatchObject({ reaction: 5, knowledge: { score: 92, passed: true }, application: 5, behaviour: { baseline: 2.5, observed: 4.5, change: 2 } });
  expect(report.topPerformers).toEqual([expect.objectContaining({ employeeId: people.collectorA.id })]);
  await decide(recognition.id, 'hrOfficer', 'approve');
  await eventually(async () => ((await stack.db.followUp.findUnique({ where: { id: followUp.id } }))?.status === 'completed' ? true : undefined), 'the follow-up completed');
  expect(await stack.db.notification.count({ where: { template: 'followup_recognised', recipientId: people.collectorA.id, flowId: followUp.flowId } })).toBe(1);

  // The CSV download, and the lessons on the department's next plan (every module rated below 4.6).
  const download = await api().get(`/api/v1/training-plans/${planId}/follow-up/report.csv`).set(as('hrOfficer'));
  expect(download.type).toBe('text/csv');
  expect(download.text).toContain(people.collectorA.name);
  const next = await api().post('/api/v1/training-plans').set(as('hrOfficer')).send({ title: '下一期 Next', departmentId: 'dept-collection' });
  const shown = await api().get(`/api/v1/training-plans/${next.body.id}`).set(as('hrOfficer'));
  expect(shown.body.lessons).toEqual(expect.arrayContaining([expect.objectContaining({ planId, module: SCRIPTS, rating: 4.5 })]));
}, 240_000);

test('sessions that name their modules start, and the evaluation rates each module by the feedback of the sessions that covered it', async () => {
  const settings = { checkpoints: ['PT5S'], answerWithin: 'PT20S' };
  const byModule = [
    { modules: [1], ratings: { collectorA: 5, collectorB: 5 } },
    { modules: [2], ratings: { collectorA: 2, collectorB: 3 } },
  ];
  const { planId, followUp } = await programme(settings, undefined, byModule);
  const plan = (await api().get(`/api/v1/training-plans/${planId}`).set(as('hrOfficer'))).body;
  expect(plan.sessions).toHaveLength(2);
  expect(await stack.db.flow.count({ where: { type: 'training_session', businessKey: { in: plan.sessions.map((s: { id: string }) => s.id) }, status: 'stalled' } })).toBe(0);

  // Both attendees of both sessions: baselines, scores, the one checkpoint, then the results.
  await eventually(async () => ((await stack.db.followUpParticipant.count({ where: { followUpId: followUp.id } })) === 2 ? true : undefined), 'two participants');
  for (const who of ['collectorA', 'collectorB'] as Who[]) {
    await taskOf(participantFlow(planId, who), 'followup_baseline', people.collectionHead.id);
    expect((await api().post(toParticipant(planId, who, 'baseline')).set(as('collectionHead')).send({ levels: { [SCRIPTS]: 2, [REGULATIONS]: 2 } })).status).toBe(200);
  }
  await taskOf(followUp.flowId, 'followup_scores', people.trainer.id);
  const scores = [{ employeeId: people.collectorA.id, score: 90 }, { employeeId: people.collectorB.id, score: 80 }];
  expect((await api().post(`/api/v1/training-plans/${planId}/follow-up/scores`).set(as('trainer')).send({ scores })).status).toBe(200);
  for (const who of ['collectorA', 'collectorB'] as Who[]) {
    await taskOf(participantFlow(planId, who), 'followup_application', people[who].id);
    expect((await api().post(toParticipant(planId, who, 'application')).set(as(who)).send({ level: 4, examples: '用上了 applied' })).status).toBe(200);
    expect((await api().post(toParticipant(planId, who, 'behaviour')).set(as('collectionHead')).send({ levels: { [SCRIPTS]: 4, [REGULATIONS]: 4 } })).status).toBe(200);
  }
  await taskOf(followUp.flowId, 'followup_results', people.collectionHead.id);
  expect((await api().post(`/api/v1/training-plans/${planId}/follow-up/results`).set(as('collectionHead')).send({ actuals: [{ metric: 'collection_rate_90d', actual: 70 }] })).status).toBe(200);

  const report = await eventually(async () => {
    const res = await api().get(`/api/v1/training-plans/${planId}/follow-up/report`).set(as('hrOfficer'));
    return res.status === 200 ? res.body : undefined;
  }, 'the report');
  expect(report.modules).toEqual([
    expect.objectContaining({ no: 1, title: SCRIPTS, rating: 5, responses: 2 }),
    expect.objectContaining({ no: 2, title: REGULATIONS, rating: 2.5, responses: 2 }),
  ]);
}, 240_000);

test('a programme of 500 participants stays inside a forced low history limit: it continues as new between hand-overs, open tasks and all, and nobody is started or scored twice', async () => {
  const crowd = Array.from({ length: 500 }, (_, i) => ({ id: `crowd-${i}`, employeeNo: `CR${String(i).padStart(4, '0')}`, name: `学员 ${i}`, email: `crowd-${i}@example.test`, departmentId: 'dept-collection', managerId: people.collectionHead.id }));
  await stack.db.employee.createMany({ data: crowd });
  const ids = crowd.map((c) => c.id);
  // Every baseline from the needs assessment, so the participants' flows wait quietly for their checkpoint.
  const needsAssessmentId = await needsAssessmentObserving({ negotiation: 2 }, ids);
  const limit = 200;
  const { planId, flowId, join } = await startProgramme(stack, { checkpoints: ['P30D'], historyLimit: limit }, { needsAssessmentId, competencies: ['negotiation'] });
  // Two sessions, ten people in both.
  await join(ids.slice(0, 260));
  await join(ids.slice(250));
  await eventually(async () => ((await stack.db.followUpParticipant.count({ where: { followUpId: planId } })) === 500 ? true : undefined), 'every participant enrolled', 120_000);
  await eventually(async () => ((await stack.db.flow.count({ where: { type: 'follow_up_participant', businessKey: { startsWith: planId } } })) === 500 ? true : undefined), 'every participant following up', 120_000);

  // The whole table at once, as a CSV upload; sent again on a 503, as the API advises a client.
  const csv = ['employeeId,score', ...ids.map((id, i) => `${id},${60 + (i % 40)}`)].join('\n');
  const scored = await repeatedUntilAnswered(() =>
    api().post(`/api/v1/training-plans/${planId}/follow-up/scores`).set(as('trainer')).set('Idempotency-Key', `scores-${planId}`).set('Content-Type', 'text/csv').send(csv),
  );
  expect(scored.body).toMatchObject({ recorded: 500, retests: [] });
  // The trainer the programme asks for scores reads it whole, though no session of this plan names them.
  const read = await api().get(`/api/v1/training-plans/${planId}/follow-up`).set(as('trainer'));
  expect([read.status, read.body.participants?.length]).toEqual([200, 500]);
  expectProblem(await api().get(`/api/v1/training-plans/${planId}/follow-up`).set(as('engineer')), 403);
  await eventually(async () => ((await stack.db.task.count({ where: { flowId, type: 'followup_scores', status: 'open' } })) === 0 ? true : undefined), 'both score tasks done', 120_000);
  // Each score task was opened by one run and closed by a later one: two rows, each closed once.
  expect(await stack.db.task.count({ where: { flowId, type: 'followup_scores', status: 'done' } })).toBe(2);
  expect(await stack.db.auditEvent.count({ where: { flowId, action: 'task.opened' } })).toBe(2);
  const again = await api().post(`/api/v1/training-plans/${planId}/follow-up/scores`).set(as('trainer')).send({ scores: [{ employeeId: ids[7], score: 90 }] });
  expectProblem(again, 422);
  expect(again.body.errors).toEqual([{ field: 'scores.0.employeeId', reason: 'already passed' }]);

  // Several runs, none taking up a second hand-over past the limit: past it, a run starts the
  // flows of one hand-over's attendees at most (260). Each start is two events, and may bring a
  // workflow task of its own (three more): how the server batches them depends on timing.
  const runs = [];
  for await (const run of stack.client.workflow.list({ query: `WorkflowId = '${flowId}'` })) runs.push(run);
  expect(runs.length).toBeGreaterThan(1);
  const histories = await Promise.all(runs.map(async (r) => (await stack.client.workflow.getHandle(flowId, r.runId).fetchHistory()).events!));
  const startedPastLimit = histories.map((events) => events.slice(limit).filter((e) => e.startChildWorkflowExecutionInitiatedEventAttributes).length);
  expect(Math.max(...startedPastLimit)).toBeLessThanOrEqual(260);
  expect(Math.max(...histories.map((events) => events.length))).toBeLessThan(limit + 5 * 260 + 50);
  expect(await stack.db.knowledgeScore.count({ where: { followUpId: planId } })).toBe(500);
  expect(await stack.db.auditEvent.count({ where: { flowId: { startsWith: `${flowId}:` }, action: 'flow.started' } })).toBe(500);
  expect((await stack.db.followUpParticipant.findUniqueOrThrow({ where: { followUpId_employeeId: { followUpId: planId, employeeId: ids[255]! } } })).sessionIds).toHaveLength(2);
  console.log(`500 participants: ${runs.length} runs of the programme's flow, history lengths ${histories.map((events) => events.length).join(', ')} (limit ${limit})`);
  await stack.client.workflow.getHandle(flowId).terminate('test done');
}, 300_000);

/** A needs cycle the plan answers, in which the manager observed these levels of collectorA (or of everyone named). */
async function needsAssessmentObserving(levels: Record<string, number>, observed: string[] = [people.collectorA.id]) {
  const cycleId = crypto.randomUUID();
  await stack.db.needsCycle.create({
    data: {
      id: cycleId,
      flowId: `needs-analysis:${cycleId}`,
      name: '需求 Needs',
      departmentId: 'dept-collection',
      participantIds: [people.collectorA.id, people.collectorB.id],
      competencies: [{ key: 'negotiation', name: 'Negotiation', requiredLevel: 4 }, { key: 'regulations', name: 'Regulations', requiredLevel: 4 }],
      surveyDeadline: new Date(),
      status: 'confirmed',
      headId: people.collectionHead.id,
      hrId: people.hrOfficer.id,
      startedById: people.hrOfficer.id,
      observations: { createMany: { data: observed.map((participantId) => ({ participantId, observerId: people.collectionHead.id, observedLevels: levels })) } },
      assessments: { create: { version: 1, analysis: {} } },
    },
  });
  return (await stack.db.needsAssessment.findFirstOrThrow({ where: { cycleId } })).id;
}

const openTask = (flowId: string, type: string) => stack.db.task.findFirst({ where: { flowId, type, status: 'open' } });
const send = (path: string, who: Who, body: object) => api().post(path).set(as(who)).send(body);

test('behaviour change against the needs-assessment baseline and one the manager gives; a passed retest needs no coaching; recognition declined', async () => {
  const needsAssessmentId = await needsAssessmentObserving({ negotiation: 2, regulations: 3 });
  const { planId, flowId, join } = await startProgramme(stack, { checkpoints: ['PT3S'], answerWithin: 'PT20S', recognitionBar: 50 }, { needsAssessmentId });
  await join(idsOf('collectorA', 'collectorB'));
  const a = participantFlow(planId, 'collectorA');
  const b = participantFlow(planId, 'collectorB');

  // collectorA's baseline comes from the needs assessment; collectorB's manager gives one.
  await taskOf(b, 'followup_baseline', people.collectionHead.id);
  expect((await stack.db.followUpParticipant.findUniqueOrThrow({ where: { followUpId_employeeId: { followUpId: planId, employeeId: people.collectorA.id } } }))).toMatchObject({ baselineSource: 'needs_assessment', baseline: { negotiation: 2, regulations: 3 } });
  expect(await stack.db.task.count({ where: { flowId: a, type: 'followup_baseline' } })).toBe(0);
  expect((await send(toParticipant(planId, 'collectorB', 'baseline'), 'collectionHead', { levels: { negotiation: 3 } })).status).toBe(200);

  // collectorA fails, retakes and passes: no coaching.
  await taskOf(flowId, 'followup_scores', people.trainer.id);
  expect((await send(`/api/v1/training-plans/${planId}/follow-up/scores`, 'trainer', { scores: [{ employeeId: people.collectorA.id, score: 50 }, { employeeId: people.collectorB.id, score: 88 }] })).body).toMatchObject({ retests: [people.collectorA.id] });
  const retest = await taskOf(a, 'followup_retest', people.collectorA.id);
  expect((await send(`/api/v1/training-plans/${planId}/follow-up/scores`, 'trainer', { scores: [{ employeeId: people.collectorA.id, score: 81 }] })).status).toBe(200);
  await eventually(async () => ((await stack.db.task.findUnique({ where: { id: retest.id } }))?.status === 'done' ? true : undefined), 'the retest done');

  // The checkpoint: the change is measured against each baseline.
  for (const [who, levels, expected] of [['collectorA', { negotiation: 4, regulations: 4 }, 1.5], ['collectorB', { negotiation: 4 }, 1]] as const) {
    await taskOf(participantFlow(planId, who), 'followup_behaviour', people.collectionHead.id);
    expect((await send(toParticipant(planId, who, 'application'), who, { level: 4, examples: '用在电话催收 on every call' })).status).toBe(200);
    expect((await send(toParticipant(planId, who, 'behaviour'), 'collectionHead', { levels })).body).toMatchObject({ checkpointNo: 1, change: expected });
  }
  const results = await taskOf(flowId, 'followup_results', people.collectionHead.id);
  expect(results.assigneeId).toBe(people.collectionHead.id);
  expect((await send(`/api/v1/training-plans/${planId}/follow-up/results`, 'collectionHead', { actuals: [{ metric: 'collection_rate_90d', actual: 70 }] })).status).toBe(200);

  // Both are proposed; HR declines, and that is what is on record.
  const recognition = await taskOf(flowId, 'followup_recognition', people.hrOfficer.id);
  await decide(recognition.id, 'hrOfficer', 'decline');
  const done = await eventually(async () => {
    const f = await stack.db.followUp.findUnique({ where: { id: planId } });
    return f?.status === 'completed' ? f : undefined;
  }, 'the programme closed');
  expect(done.recognition).toMatchObject({ decision: 'decline', actorId: people.hrOfficer.id });
  expect(await stack.db.notification.count({ where: { flowId, template: 'followup_recognised' } })).toBe(0);
  expect(await stack.db.auditEvent.count({ where: { flowId, action: 'followup.recognition_declined' } })).toBe(1);
  const report = (await api().get(`/api/v1/training-plans/${planId}/follow-up/report`).set(as('hrDirector'))).body;
  const personA = report.people.find((p: { employeeId: string }) => p.employeeId === people.collectorA.id);
  expect(personA).toMatchObject({ knowledge: { score: 81, passed: true, retested: true }, behaviour: { change: 1.5 }, coached: false });
  expect(await stack.db.task.count({ where: { flowId: { in: [a, b] }, type: 'followup_coaching' } })).toBe(0);
  expect((await stack.db.flow.findUniqueOrThrow({ where: { id: a } })).status).toBe('completed');
}, 120_000);

test('coaching by a named mentor, behind its minimum, is chased, then the manager re-checks; the worker killed while a baseline is written loses and doubles nothing', async () => {
  const chasing = { followup_coaching: { remindAfter: 'PT1S', remindEvery: 'PT1S', maxReminders: 1, escalateAfter: 'PT10M', escalateTo: ['hr' as const] } };
  const { planId, flowId, join } = await startProgramme(stack, { checkpoints: ['PT2S'], answerWithin: 'PT30S', coachingSessions: 1, applicationBelow: 3 }, { chasing, competencies: ['negotiation'] });
  await join(idsOf('collectorC'));
  const c = participantFlow(planId, 'collectorC');
  const baselineTask = await taskOf(c, 'followup_baseline', people.collectionHead.id);

  await onKillableWorker(stack, async (worker) => {
    // The manager's app repeats the request with the same key after a 503, as the API asks.
    const giving = async () => api().post(toParticipant(planId, 'collectorC', 'baseline')).set(as('collectionHead')).set('Idempotency-Key', 'baseline-1').send({ levels: { negotiation: 2 } });
    const first = await worker.killMidWrite('SELECT 1 FROM follow_up_participant WHERE follow_up_id = $1 AND employee_id = $2 FOR UPDATE', [planId, people.collectorC.id], giving);
    expect([200, 503]).toContain(first.status);
    if (first.status === 503) expect((await giving()).status).toBe(200);
  });
  await eventually(async () => ((await stack.db.task.findUnique({ where: { id: baselineTask.id } }))?.status === 'done' ? true : undefined), 'the baseline task done');
  expect(await stack.db.auditEvent.count({ where: { flowId: c, action: 'followup.baseline' } })).toBe(1);

  // HR names a mentor; at the checkpoint, applying it hardly at all starts coaching by the mentor.
  expect((await send(toParticipant(planId, 'collectorC', 'mentor'), 'hrOfficer', { mentorId: people.serviceHead.id })).status).toBe(200);
  await taskOf(c, 'followup_application', people.collectorC.id);
  expect((await send(toParticipant(planId, 'collectorC', 'application'), 'collectorC', { level: 1, examples: '还没用上 not yet' })).status).toBe(200);
  expect((await send(toParticipant(planId, 'collectorC', 'behaviour'), 'collectionHead', { levels: { negotiation: 3 } })).status).toBe(200);
  const coaching = await taskOf(c, 'followup_coaching', people.serviceHead.id);
  expect(coaching.title).toContain('application');
  expectProblem(await send(toParticipant(planId, 'collectorC', 'mentor'), 'hrOfficer', { mentorId: people.engineeringHead.id }), 409);
  await eventually(async () => ((await stack.db.auditEvent.count({ where: { taskId: coaching.id, action: 'task.reminded' } })) === 1 ? true : undefined), 'the coach reminded');
  expectProblem(await send(toParticipant(planId, 'collectorC', 'coaching-sessions'), 'collectionHead', { heldOn: '2026-12-02', minutes: 30, notes: 'x' }), 403);
  expect((await send(toParticipant(planId, 'collectorC', 'coaching-sessions'), 'serviceHead', { heldOn: '2026-12-02', minutes: 30, notes: '角色扮演 role play' })).body).toMatchObject({ sessions: 1, required: 1 });
  const recheck = await taskOf(c, 'followup_recheck', people.collectionHead.id);
  await decide(recheck.id, 'collectionHead', 'improved');
  await eventually(async () => ((await stack.db.followUpParticipant.findUnique({ where: { followUpId_employeeId: { followUpId: planId, employeeId: people.collectorC.id } } }))?.recheck === 'improved' ? true : undefined), 'the re-check on record');
  expect(await stack.db.notification.count({ where: { flowId: c, template: 'followup_still_below' } })).toBe(0);
  expect(await stack.db.coachingSession.count({ where: { followUpId: planId, employeeId: people.collectorC.id } })).toBe(1);
  expect(await openTask(flowId, 'followup_recognition')).toBeNull();
}, 120_000);

test('the programme waits for the plan\'s later sessions; once the last one is cancelled it reports and closes', async () => {
  const { planId, flowId, join } = await startProgramme(stack, { checkpoints: ['PT2S'], answerWithin: 'PT1S', recognitionBar: 100 });
  const later = await send(`/api/v1/training-plans/${planId}/sessions`, 'hrOfficer', { title: '补课 Repeat', startsAt: inSeconds(86_400), endsAt: inSeconds(90_000) });
  expect(later.status).toBe(201);
  await join(idsOf('collectorA'));
  // Nobody answers: collectorA's follow-up closes with what came in, so do the scores and the results.
  await eventually(async () => ((await stack.db.followUpParticipant.findFirst({ where: { followUpId: planId, status: 'completed' } })) ? true : undefined), 'collectorA done');
  await eventually(async () => ((await stack.client.workflow.getHandle(flowId).query(flowState)).step.startsWith('waiting') ? true : undefined), 'waiting for the later session');
  expect((await stack.db.followUp.findUniqueOrThrow({ where: { id: planId } })).report).toBeNull();

  expect((await send(`/api/v1/training-sessions/${later.body.sessionId}/cancel`, 'hrOfficer', { reason: '无人报名 nobody left to train' })).status).toBe(200);
  const closed = await eventually(async () => {
    const f = await stack.db.followUp.findUnique({ where: { id: planId } });
    return f?.status === 'completed' ? f : undefined;
  }, 'the programme reported and closed');
  expect(closed.report).toMatchObject({ participants: 1, people: [expect.objectContaining({ employeeId: people.collectorA.id, missing: expect.arrayContaining(['test score', 'application']) })] });
}, 90_000);

describe('the API', () => {
  test('bad input, missing token and wrong role', async () => {
    const { planId, flowId, join } = await startProgramme(stack, { checkpoints: ['P30D'] });
    await join(idsOf('collectorA', 'collectorB'));
    await taskOf(flowId, 'followup_scores', people.trainer.id);
    const scores = `/api/v1/training-plans/${planId}/follow-up/scores`;

    expectProblem(await api().get(`/api/v1/training-plans/${planId}/follow-up`), 401);
    expectProblem(await api().get('/api/v1/training-plans/not-a-plan/follow-up').set(as('hrOfficer')), 400, ['params.id']);
    expectProblem(await api().get(`/api/v1/training-plans/${crypto.randomUUID()}/follow-up`).set(as('hrOfficer')), 404);
    expectProblem(await api().get(`/api/v1/training-plans/${planId}/follow-up`).set(as('collectorC')), 403);
    expectProblem(await api().get(`/api/v1/training-plans/${planId}/follow-up/report`).set(as('hrOfficer')), 409);
    expectProblem(await api().get(`/api/v1/training-plans/${planId}/follow-up/report.csv`).set(as('collectorA')), 409);
    expectProblem(await api().get(`/api/v1/training-plans/${planId}/follow-up/report.csv`).set(as('collectorC')), 403);

    // A score out of range, a CSV with bad rows (every one named), a non-participant, the wrong role: nothing written.
    expectProblem(await send(scores, 'trainer', { scores: [{ employeeId: people.collectorA.id, score: 101 }] }), 400, ['scores.0.score']);
    const badCsv = await api().post(scores).set(as('trainer')).set('Content-Type', 'text/csv').send(`employeeId,score\n${people.collectorA.id},88\n${people.collectorB.id},abc\n,70\n`);
    expectProblem(badCsv, 400, ['csv line 3, score', 'csv line 4, employeeId']);
    const stranger = await send(scores, 'trainer', { scores: [{ employeeId: people.collectorA.id, score: 88 }, { employeeId: people.engineer.id, score: 70 }] });
    expectProblem(stranger, 422);
    expect(stranger.body.errors).toEqual([{ field: 'scores.1.employeeId', reason: 'not a participant of this programme' }]);
    expectProblem(await send(scores, 'collectorA', { scores: [{ employeeId: people.collectorA.id, score: 100 }] }), 403);
    expect(await stack.db.knowledgeScore.count({ where: { followUpId: planId } })).toBe(0);

    // Results before they are asked; someone else's survey; a mentor who does not exist; roles.
    expectProblem(await send(`/api/v1/training-plans/${planId}/follow-up/results`, 'collectionHead', { actuals: [{ metric: 'collection_rate_90d', actual: 1 }] }), 409);
    expectProblem(await send(`/api/v1/training-plans/${planId}/follow-up/results`, 'collectorA', { actuals: [{ metric: 'collection_rate_90d', actual: 1 }] }), 403);
    expectProblem(await send(toParticipant(planId, 'collectorA', 'application'), 'collectorA', { level: 6, examples: '' }), 400, ['level', 'examples']);
    expectProblem(await send(toParticipant(planId, 'collectorA', 'application'), 'collectorA', { level: 4, examples: 'x' }), 409);
    expectProblem(await send(toParticipant(planId, 'collectorC', 'application'), 'collectorC', { level: 4, examples: 'x' }), 404);
    expectProblem(await send(toParticipant(planId, 'collectorA', 'behaviour'), 'collectorB', { levels: { negotiation: 3 } }), 403);
    expectProblem(await send(toParticipant(planId, 'collectorA', 'mentor'), 'hrOfficer', { mentorId: 'nobody' }), 422, ['mentorId']);
    expectProblem(await send(toParticipant(planId, 'collectorA', 'mentor'), 'collectionHead', { mentorId: people.serviceHead.id }), 403);
    expect((await send(toParticipant(planId, 'collectorA', 'mentor'), 'hrOfficer', { mentorId: people.serviceHead.id })).body).toMatchObject({ mentorId: people.serviceHead.id });

    // Two trainers send a score for the same participant at once: one is taken, the other refused.
    const both = await Promise.all([send(scores, 'trainer', { scores: [{ employeeId: people.collectorB.id, score: 90 }] }), send(scores, 'hrOfficer', { scores: [{ employeeId: people.collectorB.id, score: 85 }] })]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 422]);
    expect(both.find((r) => r.status === 422)!.body.errors).toEqual([{ field: 'scores.0.employeeId', reason: 'already passed' }]);
    expect(await stack.db.knowledgeScore.count({ where: { followUpId: planId, employeeId: people.collectorB.id } })).toBe(1);

    // Staff see everyone; a participant sees their own row only.
    expect((await api().get(`/api/v1/training-plans/${planId}/follow-up`).set(as('hrOfficer'))).body.participants).toHaveLength(2);
    const own = (await api().get(`/api/v1/training-plans/${planId}/follow-up`).set(as('collectorB'))).body;
    expect(own.participants).toEqual([expect.objectContaining({ employeeId: people.collectorB.id })]);
  });
});
