/**
 * On the first `npm start`, the stability measures (DOMAIN.md §8) get something to show, entered
 * through the API as the people would: a quarterly survey with a run open and five answers in, two
 * suggestions (one answered, one waiting in the head's inbox), an open vacancy with an applicant and
 * a collector's career plan; a collector at high risk (last month's figures) with the stay interview
 * open, and the collection head's reserve pool with two candidates. Each part is skipped once its kind exists.
 */
import type { z } from 'zod';
import { signToken, type AuthSettings } from '../api/auth';
import type { CareerPlanRequest } from '../domain/careerPlan';
import type { vacancyRequest } from '../domain/promotion';
import type { suggestionAnswerRequest, suggestionRequest } from '../domain/suggestion';
import type { surveyRequest } from '../domain/surveys';
import type { Db } from '../prisma/db';
import { DEMO, type DemoEmployeeKey } from '../prisma/seed-data';
import { eventually } from './handover-driver';

const people = DEMO.employees;
const COLLECTION = DEMO.departments.collection.id;

/** One person's calls to the API (a demo employee, or someone the demo took on). */
export function caller(apiUrl: string, auth: AuthSettings, who: DemoEmployeeKey | { id: string }) {
  const id = typeof who === 'string' ? people[who].id : who.id;
  return async <T = Record<string, unknown>>(method: string, path: string, body?: object): Promise<T> => {
    const headers = { authorization: `Bearer ${await signToken(auth, id)}`, 'content-type': 'application/json' };
    const res = await fetch(`${apiUrl}/api/v1${path}`, { method, headers, body: body && JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`demo data: ${method} ${path} as ${id} answered ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  };
}

const SURVEY: z.input<typeof surveyRequest> = {
  title: '季度满意度调研 Quarterly satisfaction survey',
  questions: [
    { key: 'pay', text: '对薪酬福利的满意度 Satisfaction with pay and benefits', kind: 'rating' },
    { key: 'workload', text: '工作量是否合理 Is the workload reasonable', kind: 'rating' },
    { key: 'say', text: '想对公司说的话 Anything to tell the company', kind: 'text' },
  ],
  departmentIds: [COLLECTION, DEMO.departments.customerService.id],
  anonymous: true,
  schedule: { cron: '0 1 1 */3 *' },
  answerWithin: 'P14D',
};
const SURVEY_ANSWERS: [DemoEmployeeKey, number, number, string][] = [
  ['collectionHead', 4, 3, '希望增加人手 More hands would help'],
  ['collectorA', 3, 2, '月底加班太多 Too much overtime at month end'],
  ['collectorB', 4, 4, '培训很有用 The training helps'],
  ['serviceHead', 5, 4, '团队氛围好 A good team'],
  ['serviceRep', 3, 3, '希望调整排班 Fairer rotas please'],
];

const SUGGESTIONS: [DemoEmployeeKey, z.input<typeof suggestionRequest>][] = [
  ['collectorA', { title: '更新催收话术模板 Update the call scripts', body: '现有话术与新的收费标准不一致 The scripts predate the new fee scale', departmentId: COLLECTION, category: 'process' }],
  ['collectorB', { title: '月底排班 Month-end rotas', body: '月底连续加班，希望轮休 Long month-end shifts: rotate the days off', departmentId: COLLECTION, category: 'workplace', anonymous: true }],
];
const FIRST_ANSWER: z.input<typeof suggestionAnswerRequest> = {
  answer: '采纳，下月起使用新模板 Taken up: new scripts from next month',
  accepted: true,
  actionPlanned: '培训师整理新话术 The trainer rewrites the scripts',
};

const VACANCY = (applyUntil: string): z.input<typeof vacancyRequest> => ({
  title: '催收组长 Collection team lead',
  departmentId: COLLECTION,
  description: '带领三人催收小组，负责新人辅导 Lead a team of three collectors and coach new hires',
  criteria: [
    { key: 'performance', name: '回款业绩 Collection results', weight: 50 },
    { key: 'knowledge', name: '业务知识 Knowledge', weight: 30 },
    { key: 'leadership', name: '带队能力 Leadership', weight: 20 },
  ],
  panelIds: [people.collectionHead.id, people.serviceHead.id],
  applyUntil,
});

const CAREER_PLAN: CareerPlanRequest = {
  revision: 0,
  goals: '两年内成为催收组长 Lead a collection team within two years',
  targetRole: '催收组长 Team lead',
  wantedSkills: [
    { key: 'negotiation', name: '谈判沟通 Negotiation' },
    { key: 'leadership', name: '团队管理 Leadership' },
  ],
  trainingWanted: '主管培训班 The supervisors’ course',
};

const POOL_NOMINATIONS: [DemoEmployeeKey, 'ready_now' | 'ready_later', string][] = [
  ['collectorA', 'ready_now', '带过两名新人，回款稳定 Mentored two new hires, steady results'],
  ['collectorC', 'ready_later', '业务扎实，需要带队经验 Solid work, needs to lead a team first'],
];

/** Enters the demo's stability measures; returns what it entered, for the start-up message. */
export async function ensureDemoStability(db: Db, apiUrl: string, auth: AuthSettings): Promise<string[]> {
  const as = (who: DemoEmployeeKey) => caller(apiUrl, auth, who);
  const entered: string[] = [];

  if ((await db.survey.count()) === 0) {
    const { id } = await as('hrOfficer')<{ id: string }>('POST', '/surveys', SURVEY);
    await as('hrOfficer')('POST', `/surveys/${id}/run-now`);
    const run = await eventually(async () => (await db.surveyRun.findFirst({ where: { surveyId: id } })) ?? undefined, 'the demo survey run');
    for (const [who, pay, workload, say] of SURVEY_ANSWERS) await as(who)('POST', `/survey-runs/${run.id}/answers`, { answers: { pay, workload, say } });
    entered.push(`a quarterly survey with ${SURVEY_ANSWERS.length} answers in: /survey-runs/${run.id}`);
  }

  if ((await db.suggestion.count()) === 0) {
    const submitted = [];
    for (const [who, body] of SUGGESTIONS) submitted.push(await as(who)<{ suggestionId: string; flowId: string }>('POST', '/suggestions', body));
    const first = submitted[0]!;
    await eventually(async () => (await db.task.findFirst({ where: { flowId: first.flowId, type: 'suggestion_answer', status: 'open' } })) ?? undefined, 'the demo answer task');
    await as('collectionHead')('POST', `/suggestions/${first.suggestionId}/answer`, FIRST_ANSWER);
    entered.push('two suggestions, one answered and one in the collection head’s inbox');
  }

  if ((await db.vacancy.count()) === 0) {
    const applyUntil = new Date(Date.now() + 14 * 86_400_000).toISOString();
    const { vacancyId } = await as('hrOfficer')<{ vacancyId: string }>('POST', '/vacancies', VACANCY(applyUntil));
    await as('collectorA')('POST', `/vacancies/${vacancyId}/applications`, { statement: '三年催收经验，带过两名新人 Three years collecting, mentored two new hires' });
    entered.push(`an open vacancy with one applicant: /vacancies/${vacancyId}`);
  }

  if ((await db.careerPlan.count()) === 0) {
    await as('collectorA')('PUT', '/career-plans/me', CAREER_PLAN);
    entered.push(`${people.collectorA.name}'s career plan, reviewed by ${people.collectionHead.name} in a year`);
  }

  if ((await db.performanceFigure.count()) === 0) {
    const month = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 7);
    // 45% collected, 150 contacts and 3 complaints: 30 + 10 + 20 points, high from 60.
    await as('hrOfficer')('POST', '/performance/imports', { month, rows: [{ employeeNo: people.collectorB.employeeNo, collectionRate: 45, contacts: 150, complaints: 3 }] });
    entered.push(`${people.collectorB.name} at high risk, the stay interview in ${people.collectionHead.name}'s inbox: /risk`);
  }

  if ((await db.reserveCandidate.count()) === 0) {
    for (const [who, readiness, reason] of POOL_NOMINATIONS) {
      await as('collectionHead')('POST', '/reserve-pools/collection_head/candidates', { employeeId: people[who].id, readiness, reason });
    }
    entered.push(`the collection head's reserve pool with ${POOL_NOMINATIONS.length} candidates: /reserve-pools/collection_head`);
  }
  return entered;
}
