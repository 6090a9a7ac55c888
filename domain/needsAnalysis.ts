import { z } from 'zod';

/**
 * The analysis step of a training needs cycle (数据分析): from the survey's self-ratings and the
 * managers' observations (工作观察) to gaps per competency, ranked needs and individual needs.
 *
 * Pure, so it runs unchanged inside a workflow and can be re-run on the stored inputs.
 *
 * Rounding: every mean, gap and priority is computed exactly, as a fraction of integers (levels
 * are integers), and rounded once, to 2 decimals, half away from zero (see `roundRatio`). A gap is
 * therefore required − the *unrounded* mean, and a priority is the unrounded gap × people
 * affected; so mean + gap may differ from the required level by 0.01 (mean 1.125 → 1.13, gap
 * 1.875 → 1.88). The rounded figures are what is stored and shown, and they are what the ranking
 * compares, so the order can always be checked against the numbers on screen.
 */

const level = z.int().min(1).max(5);

/** A competency the cycle assesses, with the level the job requires (1–5). */
export const competency = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be a slug: lower-case letters, digits and _'),
  name: z.string().trim().min(1, 'must not be empty').max(200),
  requiredLevel: level,
});
export type Competency = z.infer<typeof competency>;

/** Ratings by participant, then by competency key. Anyone or any competency may be missing. */
const ratings = z.record(z.string(), z.record(z.string(), level));

export const needsAnalysisInput = z
  .object({
    competencies: z.array(competency),
    /** Employee ids. */
    participants: z.array(z.string().min(1)),
    selfRatings: ratings,
    observations: ratings,
    /** The competency keys each participant's career plan wants (domain/careerPlan.ts). */
    careerWants: z.record(z.string(), z.array(z.string())).optional(),
  })
  .superRefine((input, ctx) => {
    // A duplicate would be counted twice in every mean.
    for (const [i, key] of duplicates(input.competencies.map((c) => c.key))) {
      ctx.addIssue({ code: 'custom', path: ['competencies', i, 'key'], message: `competency ${key} is listed twice` });
    }
    for (const [i, id] of duplicates(input.participants)) {
      ctx.addIssue({ code: 'custom', path: ['participants', i], message: `participant ${id} is listed twice` });
    }
  });
export type NeedsAnalysisInput = z.infer<typeof needsAnalysisInput>;

const rounded = z.number().finite();

export const competencyAnalysis = z.object({
  key: z.string(),
  name: z.string(),
  requiredLevel: level,
  /** Mean of the managers' observations; null when nobody was observed on it. */
  observedMean: rounded.nullable(),
  /** Mean of the self-ratings; null when nobody rated themselves on it. */
  selfMean: rounded.nullable(),
  observedCount: z.int().min(0),
  selfCount: z.int().min(0),
  /** requiredLevel − observedMean (negative when people are above the requirement); null when nobody was observed. */
  gap: rounded.nullable(),
  /** Participants observed below the required level. */
  peopleAffected: z.int().min(0),
  /** gap × peopleAffected; null when nobody was observed. */
  priority: rounded.nullable(),
  /** Nobody was observed on it: self-ratings alone do not make a gap. */
  unrated: z.boolean(),
  /** Participants whose career plan wants it (0 in analyses made before career plans). */
  wantedBy: z.int().min(0).default(0),
});
export type CompetencyAnalysis = z.infer<typeof competencyAnalysis>;

export const rankedNeed = z.object({
  /** 1-based competition ranking: equal priority and equal gap share a rank (1, 1, 3). */
  rank: z.int().min(1),
  key: z.string(),
  name: z.string(),
  gap: rounded,
  peopleAffected: z.int().min(1),
  priority: rounded,
  wantedBy: z.int().min(0).default(0),
});
export type RankedNeed = z.infer<typeof rankedNeed>;

export const individualNeed = z.object({
  participantId: z.string(),
  /** The participant's largest gap, required − observed level. */
  largestGap: z.int().min(1),
  /** Sum of the participant's positive gaps: the second sort key. */
  totalGap: z.int().min(1),
  /** Only the competencies where the participant is below the requirement. */
  competencies: z.array(z.object({ key: z.string(), gap: z.int().min(1) })).min(1),
});
export type IndividualNeed = z.infer<typeof individualNeed>;

