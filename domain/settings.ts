import { z } from 'zod';
import { chasingPolicy, type ChasingPolicy } from './chasing';
import { DEFAULT_ATTACHMENT_MAX_BYTES } from './comments';
import { isoDuration } from './durations';
import { careerPlanSettings, careerPlanSettingsOf, DEFAULT_CAREER_PLANS } from './careerPlan';
import { DEFAULT_FOLLOW_UP, followUpSettings, followUpSettingsOf } from './followUp';
import { DEFAULT_HANDOVER, handoverSettings } from './handover';
import { DEFAULT_NEEDS, needsSettings } from './needsCycle';
import { DEFAULT_ONBOARDING, onboardingSettings, onboardingSettingsOf } from './onboarding';
import { channelName, type ChannelName } from './notifications';
import { DEFAULT_TASK_ACTIONS, taskAction } from './tasks';
import { DEFAULT_RETENTION, retentionSettings, retentionSettingsOf } from './risk';
import { DEFAULT_SUGGESTIONS, suggestionSettings, suggestionSettingsOf } from './suggestion';
import { DEFAULT_SESSIONS, sessionSettings, sessionSettingsOf } from './trainingSession';
import { DEFAULT_STAFFING, staffingSettings, staffingSettingsOf } from './staffingAdjustment';
import { DEFAULT_WORKING_TIME, workingTimeSettings, type WorkingTimeSettings } from './workingTime';

/** Every kind of human task, each with its own chasing policy. */
export const taskType = z.enum([
  'plan_approval',
  'plan_revision',
  'handover_acknowledge',
  'handover_assign',
  'handover_item',
  'knowledge_capture',
  'knowledge_review',
  'mentoring',
  'successor_assessment',
  'successor_review',
  'handover_sign_off',
  'handover_rating',
  'handover_exit_interview',
  'needs_survey',
  'needs_observation',
  'needs_low_response',
  'needs_approval',
  'needs_confirm_own',
  'needs_adjust',
  'career_plan_review',
  'session_schedule',
  'session_preparation',
  'session_trainer_review',
  'session_trainer_replace',
  'session_feedback',
  'session_report',
  'followup_scores',
  'followup_retest',
  'followup_baseline',
  'followup_application',
  'followup_behaviour',
  'followup_coaching',
  'followup_recheck',
  'followup_results',
  'followup_recognition',
  'survey_answer',
  'survey_review',
  'survey_action',
  'suggestion_answer',
  'team_meeting',
  'team_one_to_one',
  'promotion_no_applicants',
  'promotion_evaluation',
  'promotion_decision',
  'promotion_countersign',
  'reserve_pool_review',
  'retention_stay_interview',
  'retention_hr_review',
  'retention_action_check',
  // Onboarding (DOMAIN.md §6)
  'onboarding_culture',
  'onboarding_document',
  'onboarding_enrolment',
  'onboarding_drill',
  'onboarding_coaching',
  'onboarding_assessment',
  'onboarding_probation',
  'onboarding_probation_countersign',
  'onboarding_check_in',
  'onboarding_pulse',
  'onboarding_portfolio',
  // Staffing adjustment (DOMAIN.md §7)
  'staffing_approval',
  'staffing_training',
  'staffing_reassign',
]);
export type TaskType = z.infer<typeof taskType>;

const daily = (escalateAfter: string, escalateTo: ChasingPolicy['escalateTo'] = ['manager', 'hr']): ChasingPolicy => ({
  clock: 'working',
  remindAfter: 'P1D',
  remindEvery: 'P1D',
  maxReminders: 5,
  escalateAfter,
  escalateTo,
});

