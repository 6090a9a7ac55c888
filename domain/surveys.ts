/**
 * Recurring surveys (DOMAIN.md §8, 三 人员稳定性保障): HR defines the questions, the audience and a
 * schedule (say every quarter); each run asks the audience, closes at its deadline and shows results
 * by department with the trend across runs. Where the survey is anonymous no answer is traceable to
 * a person, and a group smaller than `MIN_GROUP` shows no results at all.
 */
import { z } from 'zod';
import { isoDuration } from './durations';
import { recurrence } from './recurrence';
import { roundTo } from './figures';

/** The smallest group whose anonymous answers are shown (DOMAIN.md §8). */
export const MIN_GROUP = 5;

const text = (max: number) => z.string().trim().min(1).max(max);

export const surveyQuestion = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'a short key: lowercase letters, digits and _'),
  text: text(500),
  /** A rating from 1 to 5, or a free text. */
  kind: z.enum(['rating', 'text']),
});
export type SurveyQuestion = z.infer<typeof surveyQuestion>;

export const surveyRequest = z
  .object({
    title: text(200),
    questions: z.array(surveyQuestion).min(1, 'ask at least one question').max(30),
    /** Departments asked; every active employee when empty. */
    departmentIds: z.array(z.string().min(1)).max(100).default([]),
    anonymous: z.boolean().default(true),
    schedule: recurrence,
    /** How long each run stays open. */
    answerWithin: isoDuration.default('P5D'),
  })
  .refine((s) => new Set(s.questions.map((q) => q.key)).size === s.questions.length, { message: 'a question key is used twice', path: ['questions'] });
export type SurveyRequest = z.infer<typeof surveyRequest>;

/** HR changes a survey: later runs ask what it says then. */
export const surveyChange = z.object({
  title: text(200).optional(),
  questions: z.array(surveyQuestion).min(1).max(30).optional(),
  departmentIds: z.array(z.string().min(1)).max(100).optional(),
  schedule: recurrence.optional(),
  answerWithin: isoDuration.optional(),
});

/** A person's answers: a rating (1–5) or a text per question key; which keys are allowed depends on the run. */
export const surveyAnswers = z.object({ answers: z.record(z.string(), z.union([z.int().min(1).max(5), z.string().trim().min(1).max(2000)])) });
export type SurveyAnswers = z.infer<typeof surveyAnswers>['answers'];

/** What is wrong with answers to these questions: every question answered, by its kind, no other. */
export function answerProblems(questions: SurveyQuestion[], answers: SurveyAnswers): { field: string; reason: string }[] {
  const unknown = Object.keys(answers).filter((k) => !questions.some((q) => q.key === k));
  return [
    ...unknown.map((k) => ({ field: `answers.${k}`, reason: 'this survey does not ask it' })),
    ...questions.flatMap((q) => {
      const a = answers[q.key];
      if (a === undefined) return [{ field: `answers.${q.key}`, reason: 'answer every question' }];
      if (q.kind === 'rating' && typeof a !== 'number') return [{ field: `answers.${q.key}`, reason: 'a rating from 1 to 5' }];
      if (q.kind === 'text' && typeof a !== 'string') return [{ field: `answers.${q.key}`, reason: 'a text' }];
      return [];
    }),
  ];
}

/** HR assigns an action on a run's results to an owner, due by a date; chased like any task. */
export const surveyActionRequest = z.object({ title: text(500), ownerId: z.string().trim().min(1), dueAt: z.iso.datetime({ offset: true }) });
export const surveyActionArgs = surveyActionRequest.extend({ actorId: z.string().min(1) });
export type SurveyActionArgs = z.infer<typeof surveyActionArgs>;
export const answerSurveyArgs = z.object({ actorId: z.string().min(1), ballotId: z.uuid() });
export type AnswerSurveyArgs = z.infer<typeof answerSurveyArgs>;

export interface GroupResult {
  responses: number;
  /** Hidden (null) below MIN_GROUP for an anonymous survey. */
  averages: Record<string, number> | null;
  texts: Record<string, string[]> | null;
}
export interface SurveyResults {
  invited: number;
  responses: number;
  overall: GroupResult;
  byDepartment: Record<string, GroupResult>;
  /** Change of each rating's overall average since the previous run (null when either is hidden). */
  trend: Record<string, number> | null;
}

const round2 = (n: number) => roundTo(n, 2);

function groupResult(questions: SurveyQuestion[], answers: SurveyAnswers[], anonymous: boolean): GroupResult {
  if (anonymous && answers.length < MIN_GROUP) return { responses: answers.length, averages: null, texts: null };
  const averages: Record<string, number> = {};
  const texts: Record<string, string[]> = {};
  for (const q of questions) {
    const given = answers.map((a) => a[q.key]).filter((a) => a !== undefined);
    if (q.kind === 'rating') {
      const ratings = given.filter((a): a is number => typeof a === 'number');
      if (ratings.length) averages[q.key] = round2(ratings.reduce((s, r) => s + r, 0) / ratings.length);
    } else {
      // Sorted, so the order says nothing about who answered when.
      texts[q.key] = given.filter((a): a is string => typeof a === 'string').sort();
    }
  }
  return { responses: answers.length, averages, texts };
}

/**
 * The departments whose answers are hidden: those under MIN_GROUP, and then the smallest others
 * until the hidden ones hold at least MIN_GROUP answers together, or the overall figures less the
 * shown departments' would give away a small group's (one person's) answers.
 */
export function hiddenDepartments(groups: { d: string; n: number }[]): Set<string> {
  const hidden = new Set(groups.filter((g) => g.n < MIN_GROUP).map((g) => g.d));
  const pool = () => groups.filter((g) => hidden.has(g.d)).reduce((s, g) => s + g.n, 0);
  const shown = groups.filter((g) => !hidden.has(g.d)).sort((a, b) => a.n - b.n || a.d.localeCompare(b.d));
  while (pool() > 0 && pool() < MIN_GROUP && shown.length) hidden.add(shown.shift()!.d);
  return hidden;
}

/**
 * A run's results: overall and by department, each hidden below MIN_GROUP when the survey is
 * anonymous (a department's count is shown, never its answers); the trend against the previous
 * run's overall averages.
 */
export function surveyResults(
  questions: SurveyQuestion[],
  responses: { departmentId: string; answers: SurveyAnswers }[],
  invited: number,
  anonymous: boolean,
  previous?: SurveyResults | null,
): SurveyResults {
  const departments = [...new Set(responses.map((r) => r.departmentId))].sort();
  const answersOf = (d: string) => responses.filter((r) => r.departmentId === d).map((r) => r.answers);
  const hidden = anonymous ? hiddenDepartments(departments.map((d) => ({ d, n: answersOf(d).length }))) : new Set<string>();
  const overall = groupResult(questions, responses.map((r) => r.answers), anonymous);
  const before = previous?.overall.averages;
  const trend =
    before && overall.averages
      ? Object.fromEntries(Object.entries(overall.averages).flatMap(([k, v]) => (before[k] === undefined ? [] : [[k, round2(v - before[k])]])))
      : null;
  return {
    invited,
    responses: responses.length,
    overall,
    byDepartment: Object.fromEntries(departments.map((d) => [d, hidden.has(d) ? { responses: answersOf(d).length, averages: null, texts: null } : groupResult(questions, answersOf(d), anonymous)])),
    trend,
  };
}