export const needsAnalysisResult = z.object({
  /** One per competency, in input order. */
  competencies: z.array(competencyAnalysis),
  /** Competencies with gap > 0, by priority desc, then gap desc, then how many careers want it desc, then key asc. */
  rankedNeeds: z.array(rankedNeed),
  /** Participants with the largest gaps: by largest gap desc, then total gap desc, then id asc. */
  individuals: z.array(individualNeed),
  /** Keys of the competencies nobody was observed on, in input order. */
  unratedCompetencies: z.array(z.string()),
  /** Skills the participants' career plans want that the cycle does not assess, by how many want
   *  them desc, then key: demand the next cycle or plan may take up. */
  wantedOutsideCycle: z.array(z.object({ key: z.string(), wantedBy: z.int().min(1) })).default([]),
  /** Shares of participants, rounded to 4 decimals (a percentage with 2): 0 without participants. */
  responseRate: z.object({
    /** Participants with at least one self-rating on a competency of the cycle. */
    surveys: z.number().min(0).max(1),
    /** Participants with at least one observation on a competency of the cycle. */
    observations: z.number().min(0).max(1),
  }),
});
export type NeedsAnalysis = z.infer<typeof needsAnalysisResult>;

export const DEFAULT_TOP_INDIVIDUALS = 10;

/**
 * Analyses one cycle's answers. Entries for unknown participants or competencies are ignored
 * (well-formed levels are still required everywhere). Throws a ZodError on malformed input and a
 * RangeError when `topIndividuals` is not a non-negative integer.
 */
export function analyseNeeds(input: NeedsAnalysisInput, topIndividuals: number = DEFAULT_TOP_INDIVIDUALS): NeedsAnalysis {
  if (!Number.isSafeInteger(topIndividuals) || topIndividuals < 0) {
    throw new RangeError(`topIndividuals must be a non-negative integer, not ${topIndividuals}`);
  }
  const { competencies: wanted, participants, selfRatings, observations, careerWants = {} } = needsAnalysisInput.parse(input);
  const wantedBy = wantCounts(participants, careerWants);

  const competencies = wanted.map((c): CompetencyAnalysis => {
    const observed = levelsOf(observations, participants, c.key);
    const self = levelsOf(selfRatings, participants, c.key);
    const sumObserved = sum(observed);
    const peopleAffected = observed.filter((l) => l < c.requiredLevel).length;
    // required − sum/n = (required·n − sum)/n: kept as integers until the one rounding.
    const gapNumerator = c.requiredLevel * observed.length - sumObserved;
    const anyObserved = observed.length > 0;
    return {
      key: c.key,
      name: c.name,
      requiredLevel: c.requiredLevel,
      observedMean: anyObserved ? roundRatio(sumObserved, observed.length) : null,
      selfMean: self.length > 0 ? roundRatio(sum(self), self.length) : null,
      observedCount: observed.length,
      selfCount: self.length,
      gap: anyObserved ? roundRatio(gapNumerator, observed.length) : null,
      peopleAffected,
      priority: anyObserved ? roundRatio(gapNumerator * peopleAffected, observed.length) : null,
      unrated: !anyObserved,
      wantedBy: wantedBy.get(c.key) ?? 0,
    };
  });
  const assessed = new Set(wanted.map((c) => c.key));

  return {
    competencies,
    rankedNeeds: rankNeeds(competencies),
    individuals: individualNeeds(wanted, participants, observations).slice(0, topIndividuals),
    unratedCompetencies: competencies.filter((c) => c.unrated).map((c) => c.key),
    wantedOutsideCycle: [...wantedBy]
      .filter(([key]) => !assessed.has(key))
      .map(([key, n]) => ({ key, wantedBy: n }))
      .sort((a, b) => b.wantedBy - a.wantedBy || compareCodeUnits(a.key, b.key)),
    responseRate: {
      surveys: shareOf(participants, (p) => wanted.some((c) => own(selfRatings, p, c.key) !== undefined)),
      observations: shareOf(participants, (p) => wanted.some((c) => own(observations, p, c.key) !== undefined)),
    },
  };
}

