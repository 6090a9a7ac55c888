/** The follow-up's pure rules: the report with hand-worked numbers, score attempts, coaching, CSV. */
import {
  behaviourChange,
  coachingReason,
  csvRows,
  evaluateProgramme,
  followUpTimeline,
  reportCsv,
  scoreAttempt,
  scoresFromCsv,
  type ParticipantEvidence,
  type ProgrammeEvidence,
} from '../domain/followUp';

const rated = (r: number) => ({ content: r, method: r, trainer: r, usefulness: r });

function evidence(participants: ParticipantEvidence[], over: Partial<ProgrammeEvidence> = {}): ProgrammeEvidence {
  return {
    passMark: 70,
    budgetFen: 900_000,
    targets: [{ metric: 'collection_rate_90d', target: 80, actual: 72 }],
    modules: [{ title: 'Scripts' }, { title: 'Regulations' }],
    sessions: [
      { sessionNo: 1, modules: [1], feedback: [rated(5), rated(4)] },
      { sessionNo: 2, modules: [2], feedback: [rated(3)] },
    ],
    participants,
    moduleFlagBelow: 3.5,
    recognitionBar: 80,
    ...over,
  };
}

const person = (id: string, over: Partial<ParticipantEvidence> = {}): ParticipantEvidence => ({
  employeeId: id,
  name: id.toUpperCase(),
  sessionsInvited: 2,
  sessionsAttended: 2,
  feedback: [],
  scores: [],
  checkpoints: [],
  coached: false,
  ...over,
});

describe('the programme report', () => {
  test('hand-worked: every level on one scale, results shared, cost per participant', () => {
    // a: reaction 4.5 → 87.5; knowledge 80; application 4 → 75; change +1 → 75; results 72/80 = 0.9 → 90.
    const a = person('a', {
      feedback: [rated(5), rated(4)],
      scores: [{ attempt: 1, score: 80 }],
      baseline: { x: 2, y: 3 },
      checkpoints: [{ no: 1, application: 3, observed: { x: 2, y: 3 } }, { no: 2, application: 4, observed: { x: 3, y: 4 } }],
    });
    const r = evaluateProgramme(evidence([a]));
    expect(r.people[0]).toMatchObject({
      reaction: 4.5,
      knowledge: { score: 80, passed: true, retested: false },
      application: 4,
      behaviour: { baseline: 2.5, observed: 3.5, change: 1 },
      overall: 81.5, // (87.5 + 80 + 75 + 75 + 90) / 5
      missing: [],
    });
    expect(r.results).toMatchObject({ score: 90, targets: [expect.objectContaining({ achievement: 0.9 })] });
    expect(r.costPerParticipantFen).toBe(900_000);
  });

  test('missing answers are left out of every mean and listed, not counted as zero', () => {
    const quiet = person('q', { feedback: [], scores: [{ attempt: 1, score: 40 }, { attempt: 2, score: 75 }], checkpoints: [{ no: 1 }] });
    const r = evaluateProgramme(evidence([quiet], { targets: [{ metric: 'm', target: 10 }] }));
    expect(r.people[0]).toMatchObject({ reaction: null, application: null, behaviour: null, knowledge: { score: 75, passed: true, retested: true }, overall: 75 });
    expect(r.people[0]!.missing).toEqual(['feedback', 'application', 'baseline']);
    expect(r).toMatchObject({ reaction: null, application: null, results: { score: null }, knowledge: { passRate: 1, retested: 1 } });
  });

  test('a participant who attended one session of two: attendance per person and for the programme', () => {
    const once = person('o', { sessionsAttended: 1 });
    const twice = person('t');
    const r = evaluateProgramme(evidence([once, twice]));
    expect(r.people.map((p) => p.attendance.rate)).toEqual([0.5, 1]);
    expect(r.attendanceRate).toBe(0.75);
    expect(r.costPerParticipantFen).toBe(450_000);
  });

  test('a tie at the recognition bar is in; modules rated below the bar are flagged', () => {
    // Knowledge alone: 80 is at the bar, 79.9 below it.
    const people = [person('b', { scores: [{ attempt: 1, score: 80 }] }), person('a', { scores: [{ attempt: 1, score: 80 }] }), person('c', { scores: [{ attempt: 1, score: 79.9 }] })];
    const r = evaluateProgramme(evidence(people, { targets: [] }));
    expect(r.topPerformers.map((p) => p.employeeId)).toEqual(['a', 'b']);
    expect(r.modules).toEqual([
      { no: 1, title: 'Scripts', rating: 4.5, responses: 2, flagged: false },
      { no: 2, title: 'Regulations', rating: 3, responses: 1, flagged: true },
    ]);
  });

  test('a target where lower is better, and one beaten, cap at 1', () => {
    const r = evaluateProgramme(evidence([person('a')], { targets: [{ metric: 'complaints', target: 4, actual: 5, better: 'lower' }, { metric: 'rate', target: 80, actual: 96 }] }));
    expect(r.results.targets.map((t) => t.achievement)).toEqual([0.8, 1]);
    expect(r.results.score).toBe(90);
  });

  test('the CSV has a byte-order mark, a header and one row per participant, quoting what needs it', () => {
    const r = evaluateProgramme(evidence([person('a', { name: '吴海燕, "A"', scores: [{ attempt: 1, score: 90 }] })]));
    const csv = reportCsv(r);
    expect(csv.startsWith('\uFEFFemployeeId,name,')).toBe(true);
    const rows = csvRows(csv);
    expect(rows).toHaveLength(2);
    expect(rows[1]![1]).toBe('吴海燕, "A"');
    expect(rows[1]![rows[0]!.indexOf('knowledgeScore')]).toBe('90');
    expect(rows[1]![rows[0]!.indexOf('costPerParticipantYuan')]).toBe('9000.00');
  });
});

