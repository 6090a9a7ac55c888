import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { delegationRequest, endDelegationRequest } from '../domain/delegation';
import { staffingAdjustmentRequest, staffingChangeRequest, staffingReassignRequest } from '../domain/staffingAdjustment';
import { listStaffingAdjustmentsQuery, staffingAdjustmentParams } from './routes/staffingAdjustments';
import { surveyActionRequest, surveyAnswers, surveyChange } from '../domain/surveys';
import { createSurveyBody, listSurveysQuery, surveyIdParams, surveyRunIdParams } from './routes/surveys';
import { createNeedsScheduleBody, listNeedsSchedulesQuery, needsScheduleIdParams } from './routes/needsCycleSchedules';
import { suggestionAnswerRequest, suggestionRequest } from '../domain/suggestion';
import { listSuggestionsQuery, suggestionIdParams, suggestionStatsQuery } from './routes/suggestions';
import { vacancyApplicationRequest, countersignRequest, decisionRequest, evaluationRequest, extensionRequest, vacancyRequest, withdrawalRequest } from '../domain/promotion';
import { listVacanciesQuery, vacancyIdParams } from './routes/vacancies';
import { careerPlanParams, listCareerPlansQuery } from './routes/careerPlans';
import { listTeamRebuildingsQuery, teamRebuildingParams } from './routes/teamRebuildings';
import { teamTalkRequest } from '../domain/teamRebuilding';
import { assessRequest, nominateRequest, poolMinimumRequest, poolReviewRequest, withdrawRequest as withdrawCandidateRequest } from '../domain/reservePool';
import { poolCandidateParams, poolParams, poolReviewScheduleRequest } from './routes/reservePools';
import { actionCheckRequest, performanceImportRequest, retentionCloseRequest, retentionReviewRequest, riskFlagRequest, riskRules, stayInterviewRequest } from '../domain/risk';
import { listRetentionQuery, listRiskQuery, performanceCsvQuery, retentionParams, riskEmployeeParams } from './routes/risk';
import { listOnboardingsQuery, onboardingParams, registerOnboardingBody } from './routes/onboardings';
import { listDocumentsQuery } from './routes/documents';
import {
  assessmentRequest as hireAssessmentRequest,
  checkInRequest,
  coachingRequest,
  confirmDocumentRequest,
  cultureRequest,
  documentParams,
  documentRequest,
  documentVersionRequest,
  drillRequest,
  enrolRequest,
  portfolioRequest,
  probationRequest,
  pulseRequest,
} from '../domain/onboarding';
import { careerPlanRequest, careerPlanReviewRequest } from '../domain/careerPlan';
import { delegationIdParams, listDelegationsQuery } from './routes/delegations';
import { addSignerRequest, cancelFlowRequest, ccRequest, taskDecision, transferRequest } from '../domain/tasks';
import { createPlanRequest, updatePlanRequest, withdrawPlanRequest } from '../domain/trainingPlan';
import { problemSchema } from './problems';
import { flowIdParams, flowViewQuery, listFlowsQuery } from './routes/flows';
import { attachmentIdParams, commentsQuery, uploadHeaders } from './routes/comments';
import { commentRequest } from '../domain/comments';
import { employeeIdParams, listEmployeesQuery, notificationPreferences } from './routes/employees';
import { deliveryIdParams, listDeliveriesQuery } from './routes/notifications';
import { listTasksQuery, taskIdParams } from './routes/tasks';
import { addSessionBody, listPlansQuery, planIdParams, submitPlanRequest } from './routes/trainingPlans';
import { listSessionsQuery, sessionIdParams } from './routes/trainingSessions';
import { applicationRequest, baselineRequest, behaviourRequest, coachingSessionRequest, mentorRequest, resultsRequest, scoresRequest } from '../domain/followUp';
import { followUpParams, participantParams } from './routes/followUps';
import { attendanceRequest, closeSignInRequest, feedbackRequest, monitorRequest, noteRequest, participantsRequest, reportRequest, rescheduleRequest, signInRequest, trainerRequest } from '../domain/trainingSession';
import { cycleIdParams, listCyclesQuery, startNeedsCycleBody } from './routes/needsCycles';
import { adjustmentRequest, lowResponseRequest, needsCycleScheduleChange, observationRequest, surveyRequest } from '../domain/needsCycle';
import { accountsQuery, bulkItems, itemIdParams, listResignationsQuery, resignationIdParams, resignationItemsQuery, startResignationBody } from './routes/resignations';
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
import { exitInterviewRequest, leavingCausesQuery } from '../domain/exitInterview';

import {
  exitInterviewView,
  leavingCausesReportView,
  intakeView,
  retentionCasePageView,
  retentionCaseView,
  riskPageView,
  riskRecordView,
  riskRulesView,
  callerView,
  decisionView,
  transferView,
  addedSignerView,
  delegationPageView,
  delegationStartedView,
  staffingAdjustmentPageView,
  staffingAdjustmentStartedView,
  staffingAdjustmentView,
  staffingChangedView,
  staffingReassignedView,
  delegationView,
  surveyPageView,
  needsCycleSchedulePageView,
  needsCycleScheduleView,
  surveyRunView,
  surveyView,
  suggestionAnsweredView,
  suggestionPageView,
  suggestionStatsView,
  suggestionSubmittedView,
  suggestionView,
  vacancyOpenedView,
  careerPlanHistoryView,
  careerPlanPageView,
  careerPlanReviewedView,
  careerPlanRevisedView,
  careerPlanView,
  teamRebuildingPageView,
  onboardingAnswerView,
  onboardingPageView,
  onboardingStartedView,
  onboardingView,
  documentPageView,
  documentPublishedView,
  documentView,
  teamRebuildingView,
  teamTalkRecordedView,
  poolChangedView,
  poolReviewedView,
  poolReviewScheduleView,
  reservePoolListView,
  reservePoolView,
  successorCandidatesView,
  vacancyPageView,
  vacancyView,
  copyInView,
  deliveryPageView,
  deliveryView,
  demoUserListView,
  departmentListView,
  employeePageView,
  flowAnswerView,
  flowPageView,
  flowView,
  followUpReportView,
  followUpView,
  handoverView,
  inboxPageView,
  itemsResultView,
  needsCyclePageView,
  needsCycleView,
  notificationPreferencesView,
  planPageView,
  planView,
  portfolioView,
  resignationPageView,
  sessionPageView,
  sessionView,
  signInCodeView,
  submittedPlanView,
  taskView,
  attachmentView,
  commentPageView,
  commentView,
} from './views';
import { dashboardView } from './routes/dashboard';
import { demoSignInRequest, demoSignInView, webConfigView } from './routes/webApp';

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: problemSchema } } });
const anyObject = z.object({}).loose();
/** What every message to a flow answers. */
const FLOW_ANSWER = { status: 200, description: 'the flow’s answer: what it did, and the tasks it opened', schema: flowAnswerView };

