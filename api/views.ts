import type { Response } from 'express';
import { z } from 'zod';
import { fitToView } from './fitToView';
import { Role } from '../generated/prisma/enums';
import { outcome } from '../domain/tasks';
import { articleKind } from '../domain/handover';
import { channelName, locale } from '../domain/notifications';
import { approvalLevel, planStatus } from '../domain/trainingPlan';
import { competency, needsAnalysisResult } from '../domain/needsAnalysis';

/**
 * What the API answers, as zod schemas: the OpenAPI document publishes them, the web app's client
 * is generated from that document, and `reply` makes each route's answer fit its schema at compile
 * time. A field renamed on one side breaks the build of the other.
 */

/** A moment as JSON carries it. */
const moment = z.iso.datetime();
const id = z.string();
/** A figure that may not exist yet: a rate with nobody invited, a mean of no answers. */
const figure = z.number().nullable();

export const pageView = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.int(), limit: z.int(), offset: z.int() });

export const callerView = z.object({ id, name: z.string(), roles: z.array(z.enum(Role)), departmentId: z.string() }).meta({ id: 'Caller' });

export const demoUserView = z
  .object({ id, employeeNo: z.string(), name: z.string(), roles: z.array(z.enum(Role)), departmentId: z.string(), department: z.object({ name: z.string(), nameEn: z.string() }) })
  .meta({ id: 'DemoUser' });

export const employeeView = z
  .object({ id, employeeNo: z.string(), name: z.string(), email: z.string(), departmentId: z.string(), managerId: z.string().nullable(), roles: z.array(z.enum(Role)), status: z.enum(['active', 'leaving', 'left', 'onboarding']) })
  .meta({ id: 'Employee' });

export const taskView = z
  .object({
    id,
    flowId: id,
    stepKey: z.string(),
    type: z.string(),
    title: z.string(),
    assigneeId: id,
    status: z.enum(['open', 'done', 'cancelled']),
    outcomes: z.array(outcome),
    payload: z.unknown(),
    dueAt: moment,
    escalationLevel: z.int(),
    escalatedToIds: z.array(id),
    reminderCount: z.int(),
    lastChasedAt: moment.nullable(),
    outcome: outcome.nullable(),
    comment: z.string().nullable(),
    decidedById: id.nullable(),
    onBehalfOfId: id.nullable(),
    decidedAt: moment.nullable(),
    createdAt: moment,
    actions: z.array(z.string()).meta({ description: 'what its holder may do besides deciding: 转交 transfer, 加签 add_signer, 退回 send_back, 抄送 cc' }),
    earlierLevels: z.array(z.string()).meta({ description: 'the earlier levels a send_back may go to' }),
    waitingForId: id.nullable().meta({ description: 'set while it waits for a signer its holder added before themselves' }),
    signersAfter: z.array(id).meta({ description: 'signers its holder added after themselves, asked once the holder agrees' }),
    addedById: id.nullable().meta({ description: 'who added its holder to the step (加签)' }),
    actingForId: id.nullable().meta({ description: 'whom its holder acts for, as their delegate while they are away' }),
  })
  .meta({ id: 'Task' });

export const inboxTaskView = taskView
  .extend({ flow: z.object({ id, type: z.string(), subject: z.string(), status: z.string() }) })
  .meta({ id: 'InboxTask' });

/** A task a message led to: already in its assignee's inbox when the answer arrives. */
export const nextTaskView = z.object({ taskId: id, type: z.string(), title: z.string(), assigneeId: id, dueAt: z.string() }).meta({ id: 'NextTask' });

export const decisionView = z
  .object({
    taskId: id,
    status: z.enum(['done', 'cancelled']),
    outcome: outcome.optional(),
    comment: z.string().optional(),
    backTo: z.string().optional(),
    decidedById: id.optional(),
    onBehalfOfId: id.optional(),
    decidedAt: z.string().optional(),
    next: z.array(nextTaskView),
  })
  .meta({ id: 'Decision' });

/** A transferred task (转交): its new holder, and the task as it now waits in their inbox. */
export const transferView = z.object({ taskId: id, assigneeId: id, next: z.array(nextTaskView) }).meta({ id: 'Transfer' });

/** Delegation while away: who acts for whom, over which period. */
export const delegationView = z
  .object({
    id,
    flowId: id,
    ownerId: id,
    delegateId: id,
    startsAt: moment,
    endsAt: moment,
    reason: z.string(),
    status: z.enum(['scheduled', 'active', 'ended', 'cancelled']),
    createdById: id,
    createdAt: moment,
    endedAt: moment.nullable(),
  })
  .meta({ id: 'Delegation' });
export const delegationStartedView = z.object({ delegationId: id, flowId: id, status: z.enum(['scheduled', 'active', 'ended', 'cancelled']) }).meta({ id: 'DelegationStarted' });

/** A recurring survey, with its latest runs (their results for HR). */
export const surveyRunView = z
  .object({
    id,
    surveyId: id,
    runNo: z.int(),
    flowId: id,
    title: z.string(),
    questions: z.unknown().meta({ description: '[{key, text, kind: rating | text}]' }),
    anonymous: z.boolean(),
    opensAt: moment,
    closesAt: moment,
    status: z.string().meta({ description: 'open or closed' }),
    invited: z.int(),
    results: z.unknown().meta({ description: 'overall and by department, hidden (null) for anonymous groups under 5, with the trend since the last run; for HR, directors, executives and admins' }),
    me: z.object({ asked: z.boolean(), answered: z.boolean() }).optional(),
  })
  .meta({ id: 'SurveyRun' });
export const surveyView = z
  .object({
    id,
    title: z.string(),
    questions: z.unknown().meta({ description: '[{key, text, kind: rating | text}]' }),
    departmentIds: z.array(z.string()),
    anonymous: z.boolean(),
    schedule: z.unknown().meta({ description: '{every: ISO duration} or {cron}' }),
    answerWithin: z.string(),
    status: z.string().meta({ description: 'active, paused or deleted' }),
    createdById: id,
    createdAt: moment,
    runs: z.array(surveyRunView.omit({ me: true })),
  })
  .meta({ id: 'Survey' });

