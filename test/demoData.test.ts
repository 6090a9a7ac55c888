/**
 * What `npm start` enters on a first start, through the API as people would, over real HTTP: the
 * stability measures and the onboarding hire each appear once, and a second start enters nothing again.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { signToken } from '../api/auth';
import { ensureDemoOnboarding } from '../scripts/demo-onboarding';
import { ensureDemoStability } from '../scripts/demo-stability';
import { eventually, people } from './support/fixtures';
import { apiTestStack } from './support/http';
import { TEST_AUTH } from './support/stack';

const { stack } = apiTestStack();
let server: Server;
let apiUrl: string;
beforeAll(async () => {
  server = stack.app.listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

test('the survey, suggestions, vacancy, career plan, risk and reserve pool are entered once, by the people they belong to', async () => {
  const entered = await ensureDemoStability(stack.db, apiUrl, TEST_AUTH);
  expect(entered).toHaveLength(6);

  const run = await stack.db.surveyRun.findFirstOrThrow();
  // Five answers counted by the run's flow, none left on their way in, none traceable to a person.
  await eventually(async () => ((await stack.db.surveyResponse.count({ where: { runId: run.id } })) === 5 ? true : undefined), 'the five answers counted');
  expect(await stack.db.surveyBallot.count()).toBe(0);
  expect(await stack.db.surveyResponse.count({ where: { respondentId: { not: null } } })).toBe(0);
  expect(run.status).toBe('open');

  const suggestions = await stack.db.suggestion.findMany({ orderBy: { submittedAt: 'asc' } });
  expect(suggestions.map((s) => [s.status, s.anonymous])).toEqual([
    ['answered', false],
    ['open', true],
  ]);
  expect(await stack.db.task.count({ where: { flowId: suggestions[1]!.flowId, type: 'suggestion_answer', status: 'open', assigneeId: people.collectionHead.id } })).toBe(1);

  const vacancy = await stack.db.vacancy.findFirstOrThrow();
  expect(vacancy.status).toBe('open');
  expect((await stack.db.vacancyApplication.findMany({ where: { vacancyId: vacancy.id } })).map((a) => a.applicantId)).toEqual([people.collectorA.id]);
  expect(await stack.db.careerPlan.findUniqueOrThrow({ where: { employeeId: people.collectorA.id } })).toMatchObject({ revision: 1 });

  // Collector B at high risk with reasons, the stay interview open in the head's inbox; the pool holds two.
  const risk = await stack.db.employeeRisk.findUniqueOrThrow({ where: { employeeId: people.collectorB.id } });
  expect([risk.level, (risk.reasons as { key: string }[]).map((r) => r.key)]).toEqual(['high', ['collection_rate_low', 'contacts_low', 'complaints_high']]);
  await eventually(
    () => stack.db.task.findFirst({ where: { type: 'retention_stay_interview', status: 'open', assigneeId: people.collectionHead.id } }).then((t) => t ?? undefined),
    'the stay interview task',
  );
  expect(await stack.db.reserveCandidate.count({ where: { position: 'collection_head', status: 'active' } })).toBe(2);

  // A second start finds each kind there and enters nothing.
  expect(await ensureDemoStability(stack.db, apiUrl, TEST_AUTH)).toEqual([]);
  expect([await stack.db.survey.count(), await stack.db.suggestion.count(), await stack.db.vacancy.count(), await stack.db.careerPlanRevision.count()]).toEqual([1, 2, 1, 1]);
});

test('the demo hire is part-way through onboarding, with the culture and a document overdue', async () => {
  const entered = await ensureDemoOnboarding(stack.db, apiUrl, TEST_AUTH);
  expect(entered).toHaveLength(1);
  const hire = await stack.db.employee.findFirstOrThrow({ where: { employeeNo: 'BT101' } });
  expect(hire.status).toBe('onboarding');
  // The API's own timeline says which steps are late.
  const token = await signToken(TEST_AUTH, people.hrOfficer.id);
  const view = await eventually(async () => {
    const o = (await (await fetch(`${apiUrl}/api/v1/onboardings/${hire.id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      steps: { type: string; status: string; late: boolean }[];
      drills: unknown[];
      coaching: unknown[];
    };
    return o.steps.filter((s) => s.late && s.status === 'open').length === 2 ? o : undefined;
  }, 'two steps overdue');
  expect(view.steps.filter((s) => s.late && s.status === 'open').map((s) => s.type).sort()).toEqual(['onboarding_culture', 'onboarding_document']);
  expect([view.drills.length, view.coaching.length]).toEqual([1, 2]);
  expect(await stack.db.task.count({ where: { type: 'onboarding_enrolment', status: 'open', assigneeId: people.hrOfficer.id } })).toBe(1);
  expect(await ensureDemoOnboarding(stack.db, apiUrl, TEST_AUTH)).toEqual([]);
});
