/**
 * The analysis step of a training needs cycle, on hand-worked numbers. Every figure below is
 * worked out in the comments first; the code must agree with the arithmetic, not the other way.
 */
import { analyseNeeds, needsAnalysisResult, roundRatio, type Competency, type NeedsAnalysis, type NeedsAnalysisInput } from '../domain/needsAnalysis';

/** Runs the analysis and checks the result against its own published schema. */
function analyse(input: NeedsAnalysisInput, topIndividuals?: number): NeedsAnalysis {
  const result = analyseNeeds(input, topIndividuals);
  expect(needsAnalysisResult.parse(result)).toEqual(result);
  return result;
}

const byKey = (result: NeedsAnalysis, key: string) => {
  const found = result.competencies.find((c) => c.key === key);
  if (!found) throw new Error(`no competency ${key}`);
  return found;
};

describe('a normal cycle: 3 collectors × 3 competencies', () => {
  const competencies: Competency[] = [
    { key: 'phone_etiquette', name: '电话礼仪', requiredLevel: 4 },
    { key: 'negotiation', name: '协商技巧', requiredLevel: 3 },
    { key: 'debt_law', name: '催收法规', requiredLevel: 3 },
  ];
  const participants = ['emp-zhang', 'emp-li', 'emp-wang'];
  const observations = {
    'emp-zhang': { phone_etiquette: 2, negotiation: 3, debt_law: 2 },
    'emp-li': { phone_etiquette: 3, negotiation: 1, debt_law: 3 },
    'emp-wang': { phone_etiquette: 3, negotiation: 1, debt_law: 2 },
  };
  const selfRatings = {
    'emp-zhang': { phone_etiquette: 3, negotiation: 4, debt_law: 3 },
    'emp-li': { phone_etiquette: 4, negotiation: 2, debt_law: 3 },
    'emp-wang': { phone_etiquette: 5, negotiation: 2, debt_law: 2 },
  };
  const result = analyse({ competencies, participants, selfRatings, observations });

  test('per competency: means, gaps, people affected, priorities', () => {
    // phone_etiquette (required 4): observed 2, 3, 3 → sum 8, mean 8/3 = 2.666… → 2.67;
    //   gap 4 − 8/3 = 4/3 = 1.333… → 1.33; below 4: all three → 3; priority 4/3 × 3 = 4.00.
    //   self 3, 4, 5 → 12/3 = 4.00.
    // negotiation (required 3): observed 3, 1, 1 → sum 5, mean 5/3 → 1.67; gap 3 − 5/3 = 4/3 → 1.33;
    //   below 3: li, wang → 2; priority 4/3 × 2 = 8/3 = 2.666… → 2.67. self 4, 2, 2 → 8/3 → 2.67.
    // debt_law (required 3): observed 2, 3, 2 → sum 7, mean 7/3 → 2.33; gap 3 − 7/3 = 2/3 → 0.67;
    //   below 3: zhang, wang → 2; priority 2/3 × 2 = 4/3 → 1.33. self 3, 3, 2 → 8/3 → 2.67.
    expect(result.competencies).toEqual([
      { key: 'phone_etiquette', name: '电话礼仪', requiredLevel: 4, observedMean: 2.67, selfMean: 4, observedCount: 3, selfCount: 3, gap: 1.33, peopleAffected: 3, priority: 4, unrated: false, wantedBy: 0 },
      { key: 'negotiation', name: '协商技巧', requiredLevel: 3, observedMean: 1.67, selfMean: 2.67, observedCount: 3, selfCount: 3, gap: 1.33, peopleAffected: 2, priority: 2.67, unrated: false, wantedBy: 0 },
      { key: 'debt_law', name: '催收法规', requiredLevel: 3, observedMean: 2.33, selfMean: 2.67, observedCount: 3, selfCount: 3, gap: 0.67, peopleAffected: 2, priority: 1.33, unrated: false, wantedBy: 0 },
    ]);
  });

  test('needs ranked by gap × people affected', () => {
    // priorities 4.00 > 2.67 > 1.33: no ties, ranks 1, 2, 3.
    expect(result.rankedNeeds).toEqual([
      { rank: 1, key: 'phone_etiquette', name: '电话礼仪', gap: 1.33, peopleAffected: 3, priority: 4, wantedBy: 0 },
      { rank: 2, key: 'negotiation', name: '协商技巧', gap: 1.33, peopleAffected: 2, priority: 2.67, wantedBy: 0 },
      { rank: 3, key: 'debt_law', name: '催收法规', gap: 0.67, peopleAffected: 2, priority: 1.33, wantedBy: 0 },
    ]);
  });

  test('individuals with the largest gaps first, then by total gap, then by id', () => {
    // zhang: phone 4−2 = 2, negotiation 3−3 = 0 (not a need), debt_law 3−2 = 1 → largest 2, total 3
    // li:    phone 4−3 = 1, negotiation 3−1 = 2, debt_law 3−3 = 0            → largest 2, total 3
    // wang:  phone 4−3 = 1, negotiation 3−1 = 2, debt_law 3−2 = 1            → largest 2, total 4
    // All share largest 2; wang's total 4 beats 3; li and zhang tie on both → id: "emp-li" < "emp-zhang".
    // Within a person: gap desc, then key ("debt_law" < "phone_etiquette").
    expect(result.individuals).toEqual([
      { participantId: 'emp-wang', largestGap: 2, totalGap: 4, competencies: [{ key: 'negotiation', gap: 2 }, { key: 'debt_law', gap: 1 }, { key: 'phone_etiquette', gap: 1 }] },
      { participantId: 'emp-li', largestGap: 2, totalGap: 3, competencies: [{ key: 'negotiation', gap: 2 }, { key: 'phone_etiquette', gap: 1 }] },
      { participantId: 'emp-zhang', largestGap: 2, totalGap: 3, competencies: [{ key: 'phone_etiquette', gap: 2 }, { key: 'debt_law', gap: 1 }] },
    ]);
  });

  test('everybody answered and was observed', () => {
    expect(result.unratedCompetencies).toEqual([]);
    expect(result.responseRate).toEqual({ surveys: 1, observations: 1 });
  });
});

