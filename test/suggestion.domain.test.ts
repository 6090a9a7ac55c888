/**
 * Suggestions' response-time statistics as pure functions, against figures worked out by hand on
 * the default working time (09:00–12:00 and 13:30–18:00 China time, 7.5 hours a day).
 */
import { quantile, suggestionAnswerRequest, suggestionRequest, suggestionStats, type SuggestionCase } from '../domain/suggestion';
import { DEFAULT_WORKING_TIME, workingTimeBetween } from '../domain/workingTime';

const at = (local: string) => Date.parse(`${local}+08:00`);
const HOUR = 3_600_000;

test('working time between two moments counts only working periods of working days', () => {
  // Friday 16:00 to Monday 09:30: two hours on Friday, half an hour on Monday.
  expect(workingTimeBetween(at('2026-10-30T16:00:00'), at('2026-11-02T09:30:00'), DEFAULT_WORKING_TIME)).toBe(2.5 * HOUR);
  // From the lunch break: only what falls after 13:30.
  expect(workingTimeBetween(at('2026-11-02T12:30:00'), at('2026-11-02T13:45:00'), DEFAULT_WORKING_TIME)).toBe(0.25 * HOUR);
  // Over the National Day holiday (1–7 October): 30 September 17:00 to Friday 9 October 10:00 is an
  // hour on the 30th, Thursday the 8th whole (7.5 h) and an hour on the 9th.
  expect(workingTimeBetween(at('2026-09-30T17:00:00'), at('2026-10-09T10:00:00'), DEFAULT_WORKING_TIME)).toBe(9.5 * HOUR);
  expect(workingTimeBetween(at('2026-11-02T10:00:00'), at('2026-11-02T09:00:00'), DEFAULT_WORKING_TIME)).toBe(0);
});

test('quantiles interpolate between the nearest ranks', () => {
  expect(quantile([], 0.5)).toBeNull();
  expect(quantile([3], 0.9)).toBe(3);
  expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
  expect(quantile([0, 10], 0.9)).toBe(9);
});

test('response times by department and month: median and p90 working hours, on time, overdue', () => {
  const now = at('2026-11-10T12:00:00');
  const cases: SuggestionCase[] = [
    // A, answered in 2 h, on time.
    { departmentId: 'A', submittedAt: at('2026-11-02T09:00:00'), dueAt: at('2026-11-09T09:00:00'), answeredAt: at('2026-11-02T11:00:00') },
    // A, 17:00 to the next day 14:30: 1 + 3 + 1 = 5 h, after its due time.
    { departmentId: 'A', submittedAt: at('2026-11-02T17:00:00'), dueAt: at('2026-11-03T09:00:00'), answeredAt: at('2026-11-03T14:30:00') },
    // A, over the weekend: 2.5 h, on time; submitted in October.
    { departmentId: 'A', submittedAt: at('2026-10-30T16:00:00'), dueAt: at('2026-11-06T16:00:00'), answeredAt: at('2026-11-02T09:30:00') },
    // A, unanswered past its due time.
    { departmentId: 'A', submittedAt: at('2026-11-02T10:00:00'), dueAt: at('2026-11-03T10:00:00'), answeredAt: null },
    // B, from the lunch break: 0.25 h, on time.
    { departmentId: 'B', submittedAt: at('2026-11-02T12:30:00'), dueAt: at('2026-11-09T12:30:00'), answeredAt: at('2026-11-02T13:45:00') },
    // B, unanswered, not due yet; Sunday 1 November 07:00 in China is still 31 October in UTC.
    { departmentId: 'B', submittedAt: at('2026-11-01T07:00:00'), dueAt: at('2026-11-20T09:00:00'), answeredAt: null },
  ];
  expect(suggestionStats(cases, DEFAULT_WORKING_TIME, now)).toEqual({
    // Hours 0.25, 2, 2.5, 5: median (2 + 2.5) / 2; p90 at rank 2.7: 2.5 + 0.7 × 2.5. On time 3 of 5 due.
    overall: { submitted: 6, answered: 4, overdue: 1, medianHours: 2.25, p90Hours: 4.25, onTimeShare: 0.6 },
    byDepartment: {
      // Hours 2, 2.5, 5: p90 at rank 1.8: 2.5 + 0.8 × 2.5. On time 2 of 4 due.
      A: { submitted: 4, answered: 3, overdue: 1, medianHours: 2.5, p90Hours: 4.5, onTimeShare: 0.5 },
      B: { submitted: 2, answered: 1, overdue: 0, medianHours: 0.25, p90Hours: 0.25, onTimeShare: 1 },
    },
    byMonth: {
      '2026-10': { submitted: 1, answered: 1, overdue: 0, medianHours: 2.5, p90Hours: 2.5, onTimeShare: 1 },
      // Hours 0.25, 2, 5: p90 at rank 1.8: 2 + 0.8 × 3. On time 2 of 4 due.
      '2026-11': { submitted: 5, answered: 3, overdue: 1, medianHours: 2, p90Hours: 4.4, onTimeShare: 0.5 },
    },
  });
  expect(suggestionStats([], DEFAULT_WORKING_TIME, now).overall).toEqual({ submitted: 0, answered: 0, overdue: 0, medianHours: null, p90Hours: null, onTimeShare: null });
});

test('requests: a department and a category are required; an action is planned only for an accepted suggestion', () => {
  expect(suggestionRequest.safeParse({ title: 'x', body: 'y', departmentId: 'dept-collection', category: 'process' }).data?.anonymous).toBe(false);
  expect(suggestionRequest.safeParse({ title: 'x', body: 'y', category: 'salary' }).error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['category', 'departmentId']);
  expect(suggestionAnswerRequest.safeParse({ answer: 'no', accepted: false, actionPlanned: 'x' }).error?.issues[0]?.path).toEqual(['actionPlanned']);
  expect(suggestionAnswerRequest.safeParse({ answer: 'yes', accepted: true, actionPlanned: 'x' }).success).toBe(true);
});
