/**
 * Property: no bad request hurts the API. Over a thousand generated requests, every one of them
 * invalid by construction (each breaks at least one rule: a token, a role, a path id, a query
 * value, a body field, the JSON itself, its content type...), go to every route of the real app
 * wired to real Temporal and PostgreSQL, and
 *   1. none is answered with a status of 500 or more,
 *   2. every 4xx is application/problem+json with a title and its status,
 *   3. none writes a row: the tables are the same, row for row, before and after the run.
 * Requests the API must refuse are also checked to be refused (a 4xx). Fixtures made before the
 * run (a draft, a plan in approval with its open task, an acknowledged resignation with its
 * checklist, a needs cycle in its survey) let requests get past the id lookups to the role, body
 * and flow checks; a few fixed probes at the end send text PostgreSQL cannot store.
 *
 * Runs are reproducible: the seed is fixed (BAD_REQUESTS_SEED overrides it), each route has its own.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateKeyPair, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { z } from 'zod';
import { signToken } from '../api/auth';
import { openApiDocument } from '../api/openapi';
import { employeeIdParams, listEmployeesQuery, notificationPreferences } from '../api/routes/employees';
import { flowIdParams, flowViewQuery, listFlowsQuery } from '../api/routes/flows';
import { cycleIdParams, listCyclesQuery, startNeedsCycleBody } from '../api/routes/needsCycles';
import { accountsQuery, bulkItems, itemIdParams, listResignationsQuery, resignationIdParams, resignationItemsQuery, startResignationBody } from '../api/routes/resignations';
import { deliveryIdParams, listDeliveriesQuery } from '../api/routes/notifications';
import { listTasksQuery, taskIdParams } from '../api/routes/tasks';
import { addSessionBody, listPlansQuery, planIdParams, submitPlanRequest } from '../api/routes/trainingPlans';
import { listSessionsQuery, sessionIdParams } from '../api/routes/trainingSessions';
import { attendanceRequest, closeSignInRequest, feedbackRequest, monitorRequest, noteRequest, participantsRequest, reportRequest, rescheduleRequest, signInRequest, trainerRequest } from '../domain/trainingSession';
import {
  assessmentRequest,
  assignHandoverRequest,
  completeItemsRequest,
  mentoringSessionRequest,
  ratingRequest,
  signOffRequest,
  submitArticleRequest,
  successorReviewRequest,
  verifyItemsRequest,
} from '../domain/handover';
import { adjustmentRequest, lowResponseRequest, observationRequest, surveyRequest } from '../domain/needsCycle';
import { delegationRequest, endDelegationRequest } from '../domain/delegation';
import { delegationIdParams, listDelegationsQuery } from '../api/routes/delegations';
import { createSurveyBody, listSurveysQuery, surveyIdParams, surveyRunIdParams } from '../api/routes/surveys';
import { createNeedsScheduleBody, listNeedsSchedulesQuery, needsScheduleIdParams } from '../api/routes/needsCycleSchedules';
import { attachmentIdParams, commentsQuery } from '../api/routes/comments';
import { commentRequest } from '../domain/comments';
import { surveyActionRequest, surveyAnswers } from '../domain/surveys';
import { listSuggestionsQuery, suggestionIdParams, suggestionStatsQuery } from '../api/routes/suggestions';
import { suggestionAnswerRequest, suggestionRequest } from '../domain/suggestion';
import { listVacanciesQuery, vacancyIdParams } from '../api/routes/vacancies';
import { listCareerPlansQuery } from '../api/routes/careerPlans';
import { listTeamRebuildingsQuery, teamRebuildingParams } from '../api/routes/teamRebuildings';
import { listStaffingAdjustmentsQuery, staffingAdjustmentParams } from '../api/routes/staffingAdjustments';
import { staffingAdjustmentRequest, staffingChangeRequest, staffingReassignRequest } from '../domain/staffingAdjustment';
import { teamRebuildingFlowId, teamTalkRequest } from '../domain/teamRebuilding';
import { poolCandidateParams, poolParams, poolReviewScheduleRequest } from '../api/routes/reservePools';
import { assessRequest as poolAssessRequest, nominateRequest, poolMinimumRequest, poolReviewRequest, withdrawRequest as poolWithdrawRequest } from '../domain/reservePool';
import { listRetentionQuery, listRiskQuery, retentionParams, riskEmployeeParams } from '../api/routes/risk';
import { exitInterviewRequest, leavingCausesQuery } from '../domain/exitInterview';
import { actionCheckRequest, DEFAULT_RISK_RULES, performanceImportRequest, retentionCloseRequest, retentionReviewRequest, riskFlagRequest, riskRules, stayInterviewRequest } from '../domain/risk';
import { careerPlanRequest, careerPlanReviewRequest } from '../domain/careerPlan';
import { countersignRequest, decisionRequest, evaluationRequest, extensionRequest, vacancyApplicationRequest, vacancyRequest, withdrawalRequest } from '../domain/promotion';
import { addSignerRequest, cancelFlowRequest, ccRequest, taskDecision, transferRequest } from '../domain/tasks';
import { createPlanRequest, updatePlanRequest, withdrawPlanRequest } from '../domain/trainingPlan';
import {
  badJsonText,
  badQuery,
  brokenBody,
  check,
  describeRequest,
  send,
  tableStates,
  unreadableBody,
  wrongContentType,
  type BadRequest,
  type Body,
  type Method,
  type TableState,
  type Violation,
} from './support/badRequestKit';
import { applicationRequest, baselineRequest, behaviourRequest, coachingSessionRequest, mentorRequest, resultsRequest, scoresRequest } from '../domain/followUp';
import { listOnboardingsQuery, onboardingParams, registerOnboardingBody } from '../api/routes/onboardings';
import { listDocumentsQuery } from '../api/routes/documents';
import {
  assessmentRequest as hireAssessmentRequest,
  checkInRequest,
  coachingRequest,
  confirmDocumentRequest,
  cultureRequest,
  DEFAULT_ONBOARDING,
  documentParams,
  documentRequest,
  documentVersionRequest,
  drillRequest,
  enrolRequest,
  portfolioRequest,
  probationRequest,
  pulseRequest,
} from '../domain/onboarding';
import { eventually, openTasks, people, planContent } from './support/fixtures';
import { acknowledge, checklistLines } from './support/handover';
import { demoCallers, type Who } from './support/http';
import { FAST_SETTINGS, startTestStack, TEST_AUTH, type TestStack } from './support/stack';

const SEED = Number(process.env.BAD_REQUESTS_SEED ?? 20_260_512);
/** Generated requests per route (a few routes that are not the API's own get fewer). */
const RUNS = 32;
const MIN_TOTAL = 1_000;

/** The tables no rejected request may write to, plus the ones a decision or a handed-over account
 *  would change. Rows are compared by count and by content. */
const TABLES = [
  'training_plan',
  'training_plan_version',
  'task',
  'flow',
  'audit_event',
  'resignation',
  'handover_item',
  'needs_cycle',
  'needs_response',
  'needs_observation',
  'knowledge_article',
  'mentoring_session',
  'notification',
  'notification_delivery',
  'plan_decision',
  'needs_assessment',
  'successor_assessment',
  'account',
  'employee',
  'training_session',
  'session_participant',
  'session_note',
  'flow_comment',
  'attachment',
  'session_feedback',
  'suggestion',
  'suggestion_sender',
  'vacancy',
  'career_plan',
  'career_plan_revision',
  'career_plan_review',
  'vacancy_application',
  'vacancy_evaluation',
  'team_rebuilding',
  'team_talk',
  'reserve_pool',
  'reserve_candidate',
  'reserve_pool_review',
  'performance_figure',
  'risk_rule_set',
  'risk_flag',
  'risk_score',
  'employee_risk',
  'retention_case',
  'onboarding',
  'document',
  'document_version',
  'document_confirmation',
  'onboarding_drill',
  'onboarding_coaching',
  'onboarding_assessment',
  'onboarding_decision',
  'onboarding_check_in',
  'onboarding_pulse',
  'staffing_adjustment',
] as const;

let stack: TestStack;
let as: Awaited<ReturnType<typeof demoCallers>>;
let fx: Fixtures;
let before: Record<string, TableState>;
const sent = new Map<string, number>();
const statuses = new Map<string, Map<number, number>>();

/** Where the fixtures' file goes (a refused upload leaves nothing here). */
const attachmentsDir = mkdtempSync(path.join(tmpdir(), 'baton-bad-requests-'));

beforeAll(async () => {
  stack = await startTestStack({ attachments: { dir: attachmentsDir, maxBytes: 64 * 1024 } });
  as = await demoCallers(stack);
  fx = await createFixtures();
  before = await settledTables();
}, 120_000);
afterAll(async () => {
  if (!stack) return;
  // Requests that timed out (503) leave update calls waiting on flows that retry a write forever:
  // end every flow of this file's namespace first, so no call is still polling when the
  // connection closes (gRPC would then throw from a retry timer).
  for await (const wf of stack.client.workflow.list({ query: 'ExecutionStatus = "Running"' })) {
    await stack.client.workflow.getHandle(wf.workflowId, wf.runId).terminate('the bad-request test is over').catch(() => undefined);
  }
  await new Promise((r) => setTimeout(r, 500));
  await stack.stop();
  rmSync(attachmentsDir, { recursive: true, force: true });
}, 60_000);

// ---- fixtures: one of everything, so requests reach past the id lookups --------------------

interface Fixtures {
  /** A draft with no content: submitting it is refused as incomplete. */
  draftPlanId: string;
  /** A complete plan in approval, and its department head's open approval task. */
  submittedPlanId: string;
  planFlowId: string;
  approvalTaskId: string;
  /** collectorB's resignation: acknowledged, checklist written, successor collectorC,
   *  supervisor collectionHead, mentor trainer. */
  resignationId: string;
  handoverFlowId: string;
  itemIds: string[];
  /** A needs cycle in its survey: participants collectorA and collectorC. */
  cycleId: string;
  /** An approved plan, and its session in preparation (participants collectorA and collectorC,
   *  trained by the trainer, sign-in months ahead). */
  approvedPlanId: string;
  sessionId: string;
  cycleFlowId: string;
  /** A notification delivery of the fixtures' flows (not failed: sending it again is refused). */
  deliveryId: string;
  /** A file the department head attached to a comment on the plan's flow. */
  attachmentId: string;
  /** collectorA's suggestion to the collection department, its head asked to answer. */
  suggestionId: string;
  /** HR's vacancy, open for a month, its panel the collection and service heads; collectorA applied. */
  vacancyId: string;
  /** The rebuilding of collectorC's team after a departure, as a sign-off starts it: its head holds two talks. */
  teamResignationId: string;
  /** The engineer's retention flow, opened by an import that made them high: its stay interview is open. */
  retentionFlowId: string;
  /** A hire HR registered (collection, manager collectionHead, coach the trainer) with one document to read. */
  onboardingHireId: string;
  documentId: string;
  /** collectorC covering one of collectorA's accounts, awaiting the head's approval. */
  staffingAdjustmentId: string;
  staffingAccountId: string;
  auth: Record<string, string | undefined>;
}

const staffingBody = (accountId: string) => ({
  coveringId: people.collectorC.id,
  coveredId: people.collectorA.id,
  accountIds: [accountId],
  startsAt: new Date().toISOString(),
  endsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  kind: 'deployment',
  reason: '休假 On leave',
});

const vacancyBody = () => ({
  title: '催收组长 Team lead',
  departmentId: 'dept-collection',
  description: '带领小组 Lead a team',
  criteria: [{ key: 'performance', name: '业绩 Results', weight: 70 }, { key: 'leadership', name: '带队 Leadership', weight: 30 }],
  panelIds: [people.collectionHead.id, people.serviceHead.id],
  applyUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
});
/** collectorA's career plan: revision 1 is on record from the fixtures. */
const careerPlanBody = (revision: number) => ({ revision, goals: '成为组长 Lead a team', wantedSkills: [{ key: 'leadership', name: '带队 Leadership' }] });
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const COMPETENCIES = [
  { key: 'negotiation', name: '谈判 Negotiation', requiredLevel: 4 },
  { key: 'regulations', name: '法规 Regulations', requiredLevel: 3 },
];

async function createFixtures(): Promise<Fixtures> {
  const api = () => request(stack.app);
  const draft = await api().post('/api/v1/training-plans').set(as('hrOfficer')).send({ title: '未完成的草稿 Unfinished draft', departmentId: 'dept-collection' });
  expect(draft.status).toBe(201);
  const plan = await api().post('/api/v1/training-plans').set(as('hrOfficer')).send({ title: '沟通技巧 Negotiation', departmentId: 'dept-collection', content: planContent() });
  expect(plan.status).toBe(201);
  const submitted = await api().post(`/api/v1/training-plans/${plan.body.id}/submit`).set(as('hrOfficer'));
  expect(submitted.status).toBe(202);
  const [approval] = await openTasks(stack.db, submitted.body.flowId, 1);

  const resigned = await api()
    .post('/api/v1/resignations')
    .set(as('hrOfficer'))
    .send({ employeeId: people.collectorB.id, resignationDate: day(0), lastWorkingDay: day(60), reason: '个人发展 moving on', successorId: people.collectorC.id, supervisorId: people.collectionHead.id, mentorId: people.trainer.id });
  expect(resigned.status).toBe(202);
  await acknowledge(stack.db, stack.flows, resigned.body.flowId);
  const accounts = await stack.db.account.count({ where: { assigneeId: people.collectorB.id } });
  const lines = await checklistLines(stack.db, stack.flows, resigned.body.resignationId, accounts + 6);

  const cycle = await api()
    .post('/api/v1/needs-cycles')
    .set(as('hrOfficer'))
    .send({ name: '催收能力 2027', departmentId: 'dept-collection', participantIds: [people.collectorA.id, people.collectorC.id], competencies: COMPETENCIES, surveyDeadline: new Date(Date.now() + 14 * 86_400_000).toISOString() });
  expect(cycle.status).toBe(202);
  await openTasks(stack.db, cycle.body.flowId, 4); // two surveys, two observations

  const approved = await api()
    .post('/api/v1/training-plans')
    .set(as('hrOfficer'))
    .send({ title: '培训实施 Sessions', departmentId: 'dept-collection', content: { ...planContent(), participantIds: [people.collectorA.id, people.collectorC.id], sessions: planContent().sessions.map((x) => ({ ...x, trainerId: people.trainer.id })) } });
  expect(approved.status).toBe(201);
  let next = (await api().post(`/api/v1/training-plans/${approved.body.id}/submit`).set(as('hrOfficer'))).body.next[0];
  for (const who of ['collectionHead', 'hrDirector'] as Who[]) next = (await api().post(`/api/v1/tasks/${next.taskId}/decision`).set(as(who)).send({ decision: 'approve' })).body.next[0];
  const session = await eventually(async () => (await stack.db.trainingSession.findFirst({ where: { planId: approved.body.id } })) ?? undefined, 'the session');
  await openTasks(stack.db, session.flowId, 3); // schedule, room, trainer review

  // Credentials that must not get in.
  const key = new TextEncoder().encode(TEST_AUTH.secret);
  const expired = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(people.hrOfficer.id).setIssuedAt(1_600_000_000).setExpirationTime(1_600_000_060).sign(key);
  const future = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(people.hrOfficer.id).setNotBefore('10 years').setExpirationTime('11 years').sign(key);
  const { privateKey } = await generateKeyPair('RS256');
  const rs256 = await new SignJWT({}).setProtectedHeader({ alg: 'RS256' }).setSubject(people.hrOfficer.id).setExpirationTime('1h').sign(privateKey);
  const good = await stack.token(people.hrOfficer.id);
  const [header, payload] = good.split('.');
  const noneAlg = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
  const tampered = `${header}.${Buffer.from(JSON.stringify({ sub: people.admin.id, exp: 4_000_000_000 })).toString('base64url')}.${good.split('.')[2]}`;
  const auth: Record<string, string | undefined> = {
    'no Authorization header': undefined,
    'an empty Authorization header': '',
    'Basic credentials': 'Basic aHJPZmZpY2VyOnNlY3JldA==',
    'Bearer without a token': 'Bearer',
    'the scheme alone with spaces': 'Bearer    ',
    'two tokens': `Bearer ${good} ${good}`,
    'a token that is not a JWT': 'Bearer not-a-jwt',
    'a token signed with another secret': `Bearer ${await signToken({ secret: 'another-secret-another-secret' }, people.hrOfficer.id)}`,
    'an expired token': `Bearer ${expired}`,
    'a token not valid for ten years': `Bearer ${future}`,
    'an RS256 token from an unknown key': `Bearer ${rs256}`,
    'an unsigned token (alg none)': `Bearer ${noneAlg}`,
    'a token whose payload was swapped': `Bearer ${tampered}`,
    'a token for nobody': `Bearer ${await signToken(TEST_AUTH, '00000000-0000-4000-8000-0000000009ff')}`,
    'a token with an empty subject': `Bearer ${await signToken(TEST_AUTH, '')}`,
    'a 4000-character token': `Bearer ${'a'.repeat(4_000)}`,
    'the token without its scheme': good,
  };

  const file = await api().post(`/api/v1/flows/${submitted.body.flowId}/attachments`).set(as('collectionHead')).set('Content-Type', 'text/plain').set('X-File-Name', 'notes.txt').send(Buffer.from('会议纪要 minutes'));
  expect(file.status).toBe(201);
  expect((await api().post(`/api/v1/flows/${submitted.body.flowId}/comments`).set(as('collectionHead')).send({ text: '见附件 see the notes', attachmentIds: [file.body.id] })).status).toBe(201);

  const delivery = await eventually(async () => (await stack.db.notificationDelivery.findFirst({ select: { id: true } })) ?? undefined, 'a notification delivery');

  const suggested = await api().post('/api/v1/suggestions').set(as('collectorA')).send({ title: '排班 Rota', body: '周末值班 Weekend duty', departmentId: 'dept-collection', category: 'workplace' });
  expect(suggested.status).toBe(202);
  await openTasks(stack.db, suggested.body.flowId, 1);

  expect((await api().put('/api/v1/career-plans/me').set(as('collectorA')).send(careerPlanBody(0))).status).toBe(200);

  const posted = await api().post('/api/v1/vacancies').set(as('hrOfficer')).send(vacancyBody());
  expect(posted.status).toBe(202);
  expect((await api().post(`/api/v1/vacancies/${posted.body.vacancyId}/applications`).set(as('collectorA')).send({ statement: '三年经验 Three years' })).status).toBe(200);

  const document = await api().post('/api/v1/documents').set(as('hrOfficer')).send({ title: '催收法规 Collection law', kind: 'law', summary: '合规 Lawful' });
  expect(document.status).toBe(201);
  const hire = await api().post('/api/v1/onboardings').set(as('hrOfficer')).send({
    person: { employeeNo: 'NH500', name: '新人 New hire', email: 'nh500@example.com' },
    departmentId: 'dept-collection',
    managerId: people.collectionHead.id,
    trainerId: people.trainer.id,
    startDate: day(3),
    documentIds: [document.body.id],
  });
  expect(hire.status).toBe(202);
  await openTasks(stack.db, hire.body.flowId, 5); // culture, the document, enrolment, a drill, coaching

  const teamResignationId = randomUUID();
  const teamFlowId = teamRebuildingFlowId(teamResignationId);
  await stack.client.workflow.start('teamRebuilding', { workflowId: teamFlowId, taskQueue: stack.taskQueue, args: [{ resignationId: teamResignationId, leaverId: people.collectorC.id, settings: FAST_SETTINGS }] });
  await openTasks(stack.db, teamFlowId, 2); // the team meeting, a one-to-one with collectorA (collectorB is leaving)

  const [staffingAccount] = await stack.db.account.findMany({ where: { assigneeId: people.collectorA.id }, orderBy: { id: 'asc' }, take: 1 });
  const staffing = await api().post('/api/v1/staffing-adjustments').set(as('hrOfficer')).send(staffingBody(staffingAccount!.id));
  expect(staffing.status).toBe(201);
  await openTasks(stack.db, staffing.body.flowId, 1); // the head's approval

  const imported = await api().post('/api/v1/performance/imports').set(as('hrOfficer')).send({ month: '2026-11', rows: [{ employeeNo: people.engineer.employeeNo, collectionRate: 40, contacts: 50, complaints: 4 }] });
  expect(imported.status).toBe(201);
  const retentionFlowId = imported.body.levels[0].retentionFlowId as string;
  await openTasks(stack.db, retentionFlowId, 1);

  return {
    draftPlanId: draft.body.id,
    submittedPlanId: plan.body.id,
    planFlowId: submitted.body.flowId,
    approvalTaskId: approval!.id,
    resignationId: resigned.body.resignationId,
    handoverFlowId: resigned.body.flowId,
    itemIds: lines.slice(0, 5).map((l) => l.id),
    cycleId: cycle.body.cycleId,
    cycleFlowId: cycle.body.flowId,
    approvedPlanId: approved.body.id,
    sessionId: session.id,
    deliveryId: delivery.id,
    attachmentId: file.body.id,
    suggestionId: suggested.body.suggestionId,
    vacancyId: posted.body.vacancyId,
    teamResignationId,
    retentionFlowId,
    onboardingHireId: hire.body.employeeId,
    documentId: document.body.id,
    staffingAdjustmentId: staffing.body.adjustmentId,
    staffingAccountId: staffingAccount!.id,
    auth,
  };
}

