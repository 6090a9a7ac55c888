/**
 * The reserve pool (后备人才库, DOMAIN.md §7): for each key position, the people ready to step in
 * when someone leaves. Managers nominate, HR and the panel assess, the pool is reviewed every
 * quarter, and a pool short of its minimum alarms HR. A handover's successor choice shows the
 * leaver's pool first; choosing someone else needs a reason.
 */
import { z } from 'zod';
import { meanOf, roundTo } from './figures';

export const keyPosition = z.enum(['collector', 'collection_head', 'trainer']);
export type KeyPosition = z.infer<typeof keyPosition>;
export const KEY_POSITIONS = keyPosition.options;
export const POSITION_NAMES: Record<KeyPosition, { zh: string; en: string }> = {
  collector: { zh: '催收员', en: 'collector' },
  collection_head: { zh: '催收主管', en: 'collection head' },
  trainer: { zh: '培训师', en: 'trainer' },
};

/** Ready to step in now, or after more growth. */
export const readiness = z.enum(['ready_now', 'ready_later']);
export type Readiness = z.infer<typeof readiness>;

export const reservePoolFlowId = (position: KeyPosition) => `reserve-pool:${position}`;
/** The Temporal Schedule that asks every pool for its quarterly review. */
export const POOL_REVIEW_SCHEDULE_ID = 'reserve-pool-review';
/** Quarterly: 09:00 UTC on the first day of January, April, July and October. */
export const QUARTERLY = '0 9 1 1,4,7,10 *';

/** How many candidates each pool should hold, unless HR sets another minimum. */
export const DEFAULT_POOL_MINIMUMS: Record<KeyPosition, number> = { collector: 2, collection_head: 1, trainer: 1 };

/**
 * The key position someone holds, for the pool a handover looks in: a trainer trains, a manager
 * heads a collection team, everyone else handing over accounts is a collector (the handover is the
 * collection team's procedure).
 */
export function positionOf(roles: readonly string[]): KeyPosition {
  if (roles.includes('trainer')) return 'trainer';
  if (roles.includes('manager')) return 'collection_head';
  return 'collector';
}

/** What the system already holds on a candidate, and the panel's rating. */
export interface Standing {
  /** Follow-up knowledge test scores, 0–100. */
  knowledgeScores: number[];
  /** Checkpoint ratings of how they apply what they learnt, 1–5. */
  behaviourRatings: number[];
  /** The panel's rating, 1–5, once assessed. */
  panelRating: number | null;
}

const mean = (xs: number[]) => meanOf(xs);
const tenths = (x: number) => roundTo(x, 1);
/** A candidate's average of one kind of score, to a tenth, as the pool shows it; null without any. */
export const averageOf = (xs: number[]) => (xs.length ? tenths(mean(xs)!) : null);

/**
 * One score out of 100: the mean of the parts the candidate has (knowledge as scored, behaviour and
 * panel ratings ×20); null when there is nothing to go on yet.
 */
export function standingScore(s: Standing): number | null {
  const knowledge = mean(s.knowledgeScores);
  const behaviour = mean(s.behaviourRatings);
  const parts = [knowledge, behaviour === null ? null : behaviour * 20, s.panelRating === null ? null : s.panelRating * 20].filter((p): p is number => p !== null);
  const score = mean(parts);
  return score === null ? null : tenths(score);
}

export interface RankedCandidate {
  employeeId: string;
  readiness: Readiness;
  score: number | null;
  nominatedAt: string;
}

/**
 * The pool's order: ready-now before ready-later, then the higher score (no score last); a tie is
 * broken by the earlier nomination, then by employee id, so the order never depends on the read.
 */
export function rankCandidates<C extends RankedCandidate>(candidates: C[]): (C & { rank: number })[] {
  const sorted = [...candidates].sort(
    (a, b) =>
      (a.readiness === b.readiness ? 0 : a.readiness === 'ready_now' ? -1 : 1) ||
      (b.score ?? -1) - (a.score ?? -1) ||
      a.nominatedAt.localeCompare(b.nominatedAt) ||
      a.employeeId.localeCompare(b.employeeId),
  );
  return sorted.map((c, i) => ({ ...c, rank: i + 1 }));
}

/** How many more candidates a pool needs to reach its minimum (0 when it holds enough). */
export const shortfall = (held: number, minimum: number) => Math.max(0, minimum - held);

// ---- API requests and flow messages -------------------------------------------------------

const reason = (what: string) => z.string().trim().min(1, `say ${what}`).max(2000);
const actor = { actorId: z.string().min(1) };

export const nominateRequest = z.object({
  employeeId: z.string().trim().min(1),
  readiness,
  reason: reason('why they are nominated'),
});
export const nominateArgs = nominateRequest.extend(actor);
export type NominateArgs = z.infer<typeof nominateArgs>;

export const assessRequest = z.object({
  panelRating: z.int().min(1).max(5),
  readiness,
  comment: z.string().trim().max(2000).optional(),
});
export const assessArgs = assessRequest.extend({ ...actor, employeeId: z.string().min(1) });
export type AssessArgs = z.infer<typeof assessArgs>;

export const withdrawRequest = z.object({ reason: reason('why they leave the pool') });
export const withdrawArgs = withdrawRequest.extend({ ...actor, employeeId: z.string().min(1) });
export type WithdrawArgs = z.infer<typeof withdrawArgs>;

export const poolMinimumRequest = z.object({ minimum: z.int().min(0).max(100) });
export const poolMinimumArgs = poolMinimumRequest.extend(actor);
export type PoolMinimumArgs = z.infer<typeof poolMinimumArgs>;

/** HR's quarterly review: each candidate kept (with their readiness now) or withdrawn, by name. */
export const poolReviewRequest = z.object({
  verdicts: z
    .array(z.object({ employeeId: z.string().trim().min(1), readiness: readiness.optional(), withdraw: z.boolean().optional() }))
    .max(500)
    .refine((vs) => vs.every((v) => !v.withdraw !== !v.readiness), { message: 'each candidate is kept with a readiness or withdrawn, not both' }),
  comment: z.string().trim().max(2000).optional(),
});
export const poolReviewArgs = poolReviewRequest.extend(actor);
export type PoolReviewArgs = z.infer<typeof poolReviewArgs>;

/** A candidate named successor in a handover leaves the pool for the post. */
export const placeCandidateArgs = z.object({ employeeId: z.string().min(1), resignationId: z.string().min(1), actorId: z.string().min(1) });
export type PlaceCandidateArgs = z.infer<typeof placeCandidateArgs>;

export interface PoolCandidate {
  employeeId: string;
  readiness: Readiness;
  panelRating: number | null;
  nominatedAt: string;
}
