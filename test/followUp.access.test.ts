/**
 * Issue 29, over real HTTP, Temporal and PostgreSQL: who reads what of a programme's follow-up once
 * its report exists (the follow-up, the report, its CSV), and how the rows of a score table are
 * refused. Every step awaits the flows' own tasks, never the clock.
 */
import { participantFlowId } from '../domain/followUp';
import { followUpReportView, followUpView } from '../api/views';
import { eventually, people } from './support/fixtures';
import { openTaskOf, startProgramme } from './support/followUp';
import { apiTestStack, expectProblem, type Who } from './support/http';
import type request from 'supertest';

const { stack, as, api } = apiTestStack();

const followUpOf = (planId: string) => `/api/v1/training-plans/${planId}/follow-up`;
const post = (path: string, who: Who, body: object) => api().post(path).set(as(who)).send(body);
const READS = ['', '/report', '/report.csv'];

/** Two participants of the plan's department (collection) and one of customer service, whose head is serviceHead. */
const PARTICIPANTS: Who[] = ['collectorA', 'collectorB', 'serviceRep'];
const managerOf = (who: Who): Who => (who === 'serviceRep' ? 'serviceHead' : 'collectionHead');

/**
 * A programme taken through every step to its report and HR's recognition (whose stored list has
 * every participant's overall score): baselines and checkpoint ratings by each manager, scores by
 * the trainer; collectorB applies it too little and is coached by engineer, the mentor HR names.
 */
async function reportedProgramme(): Promise<string> {
  const settings = { checkpoints: ['PT2S'], answerWithin: 'PT10M', coachingSessions: 1, recognitionBar: 50 };
  const { planId, flowId, join } = await startProgramme(stack, settings, { competencies: ['negotiation'] });
  await join(PARTICIPANTS.map((w) => people[w].id));
  const flowOf = (who: Who) => participantFlowId(planId, people[who].id);
  const toParticipant = (who: Who, path: string) => `${followUpOf(planId)}/participants/${people[who].id}/${path}`;
  const answered = async (res: Promise<request.Response>) => expect((await res).status).toBe(200);

  for (const who of PARTICIPANTS) {
    await openTaskOf(stack.db, flowOf(who), 'followup_baseline', people[managerOf(who)].id);
    await answered(post(toParticipant(who, 'baseline'), managerOf(who), { levels: { negotiation: 2 } }));
  }
  await answered(post(toParticipant('collectorB', 'mentor'), 'hrOfficer', { mentorId: people.engineer.id }));
  await openTaskOf(stack.db, flowId, 'followup_scores', people.trainer.id);
  await answered(post(`${followUpOf(planId)}/scores`, 'trainer', { scores: PARTICIPANTS.map((w, i) => ({ employeeId: people[w].id, score: 70 + 10 * i })) }));
  for (const who of PARTICIPANTS) {
    await openTaskOf(stack.db, flowOf(who), 'followup_application', people[who].id);
    await answered(post(toParticipant(who, 'application'), who, { level: who === 'collectorB' ? 1 : 4, examples: '每天用 every day' }));
    await openTaskOf(stack.db, flowOf(who), 'followup_behaviour', people[managerOf(who)].id);
    await answered(post(toParticipant(who, 'behaviour'), managerOf(who), { levels: { negotiation: 4 } }));
  }
  await openTaskOf(stack.db, flowOf('collectorB'), 'followup_coaching', people.engineer.id);
  await answered(post(toParticipant('collectorB', 'coaching-sessions'), 'engineer', { heldOn: '2027-01-05', minutes: 30, notes: '角色扮演 role play' }));
  const recheck = await openTaskOf(stack.db, flowOf('collectorB'), 'followup_recheck', people.collectionHead.id);
  await answered(post(`/api/v1/tasks/${recheck.id}/decision`, 'collectionHead', { decision: 'improved' }));
  await openTaskOf(stack.db, flowId, 'followup_results', people.collectionHead.id);
  await answered(post(`${followUpOf(planId)}/results`, 'collectionHead', { actuals: [{ metric: 'collection_rate_90d', actual: 70 }] }));
  const recognition = await openTaskOf(stack.db, flowId, 'followup_recognition', people.hrOfficer.id);
  await answered(post(`/api/v1/tasks/${recognition.id}/decision`, 'hrOfficer', { decision: 'approve' }));

  const closed = await eventually(async () => {
    const f = await stack.db.followUp.findUnique({ where: { planId } });
    return f?.status === 'completed' ? f : undefined;
  }, 'the programme reported and closed', 90_000);
  // What the stored row holds beside the published fields: everyone's overall score.
  expect(closed.recognition).toMatchObject({ people: expect.arrayContaining(PARTICIPANTS.map((w) => expect.objectContaining({ employeeId: people[w].id }))) });
  return planId;
}

