/**
 * Training needs analysis over HTTP, on a real Temporal server and a real database.
 */
import { analyseNeeds } from '../domain/needsAnalysis';
import { eventually, people } from './support/fixtures';
import { apiTestStack, type Who } from './support/http';

const { stack, as, api } = apiTestStack();
const collectors: Who[] = ['collectorA', 'collectorB', 'collectorC'];
const competencies = [
  { key: 'negotiation', name: '谈判沟通 Negotiation', requiredLevel: 4 },
  { key: 'regulations', name: '法规 Regulations', requiredLevel: 3 },
  { key: 'systems', name: '系统操作 Systems', requiredLevel: 3 },
];

async function startCycle(o: { deadlineIn?: number; settings?: object } = {}) {
  const res = await api()
    .post('/api/v1/needs-cycles')
    .set(as('hrOfficer'))
    .send({
      name: '2027 催收员需求调研',
      departmentId: 'dept-collection',
      participantIds: collectors.map((c) => people[c].id),
      competencies,
      surveyDeadline: new Date(Date.now() + (o.deadlineIn ?? 60) * 1000).toISOString(),
      settings: o.settings ?? { needs: { minResponseRate: 0.8, surveyExtension: 'PT4S' } },
    });
  expect(res.status).toBe(202);
  // Read-your-writes: the answer comes once the cycle is on record.
  expect((await view(res.body.cycleId)).status).toBe(200);
  return res.body as { cycleId: string; flowId: string };
}

const view = (cycleId: string, who: Who = 'hrOfficer') => api().get(`/api/v1/needs-cycles/${cycleId}`).set(as(who));
async function viewWhen(cycleId: string, ready: (v: any) => boolean, what: string) {
  return eventually(async () => {
    const res = await view(cycleId);
    return res.status === 200 && ready(res.body) ? res.body : undefined;
  }, what);
}
const openTasks = (cycleId: string, type: string, count: number) =>
  viewWhen(cycleId, (v) => v.openTasks.filter((t: any) => t.type === type).length === count, `${count} open ${type}`).then((v) => v.openTasks.filter((t: any) => t.type === type));

const ratings = {
  collectorA: { self: { negotiation: 3, regulations: 2, systems: 4 }, observed: { negotiation: 2, regulations: 2, systems: 3 } },
  collectorB: { self: { negotiation: 4, regulations: 3, systems: 3 }, observed: { negotiation: 3, regulations: 3, systems: 4 } },
  collectorC: { self: { negotiation: 2, regulations: 3, systems: 2 }, observed: { negotiation: 2, regulations: 1 } },
} as const;

async function answerAll(cycleId: string, who: Who[] = collectors) {
  for (const c of who) {
    await api().post(`/api/v1/needs-cycles/${cycleId}/survey`).set(as(c)).send({ selfRatings: ratings[c as keyof typeof ratings].self, needs: '想提高谈判能力', preferredFormats: ['role_play'] }).expect(200);
    await api().post(`/api/v1/needs-cycles/${cycleId}/observations`).set(as('collectionHead')).send({ participantId: people[c].id, observedLevels: ratings[c as keyof typeof ratings].observed }).expect(200);
  }
}

async function confirmAll(cycleId: string, version: number) {
  const approvals = await openTasks(cycleId, 'needs_approval', 2);
  for (const t of approvals) await api().post(`/api/v1/tasks/${t.id}/decision`).set({ Authorization: `Bearer ${await stack.token(t.assigneeId)}` }).send({ decision: 'approve' }).expect(200);
  const own = await openTasks(cycleId, 'needs_confirm_own', 3);
  for (const c of collectors) {
    const t = own.find((x: any) => x.assigneeId === people[c].id);
    expect(t.payload.version).toBe(version);
    await api().post(`/api/v1/tasks/${t.id}/decision`).set(as(c)).send({ decision: 'confirm', comment: c === 'collectorA' ? '也希望学习法律知识' : undefined }).expect(200);
  }
}