/** An employee suggestion (意见反馈). `submitter` is null for an anonymous one, whoever reads it;
 *  `mine` tells the caller whether they sent it, `mayAnswer` whether they may answer it now. */
export const suggestionView = z
  .object({
    id,
    flowId: id,
    title: z.string(),
    body: z.string(),
    departmentId: id,
    category: z.string(),
    anonymous: z.boolean(),
    submitter: z.object({ id, name: z.string() }).nullable(),
    mine: z.boolean(),
    mayAnswer: z.boolean().meta({ description: 'the caller holds its open task, or it was escalated to them' }),
    ownerId: id.meta({ description: 'whom the flow asked to answer: the department\'s head (HR when it has none)' }),
    status: z.string().meta({ description: 'open, answered or cancelled' }),
    submittedAt: moment,
    dueAt: moment,
    answer: z.string().nullable(),
    accepted: z.boolean().nullable(),
    actionPlanned: z.string().nullable(),
    answeredById: id.nullable(),
    answeredAt: moment.nullable(),
  })
  .meta({ id: 'Suggestion' });
export const suggestionSubmittedView = z.object({ suggestionId: id, flowId: id }).meta({ id: 'SuggestionSubmitted' });
export const suggestionAnsweredView = z.object({ status: z.literal('answered'), next: z.array(nextTaskView) }).meta({ id: 'SuggestionAnswered' });
const responseStatsView = z
  .object({
    submitted: z.int(),
    answered: z.int(),
    overdue: z.int().meta({ description: 'unanswered past their due time' }),
    medianHours: figure.meta({ description: 'working hours from submission to answer, median of the answered' }),
    p90Hours: figure,
    onTimeShare: figure.meta({ description: 'answered by the due time, of those answered or overdue (0–1)' }),
  })
  .meta({ id: 'ResponseStats' });
export const suggestionStatsView = z
  .object({
    from: moment,
    to: moment,
    overall: responseStatsView,
    byDepartment: z.record(z.string(), responseStatsView),
    byMonth: z.record(z.string(), responseStatsView).meta({ description: 'by the company\'s calendar month of submission, YYYY-MM' }),
  })
  .meta({ id: 'SuggestionStats' });

/** A vacancy (晋升通道). Everyone reads what is published (criteria, panel, window); `applications`,
 *  `evaluations`, `proposal` and the decision are read by HR and the panel only; an applicant reads
 *  their own application as `mine`, with its result, reason and their own score once decided. */
const vacancyApplicationView = z
  .object({
    applicantId: id,
    applicantName: z.string(),
    statement: z.string(),
    evidence: z.unknown().meta({ description: 'follow-up knowledge scores and behaviour ratings, gathered when the window closed' }),
    status: z.string().meta({ description: 'applied, selected, not_selected or withdrawn' }),
    reason: z.string().nullable(),
    score: figure.meta({ description: 'weighted mean of the panel\'s scores (1–5), once scored' }),
    appliedAt: moment,
  })
  .meta({ id: 'VacancyApplication' });
export const vacancyView = z
  .object({
    id,
    flowId: id,
    title: z.string(),
    departmentId: id,
    description: z.string(),
    criteria: z.array(z.object({ key: z.string(), name: z.string(), weight: z.int() })),
    panelIds: z.array(id),
    hrId: id,
    applyUntil: moment,
    status: z.string().meta({ description: 'open, evaluating, deciding, countersigning, decided or cancelled' }),
    createdAt: moment,
    mayApply: z.boolean(),
    mine: vacancyApplicationView.omit({ applicantName: true, evidence: true }).nullable().meta({ description: 'the caller\'s own application; its result, reason and score once decided' }),
    selectedId: id.nullable().optional(),
    decisionReason: z.string().nullable().optional(),
    decidedAt: moment.nullable().optional(),
    proposal: z.unknown().optional().meta({ description: 'HR\'s decision while the panel countersigns it' }),
    applications: z.array(vacancyApplicationView).optional(),
    evaluations: z.array(z.object({ panelistId: id, applicantId: id, scores: z.record(z.string(), z.int()), comment: z.string() })).optional(),
  })
  .meta({ id: 'Vacancy' });
export const vacancyOpenedView = z.object({ vacancyId: id, flowId: id }).meta({ id: 'VacancyOpened' });

/** A signer added (加签): before the holder, their task (`signerTaskId`, in `next`) is open now. */
export const addedSignerView = z.object({ taskId: id, signerTaskId: id.optional(), next: z.array(nextTaskView) }).meta({ id: 'AddedSigner' });

/** People copied in (抄送): `added` are those not copied in before. */
export const copyInView = z.object({ flowId: id, added: z.array(id), next: z.array(nextTaskView) }).meta({ id: 'CopyIn' });

/** Attendance and feedback figures of a session once its feedback closed (and of a plan's closed
 *  sessions together). */
const sessionFigures = z.object({
  participants: z.int(),
  attended: z.int(),
  late: z.int(),
  absent: z.int(),
  /** attended / participants */
  attendanceRate: figure,
  /** on time / attended */
  punctuality: figure,
  responses: z.int(),
  /** responses / attended */
  responseRate: figure,
  /** Averages of the 1–5 ratings, and of all four. */
  ratings: z.object({ content: figure, method: figure, trainer: figure, usefulness: figure, overall: figure }),
});

export const planSummaryView = z
  .object({
    id,
    title: z.string(),
    departmentId: z.string(),
    status: planStatus,
    drafterId: id,
    draftRevision: z.int(),
    currentVersion: z.int(),
    flowId: id.nullable(),
    needsAssessmentId: id.nullable(),
    createdAt: moment,
    updatedAt: moment,
  })
  .meta({ id: 'TrainingPlanSummary' });

