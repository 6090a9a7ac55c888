/**
 * Promotion (晋升通道, DOMAIN.md §8): HR posts a vacancy with the criteria it will be judged on;
 * employees apply internally until the window closes; each panelist scores every applicant on every
 * criterion; HR decides from the ranking, the panel countersigns, and every applicant hears the
 * result with its reason and their own score. The rules here are pure: the API and the flow share them.
 */
import { z } from 'zod';
import { meanOf, roundTo } from './figures';

const text = (max: number) => z.string().trim().min(1).max(max);
const personId = z.string().trim().min(1).max(100);
const moment = z.iso.datetime({ offset: true, message: 'must be a date and time, e.g. 2027-01-01T00:00:00+08:00' });

/** The lowest and highest score a panelist gives on a criterion. */
export const MIN_SCORE = 1;
export const MAX_SCORE = 5;

export const criterion = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'a short key: lower-case letters, digits, _'),
  name: text(200),
  weight: z.int().min(1).max(100),
});
export type Criterion = z.infer<typeof criterion>;

export const vacancyRequest = z.object({
  title: text(200),
  departmentId: personId,
  description: text(4000),
  /** Published with the vacancy: what the panel scores, and how much each counts. */
  criteria: z
    .array(criterion)
    .min(1)
    .max(10)
    .refine((cs) => new Set(cs.map((c) => c.key)).size === cs.length, 'each criterion needs a key of its own')
    .refine((cs) => cs.reduce((sum, c) => sum + c.weight, 0) === 100, 'the weights must sum to 100'),
  panelIds: z
    .array(personId)
    .min(1)
    .max(9)
    .refine((ids) => new Set(ids).size === ids.length, 'each panelist once'),
  applyUntil: moment,
});
export type VacancyRequest = z.infer<typeof vacancyRequest>;

export const vacancyApplicationRequest = z.object({ statement: text(4000) });
export const applyArgs = vacancyApplicationRequest.extend({ actorId: z.string().min(1) });
export type ApplyArgs = z.infer<typeof applyArgs>;

export const withdrawalRequest = z.object({ reason: z.string().trim().max(2000).optional() });
export const withdrawArgs = withdrawalRequest.extend({ actorId: z.string().min(1) });
export type WithdrawArgs = z.infer<typeof withdrawArgs>;

export const scores = z.record(z.string(), z.int().min(MIN_SCORE).max(MAX_SCORE));
export type Scores = z.infer<typeof scores>;

/** A panelist's form: every applicant scored on every criterion (`formProblems` says what is missing). */
export const evaluationRequest = z.object({
  evaluations: z
    .array(z.object({ applicantId: personId, scores, comment: z.string().trim().max(2000).default('') }))
    .min(1)
    .max(200),
});
export const evaluateArgs = evaluationRequest.extend({ actorId: z.string().min(1) });
export type EvaluateArgs = z.infer<typeof evaluateArgs>;

/** HR's decision. `selectedId`: the applicant chosen, null for nobody, left out for the ranking's
 *  first; `reason` is said to everyone (why this applicant, or why nobody); `reasons` names why
 *  each applicant not selected was not. */
export const decisionRequest = z.object({
  selectedId: personId.nullable().optional(),
  reason: text(2000),
  reasons: z.record(z.string(), text(2000)).default({}),
});
export const decideArgs = decisionRequest.extend({ actorId: z.string().min(1) });
export type DecideArgs = z.infer<typeof decideArgs>;

/** A panelist countersigns HR's decision, or rejects it saying why (it goes back to HR). */
export const countersignRequest = z
  .object({ decision: z.enum(['approve', 'reject']), comment: z.string().trim().max(2000).optional() })
  .refine((c) => c.decision === 'approve' || !!c.comment, { message: 'say why the decision is rejected', path: ['comment'] });

/** No one applied in time: HR opens the window again until `applyUntil` (or cancels the vacancy). */
export const extensionRequest = z.object({ applyUntil: moment });
export const extendArgs = extensionRequest.extend({ actorId: z.string().min(1) });
export type ExtendArgs = z.infer<typeof extendArgs>;

export type VacancyStatus = 'open' | 'evaluating' | 'deciding' | 'countersigning' | 'decided' | 'cancelled';

export const promotionFlowId = (vacancyId: string) => `promotion:${vacancyId}`;

/** What a vacancy's flow is started with; `hrId` opened it and decides. */
export interface VacancyInput extends VacancyRequest {
  vacancyId: string;
  hrId: string;
}

export interface Evaluation {
  panelistId: string;
  applicantId: string;
  scores: Scores;
}

export interface Ranked {
  applicantId: string;
  /** The weighted mean of the panel's scores, 1–5, to two decimals. */
  score: number;
  /** 1 for the best; tied applicants share a rank. */
  rank: number;
  /** The panel's mean on each criterion, to two decimals. */
  byCriterion: Record<string, number>;
}

