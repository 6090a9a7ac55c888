/**
 * Follow-up and effectiveness evaluation of a training programme (DOMAIN.md §4): the rules the
 * follow-up flows and the API share. A programme is one approved plan; its participants are the
 * attendees its sessions hand over. Evaluation follows Kirkpatrick's four levels: reaction (the
 * session feedback), knowledge (test scores), application and behaviour (checkpoints after the
 * training), results (the plan's measurable targets against actuals).
 */
import { z } from 'zod';
import { calendarDate, durationMs, isoDuration } from './durations';
import type { FeedbackRatings } from './trainingSession';
import { meanOf, roundTo } from './figures';

export const followUpSettings = z.object({
  /** After a participant's session ended: each checkpoint asks how they apply it and how their manager sees them. */
  checkpoints: z.array(isoDuration).min(1).max(6),
  /** Checkpoint answers, the baseline, the scores and the results are due this long after they are asked;
   *  a checkpoint closes with what came in twice this long after it. */
  answerWithin: isoDuration,
  /** A failed knowledge test is retaken within this. */
  retestWithin: isoDuration,
  /** Coaching sessions are logged within this after coaching starts. */
  coachingWithin: isoDuration,
  coachingSessions: z.int().min(1).max(20),
  /** The knowledge test's pass mark (0–100) when the plan names none. */
  passMark: z.number().min(0).max(100),
  /** A participant applying the training less than this (1–5) at a checkpoint is coached. */
  applicationBelow: z.number().min(1).max(5),
  /** A participant whose observed level rose by less than this (levels, mean over competencies) is coached. */
  changeBelow: z.number().min(-4).max(4),
  /** Modules the attendees rated below this (1–5) are flagged for the department's next plan. */
  moduleFlagBelow: z.number().min(1).max(5),
  /** Participants whose overall score (0–100) reaches this are proposed for recognition. */
  recognitionBar: z.number().min(0).max(100),
  /** The programme's flow continues as new at a quiet moment past this many history events. */
  historyLimit: z.int().min(20),
});
export type FollowUpSettings = z.infer<typeof followUpSettings>;

export const DEFAULT_FOLLOW_UP: FollowUpSettings = {
  checkpoints: ['P30D', 'P90D'],
  answerWithin: 'P7D',
  retestWithin: 'P14D',
  coachingWithin: 'P30D',
  coachingSessions: 2,
  passMark: 60,
  applicationBelow: 3,
  changeBelow: 0.5,
  moduleFlagBelow: 3.5,
  recognitionBar: 85,
  historyLimit: 10_000,
};

/** A flow's follow-up settings (the defaults for flows started before they existed). */
export const followUpSettingsOf = (settings: { followUp?: FollowUpSettings }): FollowUpSettings => settings.followUp ?? DEFAULT_FOLLOW_UP;

/**
 * A participant's follow-up from when their session ended (epoch ms): when each checkpoint opens,
 * the last of them, and when the follow-up closes, once the last checkpoint's answers are in or
 * overdue by `answerWithin`. Nothing is asked of the participant after that.
 */
export function followUpTimeline(endedAt: number, s: Pick<FollowUpSettings, 'checkpoints' | 'answerWithin'>) {
  const checkpoints = s.checkpoints.map((c) => endedAt + durationMs(c));
  const lastCheckpoint = Math.max(...checkpoints);
  return { checkpoints, lastCheckpoint, closes: lastCheckpoint + 2 * durationMs(s.answerWithin) };
}

export const followUpFlowId = (planId: string) => `training-follow-up:${planId}`;
export const participantFlowId = (planId: string, employeeId: string) => `training-follow-up:${planId}:${employeeId}`;

/** A measurable target of the plan with the value the department head recorded. */
export interface TargetResult {
  metric: string;
  target: number;
  unit?: string;
  better?: 'higher' | 'lower';
  actual?: number;
}

// ---- Requests and flow messages -------------------------------------------------------------

const actor = { actorId: z.string().min(1) };
const text = (max: number, what: string) => z.string().trim().min(1, `${what} is required`).max(max);
const level = z.int().min(1, 'rate 1 to 5').max(5, 'rate 1 to 5');
const levels = z.record(z.string().trim().min(1).max(100), level).refine((l) => Object.keys(l).length > 0, 'rate at least one competency');