describe('rules', () => {
  test('a participant timeline: checkpoints from the end of the session, closing twice the answer time after the last', () => {
    const end = Date.parse('2027-03-10T09:00:00Z');
    expect(followUpTimeline(end, { checkpoints: ['P90D', 'P30D'], answerWithin: 'P7D' })).toEqual({
      checkpoints: [end + 90 * 86_400_000, end + 30 * 86_400_000],
      lastCheckpoint: end + 90 * 86_400_000,
      closes: end + 104 * 86_400_000,
    });
  });

  test('one retest after a fail, none after a pass or a second attempt', () => {
    expect(scoreAttempt([])).toBe(1);
    expect(scoreAttempt([{ attempt: 1, passed: false }])).toBe(2);
    expect(scoreAttempt([{ attempt: 1, passed: true }])).toBeUndefined();
    expect(scoreAttempt([{ attempt: 1, passed: false }, { attempt: 2, passed: false }])).toBeUndefined();
  });

  test('behaviour change over the competencies both ratings name', () => {
    expect(behaviourChange({ a: 2, b: 3 }, { a: 4, c: 5 })).toBe(2);
    expect(behaviourChange({ a: 2 }, { b: 4 })).toBeUndefined();
    expect(behaviourChange(undefined, { a: 4 })).toBeUndefined();
  });

  test('coaching: a failed retest first, then application, then behaviour, each against its bar', () => {
    const bars = { applicationBelow: 3, changeBelow: 0.5 };
    expect(coachingReason({ knowledgeFailed: true, application: 1 }, bars)).toBe('knowledge');
    expect(coachingReason({ application: 2.9, change: 0 }, bars)).toBe('application');
    expect(coachingReason({ application: 3, change: 0.4 }, bars)).toBe('behaviour');
    expect(coachingReason({ application: 3, change: 0.5 }, bars)).toBeUndefined();
    expect(coachingReason({}, bars)).toBeUndefined();
  });

  test('a score table as CSV: columns in any order, each row with the line of the file it starts on, checked later as a request', () => {
    expect(scoresFromCsv('\uFEFFname,score,employeeId\r\n"Wu, H",88.5,e1\r\n\r\n"Li\r\nMing",70,e2\r\n')).toEqual({
      scores: [{ employeeId: 'e1', score: 88.5 }, { employeeId: 'e2', score: 70 }],
      lines: [2, 4],
      problems: [],
    });
    expect(scoresFromCsv('employeeId,score\ne1,abc\n,50\n').scores).toEqual([{ employeeId: 'e1', score: NaN }, { employeeId: '', score: 50 }]);
    expect(scoresFromCsv('id,points\ne1,5').problems).toEqual([{ field: 'csv line 1', reason: 'the header must name the columns employeeId and score' }]);
  });
});