describe('ties in the ranking', () => {
  // Two collectors, each competency observed for both unless said otherwise.
  const competencies: Competency[] = [
    { key: 'negotiation', name: '协商技巧', requiredLevel: 3 },
    { key: 'site_visits', name: '上门催收', requiredLevel: 5 },
    { key: 'phone_scripts', name: '电话话术', requiredLevel: 4 },
    { key: 'receipts', name: '票据管理', requiredLevel: 3 },
    { key: 'debt_law', name: '催收法规', requiredLevel: 4 },
  ];
  const observations = {
    p1: { negotiation: 2, site_visits: 1, phone_scripts: 3, receipts: 2, debt_law: 3 },
    p2: { negotiation: 2, site_visits: 5, phone_scripts: 3, receipts: 3, debt_law: 3 },
  };
  const result = analyse({ competencies, participants: ['p1', 'p2'], selfRatings: {}, observations });

  test('same priority, different gap: the larger gap first', () => {
    // site_visits (5):   1, 5 → mean 3, gap 2, affected 1 (p1) → priority 2 × 1 = 2
    // negotiation (3):   2, 2 → mean 2, gap 1, affected 2      → priority 1 × 2 = 2
    // Both priority 2: site_visits' gap 2 beats gap 1, so it ranks alone at 1.
    expect(result.rankedNeeds[0]).toEqual({ rank: 1, key: 'site_visits', name: '上门催收', gap: 2, peopleAffected: 1, priority: 2, wantedBy: 0 });
  });

  test('same priority and same gap: a shared rank, listed by key; the next rank skips (1, 2, 2, 2, 5)', () => {
    // negotiation (3):   2, 2 → gap 1, affected 2 → priority 2
    // phone_scripts (4): 3, 3 → gap 1, affected 2 → priority 2
    // debt_law (4):      3, 3 → gap 1, affected 2 → priority 2
    // receipts (3):      2, 3 → mean 2.5, gap 0.5, affected 1 → priority 0.5
    // Key order among the three equals: debt_law < negotiation < phone_scripts (not input order).
    expect(result.rankedNeeds.map((n) => [n.rank, n.key, n.gap, n.priority])).toEqual([
      [1, 'site_visits', 2, 2],
      [2, 'debt_law', 1, 2],
      [2, 'negotiation', 1, 2],
      [2, 'phone_scripts', 1, 2],
      [5, 'receipts', 0.5, 0.5],
    ]);
  });

  test('career plans: who wants each skill is counted once per participant; among equals the more wanted comes first, the rank still shared', () => {
    const careerWants = { p1: ['phone_scripts', 'leadership', 'phone_scripts'], p2: ['phone_scripts', 'leadership', 'mediation'], outsider: ['debt_law'] };
    const wanted = analyse({ competencies, participants: ['p1', 'p2'], selfRatings: {}, observations, careerWants });
    expect(wanted.rankedNeeds.map((n) => [n.rank, n.key, n.wantedBy])).toEqual([
      [1, 'site_visits', 0],
      [2, 'phone_scripts', 2],
      [2, 'debt_law', 0],
      [2, 'negotiation', 0],
      [5, 'receipts', 0],
    ]);
    expect(wanted.competencies.map((c) => c.wantedBy)).toEqual([0, 0, 2, 0, 0]);
    // Skills the cycle does not assess: most wanted first, then by key.
    expect(wanted.wantedOutsideCycle).toEqual([
      { key: 'leadership', wantedBy: 2 },
      { key: 'mediation', wantedBy: 1 },
    ]);
  });
});

