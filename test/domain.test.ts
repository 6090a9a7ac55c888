/** Pure domain rules: durations, chasing schedules, plan validation, approval chains, settings. */
import { nextChase, defaultDueAt, chasingPolicy, reminderTimes, type ChasingPolicy } from '../domain/chasing';
import { durationMs } from '../domain/durations';
import { cronProblem, recurrence } from '../domain/recurrence';
import { checklistFor, DEFAULT_HANDOVER, lastDayOf, startResignationRequest } from '../domain/handover';
import { renderNotification } from '../domain/notifications';
import { DEFAULT_CHASING, settingsFrom, withOverrides } from '../domain/settings';
import { taskDecision } from '../domain/tasks';
import { approvalChainFor, planContent, planDraftContent } from '../domain/trainingPlan';
import { analyseNeeds } from '../domain/needsAnalysis';
import { adjusted, objectivesFrom, startNeedsCycleRequest, unknownCompetencies } from '../domain/needsCycle';
import { meanOf, roundTo } from '../domain/figures';
import { planContent as samplePlan } from './support/fixtures';

describe('durationMs', () => {
  test.each([
    ['PT30S', 30_000],
    ['PT1.5S', 1_500],
    ['PT4H', 4 * 3600_000],
    ['P1DT2H30M', (26 * 60 + 30) * 60_000],
    ['P2W', 14 * 86_400_000],
  ])('%s is %d ms', (iso, ms) => expect(durationMs(iso)).toBe(ms));

  test.each(['', 'P', 'PT', '30S', 'P1M', 'P1Y', 'PT-5S', 'P1DT'])('%p is refused', (iso) => expect(() => durationMs(iso)).toThrow(RangeError));
});

describe('recurrence', () => {
  test('a cron expression is five fields, each within its range, as numbers, names, lists, ranges or steps', () => {
    for (const ok of ['0 1 1 */3 *', '0 9 15 1 *', '*/15 8-18 * * MON-FRI', '0 0 1,15 jan,jul 0', '30 23 31 12 7']) expect([ok, cronProblem(ok)]).toEqual([ok, undefined]);
    expect(cronProblem('every day')).toMatch(/five cron fields/);
    expect(cronProblem('60 9 * * *')).toMatch(/minute field "60"/);
    expect(cronProblem('0 24 * * *')).toMatch(/hour field "24"/);
    expect(cronProblem('0 9 0 * *')).toMatch(/day of month field "0"/);
    expect(cronProblem('0 9 1 13 *')).toMatch(/month field "13"/);
    expect(cronProblem('0 9 * * FUNDAY')).toMatch(/day of week field "FUNDAY"/);
    expect(cronProblem('0 9 5-1 * *')).toMatch(/day of month field "5-1"/);
    expect(cronProblem('0 9 */0 * *')).toMatch(/day of month field "\*\/0"/);
    expect(cronProblem('0 9 1-2-3 * *')).toMatch(/day of month/);
  });

  test('either a period or a cron, refused on the field that is wrong', () => {
    const issues = (r: unknown) => recurrence.safeParse(r).error?.issues.map((i) => i.path.join('.'));
    expect(issues({ cron: '0 9 1 */3 *' })).toBeUndefined();
    expect(issues({ cron: '99 9 1 * *' })).toEqual(['cron']);
    expect(issues({ every: 'P1M' })).toEqual(['every']);
    expect(issues({})).toEqual(['every']);
  });
});