/** Every default counts working time: a task due in P3D over the National Day holiday waits for it. */
export const DEFAULT_CHASING: Record<TaskType, ChasingPolicy> = {
  plan_approval: daily('P3D'),
  plan_revision: { clock: 'working', remindAfter: 'P2D', remindEvery: 'P2D', maxReminders: 3, escalateAfter: 'P5D', escalateTo: ['manager'] },
  handover_acknowledge: daily('P2D'),
  handover_assign: daily('P2D', ['hr']),
  // Checklist lines: reminded the day before and on the due time, escalated once overdue.
  handover_item: { clock: 'working', remindAfter: 'P1D', remindEvery: 'P1D', maxReminders: 0, remindBeforeDue: 'P1D', escalateAfter: 'P1D', escalateTo: ['supervisor', 'hr'] },
  knowledge_capture: { ...daily('P1D', ['supervisor', 'hr']), maxReminders: 0, remindBeforeDue: 'P2D' },
  knowledge_review: daily('P3D'),
  mentoring: { clock: 'working', remindAfter: 'P7D', remindEvery: 'P7D', maxReminders: 4, remindBeforeDue: 'P3D', escalateAfter: 'P3D', escalateTo: ['manager', 'hr'] },
  successor_assessment: daily('P5D'),
  successor_review: daily('P3D', ['hr']),
  handover_sign_off: daily('P3D'),
  handover_rating: daily('P7D', []),
  // The flow's HR officer holds it; overdue, their own manager hears of it.
  handover_exit_interview: daily('P5D', ['manager']),
  // Non-responders hear the day before the survey closes and when it does; then their manager.
  needs_survey: { clock: 'working', remindAfter: 'P2D', remindEvery: 'P2D', maxReminders: 2, remindBeforeDue: 'P1D', escalateAfter: 'P1D', escalateTo: ['manager'] },
  needs_observation: { clock: 'working', remindAfter: 'P2D', remindEvery: 'P2D', maxReminders: 2, remindBeforeDue: 'P1D', escalateAfter: 'P1D', escalateTo: ['manager', 'hr'] },
  needs_low_response: daily('P2D', ['manager']),
  needs_approval: daily('P3D'),
  needs_confirm_own: { ...daily('P3D', []), maxReminders: 2 },
  needs_adjust: daily('P3D', ['manager']),
  // The yearly talk opens on the review date and is due ten working days later; then the
  // reviewer's manager, then HR, hear of it.
  career_plan_review: { clock: 'working', remindAfter: 'P3D', remindEvery: 'P3D', maxReminders: 3, escalateAfter: 'P10D', escalateTo: ['manager', 'hr'] },
  // Preparation is due a lead time before the session: reminded the day before and when due.
  session_schedule: { clock: 'working', remindAfter: 'P1D', remindEvery: 'P1D', maxReminders: 0, remindBeforeDue: 'P1D', escalateAfter: 'P1D', escalateTo: ['manager'] },
  session_preparation: { clock: 'working', remindAfter: 'P1D', remindEvery: 'P1D', maxReminders: 0, remindBeforeDue: 'P1D', escalateAfter: 'PT4H', escalateTo: ['manager', 'hr'] },
  session_trainer_review: { clock: 'working', remindAfter: 'P1D', remindEvery: 'P1D', maxReminders: 0, remindBeforeDue: 'P1D', escalateAfter: 'P1D', escalateTo: ['manager'] },
  session_trainer_replace: { clock: 'working', remindAfter: 'P1D', remindEvery: 'P1D', maxReminders: 0, remindBeforeDue: 'P1D', escalateAfter: 'P1D', escalateTo: ['manager'] },
  // Feedback is due when it closes: attendees hear the day before; nobody is escalated for it.
  session_feedback: { clock: 'working', remindAfter: 'P1D', remindEvery: 'P1D', maxReminders: 0, remindBeforeDue: 'P1D', escalateAfter: 'P7D', escalateTo: [] },
  session_report: daily('P3D', ['manager', 'hr']),
  // Follow-up tasks are due `answerWithin` (or the retest's, the coaching's period) after asked.
  followup_scores: { clock: 'working', remindAfter: 'P2D', remindEvery: 'P2D', maxReminders: 0, remindBeforeDue: 'P2D', escalateAfter: 'P2D', escalateTo: ['hr'] },
  followup_retest: { clock: 'working', remindAfter: 'P3D', remindEvery: 'P3D', maxReminders: 0, remindBeforeDue: 'P3D', escalateAfter: 'P2D', escalateTo: ['manager'] },
  followup_baseline: { clock: 'working', remindAfter: 'P2D', remindEvery: 'P2D', maxReminders: 0, remindBeforeDue: 'P2D', escalateAfter: 'P2D', escalateTo: ['manager', 'hr'] },
  followup_application: { clock: 'working', remindAfter: 'P2D', remindEvery: 'P2D', maxReminders: 0, remindBeforeDue: 'P2D', escalateAfter: 'P3D', escalateTo: ['manager'] },
  followup_behaviour: { clock: 'working', remindAfter: 'P2D', remindEvery: 'P2D', maxReminders: 0, remindBeforeDue: 'P2D', escalateAfter: 'P3D', escalateTo: ['manager', 'hr'] },
  // Coaching behind its minimum is chased weekly until it is due, then HR hears of it.
  followup_coaching: { clock: 'working', remindAfter: 'P7D', remindEvery: 'P7D', maxReminders: 4, remindBeforeDue: 'P3D', escalateAfter: 'P3D', escalateTo: ['hr'] },
  followup_recheck: daily('P3D', ['hr']),
  followup_results: daily('P5D', ['manager', 'hr']),
  followup_recognition: daily('P5D', ['manager']),
  // A survey's non-respondents hear the day before it closes; nobody is escalated for not answering.
  survey_answer: { clock: 'working', remindAfter: 'P2D', remindEvery: 'P2D', maxReminders: 1, remindBeforeDue: 'P1D', escalateAfter: 'P1D', escalateTo: [] },
  survey_review: daily('P5D', ['hr']),
  survey_action: daily('P3D', ['manager', 'hr']),
  // Due `answerWithin` after submission (SUGGESTION_SETTINGS): the head hears the day before and
  // when due, then daily; overdue, their manager, then HR.
  suggestion_answer: { clock: 'working', remindAfter: 'P1D', remindEvery: 'P1D', maxReminders: 0, remindBeforeDue: 'P1D', escalateAfter: 'P2D', escalateTo: ['manager', 'hr'] },
  // Due a few working days after the departure: reminded the day before and when due, then the
  // head's manager and HR hear of it.
  team_meeting: { clock: 'working', remindAfter: 'P1D', remindEvery: 'P1D', maxReminders: 0, remindBeforeDue: 'P1D', escalateAfter: 'P2D', escalateTo: ['manager', 'hr'] },
  team_one_to_one: { clock: 'working', remindAfter: 'P1D', remindEvery: 'P1D', maxReminders: 0, remindBeforeDue: 'P1D', escalateAfter: 'P2D', escalateTo: ['manager', 'hr'] },
  // A vacancy that drew nobody waits on HR alone: their director hears of it after three days.
  promotion_no_applicants: daily('P3D', ['manager']),
  // The panel scores within a working week, then their managers and HR hear of it.
  promotion_evaluation: daily('P5D', ['manager', 'hr']),
  promotion_decision: daily('P3D', ['manager']),
  promotion_countersign: daily('P3D', ['manager', 'hr']),
  // A quarter's pool review waits on HR: their director hears of it after a working week.
  reserve_pool_review: daily('P5D', ['manager']),
  // Retention (RETENTION_SETTINGS says when each is due): reminded the day before and when due;
  // a stay interview not held goes to the manager's manager, then HR; a review to HR's director.
  retention_stay_interview: { clock: 'working', remindAfter: 'P1D', remindEvery: 'P1D', maxReminders: 0, remindBeforeDue: 'P1D', escalateAfter: 'P1D', escalateTo: ['manager', 'hr'] },
  retention_hr_review: { clock: 'working', remindAfter: 'P1D', remindEvery: 'P1D', maxReminders: 0, remindBeforeDue: 'P1D', escalateAfter: 'P2D', escalateTo: ['manager'] },
  retention_action_check: { clock: 'working', remindAfter: 'P1D', remindEvery: 'P1D', maxReminders: 0, remindBeforeDue: 'P1D', escalateAfter: 'P2D', escalateTo: ['manager', 'hr'] },
  // Onboarding: each step is due some working days after the start date (ONBOARDING_SETTINGS); the
  // holder hears the day before and when due, then their manager and HR (the hire's own steps go
  // to their manager first).
  ...onboardingChasing(),
  // Staffing adjustment (STAFFING_SETTINGS says when each is due): the head hears the day before
  // and when due, then their manager and HR; HR's own steps go to their director.
  staffing_approval: { ...daily('P1D'), maxReminders: 0, remindBeforeDue: 'P1D' },
  staffing_training: { ...daily('P2D', ['manager']), maxReminders: 0, remindBeforeDue: 'P1D' },
  staffing_reassign: { ...daily('P1D', ['manager']), maxReminders: 0, remindBeforeDue: 'P1D' },
};

