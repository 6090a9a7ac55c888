/**
 * The exit interview (离职面谈, DOMAIN.md §5 and §7): HR asks the leaver why they go, with the causes
 * chosen from the stay interview's list, so what people left for can be set against what keeps the
 * others. The report of causes counts leavers by department and quarter of their last working day;
 * a group of fewer than MIN_REPORTED_LEAVERS is shown without its counts (a colleague could tell
 * who it was).
 */
import { z } from 'zod';
import { calendarDate } from './durations';
import { LEAVING_CAUSES, leavingCause, type LeavingCause } from './risk';

/** The handover's step for the interview. */
export const EXIT_INTERVIEW_STEP = 'exit-interview';

export const exitInterviewRequest = z.object({
  heldOn: calendarDate,
  causes: z
    .array(leavingCause)
    .min(1, 'name at least one cause')
    .max(LEAVING_CAUSES.length)
    .refine((causes) => new Set(causes).size === causes.length, 'name each cause once'),
  notes: z.string().trim().min(1, 'say what the leaver said').max(4000),
  wouldReturn: z.boolean(),
  wouldRecommend: z.boolean(),
});
export type ExitInterviewRequest = z.infer<typeof exitInterviewRequest>;
export const exitInterviewArgs = exitInterviewRequest.extend({ actorId: z.string().min(1) });
export type ExitInterviewArgs = z.infer<typeof exitInterviewArgs>;

export const MIN_REPORTED_LEAVERS = 3;

export const leavingCausesQuery = z
  .object({ from: calendarDate, to: calendarDate })
  .refine((q) => q.from <= q.to, { message: 'to must not be before from', path: ['to'] });

/** One leaver as the report counts them. */
export interface LeaverCauses {
  departmentId: string;
  /** The last working day, YYYY-MM-DD. */
  leftOn: string;
  causes: LeavingCause[];
}

/** A department's leavers in a quarter: counted per cause, or only said to be too few. */
export type LeavingCausesGroup =
  | { departmentId: string; quarter: string; suppressed: false; leavers: number; causes: Record<LeavingCause, number> }
  | { departmentId: string; quarter: string; suppressed: true };

/** `2026-Q4` for a day in October to December. */
export const quarterOf = (day: string): string => `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;

/** Groups leavers by department and quarter (in that order); a leaver counts once per cause they named. */
export function leavingCausesByGroup(leavers: LeaverCauses[]): LeavingCausesGroup[] {
  const groups = new Map<string, { departmentId: string; quarter: string; leavers: LeaverCauses[] }>();
  for (const leaver of leavers) {
    const quarter = quarterOf(leaver.leftOn);
    const key = `${leaver.departmentId}\u0000${quarter}`;
    if (!groups.has(key)) groups.set(key, { departmentId: leaver.departmentId, quarter, leavers: [] });
    groups.get(key)!.leavers.push(leaver);
  }
  return [...groups.values()]
    .sort((a, b) => a.departmentId.localeCompare(b.departmentId) || a.quarter.localeCompare(b.quarter))
    .map(({ departmentId, quarter, leavers: inGroup }) => {
      if (inGroup.length < MIN_REPORTED_LEAVERS) return { departmentId, quarter, suppressed: true as const };
      const causes = Object.fromEntries(LEAVING_CAUSES.map((c) => [c, inGroup.filter((l) => l.causes.includes(c)).length])) as Record<LeavingCause, number>;
      return { departmentId, quarter, suppressed: false as const, leavers: inGroup.length, causes };
    });
}