test('a full cycle: surveys and observations, analysis stored as computed, confirmation, then a plan draft from it', async () => {
  const { cycleId } = await startCycle();
  await openTasks(cycleId, 'needs_survey', 3);

  // Wrong answers are refused: out of range, unknown competencies, the wrong person.
  const bad = await api().post(`/api/v1/needs-cycles/${cycleId}/survey`).set(as('collectorA')).send({ selfRatings: { negotiation: 6 } });
  expect(bad.status).toBe(400);
  expect(bad.body.errors.map((e: any) => e.field)).toContain('selfRatings.negotiation');
  const unknown = await api().post(`/api/v1/needs-cycles/${cycleId}/survey`).set(as('collectorA')).send({ selfRatings: { cooking: 3 } });
  expect(unknown.status).toBe(422);
  expect(unknown.body.detail).toContain('cooking');
  expect((await api().post(`/api/v1/needs-cycles/${cycleId}/survey`).set(as('engineer')).send({ selfRatings: { negotiation: 3 } })).status).toBe(403);
  expect((await api().post(`/api/v1/needs-cycles/${cycleId}/observations`).set(as('serviceHead')).send({ participantId: people.collectorA.id, observedLevels: { negotiation: 3 } })).status).toBe(403);
  expect((await api().post(`/api/v1/needs-cycles/${cycleId}/survey`).set(as('collectorA')).send({ selfRatings: { negotiation: 3 }, preferredFormats: ['karaoke'] })).status).toBe(400);

  // Two career plans want regulations, one also leadership, which the cycle does not assess.
  const plans = { collectorA: ['regulations', 'leadership'], collectorB: ['regulations'] } as const;
  for (const [who, keys] of Object.entries(plans)) {
    await api().put('/api/v1/career-plans/me').set(as(who as Who)).send({ revision: 0, goals: '成为催收主管 Lead a team', wantedSkills: keys.map((key) => ({ key, name: key })) }).expect(200);
  }
  await answerAll(cycleId);
  const stored = await viewWhen(cycleId, (v) => v.analysis !== null, 'the analysis');
  expect(stored.responseRate).toMatchObject({ surveys: 1, observations: 1 });
  // Shown exactly as the pure function computes it from the same answers.
  const expected = analyseNeeds({
    competencies,
    participants: collectors.map((c) => people[c].id),
    selfRatings: Object.fromEntries(collectors.map((c) => [people[c].id, ratings[c as keyof typeof ratings].self])),
    observations: Object.fromEntries(collectors.map((c) => [people[c].id, ratings[c as keyof typeof ratings].observed])),
    careerWants: Object.fromEntries(Object.entries(plans).map(([who, keys]) => [people[who as Who].id, [...keys]])),
  });
  expect(stored.analysis).toEqual(JSON.parse(JSON.stringify(expected)));
  expect(stored.analysis.competencies.map((c: any) => [c.key, c.wantedBy])).toEqual([['negotiation', 0], ['regulations', 2], ['systems', 0]]);
  expect(stored.analysis.wantedOutsideCycle).toEqual([{ key: 'leadership', wantedBy: 1 }]);
  expect(stored.analysis.rankedNeeds.map((n: any) => n.key)).toEqual(['negotiation', 'regulations']);

  const early = await api().post('/api/v1/training-plans').set(as('hrOfficer')).send({ title: '需求驱动的计划', departmentId: 'dept-collection', needsAssessmentId: cycleId });
  expect(early.status).toBe(422);
  expect(early.body.errors[0].field).toBe('needsAssessmentId');

  await confirmAll(cycleId, 1);
  const confirmed = await viewWhen(cycleId, (v) => v.status === 'confirmed', 'confirmation');
  expect(confirmed.confirmations.approvals.map((a: any) => a.outcome)).toEqual(['approve', 'approve']);
  expect(confirmed.confirmations.participants.filter((p: any) => p.outcome === 'confirm')).toHaveLength(3);

  const plan = await api().post('/api/v1/training-plans').set(as('hrOfficer')).send({ title: '2027 催收技能提升', departmentId: 'dept-collection', needsAssessmentId: cycleId });
  expect(plan.status).toBe(201);
  expect(plan.body.needsAssessmentId).toBe(cycleId);
  expect(plan.body.draft.objectives.targets.map((t: any) => [t.metric, t.target])).toEqual([
    ['negotiation_observed_level', 4],
    ['regulations_observed_level', 3],
  ]);
  // Its participants, who will attend the plan's sessions, are the assessment's.
  expect([...plan.body.draft.participantIds].sort()).toEqual(collectors.map((c) => people[c].id).sort());
});