/** A participant's test score; the API also takes their employee number (BT010) for `employeeId`, as score sheets name people. */
export const scoreRow = z.object({
  employeeId: z.string().min(1, 'name the participant (employee number or id)'),
  score: z.number('a score is a number from 0 to 100').min(0, 'a score is 0 to 100').max(100, 'a score is 0 to 100'),
});
export type ScoreRow = z.infer<typeof scoreRow>;
export const scoresRequest = z.object({ scores: z.array(scoreRow).min(1, 'give at least one score').max(500) }).superRefine(({ scores }, ctx) => {
  // Named at each repeat, so a sheet's author finds the row.
  const seen = new Set<string>();
  scores.forEach(({ employeeId }, i) => {
    if (seen.has(employeeId)) ctx.addIssue({ code: 'custom', message: 'this participant is listed twice', path: ['scores', i, 'employeeId'] });
    seen.add(employeeId);
  });
});
export const scoresArgs = scoresRequest.safeExtend(actor);
export type ScoresArgs = z.infer<typeof scoresArgs>;

/** Why the programme's flow refuses a score row. */
export const SCORE_ROW_REFUSALS = ['not a participant of this programme', 'their follow-up has ended', 'already passed', 'already retested'] as const;
export type ScoreRowRefusal = (typeof SCORE_ROW_REFUSALS)[number];

/** How the flow's refusal names a row of the scores it was sent: `scores[3] (<employee id>): already passed`. */
export const scoreRowRefusal = (index: number, employeeId: string, why: ScoreRowRefusal) => `scores[${index}] (${employeeId}): ${why}`;

/** The rows a refusal of the flow names (see `scoreRowRefusal`), so the API can name each as its caller wrote it. */
export function refusedScoreRows(message: string): { index: number; why: ScoreRowRefusal }[] {
  const named = new RegExp(String.raw`scores\[(\d+)\] \(.*?\): (${SCORE_ROW_REFUSALS.join('|')})`, 'g');
  return [...message.matchAll(named)].map((m) => ({ index: Number(m[1]), why: m[2] as ScoreRowRefusal }));
}

export const baselineRequest = z.object({ levels });
export const baselineArgs = baselineRequest.extend({ ...actor, employeeId: z.string().min(1) });
export type BaselineArgs = z.infer<typeof baselineArgs>;

export const applicationRequest = z.object({
  /** How much of the training the participant applies: 1 not at all … 5 every day. */
  level,
  examples: text(4000, 'an example of how you apply it'),
});
export const applicationArgs = applicationRequest.extend({ ...actor, employeeId: z.string().min(1) });
export type ApplicationArgs = z.infer<typeof applicationArgs>;

export const behaviourRequest = z.object({ levels, comment: z.string().trim().max(4000).optional() });
export const behaviourArgs = behaviourRequest.extend({ ...actor, employeeId: z.string().min(1) });
export type BehaviourArgs = z.infer<typeof behaviourArgs>;

export const coachingSessionRequest = z.object({
  heldOn: calendarDate,
  minutes: z.int().min(1).max(600),
  notes: text(4000, 'notes'),
});
export const coachingSessionArgs = coachingSessionRequest.extend({ ...actor, employeeId: z.string().min(1) });
export type CoachingSessionArgs = z.infer<typeof coachingSessionArgs>;

export const mentorRequest = z.object({ mentorId: z.string().min(1) });
export const mentorArgs = mentorRequest.extend({ ...actor, employeeId: z.string().min(1) });
export type MentorArgs = z.infer<typeof mentorArgs>;

export const resultsRequest = z
  .object({ actuals: z.array(z.object({ metric: z.string().trim().min(1), actual: z.number().finite() })).min(1, 'give the actual value of each target') })
  .refine((r) => new Set(r.actuals.map((a) => a.metric)).size === r.actuals.length, { message: 'a target is listed twice', path: ['actuals'] });
export const resultsArgs = resultsRequest.safeExtend(actor);
export type ResultsArgs = z.infer<typeof resultsArgs>;

/** The session hands its attendees over to the programme's follow-up. */
export interface AttendeesJoined {
  sessionId: string;
  sessionNo: number;
  trainerId?: string;
  attendees: string[];
  /** When the session ended: the checkpoints count from here. */
  endedAt: string;
}

// ---- Rules ------------------------------------------------------------------------------------