describe('missing answers', () => {
  const competencies: Competency[] = [
    { key: 'phone_etiquette', name: '电话礼仪', requiredLevel: 4 },
    { key: 'debt_law', name: '催收法规', requiredLevel: 3 },
  ];
  // p2's manager skipped debt_law; p3 was not observed at all (an empty entry counts as none);
  // p2 returned an empty survey; p4 has no entry anywhere.
  const input: NeedsAnalysisInput = {
    competencies,
    participants: ['p1', 'p2', 'p3', 'p4'],
    observations: { p1: { phone_etiquette: 2, debt_law: 1 }, p2: { phone_etiquette: 3 }, p3: {} },
    selfRatings: { p1: { phone_etiquette: 3, debt_law: 2 }, p2: {}, p3: { phone_etiquette: 4 } },
  };
  const result = analyse(input);

  test('means are over those observed only, never counting a missing answer as 0', () => {
    // phone_etiquette (4): observed p1 2, p2 3 → n 2, mean 5/2 = 2.5 (not 5/4 = 1.25);
    //   gap 4 − 2.5 = 1.5; affected 2; priority 1.5 × 2 = 3. self p1 3, p3 4 → 7/2 = 3.5.
    // debt_law (3): observed p1 1 only → n 1, mean 1; gap 2; affected 1; priority 2. self p1 2 → 2.
    expect(byKey(result, 'phone_etiquette')).toMatchObject({ observedCount: 2, observedMean: 2.5, selfCount: 2, selfMean: 3.5, gap: 1.5, peopleAffected: 2, priority: 3 });
    expect(byKey(result, 'debt_law')).toMatchObject({ observedCount: 1, observedMean: 1, selfCount: 1, selfMean: 2, gap: 2, peopleAffected: 1, priority: 2, unrated: false, wantedBy: 0 });
    // 3 > 2: phone_etiquette first.
    expect(result.rankedNeeds.map((n) => [n.rank, n.key])).toEqual([[1, 'phone_etiquette'], [2, 'debt_law']]);
  });

  test('the unobserved have no individual needs', () => {
    // p1: phone 4−2 = 2, debt_law 3−1 = 2 → largest 2, total 4 (equal gaps listed by key);
    // p2: phone 4−3 = 1 → largest 1, total 1; p3 and p4: nothing observed, not listed.
    expect(result.individuals).toEqual([
      { participantId: 'p1', largestGap: 2, totalGap: 4, competencies: [{ key: 'debt_law', gap: 2 }, { key: 'phone_etiquette', gap: 2 }] },
      { participantId: 'p2', largestGap: 1, totalGap: 1, competencies: [{ key: 'phone_etiquette', gap: 1 }] },
    ]);
  });

  test('response rates count people with at least one answer', () => {
    // surveys: p1 and p3 answered something; p2's survey is empty, p4 absent → 2/4 = 0.5.
    // observations: p1 and p2 were observed on something → 2/4 = 0.5.
    expect(result.responseRate).toEqual({ surveys: 0.5, observations: 0.5 });
    // Without p4: 2/3 = 0.666 66… → 0.6667 (rates keep 4 decimals: 66.67 %).
    expect(analyse({ ...input, participants: ['p1', 'p2', 'p3'] }).responseRate).toEqual({ surveys: 0.6667, observations: 0.6667 });
  });
});

