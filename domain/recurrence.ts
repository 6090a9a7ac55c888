/**
 * When a recurring procedure runs (a survey every quarter, the needs cycle every January): every
 * fixed period from the first start, or a cron expression in UTC. Months and years have no fixed
 * length, so a quarterly or yearly rhythm is a cron expression; a Temporal Schedule follows either.
 */
import { z } from 'zod';
import { durationMs, isoDuration } from './durations';

export const recurrence = z
  .object({
    every: isoDuration.optional(),
    cron: z.string().trim().regex(/^(\S+\s+){4}\S+$/, 'five cron fields, e.g. "0 9 1 */3 *" (09:00 on the first day of every third month)').optional(),
  })
  .refine((s) => (s.every === undefined) !== (s.cron === undefined), { message: 'give either every or cron', path: ['every'] })
  // Runs even when `every` itself is invalid (zod reports both), so it measures only a valid one.
  .refine((s) => !isoDuration.safeParse(s.every).success || durationMs(s.every!) >= 1_000, { message: 'at least a second apart', path: ['every'] });
export type Recurrence = z.infer<typeof recurrence>;

/** The Temporal Schedule spec of a recurrence. */
export const scheduleSpecOf = (r: Recurrence) => (r.every ? { intervals: [{ every: durationMs(r.every) }] } : { cronExpressions: [r.cron!] });
