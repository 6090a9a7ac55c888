/**
 * Early warning's scoring and imports as pure functions, against a table worked out by hand on the
 * default rule set (collection rate < 60% → 30, contacts < 200 → 10, complaints ≥ 2 → 20, absences
 * ≥ 1 → 20, late ≥ 2 → 10, a failed test → 15, coaching → 10, a flag → 40, two or more of the team
 * left for the same cause within 180 days → 30, a hire's latest onboarding pulse rating anything 2 or
 * less → 20; medium from 30, high from 60).
 */
import {
  assessRisk,
  teamExitsOf,
  lowestOfPulse,
  checkPerformanceRows,
  DEFAULT_RISK_RULES,
  LEAVING_CAUSES,
  parsePerformanceCsv,
  riskRules,
  stayInterviewRequest,
  type RiskIndicators,
} from '../domain/risk';

const none: RiskIndicators = { absences: 0, lateSessions: 0, knowledgeFailed: 0, inCoaching: false, flags: [] };
const figures = (collectionRate: number, contacts: number, complaints: number) => ({ performance: { month: '2026-11', collectionRate, contacts, complaints } });

test.each([
  ['nothing known', none, 0, 'low', []],
  ['good figures', { ...none, ...figures(85, 320, 0) }, 0, 'low', []],
  ['rate just at the bar (60 is not below 60)', { ...none, ...figures(60, 200, 1) }, 0, 'low', []],
  ['low rate alone: medium', { ...none, ...figures(59.5, 250, 0) }, 30, 'medium', ['collection_rate_low']],
  ['low rate, few contacts, complaints: high', { ...none, ...figures(45, 120, 3) }, 60, 'high', ['collection_rate_low', 'contacts_low', 'complaints_high']],
  ['one absence and one late: only the absence counts', { ...none, absences: 1, lateSessions: 1 }, 20, 'low', ['absences']],
  ['absence, two late, failed test: medium', { ...none, absences: 1, lateSessions: 2, knowledgeFailed: 1 }, 45, 'medium', ['absences', 'lateness', 'knowledge_failed']],
  ['a flag and coaching: medium', { ...none, inCoaching: true, flags: ['说要回老家'] }, 50, 'medium', ['coaching', 'manager_flag']],
  ['a flag and a low rate: high', { ...none, ...figures(50, 300, 0), flags: ['对薪资不满'] }, 70, 'high', ['collection_rate_low', 'manager_flag']],
  ['one of the team left for pay: no pattern yet', { ...none, teamExits: { cause: 'pay' as const, leavers: 1 } }, 0, 'low', []],
  ['two of the team left for pay: medium', { ...none, teamExits: { cause: 'pay' as const, leavers: 2 } }, 30, 'medium', ['same_cause_exits']],
  ['three left for their career, and a flag: high', { ...none, flags: ['也想走'], teamExits: { cause: 'career' as const, leavers: 3 } }, 70, 'high', ['manager_flag', 'same_cause_exits']],
  ['a hire rated their support 2 at the first pulse', { ...none, pulse: { checkpoint: 1, lowest: 'support' as const, value: 2 } }, 20, 'low', ['low_pulse']],
  ['a pulse whose lowest answer is 3 is not low', { ...none, pulse: { checkpoint: 2, lowest: 'belonging' as const, value: 3 } }, 0, 'low', []],
  ['a low pulse and a failed test: medium', { ...none, knowledgeFailed: 1, pulse: { checkpoint: 3, lowest: 'confidence' as const, value: 1 } }, 35, 'medium', ['knowledge_failed', 'low_pulse']],
])('%s', (_name, indicators, score, level, keys) => {
  const result = assessRisk(DEFAULT_RISK_RULES, indicators);
  expect([result.score, result.level, result.reasons.map((r) => r.key)]).toEqual([score, level, keys]);
});

