/**
 * Working time and when notifications go, as pure functions: the official 2026 calendar (holidays
 * and make-up working days), company dates for a year the package does not ship yet, working
 * hours, chasing on the working clock, quiet hours, digests and retry delays.
 */
import fc from 'fast-check';
import { nextChase, reminderTimes, type ChasingPolicy } from '../domain/chasing';
import { deliveryPlan, linkFor, retryDelay, type DeliveryRules } from '../domain/notifications';
import { DEFAULT_CHASING } from '../domain/settings';
import {
  DEFAULT_WORKING_TIME,
  hasOfficialCalendar,
  isWorkingDay,
  nextWorkingDayStart,
  nextWorkingMoment,
  workingTime,
  workingTimeSettings,
  type WorkingTimeSettings,
} from '../domain/workingTime';

/** An instant in China's time zone, written as people read it. */
const cst = (local: string) => Date.parse(`${local}:00+08:00`);
const shown = (t: number) => new Date(t + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
const clock = workingTime(DEFAULT_WORKING_TIME);
const noDates = { holidays: [], workdays: [] };

describe('the mainland-China calendar of 2026', () => {
  test.each([
    ['2026-01-01', false, 'New Year'],
    ['2026-01-04', true, 'a Sunday worked for New Year (调休)'],
    ['2026-02-14', true, 'a Saturday worked for the Spring Festival'],
    ['2026-02-16', false, 'Spring Festival'],
    ['2026-02-23', false, 'the Spring Festival’s last day off, a Monday'],
    ['2026-02-28', true, 'a Saturday worked for the Spring Festival'],
    ['2026-04-06', false, 'Qingming, a Monday'],
    ['2026-05-05', false, 'Labour Day, a Tuesday'],
    ['2026-05-09', true, 'a Saturday worked for Labour Day'],
    ['2026-06-19', false, 'Dragon Boat Festival, a Friday'],
    ['2026-09-20', true, 'a Sunday worked for National Day'],
    ['2026-09-25', false, 'Mid-Autumn Festival, a Friday'],
    ['2026-10-01', false, 'National Day'],
    ['2026-10-07', false, 'the National Day holiday’s last day, a Wednesday'],
    ['2026-10-10', true, 'a Saturday worked for National Day'],
    ['2026-11-28', false, 'an ordinary Saturday'],
    ['2026-11-30', true, 'an ordinary Monday'],
  ])('%s is %s a working day (%s)', (date, working) => {
    expect(isWorkingDay(date, noDates)).toBe(working);
  });
});

describe('a year the package does not ship yet', () => {
  test('2026 is official; 2027 is not, so only weekends are off until the company enters its dates', () => {
    expect(hasOfficialCalendar(2026)).toBe(true);
    expect(hasOfficialCalendar(2027)).toBe(false);
    expect(isWorkingDay('2027-01-01', noDates)).toBe(true); // a Friday
    expect(isWorkingDay('2027-01-02', noDates)).toBe(false); // a Saturday
  });

  test('company dates count first: a 2027 holiday and a make-up Saturday, or a day off of its own in 2026', () => {
    const company = { holidays: ['2027-01-01', '2026-12-31'], workdays: ['2027-01-02', '2026-10-01'] };
    expect(isWorkingDay('2027-01-01', company)).toBe(false);
    expect(isWorkingDay('2027-01-02', company)).toBe(true);
    expect(isWorkingDay('2026-12-31', company)).toBe(false);
    expect(isWorkingDay('2026-10-01', company)).toBe(true);
    const withNewYear = workingTime({ ...DEFAULT_WORKING_TIME, ...company });
    // Thursday 2026-12-31 is off, so is Friday 2027-01-01; the make-up Saturday works.
    expect(shown(withNewYear.after(cst('2026-12-30 10:00'), 'P1D'))).toBe('2027-01-02 10:00');
  });
});

describe('durations on working time (09:00–12:00, 13:30–18:00, China time)', () => {
  test.each([
    ['2026-11-30 16:00', 'PT4H', '2026-12-01 11:00', 'two hours today, two tomorrow'],
    ['2026-11-30 11:30', 'PT1H', '2026-11-30 14:00', 'the lunch break does not count'],
    ['2026-11-30 10:00', 'P1D', '2026-12-01 10:00', 'a day is the next working day at the same time'],
    ['2026-11-27 10:00', 'P1D', '2026-11-30 10:00', 'Friday to Monday'],
    ['2026-11-30 20:00', 'P1D', '2026-12-01 18:00', 'from the evening: the whole next working day'],
    ['2026-11-28 03:00', 'PT0S', '2026-11-30 09:00', 'nothing from a Saturday night is the next working moment'],
    ['2026-09-18 10:00', 'P1D', '2026-09-20 10:00', 'Friday to the Sunday worked for National Day (调休)'],
    ['2026-09-19 10:00', 'P1D', '2026-09-20 18:00', 'from a Saturday: the whole Sunday worked'],
    ['2026-09-30 10:00', 'P1D', '2026-10-08 10:00', 'over the National Day holiday'],
    ['2026-09-30 10:00', 'P3D', '2026-10-10 10:00', 'onto the Saturday worked for it'],
    ['2026-11-30 10:00', 'P1W', '2026-12-07 10:00', 'a week is five working days'],
  ])('%s + %s = %s (%s)', (from, duration, to) => {
    expect(shown(clock.after(cst(from), duration))).toBe(to);
  });

  test('back from a due time: a day before the Thursday after National Day is the Wednesday before it', () => {
    expect(shown(clock.before(cst('2026-10-08 10:00'), 'P1D'))).toBe('2026-09-30 10:00');
    expect(shown(clock.before(cst('2026-11-30 14:00'), 'PT1H'))).toBe('2026-11-30 11:30');
  });

  test('working time adds up: a then b is a + b, from any instant of 2026', () => {
    fc.assert(
      fc.property(fc.integer({ min: cst('2026-01-01 00:00'), max: cst('2026-12-01 00:00') }), fc.nat(3000), fc.nat(3000), (t, a, b) => {
        expect(clock.after(clock.after(t, `PT${a}M`), `PT${b}M`)).toBe(clock.after(t, `PT${a + b}M`));
        expect(clock.after(t, `PT${a}M`)).toBeGreaterThanOrEqual(t);
      }),
    );
  });

  test('working hours that are out of order or overlap are refused', () => {
    expect(workingTimeSettings.safeParse({ ...DEFAULT_WORKING_TIME, hours: ['13:00-18:00', '09:00-12:00'] }).success).toBe(false);
    expect(workingTimeSettings.safeParse({ ...DEFAULT_WORKING_TIME, hours: ['09:00-14:00', '13:00-18:00'] }).success).toBe(false);
    expect(workingTimeSettings.safeParse({ ...DEFAULT_WORKING_TIME, hours: ['9:00-18:00'] }).success).toBe(false);
    expect(workingTimeSettings.safeParse({ ...DEFAULT_WORKING_TIME, hours: ['00:00-24:00'] }).success).toBe(true);
  });
});

describe('chasing on the working clock', () => {
  test('a plan approval opened the day before National Day is reminded and escalated only on working days', () => {
    const policy = DEFAULT_CHASING.plan_approval; // reminded daily, due and escalated after P3D
    const createdAt = cst('2026-09-30 10:00');
    const dueAt = clock.after(createdAt, policy.escalateAfter);
    expect(shown(dueAt)).toBe('2026-10-10 10:00');
    expect(reminderTimes(policy, createdAt, dueAt, false, clock).map(shown)).toEqual([
      '2026-10-08 10:00',
      '2026-10-09 10:00',
      '2026-10-10 10:00',
      '2026-10-12 10:00',
      '2026-10-13 10:00',
    ]);
    const task = { createdAt, dueAt };
    expect(nextChase(policy, task, { remindersSent: 3, escalationLevel: 0 }, clock)).toMatchObject({ kind: 'escalate', level: 1, to: 'manager' });
    const second = nextChase(policy, task, { remindersSent: 5, escalationLevel: 1 }, clock)!;
    expect([second.kind, shown(second.at)]).toEqual(['escalate', '2026-10-14 10:00']);
  });

  test('a policy that does not name a clock counts plain time, as flows started before it did', () => {
    const policy: ChasingPolicy = { remindAfter: 'P1D', remindEvery: 'P1D', maxReminders: 1, escalateAfter: 'P3D', escalateTo: ['manager'] };
    const createdAt = cst('2026-09-30 10:00');
    expect(nextChase(policy, { createdAt, dueAt: createdAt + 3 * 86_400_000 }, { remindersSent: 0, escalationLevel: 0 })!.at).toBe(cst('2026-10-01 10:00'));
  });
});

describe('when a notification goes', () => {
  const rules: DeliveryRules = { configured: ['log', 'email', 'wecom'], defaults: ['email'], quietHours: true, workingTime: DEFAULT_WORKING_TIME };
  const plan = (template: string, now: string, recipient?: { channels: string[]; digest: boolean }, critical = false, r = rules) =>
    deliveryPlan({ template, critical }, recipient, r, cst(now)).map((d) => `${d.channel}${d.digest ? ' (digest)' : ''} at ${shown(d.notBefore)}`);

  test('a reminder due at night, on a weekend or on a holiday waits for the next working period', () => {
    expect(plan('task_reminder', '2026-11-30 22:00')).toEqual(['email at 2026-12-01 09:00']);
    expect(plan('task_escalated', '2026-11-28 10:00')).toEqual(['email at 2026-11-30 09:00']);
    expect(plan('handover_items_reminder', '2026-10-01 10:00')).toEqual(['email at 2026-10-08 09:00']);
    expect(plan('task_reminder', '2026-11-30 12:30')).toEqual(['email at 2026-11-30 13:30']);
    expect(plan('task_reminder', '2026-11-30 10:00')).toEqual(['email at 2026-11-30 10:00']);
  });

  test('critical notices, news of a new task, and a deployment without quiet hours go at once', () => {
    expect(plan('handover_critical', '2026-10-01 23:00', undefined, true)).toEqual(['email at 2026-10-01 23:00']);
    expect(plan('task_escalated', '2026-10-01 23:00', undefined, true)).toEqual(['email at 2026-10-01 23:00']);
    expect(plan('task_assigned', '2026-11-28 23:00')).toEqual(['email at 2026-11-28 23:00']);
    expect(plan('task_reminder', '2026-11-28 23:00', undefined, false, { ...rules, quietHours: false })).toEqual(['email at 2026-11-28 23:00']);
  });

  test('a person’s channels are used where this deployment has them; none left, its defaults', () => {
    expect(plan('task_assigned', '2026-11-30 10:00', { channels: ['wecom', 'email'], digest: false })).toEqual(['wecom at 2026-11-30 10:00', 'email at 2026-11-30 10:00']);
    expect(plan('task_assigned', '2026-11-30 10:00', { channels: ['feishu'], digest: false })).toEqual(['email at 2026-11-30 10:00']);
  });

  test('a digest takes reminders to the next working day’s start, and nothing else', () => {
    const digest = { channels: ['wecom'], digest: true };
    expect(plan('task_reminder', '2026-11-30 10:00', digest)).toEqual(['wecom (digest) at 2026-12-01 09:00']);
    expect(plan('task_reminder', '2026-12-01 07:30', digest)).toEqual(['wecom (digest) at 2026-12-01 09:00']);
    expect(plan('task_reminder', '2026-09-30 10:00', digest)).toEqual(['wecom (digest) at 2026-10-08 09:00']);
    expect(plan('task_escalated', '2026-11-30 10:00', digest)).toEqual(['wecom at 2026-11-30 10:00']);
    expect(shown(nextWorkingDayStart(cst('2026-11-27 18:30'), DEFAULT_WORKING_TIME))).toBe('2026-11-30 09:00');
  });

  test('retries wait longer each time, at most an hour', () => {
    expect([1, 2, 3, 4, 20].map((n) => retryDelay(n, 'PT30S'))).toEqual([30_000, 60_000, 120_000, 240_000, 3_600_000]);
  });

  test('links lead to the web app when there is one, else to the API resource', () => {
    expect(linkFor({ taskId: 't1', flowId: 'f' }, { apiUrl: 'http://api.local/' })).toBe('http://api.local/tasks/t1');
    expect(linkFor({ flowId: 'training-follow-up:p1' }, { webAppUrl: 'https://baton.example.cn', apiUrl: 'http://x' })).toBe('https://baton.example.cn/flows/training-follow-up%3Ap1');
  });

  test('the next working moment of an instant inside working time is itself', () => {
    const wt: WorkingTimeSettings = { ...DEFAULT_WORKING_TIME, hours: ['08:30-17:30'] };
    expect(shown(nextWorkingMoment(cst('2026-11-30 08:30'), wt))).toBe('2026-11-30 08:30');
    expect(shown(nextWorkingMoment(cst('2026-11-30 17:30'), wt))).toBe('2026-12-01 08:30');
  });
});