describe('with the report present, each reader sees the participants in their reach and nobody else (issue 29, defects 1 and 2)', () => {
  let planId: string;
  beforeAll(async () => {
    planId = await reportedProgramme();
  }, 240_000);

  /** The keys of a JSON answer its published view leaves out (at the top and in each participant's entry). */
  function unpublished(path: string, res: request.Response): string[] {
    if (path.endsWith('.csv')) return [];
    const [view, items, itemView] = path
      ? [followUpReportView, res.body.people as object[], followUpReportView.shape.people.element]
      : [followUpView, res.body.participants as object[], followUpView.shape.participants.element];
    return [...Object.keys(res.body).filter((k) => !(k in view.shape)), ...items.flatMap((p) => Object.keys(p).filter((k) => !(k in itemView.shape)))];
  }

  test.each<[string, Who, Who[]]>([
    ['a participant: their own entries', 'collectorA', ['collectorA']],
    ["another department's head: the participants of their department", 'serviceHead', ['serviceRep']],
    ['a mentor: the participant they coach', 'engineer', ['collectorB']],
    ["the plan's department head: everyone", 'collectionHead', PARTICIPANTS],
    ['the trainer: everyone, the report too', 'trainer', PARTICIPANTS],
    ['HR: everyone', 'hrAssistant', PARTICIPANTS],
  ])('%s', async (_, reader, reach) => {
    const answers = await Promise.all(READS.map((path) => api().get(`${followUpOf(planId)}${path}`).set(as(reader))));
    for (const [i, path] of READS.entries()) {
      const res = answers[i]!;
      expect([path, res.status]).toEqual([path, 200]);
      // Anywhere in the answer: a participant's id (or, in the report, name) shows exactly when they are in reach.
      const text = path.endsWith('.csv') ? res.text : JSON.stringify(res.body);
      for (const p of PARTICIPANTS) {
        expect([path, p, text.includes(people[p].id)]).toEqual([path, p, reach.includes(p)]);
        if (!reach.includes(p)) expect([path, p, text.includes(people[p].name)]).toEqual([path, p, false]);
      }
    }
    for (const [i, path] of READS.entries()) expect([path, unpublished(path, answers[i]!)]).toEqual([path, []]);
  });

  test('a manager who answers for none of its participants, and an employee who takes no part, read none of it', async () => {
    for (const who of ['engineeringHead', 'collectorC'] as Who[]) {
      for (const path of READS) {
        const res = await api().get(`${followUpOf(planId)}${path}`).set(as(who));
        expectProblem(res, 403);
        expect(res.body.code).toBe('not_allowed');
      }
    }
  });
});

describe('a score table (issue 29, defect 3)', () => {
  let planId: string;
  let scores: string;
  beforeAll(async () => {
    const programme = await startProgramme(stack, { checkpoints: ['P30D'] });
    await programme.join([people.collectorA.id, people.collectorB.id]);
    await openTaskOf(stack.db, programme.flowId, 'followup_scores', people.trainer.id);
    planId = programme.planId;
    scores = `${followUpOf(planId)}/scores`;
  }, 120_000);
  const upload = (csv: string) => api().post(scores).set(as('trainer')).set('Content-Type', 'text/csv').send(csv);
  /** A refusal's status, and its errors as [field, reason]. */
  async function refused(sent: Promise<request.Response>, status: number) {
    const res = await sent;
    expectProblem(res, status);
    return res.body.errors?.map((e: { field: string; reason: string }) => [e.field, e.reason]);
  }
  const [a, b, engineer] = [people.collectorA.employeeNo, people.collectorB.employeeNo, people.engineer.employeeNo];

  test('a malformed row is named by its line in the file (a quoted name over two lines, a blank line) and its column', async () => {
    expect(await refused(upload(`name,employeeId,score\n"吴海燕\n(A)",${a},88\n\n郑磊,${b},abc\n无名,,70\n`), 400)).toEqual([
      ['csv line 5, score', 'a score is a number from 0 to 100'],
      ['csv line 6, employeeId', 'name the participant (employee number or id)'],
    ]);
    // One person twice, by number and by id: named at the repeat.
    expect(await refused(post(scores, 'trainer', { scores: [{ employeeId: a, score: 88 }, { employeeId: people.collectorA.id, score: 70 }] }), 400)).toEqual([
      ['scores.1.employeeId', 'this participant is listed twice'],
    ]);
    expect(await stack.db.knowledgeScore.count({ where: { followUpId: planId } })).toBe(0);
  });

  test('a row the flow refuses, or naming no employee, is named the same way (422); employee numbers stand for ids', async () => {
    expect(await refused(upload(`employeeId,score\n${a},88\n\n${engineer},70\n`), 422)).toEqual([['csv line 4, employeeId', 'not a participant of this programme']]);
    expect(await refused(upload(`employeeId,score\nBT999,88\n`), 422)).toEqual([['csv line 2, employeeId', 'no employee has the number or id BT999']]);
    expect(await refused(post(scores, 'trainer', { scores: [{ employeeId: a, score: 88 }, { employeeId: people.engineer.id, score: 70 }] }), 422)).toEqual([
      ['scores.1.employeeId', 'not a participant of this programme'],
    ]);
    expect(await stack.db.knowledgeScore.count({ where: { followUpId: planId } })).toBe(0);

    // By employee number: recorded under the participants' ids. Then a retest beside a passed score: refused whole, its line named.
    const taken = await upload(`employeeId,score\n${a},88\n${b},50\n`);
    expect([taken.status, taken.body]).toEqual([200, expect.objectContaining({ recorded: 2, retests: [people.collectorB.id] })]);
    expect(await refused(upload(`employeeId,score\n${b},65\n${a},95\n`), 422)).toEqual([['csv line 3, employeeId', 'already passed']]);
    expect((await stack.db.knowledgeScore.findMany({ where: { followUpId: planId }, orderBy: { employeeId: 'asc' } })).map((s) => [s.employeeId, s.score])).toEqual([
      [people.collectorA.id, 88],
      [people.collectorB.id, 50],
    ]);
  });
});
