import { z } from 'zod';
import { isoDuration } from './durations';
import { recurrence } from './recurrence';
import { competency, type Competency, type NeedsAnalysis, type NeedsAnalysisInput } from './needsAnalysis';
import { trainingMethod, type PlanDraftContent } from './trainingPlan';

/**
 * A training needs cycle (DOMAIN.md §1) around the pure analysis in needsAnalysis.ts: the requests,
 * HR's adjustments, and how a confirmed assessment seeds a plan.
 */

/** A cycle as it opens, however it was started (by HR, or by its schedule). */
export interface NeedsCycleOpening {
  cycleId: string;
  name: string;
  departmentId: string;
  participantIds: string[];
  competencies: Competency[];
  surveyDeadline: string;
  hrId: string;
  startedById: string;
  /** The schedule that started it (the yearly cycle), if one did. */
  scheduleId?: string;
}

/** A cycle's flow, however it was started. */
export const needsFlowId = (cycleId: string) => `needs:${cycleId}`;

const level = z.int().min(1, 'levels run from 1 to 5').max(5, 'levels run from 1 to 5');
const text = (max: number) => z.string().trim().max(max);

export const needsSettings = z.object({
  /** Below this share of participants answering, HR decides to extend the survey once or to proceed. */
  minResponseRate: z.number().min(0).max(1),
  surveyExtension: isoDuration,
  /** Before each analysis, a cycle past this many history events continues as a new run
   *  (Temporal warns at 10,240; a survey of 500 participants asks about 1,000 tasks). */
  historyLimit: z.int().min(50).max(40_000),
});
export type NeedsSettings = z.infer<typeof needsSettings>;
export const DEFAULT_NEEDS: NeedsSettings = { minResponseRate: 0.8, surveyExtension: 'P3D', historyLimit: 5_000 };

export const startNeedsCycleRequest = z
  .object({
    name: text(200).min(1, 'a name is required'),
    departmentId: z.string().min(1),
    participantIds: z.array(z.string().min(1)).min(1, 'at least one participant is required').max(500),
    competencies: z.array(competency).min(1, 'at least one competency is required').max(50),
    surveyDeadline: z.iso.datetime({ offset: true }),
    /** Who confirms besides the department head; the caller when omitted. */
    hrId: z.string().min(1).optional(),
  })
  .refine((c) => new Set(c.participantIds).size === c.participantIds.length, { message: 'a participant is listed twice', path: ['participantIds'] })
  .refine((c) => new Set(c.competencies.map((k) => k.key)).size === c.competencies.length, { message: 'a competency key is listed twice', path: ['competencies'] });
export type StartNeedsCycleRequest = z.infer<typeof startNeedsCycleRequest>;

/** The yearly needs cycle (or any rhythm HR sets): each run of its Schedule starts a cycle of
 *  the department's active people then, whose survey stays open `surveyWithin`. */
export const needsCycleScheduleRequest = z
  .object({
    name: text(200).min(1, 'a name is required'),
    departmentId: z.string().min(1),
    competencies: z.array(competency).min(1, 'at least one competency is required').max(50),
    surveyWithin: isoDuration.default('P14D'),
    schedule: recurrence,
    /** Who confirms besides the department head; the caller when omitted. */
    hrId: z.string().min(1).optional(),
  })
  .refine((c) => new Set(c.competencies.map((k) => k.key)).size === c.competencies.length, { message: 'a competency key is listed twice', path: ['competencies'] });
export type NeedsCycleScheduleRequest = z.infer<typeof needsCycleScheduleRequest>;

/** HR changes a needs-cycle schedule: later cycles start with what it says then. */
export const needsCycleScheduleChange = z.object({
  name: text(200).min(1).optional(),
  competencies: z.array(competency).min(1).max(50).optional(),
  surveyWithin: isoDuration.optional(),
  schedule: recurrence.optional(),
});

const actor = { actorId: z.string().min(1) };
/** Levels by competency key; which keys are allowed depends on the cycle (checked by its flow). */
const levels = z.record(z.string(), level);

export const surveyRequest = z.object({
  selfRatings: levels,
  needs: text(4000).optional(),
  preferredFormats: z.array(trainingMethod).max(5).default([]),
});
export const surveyArgs = surveyRequest.extend(actor);
export type SurveyArgs = z.infer<typeof surveyArgs>;

export const observationRequest = z.object({ participantId: z.string().min(1), observedLevels: levels, notes: text(4000).optional() });
export const observationArgs = observationRequest.extend(actor);
export type ObservationArgs = z.infer<typeof observationArgs>;

export const lowResponseRequest = z.object({ choice: z.enum(['extend', 'proceed']) });
export const lowResponseArgs = lowResponseRequest.extend(actor);
export type LowResponseArgs = z.infer<typeof lowResponseArgs>;

/** HR's adjustment after a request for changes: different required levels, competencies left out. */
export const adjustmentRequest = z.object({
  requiredLevels: levels.default({}),
  excluded: z.array(z.string()).default([]),
  note: text(4000).min(1, 'say what was adjusted'),
});
export const adjustmentArgs = adjustmentRequest.extend(actor);
export type AdjustmentArgs = z.infer<typeof adjustmentArgs>;

/** Competencies of the cycle that `given` leaves without a level. */
export function unratedCompetencies(competencies: Competency[], given: Record<string, unknown>): string[] {
  return competencies.filter((c) => given[c.key] === undefined).map((c) => c.key);
}

/** Keys in `given` that the cycle does not assess. */
export function unknownCompetencies(competencies: Competency[], given: Record<string, unknown> | string[]): string[] {
  const keys = Array.isArray(given) ? given : Object.keys(given);
  return keys.filter((k) => !competencies.some((c) => c.key === k));
}

/** The analysis input after HR's adjustments (applied in order). */
export function adjusted(input: NeedsAnalysisInput, adjustments: Pick<AdjustmentArgs, 'requiredLevels' | 'excluded'>[]): NeedsAnalysisInput {
  let competencies = input.competencies;
  for (const a of adjustments) {
    competencies = competencies
      .filter((c) => !a.excluded.includes(c.key))
      .map((c) => (a.requiredLevels[c.key] ? { ...c, requiredLevel: a.requiredLevels[c.key]! } : c));
  }
  return { ...input, competencies };
}

/** A plan draft's objectives from a confirmed assessment: one measurable target per ranked need. */
export function objectivesFrom(cycleName: string, analysis: NeedsAnalysis): NonNullable<PlanDraftContent['objectives']> {
  return {
    general: `缩小「${cycleName}」需求分析发现的能力差距 Close the gaps found by ${cycleName}`,
    targets: analysis.rankedNeeds.map((need) => {
      const c = analysis.competencies.find((x) => x.key === need.key)!;
      return {
        description: `${need.name}: from ${c.observedMean} to ${c.requiredLevel} (${need.peopleAffected} affected, gap ${need.gap})`,
        metric: `${need.key}_observed_level`,
        target: c.requiredLevel,
      };
    }),
  };
}
