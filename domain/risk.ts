/**
 * Early warning (离职风险预警, DOMAIN.md §7): each employee's risk of leaving, scored by a versioned
 * rule set from what Baton holds (session attendance and lateness, follow-up scores and coaching, a
 * manager's flag) and what it imports (monthly collection rate, contacts, complaints). Pure: the
 * activities gather the indicators, this file weighs them and says why, in words and as a key the
 * web app translates.
 */
import { z } from 'zod';
import { calendarDate, isoDuration } from './durations';
import { csvRecords } from './followUp';

export const riskLevel = z.enum(['low', 'medium', 'high']);
export type RiskLevel = z.infer<typeof riskLevel>;

const weight = z.number().min(0).max(100);
/** A rule set's contents: each indicator's weight (points when it fires) and threshold; the level
 *  follows from the points summed against `mediumFrom` and `highFrom`. */
export const riskRules = z
  .object({
    /** Imported figures of the latest month: a collection rate (%) below, contacts below, complaints at least. */
    collectionRate: z.object({ weight, below: z.number().min(0).max(100) }),
    contacts: z.object({ weight, below: z.int().min(0) }),
    complaints: z.object({ weight, atLeast: z.int().min(1) }),
    /** Training sessions within `lookbackDays`: absences and late sign-ins, at least. */
    absences: z.object({ weight, atLeast: z.int().min(1) }),
    lateness: z.object({ weight, atLeast: z.int().min(1) }),
    /** A knowledge test failed (its retest included) within the window. */
    knowledgeFailed: z.object({ weight }),
    /** Being coached because the follow-up found them below the bar. */
    coaching: z.object({ weight }),
    /** A manager's flag within the window. */
    managerFlag: z.object({ weight }),
    /** At least `atLeast` leavers of the employee's team (same manager) left for the same cause,
     *  as their exit interviews say, within `withinDays` of their last working day. */
    sameCauseExits: z.object({ weight, atLeast: z.int().min(2), withinDays: z.int().min(1).max(730) }),
    /** A hire's latest onboarding pulse within the window rated support, confidence or belonging
     *  at most `atMost` (of 5). A rule set sent without it (written before it existed) gets it at weight 0. */
    lowPulse: z.object({ weight, atMost: z.int().min(1).max(4) }).default({ weight: 0, atMost: 2 }),
    lookbackDays: z.int().min(1).max(730),
    mediumFrom: z.number().min(0),
    highFrom: z.number().min(0),
  })
  .refine((r) => r.highFrom > r.mediumFrom, { message: 'highFrom must be above mediumFrom', path: ['highFrom'] });
export type RiskRules = z.infer<typeof riskRules>;

/** The rule set a fresh deployment starts with (version 1). */
export const DEFAULT_RISK_RULES: RiskRules = {
  collectionRate: { weight: 30, below: 60 },
  contacts: { weight: 10, below: 200 },
  complaints: { weight: 20, atLeast: 2 },
  absences: { weight: 20, atLeast: 1 },
  lateness: { weight: 10, atLeast: 2 },
  knowledgeFailed: { weight: 15 },
  coaching: { weight: 10 },
  managerFlag: { weight: 40 },
  sameCauseExits: { weight: 30, atLeast: 2, withinDays: 180 },
  lowPulse: { weight: 20, atMost: 2 },
  lookbackDays: 90,
  mediumFrom: 30,
  highFrom: 60,
};

/** What is known of one employee when they are scored. */
export interface RiskIndicators {
  /** The latest imported month's figures, if any. */
  performance?: { month: string; collectionRate: number; contacts: number; complaints: number };
  absences: number;
  lateSessions: number;
  knowledgeFailed: number;
  inCoaching: boolean;
  /** Reasons of the manager's flags within the window, newest first. */
  flags: string[];
  /** The cause most of the team's leavers named within `sameCauseExits.withinDays`, and how many. */
  teamExits?: { cause: LeavingCause; leavers: number };
  /** The lowest answer of the latest onboarding pulse within the window, and what it rated. */
  pulse?: { checkpoint: number; lowest: PulseMeasure; value: number };
}

/** What a hire's pulse rates that says they may not stay (workload says how much, not how well). */
export const PULSE_MEASURES = ['support', 'confidence', 'belonging'] as const;
export type PulseMeasure = (typeof PULSE_MEASURES)[number];

/** The lowest-rated of a pulse's measures (the first of the list on a tie). */
export function lowestOfPulse(pulse: { checkpoint: number } & Record<PulseMeasure, number>): NonNullable<RiskIndicators['pulse']> {
  const lowest = PULSE_MEASURES.reduce((a, b) => (pulse[b] < pulse[a] ? b : a));
  return { checkpoint: pulse.checkpoint, lowest, value: pulse[lowest] };
}