function rankNeeds(competencies: CompetencyAnalysis[]): RankedNeed[] {
  const needs = competencies.flatMap((c) =>
    c.gap !== null && c.priority !== null && c.gap > 0 && c.peopleAffected > 0
      ? [{ key: c.key, name: c.name, gap: c.gap, peopleAffected: c.peopleAffected, priority: c.priority, wantedBy: c.wantedBy }]
      : [],
  );
  // Among equals, the need more careers want comes first, then the key: an order, not a rank.
  needs.sort((a, b) => b.priority - a.priority || b.gap - a.gap || b.wantedBy - a.wantedBy || compareCodeUnits(a.key, b.key));
  const ranked: RankedNeed[] = [];
  needs.forEach((need, i) => {
    const previous = ranked[i - 1];
    const tied = previous !== undefined && previous.priority === need.priority && previous.gap === need.gap;
    ranked.push({ rank: tied ? previous.rank : i + 1, ...need });
  });
  return ranked;
}

function individualNeeds(competencies: Competency[], participants: string[], observations: Ratings): IndividualNeed[] {
  const people = participants.flatMap((participantId): IndividualNeed[] => {
    const gaps = competencies.flatMap((c) => {
      const observed = own(observations, participantId, c.key);
      return observed !== undefined && observed < c.requiredLevel ? [{ key: c.key, gap: c.requiredLevel - observed }] : [];
    });
    if (gaps.length === 0) return [];
    gaps.sort((a, b) => b.gap - a.gap || compareCodeUnits(a.key, b.key));
    return [{ participantId, largestGap: Math.max(...gaps.map((g) => g.gap)), totalGap: sum(gaps.map((g) => g.gap)), competencies: gaps }];
  });
  return people.sort((a, b) => b.largestGap - a.largestGap || b.totalGap - a.totalGap || compareCodeUnits(a.participantId, b.participantId));
}

type Ratings = NeedsAnalysisInput['observations'];

/** The level a participant was given on a competency, ignoring inherited keys like "constructor". */
function own(ratings: Ratings, participantId: string, key: string): number | undefined {
  const byKey = Object.hasOwn(ratings, participantId) ? ratings[participantId] : undefined;
  return byKey !== undefined && Object.hasOwn(byKey, key) ? byKey[key] : undefined;
}

/** How many participants want each key, each counted once; others' plans are not read. */
function wantCounts(participants: string[], careerWants: Record<string, string[]>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of participants) {
    const keys = Object.hasOwn(careerWants, p) ? new Set(careerWants[p]) : [];
    for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function levelsOf(ratings: Ratings, participants: string[], key: string): number[] {
  return participants.flatMap((p) => {
    const l = own(ratings, p, key);
    return l === undefined ? [] : [l];
  });
}

function shareOf(participants: string[], counts: (participantId: string) => boolean): number {
  return participants.length === 0 ? 0 : roundRatio(participants.filter(counts).length, participants.length, 4);
}

/**
 * numerator / denominator rounded to `decimals` places, half away from zero, in integer
 * arithmetic: binary floats cannot hold 1.005, so Math.round(1.005 * 100) / 100 gives 1.00.
 * The result is the double nearest the decimal (so `=== 1.01` holds), and never -0.
 */
export function roundRatio(numerator: number, denominator: number, decimals = 2): number {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || denominator === 0) {
    throw new RangeError(`roundRatio needs integers and a non-zero denominator, not ${numerator}/${denominator}`);
  }
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 6) throw new RangeError(`decimals must be 0–6, not ${decimals}`);
  const scale = 10 ** decimals;
  // floor((2·|n|·scale + |d|) / (2·|d|)) = |n|·scale/|d| rounded half up.
  const top = 2 * Math.abs(numerator) * scale + Math.abs(denominator);
  const bottom = 2 * Math.abs(denominator);
  if (!Number.isSafeInteger(top)) throw new RangeError(`roundRatio overflows on ${numerator}/${denominator}`);
  const units = (top - (top % bottom)) / bottom; // exact: % on safe integers is exact
  if (units === 0) return 0;
  return ((numerator < 0) !== (denominator < 0) ? -units : units) / scale;
}

function sum(values: number[]): number {
  return values.reduce((acc, v) => acc + v, 0);
}

/** Locale-independent, so the order is the same on every worker. */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function duplicates(values: string[]): [number, string][] {
  const seen = new Set<string>();
  const found: [number, string][] = [];
  values.forEach((v, i) => {
    if (seen.has(v)) found.push([i, v]);
    seen.add(v);
  });
  return found;
}