describe('a competency nobody was observed on', () => {
  const result = analyse({
    competencies: [
      { key: 'negotiation', name: '协商技巧', requiredLevel: 3 },
      { key: 'mediation', name: '纠纷调解', requiredLevel: 4 },
    ],
    participants: ['p1', 'p2'],
    // Self-ratings alone do not make a gap: the managers' observations do.
    selfRatings: { p1: { mediation: 2 }, p2: { mediation: 3 } },
    observations: { p1: { negotiation: 1 }, p2: { negotiation: 2 } },
  });

  test('has no gap or priority, is flagged unrated and is not ranked', () => {
    // mediation: no observation → mean, gap and priority null; self (2 + 3)/2 = 2.5.
    expect(byKey(result, 'mediation')).toEqual({
      key: 'mediation', name: '纠纷调解', requiredLevel: 4, observedMean: null, selfMean: 2.5, observedCount: 0, selfCount: 2,
      gap: null, peopleAffected: 0, priority: null, unrated: true, wantedBy: 0,
    });
    expect(result.unratedCompetencies).toEqual(['mediation']);
    // negotiation (3): 1, 2 → mean 1.5, gap 1.5, affected 2, priority 3.
    expect(result.rankedNeeds).toEqual([{ rank: 1, key: 'negotiation', name: '协商技巧', gap: 1.5, peopleAffected: 2, priority: 3, wantedBy: 0 }]);
  });
});

describe('people above the requirement', () => {
  const result = analyse({
    competencies: [
      { key: 'phone_etiquette', name: '电话礼仪', requiredLevel: 2 },
      { key: 'office_software', name: '办公软件', requiredLevel: 2 },
    ],
    participants: ['p1', 'p2', 'p3'],
    selfRatings: {},
    observations: {
      p1: { phone_etiquette: 3, office_software: 3 },
      p2: { phone_etiquette: 4, office_software: 4 },
      p3: { phone_etiquette: 1, office_software: 5 },
    },
  });

  test('give a negative gap, are not counted as affected, and the competency is not ranked', () => {
    // phone_etiquette (2): 3, 4, 1 → mean 8/3 → 2.67; gap 2 − 8/3 = −2/3 → −0.67 (away from zero);
    //   only p3 (1 < 2) is affected → 1; priority −2/3 × 1 → −0.67. Gap ≤ 0: not a ranked need.
    // office_software (2): 3, 4, 5 → mean 4; gap −2; affected 0; priority −2 × 0 = 0 (a plain 0, not −0).
    expect(byKey(result, 'phone_etiquette')).toMatchObject({ observedMean: 2.67, gap: -0.67, peopleAffected: 1, priority: -0.67 });
    expect(byKey(result, 'office_software')).toMatchObject({ observedMean: 4, gap: -2, peopleAffected: 0 });
    expect(Object.is(byKey(result, 'office_software').priority, 0)).toBe(true);
    expect(result.rankedNeeds).toEqual([]);
  });

  test('a person below the requirement is still listed individually', () => {
    // p3: phone 2 − 1 = 1. Nobody else is below on anything.
    expect(result.individuals).toEqual([{ participantId: 'p3', largestGap: 1, totalGap: 1, competencies: [{ key: 'phone_etiquette', gap: 1 }] }]);
  });
});