function onboardingChasing(): Record<Extract<TaskType, `onboarding_${string}`>, ChasingPolicy> {
  const step = (escalateTo: ChasingPolicy['escalateTo'] = ['manager', 'hr']): ChasingPolicy => ({ ...daily('P2D', escalateTo), maxReminders: 0, remindBeforeDue: 'P1D' });
  return {
    onboarding_culture: step(),
    onboarding_document: step(),
    onboarding_enrolment: step(['hr']),
    onboarding_drill: step(),
    onboarding_coaching: { clock: 'working', remindAfter: 'P5D', remindEvery: 'P5D', maxReminders: 6, remindBeforeDue: 'P2D', escalateAfter: 'P2D', escalateTo: ['manager', 'hr'] },
    onboarding_assessment: step(),
    onboarding_probation: step(['manager']),
    onboarding_probation_countersign: step(['manager', 'hr']),
    onboarding_check_in: step(),
    onboarding_pulse: { ...step([]), escalateAfter: 'P5D' },
    onboarding_portfolio: step(),
  };
}

/** Per-deployment (environment) or per-flow (request) overrides of the chasing policies. */
export const chasingOverrides = z.partialRecord(taskType, chasingPolicy);
export type ChasingOverrides = z.infer<typeof chasingOverrides>;