/** The tables once the fixtures' flows have finished writing (two equal snapshots in a row). */
async function settledTables(): Promise<Record<string, TableState>> {
  let last = await tableStates(stack.db, TABLES);
  return eventually(async () => {
    await new Promise((r) => setTimeout(r, 750));
    const now = await tableStates(stack.db, TABLES);
    const same = JSON.stringify(now) === JSON.stringify(last);
    last = now;
    return same ? now : undefined;
  }, 'the fixtures to stop writing', 60_000);
}

// ---- the catalogue: every route, and how to break a request to it --------------------------

interface Caller {
  as: string;
  authorization?: string;
}

interface Draft {
  /** Overrides the route's method (a method the path does not serve). */
  method?: Method;
  path: string;
  caller: Caller;
  body?: Body;
  headers?: Record<string, string>;
  why: string;
  /** Defaults to true. */
  mustRefuse?: boolean;
}

interface RouteSpec {
  route: string;
  runs: number;
  arb: fc.Arbitrary<Draft>;
  /** Whether to add Idempotency-Key and other harmless header noise. */
  decorate: boolean;
}

const EVERYONE = Object.keys(people) as Who[];
const HR: Who[] = ['hrOfficer', 'hrAssistant'];
const enc = encodeURIComponent;
const V1 = '/api/v1';

/** The route's own validation, as a predicate. */
const accepts = (schema: z.ZodType) => (v: unknown) => schema.safeParse(v).success;
const acceptsAll = (...schemas: z.ZodType[]) => (v: unknown) => schemas.every((s) => s.safeParse(v).success);

/** A valid body, checked: a test whose "valid" body is refused would test nothing. */
function valid<T extends object>(schema: z.ZodType, body: T): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new Error(`the test's valid body is refused: ${JSON.stringify(body)}: ${parsed.error.message}`);
  return body;
}