describe('entries for unknown participants or competencies', () => {
  const competencies: Competency[] = [{ key: 'negotiation', name: '协商技巧', requiredLevel: 3 }];
  const clean: NeedsAnalysisInput = {
    competencies,
    participants: ['p1', 'p2'],
    selfRatings: { p1: { negotiation: 2 } },
    observations: { p1: { negotiation: 2 } },
  };

  test('are ignored: in means, in individuals and in response rates', () => {
    const noisy = analyse({
      ...clean,
      // 'ghost' is not a participant of the cycle; 'debt_law' is not one of its competencies; p2
      // only has an answer on the unknown competency, so counts as neither responded nor observed.
      selfRatings: { p1: { negotiation: 2, debt_law: 1 }, p2: { debt_law: 1 }, ghost: { negotiation: 1 } },
      observations: { p1: { negotiation: 2, debt_law: 1 }, p2: { debt_law: 1 }, ghost: { negotiation: 1 } },
    });
    // negotiation: p1 2 only → mean 2, gap 1, affected 1, priority 1; rates 1/2 = 0.5.
    expect(noisy).toEqual(analyse(clean));
    expect(noisy.competencies[0]).toMatchObject({ observedMean: 2, observedCount: 1, selfCount: 1, gap: 1, peopleAffected: 1, priority: 1 });
    expect(noisy.individuals.map((i) => i.participantId)).toEqual(['p1']);
    expect(noisy.responseRate).toEqual({ surveys: 0.5, observations: 0.5 });
  });

  test('inherited object properties are not answers', () => {
    // A legal slug such as "constructor" must not pick up Object.prototype.constructor.
    const result = analyse({
      competencies: [{ key: 'constructor', name: '施工管理', requiredLevel: 3 }],
      participants: ['p1', 'toString'],
      selfRatings: {},
      observations: { p1: {} },
    });
    expect(result.competencies[0]).toMatchObject({ observedCount: 0, selfCount: 0, unrated: true, wantedBy: 0 });
    expect(result.responseRate).toEqual({ surveys: 0, observations: 0 });
  });
});

describe('rounding: exact fractions, rounded once to 2 decimals, half away from zero', () => {
  test('roundRatio avoids binary float artefacts', () => {
    // 1.005 has no exact binary form: Math.round(1.005 * 100) / 100 gives 1, but 201/200 is exactly 1.005 → 1.01.
    expect(Math.round(1.005 * 100) / 100).toBe(1);
    expect(roundRatio(201, 200)).toBe(1.01);
    expect(roundRatio(-201, 200)).toBe(-1.01); // away from zero, not towards +∞
    expect(roundRatio(1, 8)).toBe(0.13); // 0.125
    expect(roundRatio(-1, 8)).toBe(-0.13);
    expect(roundRatio(5, 3)).toBe(1.67);
    expect(roundRatio(1, -3)).toBe(-0.33);
    expect(roundRatio(2, 3, 4)).toBe(0.6667);
    expect(roundRatio(7, 2, 0)).toBe(4);
    expect(Object.is(roundRatio(-1, 300), 0)).toBe(true); // −0.0033 → 0, never −0
    expect(() => roundRatio(1.5, 2)).toThrow(RangeError);
    expect(() => roundRatio(1, 0)).toThrow(RangeError);
  });

  const oneCompetency = (levels: number[]): NeedsAnalysisInput => {
    const participants = levels.map((_, i) => `p${i + 1}`);
    return {
      competencies: [{ key: 'negotiation', name: '协商技巧', requiredLevel: 3 }],
      participants,
      selfRatings: {},
      observations: Object.fromEntries(participants.map((p, i) => [p, { negotiation: levels[i]! }])),
    };
  };

  test('mean of 1, 2, 2 is 1.67; the gap comes from the unrounded mean, the priority from the unrounded gap', () => {
    // mean 5/3 = 1.666… → 1.67; gap 3 − 5/3 = 4/3 = 1.333… → 1.33 (3 − 1.67 gives 1.33 too);
    // affected 3 → priority 4/3 × 3 = 4 exactly, where 1.33 × 3 would have given 3.99.
    expect(analyse(oneCompetency([1, 2, 2])).competencies[0]).toMatchObject({ observedMean: 1.67, gap: 1.33, peopleAffected: 3, priority: 4 });
  });

  test('where rounding the mean first would differ', () => {
    // seven 1s and one 2: mean 9/8 = 1.125 → 1.13 (half away from zero);
    // gap 3 − 9/8 = 15/8 = 1.875 → 1.88, where 3 − 1.13 would give 1.87;
    // affected 8 → priority 15/8 × 8 = 15 exactly, where 1.88 × 8 would give 15.04.
    expect(analyse(oneCompetency([1, 1, 1, 1, 1, 1, 1, 2])).competencies[0]).toMatchObject({ observedMean: 1.13, gap: 1.88, peopleAffected: 8, priority: 15 });
  });
});

