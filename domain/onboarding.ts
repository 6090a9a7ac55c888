/**
 * New-collector onboarding (新员工入职培训, DOMAIN.md §6): a hire's first ninety days as one flow,
 * started once per hire when HR registers them. Each step is a task due a number of working days
 * after the start date, chased by its policy; the hire gets a first portfolio only once the final
 * assessment is passed, through the same account moves as a handover.
 */
import { z } from 'zod';
import { calendarDate, durationMs, isoDuration } from './durations';
import { COMPANY_UTC_OFFSET } from './handover';
import { meanOf } from './figures';

export const onboardingFlowId = (employeeId: string) => `onboarding:${employeeId}`;

const text = (max: number, what: string) => z.string().trim().min(1, `write ${what}`).max(max);
const id = z.string().trim().min(1).max(100);
const score5 = z.int('rate 1 to 5').min(1, 'rate 1 to 5').max(5, 'rate 1 to 5');

/** One criterion of the drills' rubric (a role-play scored 1–5 on each). */
export const drillCriterion = z.object({ key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/), name: z.string().min(1).max(200) });

/**
 * ONBOARDING_SETTINGS, or per flow `settings.onboarding`. `due` counts from the start date on each
 * step's policy clock (working days by default); check-ins count calendar time (day 30/60/90) and
 * open `checkInOpensBefore` their day.
 */
export const onboardingSettings = z.object({
  due: z.object({
    culture: isoDuration,
    documents: isoDuration,
    training: isoDuration,
    drills: isoDuration,
    coaching: isoDuration,
    assessment: isoDuration,
  }),
  /** How long each later task has from when it opens: a retest, the probation decision, the portfolio. */
  answerWithin: isoDuration,
  checkInsAt: z.array(isoDuration).min(1).max(6),
  checkInOpensBefore: isoDuration,
  coachingMinimum: z.int().min(1).max(50),
  /** Assessment scores are 0–100. */
  passMark: z.number().min(0).max(100),
  drillCriteria: z.array(drillCriterion).min(1).max(12),
  /** The drill passes when the mean of its criteria's scores reaches this. */
  drillPassMark: z.number().min(1).max(5),
  probationExtension: isoDuration,
  /** A session whose attendance is not final at its end is looked at again this much later. */
  trainingRecheckAfter: isoDuration,
});
export type OnboardingSettings = z.infer<typeof onboardingSettings>;
export const DEFAULT_ONBOARDING: OnboardingSettings = {
  due: { culture: 'P3D', documents: 'P5D', training: 'P15D', drills: 'P20D', coaching: 'P30D', assessment: 'P40D' },
  answerWithin: 'P5D',
  checkInsAt: ['P30D', 'P60D', 'P90D'],
  checkInOpensBefore: 'P3D',
  coachingMinimum: 4,
  passMark: 60,
  drillCriteria: [
    { key: 'opening', name: '开场与身份核实 Opening and identity check' },
    { key: 'law', name: '合规催收用语 Lawful wording' },
    { key: 'objection', name: '异议处理 Handling objections' },
    { key: 'promise', name: '促成还款承诺 Securing a promise to pay' },
  ],
  drillPassMark: 3,
  probationExtension: 'P30D',
  trainingRecheckAfter: 'PT1H',
};
export const onboardingSettingsOf = (settings: { onboarding?: OnboardingSettings }): OnboardingSettings => settings.onboarding ?? DEFAULT_ONBOARDING;

/** Who a hire is, for a new employee record. */
export const newPerson = z.object({
  employeeNo: z.string().trim().regex(/^[A-Za-z0-9-]{2,20}$/, 'must be 2-20 letters, digits or dashes'),
  name: text(100, 'a name'),
  email: z.email('must be an email address').max(200),
  locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
  mobile: z.string().trim().regex(/^\+?\d{6,20}$/, 'must be a phone number').optional(),
});

/** HR registers a hire: a new person, or a former employee coming back (`employeeId`). */
export const registerOnboardingRequest = z
  .object({
    person: newPerson.optional(),
    employeeId: id.optional(),
    departmentId: id,
    managerId: id,
    /** The trainer who coaches the hire, scores the drills and the assessment. */
    trainerId: id,
    startDate: calendarDate,
    documentIds: z.array(id).max(50).default([]),
  })
  .refine((r) => (r.person === undefined) !== (r.employeeId === undefined), { message: 'give either a new person or the employeeId of a former employee', path: ['person'] })
  .refine((r) => new Set(r.documentIds).size === r.documentIds.length, { message: 'a document is named twice', path: ['documentIds'] });
export type RegisterOnboardingRequest = z.infer<typeof registerOnboardingRequest>;

/** A start date is at most a week past (a late registration), never further. */
export function startDateProblem(startDate: string, now: number): string | undefined {
  return startOfDay(startDate) < now - 8 * 86_400_000 ? 'startDate: more than a week in the past; register a hire by their first week' : undefined;
}

/** The start of a calendar day in the company's time zone (epoch ms). */
export const startOfDay = (date: string) => Date.parse(`${date}T00:00:00${COMPANY_UTC_OFFSET}`);

/** What the flow is started with. */
export interface OnboardingInput {
  employeeId: string;
  /** Set for a new employee record, created with the flow's first write. */
  person?: z.infer<typeof newPerson>;
  departmentId: string;
  managerId: string;
  trainerId: string;
  hrId: string;
  startDate: string;
  documentIds: string[];
}

/** The steps' due times count from the start date, or from the registration for a hire registered
 *  after their first day (a late registration is not born overdue). */