export const riskReasonKey = z.enum(['collection_rate_low', 'contacts_low', 'complaints_high', 'absences', 'lateness', 'knowledge_failed', 'coaching', 'manager_flag', 'same_cause_exits', 'low_pulse']);
export type RiskReasonKey = z.infer<typeof riskReasonKey>;

/** Why an employee scored what they did: a key and its params (for the web app's own words), the
 *  points it added, and the same in both languages for everyone else (exports, notifications). */
export interface RiskReason {
  key: RiskReasonKey;
  params: Record<string, string | number>;
  points: number;
  text: { 'zh-CN': string; en: string };
}

export interface RiskAssessment {
  score: number;
  level: RiskLevel;
  reasons: RiskReason[];
}

const WORDS: Record<RiskReasonKey, (p: Record<string, string | number>) => RiskReason['text']> = {
  collection_rate_low: (p) => ({ 'zh-CN': `${p.month} 回款率 ${p.value}%，低于 ${p.threshold}%`, en: `collection rate ${p.value}% in ${p.month}, below ${p.threshold}%` }),
  contacts_low: (p) => ({ 'zh-CN': `${p.month} 联系次数 ${p.value}，少于 ${p.threshold}`, en: `${p.value} contacts in ${p.month}, fewer than ${p.threshold}` }),
  complaints_high: (p) => ({ 'zh-CN': `${p.month} 投诉 ${p.value} 次`, en: `${p.value} complaints in ${p.month}` }),
  absences: (p) => ({ 'zh-CN': `近 ${p.days} 天培训缺席 ${p.value} 次`, en: `absent from ${p.value} training session(s) in ${p.days} days` }),
  lateness: (p) => ({ 'zh-CN': `近 ${p.days} 天培训迟到 ${p.value} 次`, en: `late for ${p.value} training sessions in ${p.days} days` }),
  knowledge_failed: (p) => ({ 'zh-CN': `知识测试未通过 ${p.value} 次`, en: `failed ${p.value} knowledge test(s)` }),
  coaching: () => ({ 'zh-CN': '培训后仍低于标准，正在辅导', en: 'being coached after falling below the bar' }),
  manager_flag: (p) => ({ 'zh-CN': `经理标记：${p.reason}`, en: `flagged by the manager: ${p.reason}` }),
  low_pulse: (p) => ({
    'zh-CN': `入职第 ${p.checkpoint} 次脉搏问卷中「${PULSE_WORDS[p.measure as PulseMeasure]['zh-CN']}」仅 ${p.value} 分`,
    en: `rated ${PULSE_WORDS[p.measure as PulseMeasure].en} ${p.value} of 5 in onboarding pulse ${p.checkpoint}`,
  }),
  same_cause_exits: (p) => ({
    'zh-CN': `近 ${p.days} 天团队有 ${p.value} 人因${CAUSE_WORDS[p.cause as LeavingCause]['zh-CN']}离职`,
    en: `${p.value} of the team left for ${CAUSE_WORDS[p.cause as LeavingCause].en} within ${p.days} days`,
  }),
};

/** Scores one employee: each indicator past its threshold adds its weight; the sum gives the level. */
export function assessRisk(rules: RiskRules, ind: RiskIndicators): RiskAssessment {
  const reasons: RiskReason[] = [];
  const fire = (key: RiskReasonKey, points: number, params: Record<string, string | number>) => {
    if (points > 0) reasons.push({ key, params, points, text: WORDS[key](params) });
  };
  const p = ind.performance;
  if (p && p.collectionRate < rules.collectionRate.below) fire('collection_rate_low', rules.collectionRate.weight, { month: p.month, value: p.collectionRate, threshold: rules.collectionRate.below });
  if (p && p.contacts < rules.contacts.below) fire('contacts_low', rules.contacts.weight, { month: p.month, value: p.contacts, threshold: rules.contacts.below });
  if (p && p.complaints >= rules.complaints.atLeast) fire('complaints_high', rules.complaints.weight, { month: p.month, value: p.complaints, threshold: rules.complaints.atLeast });
  const days = rules.lookbackDays;
  if (ind.absences >= rules.absences.atLeast) fire('absences', rules.absences.weight, { value: ind.absences, days });
  if (ind.lateSessions >= rules.lateness.atLeast) fire('lateness', rules.lateness.weight, { value: ind.lateSessions, days });
  if (ind.knowledgeFailed > 0) fire('knowledge_failed', rules.knowledgeFailed.weight, { value: ind.knowledgeFailed });
  if (ind.inCoaching) fire('coaching', rules.coaching.weight, {});
  if (ind.flags.length > 0) fire('manager_flag', rules.managerFlag.weight, { reason: ind.flags[0]! });
  const exits = ind.teamExits;
  if (exits && exits.leavers >= rules.sameCauseExits.atLeast) {
    fire('same_cause_exits', rules.sameCauseExits.weight, { cause: exits.cause, value: exits.leavers, days: rules.sameCauseExits.withinDays });
  }
  const pulse = ind.pulse;
  if (pulse && pulse.value <= rules.lowPulse.atMost) {
    fire('low_pulse', rules.lowPulse.weight, { checkpoint: pulse.checkpoint, measure: pulse.lowest, value: pulse.value });
  }
  const score = reasons.reduce((sum, r) => sum + r.points, 0);
  const level: RiskLevel = score >= rules.highFrom ? 'high' : score >= rules.mediumFrom ? 'medium' : 'low';
  return { score, level, reasons };
}