test('low response: HR proceeds with what came in', async () => {
  const { cycleId } = await startCycle({ deadlineIn: 3 });
  await openTasks(cycleId, 'needs_survey', 3);
  await answerAll(cycleId, ['collectorA']);
  const [decision] = await openTasks(cycleId, 'needs_low_response', 1);
  expect(decision.assigneeId).toBe(people.hrOfficer.id);
  expect((await view(cycleId)).body.openTasks.filter((t: any) => t.type === 'needs_survey')).toHaveLength(0);
  expect((await api().post(`/api/v1/needs-cycles/${cycleId}/low-response`).set(as('collectorA')).send({ choice: 'proceed' })).status).toBe(403);
  await api().post(`/api/v1/needs-cycles/${cycleId}/low-response`).set(as('hrOfficer')).send({ choice: 'proceed' }).expect(200);
  const analysed = await viewWhen(cycleId, (v) => v.analysis !== null, 'the analysis');
  expect(analysed.analysis.responseRate.surveys).toBeCloseTo(1 / 3, 3);
  expect(analysed.extended).toBe(false);
  // Survey tasks of those who did not answer were cancelled at the deadline.
  const surveys = await stack.db.task.findMany({ where: { flowId: `needs:${cycleId}`, type: 'needs_survey' } });
  expect(surveys.map((t) => t.status).sort()).toEqual(['cancelled', 'cancelled', 'done']);
});

test('low response: HR extends once, the rest answer, and non-responders were chased', async () => {
  const chasing = { needs_survey: { remindAfter: 'PT1S', remindEvery: 'PT1S', maxReminders: 2, escalateAfter: 'PT1H', escalateTo: [] } };
  const { cycleId, flowId } = await startCycle({ deadlineIn: 4, settings: { needs: { minResponseRate: 0.8, surveyExtension: 'PT30S' }, chasing } });
  await openTasks(cycleId, 'needs_survey', 3);
  await answerAll(cycleId, ['collectorA']);
  await openTasks(cycleId, 'needs_low_response', 1);
  const reminded = await stack.db.auditEvent.findMany({ where: { flowId, action: 'task.reminded' } });
  // Each of the two who did not answer: one and two seconds after the survey opened, before its deadline.
  expect(reminded.map((e) => (e.payload as { to: string }).to).sort()).toEqual([people.collectorB.id, people.collectorB.id, people.collectorC.id, people.collectorC.id].sort());

  await api().post(`/api/v1/needs-cycles/${cycleId}/low-response`).set(as('hrOfficer')).send({ choice: 'extend' }).expect(200);
  const round2 = await openTasks(cycleId, 'needs_survey', 2);
  expect(round2.map((t: any) => t.assigneeId).sort()).toEqual([people.collectorB.id, people.collectorC.id].sort());
  const extended = (await view(cycleId)).body;
  expect(extended.extended).toBe(true);
  await answerAll(cycleId, ['collectorB', 'collectorC']);
  const analysed = await viewWhen(cycleId, (v) => v.analysis !== null, 'the analysis');
  expect(analysed.analysis.responseRate).toEqual({ surveys: 1, observations: 1 });
});

