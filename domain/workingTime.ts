import { z } from 'zod';
import { calendarDate, durationMs, durationParts } from './durations';

const PERIOD = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/;
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * The company's working time: its working periods on a working day (local time at `utcOffset`),
 * on the mainland-China calendar (public holidays and make-up working days, 调休) that the
 * `chinese-days` package ships, plus `holidays` and `workdays` of its own: a company day off, or
 * next year's official dates before a package release carries them.
 */
export const workingTimeSettings = z.object({
  hours: z
    .array(z.string().regex(PERIOD, 'must be a period such as 09:00-12:00'))
    .min(1)
    .max(6)
    .refine((periods) => periods.map(periodMinutes).every(([a, b], i, all) => a < b && (i === 0 || all[i - 1]![1] <= a)), 'periods must be in order, each ending after it starts, none overlapping'),
  utcOffset: z.string().regex(/^[+-](0\d|1[0-4]):[0-5]\d$/, 'must be an offset such as +08:00'),
  holidays: z.array(calendarDate).max(400).default([]),
  workdays: z.array(calendarDate).max(400).default([]),
});
export type WorkingTimeSettings = z.infer<typeof workingTimeSettings>;

export const DEFAULT_WORKING_TIME: WorkingTimeSettings = { hours: ['09:00-12:00', '13:30-18:00'], utcOffset: '+08:00', holidays: [], workdays: [] };

function periodMinutes(period: string): [number, number] {
  return [minutesOf(period.slice(0, 5)), minutesOf(period.slice(6, 11))];
}

interface OfficialCalendar {
  holidays: Set<string>;
  workdays: Set<string>;
  years: Set<number>;
}
let official: OfficialCalendar | undefined;

/** The State Council's holidays and make-up working days, parsed on first use only (flows on
 *  elapsed time never pay for it). */
function officialCalendar(): OfficialCalendar {
  if (!official) {
    // A require, not an import: loaded on first use only (see above).
    const data = require('chinese-days/dist/chinese-days.json') as { holidays: Record<string, string>; workdays: Record<string, string> };
    const holidays = new Set(Object.keys(data.holidays));
    official = { holidays, workdays: new Set(Object.keys(data.workdays)), years: new Set([...holidays].map((d) => Number(d.slice(0, 4)))) };
  }
  return official;
}

/** Whether the packaged calendar has the official dates of `year` (else only weekends are off). */
export function hasOfficialCalendar(year: number): boolean {
  return officialCalendar().years.has(year);
}

/** Whether a date (YYYY-MM-DD) is a working day: the company's own dates first, then the
 *  official ones, then Monday to Friday. */