function catalogue(f: Fixtures): RouteSpec[] {
  const user = (w: Who): Caller => ({ as: w, authorization: as(w).Authorization });
  const callers = (...ws: Who[]) => fc.constantFrom(...ws).map(user);
  const anyone = callers(...EVERYONE);
  const except = (...ws: Who[]) => callers(...EVERYONE.filter((w) => !ws.includes(w)));
  const badAuth = fc.constantFrom(...Object.entries(f.auth)).map(([label, authorization]): Caller => ({ as: label, authorization }));

  const realIds = [f.attachmentId, f.draftPlanId, f.submittedPlanId, f.approvalTaskId, f.resignationId, f.cycleId, f.approvedPlanId, f.sessionId, f.deliveryId, f.suggestionId, f.vacancyId, f.teamResignationId, f.onboardingHireId, f.documentId, f.staffingAdjustmentId, ...f.itemIds];
  const fakeUuid = fc.oneof(
    { arbitrary: fc.uuid(), weight: 4 },
    { arbitrary: fc.uuid().map((u) => u.toUpperCase()), weight: 1 },
    { arbitrary: fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff'), weight: 1 },
  ).filter((u) => !realIds.includes(u.toLowerCase()));
  /** Path segments that are not uuids, already encoded, given the route's params schema. */
  const notUuid = (params: z.ZodType) =>
    fc
      .oneof(
        fc.constantFrom('abc', '1', '0', '-1', 'null', 'undefined', 'true', '{}', '[]', '😀', 'é', "' OR 1=1 --", ' ', 'a b', '\u0000', 'x'.repeat(301), 'x'.repeat(3_000)),
        fc.constantFrom(...realIds).chain((id) => fc.constantFrom(`${id}x`, id.slice(0, -1), id.replace(/-/g, ''), `{${id}}`, `urn:uuid:${id}`, `${id.slice(0, -1)}g`, ` ${id}`, `${id}\u0000`, id.slice(0, 8), `${id},${id}`)),
        fc.string({ minLength: 1, maxLength: 40 }),
      )
      .filter((s) => s !== '.' && s !== '..' && !params.safeParse({ id: s }).success)
      .map((s) => ({ seg: enc(s), why: `path id ${JSON.stringify(s.slice(0, 40))} is not a uuid` }));
  /** Raw, malformed percent-encoding in the path (Express cannot decode the parameter). */
  const malformedSeg = fc.constantFrom('%', '%E0%A4%A', '%zz', '%C0%AF', 'a%2', '%FF', '%uD800').map((seg) => ({ seg, why: `malformed path segment ${seg}` }));

  // Valid bodies, each checked against its schema.
  const createPlanBody = valid(createPlanRequest, { title: '沟通技巧培训', departmentId: 'dept-collection', content: planContent() });
  const updatePlanBody = valid(updatePlanRequest, { title: '新标题 New title', content: { methods: ['online'], cycle: { startsOn: '2027-03-01', endsOn: '2027-03-31' } } });
  const submitBody = valid(submitPlanRequest, { settings: { executiveThresholdFen: 1, chasing: { plan_approval: { remindAfter: 'PT1H', remindEvery: 'PT1H', maxReminders: 2, escalateAfter: 'PT2H', escalateTo: ['manager'] } } } });
  const withdrawBody = valid(withdrawPlanRequest, { reason: '不再需要 not needed' });
  const decisionBodies = [{ decision: 'approve' }, { decision: 'reject', comment: '预算太高' }, { decision: 'request_changes', comment: 'more detail' }].map((b) => valid(taskDecision, b));
  const transferBodies = [{ toId: people.serviceHead.id, reason: '出差一周 away this week' }, { toId: people.engineeringHead.employeeNo, reason: 'knows the budget' }].map((b) => valid(transferRequest, b));
  const signerBodies = [{ signerId: people.serviceHead.id, position: 'before', reason: '涉及客服 it concerns service' }, { signerId: people.engineeringHead.employeeNo, position: 'after', reason: 'knows the budget' }].map((b) => valid(addSignerRequest, b));
  const ccBodies = [{ ids: [people.collectorA.id] }, { ids: [people.trainer.employeeNo, people.collectorB.id], note: '供参考' }].map((b) => valid(ccRequest, b));
  const suggestionBody = valid(suggestionRequest, { title: '排班 Rota', body: '周末值班 Weekend duty', departmentId: 'dept-collection', category: 'workplace', anonymous: true });
  const suggestionAnswerBody = valid(suggestionAnswerRequest, { answer: '采纳 Taken up', accepted: true, actionPlanned: '下月调整 Next month' });
  const newVacancyBody = valid(vacancyRequest, vacancyBody());
  const planBody = valid(careerPlanRequest, careerPlanBody(1));
  const planReviewBody = valid(careerPlanReviewRequest, { comment: '谈过了 We talked' });
  const talkBody = valid(teamTalkRequest, { memberId: people.collectorA.id, heldOn: day(0), notes: '谈了接手的客户 The accounts taken over' });
  const team = `${V1}/team-rebuildings/${f.teamResignationId}`;
  const pools = `${V1}/reserve-pools`;
  const nominateBody = valid(nominateRequest, { employeeId: people.collectorB.id, readiness: 'ready_now', reason: '能带新人 Mentors newcomers' });
  const poolAssessBody = valid(poolAssessRequest, { panelRating: 4, readiness: 'ready_later', comment: 'ok' });
  const poolWithdrawBody = valid(poolWithdrawRequest, { reason: '转岗 Moved on' });
  const poolMinimumBody = valid(poolMinimumRequest, { minimum: 3 });
  const poolReviewBody = valid(poolReviewRequest, { verdicts: [{ employeeId: people.collectorB.id, readiness: 'ready_now' }] });
  const poolScheduleBody = valid(poolReviewScheduleRequest, { schedule: { cron: '0 9 1 1,4,7,10 *' } });
  // Collectors and trainers never read a pool; only HR changes one (managers nominate).
  const notPoolReaders = callers('collectorA', 'collectorB', 'serviceRep', 'engineer', 'trainer');
  const notHr = callers('collectorA', 'collectorB', 'collectionHead', 'serviceHead', 'hrDirector', 'ceo');
  const hire = `${V1}/onboardings/${f.onboardingHireId}`;
  const registerBody = valid(registerOnboardingBody, {
    person: { employeeNo: 'NH777', name: '新人乙 Another hire', email: 'nh777@example.com' },
    departmentId: 'dept-collection',
    managerId: people.collectionHead.id,
    trainerId: people.trainer.id,
    startDate: day(3),
    documentIds: [],
  });
  const rubric = (score: number) => Object.fromEntries(DEFAULT_ONBOARDING.drillCriteria.map((c) => [c.key, score]));
  const onboardingForms: [string, z.ZodType, object, Who[], object[], string][] = [
    ['culture', cultureRequest, { attest: true }, EVERYONE, [], 'only the hire attests'],
    ['documents', confirmDocumentRequest, { documentId: f.documentId, version: 1 }, EVERYONE, [], 'only the hire confirms'],
    ['training', enrolRequest, { sessionId: f.sessionId }, EVERYONE.filter((x) => x !== 'hrOfficer'), [{ sessionId: 'no-such-session' }], 'only the holder of the enrolment task enrols, in a session on record'],
    ['drills', drillRequest, { scenario: '电话 Call', scores: rubric(4) }, EVERYONE.filter((x) => x !== 'trainer'), [{ scenario: '电话 Call', scores: { opening: 4 } }], 'only the trainer scores, every criterion of the rubric'],
    ['coaching', coachingRequest, { heldOn: day(0), notes: '开场 Openings' }, EVERYONE.filter((x) => x !== 'trainer'), [{ heldOn: day(3), notes: 'ahead' }], 'only the named coach logs, once held'],
    ['assessment', hireAssessmentRequest, { score: 80 }, EVERYONE, [], 'no assessment is open yet'],
    ['probation', probationRequest, { decision: 'end', reason: '两次未过 failed twice' }, EVERYONE, [], 'no probation decision is open'],
    ['check-ins', checkInRequest, { checkpoint: 1, heldOn: day(0), progress: 4, notes: 'ok' }, EVERYONE, [], 'no check-in is open yet'],
    ['pulse', pulseRequest, { checkpoint: 1, workload: 3, support: 4, confidence: 4, belonging: 4 }, EVERYONE, [], 'no pulse is open yet'],
    ['portfolio', portfolioRequest, { accountIds: ['no-such-account'] }, EVERYONE, [], 'no account reaches a hire before a pass'],
  ];
  const A = people.collectorA.id;
  const applyBody = valid(vacancyApplicationRequest, { statement: '愿意带队 Ready to lead' });
  const withdrawBody2 = valid(withdrawalRequest, { reason: '今年不行 not this year' });
  const evaluationBody = valid(evaluationRequest, { evaluations: [{ applicantId: people.collectorA.id, scores: { performance: 4, leadership: 3 }, comment: 'ok' }] });
  const promotionDecisionBody = valid(decisionRequest, { selectedId: people.collectorA.id, reason: '业绩最好 Best results', reasons: {} });
  const countersignBody = valid(countersignRequest, { decision: 'reject', comment: '理由不足 Reasons too thin' });
  const extensionBody = valid(extensionRequest, { applyUntil: new Date(Date.now() + 60 * 86_400_000).toISOString() });
  const recurringSurveyBody = valid(createSurveyBody, { title: '满意度 Satisfaction', questions: [{ key: 'pay', text: 'Pay', kind: 'rating' }], schedule: { every: 'P90D' } });
  const yearlyNeedsBody = valid(createNeedsScheduleBody, { name: '年度需求 Yearly needs', departmentId: 'dept-collection', competencies: [{ key: 'negotiation', name: 'Negotiation', requiredLevel: 4 }], schedule: { cron: '0 9 15 1 *' } });
  const commentBody = valid(commentRequest, { text: '请看预算 Please look at the budget' });
  const delegationBody = valid(delegationRequest, { delegateId: people.serviceHead.id, endsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(), reason: '年假 annual leave' });
  const resignationBody = (employeeId: string, extra: object = {}) =>
    valid(startResignationBody, { employeeId, resignationDate: day(1), lastWorkingDay: day(45), reason: '家庭原因 family reasons', ...extra });
  const assignmentBody = valid(assignHandoverRequest, { successorId: people.collectorA.id, supervisorId: people.serviceHead.id, mentorId: people.trainer.id });
  const articleBody = valid(submitArticleRequest, { kind: 'procedure', title: '催收流程 Collection routine', body: '每天早上先打电话 Calls first thing every morning' });
  const mentoringBody = valid(mentoringSessionRequest, { heldAt: '2027-03-01T10:00:00+08:00', durationMinutes: 60, topic: '重点客户 Key customers', notes: 'went well' });
  const assessmentBody = valid(assessmentRequest, { passed: true, score: 4, comment: 'ready' });
  const reviewBody = valid(successorReviewRequest, { decision: 'replace', successorId: people.collectorA.id, comment: 'a better fit' });
  const ratingBody = valid(ratingRequest, { score: 5, comment: 'thorough' });
  const signOffBody = valid(signOffRequest, { comment: '全部完成 all done' });
  const completeBody = valid(completeItemsRequest, { note: '已交接 handed over' });
  const verifyBody = valid(verifyItemsRequest, { verdict: 'reopen', comment: '缺少合同 the contract is missing' });
  const bulkComplete = (ids: string[]) => valid(bulkItems, { itemIds: ids, note: 'batch' });
  const bulkVerify = (ids: string[]) => valid(bulkItems, { itemIds: ids, verdict: 'accept', comment: 'ok' });
  const needsBody = valid(startNeedsCycleBody, { name: '客服能力', departmentId: 'dept-collection', participantIds: [people.collectorA.id], competencies: COMPETENCIES, surveyDeadline: new Date(Date.now() + 30 * 86_400_000).toISOString(), hrId: people.hrOfficer.id });
  const surveyBody = valid(surveyRequest, { selfRatings: { negotiation: 3, regulations: 2 }, needs: '更多案例 more cases', preferredFormats: ['workshop'] });
  const observationBody = valid(observationRequest, { participantId: people.collectorA.id, observedLevels: { negotiation: 2, regulations: 3 }, notes: 'calm' });
  const lowResponseBody = valid(lowResponseRequest, { choice: 'extend' });
  const adjustmentBody = valid(adjustmentRequest, { requiredLevels: { negotiation: 3 }, excluded: [], note: 'lowered' });
  const cancelBody = valid(cancelFlowRequest, { reason: '误报 filed by mistake' });
  const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();
  const addSession = valid(addSessionBody, { title: '补课 Repeat', startsAt: inDays(30), endsAt: inDays(30.1) });
  const participantsBody = valid(participantsRequest, { add: [people.engineer.id], remove: [] });
  const rescheduleBody = valid(rescheduleRequest, { startsAt: inDays(40), endsAt: inDays(40.1), location: '二楼 2F', reason: '讲师出差 trainer away' });
  const trainerBody = valid(trainerRequest, { trainerId: people.trainer.id });
  const monitorBody = valid(monitorRequest, { monitorId: people.collectorA.id });
  const signInBody = valid(signInRequest, { code: '123456' });
  const attendanceBody = valid(attendanceRequest, { participantId: people.collectorA.id, attendance: 'present', reason: '手写签到 signed on paper' });
  const noteBody = valid(noteRequest, { category: 'issue', text: '投影仪坏了 projector broken' });
  const feedbackBody = valid(feedbackRequest, { content: 4, method: 4, trainer: 5, usefulness: 4, comments: 'useful' });
  const reportBody = valid(reportRequest, { covered: '全部模块 every module', deviations: 'none' });
  const preferencesBody = valid(notificationPreferences, { channels: ['email', 'wecom'], digest: true, mobile: '13800138000' });

  const json = (value: unknown): Body => ({ kind: 'json', value });
  const w = <T>(arbitrary: fc.Arbitrary<T>, weight: number) => ({ arbitrary, weight });

  /** Ways to break any request to a route of /api/v1, whatever its rules. */
  function always(path: fc.Arbitrary<string>, otherMethods: Method[], body?: object) {
    const parts = [
      // No valid credentials (with or without a plausible body).
      w(
        fc.tuple(badAuth, path, fc.boolean()).map(([caller, p, withBody]): Draft => ({ path: p, caller, body: withBody && body ? json(body) : undefined, why: `authentication: ${caller.as}` })),
        4,
      ),
      // A method the path does not serve.
      w(fc.tuple(anyone, path, fc.constantFrom(...otherMethods)).map(([caller, p, method]): Draft => ({ method, path: p, caller, body: body ? json(body) : undefined, why: `method ${method.toUpperCase()} is not served here` })), 1),
    ];
    if (body) {
      parts.push(w(fc.tuple(anyone, path, badJsonText(body)).map(([caller, p, b]): Draft => ({ path: p, caller, body: b.body, why: b.why })), 2));
      parts.push(w(fc.tuple(anyone, path, unreadableBody(body)).map(([caller, p, b]): Draft => ({ path: p, caller, body: b.body, why: b.why })), 1));
    }
    return parts;
  }

  /** A body the schema refuses, from callers who may otherwise call the route. */
  const broken = (path: fc.Arbitrary<string>, who: fc.Arbitrary<Caller>, base: object, check: (b: unknown) => boolean, weight = 6) =>
    w(fc.tuple(who, path, brokenBody(base, check)).map(([caller, p, b]): Draft => ({ path: p, caller, body: b.body, why: b.why })), weight);
  /** The fields in a content type the API does not read as JSON, or no body at all: only where an
   *  empty body is refused, since elsewhere a content type alone breaks no rule. One required field
   *  is left out as well, so the request stays invalid even if the API ever read these types. */
  const unread = (path: fc.Arbitrary<string>, who: fc.Arbitrary<Caller>, base: object, check: (b: unknown) => boolean) => {
    if (check({})) return [];
    const required = Object.keys(base).find((k) => !check(Object.fromEntries(Object.entries(base).filter(([key]) => key !== k))));
    if (!required) throw new Error(`no required field in ${JSON.stringify(base)}`);
    const partial = Object.fromEntries(Object.entries(base).filter(([key]) => key !== required));
    return [
      w(
        fc.tuple(who, path, fc.oneof(wrongContentType(partial), fc.constant({ body: undefined as Body | undefined, why: 'no body at all' }))).map(([caller, p, b]): Draft => ({ path: p, caller, body: b.body, why: `${b.why}, without ${required}` })),
        2,
      ),
    ];
  };
  /** A valid body from someone the rule refuses (or at a moment it refuses it). */
  const refusedCaller = (path: fc.Arbitrary<string>, who: fc.Arbitrary<Caller>, bodies: object[], why: string, weight = 4) =>
    w(fc.tuple(who, path, fc.constantFrom(...bodies)).map(([caller, p, b]): Draft => ({ path: p, caller, body: json(b), why })), weight);
  /** A read by someone who may not read it. */
  const refusedReader = (path: fc.Arbitrary<string>, who: fc.Arbitrary<Caller>, why: string, weight = 4) => w(fc.tuple(who, path).map(([caller, p]): Draft => ({ path: p, caller, why })), weight);
  /** Bad path ids: not uuids, malformed encoding, uuids of nothing. */
  const badIds = (tmpl: (seg: string) => string, params: z.ZodType, who: fc.Arbitrary<Caller>, body?: object, weights = [3, 1, 3]) => [
    w(fc.tuple(who, notUuid(params)).map(([caller, s]): Draft => ({ path: tmpl(s.seg), caller, body: body && json(body), why: s.why })), weights[0]!),
    w(fc.tuple(who, malformedSeg).map(([caller, s]): Draft => ({ path: tmpl(s.seg), caller, body: body && json(body), why: s.why })), weights[1]!),
    w(fc.tuple(who, fakeUuid).map(([caller, id]): Draft => ({ path: tmpl(id), caller, body: body && json(body), why: `no entity ${id}` })), weights[2]!),
  ];
  /** A list query the schema refuses. */
  const badList = (route: string, who: fc.Arbitrary<Caller>, schema: z.ZodType, keys: string[], weight = 6) =>
    w(fc.tuple(who, badQuery(keys, accepts(schema))).map(([caller, q]): Draft => ({ path: `${route}?${q.query}`, caller, why: `query: ${q.why}` })), weight);
  /** A free-text filter no row can match (NUL, lone surrogates...): a 4xx or an empty list are both
   *  right, a 5xx is not. */
  const oddFilter = (route: string, who: fc.Arbitrary<Caller>, keys: string[], mustRefuse = false) =>
    w(
      fc.tuple(who, fc.constantFrom(...keys), fc.constantFrom('%00', 'a%00b', '%ED%A0%80', '%F0%9F%98%80', `${'z'.repeat(5_000)}`, '%27%3B%20DROP%20TABLE%20task%3B--')).map(([caller, key, raw]): Draft => ({
        path: `${route}?${key}=${raw}`,
        caller,
        why: `query ${key}=${raw.slice(0, 40)} names nothing that can exist`,
        mustRefuse,
      })),
      2,
    );
  const at = (...segments: string[]) => fc.constantFrom(...segments);

  /** Staffing adjustment routes, around collectorC's cover of one of collectorA's accounts. */
  function staffingSpecs(): RouteSpec[] {
    const list = `${V1}/staffing-adjustments`;
    const one = `${list}/${f.staffingAdjustmentId}`;
    const body = valid(staffingAdjustmentRequest, staffingBody(f.staffingAccountId));
    const changeBody = valid(staffingChangeRequest, { reason: '提前返岗 Back early' });
    const reassignBody = valid(staffingReassignRequest, { toId: people.collectorC.id });
    return [
      {
        route: `POST ${V1}/staffing-adjustments`,
        runs: RUNS,
        decorate: true,
        arb: fc.oneof(
          ...always(at(list), ['put', 'delete', 'patch'], body),
          broken(at(list), callers(...HR), body, accepts(staffingAdjustmentRequest), 8),
          ...unread(at(list), callers('hrOfficer'), body, accepts(staffingAdjustmentRequest)),
          refusedCaller(at(list), except(...HR), [body], 'only HR starts a staffing adjustment'),
          refusedCaller(
            at(list),
            callers('hrOfficer'),
            [
              body,
              { ...body, coveringId: 'BT999' },
              { ...body, coveringId: people.collectorA.id },
              { ...body, coveringId: 'a\u0000b' },
              { ...body, coveredId: people.collectorB.id },
              { ...body, accountIds: ['no-such-account'] },
              { ...body, trainingSessionId: '00000000-0000-4000-8000-00000000dead' },
            ].map((b) => valid(staffingAdjustmentRequest, b)),
            'another open adjustment covers the account; nobody, oneself or NUL covering; accounts not the covered person\'s; no such session',
          ),
        ),
      },
      {
        route: `GET ${V1}/staffing-adjustments`,
        runs: RUNS,
        decorate: false,
        arb: fc.oneof(...always(at(list), ['put', 'delete', 'patch']), badList(list, anyone, listStaffingAdjustmentsQuery, ['status', 'limit', 'offset'])),
      },
      {
        route: `GET ${V1}/staffing-adjustments/{id}`,
        runs: RUNS,
        decorate: false,
        arb: fc.oneof(
          ...always(at(one), ['put', 'delete', 'patch']),
          ...badIds((s) => `${list}/${s}`, staffingAdjustmentParams, anyone),
          refusedReader(at(one), callers('collectorB', 'serviceRep', 'engineer', 'trainer', 'serviceHead'), 'neither covering, covered, deciding nor an overseer'),
        ),
      },
      ...(['make-permanent', 'end-early'] as const).map((path) => ({
        route: `POST ${V1}/staffing-adjustments/{id}/${path}`,
        runs: RUNS,
        decorate: true,
        arb: fc.oneof(
          ...always(at(`${one}/${path}`), ['get', 'put', 'delete'], changeBody),
          ...badIds((s) => `${list}/${s}/${path}`, staffingAdjustmentParams, callers('hrOfficer'), changeBody),
          broken(at(`${one}/${path}`), callers('hrOfficer'), changeBody, accepts(staffingChangeRequest)),
          ...unread(at(`${one}/${path}`), callers('hrOfficer'), changeBody, accepts(staffingChangeRequest)),
          refusedCaller(at(`${one}/${path}`), except(...HR), [changeBody], 'only HR changes a staffing adjustment'),
          refusedCaller(at(`${one}/${path}`), callers('hrOfficer'), [changeBody], 'only an active cover is changed: this one awaits approval'),
        ),
      })),
      {
        route: `POST ${V1}/staffing-adjustments/{id}/reassign`,
        runs: RUNS,
        decorate: true,
        arb: fc.oneof(
          ...always(at(`${one}/reassign`), ['get', 'put', 'delete'], reassignBody),
          ...badIds((s) => `${list}/${s}/reassign`, staffingAdjustmentParams, callers('hrOfficer'), reassignBody),
          broken(at(`${one}/reassign`), callers('hrOfficer'), reassignBody, accepts(staffingReassignRequest)),
          ...unread(at(`${one}/reassign`), callers('hrOfficer'), reassignBody, accepts(staffingReassignRequest)),
          refusedCaller(at(`${one}/reassign`), callers('collectorA', 'collectorC', 'collectionHead', 'hrOfficer'), [reassignBody], 'the owner has not left: nothing to reassign'),
          refusedCaller(at(`${one}/reassign`), callers('hrOfficer'), [{ toId: 'BT999' }, { toId: 'a\u0000b' }].map((b) => valid(staffingReassignRequest, b)), 'nobody active has that id'),
        ),
      },
    ];
  }

  /** Early warning and retention routes, around the engineer's open retention flow. */
  function riskSpecs(): RouteSpec[] {
    const E = people.engineer.id;
    const NOT_HR: Who[] = ['collectorA', 'engineer', 'serviceRep', 'trainer', 'admin', 'collectionHead', 'engineeringHead'];
    const NO_RISK_ROLE = callers('collectorA', 'collectorB', 'engineer', 'serviceRep', 'trainer', 'admin');
    const rules = `${V1}/risk/rules`;
    const record = `${V1}/risk/${E}`;
    const imports = `${V1}/performance/imports`;
    const rf = (tail = '') => `${V1}/retention-flows/${enc(f.retentionFlowId)}${tail}`;
    const rulesBody = valid(riskRules, DEFAULT_RISK_RULES);
    const flagBody = valid(riskFlagRequest, { reason: '最近常请假 Often away lately' });
    const importBody = valid(performanceImportRequest, { month: '2026-10', rows: [{ employeeNo: people.engineer.employeeNo, collectionRate: 90, contacts: 300, complaints: 0 }] });
    const interviewBody = valid(stayInterviewRequest, { heldOn: day(0), causes: ['workload'], notes: '加班太多 Too much overtime', actions: [{ what: '调整排班 New rota', ownerId: people.engineeringHead.id, dueOn: day(14) }] });
    const reviewBody = valid(retentionReviewRequest, { comment: '同意 Agreed' });
    const checkBody = valid(actionCheckRequest, { actionNo: 1, done: true, notes: '已调整 Done' });
    const closeBody = valid(retentionCloseRequest, { reason: '已调岗 Moved' });
    /** A step of the retention flow: `breakers` only send broken bodies; `refused` are refused a valid one. */
    const step = (tail: string, schema: z.ZodType, base: object, breakers: Who[], refused: Who[], why: string): RouteSpec => ({
      route: `POST ${V1}/retention-flows/{flowId}${tail}`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(rf(tail)), ['get', 'put', 'delete'], base),
        ...badIds((x) => `${V1}/retention-flows/${x}${tail}`, retentionParams, callers(...breakers), base),
        broken(at(rf(tail)), callers(...breakers), base, accepts(schema)),
        ...unread(at(rf(tail)), callers(...breakers), base, accepts(schema)),
        refusedCaller(at(rf(tail)), callers(...refused), [base], why),
      ),
    });
    return [
      {
        route: `GET ${V1}/risk`,
        runs: RUNS,
        decorate: false,
        arb: fc.oneof(...always(at(`${V1}/risk`), ['post', 'delete', 'patch']), badList(`${V1}/risk`, anyone, listRiskQuery, ['departmentId', 'level', 'limit', 'offset']), refusedReader(at(`${V1}/risk`), NO_RISK_ROLE, 'a collector sees nobody\'s risk')),
      },
      {
        route: `GET ${V1}/risk/rules`,
        runs: RUNS,
        decorate: false,
        arb: fc.oneof(...always(at(rules), ['post', 'delete', 'patch']), refusedReader(at(rules), callers(...NOT_HR), 'HR only')),
      },
      {
        route: `PUT ${V1}/risk/rules`,
        runs: RUNS,
        decorate: true,
        arb: fc.oneof(
          ...always(at(rules), ['post', 'delete', 'patch'], rulesBody),
          broken(at(rules), callers('hrOfficer', 'hrDirector'), rulesBody, accepts(riskRules)),
          ...unread(at(rules), callers('hrOfficer'), rulesBody, accepts(riskRules)),
          refusedCaller(at(rules), callers(...NOT_HR), [rulesBody], 'HR only'),
        ),
      },
      {
        route: `GET ${V1}/risk/{employeeId}`,
        runs: RUNS,
        decorate: false,
        arb: fc.oneof(
          ...always(at(record), ['put', 'delete', 'patch']),
          ...badIds((x) => `${V1}/risk/${x}`, riskEmployeeParams, callers('hrOfficer')),
          refusedReader(at(record), callers('collectorA', 'engineer', 'serviceHead', 'collectionHead', 'trainer', 'admin'), 'neither HR nor their manager'),
        ),
      },
      {
        route: `POST ${V1}/risk/{employeeId}/flags`,
        runs: RUNS,
        decorate: true,
        arb: fc.oneof(
          ...always(at(`${record}/flags`), ['get', 'put', 'delete'], flagBody),
          ...badIds((x) => `${V1}/risk/${x}/flags`, riskEmployeeParams, callers('engineeringHead'), flagBody),
          broken(at(`${record}/flags`), callers('engineeringHead', 'hrOfficer'), flagBody, accepts(riskFlagRequest)),
          ...unread(at(`${record}/flags`), callers('engineeringHead'), flagBody, accepts(riskFlagRequest)),
          refusedCaller(at(`${record}/flags`), callers('collectorA', 'engineer', 'serviceHead', 'collectionHead', 'trainer', 'admin'), [flagBody], 'neither HR nor their manager'),
        ),
      },
      {
        route: `POST ${V1}/performance/imports`,
        runs: RUNS,
        decorate: true,
        arb: fc.oneof(
          ...always(at(imports), ['get', 'put', 'delete'], importBody),
          broken(at(imports), callers('hrOfficer'), importBody, accepts(performanceImportRequest)),
          ...unread(at(imports), callers('hrOfficer'), importBody, accepts(performanceImportRequest)),
          refusedCaller(at(imports), callers(...NOT_HR), [importBody], 'HR only'),
        ),
      },
      {
        route: `GET ${V1}/retention-flows`,
        runs: RUNS,
        decorate: false,
        arb: fc.oneof(
          ...always(at(`${V1}/retention-flows`), ['post', 'delete', 'patch']),
          badList(`${V1}/retention-flows`, anyone, listRetentionQuery, ['status', 'departmentId', 'limit', 'offset']),
          refusedReader(at(`${V1}/retention-flows`), NO_RISK_ROLE, 'a collector sees nobody\'s risk'),
        ),
      },
      {
        route: `GET ${V1}/retention-flows/{flowId}`,
        runs: RUNS,
        decorate: false,
        arb: fc.oneof(
          ...always(at(rf()), ['put', 'delete', 'patch']),
          ...badIds((x) => `${V1}/retention-flows/${x}`, retentionParams, callers('hrOfficer')),
          refusedReader(at(rf()), callers('collectorA', 'engineer', 'serviceHead', 'collectionHead', 'trainer', 'admin'), 'neither HR nor the team\'s manager'),
        ),
      },
      step('/stay-interview', stayInterviewRequest, interviewBody, ['engineeringHead'], ['collectorA', 'engineer', 'serviceHead', 'hrOfficer'], 'only the interview task\'s holder, of the team'),
      step('/review', retentionReviewRequest, reviewBody, ['hrOfficer'], ['collectorA', 'engineeringHead', 'serviceHead', 'hrOfficer'], 'HR reviews, once the interview is recorded'),
      step('/action-checks', actionCheckRequest, checkBody, ['engineeringHead'], ['collectorA', 'engineer', 'engineeringHead', 'hrOfficer'], 'no action is due for a check yet'),
      step('/close', retentionCloseRequest, closeBody, ['hrOfficer'], ['collectorA', 'engineer', 'engineeringHead', 'serviceHead'], 'HR only'),
    ];
  }

  const plan = (id: string, tail = '') => `${V1}/training-plans/${id}${tail}`;
  const task = (id: string, tail = '') => `${V1}/tasks/${id}${tail}`;
  const flow = (id: string, tail = '') => `${V1}/flows/${id}${tail}`;
  const resignation = (id: string, tail = '') => `${V1}/resignations/${id}${tail}`;
  const item = (id: string, tail: string) => `${V1}/handover-items/${id}${tail}`;
  const cycle = (id: string, tail = '') => `${V1}/needs-cycles/${id}${tail}`;
  const preferences = (id: string) => `${V1}/employees/${id}/notification-preferences`;
  const retry = (id: string) => `${V1}/notifications/deliveries/${id}/retry`;

  const R = f.resignationId;
  const C = f.cycleId;
  // Readers of collectorB's handover: the overseers and its people; everyone else is refused.
  const notOfTheHandover = callers('collectorA', 'serviceRep', 'serviceHead', 'engineer', 'engineeringHead', 'ceo', 'vicePresident');
  const ofTheHandover = callers('hrOfficer', 'hrDirector', 'admin', 'collectorB', 'collectorC', 'collectionHead', 'trainer');
  const notOfTheCycle = callers('serviceRep', 'engineer', 'engineeringHead', 'trainer', 'collectorB', 'ceo');

  /** A route of a handover that sends the flow a message: `mayDoIt` may send a valid body (so they
   *  only ever send broken ones), `others` are refused even with a valid one. */
  function handoverMessage(tail: string, schema: z.ZodType, base: object, o: { mayDoIt: Who[]; why: string; breakers?: fc.Arbitrary<Caller>; extra?: ReturnType<typeof w<Draft>>[] }): RouteSpec {
    const path = at(resignation(R, tail));
    const outsiders = ['collectorA', 'serviceRep', 'serviceHead', 'engineer', 'engineeringHead', 'ceo', 'vicePresident'];
    const others = EVERYONE.filter((x) => !o.mayDoIt.includes(x) && !outsiders.includes(x));
    const breakers = o.breakers ?? ofTheHandover;
    return {
      route: `POST ${V1}/resignations/{id}${tail}`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(path, ['get', 'put', 'delete'], base),
        ...badIds((s) => resignation(s, tail), resignationIdParams, breakers, base),
        refusedCaller(path, notOfTheHandover, [base], 'the caller takes no part in this handover', 3),
        broken(path, breakers, base, accepts(schema)),
        ...unread(path, breakers, base, accepts(schema)),
        refusedCaller(path, callers(...others), [base], o.why),
        ...(o.extra ?? []),
      ),
    };
  }

  /** The exit interview (HR only; the fixture's handover is at its checklist, so even HR is refused)
   *  and the report of causes of leaving (HR and managers). */
  function exitInterviewSpecs(): RouteSpec[] {
    const path = at(resignation(R, '/exit-interview'));
    const body = valid(exitInterviewRequest, { heldOn: day(0), causes: ['pay'], notes: '别家给得多 Better paid elsewhere', wouldReturn: false, wouldRecommend: true });
    const notHr = callers('collectorA', 'collectorB', 'collectorC', 'collectionHead', 'trainer', 'admin', 'serviceHead', 'engineer');
    const leaving = `${V1}/reports/leaving-causes`;
    return [
      {
        route: `GET ${V1}/resignations/{id}/exit-interview`,
        runs: RUNS,
        decorate: false,
        arb: fc.oneof(...always(path, ['put', 'delete']), ...badIds((s) => resignation(s, '/exit-interview'), resignationIdParams, callers('hrOfficer')), refusedReader(path, notHr, 'HR only')),
      },
      {
        route: `POST ${V1}/resignations/{id}/exit-interview`,
        runs: RUNS,
        decorate: true,
        arb: fc.oneof(
          ...always(path, ['put', 'delete'], body),
          ...badIds((s) => resignation(s, '/exit-interview'), resignationIdParams, callers('hrOfficer'), body),
          broken(path, callers('hrOfficer', 'hrDirector'), body, accepts(exitInterviewRequest)),
          ...unread(path, callers('hrOfficer'), body, accepts(exitInterviewRequest)),
          refusedCaller(path, notHr, [body], 'HR only'),
          refusedCaller(path, callers('hrOfficer', 'hrDirector'), [body], 'the handover is not at its exit interview'),
        ),
      },
      {
        route: `GET ${V1}/reports/leaving-causes`,
        runs: RUNS,
        decorate: false,
        arb: fc.oneof(
          ...always(at(`${leaving}?from=2026-01-01&to=2026-12-31`), ['post', 'put', 'delete']),
          badList(leaving, callers('hrOfficer', 'collectionHead'), leavingCausesQuery, ['from', 'to']),
          refusedReader(at(`${leaving}?from=2026-01-01&to=2026-12-31`), callers('collectorA', 'engineer', 'trainer', 'admin', 'serviceRep'), 'neither HR nor a manager'),
        ),
      },
    ];
  }

  /** A route of a needs cycle that sends the flow a message (as handoverMessage). */
  function cycleMessage(tail: string, schema: z.ZodType, base: object, o: { mayDoIt: Who[]; why: string; breakers?: fc.Arbitrary<Caller>; extra?: ReturnType<typeof w<Draft>>[] }): RouteSpec {
    const path = at(cycle(C, tail));
    const breakers = o.breakers ?? anyone;
    return {
      route: `POST ${V1}/needs-cycles/{id}${tail}`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(path, ['get', 'put', 'delete'], base),
        ...badIds((s) => cycle(s, tail), cycleIdParams, breakers, base),
        broken(path, breakers, base, accepts(schema)),
        ...unread(path, breakers, base, accepts(schema)),
        refusedCaller(path, except(...o.mayDoIt), [base], o.why),
        ...(o.extra ?? []),
      ),
    };
  }

  const session = (id: string, tail = '') => `${V1}/training-sessions/${id}${tail}`;
  const S = f.sessionId;

  /** A route of a training session that sends its flow a message: `mayDoIt` only ever send broken
   *  bodies (a valid one would change the session); everyone else is refused even with a valid one
   *  (by role, or by the flow: nobody may do these things months before the session). */
  function sessionMessage(tail: string, schema: z.ZodType, base: object, mayDoIt: Who[], why: string): RouteSpec {
    const path = at(session(S, tail));
    const breakers = callers(...mayDoIt);
    return {
      route: `POST ${V1}/training-sessions/{id}${tail}`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(path, ['get', 'put', 'delete'], base),
        ...badIds((x) => session(x, tail), sessionIdParams, breakers, base),
        broken(path, breakers, base, accepts(schema)),
        ...unread(path, breakers, base, accepts(schema)),
        refusedCaller(path, except(...mayDoIt), [base], why),
      ),
    };
  }
  /** A read of a session that only some may make. */
  const sessionRead = (tail: string, readers: Who[], why: string): RouteSpec => ({
    route: `GET ${V1}/training-sessions/{id}${tail}`,
    runs: RUNS,
    decorate: true,
    arb: fc.oneof(
      ...always(at(session(S, tail)), ['put', 'delete', 'patch']),
      ...badIds((x) => session(x, tail), sessionIdParams, callers(...readers)),
      refusedReader(at(session(S, tail)), except(...readers), why),
    ),
  });
  const STAFF_AND_PARTICIPANTS: Who[] = ['hrOfficer', 'hrAssistant', 'hrDirector', 'admin', 'trainer', 'collectionHead', 'serviceHead', 'engineeringHead', 'ceo', 'vicePresident', 'collectorA', 'collectorC'];
  const sessionSpecs: RouteSpec[] = [
    {
      route: `POST ${V1}/training-plans/{id}/sessions`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(plan(f.approvedPlanId, '/sessions')), ['get', 'put', 'delete'], addSession),
        ...badIds((x) => plan(x, '/sessions'), planIdParams, callers(...HR), addSession),
        broken(at(plan(f.approvedPlanId, '/sessions')), callers(...HR), addSession, accepts(addSessionBody)),
        ...unread(at(plan(f.approvedPlanId, '/sessions')), callers(...HR), addSession, accepts(addSessionBody)),
        refusedCaller(at(plan(f.draftPlanId, '/sessions'), plan(f.submittedPlanId, '/sessions')), callers(...HR), [addSession], 'sessions are added to approved plans only'),
        refusedCaller(at(plan(f.approvedPlanId, '/sessions')), except(...HR), [addSession], 'only HR adds sessions'),
        refusedCaller(at(plan(f.approvedPlanId, '/sessions')), callers(...HR), [{ ...addSession, startsAt: inDays(-1) }, { ...addSession, trainerId: 'nobody' }], 'a start in the past, or a trainer who does not exist'),
      ),
    },
    {
      route: `GET ${V1}/training-sessions`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${V1}/training-sessions`), ['put', 'delete', 'patch']),
        badList(`${V1}/training-sessions`, anyone, listSessionsQuery, ['planId', 'from', 'to', 'status', 'limit', 'offset']),
      ),
    },
    sessionRead('', STAFF_AND_PARTICIPANTS, 'the caller takes no part in this session'),
    sessionRead('/calendar.ics', STAFF_AND_PARTICIPANTS, 'the caller takes no part in this session'),
    sessionRead('/sign-in-code', ['hrOfficer', 'hrAssistant', 'admin', 'trainer'], 'only the trainer and HR see the sign-in code'),
    sessionRead('/sign-in-code.svg', ['hrOfficer', 'hrAssistant', 'admin', 'trainer'], 'only the trainer and HR see the sign-in code'),
    sessionRead('/sign-in-code.png', ['hrOfficer', 'hrAssistant', 'admin', 'trainer'], 'only the trainer and HR see the sign-in code'),
    sessionMessage('/participants', participantsRequest, participantsBody, HR, 'only HR changes participants'),
    sessionMessage('/reschedule', rescheduleRequest, rescheduleBody, HR, 'only HR moves a session'),
    sessionMessage('/cancel', cancelFlowRequest, cancelBody, HR, 'only HR cancels a session'),
    sessionMessage('/trainer', trainerRequest, trainerBody, ['hrOfficer'], 'no trainer is being looked for, and only HR names one'),
    sessionMessage('/monitor', monitorRequest, monitorBody, ['hrOfficer'], 'a participant cannot monitor their own session, and only HR names a monitor'),
    sessionMessage('/sign-in', signInRequest, signInBody, ['collectorA', 'collectorC'], 'sign-in is months away, and only participants sign in'),
    sessionMessage('/close-sign-in', closeSignInRequest, {}, ['trainer'], 'sign-in has not opened, and only its trainer or HR officer closes it'),
    sessionMessage('/attendance', attendanceRequest, attendanceBody, ['trainer'], 'attendance is recorded from sign-in on, by its trainer or HR officer'),
    sessionMessage('/notes', noteRequest, noteBody, ['trainer'], 'notes are logged while the session runs, by its trainer, monitor or HR officer'),
    sessionMessage('/feedback', feedbackRequest, feedbackBody, ['collectorA'], 'feedback is given after the session, by those who attended'),
    sessionMessage('/report', reportRequest, reportBody, ['trainer'], 'the report is written after the session, by its trainer'),
  ];

  /** A follow-up route of the approved fixture plan, whose follow-up has not started: a valid
   *  request from anyone allowed is refused too (404), so only broken ones are sent by them. */
  const followUp = (id: string, tail: string) => plan(id, `/follow-up${tail}`);
  function followUpMessage(tail: string, schema: z.ZodType, base: object, mayDoIt: Who[] | 'anyone', why: string): RouteSpec {
    const path = at(followUp(f.approvedPlanId, tail.replace('{employeeId}', people.collectorA.id)));
    const breakers = mayDoIt === 'anyone' ? anyone : callers(...mayDoIt);
    return {
      route: `POST ${V1}/training-plans/{id}/follow-up${tail}`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(path, ['get', 'put', 'delete'], base),
        ...badIds((x) => followUp(x, tail.replace('{employeeId}', people.collectorA.id)), planIdParams, breakers, base),
        broken(path, breakers, base, accepts(schema)),
        ...unread(path, breakers, base, accepts(schema)),
        refusedCaller(path, mayDoIt === 'anyone' ? anyone : except(...mayDoIt), [base], why),
      ),
    };
  }
  const followUpRead = (tail: string, readers: Who[], why: string): RouteSpec => ({
    route: `GET ${V1}/training-plans/{id}/follow-up${tail}`,
    runs: RUNS,
    decorate: true,
    arb: fc.oneof(
      ...always(at(followUp(f.approvedPlanId, tail)), ['put', 'delete', 'patch']),
      ...badIds((x) => followUp(x, tail), planIdParams, callers(...readers)),
      refusedReader(at(followUp(f.approvedPlanId, tail)), anyone, why),
    ),
  });
  const MANAGERS: Who[] = ['collectionHead', 'serviceHead', 'engineeringHead', 'hrDirector', 'hrOfficer', 'hrAssistant'];
  const followUpSpecs: RouteSpec[] = [
    followUpRead('', STAFF_AND_PARTICIPANTS, 'the plan has no follow-up yet'),
    followUpRead('/report', STAFF_AND_PARTICIPANTS, 'the plan has no follow-up yet, and only staff read its report'),
    followUpRead('/report.csv', STAFF_AND_PARTICIPANTS, 'the plan has no follow-up yet, and only staff read its report'),
    followUpMessage('/scores', scoresRequest, valid(scoresRequest, { scores: [{ employeeId: people.collectorA.id, score: 88 }] }), ['trainer', ...HR], 'the plan has no follow-up yet, and only trainers and HR record scores'),
    followUpMessage('/results', resultsRequest, valid(resultsRequest, { actuals: [{ metric: 'collection_rate_90d', actual: 61 }] }), MANAGERS, 'the plan has no follow-up yet, and only its department head records results'),
    followUpMessage('/participants/{employeeId}/baseline', baselineRequest, valid(baselineRequest, { levels: { negotiation: 2 } }), MANAGERS, 'nobody follows up yet'),
    followUpMessage('/participants/{employeeId}/application', applicationRequest, valid(applicationRequest, { level: 4, examples: '每天 daily' }), 'anyone', 'nobody follows up yet'),
    followUpMessage('/participants/{employeeId}/behaviour', behaviourRequest, valid(behaviourRequest, { levels: { negotiation: 3 } }), MANAGERS, 'nobody follows up yet'),
    followUpMessage('/participants/{employeeId}/coaching-sessions', coachingSessionRequest, valid(coachingSessionRequest, { heldOn: '2026-12-01', minutes: 30, notes: '练习 practice' }), 'anyone', 'nobody follows up yet'),
    followUpMessage('/participants/{employeeId}/mentor', mentorRequest, valid(mentorRequest, { mentorId: people.collectionHead.id }), HR, 'nobody follows up yet, and only HR names mentors'),
  ];

  /** An app route outside /api/v1; `refuses` is false for the Swagger UI, which answers its page
   *  to any method and any path below it (harmless, so only properties 1 to 3 hold there). */
  const notServedAt = (path: string, methods: Method[], refuses = true, route = `GET ${path}`): RouteSpec => ({
    route,
    runs: 8,
    decorate: false,
    arb: fc.oneof(
      fc.tuple(fc.constantFrom(...methods), fc.option(fc.constantFrom(...Object.values(f.auth), as('hrOfficer').Authorization))).map(([method, authorization]): Draft => ({ method, path, caller: { as: 'anyone', authorization: authorization ?? undefined }, why: `method ${method.toUpperCase()} is not served here`, mustRefuse: refuses })),
      fc.tuple(anyone, badJsonText({ a: 1 })).map(([caller, b]): Draft => ({ method: 'post', path, caller, body: b.body, why: `POST with ${b.why}` })),
      fc.constantFrom(`${path}/x`, `${path}/%`, `${path}/%00`, `${path}.bak`).map((p): Draft => ({ method: 'post', path: p, caller: { as: 'anyone' }, body: json({ a: 1 }), why: 'no such route', mustRefuse: refuses })),
    ),
  });

  return [
    ...sessionSpecs,
    ...followUpSpecs,
    notServedAt('/healthz', ['post', 'put', 'patch', 'delete']),
    notServedAt('/readyz', ['post', 'put', 'patch', 'delete']),
    notServedAt('/api/openapi.json', ['post', 'put', 'patch', 'delete']),
    notServedAt('/api/docs', ['put', 'patch', 'delete'], false),
    notServedAt('/api/config', ['post', 'put', 'patch', 'delete']),
    // Without the web app's demo setting (this stack has none) the demo picker does not exist.
    notServedAt('/api/demo/users', ['get', 'post', 'put', 'patch', 'delete']),
    notServedAt('/api/demo/sign-in', ['get', 'post', 'put', 'patch', 'delete'], true, 'POST /api/demo/sign-in'),

    { route: `GET ${V1}/me`, runs: 16, decorate: true, arb: fc.oneof(...always(at(`${V1}/me`), ['put', 'delete', 'post'])) },
    { route: `GET ${V1}/departments`, runs: 16, decorate: true, arb: fc.oneof(...always(at(`${V1}/departments`), ['put', 'delete', 'post'])) },
    {
      route: `GET ${V1}/dashboard`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(...always(at(`${V1}/dashboard`), ['put', 'delete', 'post']), refusedReader(at(`${V1}/dashboard`), except(...HR, 'hrDirector', 'admin'), 'only HR, its director and admins see the overview')),
    },
    {
      route: `GET ${V1}/needs-cycles`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${V1}/needs-cycles`), ['put', 'delete', 'patch']),
        badList(`${V1}/needs-cycles`, callers(...HR), listCyclesQuery, ['limit', 'offset']),
        oddFilter(`${V1}/needs-cycles`, callers(...HR, 'collectionHead'), ['status', 'departmentId']),
      ),
    },

    {
      route: 'unknown routes',
      runs: 24,
      decorate: true,
      arb: fc
        .tuple(
          fc.constantFrom('/', '/api', '/api/v1', '/api/v2/tasks', '/api/v1/nope', `${V1}/employees/${people.collectorA.id}`, `${V1}/training-plans/${f.draftPlanId}/approve`, `${V1}/tasks/${f.approvalTaskId}/decision/extra`, `${V1}/flows`, `${V1}/accounts/123`, '/favicon.ico', '/.env', '/api/v1/handover-items'),
          fc.constantFrom<Method>('get', 'post', 'put', 'patch', 'delete'),
          fc.oneof(badAuth, anyone),
        )
        // GET /api/v1/flows is a route; the other methods there are not.
        .filter(([p, m]) => !(p === `${V1}/flows` && m === 'get'))
        .map(([path, method, caller]): Draft => ({ method, path, caller, body: method === 'get' ? undefined : json({ a: 1 }), why: `no route ${method.toUpperCase()} ${path}` })),
    },

    {
      route: `GET ${V1}/employees`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(...always(at(`${V1}/employees`), ['put', 'delete', 'post']), badList(`${V1}/employees`, anyone, listEmployeesQuery, ['role', 'status', 'limit', 'offset', 'department']), oddFilter(`${V1}/employees`, anyone, ['department'])),
    },

    {
      route: `GET ${V1}/employees/{id}/notification-preferences`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(preferences(people.collectorA.id)), ['put', 'delete', 'post']),
        ...badIds(preferences, employeeIdParams, callers(...HR, 'admin')),
        refusedReader(at(preferences(people.collectorA.id)), except(...HR, 'admin', 'collectorA'), 'only the employee, HR or an admin see how they are notified'),
      ),
    },

    {
      route: `PATCH ${V1}/employees/{id}/notification-preferences`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(preferences(people.collectorA.id)), ['put', 'delete', 'post'], preferencesBody),
        ...badIds(preferences, employeeIdParams, callers(...HR, 'admin'), preferencesBody),
        broken(at(preferences(people.collectorA.id)), callers(...HR, 'admin', 'collectorA'), preferencesBody, accepts(notificationPreferences)),
        refusedCaller(at(preferences(people.collectorA.id)), except(...HR, 'admin', 'collectorA'), [preferencesBody], 'only the employee, HR or an admin change how they are notified'),
      ),
    },

    {
      route: `GET ${V1}/notifications/deliveries`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${V1}/notifications/deliveries`), ['put', 'delete', 'post']),
        refusedReader(at(`${V1}/notifications/deliveries`), except(...HR, 'admin'), 'only HR and admins see deliveries'),
        badList(`${V1}/notifications/deliveries`, callers(...HR, 'admin'), listDeliveriesQuery, ['status', 'channel', 'limit', 'offset']),
        oddFilter(`${V1}/notifications/deliveries`, callers(...HR, 'admin'), ['recipient', 'flow']),
      ),
    },

    {
      route: `POST ${V1}/notifications/deliveries/{id}/retry`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(retry(f.deliveryId)), ['get', 'put', 'delete']),
        ...badIds(retry, deliveryIdParams, callers(...HR, 'admin')),
        refusedReader(at(retry(f.deliveryId)), except(...HR, 'admin'), 'only HR and admins send a delivery again'),
        refusedReader(at(retry(f.deliveryId)), callers(...HR, 'admin'), 'only a failed delivery is sent again'),
      ),
    },

    {
      route: `GET ${V1}/training-plans`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${V1}/training-plans`), ['put', 'delete', 'patch']),
        badList(`${V1}/training-plans`, callers('hrOfficer', 'hrDirector', 'ceo', 'admin', 'collectionHead'), listPlansQuery, ['status', 'limit', 'offset', 'departmentId']),
        w(fc.tuple(callers('trainer', 'collectorA', 'collectorB', 'serviceRep', 'engineer'), fc.constantFrom('', '?status=draft', '?limit=10')).map(([caller, q]): Draft => ({ path: `${V1}/training-plans${q}`, caller, why: 'listing plans needs hr, hr_director, executive, admin or manager' })), 3),
        oddFilter(`${V1}/training-plans`, callers('hrOfficer', 'admin'), ['departmentId']),
      ),
    },

    {
      route: `POST ${V1}/training-plans`,
      runs: RUNS + 8,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${V1}/training-plans`), ['put', 'delete', 'patch'], createPlanBody),
        broken(at(`${V1}/training-plans`), callers(...HR), createPlanBody, accepts(createPlanRequest), 10),
        ...unread(at(`${V1}/training-plans`), callers(...HR), createPlanBody, accepts(createPlanRequest)),
        refusedCaller(at(`${V1}/training-plans`), except(...HR), [createPlanBody], 'only HR drafts plans'),
        w(
          fc.tuple(callers(...HR), fc.constantFrom('dept-nowhere', 'DEPT-COLLECTION', 'dept-collection ', '\u0000', 'dept\u0000collection', '😀', 'x'.repeat(5_000))).map(([caller, departmentId]): Draft => ({
            path: `${V1}/training-plans`,
            caller,
            body: json({ ...createPlanBody, departmentId }),
            why: `no department ${JSON.stringify(departmentId.slice(0, 30))}`,
          })),
          3,
        ),
        w(fc.tuple(callers(...HR), fc.oneof(fakeUuid.map((u) => u.toLowerCase()), fc.constant(f.cycleId))).map(([caller, u]): Draft => ({ path: `${V1}/training-plans`, caller, body: json({ ...createPlanBody, needsAssessmentId: u }), why: 'no confirmed needs assessment with that id' })), 2),
      ),
    },

    {
      route: `GET ${V1}/training-plans/{id}`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(plan(f.draftPlanId), plan(f.submittedPlanId)), ['post', 'patch', 'delete']),
        ...badIds((s) => plan(s), planIdParams, anyone),
        refusedReader(at(plan(f.draftPlanId), plan(f.submittedPlanId)), callers('trainer', 'collectorA', 'collectorB', 'collectorC', 'serviceRep', 'engineer'), 'only the drafter and readers (HR, directors, executives, admins, managers) read a plan'),
      ),
    },

    {
      route: `PUT ${V1}/training-plans/{id}`,
      runs: RUNS + 4,
      decorate: true,
      arb: fc.oneof(
        ...always(at(plan(f.draftPlanId)), ['post', 'patch', 'delete'], updatePlanBody),
        ...badIds((s) => plan(s), planIdParams, callers('hrOfficer'), updatePlanBody),
        // The drafter with a bad body: on the draft it would otherwise be saved.
        broken(at(plan(f.draftPlanId), plan(f.submittedPlanId)), callers('hrOfficer'), updatePlanBody, accepts(updatePlanRequest), 10),
        refusedCaller(at(plan(f.draftPlanId), plan(f.submittedPlanId)), callers('hrAssistant'), [updatePlanBody], 'only the drafter edits a plan'),
        refusedCaller(at(plan(f.draftPlanId)), except(...HR), [updatePlanBody], 'only HR edits plans'),
        refusedCaller(at(plan(f.submittedPlanId)), callers('hrOfficer'), [updatePlanBody, {}], 'a plan in approval is not editable'),
      ),
    },

    {
      route: `POST ${V1}/training-plans/{id}/submit`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(plan(f.draftPlanId, '/submit')), ['get', 'put', 'delete'], submitBody),
        ...badIds((s) => plan(s, '/submit'), planIdParams, callers('hrOfficer'), submitBody),
        broken(at(plan(f.draftPlanId, '/submit'), plan(f.submittedPlanId, '/submit')), callers('hrOfficer'), submitBody, accepts(submitPlanRequest)),
        refusedCaller(at(plan(f.draftPlanId, '/submit')), callers('hrOfficer'), [submitBody, {}], 'the draft is incomplete'),
        refusedCaller(at(plan(f.draftPlanId, '/submit'), plan(f.submittedPlanId, '/submit')), callers('hrAssistant'), [submitBody, {}], 'only the drafter submits'),
        refusedCaller(at(plan(f.submittedPlanId, '/submit')), except(...HR), [submitBody, {}], 'only HR submits plans'),
      ),
    },

    {
      route: `POST ${V1}/training-plans/{id}/withdraw`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(plan(f.submittedPlanId, '/withdraw')), ['get', 'put', 'delete'], withdrawBody),
        ...badIds((s) => plan(s, '/withdraw'), planIdParams, callers('hrOfficer'), withdrawBody),
        broken(at(plan(f.submittedPlanId, '/withdraw'), plan(f.draftPlanId, '/withdraw')), callers('hrOfficer'), withdrawBody, accepts(withdrawPlanRequest)),
        refusedCaller(at(plan(f.draftPlanId, '/withdraw')), callers('hrOfficer'), [withdrawBody, {}], 'a plan never submitted cannot be withdrawn'),
        refusedCaller(at(plan(f.submittedPlanId, '/withdraw')), callers('hrAssistant'), [withdrawBody], 'only the drafter withdraws'),
        refusedCaller(at(plan(f.submittedPlanId, '/withdraw')), except(...HR), [withdrawBody], 'only HR withdraws plans'),
      ),
    },

    {
      route: `GET ${V1}/tasks`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${V1}/tasks`), ['post', 'put', 'delete']),
        badList(`${V1}/tasks`, anyone, listTasksQuery, ['status', 'limit', 'offset', 'assignee', 'flowId']),
        w(
          fc.tuple(except(...HR, 'admin'), fc.constantFrom(...EVERYONE)).filter(([c, other]) => c.as !== other).map(([caller, other]): Draft => ({ path: `${V1}/tasks?assignee=${people[other].id}`, caller, why: "only HR and admins read another person's inbox" })),
          3,
        ),
        oddFilter(`${V1}/tasks`, anyone, ['flowId']),
        oddFilter(`${V1}/tasks`, except(...HR, 'admin'), ['assignee'], true),
      ),
    },

    {
      route: `GET ${V1}/tasks/{id}`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(task(f.approvalTaskId)), ['post', 'put', 'delete']),
        ...badIds((s) => task(s), taskIdParams, anyone),
        refusedReader(at(task(f.approvalTaskId)), except(...HR, 'admin', 'collectionHead'), 'the task is not theirs'),
      ),
    },

    {
      route: `POST ${V1}/tasks/{id}/decision`,
      runs: RUNS + 8,
      decorate: true,
      arb: fc.oneof(
        ...always(at(task(f.approvalTaskId, '/decision')), ['get', 'put', 'delete'], decisionBodies[0]!),
        ...badIds((s) => task(s, '/decision'), taskIdParams, callers('collectionHead', 'hrOfficer'), decisionBodies[0]!),
        broken(at(task(f.approvalTaskId, '/decision')), callers('collectionHead'), decisionBodies[2]!, accepts(taskDecision), 10),
        ...unread(at(task(f.approvalTaskId, '/decision')), callers('collectionHead'), decisionBodies[0]!, accepts(taskDecision)),
        refusedCaller(at(task(f.approvalTaskId, '/decision')), except('collectionHead'), decisionBodies, 'only the assignee decides the task', 6),
        refusedCaller(at(task(f.approvalTaskId, '/decision')), callers('collectionHead'), [{ decision: 'done' }, { decision: 'confirm' }, { decision: 'confirm', comment: 'x' }], 'a plan approval is approved, rejected or sent back, not done or confirmed', 3),
      ),
    },

    {
      route: `POST ${V1}/tasks/{id}/transfer`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(task(f.approvalTaskId, '/transfer')), ['get', 'put', 'delete'], transferBodies[0]!),
        ...badIds((s) => task(s, '/transfer'), taskIdParams, callers('collectionHead', 'hrOfficer'), transferBodies[0]!),
        broken(at(task(f.approvalTaskId, '/transfer')), callers('collectionHead'), transferBodies[0]!, accepts(transferRequest), 8),
        ...unread(at(task(f.approvalTaskId, '/transfer')), callers('collectionHead'), transferBodies[0]!, accepts(transferRequest)),
        refusedCaller(at(task(f.approvalTaskId, '/transfer')), except('collectionHead'), transferBodies, 'only the task\'s holder transfers it', 6),
        refusedCaller(
          at(task(f.approvalTaskId, '/transfer')),
          callers('collectionHead'),
          [{ toId: people.hrOfficer.id, reason: 'HR drafted it' }, { toId: people.collectionHead.id, reason: 'to myself' }, { toId: 'BT999', reason: 'to nobody' }],
          'not to the plan\'s drafter, its own holder or nobody',
          3,
        ),
      ),
    },

    {
      route: `POST ${V1}/tasks/{id}/signers`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(task(f.approvalTaskId, '/signers')), ['get', 'put', 'delete'], signerBodies[0]!),
        ...badIds((s) => task(s, '/signers'), taskIdParams, callers('collectionHead', 'hrOfficer'), signerBodies[0]!),
        broken(at(task(f.approvalTaskId, '/signers')), callers('collectionHead'), signerBodies[0]!, accepts(addSignerRequest), 8),
        ...unread(at(task(f.approvalTaskId, '/signers')), callers('collectionHead'), signerBodies[0]!, accepts(addSignerRequest)),
        refusedCaller(at(task(f.approvalTaskId, '/signers')), except('collectionHead'), signerBodies, 'only the task\'s holder adds a signer', 6),
        refusedCaller(
          at(task(f.approvalTaskId, '/signers')),
          callers('collectionHead'),
          [{ signerId: people.hrOfficer.id, position: 'before', reason: 'HR drafted it' }, { signerId: people.collectionHead.id, position: 'after', reason: 'myself' }, { signerId: 'BT999', position: 'after', reason: 'nobody' }],
          'not the plan\'s drafter, its own holder or nobody',
          3,
        ),
      ),
    },

    {
      route: `POST ${V1}/tasks/{id}/cc`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(task(f.approvalTaskId, '/cc')), ['get', 'put', 'delete'], ccBodies[0]!),
        ...badIds((s) => task(s, '/cc'), taskIdParams, callers('collectionHead', 'hrOfficer'), ccBodies[0]!),
        broken(at(task(f.approvalTaskId, '/cc')), callers('collectionHead'), ccBodies[0]!, accepts(ccRequest), 8),
        ...unread(at(task(f.approvalTaskId, '/cc')), callers('collectionHead'), ccBodies[0]!, accepts(ccRequest)),
        refusedCaller(at(task(f.approvalTaskId, '/cc')), except('collectionHead'), ccBodies, 'only the task\'s holder copies people in', 6),
        refusedCaller(at(task(f.approvalTaskId, '/cc')), callers('collectionHead'), [{ ids: ['BT999'] }, { ids: [people.collectorA.id, 'nobody'] }], 'nobody unknown copied in', 2),
      ),
    },

    {
      route: `POST ${V1}/surveys`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${V1}/surveys`), ['put', 'delete', 'patch'], recurringSurveyBody),
        broken(at(`${V1}/surveys`), callers('hrOfficer'), recurringSurveyBody, accepts(createSurveyBody), 8),
        ...unread(at(`${V1}/surveys`), callers('hrOfficer'), recurringSurveyBody, accepts(createSurveyBody)),
        refusedCaller(at(`${V1}/surveys`), except(...HR), [recurringSurveyBody], 'only HR defines a survey'),
        refusedCaller(at(`${V1}/surveys`), callers('hrOfficer'), [{ ...recurringSurveyBody, departmentIds: ['dept-nowhere'] }].map((b) => valid(createSurveyBody, b)), 'a department that does not exist', 2),
      ),
    },

    {
      route: `GET ${V1}/surveys`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${V1}/surveys`), ['put', 'delete', 'patch']),
        badList(`${V1}/surveys`, callers('hrOfficer'), listSurveysQuery, ['status', 'limit', 'offset']),
        refusedReader(at(`${V1}/surveys`), callers('collectorA', 'collectionHead', 'trainer'), 'surveys are read by HR, directors, executives and admins'),
      ),
    },

    ...(['get', 'patch', 'delete'] as const).map((method) => ({
      route: `${method.toUpperCase()} ${V1}/surveys/{id}`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(...badIds((s: string) => `${V1}/surveys/${s}`, surveyIdParams, callers('hrOfficer'), method === 'patch' ? { title: 'x' } : undefined)).map((d: Draft): Draft => ({ ...d, method })),
    })),

    ...['pause', 'resume', 'run-now'].map((path) => ({
      route: `POST ${V1}/surveys/{id}/${path}`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(...always(at(`${V1}/surveys/${f.approvalTaskId}/${path}`), ['get', 'put', 'delete']), ...badIds((s: string) => `${V1}/surveys/${s}/${path}`, surveyIdParams, callers('hrOfficer'))),
    })),

    {
      route: `POST ${V1}/needs-cycle-schedules`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${V1}/needs-cycle-schedules`), ['put', 'delete', 'patch'], yearlyNeedsBody),
        broken(at(`${V1}/needs-cycle-schedules`), callers('hrOfficer'), yearlyNeedsBody, accepts(createNeedsScheduleBody), 8),
        ...unread(at(`${V1}/needs-cycle-schedules`), callers('hrOfficer'), yearlyNeedsBody, accepts(createNeedsScheduleBody)),
        refusedCaller(at(`${V1}/needs-cycle-schedules`), except(...HR), [yearlyNeedsBody], 'only HR sets the yearly needs cycle'),
        refusedCaller(at(`${V1}/needs-cycle-schedules`), callers('hrOfficer'), [{ ...yearlyNeedsBody, departmentId: 'dept-nowhere' }, { ...yearlyNeedsBody, hrId: 'nobody' }].map((b) => valid(createNeedsScheduleBody, b)), 'a department or HR officer that does not exist', 2),
      ),
    },

    {
      route: `GET ${V1}/needs-cycle-schedules`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${V1}/needs-cycle-schedules`), ['put', 'delete', 'patch']),
        badList(`${V1}/needs-cycle-schedules`, callers('hrOfficer'), listNeedsSchedulesQuery, ['status', 'limit', 'offset']),
        refusedReader(at(`${V1}/needs-cycle-schedules`), callers('collectorA', 'collectionHead', 'trainer'), 'needs-cycle schedules are read by HR, its director and admins'),
      ),
    },

    ...(['get', 'patch', 'delete'] as const).map((method) => ({
      route: `${method.toUpperCase()} ${V1}/needs-cycle-schedules/{id}`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(...badIds((s: string) => `${V1}/needs-cycle-schedules/${s}`, needsScheduleIdParams, callers('hrOfficer'), method === 'patch' ? { name: 'x' } : undefined)).map((d: Draft): Draft => ({ ...d, method })),
    })),

    ...['pause', 'resume', 'run-now'].map((path) => ({
      route: `POST ${V1}/needs-cycle-schedules/{id}/${path}`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(...always(at(`${V1}/needs-cycle-schedules/${f.approvalTaskId}/${path}`), ['get', 'put', 'delete']), ...badIds((s: string) => `${V1}/needs-cycle-schedules/${s}/${path}`, needsScheduleIdParams, callers('hrOfficer'))),
    })),

    {
      route: `GET ${V1}/survey-runs/{id}`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(...always(at(`${V1}/survey-runs/${f.approvalTaskId}`), ['put', 'delete', 'patch']), ...badIds((s) => `${V1}/survey-runs/${s}`, surveyRunIdParams, anyone)),
    },

    ...([['answers', valid(surveyAnswers, { answers: { pay: 3 } })], ['actions', valid(surveyActionRequest, { title: 'x', ownerId: people.collectionHead.id, dueAt: new Date(Date.now() + 86_400_000).toISOString() })]] as const).map(([path, body]) => ({
      route: `POST ${V1}/survey-runs/{id}/${path}`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(...always(at(`${V1}/survey-runs/${f.approvalTaskId}/${path}`), ['get', 'put', 'delete'], body), ...badIds((s: string) => `${V1}/survey-runs/${s}/${path}`, surveyRunIdParams, callers('hrOfficer', 'collectorA'), body)),
    })),

    {
      route: `POST ${V1}/suggestions`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${V1}/suggestions`), ['put', 'delete', 'patch'], suggestionBody),
        broken(at(`${V1}/suggestions`), anyone, suggestionBody, accepts(suggestionRequest), 8),
        ...unread(at(`${V1}/suggestions`), anyone, suggestionBody, accepts(suggestionRequest)),
        refusedCaller(at(`${V1}/suggestions`), anyone, [{ ...suggestionBody, departmentId: 'dept-nowhere' }], 'a department that does not exist', 2),
      ),
    },

    {
      route: `GET ${V1}/suggestions`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${V1}/suggestions`), ['put', 'delete', 'patch']),
        badList(`${V1}/suggestions`, callers('hrOfficer', 'collectionHead', 'collectorA'), listSuggestionsQuery, ['mine', 'departmentId', 'status', 'limit', 'offset']),
        refusedReader(at(`${V1}/suggestions`, `${V1}/suggestions?mine=false`), callers('collectorA', 'engineer', 'trainer'), 'a department\'s suggestions are read by its head and HR'),
        refusedReader(at(`${V1}/suggestions?departmentId=dept-engineering`), callers('collectionHead'), 'a head reads the departments they head'),
      ),
    },

    {
      route: `GET ${V1}/suggestions/stats`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${V1}/suggestions/stats`), ['put', 'delete', 'patch']),
        badList(`${V1}/suggestions/stats`, callers('hrOfficer', 'hrDirector'), suggestionStatsQuery, ['from', 'to']),
        refusedReader(at(`${V1}/suggestions/stats`), callers('collectorA', 'collectionHead', 'admin'), 'statistics are read by HR and directors'),
      ),
    },

    {
      route: `GET ${V1}/suggestions/{id}`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${V1}/suggestions/${f.suggestionId}`), ['put', 'delete', 'patch']),
        ...badIds((s) => `${V1}/suggestions/${s}`, suggestionIdParams, anyone),
        refusedReader(at(`${V1}/suggestions/${f.suggestionId}`), callers('collectorB', 'serviceHead', 'engineer'), 'neither its sender, its department\'s head, its task\'s holder nor HR'),
      ),
    },

    {
      route: `POST ${V1}/suggestions/{id}/answer`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${V1}/suggestions/${f.suggestionId}/answer`), ['get', 'put', 'delete'], suggestionAnswerBody),
        ...badIds((s) => `${V1}/suggestions/${s}/answer`, suggestionIdParams, callers('collectionHead'), suggestionAnswerBody),
        broken(at(`${V1}/suggestions/${f.suggestionId}/answer`), callers('collectionHead'), suggestionAnswerBody, accepts(suggestionAnswerRequest)),
        ...unread(at(`${V1}/suggestions/${f.suggestionId}/answer`), callers('collectionHead'), suggestionAnswerBody, accepts(suggestionAnswerRequest)),
        refusedCaller(at(`${V1}/suggestions/${f.suggestionId}/answer`), callers('collectorA', 'hrOfficer', 'serviceHead', 'engineer'), [suggestionAnswerBody], 'only whoever holds its task answers'),
      ),
    },

    {
      route: `GET ${V1}/reserve-pools`,
      runs: RUNS,
      decorate: false,
      arb: fc.oneof(...always(at(pools), ['post', 'delete', 'patch']), refusedReader(at(pools), notPoolReaders, 'collectors never see a pool')),
    },
    {
      route: `GET ${V1}/reserve-pools/{position}`,
      runs: RUNS,
      decorate: false,
      arb: fc.oneof(
        ...always(at(`${pools}/collector`), ['post', 'put', 'delete']),
        ...badIds((s) => `${pools}/${s}`, poolParams, callers('hrOfficer', 'collectionHead')),
        refusedReader(at(`${pools}/collector`, `${pools}/trainer`), notPoolReaders, 'collectors never see a pool'),
      ),
    },
    {
      route: `POST ${V1}/reserve-pools/{position}/candidates`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${pools}/collector/candidates`), ['get', 'put', 'delete'], nominateBody),
        ...badIds((s) => `${pools}/${s}/candidates`, poolParams, callers('hrOfficer'), nominateBody),
        broken(at(`${pools}/collector/candidates`), callers('hrOfficer', 'collectionHead'), nominateBody, accepts(nominateRequest)),
        ...unread(at(`${pools}/collector/candidates`), callers('hrOfficer'), nominateBody, accepts(nominateRequest)),
        refusedCaller(at(`${pools}/collector/candidates`), notPoolReaders, [nominateBody], 'collectors never nominate'),
        refusedCaller(at(`${pools}/collector/candidates`), callers('collectionHead', 'serviceHead'), [{ ...nominateBody, employeeId: people.engineer.id }], 'a manager nominates only their own people'),
        refusedCaller(at(`${pools}/collector/candidates`), callers('hrOfficer'), [{ ...nominateBody, employeeId: 'nobody' }], 'no such employee'),
      ),
    },
    ...(['assessment', 'withdrawal'] as const).map((tail): RouteSpec => {
      const [schema, body] = tail === 'assessment' ? [poolAssessRequest, poolAssessBody] : [poolWithdrawRequest, poolWithdrawBody];
      const path = at(`${pools}/collector/candidates/${people.collectorB.id}/${tail}`);
      return {
        route: `POST ${V1}/reserve-pools/{position}/candidates/{employeeId}/${tail}`,
        runs: RUNS,
        decorate: true,
        arb: fc.oneof(
          ...always(path, ['get', 'put', 'delete'], body),
          ...badIds((s) => `${pools}/${s}/candidates/${people.collectorB.id}/${tail}`, poolCandidateParams, callers('hrOfficer'), body),
          broken(path, callers('hrOfficer'), body, accepts(schema)),
          refusedCaller(path, notHr, [body], 'only HR assesses or withdraws a candidate'),
          refusedCaller(path, callers('hrOfficer'), [body], 'nobody is in the pool yet'),
        ),
      };
    }),
    {
      route: `PUT ${V1}/reserve-pools/{position}/minimum`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${pools}/trainer/minimum`), ['get', 'post', 'delete'], poolMinimumBody),
        ...badIds((s) => `${pools}/${s}/minimum`, poolParams, callers('hrOfficer'), poolMinimumBody),
        broken(at(`${pools}/trainer/minimum`), callers('hrOfficer'), poolMinimumBody, accepts(poolMinimumRequest)),
        ...unread(at(`${pools}/trainer/minimum`), callers('hrOfficer'), poolMinimumBody, accepts(poolMinimumRequest)),
        refusedCaller(at(`${pools}/trainer/minimum`), notHr, [poolMinimumBody], 'only HR sets a minimum'),
      ),
    },
    {
      route: `POST ${V1}/reserve-pools/{position}/reviews`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${pools}/collector/reviews`), ['get', 'put', 'delete'], poolReviewBody),
        ...badIds((s) => `${pools}/${s}/reviews`, poolParams, callers('hrOfficer'), poolReviewBody),
        broken(at(`${pools}/collector/reviews`), callers('hrOfficer'), poolReviewBody, accepts(poolReviewRequest)),
        ...unread(at(`${pools}/collector/reviews`), callers('hrOfficer'), poolReviewBody, accepts(poolReviewRequest)),
        refusedCaller(at(`${pools}/collector/reviews`), notHr, [poolReviewBody], 'only HR reviews a pool'),
        refusedCaller(at(`${pools}/collector/reviews`), callers('hrOfficer'), [poolReviewBody], 'no review is due'),
      ),
    },
    {
      route: `PUT ${V1}/reserve-pools/review-schedule`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${pools}/review-schedule`), ['delete', 'patch'], poolScheduleBody),
        broken(at(`${pools}/review-schedule`), callers('hrOfficer'), poolScheduleBody, accepts(poolReviewScheduleRequest)),
        ...unread(at(`${pools}/review-schedule`), callers('hrOfficer'), poolScheduleBody, accepts(poolReviewScheduleRequest)),
        refusedCaller(at(`${pools}/review-schedule`), notHr, [poolScheduleBody], 'only HR sets when pools are reviewed'),
      ),
    },
    {
      route: `POST ${V1}/reserve-pools/review-schedule/run-now`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${pools}/review-schedule/run-now`), ['get', 'put', 'delete']),
        refusedCaller(at(`${pools}/review-schedule/run-now`), notHr, [{}], 'only HR runs the review'),
        refusedCaller(at(`${pools}/review-schedule/run-now`), callers('hrOfficer'), [{}], 'no review is scheduled yet'),
      ),
    },
    {
      route: `GET ${V1}/resignations/{id}/successor-candidates`,
      runs: RUNS,
      decorate: false,
      arb: fc.oneof(
        ...always(at(resignation(f.resignationId, '/successor-candidates')), ['post', 'put', 'delete']),
        ...badIds((s) => resignation(s, '/successor-candidates'), resignationIdParams, callers('hrOfficer')),
        refusedReader(at(resignation(f.resignationId, '/successor-candidates')), callers('collectorA', 'collectorC', 'trainer', 'serviceHead', 'engineer'), 'HR and the leaver\'s manager choose a successor'),
      ),
    },
    {
      route: `POST ${V1}/onboardings`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${V1}/onboardings`), ['put', 'delete'], registerBody),
        broken(at(`${V1}/onboardings`), callers('hrOfficer'), registerBody, accepts(registerOnboardingBody)),
        ...unread(at(`${V1}/onboardings`), callers('hrOfficer'), registerBody, accepts(registerOnboardingBody)),
        refusedCaller(at(`${V1}/onboardings`), except(...HR), [registerBody], 'only HR registers a hire'),
        refusedCaller(
          at(`${V1}/onboardings`),
          callers(...HR),
          [{ ...registerBody, departmentId: 'dept-nowhere' }, { ...registerBody, trainerId: people.collectorB.id }, { ...registerBody, startDate: day(-20) }, { ...registerBody, person: undefined, employeeId: people.collectorA.id }],
          'an unknown department, a trainer who is not one, a start long past, an active employee',
        ),
      ),
    },
    {
      route: `GET ${V1}/onboardings`,
      runs: RUNS,
      decorate: false,
      arb: fc.oneof(...always(at(`${V1}/onboardings`), ['delete', 'patch']), badList(`${V1}/onboardings`, anyone, listOnboardingsQuery, ['status', 'limit', 'offset'])),
    },
    {
      route: `GET ${V1}/onboardings/{employeeId}`,
      runs: RUNS,
      decorate: false,
      arb: fc.oneof(
        ...always(at(hire), ['post', 'put', 'delete']),
        ...badIds((seg) => `${V1}/onboardings/${seg}`, onboardingParams, anyone),
        refusedReader(at(hire), callers('collectorA', 'collectorB', 'serviceHead', 'engineer'), 'neither the hire, holding its tasks nor an overseer'),
      ),
    },
    ...onboardingForms.map(([path, schema, body, refused, refusedBodies, why]): RouteSpec => ({
      route: `POST ${V1}/onboardings/{employeeId}/${path}`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${hire}/${path}`), ['get', 'put', 'delete'], valid(schema, body)),
        ...badIds((seg) => `${V1}/onboardings/${seg}/${path}`, onboardingParams, anyone, body),
        broken(at(`${hire}/${path}`), anyone, body, accepts(schema)),
        ...unread(at(`${hire}/${path}`), anyone, body, accepts(schema)),
        refusedCaller(at(`${hire}/${path}`), callers(...refused), [body], why),
        ...(refusedBodies.length ? [refusedCaller(at(`${hire}/${path}`), anyone, refusedBodies, why)] : []),
      ),
    })),
    // HR may cancel an onboarding with a reason: HR only ever sends a broken body.
    {
      route: `POST ${V1}/onboardings/{employeeId}/cancel`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${hire}/cancel`), ['get', 'put', 'delete'], cancelBody),
        ...badIds((seg) => `${V1}/onboardings/${seg}/cancel`, onboardingParams, callers(...HR), cancelBody),
        broken(at(`${hire}/cancel`), callers(...HR), cancelBody, accepts(cancelFlowRequest)),
        ...unread(at(`${hire}/cancel`), callers(...HR), cancelBody, accepts(cancelFlowRequest)),
        refusedCaller(at(`${hire}/cancel`), except(...HR), [cancelBody], 'only HR cancels an onboarding'),
      ),
    },
    {
      route: `GET ${V1}/documents`,
      runs: RUNS,
      decorate: false,
      arb: fc.oneof(...always(at(`${V1}/documents`), ['delete', 'patch']), badList(`${V1}/documents`, anyone, listDocumentsQuery, ['kind', 'limit', 'offset'])),
    },
    {
      route: `GET ${V1}/documents/{documentId}`,
      runs: RUNS,
      decorate: false,
      arb: fc.oneof(...always(at(`${V1}/documents/${f.documentId}`), ['put', 'delete']), ...badIds((seg) => `${V1}/documents/${seg}`, documentParams, anyone)),
    },
    {
      route: `POST ${V1}/documents`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${V1}/documents`), ['put', 'delete'], valid(documentRequest, { title: '职责 Duties', kind: 'duties', summary: '职责 Duties' })),
        broken(at(`${V1}/documents`), callers('hrOfficer'), { title: '职责 Duties', kind: 'duties', summary: '职责 Duties' }, accepts(documentRequest)),
        refusedCaller(at(`${V1}/documents`), except(...HR), [{ title: '职责 Duties', kind: 'duties', summary: '职责 Duties' }], 'only HR publishes documents'),
      ),
    },
    {
      route: `POST ${V1}/documents/{documentId}/versions`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${V1}/documents/${f.documentId}/versions`), ['get', 'put', 'delete'], { summary: '新规 New rule' }),
        ...badIds((seg) => `${V1}/documents/${seg}/versions`, documentParams, callers('hrOfficer'), { summary: '新规 New rule' }),
        broken(at(`${V1}/documents/${f.documentId}/versions`), callers('hrOfficer'), { summary: '新规 New rule' }, accepts(documentVersionRequest)),
        refusedCaller(at(`${V1}/documents/${f.documentId}/versions`), except(...HR), [{ summary: '新规 New rule' }], 'only HR publishes a version'),
      ),
    },
    ...staffingSpecs(),
    {
      route: `GET ${V1}/team-rebuildings`,
      runs: RUNS,
      decorate: false,
      arb: fc.oneof(...always(at(`${V1}/team-rebuildings`), ['post', 'delete', 'patch']), badList(`${V1}/team-rebuildings`, anyone, listTeamRebuildingsQuery, ['status', 'limit', 'offset'])),
    },
    {
      route: `GET ${V1}/team-rebuildings/{resignationId}`,
      runs: RUNS,
      decorate: false,
      arb: fc.oneof(
        ...always(at(team), ['post', 'put', 'delete']),
        ...badIds((s) => `${V1}/team-rebuildings/${s}`, teamRebuildingParams, anyone),
        refusedReader(at(team), callers('collectorA', 'collectorB', 'serviceHead', 'engineer'), 'neither holding its talks nor an overseer'),
      ),
    },
    {
      route: `POST ${V1}/team-rebuildings/{resignationId}/talks`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${team}/talks`), ['get', 'put', 'delete'], talkBody),
        ...badIds((s) => `${V1}/team-rebuildings/${s}/talks`, teamRebuildingParams, callers('collectionHead'), talkBody),
        broken(at(`${team}/talks`), callers('collectionHead'), talkBody, accepts(teamTalkRequest)),
        ...unread(at(`${team}/talks`), callers('collectionHead'), talkBody, accepts(teamTalkRequest)),
        refusedCaller(at(`${team}/talks`), callers('collectorA', 'hrOfficer', 'serviceHead', 'engineer'), [talkBody], 'only whoever holds the talk\'s task records it'),
        refusedCaller(at(`${team}/talks`), callers('collectionHead'), [{ ...talkBody, heldOn: day(3) }, { ...talkBody, memberId: people.engineer.id }], 'a talk on a day ahead, or with someone not in the team', 2),
      ),
    },

    // Early warning and retention: HR and the engineer's own manager (engineeringHead) only.
    ...riskSpecs(),

    {
      route: `POST ${V1}/vacancies`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${V1}/vacancies`), ['put', 'delete', 'patch'], newVacancyBody),
        broken(at(`${V1}/vacancies`), callers(...HR), newVacancyBody, accepts(vacancyRequest), 8),
        ...unread(at(`${V1}/vacancies`), callers(...HR), newVacancyBody, accepts(vacancyRequest)),
        refusedCaller(at(`${V1}/vacancies`), except(...HR), [newVacancyBody], 'only HR posts a vacancy'),
        refusedCaller(at(`${V1}/vacancies`), callers(...HR), [{ ...newVacancyBody, panelIds: ['nobody'] }, { ...newVacancyBody, departmentId: 'dept-nowhere' }, { ...newVacancyBody, applyUntil: '2020-01-01T00:00:00Z' }], 'a panelist, department or window that cannot be', 2),
      ),
    },

    {
      route: `GET ${V1}/vacancies`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(...always(at(`${V1}/vacancies`), ['put', 'delete', 'patch']), badList(`${V1}/vacancies`, anyone, listVacanciesQuery, ['status', 'limit', 'offset'])),
    },

    {
      route: `GET ${V1}/vacancies/{id}`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(...always(at(`${V1}/vacancies/${f.vacancyId}`), ['put', 'delete', 'patch']), ...badIds((s) => `${V1}/vacancies/${s}`, vacancyIdParams, anyone)),
    },

    ...(
      [
        ['applications', applyBody, vacancyApplicationRequest, callers('collectorA', 'collectionHead', 'serviceHead'), 'applied already, or on the panel'],
        ['applications/withdraw', withdrawBody2, withdrawalRequest, callers('collectorB', 'engineer', 'hrOfficer'), 'no application to withdraw'],
        ['evaluations', evaluationBody, evaluationRequest, anyone, 'the panel scores only once the window has closed'],
        ['decision', promotionDecisionBody, decisionRequest, anyone, 'nothing to decide while applications are open'],
        ['countersign', countersignBody, countersignRequest, anyone, 'nothing to countersign while applications are open'],
        ['extend', extensionBody, extensionRequest, anyone, 'the window is open: there is nothing to extend'],
        ['cancel', cancelBody, cancelFlowRequest, except(...HR), 'only HR cancels a vacancy'],
      ] as const
    ).map(([path, body, schema, refused, why]): RouteSpec => ({
      route: `POST ${V1}/vacancies/{id}/${path}`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${V1}/vacancies/${f.vacancyId}/${path}`), ['get', 'put', 'delete'], body),
        ...badIds((s) => `${V1}/vacancies/${s}/${path}`, vacancyIdParams, callers('hrOfficer', 'collectionHead'), body),
        broken(at(`${V1}/vacancies/${f.vacancyId}/${path}`), callers('hrOfficer', 'collectionHead', 'collectorB'), body, accepts(schema)),
        ...unread(at(`${V1}/vacancies/${f.vacancyId}/${path}`), callers('hrOfficer', 'collectionHead', 'collectorB'), body, accepts(schema)),
        refusedCaller(at(`${V1}/vacancies/${f.vacancyId}/${path}`), refused, [body], why),
      ),
    })),

    {
      route: `GET ${V1}/career-plans`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(...always(at(`${V1}/career-plans`), ['post', 'delete', 'patch']), badList(`${V1}/career-plans`, anyone, listCareerPlansQuery, ['reviewDueBefore', 'limit', 'offset'])),
    },

    {
      route: `GET ${V1}/career-plans/{employeeId}`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(...always(at(`${V1}/career-plans/${A}`), ['post', 'delete', 'patch']), refusedReader(at(`${V1}/career-plans/${A}`, `${V1}/career-plans/${people.collectorA.employeeNo}`), callers('collectorB', 'serviceHead', 'engineer', 'trainer'), 'a plan is kept by its employee, their manager, their head and HR')),
    },

    {
      route: `PUT ${V1}/career-plans/{employeeId}`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        broken(at(`${V1}/career-plans/me`, `${V1}/career-plans/${A}`), callers('collectorA', 'collectionHead', 'hrOfficer'), planBody, accepts(careerPlanRequest), 8),
        ...unread(at(`${V1}/career-plans/${A}`), callers('collectorA', 'hrOfficer'), planBody, accepts(careerPlanRequest)),
        refusedCaller(at(`${V1}/career-plans/${A}`), callers('collectorB', 'serviceHead', 'engineer', 'trainer'), [planBody], 'not kept by them'),
        refusedCaller(at(`${V1}/career-plans/${A}`), callers('collectorA', 'collectionHead'), [{ ...planBody, revision: 0 }, { ...planBody, nextReviewAt: '2020-01-01T09:00:00+08:00' }], 'a stale revision or a review time in the past', 2),
      ),
    },

    {
      route: `POST ${V1}/career-plans/{employeeId}/review`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${V1}/career-plans/${A}/review`), ['get', 'put', 'delete'], planReviewBody),
        broken(at(`${V1}/career-plans/${A}/review`), callers('collectionHead'), planReviewBody, accepts(careerPlanReviewRequest)),
        ...unread(at(`${V1}/career-plans/${A}/review`), callers('collectionHead'), planReviewBody, accepts(careerPlanReviewRequest)),
        refusedCaller(at(`${V1}/career-plans/${A}/review`, `${V1}/career-plans/me/review`), callers('collectorA', 'collectionHead', 'hrOfficer', 'collectorB'), [planReviewBody], 'no review is due'),
      ),
    },

    {
      route: `GET ${V1}/career-plans/{employeeId}/history`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(...always(at(`${V1}/career-plans/${A}/history`), ['post', 'put', 'delete']), refusedReader(at(`${V1}/career-plans/${A}/history`), callers('collectorB', 'serviceHead', 'engineer'), 'not kept by them')),
    },

    {
      route: `POST ${V1}/delegations`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${V1}/delegations`), ['put', 'delete', 'patch'], delegationBody),
        broken(at(`${V1}/delegations`), callers('collectionHead', 'hrOfficer'), delegationBody, accepts(delegationRequest), 8),
        ...unread(at(`${V1}/delegations`), callers('collectionHead'), delegationBody, accepts(delegationRequest)),
        refusedCaller(at(`${V1}/delegations`), callers('collectorA', 'collectionHead', 'trainer'), [{ ...delegationBody, ownerId: people.hrDirector.id }], 'only HR sets a delegation for someone else'),
        refusedCaller(
          at(`${V1}/delegations`),
          callers('collectionHead'),
          [
            { ...delegationBody, delegateId: people.collectionHead.id },
            { ...delegationBody, delegateId: 'BT999' },
            { ...delegationBody, delegateId: 'a\u0000b' },
            { ...delegationBody, startsAt: new Date(Date.now() - 86_400_000).toISOString() },
          ].map((b) => valid(delegationRequest, b)),
          'not to oneself or nobody, not starting yesterday',
        ),
      ),
    },

    {
      route: `GET ${V1}/delegations`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${V1}/delegations`), ['put', 'delete', 'patch']),
        badList(`${V1}/delegations`, callers('hrOfficer', 'collectionHead'), listDelegationsQuery, ['status', 'limit', 'offset']),
        w(fc.tuple(callers('collectionHead', 'collectorA'), fc.constantFrom('', `?owner=${people.hrDirector.id}`, `?delegate=${people.hrDirector.id}&owner=me`)).map(([caller, q]): Draft => ({ path: `${V1}/delegations${q}`, caller, why: 'only HR and admins read other people\'s delegations' })), 3),
      ),
    },

    {
      route: `GET ${V1}/delegations/{id}`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(...always(at(`${V1}/delegations/${f.approvalTaskId}`), ['put', 'delete', 'patch']), ...badIds((s) => `${V1}/delegations/${s}`, delegationIdParams, anyone)),
    },

    {
      route: `POST ${V1}/delegations/{id}/end`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${V1}/delegations/${f.approvalTaskId}/end`), ['get', 'put', 'delete'], {}),
        ...badIds((s) => `${V1}/delegations/${s}/end`, delegationIdParams, callers('collectionHead', 'hrOfficer'), valid(endDelegationRequest, { reason: 'back' })),
      ),
    },

    {
      route: `GET ${V1}/flows`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${V1}/flows`), ['post', 'put', 'delete']),
        badList(`${V1}/flows`, callers('hrOfficer', 'hrDirector', 'ceo', 'admin'), listFlowsQuery, ['status', 'limit', 'offset', 'type']),
        w(fc.tuple(callers('collectionHead', 'serviceHead', 'trainer', 'collectorA', 'engineer'), fc.constantFrom('', '?status=running')).map(([caller, q]): Draft => ({ path: `${V1}/flows${q}`, caller, why: 'listing flows needs hr, hr_director, executive or admin' })), 3),
        oddFilter(`${V1}/flows`, callers('hrOfficer', 'admin'), ['type']),
      ),
    },

    {
      route: `GET ${V1}/flows/{id}`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(flow(enc(f.planFlowId))), ['put', 'delete', 'patch']),
        w(
          fc.tuple(anyone, fc.oneof(fc.string({ minLength: 1, maxLength: 80 }), fakeUuid.map((u) => `training-plan:${u}`), fc.constantFrom('\u0000', `${f.planFlowId}\u0000`, `${f.planFlowId} `, f.planFlowId.toUpperCase(), `${f.handoverFlowId}/checklist-9`)))
            .filter(([, id]) => ![f.planFlowId, f.handoverFlowId, f.cycleFlowId].includes(id) && id !== '.' && id !== '..' && flowIdParams.safeParse({ id }).success)
            .map(([caller, id]): Draft => ({ path: flow(enc(id)), caller, why: `no flow ${JSON.stringify(id.slice(0, 40))}` })),
          4,
        ),
        w(fc.tuple(anyone, fc.integer({ min: 301, max: 3_000 })).map(([caller, n]): Draft => ({ path: flow('f'.repeat(n)), caller, why: `a flow id of ${n} characters` })), 2),
        w(fc.tuple(anyone, malformedSeg).map(([caller, s]): Draft => ({ path: flow(s.seg), caller, why: s.why })), 1),
        refusedReader(at(flow(enc(f.planFlowId)), flow(enc(f.cycleFlowId))), callers('trainer', 'serviceRep', 'engineer', 'engineeringHead', 'serviceHead'), 'the caller takes no part in the flow'),
        badList(flow(enc(f.planFlowId)), callers('hrOfficer', 'admin', 'collectionHead'), flowViewQuery, ['tasksLimit', 'tasksOffset', 'auditLimit', 'auditOffset']),
      ),
    },

    {
      route: `POST ${V1}/flows/{id}/resume`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(flow(enc(f.planFlowId), '/resume')), ['get', 'put', 'delete']),
        refusedReader(at(flow(enc(f.planFlowId), '/resume'), flow(enc(f.handoverFlowId), '/resume'), flow('nope', '/resume')), except(...HR, 'admin'), 'only HR and admins resume flows'),
        refusedReader(at(flow(enc(f.planFlowId), '/resume'), flow(enc(f.handoverFlowId), '/resume'), flow(enc(f.cycleFlowId), '/resume')), callers('hrOfficer', 'admin'), 'the flow is not stalled'),
        w(
          fc.tuple(callers('hrOfficer', 'admin'), fc.oneof(fc.string({ minLength: 1, maxLength: 60 }), fakeUuid.map((u) => `handover:${u}`), fc.constantFrom('\u0000', `${f.planFlowId}\u0000`)))
            .filter(([, id]) => ![f.planFlowId, f.handoverFlowId, f.cycleFlowId].includes(id) && id !== '.' && id !== '..' && flowIdParams.safeParse({ id }).success)
            .map(([caller, id]): Draft => ({ path: flow(enc(id), '/resume'), caller, why: `no flow ${JSON.stringify(id.slice(0, 40))}` })),
          3,
        ),
        w(fc.tuple(callers('hrOfficer', 'admin'), fc.integer({ min: 301, max: 3_000 })).map(([caller, n]): Draft => ({ path: flow('f'.repeat(n), '/resume'), caller, why: `a flow id of ${n} characters` })), 1),
      ),
    },

    {
      route: `POST ${V1}/flows/{id}/comments`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(flow(enc(f.planFlowId), '/comments')), ['put', 'delete', 'patch'], commentBody),
        broken(at(flow(enc(f.planFlowId), '/comments')), callers('collectionHead', 'hrOfficer'), commentBody, accepts(commentRequest), 8),
        ...unread(at(flow(enc(f.planFlowId), '/comments')), callers('collectionHead'), commentBody, accepts(commentRequest)),
        refusedCaller(at(flow(enc(f.planFlowId), '/comments'), flow(enc(f.cycleFlowId), '/comments')), callers('trainer', 'serviceRep', 'engineer', 'engineeringHead', 'serviceHead'), [commentBody], 'the caller takes no part in the flow'),
        refusedCaller(at(flow('no-such-flow', '/comments'), flow(enc(`${f.planFlowId}\u0000`), '/comments')), anyone, [commentBody], 'no such flow', 2),
        refusedCaller(
          at(flow(enc(f.planFlowId), '/comments')),
          callers('collectionHead', 'hrOfficer'),
          [{ ...commentBody, attachmentIds: [f.attachmentId] }, { ...commentBody, attachmentIds: ['00000000-0000-4000-8000-000000000000'] }].map((b) => valid(commentRequest, b)),
          'a file already attached, another\'s, or none',
          3,
        ),
      ),
    },

    {
      route: `GET ${V1}/flows/{id}/comments`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(flow(enc(f.planFlowId), '/comments')), ['put', 'delete', 'patch']),
        refusedReader(at(flow(enc(f.planFlowId), '/comments'), flow(enc(f.cycleFlowId), '/comments')), callers('trainer', 'serviceRep', 'engineer', 'engineeringHead', 'serviceHead'), 'the caller takes no part in the flow'),
        refusedReader(at(flow('no-such-flow', '/comments'), flow('f'.repeat(400), '/comments')), anyone, 'no such flow', 2),
        badList(flow(enc(f.planFlowId), '/comments'), callers('hrOfficer', 'collectionHead'), commentsQuery, ['limit', 'offset']),
      ),
    },

    {
      route: `POST ${V1}/flows/{id}/attachments`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(flow(enc(f.planFlowId), '/attachments')), ['get', 'put', 'delete', 'patch']),
        w(
          fc
            .tuple(
              callers('collectionHead', 'hrOfficer'),
              fc.constantFrom(
                { name: 'setup.exe', type: 'application/octet-stream', text: 'MZ\u0000\u0000', why: 'a type that may not be attached' },
                { name: 'photo.png', type: 'image/png', text: 'MZ\u0000\u0000', why: 'bytes that are not a PNG' },
                { name: 'report.pdf', type: 'image/png', text: '%PDF-1.7', why: 'a declared type that is not the name\'s' },
                { name: 'empty.pdf', type: 'application/pdf', text: '', why: 'an empty file' },
                { name: 'notes.txt', type: 'text/plain', text: '\u0000\u0001\u0002', why: 'text with control bytes' },
                { name: 'data.json', type: 'application/json', text: '{"a":1}', why: 'JSON is no attachment' },
                { name: '', type: 'application/pdf', text: '%PDF-1.7', why: 'no file name' },
                { name: '../../etc/passwd', type: 'application/pdf', text: '%PDF-1.7', why: 'a name without an allowed extension' },
              ),
            )
            .map(([caller, b]): Draft => ({ path: flow(enc(f.planFlowId), '/attachments'), caller, headers: b.name ? { 'X-File-Name': b.name } : {}, body: { kind: 'raw', text: b.text, contentType: b.type }, why: b.why })),
          8,
        ),
        w(
          fc
            .tuple(callers('trainer', 'serviceRep', 'engineer', 'engineeringHead', 'serviceHead'), at(flow(enc(f.planFlowId), '/attachments'), flow('no-such-flow', '/attachments')))
            .map(([caller, p]): Draft => ({ path: p, caller, headers: { 'X-File-Name': 'notes.txt' }, body: { kind: 'raw', text: 'minutes', contentType: 'text/plain' }, why: 'the caller takes no part in the flow, or there is none' })),
          4,
        ),
      ),
    },

    {
      route: `GET ${V1}/attachments/{id}`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${V1}/attachments/${f.attachmentId}`), ['post', 'put', 'delete', 'patch']),
        ...badIds((s) => `${V1}/attachments/${s}`, attachmentIdParams, anyone),
        refusedReader(at(`${V1}/attachments/${f.attachmentId}`), callers('trainer', 'serviceRep', 'engineer', 'engineeringHead', 'serviceHead'), 'the caller takes no part in the file\'s flow'),
      ),
    },

    {
      route: `POST ${V1}/resignations`,
      runs: RUNS + 8,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${V1}/resignations`), ['put', 'delete', 'patch'], resignationBody(people.collectorA.id)),
        broken(at(`${V1}/resignations`), callers(...HR), resignationBody(people.collectorA.id, { successorId: people.collectorC.id, supervisorId: people.collectionHead.id }), accepts(startResignationBody), 10),
        ...unread(at(`${V1}/resignations`), callers(...HR), resignationBody(people.collectorA.id), accepts(startResignationBody)),
        // Neither HR, nor the leaver, nor their manager.
        refusedCaller(at(`${V1}/resignations`), callers('collectorB', 'collectorC', 'serviceRep', 'engineer', 'trainer', 'serviceHead'), [resignationBody(people.collectorA.id)], 'HR, the employee or their manager hands in a resignation'),
        refusedCaller(at(`${V1}/resignations`), callers('collectorA'), [resignationBody(people.collectorA.id, { successorId: people.collectorC.id }), resignationBody(people.collectorA.id, { supervisorId: people.serviceHead.id })], 'a leaver cannot name who takes over or checks their handover'),
        refusedCaller(at(`${V1}/resignations`), callers('collectorA', 'collectionHead'), [resignationBody(people.collectorA.id, { settings: { executiveThresholdFen: 0 } })], 'only HR sets a flow’s settings'),
        refusedCaller(
          at(`${V1}/resignations`),
          callers(...HR),
          [
            resignationBody('nobody-at-all'),
            resignationBody('00000000-0000-4000-8000-0000000009ff'),
            resignationBody(people.collectorA.id, { successorId: 'ghost' }),
            resignationBody(people.collectorA.id, { supervisorId: '00000000-0000-4000-8000-000000000000' }),
            resignationBody(people.collectorA.id, { mentorId: 'ghost' }),
            resignationBody('\u0000'),
            resignationBody(people.collectorA.id, { successorId: 'a\u0000b' }),
          ],
          'names someone who is not an active employee',
        ),
        refusedCaller(at(`${V1}/resignations`), callers(...HR), [resignationBody(people.collectorB.id)], 'collectorB already has a handover in progress'),
      ),
    },

    {
      route: `GET ${V1}/resignations`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${V1}/resignations`), ['put', 'delete', 'patch']),
        badList(`${V1}/resignations`, callers('hrOfficer', 'hrDirector', 'admin'), listResignationsQuery, ['status', 'limit', 'offset']),
        w(fc.tuple(callers('ceo', 'collectionHead', 'trainer', 'collectorB', 'collectorC', 'engineer'), fc.constantFrom('', '?status=in_progress')).map(([caller, q]): Draft => ({ path: `${V1}/resignations${q}`, caller, why: 'listing resignations needs hr, hr_director or admin' })), 3),
      ),
    },

    {
      route: `GET ${V1}/resignations/{id}`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(resignation(R)), ['put', 'delete', 'patch']),
        ...badIds((s) => resignation(s), resignationIdParams, anyone),
        refusedReader(at(resignation(R)), notOfTheHandover, 'the caller takes no part in this handover'),
        badList(resignation(R), ofTheHandover, resignationItemsQuery, ['status', 'category', 'limit', 'offset']),
      ),
    },

    handoverMessage('/assignment', assignHandoverRequest, assignmentBody, {
      mayDoIt: [],
      why: 'the successor and supervisor were named at the start: no assignment is expected',
      extra: [
        refusedCaller(at(resignation(R, '/assignment')), callers('hrOfficer'), [{ successorId: people.collectorB.id, supervisorId: people.collectionHead.id }, { successorId: people.collectorC.id, supervisorId: people.collectorB.id }], 'the leaver cannot hand over to themself'),
      ],
    }),
    handoverMessage('/knowledge-articles', submitArticleRequest, articleBody, {
      mayDoIt: ['collectorB'],
      why: 'only the leaver writes knowledge articles',
      extra: [refusedCaller(at(resignation(R, '/knowledge-articles')), callers('collectorB'), [{ ...articleBody, articleId: 'never-written' }, { ...articleBody, articleId: '00000000-0000-4000-8000-000000000001' }], 'only an article sent back can be revised')],
    }),
    handoverMessage('/mentoring-sessions', mentoringSessionRequest, mentoringBody, { mayDoIt: ['trainer'], why: 'only the mentor logs mentoring sessions' }),
    handoverMessage('/assessment', assessmentRequest, assessmentBody, { mayDoIt: ['collectionHead'], why: 'only the supervisor assesses the successor' }),
    handoverMessage('/successor-review', successorReviewRequest, reviewBody, { mayDoIt: ['hrOfficer', 'hrAssistant', 'hrDirector', 'admin'], why: 'only HR reviews a successor after a second failed assessment' }),
    handoverMessage('/rating', ratingRequest, ratingBody, { mayDoIt: ['collectorC'], why: 'only the successor rates the handover' }),
    handoverMessage('/sign-off', signOffRequest, signOffBody, { mayDoIt: [], why: 'sign-off opens only once every line is verified' }),
    // HR may cancel a handover with a reason: HR only ever sends a broken body.
    handoverMessage('/cancel', cancelFlowRequest, cancelBody, { mayDoIt: HR, why: 'only HR cancels a handover', breakers: callers(...HR) }),
    ...exitInterviewSpecs(),

    {
      route: `POST ${V1}/handover-items/{id}/complete`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(fc.constantFrom(...f.itemIds).map((id) => item(id, '/complete')), ['get', 'put', 'delete'], completeBody),
        ...badIds((s) => item(s, '/complete'), itemIdParams, callers('collectorB'), completeBody),
        broken(fc.constantFrom(...f.itemIds).map((id) => item(id, '/complete')), callers('collectorB'), completeBody, accepts(completeItemsRequest)),
        refusedCaller(fc.constantFrom(...f.itemIds).map((id) => item(id, '/complete')), except('collectorB'), [completeBody, {}], 'only the leaver completes handover lines'),
      ),
    },

    {
      route: `POST ${V1}/handover-items/complete`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${V1}/handover-items/complete`), ['get', 'put', 'delete'], bulkComplete(f.itemIds)),
        broken(at(`${V1}/handover-items/complete`), callers('collectorB'), bulkComplete(f.itemIds), acceptsAll(bulkItems, completeItemsRequest), 10),
        ...unread(at(`${V1}/handover-items/complete`), callers('collectorB'), bulkComplete(f.itemIds), acceptsAll(bulkItems, completeItemsRequest)),
        refusedCaller(at(`${V1}/handover-items/complete`), except('collectorB'), [bulkComplete(f.itemIds), bulkComplete(f.itemIds.slice(0, 1))], 'only the leaver completes handover lines'),
        w(
          fc.tuple(callers('collectorB'), fc.array(fakeUuid.map((u) => u.toLowerCase()), { minLength: 1, maxLength: 5 }), fc.subarray(f.itemIds)).map(([caller, ghosts, real]): Draft => ({
            path: `${V1}/handover-items/complete`,
            caller,
            body: json(bulkComplete([...real, ...ghosts])),
            why: 'names items that do not exist',
          })),
          3,
        ),
        w(fc.tuple(callers('collectorB'), fc.integer({ min: 10_001, max: 10_050 })).map(([caller, n]): Draft => ({ path: `${V1}/handover-items/complete`, caller, body: json({ itemIds: Array.from({ length: n }, () => f.itemIds[0]) }), why: `${n} item ids (at most 10,000)` })), 1),
      ),
    },

    {
      route: `POST ${V1}/handover-items/{id}/verify`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(fc.constantFrom(...f.itemIds).map((id) => item(id, '/verify')), ['get', 'put', 'delete'], verifyBody),
        ...badIds((s) => item(s, '/verify'), itemIdParams, callers('collectionHead'), verifyBody),
        broken(fc.constantFrom(...f.itemIds).map((id) => item(id, '/verify')), callers('collectionHead'), verifyBody, accepts(verifyItemsRequest)),
        ...unread(fc.constantFrom(...f.itemIds).map((id) => item(id, '/verify')), callers('collectionHead'), verifyBody, accepts(verifyItemsRequest)),
        refusedCaller(fc.constantFrom(...f.itemIds).map((id) => item(id, '/verify')), except('collectionHead', ...HR), [verifyBody, { verdict: 'accept' }], 'only the supervisor (or HR) verifies handover lines'),
        refusedCaller(fc.constantFrom(...f.itemIds).map((id) => item(id, '/verify')), callers('collectionHead'), [verifyBody, { verdict: 'accept' }], 'a line that is not done cannot be verified'),
      ),
    },

    {
      route: `POST ${V1}/handover-items/verify`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${V1}/handover-items/verify`), ['get', 'put', 'delete'], bulkVerify(f.itemIds)),
        broken(at(`${V1}/handover-items/verify`), callers('collectionHead'), bulkVerify(f.itemIds), acceptsAll(bulkItems, verifyItemsRequest), 10),
        ...unread(at(`${V1}/handover-items/verify`), callers('collectionHead'), bulkVerify(f.itemIds), acceptsAll(bulkItems, verifyItemsRequest)),
        refusedCaller(at(`${V1}/handover-items/verify`), except('collectionHead', ...HR), [bulkVerify(f.itemIds)], 'only the supervisor (or HR) verifies handover lines'),
        refusedCaller(at(`${V1}/handover-items/verify`), callers('collectionHead'), [bulkVerify(f.itemIds), bulkVerify(f.itemIds.slice(2))], 'lines that are not done cannot be verified'),
        w(
          fc.tuple(callers('collectionHead', 'hrOfficer'), fc.array(fakeUuid.map((u) => u.toLowerCase()), { minLength: 1, maxLength: 5 })).map(([caller, ghosts]): Draft => ({ path: `${V1}/handover-items/verify`, caller, body: json(bulkVerify([...f.itemIds, ...ghosts])), why: 'names items that do not exist' })),
          3,
        ),
      ),
    },

    {
      route: `GET ${V1}/accounts`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${V1}/accounts`), ['post', 'put', 'delete']),
        badList(`${V1}/accounts`, anyone, accountsQuery, ['limit', 'offset', 'assignee']),
        w(
          fc.constantFrom<[Who, Who]>(['collectorA', 'collectorB'], ['collectorB', 'collectorA'], ['serviceRep', 'collectorA'], ['engineer', 'collectorC'], ['trainer', 'collectorA'], ['serviceHead', 'collectorA'], ['collectorC', 'collectorA']).map(([caller, owner]): Draft => ({
            path: `${V1}/accounts?assignee=${people[owner].id}`,
            caller: user(caller),
            why: `${caller} does not answer for ${owner}'s portfolio`,
          })),
          3,
        ),
        oddFilter(`${V1}/accounts`, callers('hrOfficer', 'admin'), ['assignee']),
        oddFilter(`${V1}/accounts`, callers('collectorA', 'serviceRep', 'collectionHead'), ['assignee'], true),
      ),
    },

    {
      route: `POST ${V1}/needs-cycles`,
      runs: RUNS + 8,
      decorate: true,
      arb: fc.oneof(
        ...always(at(`${V1}/needs-cycles`), ['put', 'delete', 'patch'], needsBody),
        broken(at(`${V1}/needs-cycles`), callers(...HR), needsBody, accepts(startNeedsCycleBody), 10),
        ...unread(at(`${V1}/needs-cycles`), callers(...HR), needsBody, accepts(startNeedsCycleBody)),
        refusedCaller(at(`${V1}/needs-cycles`), except(...HR), [needsBody], 'only HR starts a needs cycle'),
        refusedCaller(
          at(`${V1}/needs-cycles`),
          callers(...HR),
          [
            { ...needsBody, surveyDeadline: '2020-01-01T00:00:00Z' },
            { ...needsBody, surveyDeadline: new Date(Date.now() - 60_000).toISOString() },
            { ...needsBody, departmentId: 'dept-nowhere' },
            { ...needsBody, departmentId: '\u0000' },
            { ...needsBody, participantIds: [people.collectorA.id, 'ghost'] },
            { ...needsBody, participantIds: ['a\u0000b'] },
            { ...needsBody, hrId: 'ghost' },
          ].map((b) => valid(startNeedsCycleBody, b)),
          'a past deadline, or a department or person that does not exist',
        ),
      ),
    },

    {
      route: `GET ${V1}/needs-cycles/{id}`,
      runs: RUNS,
      decorate: true,
      arb: fc.oneof(
        ...always(at(cycle(C)), ['put', 'delete', 'patch']),
        ...badIds((s) => cycle(s), cycleIdParams, anyone),
        refusedReader(at(cycle(C)), notOfTheCycle, 'the caller takes no part in this cycle'),
      ),
    },

    cycleMessage('/survey', surveyRequest, surveyBody, {
      mayDoIt: ['collectorA', 'collectorC'],
      why: 'only the participants answer the survey',
      extra: [
        refusedCaller(
          at(cycle(C, '/survey')),
          callers('collectorA', 'collectorC'),
          [{ selfRatings: { negotiation: 3 } }, { selfRatings: {} }, { selfRatings: { negotiation: 3, regulations: 2, cooking: 5 } }, { selfRatings: { nope: 1 } }].map((b) => valid(surveyRequest, b)),
          'a survey rates every competency of the cycle and no other',
        ),
      ],
    }),
    cycleMessage('/observations', observationRequest, observationBody, {
      mayDoIt: ['collectionHead'],
      why: 'only the participant’s manager observes them',
      extra: [
        refusedCaller(
          at(cycle(C, '/observations')),
          callers('collectionHead'),
          [{ ...observationBody, participantId: people.engineer.id }, { ...observationBody, participantId: 'ghost' }, { ...observationBody, observedLevels: {} }, { ...observationBody, observedLevels: { cooking: 2 } }].map((b) => valid(observationRequest, b)),
          'observes someone outside the cycle, nothing, or a competency it does not assess',
        ),
      ],
    }),
    cycleMessage('/low-response', lowResponseRequest, lowResponseBody, { mayDoIt: [], why: 'the survey is still open: there is no low-response decision to make' }),
    cycleMessage('/adjustment', adjustmentRequest, adjustmentBody, { mayDoIt: [], why: 'nobody asked for changes: there is nothing to adjust' }),
    // HR may cancel the cycle with a reason: HR only ever sends a broken body.
    cycleMessage('/cancel', cancelFlowRequest, cancelBody, { mayDoIt: HR, why: 'only HR cancels a needs cycle', breakers: callers(...HR) }),
  ];
}