export const planView = planSummaryView
  .extend({
    /** The plan as being edited (each section optional until submitted). */
    draft: z.unknown(),
    versions: z.array(z.object({ version: z.int(), content: z.unknown(), budgetTotalFen: z.int(), submittedById: id, submittedAt: moment })),
    decisions: z.array(
      z.object({ taskId: id, version: z.int(), round: z.int(), level: z.string().meta({ description: approvalLevel.options.join(', ') }), approverId: id, decidedById: id, onBehalfOfId: id.nullable(), decision: outcome, comment: z.string().nullable(), decidedAt: moment }),
    ),
    sessions: z.array(z.object({ id, sessionNo: z.int(), title: z.string(), startsAt: moment, endsAt: moment, location: z.string().nullable(), status: z.string(), flowId: id })),
    /** On a single plan's read: its follow-up, and what earlier programmes of the department rated low. */
    followUp: z.object({ flowId: id, status: z.string(), reportedAt: moment.nullable() }).nullable().optional(),
    lessons: z.array(z.object({ planId: id, planTitle: z.string(), module: z.string(), rating: figure, responses: z.int() })).optional(),
    /** The figures of its sessions whose feedback closed, rates over all people and averages over
     *  all responses, and how many sessions they are (null until the first closes). */
    sessionSummary: sessionFigures.extend({ sessions: z.int() }).nullable(),
  })
  .meta({ id: 'TrainingPlan' });

export const submittedPlanView = z.object({ flowId: id, version: z.int(), status: z.literal('in_approval'), next: z.array(nextTaskView) }).meta({ id: 'PlanSubmitted' });

export const auditEventView = z
  .object({ id, key: z.string(), flowId: id.nullable(), taskId: id.nullable(), actorId: id.nullable(), onBehalfOfId: id.nullable(), action: z.string(), payload: z.unknown(), at: moment })
  .meta({ id: 'AuditEvent' });

/** A flow as lists show it. */
export const flowSummaryView = z
  .object({
    id,
    type: z.string(),
    businessKey: z.string(),
    subject: z.string(),
    status: z.string(),
    currentStep: z.string().nullable(),
    stalledReason: z.string().nullable(),
    startedById: id.nullable(),
    startedAt: moment,
    updatedAt: moment,
    closedAt: moment.nullable(),
  })
  .meta({ id: 'FlowSummary' });

/** A file attached to a comment (or uploaded for one): shown by its safe name, fetched by its id. */
export const attachmentView = z.object({ id, name: z.string(), size: z.int(), contentType: z.string() }).meta({ id: 'Attachment' });
export const commentView = z
  .object({ id, flowId: id, authorId: id, authorName: z.string(), text: z.string(), createdAt: moment, attachments: z.array(attachmentView) })
  .meta({ id: 'Comment' });
export const commentPageView = pageView(commentView).meta({ id: 'CommentPage' });

export const flowView = flowSummaryView
  .extend({
    childFlowId: id.optional(),
    /** The running flow's own account of itself (null once closed, or when no worker answers). */
    live: z.unknown(),
    /** People copied in (抄送): they read the flow. */
    cc: z.array(z.object({ employeeId: id, addedById: id, addedAt: moment })),
    /** The first page of its comments, oldest first (`GET /flows/{id}/comments` pages on). */
    comments: commentPageView,
    openTasks: z.array(taskView),
    tasks: z.array(taskView),
    tasksTotal: z.int(),
    tasksLimit: z.int(),
    tasksOffset: z.int(),
    audit: z.array(auditEventView),
    auditTotal: z.int(),
    auditLimit: z.int(),
    auditOffset: z.int(),
    notifications: z.object({ pending: z.int(), sent: z.int(), failed: z.int(), failures: z.array(z.unknown()) }),
  })
  .meta({ id: 'Flow' });

export const resignationView = z
  .object({
    id,
    flowId: id,
    employeeId: id,
    resignationDate: moment,
    lastWorkingDay: moment,
    departsAt: moment,
    reason: z.string(),
    status: z.enum(['in_progress', 'completed', 'cancelled']),
    phase: z.string(),
    hrId: id,
    successorId: id.nullable(),
    supervisorId: id.nullable(),
    mentorId: id.nullable(),
    ratingScore: z.int().nullable(),
    createdAt: moment,
    completedAt: moment.nullable(),
  })
  .meta({ id: 'Resignation' });

export const handoverItemView = z
  .object({
    id,
    /** The checklist round's workflow: lines acted on together must share it. */
    checklistFlowId: id,
    itemNo: z.int(),
    category: z.enum(['work_content', 'open_cases', 'payment_plans', 'account', 'documents', 'system_access', 'assets']),
    title: z.string(),
    accountId: id.nullable(),
    ownerId: id,
    verifierId: id,
    dueAt: moment,
    status: z.enum(['open', 'done', 'verified', 'reopened']),
    note: z.string().nullable(),
    completedById: id.nullable(),
    completedAt: moment.nullable(),
    verifiedById: id.nullable(),
    verifiedAt: moment.nullable(),
    reopenCount: z.int(),
    lastComment: z.string().nullable(),
    reminderCount: z.int(),
    escalationLevel: z.int(),
    critical: z.boolean(),
    lastChasedAt: moment.nullable(),
  })
  .meta({ id: 'HandoverItem' });

