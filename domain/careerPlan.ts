/**
 * Career plans (职业规划, DOMAIN.md §8, promotion): each employee's goals, the skills they want and
 * the training they mean to take, kept by them with their manager and reviewed once a year. The
 * skills name competencies by their key, the same keys a needs cycle assesses, so the needs
 * analysis can count who wants what (domain/needsAnalysis.ts, `careerWants`).
 */
import { z } from 'zod';
import { competency } from './needsAnalysis';

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const moment = z.iso.datetime({ offset: true, message: 'must be a date and time, e.g. 2027-12-01T09:00:00+08:00' });

/** A skill the employee wants to grow: a competency key (as needs cycles name them) and its name. */
export const wantedSkill = competency.pick({ key: true, name: true });
export type WantedSkill = z.infer<typeof wantedSkill>;

export const careerPlanContent = z.object({
  goals: text(4000),
  /** The role aimed at, e.g. 催收主管 Collection head. */
  targetRole: text(200).optional(),
  wantedSkills: z
    .array(wantedSkill)
    .max(20, 'at most 20 skills: a plan names what matters most')
    .superRefine((skills, ctx) => {
      const seen = new Set<string>();
      skills.forEach((s, i) => {
        if (seen.has(s.key)) ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `skill ${s.key} is listed twice` });
        seen.add(s.key);
      });
    }),
  /** Training the employee means to take (free text: a course, a session, a certificate). */
  trainingWanted: text(2000).optional(),
});
export type CareerPlanContent = z.infer<typeof careerPlanContent>;

/** The plan as written by the employee, their manager or HR. `revision` is the one the writer saw
 *  (0 for a first plan): a write over someone else's newer revision is refused, never merged. */
export const careerPlanRequest = careerPlanContent.extend({
  revision: z.int().min(0),
  /** When the yearly review is due; a year from now when not given. Any time within two years. */
  nextReviewAt: moment.optional(),
});
export type CareerPlanRequest = z.infer<typeof careerPlanRequest>;
export const reviseCareerPlanArgs = careerPlanRequest.extend({ actorId: z.string().min(1) });
export type ReviseCareerPlanArgs = z.infer<typeof reviseCareerPlanArgs>;

/** The yearly review, by whoever holds its task (the manager by default): what was talked about,
 *  and the plan as it stands afterwards when it changed. */
export const careerPlanReviewRequest = z.object({
  comment: text(4000),
  plan: careerPlanContent.optional(),
});
export const careerPlanReviewArgs = careerPlanReviewRequest.extend({ actorId: z.string().min(1) });
export type CareerPlanReviewArgs = z.infer<typeof careerPlanReviewArgs>;

/** CAREER_PLAN_SETTINGS, or per flow `settings.careerPlans`: months between reviews, and the
 *  history length past which a plan's flow continues as a new run once a review is done. */
export const careerPlanSettings = z.object({ reviewEveryMonths: z.int().min(1).max(36), historyLimit: z.int().min(1) });
export type CareerPlanSettings = z.infer<typeof careerPlanSettings>;
export const DEFAULT_CAREER_PLANS: CareerPlanSettings = { reviewEveryMonths: 12, historyLimit: 2_000 };
export const careerPlanSettingsOf = (settings: { careerPlans?: CareerPlanSettings }): CareerPlanSettings => settings.careerPlans ?? DEFAULT_CAREER_PLANS;

export const careerPlanFlowId = (employeeId: string) => `career-plan:${employeeId}`;

const TWO_YEARS_MS = 2 * 366 * 86_400_000;

/** Why a requested review time cannot be taken, or undefined. */
export function reviewTimeProblem(nextReviewAt: string, now: number): string | undefined {
  const at = Date.parse(nextReviewAt);
  if (at <= now) return 'must be in the future';
  if (at - now > TWO_YEARS_MS) return 'must be within two years: a plan is reviewed at least that often';
  return undefined;
}

/** `months` calendar months after `at` (epoch ms), the day clamped to the month's end (31 Jan + 1
 *  month = 28/29 Feb), at the same time of day. */
export function monthsAfter(at: number, months: number): number {
  const d = new Date(at);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return target.getTime();
}