/** Harmless header noise: Idempotency-Key values of every kind, Accept, method overrides. */
const noise = fc.record(
  {
    'Idempotency-Key': fc.oneof(
      fc.constantFrom('', 'k', 'same-key-every-time', '"quoted"', 'clé-é', 'a b c', '../../x', '%00', 'null'),
      fc.uuid(),
      fc.integer({ min: 200, max: 4_000 }).map((n) => 'k'.repeat(n)),
      fc.string({ unit: fc.constantFrom(...'abcXYZ019-_:;,=/\\\'"<>{}é§'), minLength: 1, maxLength: 64 }),
    ),
    Accept: fc.constantFrom('text/html', 'application/xml', '*/*', 'application/json;q=0', 'image/png'),
    'X-HTTP-Method-Override': fc.constantFrom('DELETE', 'PUT', 'GET'),
    'X-Forwarded-For': fc.constantFrom('127.0.0.1', '::1, 10.0.0.1', 'not-an-ip'),
  },
  { requiredKeys: [] },
);

function requestOf(spec: RouteSpec, d: Draft, headers: Record<string, string>): BadRequest {
  const method = d.method ?? (spec.route.split(' ')[0]!.toLowerCase() as Method);
  return { route: spec.route, method, path: d.path, as: d.caller.as, authorization: d.caller.authorization, headers: { ...headers, ...d.headers }, body: d.body, why: d.why, mustRefuse: d.mustRefuse ?? true };
}

