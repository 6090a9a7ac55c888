/**
 * Employee suggestions (意见反馈, DOMAIN.md §8): anyone submits one to the department it concerns;
 * that department's head answers within `answerWithin` (working time), chased and escalated; the
 * submitter is told. A submitter may stay anonymous: then nothing the department or HR can read
 * names them (see README, "Employee suggestions"). Response times are summed up by pure functions.
 */
import { z } from 'zod';
import { isoDuration } from './durations';
import { localMonthOf, workingTimeBetween, type WorkingTimeSettings } from './workingTime';
import { roundTo } from './figures';

const text = (max: number) => z.string().trim().min(1).max(max);

export const suggestionCategory = z.enum(['workplace', 'process', 'pay_benefits', 'training', 'management', 'other']);
export type SuggestionCategory = z.infer<typeof suggestionCategory>;

export const suggestionRequest = z.object({
  title: text(200),
  body: text(4000),
  /** The owner department: its head answers. */
  departmentId: z.string().trim().min(1, 'name the department the suggestion is for'),
  category: suggestionCategory,
  anonymous: z.boolean().default(false),
});
export type SuggestionRequest = z.infer<typeof suggestionRequest>;

/** The head's answer: whether the suggestion is taken up, and then what will be done. */
export const suggestionAnswerRequest = z
  .object({
    answer: text(4000),
    accepted: z.boolean(),
    actionPlanned: text(2000).optional(),
  })
  .refine((a) => a.accepted || a.actionPlanned === undefined, { message: 'an action is planned only for an accepted suggestion', path: ['actionPlanned'] });
export const answerSuggestionArgs = suggestionAnswerRequest.safeExtend({ actorId: z.string().min(1) });
export type AnswerSuggestionArgs = z.infer<typeof answerSuggestionArgs>;

/** SUGGESTION_SETTINGS, or per flow `settings.suggestions`: how long the owner department has to
 *  answer, counted on the `suggestion_answer` policy's clock (working time by default). */
export const suggestionSettings = z.object({ answerWithin: isoDuration });
export type SuggestionSettings = z.infer<typeof suggestionSettings>;
export const DEFAULT_SUGGESTIONS: SuggestionSettings = { answerWithin: 'P5D' };
export const suggestionSettingsOf = (settings: { suggestions?: SuggestionSettings }): SuggestionSettings => settings.suggestions ?? DEFAULT_SUGGESTIONS;

export const suggestionFlowId = (suggestionId: string) => `suggestion:${suggestionId}`;

/** What a suggestion's flow is started with. The submitter is named only when not anonymous: an
 *  anonymous one's sender is kept apart (`suggestion_sender`), out of the flow's history. */
export interface SuggestionInput {
  suggestionId: string;
  title: string;
  body: string;
  departmentId: string;
  category: SuggestionCategory;
  anonymous: boolean;
  submitterId?: string;
}

/** One suggestion as the statistics read it (epoch ms). */
export interface SuggestionCase {
  departmentId: string;
  submittedAt: number;
  dueAt: number;
  answeredAt: number | null;
}

export interface ResponseStats {
  submitted: number;
  answered: number;
  /** Still unanswered past their due time. */
  overdue: number;
  /** Working hours from submission to answer, over the answered ones (null when none). */
  medianHours: number | null;
  p90Hours: number | null;
  /** Answered by the due time, of those answered or overdue (null when none is). */
  onTimeShare: number | null;
}

export interface SuggestionStats {
  overall: ResponseStats;
  byDepartment: Record<string, ResponseStats>;
  /** By the company's calendar month of submission (YYYY-MM). */
  byMonth: Record<string, ResponseStats>;
}

const round2 = (n: number) => roundTo(n, 2);

/** The p-th quantile (0–1) of ascending values, interpolating between the two nearest ranks. */
export function quantile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const at = (sorted.length - 1) * p;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

function responseStats(cases: SuggestionCase[], wt: WorkingTimeSettings, now: number): ResponseStats {
  const answered = cases.filter((c) => c.answeredAt !== null);
  const hours = answered.map((c) => workingTimeBetween(c.submittedAt, c.answeredAt!, wt) / 3_600_000).sort((a, b) => a - b);
  const onTime = answered.filter((c) => c.answeredAt! <= c.dueAt).length;
  const overdue = cases.filter((c) => c.answeredAt === null && c.dueAt < now).length;
  const due = answered.length + overdue;
  const rounded = (v: number | null) => (v === null ? null : round2(v));
  return {
    submitted: cases.length,
    answered: answered.length,
    overdue,
    medianHours: rounded(quantile(hours, 0.5)),
    p90Hours: rounded(quantile(hours, 0.9)),
    onTimeShare: due ? round2(onTime / due) : null,
  };
}

function grouped(cases: SuggestionCase[], keyOf: (c: SuggestionCase) => string, wt: WorkingTimeSettings, now: number): Record<string, ResponseStats> {
  const keys = [...new Set(cases.map(keyOf))].sort();
  return Object.fromEntries(keys.map((k) => [k, responseStats(cases.filter((c) => keyOf(c) === k), wt, now)]));
}

/** Response times of suggestions, overall, by owner department and by month of submission. */
export function suggestionStats(cases: SuggestionCase[], wt: WorkingTimeSettings, now: number): SuggestionStats {
  return {
    overall: responseStats(cases, wt, now),
    byDepartment: grouped(cases, (c) => c.departmentId, wt, now),
    byMonth: grouped(cases, (c) => localMonthOf(c.submittedAt, wt), wt, now),
  };
}
