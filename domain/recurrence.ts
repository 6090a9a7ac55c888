/**
 * When a recurring procedure runs (a survey every quarter, the needs cycle every January): every
 * fixed period from the first start, or a cron expression in UTC. Months and years have no fixed
 * length, so a quarterly or yearly rhythm is a cron expression; a Temporal Schedule follows either.
 */
import { z } from 'zod';
import { durationMs, isoDuration } from './durations';

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
/** The five fields in order: what each is called, its range, and the names it also takes (the first name is `min`). */
const CRON_FIELDS = [
  { name: 'minute', min: 0, max: 59, names: [] as string[] },
  { name: 'hour', min: 0, max: 23, names: [] as string[] },
  { name: 'day of month', min: 1, max: 31, names: [] as string[] },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 7, names: WEEKDAYS },
];

/**
 * Why a cron expression's field is out of its range (`*`, lists, ranges and steps of numbers or
 * names), or undefined when every field is valid. Checked here so a wrong value is the person's
 * field error, not the Schedule service's refusal after the survey was written.
 */
export function cronProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== CRON_FIELDS.length) return 'five cron fields, e.g. "0 9 1 */3 *" (09:00 on the first day of every third month)';
  for (const [i, field] of fields.entries()) {
    const { name, min, max, names } = CRON_FIELDS[i]!;
    const value = (v: string) => (/^\d+$/.test(v) ? Number(v) : names.includes(v.toUpperCase()) ? names.indexOf(v.toUpperCase()) + min : NaN);
    const valid = field.split(',').every((part) => {
      const [range, step, ...extra] = part.split('/');
      if (extra.length || (step !== undefined && !/^[1-9]\d*$/.test(step))) return false;
      if (range === '*') return true;
      const [from, to, ...more] = range!.split('-').map(value);
      const inRange = (n: number | undefined) => n !== undefined && n >= min && n <= max;
      return !more.length && inRange(from) && (to === undefined || (inRange(to) && to >= from!));
    });
    if (!valid) return `the ${name} field "${field}" is not a value from ${min} to ${max}${names.length ? ` or a name (${names[0]}…)` : ''}, a range, a list or a step`;
  }
  return undefined;
}

export const recurrence = z
  .object({
    every: isoDuration.optional(),
    cron: z
      .string()
      .trim()
      .superRefine((c, ctx) => {
        const problem = cronProblem(c);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
  })
  .refine((s) => (s.every === undefined) !== (s.cron === undefined), { message: 'give either every or cron', path: ['every'] })
  // Runs even when `every` itself is invalid (zod reports both), so it measures only a valid one.
  .refine((s) => !isoDuration.safeParse(s.every).success || durationMs(s.every!) >= 1_000, { message: 'at least a second apart', path: ['every'] });
export type Recurrence = z.infer<typeof recurrence>;

/** The Temporal Schedule spec of a recurrence. */
export const scheduleSpecOf = (r: Recurrence) => (r.every ? { intervals: [{ every: durationMs(r.every) }] } : { cronExpressions: [r.cron!] });