/** Which actions besides deciding each task type allows (a deployment's or a flow's overrides). */
export const taskActionOverrides = z.partialRecord(taskType, z.array(taskAction));

/** What a flow is started with and keeps for its whole life, so a running flow is deterministic. */
export const flowSettings = z.object({
  chasing: z.record(taskType, chasingPolicy),
  executiveThresholdFen: z.int().min(0),
  handover: handoverSettings,
  needs: needsSettings,
  /** Optional for flows started before training sessions existed. */
  sessions: sessionSettings.optional(),
  /** Optional for flows started before the follow-up existed. */
  followUp: followUpSettings.optional(),
  /** Optional for flows started before career plans existed. */
  careerPlans: careerPlanSettings.optional(),
  /** Optional for flows started before suggestions existed. */
  suggestions: suggestionSettings.optional(),
  /** Optional for flows started before retention existed. */
  retention: retentionSettings.optional(),
  /** Optional for flows started before onboarding existed. */
  onboarding: onboardingSettings.optional(),
  /** Optional for flows started before staffing adjustments existed. */
  staffing: staffingSettings.optional(),
  /** For policies on the working clock; flows started before it was a setting use the default. */
  workingTime: workingTimeSettings.optional(),
  /** Per task type; flows started before it was a setting use the defaults. */
  taskActions: taskActionOverrides.optional(),
});
export type FlowSettings = z.infer<typeof flowSettings>;