export const handoverView = resignationView
  .extend({
    employee: z.object({ name: z.string(), employeeNo: z.string(), managerId: id.nullable(), status: z.string() }),
    checklist: z.object({
      total: z.int(),
      open: z.int(),
      reopened: z.int(),
      done: z.int(),
      verified: z.int(),
      overdue: z.int(),
      /** Accounts still with the leaver: the portfolio moving to the successor. */
      accountsWithLeaver: z.int(),
      /** Whether the lines can be acted on yet (the checklist's workflow has them). */
      ready: z.boolean(),
      items: z.array(handoverItemView),
      itemsTotal: z.int(),
      limit: z.int(),
      offset: z.int(),
    }),
    /** Reminders and escalations of lines and tasks, oldest first, with what the audit recorded. */
    chasing: z.array(z.object({ at: moment, action: z.string(), flowId: id.nullable() }).loose()),
    articles: z.array(z.object({ id, authorId: id, kind: articleKind, title: z.string(), body: z.string(), status: z.string(), revision: z.int(), reviewerComment: z.string().nullable(), publishedAt: moment.nullable() })),
    mentoringSessions: z.array(z.object({ id, mentorId: id, successorId: id, round: z.int(), heldAt: moment, durationMinutes: z.int(), topic: z.string(), notes: z.string().nullable() })),
    assessments: z.array(z.object({ id, successorId: id, assessorId: id, attempt: z.int(), passed: z.boolean(), score: z.int(), comment: z.string().nullable(), assessedAt: moment })),
    openTasks: z.array(taskView),
  })
  .meta({ id: 'Handover' });

export const needsCycleSummaryView = z
  .object({ id, flowId: id, name: z.string(), departmentId: z.string(), status: z.string(), surveyDeadline: moment, extended: z.boolean(), headId: id, hrId: id, createdAt: moment, confirmedAt: moment.nullable() })
  .meta({ id: 'NeedsCycleSummary' });

export const needsCycleScheduleView = z
  .object({
    id,
    name: z.string(),
    departmentId: z.string(),
    competencies: z.unknown().meta({ description: '[{key, name, requiredLevel}]' }),
    surveyWithin: z.string(),
    schedule: z.unknown().meta({ description: '{every: ISO duration} or {cron}' }),
    hrId: id,
    status: z.string().meta({ description: 'active, paused or deleted' }),
    createdById: id,
    createdAt: moment,
    /** The cycles it started, newest first (at most 12). */
    cycles: z.array(needsCycleSummaryView),
  })
  .meta({ id: 'NeedsCycleSchedule' });

const confirmationView = z.object({ taskId: id, version: z.int().optional(), who: id, status: z.string(), outcome: outcome.nullable(), comment: z.string().nullable(), decidedById: id.nullable(), decidedAt: moment.nullable() });

export const needsCycleView = needsCycleSummaryView
  .extend({
    participantIds: z.array(id),
    competencies: z.array(competency),
    responseRate: z.object({ surveys: z.number(), observations: z.number(), responses: z.int(), observationsSubmitted: z.int() }),
    /** The latest analysis; a participant sees the aggregates and only their own individual entry. */
    analysis: needsAnalysisResult.nullable(),
    assessments: z.array(z.object({ version: z.int(), analysis: needsAnalysisResult, adjustment: z.unknown(), createdAt: moment })),
    confirmations: z.object({ approvals: z.array(confirmationView), participants: z.array(confirmationView) }),
    openTasks: z.array(taskView),
  })
  .meta({ id: 'NeedsCycle' });

const sessionStatus = z.enum(['scheduled', 'signing_in', 'in_progress', 'feedback', 'completed', 'cancelled']);

export const sessionSummaryView = z
  .object({ id, planId: id, sessionNo: z.int(), flowId: id, title: z.string(), startsAt: moment, endsAt: moment, location: z.string().nullable(), trainerId: id.nullable(), monitorId: id.nullable(), status: sessionStatus, scheduleVersion: z.int() })
  .meta({ id: 'TrainingSessionSummary' });

export const sessionParticipantView = z
  .object({ employeeId: id, attendance: z.enum(['expected', 'present', 'late', 'absent']), signedInAt: moment.nullable(), recordedById: id.nullable(), recordedReason: z.string().nullable() })
  .meta({ id: 'SessionParticipant' });

export const sessionView = sessionSummaryView
  .extend({
    preparation: z.unknown(),
    report: z.object({ covered: z.string(), deviations: z.string().optional() }).loose().nullable(),
    /** Who prepares venue, equipment and materials (the checklist task's assignee). */
    adminOwnerId: id.nullable(),
    /** Attendance and feedback once feedback closes. */
    summary: sessionFigures.nullable(),
    /** Staff see everyone; a participant only their own row. */
    participants: z.array(sessionParticipantView),
    notes: z.array(z.object({ id, authorId: id, category: z.string(), text: z.string(), participantId: id.nullable(), createdAt: moment })).optional(),
    openTasks: z.array(z.object({ id, type: z.string(), title: z.string(), assigneeId: id, dueAt: moment })).optional(),
  })
  .meta({ id: 'TrainingSession' });

export const signInCodeView = z.object({ code: z.string(), validUntil: moment, link: z.string(), qr: z.object({ svg: z.string(), png: z.string() }) }).meta({ id: 'SignInCode' });

export const accountView = z
  .object({ id, accountNo: z.string(), unit: z.string(), ownerName: z.string(), arrearsFen: z.int(), lastContactAt: moment.nullable(), promisedPaymentOn: moment.nullable(), assigneeId: id })
  .meta({ id: 'Account' });
/** A portfolio: one page of its accounts, their count and the arrears of them all. */
export const portfolioView = pageView(accountView).extend({ assigneeId: id, arrearsFen: z.int() }).meta({ id: 'Portfolio' });

export const itemsResultView = z.object({ applied: z.int(), accountsMoved: z.int().optional() }).meta({ id: 'ItemsResult' });

export const departmentView = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    nameEn: z.string(),
    headId: z.string().nullable(),
    /** Who prepares its sessions' rooms unless a plan or session names someone. */
    adminOwnerId: z.string().nullable(),
  })
  .meta({ id: 'Department' });

