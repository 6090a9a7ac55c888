/** Onboarding's pure rules: the drills' rubric, how late a registration may be, when steps count from. */
import { DEFAULT_ONBOARDING, drillResult, dueBase, probationRequest, registerOnboardingRequest, startDateProblem, startOfDay } from '../domain/onboarding';
import { DEFAULT_CHASING, settingsFrom } from '../domain/settings';

const criteria = DEFAULT_ONBOARDING.drillCriteria;

test('a drill passes when the mean of every criterion reaches the mark; a missing or unknown criterion is named', () => {
  expect(drillResult(criteria, { opening: 3, law: 4, objection: 2, promise: 3 }, 3)).toEqual({ mean: 3, passed: true });
  expect(drillResult(criteria, { opening: 3, law: 2, objection: 2, promise: 3 }, 3)).toEqual({ mean: 2.5, passed: false });
  expect(drillResult(criteria, { opening: 3, law: 2, tone: 5 }, 3).problem).toBe('scores: missing objection, promise; not in the rubric: tone');
});

test('a start date may be up to a week past; steps count from it, or from a late registration', () => {
  const now = Date.parse('2026-12-07T10:00:00+08:00');
  expect(startDateProblem('2026-11-30', now)).toBeUndefined();
  expect(startDateProblem('2026-11-28', now)).toMatch(/^startDate: more than a week/);
  expect(dueBase('2026-12-14', now)).toBe(startOfDay('2026-12-14'));
  expect(dueBase('2026-12-01', now)).toBe(now);
});

test('registration names either a new person or a former employee; a reassignment names where to', () => {
  const base = { departmentId: 'd', managerId: 'm', trainerId: 't', startDate: '2026-12-14' };
  expect(registerOnboardingRequest.safeParse(base).error?.issues[0]?.path).toEqual(['person']);
  expect(registerOnboardingRequest.safeParse({ ...base, employeeId: 'e', documentIds: ['a', 'a'] }).error?.issues[0]?.path).toEqual(['documentIds']);
  expect(registerOnboardingRequest.safeParse({ ...base, person: { employeeNo: 'BT100', name: '新人', email: 'new@example.com' } }).success).toBe(true);
  expect(probationRequest.safeParse({ decision: 'reassign', reason: 'x' }).error?.issues[0]?.path).toEqual(['departmentId']);
  expect(probationRequest.safeParse({ decision: 'end', reason: 'x', extendBy: 'P30D' }).error?.issues[0]?.path).toEqual(['extendBy']);
});

test('ONBOARDING_SETTINGS overrides the defaults; every onboarding task type has a policy', () => {
  const flows = settingsFrom({ ONBOARDING_SETTINGS: JSON.stringify({ passMark: 70, coachingMinimum: 2 }) }).flows;
  expect(flows.onboarding).toMatchObject({ passMark: 70, coachingMinimum: 2, drillPassMark: DEFAULT_ONBOARDING.drillPassMark });
  expect(() => settingsFrom({ ONBOARDING_SETTINGS: JSON.stringify({ passMark: 170 }) })).toThrow(/ONBOARDING_SETTINGS/);
  expect(Object.keys(DEFAULT_CHASING).filter((t) => t.startsWith('onboarding_'))).toHaveLength(11);
});