function seedOf(route: string): number {
  let h = 2_166_136_261;
  for (const c of route) h = Math.imul(h ^ c.charCodeAt(0), 16_777_619) >>> 0;
  return (SEED ^ h) >>> 0;
}

/** The routes, by name (the documented ones as `METHOD /api/v1/path/{id}`, plus the rest). */
const ROUTE_NAMES = [
  'GET /healthz',
  'GET /readyz',
  'GET /api/openapi.json',
  'GET /api/docs',
  'GET /api/config',
  'GET /api/demo/users',
  'POST /api/demo/sign-in',
  `GET ${V1}/me`,
  `GET ${V1}/departments`,
  `GET ${V1}/dashboard`,
  `GET ${V1}/needs-cycles`,
  'unknown routes',
  `GET ${V1}/employees`,
  `GET ${V1}/training-plans`,
  `POST ${V1}/training-plans`,
  `GET ${V1}/training-plans/{id}`,
  `PUT ${V1}/training-plans/{id}`,
  `POST ${V1}/training-plans/{id}/submit`,
  `POST ${V1}/training-plans/{id}/withdraw`,
  `GET ${V1}/tasks`,
  `GET ${V1}/tasks/{id}`,
  `POST ${V1}/tasks/{id}/decision`,
  `POST ${V1}/tasks/{id}/transfer`,
  `POST ${V1}/tasks/{id}/signers`,
  `POST ${V1}/tasks/{id}/cc`,
  `POST ${V1}/surveys`,
  `GET ${V1}/surveys`,
  `GET ${V1}/surveys/{id}`,
  `PATCH ${V1}/surveys/{id}`,
  `DELETE ${V1}/surveys/{id}`,
  `POST ${V1}/surveys/{id}/pause`,
  `POST ${V1}/surveys/{id}/resume`,
  `POST ${V1}/surveys/{id}/run-now`,
  `POST ${V1}/needs-cycle-schedules`,
  `GET ${V1}/needs-cycle-schedules`,
  `GET ${V1}/needs-cycle-schedules/{id}`,
  `PATCH ${V1}/needs-cycle-schedules/{id}`,
  `DELETE ${V1}/needs-cycle-schedules/{id}`,
  `POST ${V1}/needs-cycle-schedules/{id}/pause`,
  `POST ${V1}/needs-cycle-schedules/{id}/resume`,
  `POST ${V1}/needs-cycle-schedules/{id}/run-now`,
  `GET ${V1}/survey-runs/{id}`,
  `POST ${V1}/survey-runs/{id}/answers`,
  `POST ${V1}/survey-runs/{id}/actions`,
  `POST ${V1}/suggestions`,
  `GET ${V1}/suggestions`,
  `GET ${V1}/suggestions/stats`,
  `GET ${V1}/suggestions/{id}`,
  `POST ${V1}/suggestions/{id}/answer`,
  `GET ${V1}/career-plans`,
  `GET ${V1}/career-plans/{employeeId}`,
  `PUT ${V1}/career-plans/{employeeId}`,
  `POST ${V1}/career-plans/{employeeId}/review`,
  `GET ${V1}/career-plans/{employeeId}/history`,
  `GET ${V1}/reserve-pools`,
  `GET ${V1}/reserve-pools/{position}`,
  `POST ${V1}/reserve-pools/{position}/candidates`,
  `POST ${V1}/reserve-pools/{position}/candidates/{employeeId}/assessment`,
  `POST ${V1}/reserve-pools/{position}/candidates/{employeeId}/withdrawal`,
  `PUT ${V1}/reserve-pools/{position}/minimum`,
  `POST ${V1}/reserve-pools/{position}/reviews`,
  `PUT ${V1}/reserve-pools/review-schedule`,
  `POST ${V1}/reserve-pools/review-schedule/run-now`,
  `GET ${V1}/resignations/{id}/successor-candidates`,
  `GET ${V1}/resignations/{id}/exit-interview`,
  `POST ${V1}/resignations/{id}/exit-interview`,
  `GET ${V1}/reports/leaving-causes`,
  `POST ${V1}/onboardings`,
  `GET ${V1}/onboardings`,
  `GET ${V1}/onboardings/{employeeId}`,
  ...['culture', 'documents', 'training', 'drills', 'coaching', 'assessment', 'probation', 'check-ins', 'pulse', 'portfolio', 'cancel'].map((p) => `POST ${V1}/onboardings/{employeeId}/${p}`),
  `GET ${V1}/documents`,
  `GET ${V1}/documents/{documentId}`,
  `POST ${V1}/documents`,
  `POST ${V1}/documents/{documentId}/versions`,
  `POST ${V1}/staffing-adjustments`,
  `GET ${V1}/staffing-adjustments`,
  `GET ${V1}/staffing-adjustments/{id}`,
  `POST ${V1}/staffing-adjustments/{id}/make-permanent`,
  `POST ${V1}/staffing-adjustments/{id}/end-early`,
  `POST ${V1}/staffing-adjustments/{id}/reassign`,
  `GET ${V1}/team-rebuildings`,
  `GET ${V1}/team-rebuildings/{resignationId}`,
  `POST ${V1}/team-rebuildings/{resignationId}/talks`,
  `GET ${V1}/risk`,
  `GET ${V1}/risk/rules`,
  `PUT ${V1}/risk/rules`,
  `GET ${V1}/risk/{employeeId}`,
  `POST ${V1}/risk/{employeeId}/flags`,
  `POST ${V1}/performance/imports`,
  `GET ${V1}/retention-flows`,
  `GET ${V1}/retention-flows/{flowId}`,
  `POST ${V1}/retention-flows/{flowId}/stay-interview`,
  `POST ${V1}/retention-flows/{flowId}/review`,
  `POST ${V1}/retention-flows/{flowId}/action-checks`,
  `POST ${V1}/retention-flows/{flowId}/close`,
  `POST ${V1}/vacancies`,
  `GET ${V1}/vacancies`,
  `GET ${V1}/vacancies/{id}`,
  `POST ${V1}/vacancies/{id}/applications`,
  `POST ${V1}/vacancies/{id}/applications/withdraw`,
  `POST ${V1}/vacancies/{id}/evaluations`,
  `POST ${V1}/vacancies/{id}/decision`,
  `POST ${V1}/vacancies/{id}/countersign`,
  `POST ${V1}/vacancies/{id}/extend`,
  `POST ${V1}/vacancies/{id}/cancel`,
  `POST ${V1}/delegations`,
  `GET ${V1}/delegations`,
  `GET ${V1}/delegations/{id}`,
  `POST ${V1}/delegations/{id}/end`,
  `GET ${V1}/flows`,
  `GET ${V1}/flows/{id}`,
  `POST ${V1}/flows/{id}/resume`,
  `POST ${V1}/flows/{id}/comments`,
  `GET ${V1}/flows/{id}/comments`,
  `POST ${V1}/flows/{id}/attachments`,
  `GET ${V1}/attachments/{id}`,
  `POST ${V1}/resignations`,
  `GET ${V1}/resignations`,
  `GET ${V1}/resignations/{id}`,
  `POST ${V1}/resignations/{id}/assignment`,
  `POST ${V1}/resignations/{id}/knowledge-articles`,
  `POST ${V1}/resignations/{id}/mentoring-sessions`,
  `POST ${V1}/resignations/{id}/assessment`,
  `POST ${V1}/resignations/{id}/successor-review`,
  `POST ${V1}/resignations/{id}/rating`,
  `POST ${V1}/resignations/{id}/sign-off`,
  `POST ${V1}/resignations/{id}/cancel`,
  `POST ${V1}/handover-items/{id}/complete`,
  `POST ${V1}/handover-items/complete`,
  `POST ${V1}/handover-items/{id}/verify`,
  `POST ${V1}/handover-items/verify`,
  `GET ${V1}/accounts`,
  `POST ${V1}/needs-cycles`,
  `GET ${V1}/needs-cycles/{id}`,
  `POST ${V1}/needs-cycles/{id}/survey`,
  `POST ${V1}/needs-cycles/{id}/observations`,
  `POST ${V1}/needs-cycles/{id}/low-response`,
  `POST ${V1}/needs-cycles/{id}/adjustment`,
  `POST ${V1}/needs-cycles/{id}/cancel`,
  `POST ${V1}/training-plans/{id}/sessions`,
  `GET ${V1}/training-sessions`,
  `GET ${V1}/training-sessions/{id}`,
  `GET ${V1}/training-sessions/{id}/calendar.ics`,
  `GET ${V1}/training-sessions/{id}/sign-in-code`,
  `GET ${V1}/training-sessions/{id}/sign-in-code.svg`,
  `GET ${V1}/training-sessions/{id}/sign-in-code.png`,
  `POST ${V1}/training-sessions/{id}/participants`,
  `POST ${V1}/training-sessions/{id}/reschedule`,
  `POST ${V1}/training-sessions/{id}/cancel`,
  `POST ${V1}/training-sessions/{id}/trainer`,
  `POST ${V1}/training-sessions/{id}/monitor`,
  `POST ${V1}/training-sessions/{id}/sign-in`,
  `POST ${V1}/training-sessions/{id}/close-sign-in`,
  `POST ${V1}/training-sessions/{id}/attendance`,
  `POST ${V1}/training-sessions/{id}/notes`,
  `POST ${V1}/training-sessions/{id}/feedback`,
  `POST ${V1}/training-sessions/{id}/report`,
  `GET ${V1}/training-plans/{id}/follow-up`,
  `GET ${V1}/training-plans/{id}/follow-up/report`,
  `GET ${V1}/training-plans/{id}/follow-up/report.csv`,
  `POST ${V1}/training-plans/{id}/follow-up/scores`,
  `POST ${V1}/training-plans/{id}/follow-up/results`,
  `POST ${V1}/training-plans/{id}/follow-up/participants/{employeeId}/baseline`,
  `POST ${V1}/training-plans/{id}/follow-up/participants/{employeeId}/application`,
  `POST ${V1}/training-plans/{id}/follow-up/participants/{employeeId}/behaviour`,
  `POST ${V1}/training-plans/{id}/follow-up/participants/{employeeId}/coaching-sessions`,
  `POST ${V1}/training-plans/{id}/follow-up/participants/{employeeId}/mentor`,
  `GET ${V1}/employees/{id}/notification-preferences`,
  `PATCH ${V1}/employees/{id}/notification-preferences`,
  `GET ${V1}/notifications/deliveries`,
  `POST ${V1}/notifications/deliveries/{id}/retry`,
];