test('reasons say why in both languages, with the figures', () => {
  const { reasons } = assessRisk(DEFAULT_RISK_RULES, { ...none, ...figures(45, 120, 3), flags: ['对薪资不满', '旧的'] });
  expect(reasons[0]).toEqual({
    key: 'collection_rate_low',
    params: { month: '2026-11', value: 45, threshold: 60 },
    points: 30,
    text: { 'zh-CN': '2026-11 回款率 45%，低于 60%', en: 'collection rate 45% in 2026-11, below 60%' },
  });
  expect(reasons.at(-1)!.text.en).toBe('flagged by the manager: 对薪资不满');
});

test('other weights and thresholds give other levels; a rule set whose high is not above medium is refused', () => {
  const strict = { ...DEFAULT_RISK_RULES, collectionRate: { weight: 60, below: 80 } };
  expect(assessRisk(strict, { ...none, ...figures(70, 300, 0) })).toMatchObject({ score: 60, level: 'high' });
  const bad = riskRules.safeParse({ ...DEFAULT_RISK_RULES, mediumFrom: 60, highFrom: 60 });
  expect(bad.success).toBe(false);
  expect(bad.error!.issues[0]!.path).toEqual(['highFrom']);
});

test('a CSV is read by its header; every bad line is named with its field', () => {
  const csv = '\uFEFFemployeeNo,contacts,collectionRate,complaints\r\nE001,300,"72.5",0\n\nE002,abc,50,1\nE003,10,150,1\nE001,1,1,1\nE004,1\n';
  const { rows, problems } = parsePerformanceCsv(csv);
  expect(problems).toEqual([{ line: 7, field: '*', message: '2 values for 4 columns' }]);
  const checked = checkPerformanceRows(rows);
  expect(checked.rows).toEqual([{ line: 2, employeeNo: 'E001', collectionRate: 72.5, contacts: 300, complaints: 0 }]);
  expect(checked.problems.map((p) => [p.line, p.field])).toEqual([[4, 'contacts'], [5, 'collectionRate'], [6, 'employeeNo']]);
  expect(parsePerformanceCsv('employeeNo,rate\nE001,1').problems).toEqual([{ line: 1, field: 'collectionRate', message: expect.stringMatching(/header/) }]);
});

test('a stay interview names causes from the fixed list and agreed actions', () => {
  expect(LEAVING_CAUSES).toEqual(['pay', 'workload', 'career', 'relations', 'management', 'family', 'other']);
  const bad = stayInterviewRequest.safeParse({ heldOn: '2026-12-01', causes: ['boredom'], notes: 'x', actions: [] });
  expect(bad.error!.issues.map((i) => i.path[0])).toEqual(['causes', 'actions']);
});

test('the team’s exits weigh the cause most leavers named, the list’s order breaking a tie', () => {
  expect(teamExitsOf([])).toBeUndefined();
  expect(teamExitsOf([['family'], ['pay', 'family'], ['pay']])).toEqual({ cause: 'pay', leavers: 2 });
  expect(teamExitsOf([['family'], ['career']])).toEqual({ cause: 'career', leavers: 1 });
  const { reasons } = assessRisk(DEFAULT_RISK_RULES, { ...none, teamExits: { cause: 'pay', leavers: 2 } });
  expect(reasons[0]!.text).toEqual({ 'zh-CN': '近 180 天团队有 2 人因薪酬离职', en: '2 of the team left for pay within 180 days' });
});

test('a pulse is judged by its lowest measure (the first on a tie; workload is not a measure of staying); a rule set from before the rule has it at weight 0', () => {
  expect(lowestOfPulse({ checkpoint: 2, support: 3, confidence: 2, belonging: 2 })).toEqual({ checkpoint: 2, lowest: 'confidence', value: 2 });
  expect(lowestOfPulse({ checkpoint: 1, support: 5, confidence: 4, belonging: 4 })).toEqual({ checkpoint: 1, lowest: 'confidence', value: 4 });
  const { lowPulse: _new, ...before } = DEFAULT_RISK_RULES;
  const parsed = riskRules.parse(before);
  expect(parsed.lowPulse).toEqual({ weight: 0, atMost: 2 });
  expect(assessRisk(parsed, { ...none, pulse: { checkpoint: 1, lowest: 'support', value: 1 } }).reasons).toEqual([]);
});
