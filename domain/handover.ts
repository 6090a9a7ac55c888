import { z } from 'zod';
import { calendarDate, durationMs, isoDuration } from './durations';

/**
 * Resignation, handover, knowledge transfer and sign-off (DOMAIN.md §5): the rules that do not
 * touch a database: the checklist a leaver hands over, the company's working hours, the requests.
 */

/** The company keeps China Standard Time; a working day runs 09:00–18:00. */
export const COMPANY_UTC_OFFSET = '+08:00';
export const WORKDAY_STARTS = '09:00:00';
export const WORKDAY_ENDS = '18:00:00';

/** When the last working day starts (open items escalate to HR as critical) and ends (departure). */
export function lastDayOf(lastWorkingDay: string): { lastDayStartsAt: string; departsAt: string } {
  return {
    lastDayStartsAt: new Date(`${lastWorkingDay}T${WORKDAY_STARTS}${COMPANY_UTC_OFFSET}`).toISOString(),
    departsAt: new Date(`${lastWorkingDay}T${WORKDAY_ENDS}${COMPANY_UTC_OFFSET}`).toISOString(),
  };
}

/** A resignation as its flow records it. */
export interface ResignationRecord {
  resignationId: string;
  employeeId: string;
  resignationDate: string;
  lastWorkingDay: string;
  /** Instants of the last working day: its start (critical escalation) and end (departure). */
  lastDayStartsAt: string;
  departsAt: string;
  reason: string;
  startedById: string;
  successorId?: string;
  /** Why HR chose a successor from outside the reserve pool while it had candidates. */
  successorReason?: string;
  supervisorId?: string;
  mentorId?: string;
}

export const handoverCategory = z.enum(['work_content', 'open_cases', 'payment_plans', 'account', 'documents', 'system_access', 'assets']);
export type HandoverCategory = z.infer<typeof handoverCategory>;

export interface PortfolioAccount {
  id: string;
  accountNo: string;
  unit: string;
  ownerName: string;
  arrearsFen: number;
  promisedPaymentOn: string | null;
}

export interface ChecklistLine {
  itemNo: number;
  category: HandoverCategory;
  title: string;
  accountId?: string;
  dueAt: string;
}