export const flowSettingsOverrides = z.object({
  chasing: chasingOverrides.optional(),
  executiveThresholdFen: z.int().min(0).optional(),
  handover: handoverSettings.partial().optional(),
  needs: needsSettings.partial().optional(),
  sessions: sessionSettings.partial().optional(),
  followUp: followUpSettings.partial().optional(),
  careerPlans: careerPlanSettings.partial().optional(),
  suggestions: suggestionSettings.partial().optional(),
  retention: retentionSettings.partial().optional(),
  onboarding: onboardingSettings.partial().optional(),
  staffing: staffingSettings.partial().optional(),
  workingTime: workingTimeSettings.partial().optional(),
  taskActions: taskActionOverrides.optional(),
});
export type FlowSettingsOverrides = z.infer<typeof flowSettingsOverrides>;

export function withOverrides(base: FlowSettings, overrides: FlowSettingsOverrides | undefined): FlowSettings {
  return {
    chasing: { ...base.chasing, ...overrides?.chasing },
    executiveThresholdFen: overrides?.executiveThresholdFen ?? base.executiveThresholdFen,
    handover: { ...base.handover, ...overrides?.handover },
    needs: { ...base.needs, ...overrides?.needs },
    sessions: { ...sessionSettingsOf(base), ...overrides?.sessions },
    followUp: { ...followUpSettingsOf(base), ...overrides?.followUp },
    careerPlans: { ...careerPlanSettingsOf(base), ...overrides?.careerPlans },
    suggestions: { ...suggestionSettingsOf(base), ...overrides?.suggestions },
    retention: { ...retentionSettingsOf(base), ...overrides?.retention },
    onboarding: { ...onboardingSettingsOf(base), ...overrides?.onboarding },
    staffing: { ...staffingSettingsOf(base), ...overrides?.staffing },
    workingTime: { ...(base.workingTime ?? DEFAULT_WORKING_TIME), ...overrides?.workingTime },
    taskActions: { ...base.taskActions, ...overrides?.taskActions },
  };
}

/** An environment variable holding JSON of the given shape (unset: empty). */
function jsonVariable<S extends z.ZodType>(shape: S) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (!raw) return {};
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON' });
        return z.NEVER;
      }
    })
    .pipe(shape);
}

const DEV_JWT_SECRET = 'baton-local-development-secret-do-not-use-in-production';

const env = z.object({
  NODE_ENV: z.string().default('development'),
  DATABASE_URL: z.string().optional(),
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('baton'),
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(2, 'must be at least 2').optional(),
  WORKER_METRICS_ADDRESS: z.string().regex(/^[\w.:[\]-]+:\d+$/, 'must be host:port, e.g. 0.0.0.0:9464').optional(),
  WORKFLOW_STACK_TRACES: z.enum(['on', 'off']).default('on'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  JWT_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  JWT_ISSUER: z.string().optional(),
  JWT_AUDIENCE: z.string().optional(),
  JWT_JWKS_URL: z.url().optional(),
  PLAN_EXECUTIVE_THRESHOLD_FEN: z.coerce.number().int().min(0).default(5_000_000),
  CHASING_POLICIES: jsonVariable(chasingOverrides),
  HANDOVER_SETTINGS: jsonVariable(handoverSettings.partial()),
  NEEDS_SETTINGS: jsonVariable(needsSettings.partial()),
  SESSION_SETTINGS: jsonVariable(sessionSettings.partial()),
  FOLLOW_UP_SETTINGS: jsonVariable(followUpSettings.partial()),
  CAREER_PLAN_SETTINGS: jsonVariable(careerPlanSettings.partial()),
  SUGGESTION_SETTINGS: jsonVariable(suggestionSettings.partial()),
  RETENTION_SETTINGS: jsonVariable(retentionSettings.partial()),
  ONBOARDING_SETTINGS: jsonVariable(onboardingSettings.partial()),
  STAFFING_SETTINGS: jsonVariable(staffingSettings.partial()),
  WORKING_TIME: jsonVariable(workingTimeSettings.partial()),
  TASK_ACTIONS: jsonVariable(taskActionOverrides),
  SMTP_URL: z.url().optional(),
  MAIL_FROM: z.string().default('Baton <baton@localhost>'),
  WECOM_WEBHOOK_URL: z.url().optional(),
  DINGTALK_WEBHOOK_URL: z.url().optional(),
  DINGTALK_SECRET: z.string().optional(),
  FEISHU_WEBHOOK_URL: z.url().optional(),
  FEISHU_SECRET: z.string().optional(),
  NOTIFY_CHANNELS: z
    .string()
    .optional()
    .transform((v) => v?.split(',').map((c) => c.trim()))
    .pipe(z.array(channelName).min(1).optional()),
  NOTIFY_QUIET_HOURS: z.enum(['on', 'off']).default('on'),
  NOTIFY_RETRY_AFTER: isoDuration.default('PT30S'),
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  WEB_APP_URL: z.url().optional(),
  WEB_APP_DIR: z.string().optional(),
  ATTACHMENTS_DIR: z.string().default('.data/attachments'),
  ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1024, 'must be at least 1024').max(1024 ** 3, 'must be at most 1 GiB').default(DEFAULT_ATTACHMENT_MAX_BYTES),
  TEMPORAL_WEB_URL: z.url().optional(),
  PUBLIC_API_URL: z.url().optional(),
});

