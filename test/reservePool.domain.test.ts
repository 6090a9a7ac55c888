/** The reserve pool's rules, by hand: a candidate's score, the pool's order, its shortfall, whose pool a leaver's is. */
import { positionOf, rankCandidates, shortfall, standingScore } from '../domain/reservePool';

test.each([
  // knowledge (0–100), behaviour (1–5), panel (1–5) → the mean of the parts they have, out of 100
  [[80, 90], [4], 5, (85 + 80 + 100) / 3],
  [[], [3, 4], null, 70],
  [[72], [], null, 72],
  [[], [], 2, 40],
  [[], [], null, null],
])('knowledge %j, behaviour %j, panel %j score %p', (knowledgeScores, behaviourRatings, panelRating, score) => {
  const expected = score === null ? null : Math.round(score * 10) / 10;
  expect(standingScore({ knowledgeScores, behaviourRatings, panelRating })).toBe(expected);
});

test('ready-now first, then the higher score, no score last; ties go to the earlier nomination, then the id', () => {
  const c = (employeeId: string, readiness: 'ready_now' | 'ready_later', score: number | null, nominatedAt: string) => ({ employeeId, readiness, score, nominatedAt });
  const ranked = rankCandidates([
    c('later-high', 'ready_later', 99, '2026-01-01T00:00:00Z'),
    c('now-none', 'ready_now', null, '2026-01-01T00:00:00Z'),
    c('now-70-late', 'ready_now', 70, '2026-03-01T00:00:00Z'),
    c('now-70-early', 'ready_now', 70, '2026-02-01T00:00:00Z'),
    c('now-90', 'ready_now', 90, '2026-05-01T00:00:00Z'),
    c('now-0', 'ready_now', 0, '2026-05-01T00:00:00Z'),
    c('b-tie', 'ready_later', 50, '2026-01-01T00:00:00Z'),
    c('a-tie', 'ready_later', 50, '2026-01-01T00:00:00Z'),
  ]);
  expect(ranked.map((r) => [r.rank, r.employeeId])).toEqual([
    [1, 'now-90'],
    [2, 'now-70-early'],
    [3, 'now-70-late'],
    [4, 'now-0'],
    [5, 'now-none'],
    [6, 'later-high'],
    [7, 'a-tie'],
    [8, 'b-tie'],
  ]);
});

test('a pool short of its minimum needs the difference; one that holds enough needs none', () => {
  expect([shortfall(0, 2), shortfall(1, 2), shortfall(2, 2), shortfall(5, 2), shortfall(0, 0)]).toEqual([2, 1, 0, 0, 0]);
});

test('a trainer leaves the trainer pool, a manager the collection head pool, anyone else the collector pool', () => {
  expect(positionOf(['employee', 'trainer'])).toBe('trainer');
  expect(positionOf(['employee', 'manager', 'trainer'])).toBe('trainer');
  expect(positionOf(['employee', 'manager'])).toBe('collection_head');
  expect(positionOf(['employee'])).toBe('collector');
});