// ---- the properties ------------------------------------------------------------------------

describe('bad requests to every route', () => {
  // The catalogue needs the fixtures, which exist only once beforeAll ran; the route list does not.
  const routes = ROUTE_NAMES;
  let specs: RouteSpec[] | undefined;

  test.each(routes)('%s', async (route) => {
    specs ??= catalogue(fx);
    const spec = specs.find((s) => s.route === route)!;
    expect(spec).toBeDefined();
    const found: Violation[] = [];
    const arb = spec.decorate ? fc.tuple(spec.arb, noise) : spec.arb.map((d) => [d, {}] as const);
    await fc.assert(
      fc.asyncProperty(arb, async ([draft, headers]) => {
        const r = requestOf(spec, draft, headers as Record<string, string>);
        let problems: Violation[];
        try {
          const res = await send(stack.app, r);
          const byStatus = statuses.get(route) ?? new Map<number, number>();
          byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
          statuses.set(route, byStatus);
          problems = check(r, res);
        } catch (err) {
          problems = [{ rule: 'the request failed at the HTTP level', request: describeRequest(r), response: String(err) }];
        }
        sent.set(route, (sent.get(route) ?? 0) + 1);
        found.push(...problems);
        return true; // every violation is collected and reported below, not just the first
      }),
      { seed: seedOf(route), numRuns: spec.runs, endOnFailure: true },
    );
    if (found.length) {
      const groups = new Map<string, Violation[]>();
      for (const v of found) {
        const key = `${v.rule} | ${v.response.slice(0, 120)}`;
        groups.set(key, [...(groups.get(key) ?? []), v]);
      }
      const report = [...groups.values()]
        .map((vs) => `• ${vs[0]!.rule} (${vs.length}×), e.g.\n${[...new Set(vs.map((v) => v.request))].slice(0, 3).map((req) => `    request:  ${req}`).join('\n')}\n    response: ${vs[0]!.response}`)
        .join('\n');
      throw new Error(`${found.length} of ${spec.runs} bad requests to ${route} broke the properties (seed ${seedOf(route)}):\n${report}`);
    }
  });

  /**
   * Text PostgreSQL cannot store (a NUL character) in fields the schemas accept, from the one
   * person allowed to send each request: they must be refused like any other bad input, not fail
   * on the database, nor leave a flow retrying a write that can never succeed.
   */
  test('text the database cannot store is refused (fixed probes, counted with their routes)', async () => {
    const nul = 'a\u0000b';
    const user = (w: Who) => ({ as: w, authorization: as(w).Authorization });
    const probes: (Omit<BadRequest, 'headers' | 'mustRefuse'> & { headers?: Record<string, string> })[] = [
      { route: `POST ${V1}/training-plans`, method: 'post', path: `${V1}/training-plans`, ...user('hrOfficer'), body: { kind: 'json', value: { title: nul, departmentId: 'dept-collection' } }, why: 'a NUL in the title' },
      { route: `PUT ${V1}/training-plans/{id}`, method: 'put', path: `${V1}/training-plans/${fx.draftPlanId}`, ...user('hrOfficer'), body: { kind: 'json', value: { title: nul } }, why: 'a NUL in the title' },
      { route: `POST ${V1}/resignations/{id}/knowledge-articles`, method: 'post', path: `${V1}/resignations/${fx.resignationId}/knowledge-articles`, ...user('collectorB'), body: { kind: 'json', value: { kind: 'lesson', title: nul, body: 'body' } }, why: 'a NUL in the title' },
      { route: `POST ${V1}/needs-cycles/{id}/survey`, method: 'post', path: `${V1}/needs-cycles/${fx.cycleId}/survey`, ...user('collectorA'), body: { kind: 'json', value: { selfRatings: { negotiation: 3, regulations: 3 }, needs: nul } }, why: 'a NUL in the needs' },
      { route: `POST ${V1}/tasks/{id}/decision`, method: 'post', path: `${V1}/tasks/${fx.approvalTaskId}/decision`, ...user('collectionHead'), body: { kind: 'json', value: { decision: 'reject', comment: nul } }, why: 'a NUL in the comment' },
      { route: `POST ${V1}/resignations`, method: 'post', path: `${V1}/resignations`, ...user('hrOfficer'), body: { kind: 'json', value: { employeeId: people.engineer.id, resignationDate: day(2), lastWorkingDay: day(40), reason: nul } }, why: 'a NUL in the reason' },
      { route: `POST ${V1}/needs-cycles`, method: 'post', path: `${V1}/needs-cycles`, ...user('hrOfficer'), body: { kind: 'json', value: { name: nul, departmentId: 'dept-engineering', participantIds: [people.engineer.id], competencies: COMPETENCIES, surveyDeadline: new Date(Date.now() + 20 * 86_400_000).toISOString() } }, why: 'a NUL in the name' },
    ];
    const found: Violation[] = [];
    await Promise.all(
      probes.map(async (p) => {
        const r: BadRequest = { ...p, headers: p.headers ?? {}, mustRefuse: true };
        const res = await send(stack.app, r);
        sent.set(r.route, (sent.get(r.route) ?? 0) + 1);
        const byStatus = statuses.get(r.route) ?? new Map<number, number>();
        byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
        statuses.set(r.route, byStatus);
        found.push(...check(r, res));
      }),
    );
    if (found.length) throw new Error(`${found.length} probe(s) broke the properties:\n${found.map((v) => `• ${v.rule}\n    request:  ${v.request}\n    response: ${v.response}`).join('\n')}`);
  }, 60_000);

  test('the catalogue covers every route the API documents', () => {
    const documented = Object.entries(openApiDocument().paths ?? {}).flatMap(([path, ops]) =>
      Object.keys(ops as object)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(documented.length).toBeGreaterThan(30);
    expect(documented.filter((r) => !routes.includes(r))).toEqual([]);
  });

  test(`at least ${MIN_TOTAL} bad requests went out, and no row was written by any of them`, async () => {
    const total = [...sent.values()].reduce((a, b) => a + b, 0);
    const lines = routes.map((r) => `${String(sent.get(r) ?? 0).padStart(4)}  ${r}  [${[...(statuses.get(r) ?? new Map<number, number>()).entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}]`);
    console.log(`${total} bad requests (seed ${SEED}):\n${lines.join('\n')}`);
    expect(total).toBeGreaterThanOrEqual(MIN_TOTAL);

    const after = await settledTables();
    const changed = TABLES.filter((t) => after[t]!.rows !== before[t]!.rows || after[t]!.digest !== before[t]!.digest).map(
      (t) => `${t}: ${before[t]!.rows} → ${after[t]!.rows} rows${after[t]!.rows === before[t]!.rows ? ' (same count, changed content)' : ''}`,
    );
    expect(changed).toEqual([]);
  });
});