/** What a message to a flow answers: at least the tasks it opened, already in their inboxes. */
export const flowAnswerView = z.object({ next: z.array(nextTaskView) }).loose().meta({ id: 'FlowAnswer' });

const levels = z.record(z.string(), z.number());
const openTaskView = z.object({ id, type: z.string(), title: z.string(), assigneeId: id, dueAt: moment, payload: z.unknown() });

export const followUpParticipantView = z
  .object({
    employeeId: id,
    flowId: id,
    managerId: id.nullable(),
    mentorId: id.nullable(),
    sessionIds: z.array(id),
    joinedAt: moment,
    baseline: levels.nullable(),
    baselineSource: z.string().nullable(),
    coachingReason: z.string().nullable(),
    recheck: outcome.nullable(),
    status: z.string(),
    finishedAt: moment.nullable(),
    scores: z.array(z.object({ attempt: z.int(), score: z.number(), passed: z.boolean(), recordedById: id, recordedAt: moment })),
    checkpoints: z.array(
      z.object({ checkpointNo: z.int(), application: z.int().nullable(), examples: z.string().nullable(), appliedAt: moment.nullable(), observed: levels.nullable(), observerId: id.nullable(), observerComment: z.string().nullable(), observedAt: moment.nullable() }),
    ),
    coachingSessions: z.array(z.object({ id, coachId: id, heldOn: z.string(), minutes: z.int(), notes: z.string(), createdAt: moment })),
  })
  .meta({ id: 'FollowUpParticipant' });

const targetResult = z.object({ metric: z.string(), target: z.number(), unit: z.string().optional(), better: z.enum(['higher', 'lower']).optional(), actual: z.number().optional() });

export const followUpView = z
  .object({
    id,
    planId: id,
    /** The plan's title: a participant or trainer may not read the plan itself. */
    title: z.string(),
    flowId: id,
    departmentId: id,
    hrId: id,
    headId: id,
    passMark: z.number(),
    /** What managers rate at each checkpoint. */
    competencies: z.array(z.string()),
    targets: z.array(targetResult),
    status: z.string(),
    reportedAt: moment.nullable(),
    participants: z.array(followUpParticipantView),
    openTasks: z.array(openTaskView),
  })
  .meta({ id: 'FollowUp' });

export const followUpReportView = z
  .object({
    participants: z.int(),
    attendanceRate: figure,
    reaction: figure,
    knowledge: z.object({ meanScore: figure, passRate: figure, scored: z.int(), retested: z.int() }),
    application: figure,
    behaviourChange: figure,
    results: z.object({ targets: z.array(targetResult.extend({ achievement: figure })), score: figure }),
    overall: figure,
    coached: z.int(),
    stillBelow: z.int(),
    costPerParticipantFen: figure,
    modules: z.array(z.object({ no: z.int(), title: z.string(), rating: figure, responses: z.int(), flagged: z.boolean() })),
    topPerformers: z.array(z.object({ employeeId: id, name: z.string(), overall: z.number() })),
    people: z.array(
      z.object({
        employeeId: id,
        name: z.string(),
        attendance: z.object({ invited: z.int(), attended: z.int(), rate: figure }),
        reaction: figure,
        knowledge: z.object({ score: z.number(), passed: z.boolean(), retested: z.boolean() }).nullable(),
        application: figure,
        behaviour: z.object({ baseline: z.number(), observed: z.number(), change: z.number() }).nullable(),
        coached: z.boolean(),
        recheck: z.enum(['improved', 'still_below']).nullable(),
        overall: figure,
        missing: z.array(z.string()),
      }),
    ),
  })
  .meta({ id: 'FollowUpReport' });

/** How someone is notified, and what this deployment can send. */
export const notificationPreferencesView = z
  .object({
    employeeId: id,
    channels: z.array(channelName),
    /** Theirs that this deployment has, else its defaults. */
    effectiveChannels: z.array(channelName),
    /** The channels this deployment has set up: the only ones a person may choose. */
    availableChannels: z.array(channelName),
    locale,
    digest: z.boolean(),
    email: z.string(),
    mobile: z.string().nullable(),
    feishuUserId: z.string().nullable(),
  })
  .meta({ id: 'NotificationPreferences' });

/** One notification on one channel, with how its sending went. */
export const deliveryView = z
  .object({
    id,
    channel: z.string(),
    status: z.enum(['pending', 'sent', 'failed']),
    digest: z.boolean(),
    attempts: z.int(),
    lastError: z.string().nullable(),
    notBefore: moment,
    sentAt: moment.nullable(),
    createdAt: moment,
    notification: z.object({ key: z.string(), template: z.string(), recipientId: id, flowId: id.nullable(), taskId: id.nullable(), critical: z.boolean() }),
  })
  .meta({ id: 'Delivery' });

/** The lists' answers, made once: the routes type their answers with them, the document publishes them. */
export const inboxPageView = pageView(inboxTaskView);
export const employeePageView = pageView(employeeView);
export const planPageView = pageView(planSummaryView);
export const resignationPageView = pageView(resignationView.extend({ employee: z.object({ name: z.string(), employeeNo: z.string() }) }));
export const needsCyclePageView = pageView(needsCycleSummaryView);
export const delegationPageView = pageView(delegationView);
export const surveyPageView = pageView(surveyView);
export const needsCycleSchedulePageView = pageView(needsCycleScheduleView);
export const suggestionPageView = pageView(suggestionView);
export const vacancyPageView = pageView(vacancyView);
export const sessionPageView = pageView(sessionSummaryView);
export const deliveryPageView = pageView(deliveryView);
export const flowPageView = pageView(flowSummaryView);
export const departmentListView = z.object({ items: z.array(departmentView) });
export const demoUserListView = z.object({ items: z.array(demoUserView) });