test('request changes: HR adjusts, a new version is analysed and confirmation repeats', async () => {
  const { cycleId } = await startCycle();
  await openTasks(cycleId, 'needs_survey', 3);
  await answerAll(cycleId);
  const approvals = await openTasks(cycleId, 'needs_approval', 2);
  const head = approvals.find((t: any) => t.assigneeId === people.collectionHead.id);
  await api().post(`/api/v1/tasks/${head.id}/decision`).set(as('collectionHead')).send({ decision: 'request_changes', comment: '系统操作不是今年重点' }).expect(200);
  await openTasks(cycleId, 'needs_adjust', 1);
  // The first round's own confirmations were withdrawn with it.
  expect((await view(cycleId)).body.openTasks.filter((t: any) => t.type === 'needs_confirm_own')).toHaveLength(0);
  const refused = await api().post(`/api/v1/needs-cycles/${cycleId}/adjustment`).set(as('hrOfficer')).send({ excluded: ['cooking'], note: 'x' });
  expect(refused.status).toBe(422);
  await api().post(`/api/v1/needs-cycles/${cycleId}/adjustment`).set(as('hrOfficer')).send({ excluded: ['systems'], requiredLevels: { regulations: 4 }, note: '去掉系统操作，提高法规要求' }).expect(200);

  const v2 = await viewWhen(cycleId, (v) => v.assessments.length === 2, 'version 2');
  expect(v2.assessments[1].adjustment).toMatchObject({ note: '去掉系统操作，提高法规要求' });
  expect(v2.analysis.competencies.map((c: any) => [c.key, c.requiredLevel])).toEqual([['negotiation', 4], ['regulations', 4]]);
  await confirmAll(cycleId, 2);
  await viewWhen(cycleId, (v) => v.status === 'confirmed', 'confirmation');
});

test('a cycle past its history limit continues as a new run before the next analysis, and nothing is lost or doubled', async () => {
  const { cycleId, flowId } = await startCycle({ settings: { needs: { minResponseRate: 0.8, surveyExtension: 'PT4S', historyLimit: 60 } } });
  await openTasks(cycleId, 'needs_survey', 3);
  await answerAll(cycleId);
  const approvals = await openTasks(cycleId, 'needs_approval', 2);
  const head = approvals.find((t: any) => t.assigneeId === people.collectionHead.id);
  await api().post(`/api/v1/tasks/${head.id}/decision`).set(as('collectionHead')).send({ decision: 'request_changes', comment: '去掉系统操作' }).expect(200);
  await openTasks(cycleId, 'needs_adjust', 1);
  await api().post(`/api/v1/needs-cycles/${cycleId}/adjustment`).set(as('hrOfficer')).send({ excluded: ['systems'], note: '去掉系统操作' }).expect(200);
  await confirmAll(cycleId, 2);
  const confirmed = await viewWhen(cycleId, (v) => v.status === 'confirmed', 'confirmation');

  // The run that finished is not the first one; each run stayed near the limit, and the answers
  // carried over produced the stored analysis.
  const last = await stack.client.workflow.getHandle(flowId).describe();
  const firstRunId = last.raw.workflowExecutionInfo!.firstRunId!;
  expect(firstRunId).not.toBe(last.runId);
  const first = await stack.client.workflow.getHandle(flowId, firstRunId).describe();
  expect(first.status.name).toBe('CONTINUED_AS_NEW');
  for (const runId of [firstRunId, last.runId]) expect((await stack.client.workflow.getHandle(flowId, runId).fetchHistory()).events!.length).toBeLessThan(600);
  expect(confirmed.assessments.map((a: any) => a.version)).toEqual([1, 2]);
  expect(confirmed.responseRate).toMatchObject({ responses: 3, observationsSubmitted: 3 });
  expect(confirmed.analysis.competencies.map((c: any) => c.key)).toEqual(['negotiation', 'regulations']);
});

test('bad cycles are refused naming the field', async () => {
  const res = await api().post('/api/v1/needs-cycles').set(as('hrOfficer')).send({ name: '', departmentId: 'dept-collection', participantIds: [], competencies: [{ key: 'Bad Key', name: 'x', requiredLevel: 7 }], surveyDeadline: 'soon' });
  expect(res.status).toBe(400);
  expect(res.body.errors.map((e: any) => e.field)).toEqual(expect.arrayContaining(['name', 'participantIds', 'competencies.0.key', 'competencies.0.requiredLevel', 'surveyDeadline']));
  expect((await api().post('/api/v1/needs-cycles').set(as('collectorA')).send({})).status).toBe(403);
  const ghost = await api().post('/api/v1/needs-cycles').set(as('hrOfficer')).send({ name: 'n', departmentId: 'dept-collection', participantIds: ['ghost'], competencies, surveyDeadline: new Date().toISOString() });
  expect(ghost.status).toBe(422);
});