/** Which attempt a score is: the first test, or the one retest after a fail; undefined when none is due. */
export function scoreAttempt(earlier: { attempt: number; passed: boolean }[]): 1 | 2 | undefined {
  if (earlier.length === 0) return 1;
  if (earlier.length === 1 && !earlier[0]!.passed) return 2;
  return undefined;
}

/** Mean change of the observed level over the competencies both ratings name; undefined without any. */
export function behaviourChange(baseline: Record<string, number> | undefined, observed: Record<string, number> | undefined): number | undefined {
  if (!baseline || !observed) return undefined;
  const shared = Object.keys(observed).filter((c) => baseline[c] !== undefined);
  if (shared.length === 0) return undefined;
  return roundTo(shared.reduce((sum, c) => sum + observed[c]! - baseline[c]!, 0) / shared.length, 2);
}

export type CoachingReason = 'knowledge' | 'application' | 'behaviour';

/** Why a participant needs coaching now, if they do: the first reason found. */
export function coachingReason(
  p: { knowledgeFailed?: boolean; application?: number; change?: number },
  s: Pick<FollowUpSettings, 'applicationBelow' | 'changeBelow'>,
): CoachingReason | undefined {
  if (p.knowledgeFailed) return 'knowledge';
  if (p.application !== undefined && p.application < s.applicationBelow) return 'application';
  if (p.change !== undefined && p.change < s.changeBelow) return 'behaviour';
  return undefined;
}

// ---- The report -----------------------------------------------------------------------------

export interface ParticipantEvidence {
  employeeId: string;
  name: string;
  sessionsInvited: number;
  sessionsAttended: number;
  /** Their feedback on each session they gave it for. */
  feedback: FeedbackRatings[];
  scores: { attempt: number; score: number }[];
  /** In checkpoint order; a missing answer is absent. */
  checkpoints: { no: number; application?: number; observed?: Record<string, number> }[];
  baseline?: Record<string, number>;
  coached: boolean;
  recheck?: 'improved' | 'still_below';
}

export interface ProgrammeEvidence {
  passMark: number;
  budgetFen: number;
  targets: TargetResult[];
  modules: { title: string }[];
  /** Each closed session: the modules it covered (1-based) and the feedback it received. */
  sessions: { sessionNo: number; modules: number[]; feedback: FeedbackRatings[] }[];
  participants: ParticipantEvidence[];
  moduleFlagBelow: number;
  recognitionBar: number;
}

export interface ParticipantReport {
  employeeId: string;
  name: string;
  attendance: { invited: number; attended: number; rate: number | null };
  /** Mean rating 1–5 over their feedback. */
  reaction: number | null;
  knowledge: { score: number; passed: boolean; retested: boolean } | null;
  /** Self-reported application 1–5 at the last checkpoint they answered. */
  application: number | null;
  behaviour: { baseline: number; observed: number; change: number } | null;
  coached: boolean;
  recheck: 'improved' | 'still_below' | null;
  /** 0–100: the mean of the levels there is evidence for (see `levelScores`). */
  overall: number | null;
  /** What is missing from their evidence. */
  missing: string[];
}

export interface ModuleRating {
  no: number;
  title: string;
  rating: number | null;
  responses: number;
  flagged: boolean;
}

/** A module an earlier programme of the department rated low: shown when the next plan is drafted. */
export interface Lesson {
  planId: string;
  planTitle: string;
  module: string;
  rating: number | null;
  responses: number;
}

export interface ProgrammeReport {
  participants: number;
  attendanceRate: number | null;
  reaction: number | null;
  knowledge: { meanScore: number | null; passRate: number | null; scored: number; retested: number };
  application: number | null;
  behaviourChange: number | null;
  results: { targets: (TargetResult & { achievement: number | null })[]; score: number | null };
  overall: number | null;
  coached: number;
  stillBelow: number;
  costPerParticipantFen: number | null;
  modules: ModuleRating[];
  topPerformers: { employeeId: string; name: string; overall: number }[];
  people: ParticipantReport[];
}

const mean = (values: number[], digits = 2) => meanOf(values, digits);
const defined = <T>(values: (T | null | undefined)[]): T[] => values.filter((v): v is T => v !== null && v !== undefined);
const ratingOf = (f: FeedbackRatings) => (f.content + f.method + f.trainer + f.usefulness) / 4;
const meanLevel = (l: Record<string, number>) => Object.values(l).reduce((a, b) => a + b, 0) / Object.keys(l).length;