/** An employee's career plan (职业规划) as it stands, with whether the caller may revise it. */
const wantedSkillView = z.object({ key: z.string(), name: z.string() });
export const careerPlanView = z
  .object({
    employeeId: id,
    employee: z.object({ name: z.string(), employeeNo: z.string(), departmentId: id }),
    flowId: id,
    goals: z.string(),
    targetRole: z.string().nullable(),
    wantedSkills: z.array(wantedSkillView),
    trainingWanted: z.string().nullable(),
    revision: z.int().meta({ description: 'send it back with a change: a change over a newer revision is refused (409)' }),
    nextReviewAt: moment,
    lastReviewedAt: moment.nullable(),
    updatedById: id,
    updatedAt: moment,
    mayReview: z.boolean().meta({ description: 'the caller holds the open review task' }),
  })
  .meta({ id: 'CareerPlan' });
export const careerPlanPageView = pageView(careerPlanView).meta({ id: 'CareerPlanPage' });
export const careerPlanRevisedView = z.object({ revision: z.int(), nextReviewAt: moment }).meta({ id: 'CareerPlanRevised' });
export const careerPlanReviewedView = z.object({ reviewNo: z.int(), revision: z.int(), nextReviewAt: moment, next: z.array(nextTaskView) }).meta({ id: 'CareerPlanReviewed' });
export const careerPlanHistoryView = z
  .object({
    revisions: z.array(z.object({ revision: z.int(), content: z.object({ goals: z.string(), targetRole: z.string().optional(), wantedSkills: z.array(wantedSkillView), trainingWanted: z.string().optional() }), actorId: id, createdAt: moment })),
    reviews: z.array(z.object({ reviewNo: z.int(), reviewerId: id, comment: z.string(), revision: z.int(), reviewedAt: moment })),
  })
  .meta({ id: 'CareerPlanHistory' });

const teamTalkView = z.object({
  step: z.string().meta({ description: '`team-meeting` or `one-to-one/<memberId>`' }),
  memberId: id.nullable(),
  heldOn: z.string().meta({ description: 'YYYY-MM-DD' }),
  notes: z.string(),
  recordedById: id,
  onBehalfOfId: id.nullable(),
  recordedAt: moment,
});
const namedView = z.object({ id, name: z.string() });
export const teamRebuildingView = z
  .object({
    resignationId: id,
    flowId: id,
    departmentId: id,
    leaver: namedView,
    head: namedView,
    members: z.array(namedView),
    dueAt: moment,
    status: z.string().meta({ description: 'open, done once every talk is recorded, or cancelled by an operator' }),
    createdAt: moment,
    finishedAt: moment.nullable(),
    talks: z.array(teamTalkView),
    mayRecord: z.array(z.string()).meta({ description: 'the steps whose open task the caller holds' }),
  })
  .meta({ id: 'TeamRebuilding' });
export const teamRebuildingPageView = pageView(teamRebuildingView.omit({ talks: true, mayRecord: true })).meta({ id: 'TeamRebuildingPage' });
export const teamTalkRecordedView = z.object({ step: z.string(), remaining: z.int(), next: z.array(nextTaskView) }).meta({ id: 'TeamTalkRecorded' });

const readinessView = z.enum(['ready_now', 'ready_later']);
export const reservePoolSummaryView = z
  .object({
    position: z.enum(['collector', 'collection_head', 'trainer']),
    minimum: z.int(),
    held: z.int(),
    needed: z.int().meta({ description: 'how many more candidates it needs to reach its minimum' }),
    readyNow: z.int(),
    short: z.boolean().meta({ description: 'below its minimum (HR was alarmed when it fell short)' }),
    shortSince: moment.nullable(),
    lastReviewedAt: moment.nullable(),
  })
  .meta({ id: 'ReservePoolSummary' });
export const reserveCandidateView = z
  .object({
    employee: namedView.extend({ employeeNo: z.string(), departmentId: id }),
    readiness: readinessView,
    rank: z.int(),
    score: z.number().nullable().meta({ description: 'out of 100: the mean of knowledge scores, behaviour ratings ×20 and the panel rating ×20 the candidate has' }),
    knowledgeAverage: z.number().nullable(),
    behaviourAverage: z.number().nullable(),
    panelRating: z.int().nullable(),
    reason: z.string(),
    nominatedBy: namedView,
    nominatedAt: moment,
    assessedAt: moment.nullable(),
    comment: z.string().nullable(),
  })
  .meta({ id: 'ReserveCandidate' });
export const reservePoolView = reservePoolSummaryView
  .extend({
    flowId: id,
    candidates: z.array(reserveCandidateView).meta({ description: 'ranked: ready-now first, then by score, then by who was nominated first' }),
    reviewTask: z.object({ taskId: id, assigneeId: id, dueAt: moment }).nullable().meta({ description: "the quarter's open review task, if any" }),
  })
  .meta({ id: 'ReservePool' });
export const reservePoolListView = z.object({ items: z.array(reservePoolSummaryView) }).meta({ id: 'ReservePools' });
export const poolChangedView = z.object({ held: z.int(), short: z.boolean() }).meta({ id: 'PoolChanged' });
export const poolReviewedView = poolChangedView.extend({ reviewNo: z.int(), next: z.array(nextTaskView) }).meta({ id: 'PoolReviewed' });
export const poolReviewScheduleView = z.object({ scheduleId: z.string(), schedule: z.object({ every: z.string().optional(), cron: z.string().optional() }) }).meta({ id: 'PoolReviewSchedule' });
export const successorCandidatesView = z
  .object({
    position: z.enum(['collector', 'collection_head', 'trainer']),
    fromPool: z.array(namedView.extend({ readiness: readinessView, rank: z.int(), score: z.number().nullable() })),
    others: z.array(namedView.extend({ employeeNo: z.string() })).meta({ description: "the leaver's active colleagues outside the pool: choosing one needs successorReason while the pool has candidates" }),
  })
  .meta({ id: 'SuccessorCandidates' });