/** The cause most of a team's leavers named (the first of the list on a tie), from each leaver's causes. */
export function teamExitsOf(leavers: string[][]): RiskIndicators['teamExits'] {
  const counted = LEAVING_CAUSES.map((cause) => ({ cause, leavers: leavers.filter((causes) => causes.includes(cause)).length }));
  const most = counted.reduce((a, b) => (b.leavers > a.leavers ? b : a));
  return most.leavers > 0 ? most : undefined;
}

/** What a risk intake flow writes before the levels are recomputed. */
export type RiskIntake =
  | { kind: 'performance'; importId: string; month: string; rows: { employeeId: string; collectionRate: number; contacts: number; complaints: number }[]; actorId: string }
  | { kind: 'flag'; flagId: string; employeeId: string; reason: string; actorId: string }
  | { kind: 'rules'; rules: RiskRules; actorId: string };

export interface RecomputedLevel {
  employeeId: string;
  level: RiskLevel;
  previous?: RiskLevel;
  ruleSetVersion: number;
  retentionFlowId?: string;
}

export interface RetentionPeople {
  employeeName: string;
  managerId: string;
  hrId: string;
}

// --- Imports of monthly performance figures ---

export const performanceMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM');

/** One collector's figures for a month, as a CSV line or a JSON row. */
export const performanceRow = z.object({
  employeeNo: z.string().trim().min(1, 'the employee number').max(50),
  collectionRate: z.coerce.number().min(0, 'a percentage from 0 to 100').max(100, 'a percentage from 0 to 100'),
  contacts: z.coerce.number().int('a whole number').min(0),
  complaints: z.coerce.number().int('a whole number').min(0),
});
export type PerformanceRow = z.infer<typeof performanceRow>;

/** A month's figures sent as JSON; the month's earlier import is replaced by this one. */
export const performanceImportRequest = z.object({
  month: performanceMonth,
  rows: z.array(z.unknown()).min(1, 'at least one row').max(5000),
});

/** The CSV's header (in any order); the month comes with the request (`?month=`). */
export const PERFORMANCE_CSV_COLUMNS = ['employeeNo', 'collectionRate', 'contacts', 'complaints'] as const;

/** A bad line of an import: its number (the CSV's line, the header being line 1; a JSON row's index
 *  + 1), the field, and why. */
export interface RowProblem {
  line: number;
  field: string;
  message: string;
}

/** Reads a CSV (a header naming the columns, in any order) into records keyed by header. */
export function parsePerformanceCsv(text: string): { rows: { line: number; record: Record<string, string> }[]; problems: RowProblem[] } {
  const [header, ...records] = csvRecords(text);
  const columns = (header?.cells ?? []).map((h) => h.trim());
  const missing = PERFORMANCE_CSV_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length) return { rows: [], problems: [{ line: header?.line ?? 1, field: missing[0]!, message: `the header must name the columns ${PERFORMANCE_CSV_COLUMNS.join(', ')}` }] };
  const rows: { line: number; record: Record<string, string> }[] = [];
  const problems: RowProblem[] = [];
  for (const { line, cells } of records) {
    if (cells.length !== columns.length) problems.push({ line, field: '*', message: `${cells.length} values for ${columns.length} columns` });
    else rows.push({ line, record: Object.fromEntries(columns.map((h, j) => [h, cells[j]!.trim()])) });
  }
  if (!rows.length && !problems.length) problems.push({ line: 2, field: '*', message: 'no rows after the header' });
  return { rows, problems };
}

/** Checks every row; one employee twice in a month is a bad line too. */
export function checkPerformanceRows(rows: { line: number; record: unknown }[]): { rows: (PerformanceRow & { line: number })[]; problems: RowProblem[] } {
  const good: (PerformanceRow & { line: number })[] = [];
  const problems: RowProblem[] = [];
  const seen = new Set<string>();
  for (const { line, record } of rows) {
    const parsed = performanceRow.safeParse(record);
    if (!parsed.success) {
      problems.push(...parsed.error.issues.map((i) => ({ line, field: i.path.join('.') || '*', message: i.message })));
    } else if (seen.has(parsed.data.employeeNo)) {
      problems.push({ line, field: 'employeeNo', message: 'this employee already has a row in this import' });
    } else {
      seen.add(parsed.data.employeeNo);
      good.push({ ...parsed.data, line });
    }
  }
  return { rows: good, problems };
}