/** How far a target was reached, 0–1: actual ÷ target (target ÷ actual where lower is better), capped at 1. */
export function achievement(t: TargetResult): number | null {
  if (t.actual === undefined) return null;
  const ratio = t.better === 'lower' ? (t.actual === 0 ? 1 : t.target / t.actual) : t.target === 0 ? 1 : t.actual / t.target;
  return roundTo(Math.max(0, Math.min(1, ratio)), 3);
}

/**
 * Each level on one 0–100 scale, so they can be averaged: a rating r (1–5) counts (r − 1) × 25; a
 * test score as it is; a behaviour change c (levels) 50 + 25c, within 0–100 (no change is 50,
 * two levels up is 100); results the mean achievement × 100.
 */
export const levelScores = {
  rating: (r: number) => (r - 1) * 25,
  change: (c: number) => Math.max(0, Math.min(100, 50 + 25 * c)),
};

function participantReport(p: ParticipantEvidence, passMark: number, resultsScore: number | null): ParticipantReport {
  const missing: string[] = [];
  const reaction = mean(p.feedback.map(ratingOf));
  if (reaction === null) missing.push('feedback');
  const final = [...p.scores].sort((a, b) => a.attempt - b.attempt).at(-1);
  const knowledge = final ? { score: final.score, passed: final.score >= passMark, retested: p.scores.length > 1 } : null;
  if (!knowledge) missing.push('test score');
  const answered = p.checkpoints.filter((c) => c.application !== undefined);
  const application = answered.at(-1)?.application ?? null;
  if (application === null) missing.push('application');
  const observed = p.checkpoints.filter((c) => c.observed).at(-1)?.observed;
  const change = behaviourChange(p.baseline, observed);
  const behaviour = change !== undefined ? { baseline: roundTo(meanLevel(p.baseline!), 2), observed: roundTo(meanLevel(observed!), 2), change } : null;
  if (!behaviour) missing.push(p.baseline ? 'observed level' : 'baseline');
  const overall = mean(
    defined([
      reaction === null ? null : levelScores.rating(reaction),
      knowledge?.score,
      application === null ? null : levelScores.rating(application),
      behaviour ? levelScores.change(behaviour.change) : null,
      resultsScore,
    ]),
    1,
  );
  return {
    employeeId: p.employeeId,
    name: p.name,
    attendance: { invited: p.sessionsInvited, attended: p.sessionsAttended, rate: p.sessionsInvited ? roundTo(p.sessionsAttended / p.sessionsInvited, 3) : null },
    reaction,
    knowledge,
    application,
    behaviour,
    coached: p.coached,
    recheck: p.recheck ?? null,
    overall,
    missing,
  };
}

/**
 * The programme's evaluation, per participant and overall. Missing evidence is left out of every
 * mean rather than counted as zero, and listed per participant. Top performers are everyone whose
 * overall score reaches the bar (a tie at the bar is in), best first.
 */
export function evaluateProgramme(e: ProgrammeEvidence): ProgrammeReport {
  const targets = e.targets.map((t) => ({ ...t, achievement: achievement(t) }));
  const achieved = defined(targets.map((t) => t.achievement));
  const resultsScore = achieved.length ? roundTo((achieved.reduce((a, b) => a + b, 0) / achieved.length) * 100, 1) : null;
  const people = e.participants.map((p) => participantReport(p, e.passMark, resultsScore));
  const scored = defined(people.map((p) => p.knowledge));
  const invited = e.participants.reduce((n, p) => n + p.sessionsInvited, 0);
  const attended = e.participants.reduce((n, p) => n + p.sessionsAttended, 0);
  const modules = e.modules.map((m, i) => {
    const feedback = e.sessions.filter((s) => s.modules.includes(i + 1)).flatMap((s) => s.feedback);
    const rating = mean(feedback.map(ratingOf));
    return { no: i + 1, title: m.title, rating, responses: feedback.length, flagged: rating !== null && rating < e.moduleFlagBelow };
  });
  return {
    participants: people.length,
    attendanceRate: invited ? roundTo(attended / invited, 3) : null,
    reaction: mean(defined(people.map((p) => p.reaction))),
    knowledge: {
      meanScore: mean(scored.map((k) => k.score), 1),
      passRate: scored.length ? roundTo(scored.filter((k) => k.passed).length / scored.length, 3) : null,
      scored: scored.length,
      retested: scored.filter((k) => k.retested).length,
    },
    application: mean(defined(people.map((p) => p.application))),
    behaviourChange: mean(defined(people.map((p) => p.behaviour?.change))),
    results: { targets, score: resultsScore },
    overall: mean(defined(people.map((p) => p.overall)), 1),
    coached: people.filter((p) => p.coached).length,
    stillBelow: people.filter((p) => p.recheck === 'still_below').length,
    costPerParticipantFen: people.length ? Math.round(e.budgetFen / people.length) : null,
    modules,
    topPerformers: people
      .filter((p): p is ParticipantReport & { overall: number } => p.overall !== null && p.overall >= e.recognitionBar)
      .sort((a, b) => b.overall - a.overall || a.employeeId.localeCompare(b.employeeId))
      .map((p) => ({ employeeId: p.employeeId, name: p.name, overall: p.overall })),
    people,
  };
}