/** What JSON makes of a value: a Date travels as a string. */
type Wire<T> = string extends T ? T | Date : T extends readonly (infer U)[] ? readonly Wire<U>[] : T extends object ? { [K in keyof T]: Wire<T[K]> } : T;

/** Answers with `body`, which must fit `view`: its values are checked by the compiler, and at run
 *  time whatever the view does not publish is left out. */
export function reply<S extends z.ZodType>(res: Response, view: S, body: Wire<z.output<S>>, status = 200): void {
  res.status(status).json(fitToView(view, body));
}

// --- Early warning and retention (DOMAIN.md §7) ---
const riskReasonView = z.object({
  key: z.string().meta({ description: 'collection_rate_low, contacts_low, complaints_high, absences, lateness, knowledge_failed, coaching, manager_flag' }),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  points: z.number(),
  text: z.object({ 'zh-CN': z.string(), en: z.string() }),
});
const riskEmployeeView = z.object({ id, name: z.string(), departmentId: id });
const riskLevelView = z.string().meta({ description: 'low, medium or high' });
export const riskView = z
  .object({ employeeId: id, employee: riskEmployeeView, level: riskLevelView, score: z.number(), reasons: z.array(riskReasonView), ruleSetVersion: z.int(), computedAt: moment, retentionFlowId: id.nullable() })
  .meta({ id: 'Risk' });
export const riskPageView = pageView(riskView).meta({ id: 'RiskPage' });
export const riskRecordView = z
  .object({
    employee: riskEmployeeView,
    level: riskLevelView.nullable().meta({ description: 'null until they are first scored' }),
    score: figure,
    reasons: z.array(riskReasonView),
    ruleSetVersion: z.int().nullable(),
    computedAt: moment.nullable(),
    history: z.array(z.object({ id, level: riskLevelView, score: z.number(), reasons: z.array(riskReasonView), ruleSetVersion: z.int(), cause: z.string(), computedAt: moment })),
    flags: z.array(z.object({ id, reason: z.string(), flaggedById: id, createdAt: moment })),
    retention: z.array(z.object({ flowId: id, caseNo: z.int(), status: z.string(), stage: z.string(), openedAt: moment, closedAt: moment.nullable() })),
  })
  .meta({ id: 'RiskRecord' });
export const riskRulesView = z
  .object({ version: z.int(), rules: z.record(z.string(), z.unknown()), versions: z.array(z.object({ version: z.int(), createdById: id.nullable(), createdAt: moment })) })
  .meta({ id: 'RiskRules' });
export const intakeView = z
  .object({
    version: z.int().optional().meta({ description: 'the rule set version a rules change created' }),
    levels: z.array(z.object({ employeeId: id, level: riskLevelView, previous: riskLevelView.optional(), ruleSetVersion: z.int(), retentionFlowId: id.optional() })),
  })
  .meta({ id: 'RiskIntake' });
export const retentionCaseView = z
  .object({
    flowId: id,
    employeeId: id,
    employee: riskEmployeeView,
    caseNo: z.int(),
    departmentId: id,
    managerId: id.nullable(),
    status: z.string().meta({ description: 'open, actions_checked, level_fell, closed_by_hr or cancelled' }),
    stage: z.string().meta({ description: 'stay_interview, hr_review, action_wait, action_check, closed' }),
    stayInterview: z.unknown(),
    review: z.unknown(),
    actionChecks: z.array(z.unknown()),
    closedReason: z.string().nullable(),
    openedAt: moment,
    closedAt: moment.nullable(),
    openTasks: z.array(z.object({ id, stepKey: z.string(), type: z.string(), assigneeId: id, dueAt: moment })),
  })
  .meta({ id: 'RetentionCase' });
export const retentionCasePageView = pageView(retentionCaseView.omit({ employee: true, openTasks: true })).meta({ id: 'RetentionCasePage' });
// --- Exit interviews and the causes of leaving (DOMAIN.md §5, §7) ---
const causeCounts = z.record(z.string(), z.int()).meta({ description: 'leavers naming each cause (pay, workload, career, relations, management, family, other)' });
export const exitInterviewView = z
  .object({
    resignationId: id,
    open: z.boolean().meta({ description: 'the flow waits for the interview now (its task is open)' }),
    interview: z
      .object({
        heldOn: z.string().meta({ description: 'YYYY-MM-DD' }),
        leftOn: z.string().meta({ description: 'the last working day, YYYY-MM-DD' }),
        causes: z.array(z.string()),
        notes: z.string(),
        wouldReturn: z.boolean(),
        wouldRecommend: z.boolean(),
        recordedById: id,
        recordedAt: moment,
      })
      .nullable(),
  })
  .meta({ id: 'ExitInterview' });
export const leavingCausesReportView = z
  .object({
    from: z.string(),
    to: z.string(),
    minGroup: z.int().meta({ description: 'groups with fewer leavers are shown without counts' }),
    causes: z.array(z.string()),
    groups: z.array(
      z.object({
        departmentId: id,
        department: z.object({ name: z.string(), nameEn: z.string() }),
        quarter: z.string().meta({ description: 'YYYY-Qn of the last working day' }),
        suppressed: z.boolean(),
        leavers: z.int().nullable(),
        causes: causeCounts.nullable(),
      }),
    ),
  })
  .meta({ id: 'LeavingCausesReport' });
// ---- Onboarding (DOMAIN.md §6) ----------------------------------------------------------------
const onboardingStepView = z
  .object({
    stepKey: z.string().meta({ description: 'culture, document/<id>/v<n>, enrolment/<n>, drill/<n>, coaching, assessment/<round>/<attempt>, probation/…, check-in/<n>, pulse/<n>, portfolio' }),
    type: z.string(),
    title: z.string(),
    assigneeId: id,
    dueAt: moment,
    status: z.string().meta({ description: 'open, done or cancelled' }),
    doneAt: moment.nullable(),
    late: z.boolean().meta({ description: 'done after its due time, or still open past it' }),
    remindersSent: z.int(),
    escalationLevel: z.int(),
  })
  .meta({ id: 'OnboardingStep' });
