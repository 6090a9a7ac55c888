/** The promotion's pure rules: the vacancy's published criteria, the ranking, a complete form, a decision that explains itself. */
import { countersignRequest, decisionProblems, formProblems, rankApplicants, resultsOf, selectedBy, vacancyRequest, type Criterion, type Evaluation } from '../domain/promotion';

const criteria: Criterion[] = [
  { key: 'performance', name: '业绩 Collection results', weight: 50 },
  { key: 'knowledge', name: '知识 Follow-up scores', weight: 30 },
  { key: 'leadership', name: '带队 Leadership', weight: 20 },
];
const scored = (panelistId: string, applicantId: string, performance: number, knowledge: number, leadership: number): Evaluation => ({ panelistId, applicantId, scores: { performance, knowledge, leadership } });

test('the weighted mean of the panel\'s scores ranks the applicants', () => {
  const ranking = rankApplicants(criteria, [scored('p1', 'a', 5, 3, 3), scored('p2', 'a', 4, 3, 4), scored('p1', 'b', 3, 5, 5), scored('p2', 'b', 3, 5, 5)]);
  // a: 4.5×0.5 + 3×0.3 + 3.5×0.2 = 3.85; b: 3×0.5 + 5×0.3 + 5×0.2 = 4
  expect(ranking).toEqual([
    { applicantId: 'b', score: 4, rank: 1, byCriterion: { performance: 3, knowledge: 5, leadership: 5 } },
    { applicantId: 'a', score: 3.85, rank: 2, byCriterion: { performance: 4.5, knowledge: 3, leadership: 3.5 } },
  ]);
});

test('ties: the heaviest criterion decides, then the next; still equal, a shared rank', () => {
  // Both 4.0 overall; c is better on performance (weight 50).
  const ranking = rankApplicants(criteria, [scored('p1', 'd', 3, 5, 5), scored('p1', 'c', 5, 3, 3), scored('p1', 'e', 3, 5, 5), scored('p1', 'f', 1, 1, 1)]);
  expect(ranking.map((r) => [r.applicantId, r.score, r.rank])).toEqual([
    ['c', 4, 1],
    ['d', 4, 2],
    ['e', 4, 2],
    ['f', 1, 4],
  ]);
});

test('a vacancy publishes criteria whose weights sum to 100, each key once, and a panel named once each', () => {
  const base = { title: '催收组长 Collection team lead', departmentId: 'dept-collection', description: '带领五人小组', criteria, panelIds: ['p1', 'p2'], applyUntil: '2027-01-01T00:00:00+08:00' };
  expect(vacancyRequest.safeParse(base).success).toBe(true);
  const paths = (body: object) => (vacancyRequest.safeParse(body).error?.issues ?? []).map((i) => i.path.join('.'));
  expect(paths({ ...base, criteria: [{ key: 'performance', name: 'x', weight: 60 }] })).toEqual(['criteria']);
  expect(paths({ ...base, criteria: [...criteria.slice(0, 2), { ...criteria[2]!, key: 'knowledge' }] })).toEqual(['criteria']);
  expect(paths({ ...base, panelIds: ['p1', 'p1'] })).toEqual(['panelIds']);
  expect(paths({ ...base, applyUntil: 'next week' })).toEqual(['applyUntil']);
});

test('a form scores every applicant on every published criterion, and only them', () => {
  const full = { performance: 4, knowledge: 4, leadership: 4 };
  expect(formProblems(criteria, ['a', 'b'], [{ applicantId: 'a', scores: full }, { applicantId: 'b', scores: full }])).toEqual([]);
  expect(formProblems(criteria, ['a', 'b'], [{ applicantId: 'a', scores: { performance: 4, knowledge: 4, charm: 5 } }, { applicantId: 'x', scores: full }])).toEqual([
    'a is not scored on leadership',
    'a is scored on charm, not a published criterion',
    'x is not an applicant',
    'not scored: b',
  ]);
  expect(formProblems(criteria, ['a'], [{ applicantId: 'a', scores: full }, { applicantId: 'a', scores: full }])).toEqual(['a is scored twice']);
});

test('a decision names an applicant (or nobody, or the ranking\'s first) and says why to each one not selected', () => {
  const ranking = rankApplicants(criteria, [scored('p1', 'a', 5, 5, 5), scored('p1', 'b', 2, 2, 2)]);
  expect(selectedBy({}, ranking)).toBe('a');
  expect(selectedBy({ selectedId: null }, ranking)).toBeNull();
  expect(decisionProblems(['a', 'b'], { reasons: { b: '业绩尚需提升 results to improve' } }, ranking)).toEqual([]);
  expect(decisionProblems(['a', 'b'], { selectedId: 'b', reasons: {} }, ranking)).toEqual(['reasons: say why a is not selected']);
  expect(decisionProblems(['a', 'b'], { selectedId: 'z', reasons: { a: 'x', b: 'y', q: 'z' } }, ranking)).toEqual(['selectedId: z is not an applicant', 'reasons: q did not apply']);
  expect(decisionProblems(['a', 'b'], { selectedId: null, reasons: { a: 'x' } }, ranking)).toEqual(['reasons: say why b is not selected']);
  expect(resultsOf(['a', 'b'], { reason: '综合得分最高 best overall', reasons: { b: '业绩尚需提升' } }, ranking)).toEqual([
    { applicantId: 'a', status: 'selected', reason: '综合得分最高 best overall', score: 5 },
    { applicantId: 'b', status: 'not_selected', reason: '业绩尚需提升', score: 2 },
  ]);
});

test('a rejected countersign says why', () => {
  expect(countersignRequest.safeParse({ decision: 'approve' }).success).toBe(true);
  expect(countersignRequest.safeParse({ decision: 'reject' }).error?.issues.map((i) => i.path.join('.'))).toEqual(['comment']);
});
