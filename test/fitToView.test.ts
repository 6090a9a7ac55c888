/**
 * Answers are built from their published schema: whatever a route hands on that the view does not
 * name is left out, at any depth (issue: a follow-up row leaked its recognition list).
 */
import { z } from 'zod';
import { fitToView } from '../api/fitToView';
import { followUpView } from '../api/views';

describe('fitToView', () => {
  it('leaves out keys the view does not publish, however deep, and keeps Dates as they are', () => {
    const view = z.object({ id: z.string(), at: z.iso.datetime(), people: z.array(z.object({ employeeId: z.string(), score: z.number().nullable() })) });
    const at = new Date('2026-12-04T00:00:00Z');
    const body = { id: 'a', at, secret: 'x', people: [{ employeeId: 'e1', score: null, overall: 91, name: 'n' }] };
    expect(fitToView(view, body)).toEqual({ id: 'a', at, people: [{ employeeId: 'e1', score: null }] });
    expect((fitToView(view, body) as { at: unknown }).at).toBe(at);
  });

  it('walks through optional, nullable, records and lazily defined parts', () => {
    const entry = z.object({ level: z.number() });
    const view = z.object({
      maybe: entry.optional(),
      orNull: entry.nullable(),
      byKey: z.record(z.string(), entry),
      later: z.lazy(() => entry),
    });
    const leaky = { level: 3, who: 'e9' };
    expect(fitToView(view, { maybe: leaky, orNull: leaky, byKey: { a: leaky }, later: leaky, extra: 1 })).toEqual({
      maybe: { level: 3 },
      orNull: { level: 3 },
      byKey: { a: { level: 3 } },
      later: { level: 3 },
    });
    expect(fitToView(view, { orNull: null, byKey: {} })).toEqual({ orNull: null, byKey: {} });
  });

  it('keeps what any option of a union publishes, and nothing else', () => {
    const view = z.union([z.object({ kind: z.literal('a'), a: z.number() }), z.object({ kind: z.literal('b'), b: z.number() }), z.null()]);
    expect(fitToView(view, { kind: 'a', a: 1, hidden: true })).toEqual({ kind: 'a', a: 1 });
    expect(fitToView(view, null)).toBeNull();
    expect(fitToView(z.union([z.string(), z.number()]), 'text')).toBe('text');
  });

  it("drops a stored follow-up's recognition list and lessons from the published follow-up view", () => {
    const stored = {
      id: 'f1', planId: 'p1', title: 'T', flowId: 'x', departmentId: 'd', hrId: 'h', headId: 'm', passMark: 60, competencies: ['c'],
      targets: [{ metric: 'rate', target: 1, actual: 2, note: 'no' }], status: 'reported', reportedAt: null, participants: [], openTasks: [],
      recognition: { people: [{ employeeId: 'someone-else', overall: 93 }] },
      lessons: [{ module: 'm', rating: 2 }],
    };
    const sent = JSON.stringify(fitToView(followUpView, stored));
    expect(sent).not.toContain('someone-else');
    expect(sent).not.toContain('lessons');
    expect(JSON.parse(sent)).toMatchObject({ id: 'f1', targets: [{ metric: 'rate', target: 1, actual: 2 }] });
    expect(JSON.parse(sent).targets[0]).not.toHaveProperty('note');
  });
});