const onboardingSummary = z.object({
  employeeId: id,
  flowId: id,
  hire: z.object({ id, name: z.string(), status: z.string() }),
  departmentId: id,
  managerId: id,
  trainerId: id,
  hrId: id,
  startDate: z.string().meta({ description: 'YYYY-MM-DD' }),
  status: z.string().meta({ description: 'open, passed (the hire is active), ended (probation ended: the hire left), cancelled' }),
  createdAt: moment,
  finishedAt: moment.nullable(),
});
export const onboardingPageView = pageView(onboardingSummary).meta({ id: 'OnboardingPage' });
export const onboardingView = onboardingSummary
  .extend({
    documentIds: z.array(id),
    cultureAttestedAt: moment.nullable(),
    sessionId: id.nullable(),
    attendance: z.string().nullable(),
    trainingScore: figure,
    probationEndsAt: moment.nullable(),
    steps: z.array(onboardingStepView),
    documents: z.array(z.object({ documentId: id, version: z.int(), confirmedAt: moment })),
    drills: z.array(z.object({ drillNo: z.int(), scenario: z.string(), scores: z.record(z.string(), z.number()), mean: z.number(), passed: z.boolean(), scoredById: id, scoredAt: moment })),
    coaching: z.array(z.object({ sessionNo: z.int(), heldOn: z.string(), notes: z.string(), coachId: id })),
    assessments: z.array(z.object({ round: z.int(), attempt: z.int(), score: z.number(), passed: z.boolean(), assessedById: id, assessedAt: moment })),
    decisions: z.array(z.object({ round: z.int(), pass: z.int(), decision: z.string(), reason: z.string(), countersign: z.string().nullable(), decidedById: id, countersignedBy: id.nullable() })),
    checkIns: z.array(z.object({ checkpoint: z.int(), heldOn: z.string(), progress: z.int(), notes: z.string(), managerId: id })),
    pulses: z.array(z.object({ checkpoint: z.int(), workload: z.int(), support: z.int(), confidence: z.int(), belonging: z.int(), comment: z.string().nullable() })),
    /** The flow's own rules the forms need (null while no worker answers): the coaching minimum, the drills' rubric. */
    rules: z.object({ coachingMinimum: z.int(), drillCriteria: z.array(z.object({ key: z.string(), name: z.string() })) }).nullable(),
  })
  .meta({ id: 'Onboarding' });
export const onboardingStartedView = z.object({ employeeId: id, flowId: id }).meta({ id: 'OnboardingStarted' });
/** Each step's form answers what it recorded and the tasks it led to. */
export const onboardingAnswerView = z
  .object({
    attested: z.boolean().optional(),
    documentId: id.optional(),
    version: z.int().optional(),
    sessionId: id.optional(),
    drillNo: z.int().optional(),
    mean: z.number().optional(),
    passed: z.boolean().optional(),
    sessions: z.int().optional(),
    required: z.int().optional(),
    round: z.int().optional(),
    attempt: z.int().optional(),
    decision: z.string().optional(),
    checkpoint: z.int().optional(),
    moved: z.int().optional(),
    status: z.literal('cancelled').optional(),
    next: z.array(nextTaskView),
  })
  .meta({ id: 'OnboardingAnswer' });
const documentBase = z.object({ id, title: z.string(), kind: z.string(), version: z.int(), createdAt: moment });
export const documentPageView = pageView(documentBase).meta({ id: 'DocumentPage' });
export const documentView = documentBase
  .extend({ versions: z.array(z.object({ version: z.int(), summary: z.string(), publishedById: id, publishedAt: moment })) })
  .meta({ id: 'Document' });
export const documentPublishedView = z.object({ id, version: z.int(), onboardingsTold: z.int() }).meta({ id: 'DocumentPublished' });

// --- Staffing adjustment (DOMAIN.md §7) ---
const staffingStatusView = z.enum(['awaiting_approval', 'refused', 'active', 'ended', 'permanent', 'left_with_cover', 'cancelled']);
export const staffingAdjustmentView = z
  .object({
    id,
    flowId: id,
    kind: z.string().meta({ description: 'deployment or rotation' }),
    status: z.string().meta({ description: 'awaiting_approval, refused, active, ended (the accounts moved back), permanent, left_with_cover (the owner left: HR reassigns), cancelled' }),
    covering: namedView,
    covered: namedView,
    head: namedView.nullable(),
    accountIds: z.array(id),
    movedAccountIds: z.array(id).meta({ description: 'the accounts the cover took on approval: those that move back at the end' }),
    startsAt: moment,
    endsAt: moment,
    reason: z.string(),
    training: z.string().nullable(),
    trainingSessionId: z.string().nullable(),
    endReason: z.string().nullable(),
    createdAt: moment,
    endedAt: moment.nullable(),
    mayChange: z.boolean().meta({ description: 'the caller (HR) may make it permanent or end it early now' }),
    mayReassign: z.boolean().meta({ description: 'the caller holds the open task to name who keeps the accounts of an owner who left' }),
  })
  .meta({ id: 'StaffingAdjustment' });
export const staffingAdjustmentPageView = pageView(staffingAdjustmentView.omit({ accountIds: true, movedAccountIds: true, mayChange: true, mayReassign: true })).meta({ id: 'StaffingAdjustmentPage' });
export const staffingAdjustmentStartedView = z.object({ adjustmentId: id, flowId: id, status: staffingStatusView }).meta({ id: 'StaffingAdjustmentStarted' });
export const staffingChangedView = z.object({ status: staffingStatusView }).meta({ id: 'StaffingChanged' });
export const staffingReassignedView = z.object({ holderId: id, moved: z.int(), next: z.array(nextTaskView) }).meta({ id: 'StaffingReassigned' });