describe('nextChase', () => {
  const policy: ChasingPolicy = { remindAfter: 'PT10S', remindEvery: 'PT5S', maxReminders: 3, escalateAfter: 'PT20S', escalateTo: ['manager', 'hr'] };
  const t0 = 1_000_000;

  test('reminders, then escalation level by level, at hand-worked times', () => {
    const steps = [];
    const done = { remindersSent: 0, escalationLevel: 0 };
    const task = { createdAt: t0, dueAt: defaultDueAt(policy, t0) };
    for (let step = nextChase(policy, task, done); step; step = nextChase(policy, task, done)) {
      steps.push(step.kind === 'remind' ? `remind#${step.reminder}@${(step.at - t0) / 1000}` : `escalate:${step.to}@${(step.at - t0) / 1000}`);
      if (step.kind === 'remind') done.remindersSent = step.reminder;
      else done.escalationLevel = step.level;
    }
    // due at 20 s (the first escalation); reminders at 10, 15, 20 s (first on the tie); escalations at 20 s and 40 s.
    expect(steps).toEqual(['remind#1@10', 'remind#2@15', 'remind#3@20', 'escalate:manager@20', 'escalate:hr@40']);
  });

  test('with remindBeforeDue: reminders before and at the due time, escalation once overdue, relative to the due time', () => {
    const item: ChasingPolicy = { remindAfter: 'PT1H', remindEvery: 'PT1H', maxReminders: 0, remindBeforeDue: 'PT30S', escalateAfter: 'PT60S', escalateTo: ['supervisor', 'hr'] };
    const task = { createdAt: t0, dueAt: t0 + 100_000 };
    const at = (done: { remindersSent: number; escalationLevel: number }) => {
      const s = nextChase(item, task, done)!;
      return `${s.kind}@${(s.at - t0) / 1000}${s.kind === 'escalate' ? `:${s.to}` : ''}`;
    };
    expect(at({ remindersSent: 0, escalationLevel: 0 })).toBe('remind@70');
    expect(at({ remindersSent: 1, escalationLevel: 0 })).toBe('remind@100');
    expect(at({ remindersSent: 2, escalationLevel: 0 })).toBe('escalate@100:supervisor');
    expect(at({ remindersSent: 2, escalationLevel: 1 })).toBe('escalate@160:hr');
    expect(nextChase(item, task, { remindersSent: 2, escalationLevel: 2 })).toBeUndefined();
    // Opened less than remindBeforeDue before it is due: no reminder the moment it opens, only at the due time.
    expect(reminderTimes(item, t0, t0 + 10_000)).toEqual([t0 + 10_000]);
  });

  test('nothing more once reminders and escalation levels are used up', () => {
    const task = { createdAt: t0, dueAt: defaultDueAt(policy, t0) };
    expect(nextChase(policy, task, { remindersSent: 3, escalationLevel: 2 })).toBeUndefined();
    expect(nextChase({ ...policy, maxReminders: 0, escalateTo: [] }, task, { remindersSent: 0, escalationLevel: 0 })).toBeUndefined();
  });

  test('a task is due when it first escalates; policy defaults fill in', () => {
    expect(defaultDueAt(policy, t0)).toBe(t0 + 20_000);
    expect(chasingPolicy.parse({ remindAfter: 'P1D', remindEvery: 'P1D', escalateAfter: 'P3D' })).toMatchObject({ maxReminders: 5, escalateTo: ['manager', 'hr'] });
    expect(chasingPolicy.safeParse({ remindAfter: '1 day', remindEvery: 'P1D', escalateAfter: 'P3D' }).success).toBe(false);
  });
});