/**
 * The applicants ranked on the panel's scores: on each criterion the mean of the panelists' scores,
 * weighted by the criterion's published weight. Ties: equal scores are ordered by the mean on the
 * heaviest criterion, then the next heaviest (the criteria as published, for equal weights); still
 * equal, they share a rank (1, 1, 3), listed by applicant id, and the decision separates them.
 */
export function rankApplicants(criteria: Criterion[], evaluations: Evaluation[]): Ranked[] {
  const total = criteria.reduce((sum, c) => sum + c.weight, 0);
  const heaviestFirst = criteria.map((c, i) => ({ c, i })).sort((a, b) => b.c.weight - a.c.weight || a.i - b.i).map(({ c }) => c.key);
  const applicants = [...new Set(evaluations.map((e) => e.applicantId))];
  const scored = applicants.map((applicantId) => {
    const theirs = evaluations.filter((e) => e.applicantId === applicantId);
    const byCriterion = Object.fromEntries(criteria.map((c) => [c.key, meanOf(theirs.map((e) => e.scores[c.key]!), 2)!]));
    const score = roundTo(criteria.reduce((sum, c) => sum + c.weight * byCriterion[c.key]!, 0) / total, 2);
    return { applicantId, score, byCriterion };
  });
  const compare = (a: (typeof scored)[number], b: (typeof scored)[number]) => {
    if (a.score !== b.score) return b.score - a.score;
    for (const key of heaviestFirst) if (a.byCriterion[key] !== b.byCriterion[key]) return b.byCriterion[key]! - a.byCriterion[key]!;
    return 0;
  };
  const sorted = scored.sort((a, b) => compare(a, b) || (a.applicantId < b.applicantId ? -1 : 1));
  let rank = 0;
  return sorted.map((s, i) => {
    if (i === 0 || compare(sorted[i - 1]!, s) !== 0) rank = i + 1;
    return { ...s, rank };
  });
}

/** What is wrong with a panelist's form: each applicant once, every one of them, each scored on
 *  every published criterion and nothing else. Empty when the form is complete. */
export function formProblems(criteria: Criterion[], applicantIds: string[], form: { applicantId: string; scores: Scores }[]): string[] {
  const problems: string[] = [];
  const keys = criteria.map((c) => c.key);
  const seen = new Set<string>();
  for (const e of form) {
    if (!applicantIds.includes(e.applicantId)) problems.push(`${e.applicantId} is not an applicant`);
    else if (seen.has(e.applicantId)) problems.push(`${e.applicantId} is scored twice`);
    seen.add(e.applicantId);
    const missing = keys.filter((k) => e.scores[k] === undefined);
    const unknown = Object.keys(e.scores).filter((k) => !keys.includes(k));
    if (missing.length) problems.push(`${e.applicantId} is not scored on ${missing.join(', ')}`);
    if (unknown.length) problems.push(`${e.applicantId} is scored on ${unknown.join(', ')}, not a published criterion`);
  }
  const unscored = applicantIds.filter((id) => !seen.has(id));
  if (unscored.length) problems.push(`not scored: ${unscored.join(', ')}`);
  return problems;
}

/** Whom a decision selects: the ranking's first when it names nobody explicitly (null: nobody). */
export const selectedBy = (decision: Pick<DecideArgs, 'selectedId'>, ranking: Ranked[]): string | null =>
  decision.selectedId === undefined ? (ranking[0]?.applicantId ?? null) : decision.selectedId;

/** What is wrong with a decision: the selected one must be an applicant, and every applicant not
 *  selected needs a reason of their own. Empty when it stands. */
export function decisionProblems(applicantIds: string[], decision: Pick<DecideArgs, 'selectedId' | 'reasons'>, ranking: Ranked[]): string[] {
  const selected = selectedBy(decision, ranking);
  const problems: string[] = [];
  if (selected !== null && !applicantIds.includes(selected)) problems.push(`selectedId: ${selected} is not an applicant`);
  const unknown = Object.keys(decision.reasons).filter((id) => !applicantIds.includes(id));
  if (unknown.length) problems.push(`reasons: ${unknown.join(', ')} did not apply`);
  if (selected !== null && decision.reasons[selected] !== undefined) problems.push(`reasons: ${selected} is the one selected; \`reason\` says why`);
  const unexplained = applicantIds.filter((id) => id !== selected && decision.reasons[id] === undefined);
  if (unexplained.length) problems.push(`reasons: say why ${unexplained.join(', ')} ${unexplained.length > 1 ? 'are' : 'is'} not selected`);
  return problems;
}

/** Each applicant's result and its reason, as they will be told. */
export function resultsOf(applicantIds: string[], decision: Pick<DecideArgs, 'selectedId' | 'reason' | 'reasons'>, ranking: Ranked[]) {
  const selected = selectedBy(decision, ranking);
  return applicantIds.map((applicantId) => ({
    applicantId,
    status: applicantId === selected ? ('selected' as const) : ('not_selected' as const),
    reason: applicantId === selected ? decision.reason : decision.reasons[applicantId]!,
    score: ranking.find((r) => r.applicantId === applicantId)?.score ?? null,
  }));
}