// ---- CSV --------------------------------------------------------------------------------------

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** The report per participant as CSV, with a byte-order mark so spreadsheet programs read the Chinese names. */
export function reportCsv(r: ProgrammeReport): string {
  const header = ['employeeId', 'name', 'sessionsInvited', 'sessionsAttended', 'attendanceRate', 'reaction', 'knowledgeScore', 'knowledgePassed', 'retested', 'application', 'baseline', 'observed', 'behaviourChange', 'resultsScore', 'overall', 'coached', 'recheck', 'costPerParticipantYuan', 'missing'];
  const cost = r.costPerParticipantFen === null ? null : (r.costPerParticipantFen / 100).toFixed(2);
  const rows = r.people.map((p) => [
    p.employeeId,
    p.name,
    p.attendance.invited,
    p.attendance.attended,
    p.attendance.rate,
    p.reaction,
    p.knowledge?.score,
    p.knowledge?.passed,
    p.knowledge?.retested,
    p.application,
    p.behaviour?.baseline,
    p.behaviour?.observed,
    p.behaviour?.change,
    r.results.score,
    p.overall,
    p.coached,
    p.recheck,
    cost,
    p.missing.join('; '),
  ]);
  return `\uFEFF${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** Splits CSV text into rows of cells (RFC 4180: quoted cells may hold commas, quotes and line breaks). */
export const csvRows = (text: string): string[][] => csvRecords(text).map((r) => r.cells);

/** CSV text as records, each with the line of the file it starts on (1-based); blank lines are skipped. */
export function csvRecords(text: string): { line: number; cells: string[] }[] {
  const records: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let startsAt = 1;
  // One kind of line break (a quoted cell's CRLF becomes LF), so lines count the same in every file.
  const body = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === '\n') line++;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n') {
      records.push({ line: startsAt, cells: [...cells, cell] });
      cells = [];
      cell = '';
      startsAt = line;
    } else cell += ch;
  }
  if (cell !== '' || cells.length) records.push({ line: startsAt, cells: [...cells, cell] });
  return records.filter((r) => r.cells.some((c) => c.trim() !== ''));
}

/** A score table uploaded as CSV, as the request it stands for. */
export interface CsvScores {
  /** One row per data record; a score that is not a number is NaN, for the request's schema to refuse. */
  scores: ScoreRow[];
  /** The line of the file each row starts on, to name it in a refusal. */
  lines: number[];
  /** Why the table cannot be read at all. */
  problems: { field: string; reason: string }[];
}

/**
 * A score table uploaded as CSV: a header naming `employeeId` and `score` (any order, other
 * columns ignored), then one row per participant. The rows are checked as the JSON request is.
 */
export function scoresFromCsv(text: string): CsvScores {
  const [header, ...records] = csvRecords(text);
  const columns = (header?.cells ?? []).map((h) => h.trim().toLowerCase());
  const idAt = columns.indexOf('employeeid');
  const scoreAt = columns.indexOf('score');
  const unread = (field: string, reason: string): CsvScores => ({ scores: [], lines: [], problems: [{ field, reason }] });
  if (idAt < 0 || scoreAt < 0) return unread(`csv line ${header?.line ?? 1}`, 'the header must name the columns employeeId and score');
  if (records.length === 0) return unread('csv', 'no score rows after the header');
  const number = (cell = '') => (cell.trim() === '' ? Number.NaN : Number(cell));
  return {
    scores: records.map(({ cells }) => ({ employeeId: (cells[idAt] ?? '').trim(), score: number(cells[scoreAt]) })),
    lines: records.map((r) => r.line),
    problems: [],
  };
}
