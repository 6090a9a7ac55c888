import { z } from 'zod';

const ISO_DURATION = /^P(?!$)(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Milliseconds in an ISO-8601 duration limited to weeks, days, hours, minutes and seconds
 *  (months and years have no fixed length, so deadlines never use them). */
export function durationMs(iso: string): number {
  const m = ISO_DURATION.exec(iso);
  if (!m) throw new RangeError(`not an ISO-8601 duration of weeks/days/hours/minutes/seconds: ${iso}`);
  const [, w, d, h, min, s] = m;
  const n = (v: string | undefined) => (v ? Number(v) : 0);
  return Math.round(((((n(w) * 7 + n(d)) * 24 + n(h)) * 60 + n(min)) * 60 + n(s)) * 1000);
}

/** An ISO-8601 duration split into whole days (weeks counted apart) and the time of day, for
 *  clocks where a day is not 24 hours (working time). */
export function durationParts(iso: string): { weeks: number; days: number; timeMs: number } {
  const m = ISO_DURATION.exec(iso);
  if (!m) throw new RangeError(`not an ISO-8601 duration of weeks/days/hours/minutes/seconds: ${iso}`);
  const [, w, d, h, min, s] = m;
  const n = (v: string | undefined) => (v ? Number(v) : 0);
  return { weeks: n(w), days: n(d), timeMs: Math.round(((n(h) * 60 + n(min)) * 60 + n(s)) * 1000) };
}

export const isoDuration = z
  .string()
  .refine((v) => ISO_DURATION.test(v), { message: 'must be an ISO-8601 duration such as PT30S, PT4H or P2D' })
  .meta({ example: 'P1D' });

/** A calendar date (YYYY-MM-DD) that exists. Not z.iso.date(): inside the workflow bundle webpack
 *  resolves `z.iso.date` to `z.date`. */
export const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), 'is not a calendar date');