export type Settings = ReturnType<typeof settingsFrom>;

/** Reads the deployment's configuration; throws one error naming every bad variable. */
export function settingsFrom(source: Record<string, string | undefined>) {
  // An empty variable (FOO=) means unset, as in most deployment tools.
  const parsed = env.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const notifications = notificationSettingsFrom(e);
  if (!e.JWT_SECRET && !e.JWT_JWKS_URL && e.NODE_ENV === 'production') {
    throw new Error('invalid configuration:\n  JWT_SECRET: required in production (or set JWT_JWKS_URL)');
  }
  return {
    databaseUrl: e.DATABASE_URL,
    temporal: { address: e.TEMPORAL_ADDRESS, namespace: e.TEMPORAL_NAMESPACE, taskQueue: e.TEMPORAL_TASK_QUEUE },
    /** Flows a worker keeps in memory (about 2.5 MiB each); the rest replay when they next wake. Unset: the SDK's choice from the heap size. */
    maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
    /** Where a worker serves the Temporal SDK's metrics for Prometheus; unset, it serves none. */
    workerMetricsAddress: e.WORKER_METRICS_ADDRESS,
    /** Whether the Temporal UI's stack trace view shows where a flow waits: the SDK keeps the stack
     *  of every promise a flow creates, mapped through the source map (about 8% of a plan approval's
     *  CPU). Off, flows keep none. */
    workflowStackTraces: e.WORKFLOW_STACK_TRACES === 'on',
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    auth: { secret: e.JWT_SECRET ?? DEV_JWT_SECRET, issuer: e.JWT_ISSUER, audience: e.JWT_AUDIENCE, jwksUrl: e.JWT_JWKS_URL },
    /** The web app: where its build is (unset: dist/web), the Temporal Web UI to link flows to, and
     *  whether its demo picker signs people in (only while tokens are signed with the dev secret). */
    /** Where comments' attachments are kept (one file per attachment, named by its id) and how large one may be. */
    attachments: { dir: e.ATTACHMENTS_DIR, maxBytes: e.ATTACHMENT_MAX_BYTES },
    web: { dir: e.WEB_APP_DIR, temporalWebUrl: e.TEMPORAL_WEB_URL, demoSignIn: !e.JWT_SECRET && !e.JWT_JWKS_URL },
    flows: {
      chasing: { ...DEFAULT_CHASING, ...e.CHASING_POLICIES },
      executiveThresholdFen: e.PLAN_EXECUTIVE_THRESHOLD_FEN,
      handover: { ...DEFAULT_HANDOVER, ...e.HANDOVER_SETTINGS },
      needs: { ...DEFAULT_NEEDS, ...e.NEEDS_SETTINGS },
      sessions: { ...DEFAULT_SESSIONS, ...e.SESSION_SETTINGS },
      followUp: { ...DEFAULT_FOLLOW_UP, ...e.FOLLOW_UP_SETTINGS },
      careerPlans: { ...DEFAULT_CAREER_PLANS, ...e.CAREER_PLAN_SETTINGS },
      suggestions: { ...DEFAULT_SUGGESTIONS, ...e.SUGGESTION_SETTINGS },
      retention: { ...DEFAULT_RETENTION, ...e.RETENTION_SETTINGS },
      onboarding: { ...DEFAULT_ONBOARDING, ...e.ONBOARDING_SETTINGS },
      staffing: { ...DEFAULT_STAFFING, ...e.STAFFING_SETTINGS },
      workingTime: notifications.workingTime,
      taskActions: { ...DEFAULT_TASK_ACTIONS, ...e.TASK_ACTIONS },
    } satisfies FlowSettings,
    notifications,
  };
}