const yuan = (fen: number) => `¥${(fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/**
 * The handover checklist of a leaver, by role. A collector (anyone with a portfolio) hands over
 * their procedures, open cases, payment plans, every delinquent account (one line each),
 * documents, system access and assets; others the lines that apply to everyone. Access and assets
 * are due on the last working day itself, everything else `lead` before it.
 */
export function checklistFor(
  portfolio: PortfolioAccount[],
  when: { lastDayStartsAt: string; lead: string },
  firstItemNo = 1,
): ChecklistLine[] {
  const lastDay = Date.parse(when.lastDayStartsAt);
  const early = new Date(lastDay - durationMs(when.lead)).toISOString();
  const onTheDay = new Date(lastDay).toISOString();
  const lines: Omit<ChecklistLine, 'itemNo'>[] = [];
  const add = (category: HandoverCategory, title: string, dueAt: string, accountId?: string) => lines.push({ category, title, dueAt, accountId });

  add('work_content', '工作内容与流程 Work content and procedures: daily routine, scripts, reporting', early);
  if (portfolio.length > 0) {
    const promised = portfolio.filter((a) => a.promisedPaymentOn).length;
    add('open_cases', `在办案件 Open cases: status of the ${portfolio.length} delinquent accounts, disputes, legal steps`, early);
    add('payment_plans', `还款计划 Payment plans: ${promised} promised payments and instalment agreements`, early);
    for (const a of [...portfolio].sort((x, y) => (x.accountNo < y.accountNo ? -1 : 1))) {
      add('account', `欠费账户 ${a.accountNo} · ${a.unit} · ${a.ownerName} · ${yuan(a.arrearsFen)}`, early, a.id);
    }
  }
  add('documents', '文件资料 Documents: case files, contracts, correspondence', early);
  add('system_access', '系统权限 System access: accounts to revoke or transfer', onTheDay);
  add('assets', '资产 Assets: keys, access cards, devices', onTheDay);
  return lines.map((l, i) => ({ ...l, itemNo: firstItemNo + i }));
}

export type ChecklistLineStatus = 'open' | 'done' | 'verified' | 'reopened';

/** A round's checklist as its workflow keeps it: per line (in item order) its number, its status
 *  and the index of its due time in `dueTimes`, so chasing works per due time, not per line. */
export interface ChecklistLayout {
  itemNos: number[];
  statuses: ChecklistLineStatus[];
  dueGroups: number[];
  dueTimes: string[];
}

/** A layout as runs before typed state recorded it (one character per line), or as it is now. */
export type RecordedLayout = ChecklistLayout | { firstItemNo: number; statuses: string; groupOfItem: string; dueTimes: string[] };

const LEGACY_STATUS: Record<string, ChecklistLineStatus> = { o: 'open', d: 'done', v: 'verified', r: 'reopened' };

/** Reads a layout recorded by any version of the checklist workflow (replayed histories and runs
 *  that continued as new before the state was typed carry the packed form). */
export function checklistLayoutOf(recorded: RecordedLayout): ChecklistLayout {
  if (typeof recorded.statuses !== 'string') return recorded as ChecklistLayout;
  const legacy = recorded as Extract<RecordedLayout, { firstItemNo: number }>;
  const packed = [...legacy.statuses];
  return {
    itemNos: packed.map((_, i) => legacy.firstItemNo + i),
    statuses: packed.map((c) => LEGACY_STATUS[c]!),
    dueGroups: [...legacy.groupOfItem].map((c) => c.charCodeAt(0) - 48),
    dueTimes: legacy.dueTimes,
  };
}

/** Handover durations and thresholds; part of every flow's settings. */
export const handoverSettings = z.object({
  /** Checklist lines (except access and assets) are due this long before the last working day. */
  checklistLead: isoDuration,
  minKnowledgeArticles: z.int().min(0).max(50),
  mentoringPeriod: isoDuration,
  minMentoringSessions: z.int().min(0).max(100),
  /** A failed assessment extends mentoring once, by this long and this many sessions. */
  mentoringExtension: isoDuration,
  minExtensionSessions: z.int().min(0).max(100),
  /** The checklist continues as a new run past this many history events (Temporal warns at 10,240). */
  checklistHistoryLimit: z.int().min(200).max(40_000),
  /** Accounts still reaching the leaver after this many checklist rounds raise an alarm to HR and
   *  admins each further round: someone keeps assigning them. Optional for flows started before it. */
  roundsBeforeAlarm: z.int().min(1).max(100).optional(),
  /** After the departure, the team's head holds a team meeting and one-to-ones within this long
   *  (DEFAULT_TEAM_TALKS_WITHIN when absent, as in flows started before it). */
  teamTalksWithin: isoDuration.optional(),
});
export type HandoverSettings = z.infer<typeof handoverSettings>;

export const DEFAULT_HANDOVER: HandoverSettings = {
  checklistLead: 'P2D',
  minKnowledgeArticles: 1,
  mentoringPeriod: 'P30D',
  minMentoringSessions: 4,
  mentoringExtension: 'P14D',
  minExtensionSessions: 2,
  checklistHistoryLimit: 2000,
  roundsBeforeAlarm: 3,
};

// ---- API requests and flow messages -------------------------------------------------------

const comment = z.string().trim().max(2000);
const required = (what: string) => z.string().trim().min(1, `${what} is required`).max(2000);

export const startResignationRequest = z
  .object({
    employeeId: z.string().min(1),
    resignationDate: calendarDate,
    lastWorkingDay: calendarDate,
    reason: required('a reason'),
    successorId: z.string().min(1).optional(),
    successorReason: comment.optional(),
    supervisorId: z.string().min(1).optional(),
    mentorId: z.string().min(1).optional(),
  })
  .refine((r) => r.lastWorkingDay >= r.resignationDate, { message: 'the last working day cannot be before the resignation date', path: ['lastWorkingDay'] })
  .refine((r) => new Set([r.employeeId, r.successorId, r.supervisorId].filter(Boolean)).size === [r.employeeId, r.successorId, r.supervisorId].filter(Boolean).length, {
    message: 'the leaver, the successor and the supervisor must be three different people',
    path: ['successorId'],
  })
  .refine((r) => r.mentorId !== r.employeeId, { message: 'the leaver cannot mentor their own successor', path: ['mentorId'] });
export type StartResignationRequest = z.infer<typeof startResignationRequest>;

/** A message to the flow is a request plus who sends it. */
const actor = { actorId: z.string().min(1) };

export const assignHandoverRequest = z
  .object({ successorId: z.string().min(1), successorReason: comment.optional(), supervisorId: z.string().min(1), mentorId: z.string().min(1).optional() })
  .refine((a) => a.successorId !== a.supervisorId, { message: 'the successor and the supervisor must be different people', path: ['supervisorId'] });
export const assignHandoverArgs = assignHandoverRequest.safeExtend(actor);
export type AssignHandoverArgs = z.infer<typeof assignHandoverArgs>;

const itemNos = z.array(z.int().min(1)).min(1, 'name at least one item').max(10_000);

export const completeItemsRequest = z.object({ note: comment.optional() });
export const completeItemsArgs = completeItemsRequest.extend({ ...actor, itemNos });
export type CompleteItemsArgs = z.infer<typeof completeItemsArgs>;

export const verifyVerdict = z.enum(['accept', 'reopen']);
export const verifyItemsRequest = z
  .object({ verdict: verifyVerdict, comment: comment.optional() })
  .refine((v) => v.verdict !== 'reopen' || !!v.comment, { message: 'say what is missing when reopening', path: ['comment'] });
export const verifyItemsArgs = verifyItemsRequest.safeExtend({ ...actor, itemNos });
export type VerifyItemsArgs = z.infer<typeof verifyItemsArgs>;

export const articleKind = z.enum(['procedure', 'lesson', 'key_customer']);
export const submitArticleRequest = z.object({
  /** Set to revise an article the supervisor sent back. */
  articleId: z.string().optional(),
  kind: articleKind,
  title: required('a title').max(200),
  body: required('a body').max(50_000),
});
export const submitArticleArgs = submitArticleRequest.extend(actor);
export type SubmitArticleArgs = z.infer<typeof submitArticleArgs>;

export const mentoringSessionRequest = z.object({
  heldAt: z.iso.datetime({ offset: true }),
  durationMinutes: z.int().min(5).max(600),
  topic: required('a topic').max(200),
  notes: comment.optional(),
});
export const mentoringSessionArgs = mentoringSessionRequest.extend(actor);
export type MentoringSessionArgs = z.infer<typeof mentoringSessionArgs>;

export const assessmentRequest = z.object({ passed: z.boolean(), score: z.int().min(1).max(5), comment: comment.optional() });
export const assessmentArgs = assessmentRequest.extend(actor);
export type AssessmentArgs = z.infer<typeof assessmentArgs>;

export const successorReviewRequest = z
  .object({ decision: z.enum(['keep', 'replace']), successorId: z.string().optional(), comment: comment.optional() })
  .refine((r) => r.decision !== 'replace' || !!r.successorId, { message: 'name the new successor', path: ['successorId'] });
export const successorReviewArgs = successorReviewRequest.safeExtend(actor);
export type SuccessorReviewArgs = z.infer<typeof successorReviewArgs>;

export const ratingRequest = z.object({ score: z.int().min(1).max(5), comment: comment.optional() });
export const ratingArgs = ratingRequest.extend(actor);
export type RatingArgs = z.infer<typeof ratingArgs>;

export const signOffRequest = z.object({ comment: comment.optional() });