export const dueBase = (startDate: string, registeredAt: number) => Math.max(startOfDay(startDate), registeredAt);

/** The hire's people as the flow reads them when it opens (and after a reassignment). */
export interface OnboardingPeople {
  hireName: string;
  managerId: string;
  departmentId: string;
  headId: string;
  registeredAt: string;
}

export const documentKind = z.enum(['duties', 'procedure', 'law']);
export const documentRequest = z.object({ title: text(200, 'a title'), kind: documentKind, summary: text(4000, 'what the document says') });
export const documentVersionRequest = z.object({ summary: text(4000, 'what changed') });
export const documentParams = z.object({ documentId: id });

// The forms of each step, as the API receives them; the flow's messages add the sender.
const actor = { actorId: z.string().min(1) };

export const cultureRequest = z.object({ attest: z.literal(true, 'attest that you read the values'), statement: z.string().trim().max(2000).optional() });
export const cultureArgs = cultureRequest.extend(actor);
export type CultureArgs = z.infer<typeof cultureArgs>;

export const confirmDocumentRequest = z.object({ documentId: id, version: z.int().min(1) });
export const confirmDocumentArgs = confirmDocumentRequest.extend(actor);
export type ConfirmDocumentArgs = z.infer<typeof confirmDocumentArgs>;

export const enrolRequest = z.object({ sessionId: id });
export const enrolArgs = enrolRequest.extend(actor);
export type EnrolArgs = z.infer<typeof enrolArgs>;

export const drillRequest = z.object({ scenario: text(500, 'the scenario played'), scores: z.record(z.string(), score5), notes: z.string().trim().max(4000).optional() });
export const drillArgs = drillRequest.extend(actor);
export type DrillArgs = z.infer<typeof drillArgs>;

export const coachingRequest = z.object({ heldOn: calendarDate, notes: text(4000, 'what was coached') });
export const coachingArgs = coachingRequest.extend(actor);
export type CoachingArgs = z.infer<typeof coachingArgs>;

export const assessmentRequest = z.object({ score: z.number().min(0, 'scores run 0 to 100').max(100, 'scores run 0 to 100'), notes: z.string().trim().max(4000).optional() });
export const assessmentArgs = assessmentRequest.extend(actor);
export type AssessmentArgs = z.infer<typeof assessmentArgs>;

/** After a second fail, HR decides (the head then countersigns): extend, reassign or end probation. */
export const probationRequest = z
  .object({
    decision: z.enum(['extend', 'reassign', 'end']),
    reason: text(2000, 'the reason'),
    extendBy: isoDuration.optional(),
    departmentId: id.optional(),
    managerId: id.optional(),
  })
  .refine((p) => p.decision === 'reassign' || (p.departmentId === undefined && p.managerId === undefined), { message: 'only a reassignment names a department and manager', path: ['departmentId'] })
  .refine((p) => p.decision !== 'reassign' || (p.departmentId !== undefined && p.managerId !== undefined), { message: 'a reassignment names the department and the manager', path: ['departmentId'] })
  .refine((p) => p.decision !== 'end' || p.extendBy === undefined, { message: 'ending probation extends nothing', path: ['extendBy'] });
export const probationArgs = probationRequest.safeExtend(actor);
export type ProbationArgs = z.infer<typeof probationArgs>;

export const checkInRequest = z.object({ checkpoint: z.int().min(1).max(6), heldOn: calendarDate, progress: score5, notes: text(4000, 'what was discussed') });
export const checkInArgs = checkInRequest.extend(actor);
export type CheckInArgs = z.infer<typeof checkInArgs>;

/** The hire's own short pulse at each check-in (1–5), kept for a later early warning to read. */
export const pulseRequest = z.object({ checkpoint: z.int().min(1).max(6), workload: score5, support: score5, confidence: score5, belonging: score5, comment: z.string().trim().max(2000).optional() });
export const pulseArgs = pulseRequest.extend(actor);
export type PulseArgs = z.infer<typeof pulseArgs>;

export const portfolioRequest = z.object({ accountIds: z.array(id).min(1, 'name at least one account').max(2000) });
export const portfolioArgs = portfolioRequest.extend(actor);
export type PortfolioArgs = z.infer<typeof portfolioArgs>;

/** A new version of a document the hire reads (sent by the document registry). */
export interface DocumentRevised {
  documentId: string;
  version: number;
}

/** A drill's result against the rubric: every criterion scored, the mean against the pass mark. */
export function drillResult(criteria: { key: string }[], scores: Record<string, number>, passMark: number): { problem?: string; mean: number; passed: boolean } {
  const missing = criteria.filter((c) => scores[c.key] === undefined).map((c) => c.key);
  const unknown = Object.keys(scores).filter((k) => !criteria.some((c) => c.key === k));
  if (missing.length || unknown.length) {
    const problem = [missing.length ? `missing ${missing.join(', ')}` : '', unknown.length ? `not in the rubric: ${unknown.join(', ')}` : ''].filter(Boolean).join('; ');
    return { problem: `scores: ${problem}`, mean: 0, passed: false };
  }
  const mean = meanOf(criteria.map((c) => scores[c.key]!), 2)!;
  return { mean, passed: mean >= passMark };
}

/** The end of an extended probation: the decision's period, else the setting's. */
export const extendedUntil = (now: number, extendBy: string | undefined, settings: OnboardingSettings) => now + durationMs(extendBy ?? settings.probationExtension);

/** A talk or a coaching session is recorded once held: never for a day still ahead. */
export const heldOnProblem = (heldOn: string, now: number) => (startOfDay(heldOn) > now ? 'heldOn: recorded once it has been held, not ahead of the day' : undefined);