/** A manager's (or HR's) flag: someone they worry about, and why. */
export const riskFlagRequest = z.object({ reason: z.string().trim().min(1, 'say why').max(1000) });

// --- The retention flow (留任) a rise to high opens ---

export const retentionFlowId = (employeeId: string, caseNo: number) => `retention:${employeeId}:${caseNo}`;

/** Why people stay or go: the stay interview records these, the exit interview reuses them. */
export const LEAVING_CAUSES = ['pay', 'workload', 'career', 'relations', 'management', 'family', 'other'] as const;
export const leavingCause = z.enum(LEAVING_CAUSES);
export type LeavingCause = z.infer<typeof leavingCause>;
const PULSE_WORDS: Record<PulseMeasure, { 'zh-CN': string; en: string }> = {
  support: { 'zh-CN': '得到的支持', en: 'the support they get' },
  confidence: { 'zh-CN': '信心', en: 'their confidence' },
  belonging: { 'zh-CN': '归属感', en: 'their belonging' },
};
const CAUSE_WORDS: Record<LeavingCause, { 'zh-CN': string; en: string }> = {
  pay: { 'zh-CN': '薪酬', en: 'pay' },
  workload: { 'zh-CN': '工作量', en: 'workload' },
  career: { 'zh-CN': '职业发展', en: 'career' },
  relations: { 'zh-CN': '同事关系', en: 'relations' },
  management: { 'zh-CN': '管理方式', en: 'management' },
  family: { 'zh-CN': '家庭原因', en: 'family' },
  other: { 'zh-CN': '其他原因', en: 'other reasons' },
};

/** RETENTION_SETTINGS, or per flow `settings.retention`: the stay interview is due within
 *  `stayInterviewWithin` (working time), HR reviews within `reviewWithin`, and the agreed actions
 *  are checked `actionCheckAfter` the review (calendar time: a month is a month). */
export const retentionSettings = z.object({ stayInterviewWithin: isoDuration, reviewWithin: isoDuration, actionCheckAfter: isoDuration });
export type RetentionSettings = z.infer<typeof retentionSettings>;
export const DEFAULT_RETENTION: RetentionSettings = { stayInterviewWithin: 'P5D', reviewWithin: 'P3D', actionCheckAfter: 'P30D' };
export const retentionSettingsOf = (settings: { retention?: RetentionSettings }): RetentionSettings => settings.retention ?? DEFAULT_RETENTION;

const text = (max: number) => z.string().trim().min(1).max(max);

export const stayInterviewRequest = z.object({
  heldOn: calendarDate,
  causes: z.array(leavingCause).min(1, 'name at least one cause').max(LEAVING_CAUSES.length),
  notes: text(4000),
  actions: z
    .array(z.object({ what: text(500), ownerId: z.string().trim().min(1), dueOn: calendarDate }))
    .min(1, 'agree at least one action')
    .max(20),
});
export type StayInterviewRequest = z.infer<typeof stayInterviewRequest>;
export const stayInterviewArgs = stayInterviewRequest.extend({ actorId: z.string().min(1) });
export type StayInterviewArgs = z.infer<typeof stayInterviewArgs>;

export const retentionReviewRequest = z.object({ comment: text(2000) });
export const retentionReviewArgs = retentionReviewRequest.extend({ actorId: z.string().min(1) });
export type RetentionReviewArgs = z.infer<typeof retentionReviewArgs>;

export const actionCheckRequest = z.object({ actionNo: z.int().min(1), done: z.boolean(), notes: text(2000) });
export const actionCheckArgs = actionCheckRequest.extend({ actorId: z.string().min(1) });
export type ActionCheckArgs = z.infer<typeof actionCheckArgs>;

export const retentionCloseRequest = z.object({ reason: text(1000) });
export const retentionCloseArgs = retentionCloseRequest.extend({ actorId: z.string().min(1) });
export type RetentionCloseArgs = z.infer<typeof retentionCloseArgs>;

/** How a retention flow ended: every action checked, the level fell, or HR closed it. */
export type RetentionEnd = 'actions_checked' | 'level_fell' | 'closed_by_hr';

/** The retention flow's steps. */
export const STAY_INTERVIEW_STEP = 'stay-interview';
export const HR_REVIEW_STEP = 'hr-review';
export const actionCheckStep = (actionNo: number) => `action-check/${actionNo}`;