export function isWorkingDay(date: string, wt: Pick<WorkingTimeSettings, 'holidays' | 'workdays'>): boolean {
  if (wt.workdays.includes(date)) return true;
  if (wt.holidays.includes(date)) return false;
  const { workdays, holidays } = officialCalendar();
  if (workdays.has(date)) return true;
  if (holidays.has(date)) return false;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

const DAY = 86_400_000;
/** Ten years: no calendar has that long without working time; a guard against a loop. */
const MAX_DAYS = 3653;

interface Calendar {
  periods: [number, number][];
  offsetMs: number;
  /** Working time in one working day. */
  dayMs: number;
  works(day: number): boolean;
}

function calendarOf(wt: WorkingTimeSettings): Calendar {
  const periods = wt.hours.map(periodMinutes).map(([a, b]): [number, number] => [a * 60_000, b * 60_000]);
  const sign = wt.utcOffset.startsWith('-') ? -1 : 1;
  return {
    periods,
    offsetMs: sign * minutesOf(wt.utcOffset.slice(1)) * 60_000,
    dayMs: periods.reduce((sum, [a, b]) => sum + b - a, 0),
    works: (day) => isWorkingDay(new Date(day * DAY).toISOString().slice(0, 10), wt),
  };
}

/** The instant `ms` of working time after `t`; with 0, the next working moment (t itself when it is one). */
function forward(cal: Calendar, t: number, ms: number): number {
  const local = t + cal.offsetMs;
  let day = Math.floor(local / DAY);
  let time = local - day * DAY;
  for (let n = 0; n < MAX_DAYS; n++, day++, time = 0) {
    if (!cal.works(day)) continue;
    for (const [start, end] of cal.periods) {
      if (time >= end) continue;
      const from = Math.max(time, start);
      if (ms <= end - from) return day * DAY + from + ms - cal.offsetMs;
      ms -= end - from;
      time = end;
    }
  }
  throw new RangeError('no working time in ten years: check the working hours and holidays');
}

/** The instant `ms` of working time before `t`. */
function backward(cal: Calendar, t: number, ms: number): number {
  const local = t + cal.offsetMs;
  let day = Math.floor(local / DAY);
  let time = local - day * DAY;
  for (let n = 0; n < MAX_DAYS; n++, day--, time = DAY) {
    if (!cal.works(day)) continue;
    for (const [start, end] of [...cal.periods].reverse()) {
      if (time <= start) continue;
      const to = Math.min(time, end);
      if (ms <= to - start) return day * DAY + to - ms - cal.offsetMs;
      ms -= to - start;
      time = start;
    }
  }
  throw new RangeError('no working time in ten years: check the working hours and holidays');
}

/** How a deadline counts a duration such as P2D from an instant (epoch ms). */
export interface Clock {
  after(t: number, duration: string): number;
  before(t: number, duration: string): number;
}

/** Plain time: a day is 24 hours, nights and holidays included. */
export const elapsedTime: Clock = {
  after: (t, duration) => t + durationMs(duration),
  before: (t, duration) => t - durationMs(duration),
};

/**
 * Working time: a day (D) is one working day's hours, a week (W) five of them, hours and minutes
 * count only inside working periods. So P1D from Friday 10:00 is Monday 10:00, or the day after a
 * holiday; from 20:00 it is the end of the next working day.
 */
export function workingTime(wt: WorkingTimeSettings): Clock {
  const cal = calendarOf(wt);
  const workingMs = (duration: string) => {
    const { weeks, days, timeMs } = durationParts(duration);
    return (weeks * 5 + days) * cal.dayMs + timeMs;
  };
  return {
    after: (t, duration) => forward(cal, t, workingMs(duration)),
    before: (t, duration) => backward(cal, t, workingMs(duration)),
  };
}

/** `t` when it falls in working time, else the start of the next working period. */
export function nextWorkingMoment(t: number, wt: WorkingTimeSettings): number {
  return forward(calendarOf(wt), t, 0);
}

/** The next start of a working day after `t` (when a daily digest goes out): today's when the
 *  working day has not begun yet, else the next working day's. */
export function nextWorkingDayStart(t: number, wt: WorkingTimeSettings): number {
  const cal = calendarOf(wt);
  const local = t + cal.offsetMs;
  const day = Math.floor(local / DAY);
  if (local - day * DAY < cal.periods[0]![0] && cal.works(day)) return day * DAY + cal.periods[0]![0] - cal.offsetMs;
  return forward(cal, (day + 1) * DAY - cal.offsetMs, 0);
}

/** The working time (ms) between two instants: only what falls in working periods of working days. */
export function workingTimeBetween(from: number, to: number, wt: WorkingTimeSettings): number {
  if (to <= from) return 0;
  const cal = calendarOf(wt);
  let total = 0;
  for (let day = Math.floor((from + cal.offsetMs) / DAY); day <= Math.floor((to + cal.offsetMs) / DAY); day++) {
    if (!cal.works(day)) continue;
    for (const [start, end] of cal.periods) {
      const a = Math.max(day * DAY + start - cal.offsetMs, from);
      const b = Math.min(day * DAY + end - cal.offsetMs, to);
      if (b > a) total += b - a;
    }
  }
  return total;
}

/** The company's local calendar month (YYYY-MM) of an instant. */
export const localMonthOf = (t: number, wt: WorkingTimeSettings): string => new Date(t + calendarOf(wt).offsetMs).toISOString().slice(0, 7);