describe('training plan rules', () => {
  test('the executive signs only strictly above the threshold', () => {
    expect(approvalChainFor(samplePlan(5_000_000), 5_000_000)).toEqual(['department_head', 'hr_director']);
    expect(approvalChainFor(samplePlan(5_000_001), 5_000_000)).toEqual(['department_head', 'hr_director', 'executive']);
  });

  const problems = (plan: unknown) => {
    const r = planContent.safeParse(plan);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  test('a complete consistent plan passes', () => expect(problems(samplePlan())).toEqual([]));

  test('budget lines must add up to the total', () => {
    const plan = samplePlan(100_000);
    plan.budget.totalFen = 100_001;
    expect(problems(plan)).toEqual(['budget.totalFen: the budget lines add up to 100000 fen, not the total of 100001 fen']);
  });

  test('sessions must lie inside the cycle (company time, UTC+8) and end after they start', () => {
    const plan = samplePlan();
    plan.sessions = [
      { title: 'last evening of the cycle', startsAt: '2027-03-31T20:00:00+08:00', endsAt: '2027-03-31T23:30:00+08:00' },
      { title: 'spills into April', startsAt: '2027-03-31T15:00:00Z', endsAt: '2027-03-31T17:00:00Z' },
      { title: 'backwards', startsAt: '2027-03-10T12:00:00+08:00', endsAt: '2027-03-10T09:00:00+08:00' },
    ];
    expect(problems(plan)).toEqual(['sessions.1: the session lies outside the cycle 2027-03-01 – 2027-03-31', 'sessions.2.endsAt: a session must end after it starts']);
  });

  test('at least one measurable target, real calendar dates, known methods', () => {
    const plan = samplePlan() as unknown as Record<string, any>;
    plan.objectives.targets = [];
    plan.cycle.startsOn = '2027-02-29';
    plan.methods = ['lecture'];
    expect(problems(plan)).toEqual([
      'objectives.targets: at least one measurable target is required',
      'methods.0: Invalid option: expected one of "classroom"|"online"|"workshop"|"simulation"|"role_play"',
      'cycle.startsOn: is not a calendar date',
    ]);
  });
});

describe('task decisions', () => {
  test('rejecting or requesting changes needs a comment', () => {
    expect(taskDecision.safeParse({ decision: 'approve' }).success).toBe(true);
    expect(taskDecision.safeParse({ decision: 'reject' }).success).toBe(false);
    expect(taskDecision.safeParse({ decision: 'request_changes', comment: '  ' }).success).toBe(false);
    expect(taskDecision.safeParse({ decision: 'request_changes', comment: 'add targets' }).success).toBe(true);
  });
});

describe('settings', () => {
  test('defaults when nothing is configured', () => {
    const s = settingsFrom({});
    expect(s.temporal).toEqual({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'baton' });
    expect(s.port).toBe(3000);
    expect(s.flows.chasing).toEqual(DEFAULT_CHASING);
    expect(s.flows.executiveThresholdFen).toBe(5_000_000);
  });

  test('per-deployment chasing overrides merge by task type; per-flow overrides win', () => {
    const s = settingsFrom({ CHASING_POLICIES: JSON.stringify({ plan_approval: { remindAfter: 'PT4H', remindEvery: 'PT4H', escalateAfter: 'P1D' } }), PLAN_EXECUTIVE_THRESHOLD_FEN: '100', JWT_SECRET: '' });
    expect(s.flows.chasing.plan_approval).toEqual({ remindAfter: 'PT4H', remindEvery: 'PT4H', maxReminders: 5, escalateAfter: 'P1D', escalateTo: ['manager', 'hr'] });
    expect(s.flows.chasing.plan_revision).toEqual(DEFAULT_CHASING.plan_revision);
    expect(withOverrides(s.flows, { executiveThresholdFen: 7 }).executiveThresholdFen).toBe(7);
    expect(s.flows.executiveThresholdFen).toBe(100);
  });

  test('bad configuration names every bad variable', () => {
    const bad = () => settingsFrom({ CHASING_POLICIES: '{oops', PORT: 'eighty', JWT_SECRET: 'short' });
    expect(bad).toThrow(/CHASING_POLICIES: must be JSON/);
    expect(bad).toThrow(/PORT: /);
    expect(bad).toThrow(/JWT_SECRET: must be at least 16 characters/);
    expect(() => settingsFrom({ CHASING_POLICIES: JSON.stringify({ plan_approval: { remindAfter: 'tomorrow' } }) })).toThrow(/CHASING_POLICIES/);
    expect(() => settingsFrom({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET: required in production/);
  });
});

describe('notifications', () => {
  test('render in the recipient’s locale, falling back to Chinese', () => {
    const params = { title: '审批培训计划', dueAt: '2027-03-01T09:00:00.000Z', reminder: '2' };
    expect(renderNotification('task_reminder', 'en', params).body).toBe('Task "审批培训计划" is still open (reminder 2); it is due 2027-03-01T09:00:00.000Z.');
    expect(renderNotification('task_reminder', 'zh-CN', params).subject).toBe('催办：审批培训计划');
    expect(renderNotification('task_reminder', 'fr', params)).toEqual(renderNotification('task_reminder', 'zh-CN', params));
    expect(renderNotification('plan_outcome', 'zh-CN', { title: 'T', outcome: 'changes_requested', comment: '补充目标' }).body).toBe('培训计划「T」需要修改。意见：补充目标');
  });
});

describe('handover rules', () => {
  const portfolio = [
    { id: 'a2', accountNo: 'AC-2', unit: '翠湖花园 1栋 101', ownerName: '张三', arrearsFen: 123_456, promisedPaymentOn: '2027-02-01' },
    { id: 'a1', accountNo: 'AC-1', unit: '翠湖花园 1栋 102', ownerName: '李四', arrearsFen: 50_000, promisedPaymentOn: null },
  ];
  const lastDay = lastDayOf('2027-02-26');

  test('the last working day runs 09:00–18:00 China time', () => {
    expect(lastDay).toEqual({ lastDayStartsAt: '2027-02-26T01:00:00.000Z', departsAt: '2027-02-26T10:00:00.000Z' });
  });

  test('a collector’s checklist has a line per account, in account order, and access and assets due on the last day', () => {
    const lines = checklistFor(portfolio, { lastDayStartsAt: lastDay.lastDayStartsAt, lead: 'P2D' }, 7);
    expect(lines.map((l) => [l.itemNo, l.category, l.accountId ?? '', l.dueAt])).toEqual([
      [7, 'work_content', '', '2027-02-24T01:00:00.000Z'],
      [8, 'open_cases', '', '2027-02-24T01:00:00.000Z'],
      [9, 'payment_plans', '', '2027-02-24T01:00:00.000Z'],
      [10, 'account', 'a1', '2027-02-24T01:00:00.000Z'],
      [11, 'account', 'a2', '2027-02-24T01:00:00.000Z'],
      [12, 'documents', '', '2027-02-24T01:00:00.000Z'],
      [13, 'system_access', '', '2027-02-26T01:00:00.000Z'],
      [14, 'assets', '', '2027-02-26T01:00:00.000Z'],
    ]);
    expect(lines[4]!.title).toBe('欠费账户 AC-2 · 翠湖花园 1栋 101 · 张三 · ¥1,234.56');
    expect(lines[2]!.title).toContain('1 promised payments');
  });

  test('someone without a portfolio hands over work, documents, access and assets', () => {
    expect(checklistFor([], { lastDayStartsAt: lastDay.lastDayStartsAt, lead: 'P2D' }).map((l) => l.category)).toEqual(['work_content', 'documents', 'system_access', 'assets']);
  });

  test('a resignation needs a last day on or after its date and three different people', () => {
    const base = { employeeId: 'e1', resignationDate: '2027-01-04', lastWorkingDay: '2027-02-26', reason: 'r' };
    expect(startResignationRequest.safeParse(base).success).toBe(true);
    expect(startResignationRequest.safeParse({ ...base, lastWorkingDay: '2027-01-03' }).success).toBe(false);
    expect(startResignationRequest.safeParse({ ...base, successorId: 's', supervisorId: 's' }).success).toBe(false);
    expect(settingsFrom({ HANDOVER_SETTINGS: '{"minMentoringSessions": 6}' }).flows.handover).toEqual({ ...DEFAULT_HANDOVER, minMentoringSessions: 6 });
    expect(() => settingsFrom({ HANDOVER_SETTINGS: '{"checklistLead": "2 days"}' })).toThrow(/HANDOVER_SETTINGS/);
  });
});

describe('needs cycle rules', () => {
  const comps = [
    { key: 'negotiation', name: 'Negotiation', requiredLevel: 4 },
    { key: 'systems', name: 'Systems', requiredLevel: 3 },
  ];
  const input = { competencies: comps, participants: ['p1', 'p2'], selfRatings: {}, observations: { p1: { negotiation: 2, systems: 2 }, p2: { negotiation: 3 } } };

  test('HR adjustments apply in order: levels changed, competencies left out', () => {
    const once = adjusted(input, [{ requiredLevels: { systems: 5 }, excluded: [] }]);
    expect(once.competencies).toEqual([comps[0], { ...comps[1], requiredLevel: 5 }]);
    const twice = adjusted(input, [{ requiredLevels: { systems: 5 }, excluded: [] }, { requiredLevels: { negotiation: 5 }, excluded: ['systems'] }]);
    expect(twice.competencies).toEqual([{ ...comps[0], requiredLevel: 5 }]);
    expect(unknownCompetencies(comps, { negotiation: 1, cooking: 2 })).toEqual(['cooking']);
    expect(unknownCompetencies(comps, ['systems'])).toEqual([]);
  });

  test('a confirmed assessment seeds one measurable target per ranked need', () => {
    // negotiation: mean 2.5, gap 1.5, 2 affected → priority 3; systems: mean 2, gap 1, 1 affected → 1.
    const objectives = objectivesFrom('2027 调研', analyseNeeds(input));
    expect(objectives.targets).toEqual([
      { description: 'Negotiation: from 2.5 to 4 (2 affected, gap 1.5)', metric: 'negotiation_observed_level', target: 4 },
      { description: 'Systems: from 2 to 3 (1 affected, gap 1)', metric: 'systems_observed_level', target: 3 },
    ]);
    expect(planDraftContent.safeParse({ objectives }).success).toBe(true);
  });

  test('a cycle needs distinct participants and competency keys', () => {
    const base = { name: 'n', departmentId: 'd', participantIds: ['a', 'b'], competencies: comps, surveyDeadline: '2027-03-01T09:00:00+08:00' };
    expect(startNeedsCycleRequest.safeParse(base).success).toBe(true);
    expect(startNeedsCycleRequest.safeParse({ ...base, participantIds: ['a', 'a'] }).success).toBe(false);
    expect(startNeedsCycleRequest.safeParse({ ...base, competencies: [comps[0], comps[0]] }).success).toBe(false);
    expect(settingsFrom({ NEEDS_SETTINGS: '{"minResponseRate": 0.5}' }).flows.needs).toEqual({ minResponseRate: 0.5, surveyExtension: 'P3D', historyLimit: 5000 });
  });
});

describe('figures', () => {
  test('meanOf: nothing to average is null, not 0; digits round half up; no digits leaves the mean whole', () => {
    expect(meanOf([])).toBeNull();
    expect(meanOf([], 2)).toBeNull();
    expect(meanOf([1, 2])).toBe(1.5);
    expect(meanOf([1, 2, 2], 2)).toBe(1.67);
    expect(meanOf([1, 2, 2], 1)).toBe(1.7);
    expect(meanOf([3, 4], 0)).toBe(4);
    expect(roundTo(2 / 3, 3)).toBe(0.667);
  });
});