/** How notifications reach people on this deployment (see `NotificationSettings`). */
function notificationSettingsFrom(e: z.infer<typeof env>): NotificationSettings {
  const channels: NotificationSettings['channels'] = {
    email: e.SMTP_URL ? { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM } : undefined,
    wecom: e.WECOM_WEBHOOK_URL ? { webhookUrl: e.WECOM_WEBHOOK_URL } : undefined,
    dingtalk: e.DINGTALK_WEBHOOK_URL ? { webhookUrl: e.DINGTALK_WEBHOOK_URL, secret: e.DINGTALK_SECRET } : undefined,
    feishu: e.FEISHU_WEBHOOK_URL ? { webhookUrl: e.FEISHU_WEBHOOK_URL, secret: e.FEISHU_SECRET } : undefined,
  };
  const configured = (Object.keys(channels) as (keyof typeof channels)[]).filter((c) => channels[c]);
  const unconfigured = e.NOTIFY_CHANNELS?.filter((c) => c !== 'log' && !configured.includes(c));
  if (unconfigured?.length) throw new Error(`invalid configuration:\n  NOTIFY_CHANNELS: ${unconfigured.join(', ')} not configured (set its URL variable)`);
  return {
    channels,
    defaultChannels: e.NOTIFY_CHANNELS ?? (configured.length ? configured : ['log']),
    quietHours: e.NOTIFY_QUIET_HOURS === 'on',
    retryAfter: e.NOTIFY_RETRY_AFTER,
    maxAttempts: e.NOTIFY_MAX_ATTEMPTS,
    links: { webAppUrl: e.WEB_APP_URL, apiUrl: e.PUBLIC_API_URL ?? `http://localhost:${e.PORT}` },
    workingTime: { ...DEFAULT_WORKING_TIME, ...e.WORKING_TIME },
  };
}

/** The channels people may choose on a deployment (the log always), and its defaults. */
export function channelChoice(n: NotificationSettings): { configured: ChannelName[]; defaults: ChannelName[] } {
  const configured = (Object.keys(n.channels) as (keyof NotificationSettings['channels'])[]).filter((c) => n.channels[c]);
  return { configured: ['log', ...configured], defaults: n.defaultChannels };
}

/** A deployment's notification channels and delivery rules. */
export interface NotificationSettings {
  channels: {
    email?: { smtpUrl: string; from: string };
    wecom?: { webhookUrl: string };
    dingtalk?: { webhookUrl: string; secret?: string };
    feishu?: { webhookUrl: string; secret?: string };
  };
  /** Channels of employees who chose none. */
  defaultChannels: ChannelName[];
  /** Reminders and escalation notices due outside working time wait for the next working period. */
  quietHours: boolean;
  /** A failed delivery is tried again after this, doubling each time, `maxAttempts` in all. */
  retryAfter: string;
  maxAttempts: number;
  /** Where a notification's link points: the web app's page when there is one, else the API's resource. */
  links: { webAppUrl?: string; apiUrl: string };
  workingTime: WorkingTimeSettings;
}