/** The OpenAPI document, generated from the same zod schemas that validate the requests. */
export function openApiDocument() {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  const route = (r: Omit<RouteConfig, 'responses'> & { ok: { status: number; description: string; schema?: z.ZodType }; open?: boolean }) => {
    const { ok, open, ...config } = r;
    registry.registerPath({
      ...config,
      path: open ? config.path : `/api/v1${config.path}`,
      security: open ? [] : [{ bearer: [] }],
      responses: {
        [ok.status]: { description: ok.description, ...json(ok.schema ?? anyObject) },
        400: problem('invalid input: every invalid field is named'),
        401: problem('missing or invalid token'),
        403: problem('the caller may not do this'),
        404: problem('not found'),
        409: problem('refused in the current state'),
        413: problem('the request body is larger than 1 MB (an attachment: than ATTACHMENT_MAX_BYTES)'),
        415: problem('a file of a type that cannot be attached'),
        422: problem('well-formed but not acceptable'),
        503: problem('PostgreSQL, Temporal or the flow did not answer in time (Retry-After says when to try again)'),
      },
    });
  };

  route({ method: 'get', path: '/api/config', open: true, summary: 'What the web app needs before sign-in', ok: { status: 200, description: 'the configuration', schema: webConfigView } });
  route({ method: 'get', path: '/api/demo/users', open: true, summary: 'The people the demo picker offers (embedded defaults only; 404 otherwise)', ok: { status: 200, description: '{ items: DemoUser[] }', schema: demoUserListView } });
  route({ method: 'post', path: '/api/demo/sign-in', open: true, summary: 'Sign in as a demo user (embedded defaults only; 404 otherwise)', request: { body: json(demoSignInRequest) }, ok: { status: 200, description: 'a token for the API', schema: demoSignInView } });
  route({ method: 'get', path: '/dashboard', summary: 'HR’s overview: open flows by type, open and overdue tasks by department, stalled flows (HR, its director, admins)', ok: { status: 200, description: 'the overview', schema: dashboardView } });
  route({ method: 'get', path: '/me', summary: 'Who the token names', ok: { status: 200, description: 'the caller', schema: callerView } });
  route({ method: 'get', path: '/departments', summary: 'The departments', ok: { status: 200, description: '{ items: Department[] }', schema: departmentListView } });
  route({ method: 'get', path: '/employees', summary: 'The employee directory', request: { query: listEmployeesQuery }, ok: { status: 200, description: '{ items: Employee[], total, limit, offset }', schema: employeePageView } });
  route({ method: 'get', path: '/employees/{id}/notification-preferences', summary: 'How an employee is notified: channels, language, digest, addresses (the employee, HR, admins)', request: { params: employeeIdParams }, ok: { status: 200, description: '{ channels, effectiveChannels, availableChannels, locale, digest, email, mobile, feishuUserId }', schema: notificationPreferencesView } });
  route({ method: 'patch', path: '/employees/{id}/notification-preferences', summary: 'Change how an employee is notified; fields left out stay (the employee, HR, admins)', request: { params: employeeIdParams, body: json(notificationPreferences) }, ok: { status: 200, description: 'the preferences as now stored', schema: notificationPreferencesView } });
  route({ method: 'get', path: '/notifications/deliveries', summary: 'Notification deliveries, one per notification and channel, newest first; status=failed lists what never arrived (HR, admins)', request: { query: listDeliveriesQuery }, ok: { status: 200, description: '{ items: Delivery[], total, limit, offset }', schema: deliveryPageView } });
  route({ method: 'post', path: '/notifications/deliveries/{id}/retry', summary: 'Send a failed delivery again with fresh attempts, within a minute (HR, admins)', request: { params: deliveryIdParams }, ok: { status: 200, description: 'the delivery, pending again', schema: deliveryView } });
  route({ method: 'get', path: '/training-plans', summary: 'Training plans', request: { query: listPlansQuery }, ok: { status: 200, description: '{ items: TrainingPlan[], total, limit, offset }', schema: planPageView } });
  route({ method: 'post', path: '/training-plans', summary: 'Create a draft plan (HR). An Idempotency-Key header makes a retry return the same plan.', request: { body: json(createPlanRequest) }, ok: { status: 201, description: 'the plan', schema: planView } });
  route({ method: 'get', path: '/training-plans/{id}', summary: 'A plan with its versions, decisions and sessions, and the roll-up of its sessions whose feedback closed (sessionSummary)', request: { params: planIdParams }, ok: { status: 200, description: 'the plan', schema: planView } });
  route({ method: 'put', path: '/training-plans/{id}', summary: 'Edit a draft, or a plan sent back for changes (drafter)', request: { params: planIdParams, body: json(updatePlanRequest) }, ok: { status: 200, description: 'the plan', schema: planView } });
  route({ method: 'post', path: '/training-plans/{id}/submit', summary: 'Submit or resubmit for approval; starts the flow once', request: { params: planIdParams, body: json(submitPlanRequest) }, ok: { status: 202, description: '{ flowId, version, status, next }', schema: submittedPlanView } });
  route({ method: 'post', path: '/training-plans/{id}/withdraw', summary: 'Withdraw before the final approval (drafter)', request: { params: planIdParams, body: json(withdrawPlanRequest) }, ok: { status: 200, description: '{ status }' } });
  route({ method: 'get', path: '/tasks', summary: "An inbox: tasks assigned or escalated to someone", request: { query: listTasksQuery }, ok: { status: 200, description: '{ items: Task[], total, limit, offset }', schema: inboxPageView } });
  route({ method: 'get', path: '/tasks/{id}', summary: 'One task', request: { params: taskIdParams }, ok: { status: 200, description: 'the task', schema: taskView } });
  route({ method: 'post', path: '/tasks/{id}/decision', summary: 'Decide a task (delivered to its flow as a Workflow Update). The same decision sent again by the same person (after a 503, say) is answered with the first answer, never applied twice', request: { params: taskIdParams, body: json(taskDecision) }, ok: { status: 200, description: 'the recorded decision, and the tasks it opened', schema: decisionView } });
  route({ method: 'post', path: '/tasks/{id}/transfer', summary: 'Transfer an open task to another person, saying why (转交; the task type and the flow decide whether it may be). An Idempotency-Key header makes a retry apply at most once.', request: { params: taskIdParams, body: json(transferRequest) }, ok: { status: 200, description: 'the task\'s new holder, and the task in their inbox', schema: transferView } });
  route({ method: 'post', path: '/surveys', summary: 'HR defines a recurring survey (questions, departments asked, anonymity, a schedule as a period or a cron in UTC, how long each run stays open) and its Temporal Schedule; one run at a time', request: { body: json(createSurveyBody) }, ok: { status: 201, description: 'the survey', schema: surveyView } });
  route({ method: 'get', path: '/surveys', summary: 'Recurring surveys with their latest runs (HR, directors, executives, admins)', request: { query: listSurveysQuery }, ok: { status: 200, description: '{ items: Survey[], total, limit, offset }', schema: surveyPageView } });
  route({ method: 'get', path: '/surveys/{id}', summary: 'One survey with its latest runs and their results', request: { params: surveyIdParams }, ok: { status: 200, description: 'the survey', schema: surveyView } });
  route({ method: 'patch', path: '/surveys/{id}', summary: 'HR changes a survey; later runs ask what it says then, and its Schedule follows a new schedule', request: { params: surveyIdParams, body: json(surveyChange) }, ok: { status: 200, description: 'the survey', schema: surveyView } });
  route({ method: 'delete', path: '/surveys/{id}', summary: 'HR removes a survey\'s Schedule; its runs and results stay', request: { params: surveyIdParams }, ok: { status: 204, description: 'removed' } });
  route({ method: 'post', path: '/surveys/{id}/pause', summary: 'HR pauses a survey\'s Schedule', request: { params: surveyIdParams }, ok: { status: 200, description: 'the survey', schema: surveyView } });
  route({ method: 'post', path: '/surveys/{id}/resume', summary: 'HR resumes a survey\'s Schedule', request: { params: surveyIdParams }, ok: { status: 200, description: 'the survey', schema: surveyView } });
  route({ method: 'post', path: '/surveys/{id}/run-now', summary: 'HR starts a run now (409 while one is open)', request: { params: surveyIdParams }, ok: { status: 202, description: 'the run is starting' } });
  route({ method: 'post', path: '/needs-cycle-schedules', summary: 'HR sets the yearly needs cycle (or any rhythm, as a period or a cron in UTC): its department, competencies and how long its survey stays open; each time, its Temporal Schedule starts a cycle of the department\'s active people; one cycle at a time', request: { body: json(createNeedsScheduleBody) }, ok: { status: 201, description: 'the schedule', schema: needsCycleScheduleView } });
  route({ method: 'get', path: '/needs-cycle-schedules', summary: 'Needs-cycle schedules with the cycles they started (HR, its director, admins)', request: { query: listNeedsSchedulesQuery }, ok: { status: 200, description: '{ items, total, limit, offset }', schema: needsCycleSchedulePageView } });
  route({ method: 'get', path: '/needs-cycle-schedules/{id}', summary: 'One needs-cycle schedule with the cycles it started', request: { params: needsScheduleIdParams }, ok: { status: 200, description: 'the schedule', schema: needsCycleScheduleView } });
  route({ method: 'patch', path: '/needs-cycle-schedules/{id}', summary: 'HR changes it; later cycles start with what it says then, and its Schedule follows a new schedule', request: { params: needsScheduleIdParams, body: json(needsCycleScheduleChange) }, ok: { status: 200, description: 'the schedule', schema: needsCycleScheduleView } });
  route({ method: 'delete', path: '/needs-cycle-schedules/{id}', summary: 'HR removes its Schedule; its cycles stay', request: { params: needsScheduleIdParams }, ok: { status: 204, description: 'removed' } });
  route({ method: 'post', path: '/needs-cycle-schedules/{id}/pause', summary: 'HR pauses its Schedule', request: { params: needsScheduleIdParams }, ok: { status: 200, description: 'the schedule', schema: needsCycleScheduleView } });
  route({ method: 'post', path: '/needs-cycle-schedules/{id}/resume', summary: 'HR resumes its Schedule', request: { params: needsScheduleIdParams }, ok: { status: 200, description: 'the schedule', schema: needsCycleScheduleView } });
  route({ method: 'post', path: '/needs-cycle-schedules/{id}/run-now', summary: 'HR starts a cycle now (409 while one it started is going)', request: { params: needsScheduleIdParams }, ok: { status: 202, description: 'the cycle is starting' } });
  route({ method: 'get', path: '/survey-runs/{id}', summary: 'A run: its questions, whether the caller answered, and for overseers the results (hidden for anonymous groups under 5)', request: { params: surveyRunIdParams }, ok: { status: 200, description: 'the run', schema: surveyRunView } });
  route({ method: 'post', path: '/survey-runs/{id}/answers', summary: 'A participant answers (once); in an anonymous survey nothing ties the answers to them', request: { params: surveyRunIdParams, body: json(surveyAnswers) }, ok: { status: 200, description: '{answered, invited}' } });
  route({ method: 'post', path: '/survey-runs/{id}/actions', summary: 'HR assigns an action on a closed run\'s results to an owner, chased until done', request: { params: surveyRunIdParams, body: json(surveyActionRequest) }, ok: { status: 200, description: '{actionNo, next: [the owner\'s task]}' } });
  route({ method: 'post', path: '/suggestions', summary: 'Anyone submits a suggestion (意见反馈) to the department it concerns, optionally anonymous; its head is asked to answer within SUGGESTION_SETTINGS.answerWithin. An Idempotency-Key header makes a retry find the same suggestion.', request: { body: json(suggestionRequest) }, ok: { status: 202, description: 'the suggestion is on record and its flow runs', schema: suggestionSubmittedView } });
  route({ method: 'get', path: '/suggestions', summary: 'Suggestions: `mine=true` the caller\'s own (anonymous ones included); else the departments a head heads, or every one for HR. An anonymous one never names its sender.', request: { query: listSuggestionsQuery }, ok: { status: 200, description: '{ items: Suggestion[], total, limit, offset }', schema: suggestionPageView } });
  route({ method: 'get', path: '/suggestions/stats', summary: 'Response times of the suggestions submitted between from and to: median and p90 working hours to answer, share answered on time, overall, by department and by month (HR, directors, executives)', request: { query: suggestionStatsQuery }, ok: { status: 200, description: 'the figures', schema: suggestionStatsView } });
  route({ method: 'get', path: '/suggestions/{id}', summary: 'One suggestion (its sender, its department\'s head, whoever holds its task, HR)', request: { params: suggestionIdParams }, ok: { status: 200, description: 'the suggestion', schema: suggestionView } });
  route({ method: 'post', path: '/suggestions/{id}/answer', summary: 'Whoever holds the suggestion\'s task (its department\'s head, someone it was transferred or escalated to) answers; the sender is told', request: { params: suggestionIdParams, body: json(suggestionAnswerRequest) }, ok: { status: 200, description: 'answered', schema: suggestionAnsweredView } });
  route({ method: 'get', path: '/career-plans', summary: 'The career plans (职业规划) the caller keeps: their own, their reports\' and their departments\' (every one for HR), the next review first', request: { query: listCareerPlansQuery }, ok: { status: 200, description: '{ items: CareerPlan[], total, limit, offset }', schema: careerPlanPageView } });
  route({ method: 'get', path: '/career-plans/{employeeId}', summary: 'An employee\'s career plan (`me` for one\'s own): for them, their manager, their department\'s head and HR', request: { params: careerPlanParams }, ok: { status: 200, description: 'the plan', schema: careerPlanView } });
  route({ method: 'put', path: '/career-plans/{employeeId}', summary: 'The employee, their manager, their head or HR writes the plan over the revision they saw (0 for a first plan, which starts its flow); a change over a newer revision is refused (409). The yearly review falls due at nextReviewAt (a year on by default).', request: { params: careerPlanParams, body: json(careerPlanRequest) }, ok: { status: 200, description: 'the revision written', schema: careerPlanRevisedView } });
  route({ method: 'post', path: '/career-plans/{employeeId}/review', summary: 'Whoever holds the yearly review task (the manager by default) records the talk and, if it changed, the plan as it stands; the employee is told and the next review falls a year on', request: { params: careerPlanParams, body: json(careerPlanReviewRequest) }, ok: { status: 200, description: 'reviewed', schema: careerPlanReviewedView } });
  route({ method: 'get', path: '/career-plans/{employeeId}/history', summary: 'Every revision of the plan as written, by whom, and every review', request: { params: careerPlanParams }, ok: { status: 200, description: 'revisions and reviews', schema: careerPlanHistoryView } });
  route({ method: 'get', path: '/team-rebuildings', summary: 'Team rebuildings (团队重建) after departures: those whose talks the caller holds, every one for the overseers; open ones first', request: { query: listTeamRebuildingsQuery }, ok: { status: 200, description: '{ items: TeamRebuilding[], total, limit, offset }', schema: teamRebuildingPageView } });
  route({ method: 'get', path: '/team-rebuildings/{resignationId}', summary: 'A team\'s rebuilding after a departure: its head, the remaining members, the talks recorded and which the caller may record', request: { params: teamRebuildingParams }, ok: { status: 200, description: 'the rebuilding', schema: teamRebuildingView } });
  route({ method: 'post', path: '/team-rebuildings/{resignationId}/talks', summary: 'Whoever holds a talk\'s task (the head, or whom it was transferred or escalated to) records the team meeting (no memberId) or a one-to-one once held', request: { params: teamRebuildingParams, body: json(teamTalkRequest) }, ok: { status: 200, description: 'recorded', schema: teamTalkRecordedView } });
  // Early warning and retention (DOMAIN.md §7): HR sees everyone's risk, a manager their team's; every read is audited.
  const riskRecompute = { status: 201, description: 'applied; the levels recomputed (a rise to high starts a retention flow)', schema: intakeView };
  route({ method: 'get', path: '/risk', summary: 'Risk levels with reasons, highest first (HR: everyone; a manager: their team; others 403); by department and level', request: { query: listRiskQuery }, ok: { status: 200, description: '{ items: Risk[], total, limit, offset }', schema: riskPageView } });
  route({ method: 'get', path: '/risk/rules', summary: 'The risk rule set in force (weights, thresholds, levels) and its versions (HR)', ok: { status: 200, description: 'the rules', schema: riskRulesView } });
  route({ method: 'put', path: '/risk/rules', summary: 'HR saves a new version of the rules; everyone is scored again with it', request: { body: json(riskRules) }, ok: { ...riskRecompute, status: 200 } });
  route({ method: 'get', path: '/risk/{employeeId}', summary: 'One employee\'s risk: level, reasons, the scores with the rule version that gave each, flags, retention flows', request: { params: riskEmployeeParams }, ok: { status: 200, description: 'the record', schema: riskRecordView } });
  route({ method: 'post', path: '/risk/{employeeId}/flags', summary: 'Their manager (or HR) flags someone they worry about, with a reason; they are scored again', request: { params: riskEmployeeParams, body: json(riskFlagRequest) }, ok: riskRecompute });
  route({ method: 'post', path: '/performance/imports', summary: 'HR imports a month\'s figures: JSON { month, rows }, or text/csv (?month=YYYY-MM; header employeeNo, collectionRate, contacts, complaints). Bad lines are named; nothing is half-applied; the month\'s earlier import is replaced', request: { query: performanceCsvQuery.partial(), body: json(performanceImportRequest) }, ok: riskRecompute });
  route({ method: 'get', path: '/retention-flows', summary: 'Retention flows (HR: all; a manager: their team\'s)', request: { query: listRetentionQuery }, ok: { status: 200, description: '{ items: RetentionCase[], total, limit, offset }', schema: retentionCasePageView } });
  route({ method: 'get', path: '/retention-flows/{flowId}', summary: 'A retention flow: stay interview, review, action checks, open tasks', request: { params: retentionParams }, ok: { status: 200, description: 'the flow', schema: retentionCaseView } });
  route({ method: 'post', path: '/retention-flows/{flowId}/stay-interview', summary: 'The manager records the stay interview: causes, notes, agreed actions (owner, due date)', request: { params: retentionParams, body: json(stayInterviewRequest) }, ok: FLOW_ANSWER });
  route({ method: 'post', path: '/retention-flows/{flowId}/review', summary: 'HR reviews the stay interview', request: { params: retentionParams, body: json(retentionReviewRequest) }, ok: FLOW_ANSWER });
  route({ method: 'post', path: '/retention-flows/{flowId}/action-checks', summary: 'An action\'s owner says whether it was done, at the check after actionCheckAfter', request: { params: retentionParams, body: json(actionCheckRequest) }, ok: FLOW_ANSWER });
  route({ method: 'post', path: '/retention-flows/{flowId}/close', summary: 'HR closes a retention flow with a reason', request: { params: retentionParams, body: json(retentionCloseRequest) }, ok: { status: 200, description: '{ status: closed_by_hr }', schema: anyObject } });
  // Onboarding (DOMAIN.md §6) and the documents hires read.
  route({ method: 'post', path: '/onboardings', summary: 'HR registers a hire (a new person, or a former employee by employeeId) with their department, manager, coaching trainer, start date (at most a week past) and documents; starts their onboarding once (an active employee is refused, 409)', request: { body: json(registerOnboardingBody) }, ok: { status: 202, description: 'the hire is on record as onboarding and their flow runs', schema: onboardingStartedView } });
  route({ method: 'get', path: '/onboardings', summary: 'Onboardings: the caller\'s own, those they manage or coach; every one for the overseers', request: { query: listOnboardingsQuery }, ok: { status: 200, description: '{ items: Onboarding[], total, limit, offset }', schema: onboardingPageView } });
  route({ method: 'get', path: '/onboardings/{employeeId}', summary: 'A hire\'s onboarding: its steps (due, done, late, chased) and what each recorded', request: { params: onboardingParams }, ok: { status: 200, description: 'the onboarding', schema: onboardingView } });
  const toOnboarding: [string, string, z.ZodType][] = [
    ['culture', 'The hire attests the culture and values', cultureRequest],
    ['documents', 'The hire confirms the current version of one of their documents', confirmDocumentRequest],
    ['training', 'The holder of the enrolment task (HR) enrols the hire in a scheduled session of procedure 3', enrolRequest],
    ['drills', 'The trainer scores a drill against the rubric (every criterion 1-5)', drillRequest],
    ['coaching', 'The named coach (no one else: 403) logs a one-to-one', coachingRequest],
    ['assessment', 'The trainer records the assessment score (0-100); a fail opens one retest', hireAssessmentRequest],
    ['probation', 'After a second fail HR decides, with a reason: extend, reassign (department and manager) or end probation; the head countersigns in the inbox', probationRequest],
    ['check-ins', 'The manager records a check-in (day 30/60/90)', checkInRequest],
    ['pulse', 'The hire answers the pulse at a check-in (1-5 each)', pulseRequest],
    ['portfolio', 'The manager assigns accounts to a hire who passed (before a pass: 409); each moves as in a handover', portfolioRequest],
    ['cancel', 'HR cancels the onboarding with a reason (the hire never came): its tasks close and the person never joined; 409 once the hire passed or left', cancelFlowRequest],
  ];
  for (const [path, summary, body] of toOnboarding) route({ method: 'post', path: `/onboardings/{employeeId}/${path}`, summary, request: { params: onboardingParams, body: json(body) }, ok: { status: 200, description: 'recorded, with the tasks it led to', schema: onboardingAnswerView } });
  route({ method: 'get', path: '/documents', summary: 'The documents hires read (duties, procedures, laws), at their current versions', request: { query: listDocumentsQuery }, ok: { status: 200, description: '{ items: Document[], total, limit, offset }', schema: documentPageView } });
  route({ method: 'get', path: '/documents/{documentId}', summary: 'A document with every version', request: { params: documentParams }, ok: { status: 200, description: 'the document', schema: documentView } });
  route({ method: 'post', path: '/documents', summary: 'HR adds a document at version 1. An Idempotency-Key header makes a retry find the same document.', request: { body: json(documentRequest) }, ok: { status: 201, description: 'the document', schema: documentView } });
  route({ method: 'post', path: '/documents/{documentId}/versions', summary: 'HR publishes a new version: the running onboardings that have the document ask their hire to read it again, and no other', request: { params: documentParams, body: json(documentVersionRequest) }, ok: { status: 201, description: 'the version, and how many onboardings were told', schema: documentPublishedView } });
  route({ method: 'post', path: '/vacancies', summary: 'HR posts a vacancy (晋升通道) with its published criteria (weights summing to 100), its panel and the date applications close. An Idempotency-Key header makes a retry find the same vacancy.', request: { body: json(vacancyRequest) }, ok: { status: 202, description: 'the vacancy is on record and its flow runs', schema: vacancyOpenedView } });
  route({ method: 'get', path: '/vacancies', summary: 'Vacancies: the open ones for everyone, those the caller applied to or sits on the panel of; every one for HR', request: { query: listVacanciesQuery }, ok: { status: 200, description: '{ items: Vacancy[], total, limit, offset }', schema: vacancyPageView } });
  route({ method: 'get', path: '/vacancies/{id}', summary: 'A vacancy: its criteria for everyone while open; applications, evidence and scores for HR and the panel; an applicant\'s own application, and once decided their result, reason and own score', request: { params: vacancyIdParams }, ok: { status: 200, description: 'the vacancy', schema: vacancyView } });
  const toVacancy: [string, string, z.ZodType][] = [
    ['applications', 'An active employee not on the panel applies while the window is open (once)', vacancyApplicationRequest],
    ['applications/withdraw', 'An applicant withdraws before the panel starts scoring', withdrawalRequest],
    ['evaluations', 'A panelist scores every applicant on every published criterion (1–5); completes their task', evaluationRequest],
    ['decision', 'HR decides: the applicant selected (left out: the ranking\'s first; null: nobody), a reason for everyone and one per applicant not selected', decisionRequest],
    ['countersign', 'A panelist approves HR\'s decision, or rejects it with a comment (it goes back to HR)', countersignRequest],
    ['extend', 'Nobody applied: HR opens the window again until applyUntil', extensionRequest],
    ['cancel', 'HR cancels the vacancy before the decision goes to the panel; the applicants are told', cancelFlowRequest],
  ];
  for (const [path, summary, body] of toVacancy) route({ method: 'post', path: `/vacancies/{id}/${path}`, summary, request: { params: vacancyIdParams, body: json(body) }, ok: FLOW_ANSWER });
  route({ method: 'post', path: '/delegations', summary: 'Delegation while away: from startsAt (now by default) to endsAt, the owner\'s (the caller\'s, or anyone\'s for HR) tasks that may be handed on go to the delegate, who acts for them; open ones move at the start. Refused (409) when it overlaps another of theirs or the delegate is away then. An Idempotency-Key header makes a retry find the same delegation.', request: { body: json(delegationRequest) }, ok: { status: 201, description: 'the delegation, on record', schema: delegationStartedView } });
  route({ method: 'post', path: '/staffing-adjustments', summary: 'Staffing adjustment (人员调整, HR): a collector covers another\'s accounts (all, or accountIds) from startsAt to endsAt; the covered person\'s head approves through the task inbox, the accounts move then and move back at endsAt. Refused (422, naming the field) for unknown or inactive people, accounts not the covered person\'s, or accounts another open adjustment covers. An Idempotency-Key header makes a retry find the same adjustment.', request: { body: json(staffingAdjustmentRequest) }, ok: { status: 201, description: 'the adjustment, on record and awaiting approval', schema: staffingAdjustmentStartedView } });
  route({ method: 'get', path: '/staffing-adjustments', summary: 'Staffing adjustments that concern the caller (covering, covered or deciding; all for the overseers), latest first', request: { query: listStaffingAdjustmentsQuery }, ok: { status: 200, description: '{ items: StaffingAdjustment[], total, limit, offset }', schema: staffingAdjustmentPageView } });
  route({ method: 'get', path: '/staffing-adjustments/{id}', summary: 'One staffing adjustment, with whether the caller (HR) may change it now', request: { params: staffingAdjustmentParams }, ok: { status: 200, description: 'the adjustment', schema: staffingAdjustmentView } });
  route({ method: 'post', path: '/staffing-adjustments/{id}/make-permanent', summary: 'HR makes an active cover permanent: the accounts stay with the covering collector and the flow ends', request: { params: staffingAdjustmentParams, body: json(staffingChangeRequest) }, ok: { status: 200, description: 'its status now', schema: staffingChangedView } });
  route({ method: 'post', path: '/staffing-adjustments/{id}/end-early', summary: 'HR ends an active cover early: the accounts move back to their owner now (or stay, with a task for HR, if the owner has left)', request: { params: staffingAdjustmentParams, body: json(staffingChangeRequest) }, ok: { status: 200, description: 'its status now', schema: staffingChangedView } });
  route({ method: 'post', path: '/staffing-adjustments/{id}/reassign', summary: 'The owner left during the cover: whoever holds HR\'s reassignment task names an active employee who keeps the accounts the cover holds (the covering collector, if so)', request: { params: staffingAdjustmentParams, body: json(staffingReassignRequest) }, ok: { status: 200, description: 'the accounts\' holder now', schema: staffingReassignedView } });
  route({ method: 'get', path: '/delegations', summary: 'Delegations by owner or delegate (`me`, or anyone for HR and admins)', request: { query: listDelegationsQuery }, ok: { status: 200, description: '{ items: Delegation[], total, limit, offset }', schema: delegationPageView } });
  route({ method: 'get', path: '/delegations/{id}', summary: 'One delegation (its owner, delegate, creator, HR, admins)', request: { params: delegationIdParams }, ok: { status: 200, description: 'the delegation', schema: delegationView } });
  route({ method: 'post', path: '/delegations/{id}/end', summary: 'Ends a delegation early, or cancels it before it starts (its owner, whoever set it, HR); tasks already with the delegate stay with them', request: { params: delegationIdParams, body: json(endDelegationRequest) }, ok: { status: 200, description: 'its status now', schema: z.object({ status: z.string() }) } });
  route({ method: 'post', path: '/tasks/{id}/signers', summary: 'Add a signer to an open task\'s step, before the holder (their decision waits) or after (asked once they agree) (加签). An Idempotency-Key header makes a retry apply at most once.', request: { params: taskIdParams, body: json(addSignerRequest) }, ok: { status: 200, description: 'the task, and the signer\'s task when it is open now', schema: addedSignerView } });
  route({ method: 'post', path: '/tasks/{id}/cc', summary: 'Copy people in on the task\'s flow (抄送): they may read it and are told. An Idempotency-Key header makes a retry apply at most once.', request: { params: taskIdParams, body: json(ccRequest) }, ok: { status: 200, description: 'who was copied in now', schema: copyInView } });
  route({ method: 'get', path: '/flows', summary: 'Flows by type and status', request: { query: listFlowsQuery }, ok: { status: 200, description: 'a page of flows, newest first', schema: flowPageView } });
  route({ method: 'post', path: '/flows/{id}/resume', summary: 'Resume a stalled flow now that the organisation is fixed (HR, admins)', request: { params: flowIdParams }, ok: { status: 200, description: '{ resumed: true }' } });
  route({ method: 'post', path: '/flows/{id}/attachments', summary: 'Upload a file to attach to a comment on the flow, as the raw body (streamed; ATTACHMENT_MAX_BYTES, 10 MiB by default): pdf, png, jpeg, xlsx, docx, csv or txt, checked by its name, its type and its first bytes. 413 over the limit, 415 a type not allowed, 422 contents that are not what the name says', request: { params: flowIdParams, headers: uploadHeaders, body: { content: { 'application/octet-stream': { schema: z.string().meta({ format: 'binary' }) } } } }, ok: { status: 201, description: 'the stored file, to name in a comment', schema: attachmentView } });
  route({ method: 'post', path: '/flows/{id}/comments', summary: 'Comment on a flow (anyone who may read it), naming files one uploaded to it; the flow records it and tells its participants. An Idempotency-Key header makes a retry write it once', request: { params: flowIdParams, body: json(commentRequest) }, ok: { status: 201, description: 'the comment', schema: commentView } });
  route({ method: 'get', path: '/flows/{id}/comments', summary: 'A flow\'s comments, oldest first, with their files (anyone who may read the flow)', request: { params: flowIdParams, query: commentsQuery }, ok: { status: 200, description: '{ items: Comment[], total, limit, offset }', schema: commentPageView } });
  route({ method: 'get', path: '/attachments/{id}', summary: 'A comment\'s file, streamed as a download (to those who may read its flow; before it is attached, to its uploader)', request: { params: attachmentIdParams }, ok: { status: 200, description: 'the file (Content-Disposition: attachment)' } });
  route({ method: 'get', path: '/flows/{id}', summary: 'A flow: status, current step, open tasks, a page of its tasks and of its audit trail, live state', request: { params: flowIdParams, query: flowViewQuery }, ok: { status: 200, description: 'the flow, with tasks, tasksTotal, audit, auditTotal, and notifications (deliveries pending, sent, failed; the latest failures)', schema: flowView } });

  route({ method: 'post', path: '/resignations', summary: 'Start a resignation’s handover (HR or the employee); the same resignation again finds the same flow', request: { body: json(startResignationBody) }, ok: { status: 202, description: '{ resignationId, flowId }' } });
  route({ method: 'get', path: '/resignations', summary: 'Resignations (HR, its director, admins)', request: { query: listResignationsQuery }, ok: { status: 200, description: '{ items: Resignation[], total, limit, offset }', schema: resignationPageView } });
  route({ method: 'get', path: '/resignations/{id}', summary: 'A handover: checklist, counts, chasing, articles, mentoring, assessments, open tasks', request: { params: resignationIdParams, query: resignationItemsQuery }, ok: { status: 200, description: 'the handover', schema: handoverView } });
  const toFlow: [string, string, z.ZodType][] = [
    ['assignment', 'HR names the successor and the supervisor', assignHandoverRequest],
    ['knowledge-articles', 'The leaver writes (or revises) a knowledge article', submitArticleRequest],
    ['mentoring-sessions', 'The mentor logs a one-to-one session', mentoringSessionRequest],
    ['assessment', 'The supervisor assesses the successor', assessmentRequest],
    ['successor-review', 'HR keeps or replaces a successor who failed twice', successorReviewRequest],
    ['sign-off', 'Supervisor or HR signs the handover off (409 while anything is not handed over)', signOffRequest],
    ['rating', 'The successor rates the handover', ratingRequest],
    ['exit-interview', 'HR records the exit interview, asked at sign-off: causes from the stay interview\'s list, notes, would return, would recommend (HR only; 409 unless the flow waits for it)', exitInterviewRequest],
    ['cancel', 'HR cancels a resignation filed by mistake, before the last working day (the accounts it moved go back)', cancelFlowRequest],
  ];
  for (const [path, summary, body] of toFlow) route({ method: 'post', path: `/resignations/{id}/${path}`, summary, request: { params: resignationIdParams, body: json(body) }, ok: FLOW_ANSWER });
  route({ method: 'get', path: '/resignations/{id}/exit-interview', summary: 'The exit interview: whether the flow waits for it, and what HR recorded (HR only)', request: { params: resignationIdParams }, ok: { status: 200, description: 'the interview', schema: exitInterviewView } });
  route({ method: 'get', path: '/reports/leaving-causes', summary: 'Causes of leaving from exit interviews, by department and quarter of the last working day (HR: every department; a manager: their own; others 403); groups of fewer than 3 leavers come without counts; reads are audited', request: { query: leavingCausesQuery }, ok: { status: 200, description: 'the report', schema: leavingCausesReportView } });
  route({ method: 'get', path: '/resignations/{id}/successor-candidates', summary: 'Whom HR may name successor: the leaver\'s reserve pool ranked first (readiness, score), then their active colleagues; choosing one of those while the pool has candidates needs successorReason', request: { params: resignationIdParams }, ok: { status: 200, description: 'the candidates', schema: successorCandidatesView } });

  route({ method: 'get', path: '/reserve-pools', summary: 'The reserve pools (后备人才库) of the key positions: minimum, held, ready now, short (HR, leaders, managers; never a collector)', ok: { status: 200, description: '{ items }', schema: reservePoolListView } });
  route({ method: 'get', path: '/reserve-pools/{position}', summary: 'A pool\'s candidates ranked (ready-now first, then score, then who was nominated first), with the quarter\'s open review task', request: { params: poolParams }, ok: { status: 200, description: 'the pool', schema: reservePoolView } });
  route({ method: 'post', path: '/reserve-pools/{position}/candidates', summary: 'A manager nominates someone they manage (HR anyone); one nomination per person per pool', request: { params: poolParams, body: json(nominateRequest) }, ok: { status: 201, description: 'the pool now', schema: poolChangedView } });
  route({ method: 'post', path: '/reserve-pools/{position}/candidates/{employeeId}/assessment', summary: 'HR records the panel rating and readiness', request: { params: poolCandidateParams, body: json(assessRequest) }, ok: { status: 200, description: 'the pool now', schema: poolChangedView } });
  route({ method: 'post', path: '/reserve-pools/{position}/candidates/{employeeId}/withdrawal', summary: 'HR withdraws a candidate, saying why (HR hears if the pool falls below its minimum)', request: { params: poolCandidateParams, body: json(withdrawCandidateRequest) }, ok: { status: 200, description: 'the pool now', schema: poolChangedView } });
  route({ method: 'put', path: '/reserve-pools/{position}/minimum', summary: 'HR sets how many candidates the pool should hold', request: { params: poolParams, body: json(poolMinimumRequest) }, ok: { status: 200, description: 'the pool now', schema: poolChangedView } });
  route({ method: 'post', path: '/reserve-pools/{position}/reviews', summary: 'Whoever holds the quarter\'s review task keeps (with readiness) or withdraws every candidate', request: { params: poolParams, body: json(poolReviewRequest) }, ok: { status: 200, description: 'the pool now and the review number', schema: poolReviewedView } });
  route({ method: 'put', path: '/reserve-pools/review-schedule', summary: 'HR sets when the quarterly review comes (a Temporal Schedule; cron "0 9 1 1,4,7,10 *" is quarterly)', request: { body: json(poolReviewScheduleRequest) }, ok: { status: 200, description: 'the schedule', schema: poolReviewScheduleView } });
  route({ method: 'post', path: '/reserve-pools/review-schedule/run-now', summary: 'HR asks every pool for its review now', ok: { status: 202, description: '{ scheduleId }' } });
  route({ method: 'post', path: '/handover-items/{id}/complete', summary: 'The owner completes a checklist line', request: { params: itemIdParams, body: json(completeItemsRequest) }, ok: { status: 200, description: '{ applied }', schema: itemsResultView } });
  route({ method: 'post', path: '/handover-items/complete', summary: 'The owner completes several lines of one checklist', request: { body: json(bulkItems.extend(completeItemsRequest.shape)) }, ok: { status: 200, description: '{ applied }', schema: itemsResultView } });
  route({ method: 'post', path: '/handover-items/{id}/verify', summary: 'The supervisor accepts or reopens a line; an accepted account moves to the successor', request: { params: itemIdParams, body: json(verifyItemsRequest) }, ok: { status: 200, description: '{ applied, accountsMoved }', schema: itemsResultView } });
  route({ method: 'post', path: '/handover-items/verify', summary: 'The supervisor accepts or reopens several lines of one checklist', request: { body: json(z.intersection(bulkItems, verifyItemsRequest)) }, ok: { status: 200, description: '{ applied, accountsMoved }', schema: itemsResultView } });
  route({ method: 'get', path: '/accounts', summary: 'A portfolio of delinquent accounts (its collector, the managers above them, the successor and supervisor of their handover in progress, HR and admins)', request: { query: accountsQuery }, ok: { status: 200, description: '{ assigneeId, arrearsFen, items, total, limit, offset }', schema: portfolioView } });

  route({ method: 'post', path: '/needs-cycles', summary: 'Start a training needs cycle (HR); an Idempotency-Key finds the same cycle again', request: { body: json(startNeedsCycleBody) }, ok: { status: 202, description: '{ cycleId, flowId }', schema: z.object({ cycleId: z.string(), flowId: z.string() }) } });
  route({ method: 'get', path: '/needs-cycles/{id}', summary: 'A needs cycle: response rate, the analysis (every version), confirmations, open tasks; participants see the aggregates and their own entries only', request: { params: cycleIdParams }, ok: { status: 200, description: 'the cycle', schema: needsCycleView } });
  route({ method: 'get', path: '/needs-cycles', summary: 'Needs cycles, newest first (HR all, a department head their own)', request: { query: listCyclesQuery }, ok: { status: 200, description: '{ items: NeedsCycleSummary[], total, limit, offset }', schema: needsCyclePageView } });
  const toCycle: [string, string, z.ZodType][] = [
    ['survey', 'A participant answers the survey (self-ratings 1–5, needs, preferred formats)', surveyRequest],
    ['observations', 'A manager submits the observed levels of a participant', observationRequest],
    ['low-response', 'HR extends the survey once or proceeds', lowResponseRequest],
    ['adjustment', 'HR adjusts the assessment after a request for changes', adjustmentRequest],
    ['cancel', 'HR cancels the cycle before it is confirmed', cancelFlowRequest],
  ];
  for (const [path, summary, body] of toCycle) route({ method: 'post', path: `/needs-cycles/{id}/${path}`, summary, request: { params: cycleIdParams, body: json(body) }, ok: FLOW_ANSWER });

  route({ method: 'post', path: '/training-plans/{id}/sessions', summary: 'Add a repeat session to an approved plan (HR); it gets the next number and its own flow, and may name who prepares its room (adminOwnerId)', request: { params: planIdParams, body: json(addSessionBody) }, ok: { status: 201, description: '{ sessionId, flowId, sessionNo }' } });
  route({ method: 'get', path: '/training-sessions', summary: 'The training calendar (staff see every session, others the sessions they take part in)', request: { query: listSessionsQuery }, ok: { status: 200, description: '{ items: TrainingSession[], total, limit, offset }', schema: sessionPageView } });
  route({ method: 'get', path: '/training-sessions/{id}', summary: 'A session: schedule, preparation and who prepares the room, participants with attendance, notes, summary, open tasks (a participant sees their own attendance only)', request: { params: sessionIdParams }, ok: { status: 200, description: 'the session', schema: sessionView } });
  route({ method: 'get', path: '/training-sessions/{id}/calendar.ics', summary: 'The session’s calendar invitation (iCalendar)', request: { params: sessionIdParams }, ok: { status: 200, description: 'text/calendar' } });
  route({ method: 'get', path: '/training-sessions/{id}/sign-in-code', summary: 'The sign-in code to show now, its link and QR code (the trainer, HR)', request: { params: sessionIdParams }, ok: { status: 200, description: '{ code, validUntil, link, qr: { svg, png } }', schema: signInCodeView } });
  route({ method: 'get', path: '/training-sessions/{id}/sign-in-code.svg', summary: 'The sign-in link as a QR code, SVG (the trainer, HR)', request: { params: sessionIdParams }, ok: { status: 200, description: 'image/svg+xml' } });
  route({ method: 'get', path: '/training-sessions/{id}/sign-in-code.png', summary: 'The sign-in link as a QR code, PNG (the trainer, HR)', request: { params: sessionIdParams }, ok: { status: 200, description: 'image/png' } });
  const toSession: [string, string, z.ZodType][] = [
    ['participants', 'HR adds or removes participants until sign-in opens', participantsRequest],
    ['reschedule', 'HR moves the session before sign-in opens (everyone is told; timers re-arm); the answer lists the preparation tasks the move opens again', rescheduleRequest],
    ['cancel', 'HR cancels the session before it starts (open tasks close; everyone is told)', cancelFlowRequest],
    ['trainer', 'HR names a (replacement) trainer when the flow asks for one', trainerRequest],
    ['monitor', 'HR names a monitor who logs notes besides the trainer (not a participant)', monitorRequest],
    ['sign-in', 'A participant signs in with the code the trainer shows, during the sign-in window', signInRequest],
    ['close-sign-in', 'The trainer (or HR) closes sign-in before its time: the class begins, everyone still expected is absent; answers { absent }', closeSignInRequest],
    ['attendance', 'The trainer records a participant’s attendance by hand, with a reason', attendanceRequest],
    ['notes', 'The trainer or the monitor logs an issue or a participation note', noteRequest],
    ['feedback', 'An attendee rates the session (1–5) until feedback closes', feedbackRequest],
    ['report', 'The trainer reports what was covered and any deviation from the plan', reportRequest],
  ];
  for (const [path, summary, body] of toSession) route({ method: 'post', path: `/training-sessions/{id}/${path}`, summary, request: { params: sessionIdParams, body: json(body) }, ok: FLOW_ANSWER });

  route({ method: 'get', path: '/training-plans/{id}/follow-up', summary: 'A programme’s follow-up: participants with scores, checkpoints and coaching, targets, open tasks (a participant sees their own entries)', request: { params: followUpParams }, ok: { status: 200, description: 'the follow-up', schema: followUpView } });
  route({ method: 'get', path: '/training-plans/{id}/follow-up/report', summary: 'The stored evaluation: per participant and per programme, reaction to results, cost per participant, flagged modules, top performers', request: { params: followUpParams }, ok: { status: 200, description: 'the report', schema: followUpReportView } });
  route({ method: 'get', path: '/training-plans/{id}/follow-up/report.csv', summary: 'The evaluation per participant as CSV (UTF-8 with BOM)', request: { params: followUpParams }, ok: { status: 200, description: 'text/csv' } });
  route({ method: 'post', path: '/training-plans/{id}/follow-up/scores', summary: 'A trainer (or HR) records test scores, one or a whole table: JSON, or text/csv with the columns employeeId and score; a bad row refuses the whole table', request: { params: followUpParams, body: json(scoresRequest) }, ok: { status: 200, description: '{ recorded, retests, next }', schema: flowAnswerView } });
  route({ method: 'post', path: '/training-plans/{id}/follow-up/results', summary: 'The department head records the actual value of every target at the last checkpoint', request: { params: followUpParams, body: json(resultsRequest) }, ok: FLOW_ANSWER });
  const toParticipant: [string, string, z.ZodType][] = [
    ['baseline', 'The manager gives the baseline level per competency (when the needs assessment gave none)', baselineRequest],
    ['application', 'The participant reports how they apply the training at a checkpoint', applicationRequest],
    ['behaviour', 'The manager rates the observed level per competency at a checkpoint', behaviourRequest],
    ['coaching-sessions', 'The coach logs a coaching session', coachingSessionRequest],
    ['mentor', 'HR names a mentor who coaches instead of the manager', mentorRequest],
  ];
  for (const [path, summary, body] of toParticipant) {
    route({ method: 'post', path: `/training-plans/{id}/follow-up/participants/{employeeId}/${path}`, summary, request: { params: participantParams, body: json(body) }, ok: FLOW_ANSWER });
  }

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Baton API', version: '1', description: 'Durable HR approval and handover workflows' },
    servers: [{ url: '/' }],
  });
}