describe('the individuals list', () => {
  // Twelve collectors, required 5, observed 1, 2, 3, 4, 1, 2, 3, 4, … → gaps 4, 3, 2, 1, 4, 3, 2, 1, …
  const participants = Array.from({ length: 12 }, (_, i) => `emp-${String(i + 1).padStart(2, '0')}`);
  const input: NeedsAnalysisInput = {
    competencies: [{ key: 'site_visits', name: '上门催收', requiredLevel: 5 }],
    participants,
    selfRatings: {},
    observations: Object.fromEntries(participants.map((p, i) => [p, { site_visits: (i % 4) + 1 }])),
  };

  test('keeps the top 10 by default', () => {
    // Sorted: gap 4: 01, 05, 09; gap 3: 02, 06, 10; gap 2: 03, 07, 11; gap 1: 04, 08, 12 → first 10 end at 04.
    expect(analyse(input).individuals.map((i) => `${i.participantId}:${i.largestGap}`)).toEqual([
      'emp-01:4', 'emp-05:4', 'emp-09:4', 'emp-02:3', 'emp-06:3', 'emp-10:3', 'emp-03:2', 'emp-07:2', 'emp-11:2', 'emp-04:1',
    ]);
  });

  test('keeps as many as asked', () => {
    expect(analyse(input, 3).individuals.map((i) => i.participantId)).toEqual(['emp-01', 'emp-05', 'emp-09']);
    expect(analyse(input, 0).individuals).toEqual([]);
    expect(analyse(input, 50).individuals).toHaveLength(12);
    expect(() => analyseNeeds(input, -1)).toThrow(RangeError);
    expect(() => analyseNeeds(input, 2.5)).toThrow(RangeError);
  });
});

describe('edge cases and bad input', () => {
  test('no participants: nothing observed, rates 0', () => {
    const competencies: Competency[] = [
      { key: 'negotiation', name: '协商技巧', requiredLevel: 3 },
      { key: 'debt_law', name: '催收法规', requiredLevel: 4 },
    ];
    const result = analyse({ competencies, participants: [], selfRatings: {}, observations: {} });
    expect(result.competencies.map((c) => [c.key, c.observedMean, c.selfMean, c.gap, c.priority, c.peopleAffected, c.unrated])).toEqual([
      ['negotiation', null, null, null, null, 0, true],
      ['debt_law', null, null, null, null, 0, true],
    ]);
    expect(result).toMatchObject({ rankedNeeds: [], individuals: [], unratedCompetencies: ['negotiation', 'debt_law'], responseRate: { surveys: 0, observations: 0 } });
  });

  test('no competencies: an empty analysis', () => {
    expect(analyse({ competencies: [], participants: ['p1'], selfRatings: {}, observations: {} })).toEqual({
      competencies: [], rankedNeeds: [], individuals: [], unratedCompetencies: [], wantedOutsideCycle: [], responseRate: { surveys: 0, observations: 0 },
    });
  });

  test('malformed input is refused', () => {
    const base: NeedsAnalysisInput = { competencies: [{ key: 'negotiation', name: '协商技巧', requiredLevel: 3 }], participants: ['p1'], selfRatings: {}, observations: {} };
    expect(() => analyseNeeds({ ...base, participants: ['p1', 'p1'] })).toThrow(/participant p1 is listed twice/);
    expect(() => analyseNeeds({ ...base, competencies: [...base.competencies, ...base.competencies] })).toThrow(/competency negotiation is listed twice/);
    expect(() => analyseNeeds({ ...base, competencies: [{ key: 'Negotiation', name: '协商', requiredLevel: 3 }] })).toThrow(/slug/);
    expect(() => analyseNeeds({ ...base, competencies: [{ key: 'negotiation', name: '协商', requiredLevel: 6 }] })).toThrow();
    expect(() => analyseNeeds({ ...base, observations: { p1: { negotiation: 0 } } })).toThrow();
    expect(() => analyseNeeds({ ...base, selfRatings: { p1: { negotiation: 2.5 } } })).toThrow();
  });

  test('the input is not modified', () => {
    const input: NeedsAnalysisInput = {
      competencies: [{ key: 'b_skill', name: 'B', requiredLevel: 5 }, { key: 'a_skill', name: 'A', requiredLevel: 5 }],
      participants: ['p2', 'p1'],
      selfRatings: {},
      observations: { p1: { a_skill: 1, b_skill: 1 }, p2: { a_skill: 2 } },
    };
    const copy = structuredClone(input);
    analyseNeeds(input);
    expect(input).toEqual(copy);
  });
});
