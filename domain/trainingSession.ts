/**
 * Training sessions (DOMAIN.md §3): one scheduled occurrence of an approved plan's training. The
 * rules a session flow and the API share: its timeline, who may sign in when and with which code,
 * the summary of attendance and feedback, the calendar invitation.
 */
import { z } from 'zod';
import { durationMs, isoDuration } from './durations';
import type { PlanContent } from './trainingPlan';
import { meanOf } from './figures';

export const sessionSettings = z.object({
  /** Preparation (schedule, checklist, trainer) is due this long before the start. */
  leadTime: isoDuration,
  /** Preparation still open this long before the start goes to HR as critical. */
  criticalBefore: isoDuration,
  /** The sign-in window opens this long before the start… */
  signInOpensBefore: isoDuration,
  /** …and closes this long after it. */
  signInClosesAfter: isoDuration,
  /** A sign-in later than this after the start is flagged late. */
  lateAfter: isoDuration,
  /** How long one sign-in code is shown before the next replaces it (the previous one still works). */
  codeRotation: isoDuration,
  /** Attendees give feedback within this after the end. */
  feedbackPeriod: isoDuration,
});
export type SessionSettings = z.infer<typeof sessionSettings>;

export const DEFAULT_SESSIONS: SessionSettings = {
  leadTime: 'P3D',
  criticalBefore: 'P1D',
  signInOpensBefore: 'PT30M',
  signInClosesAfter: 'PT15M',
  lateAfter: 'PT5M',
  codeRotation: 'PT1M',
  feedbackPeriod: 'P3D',
};

/** A flow's session settings (the defaults for flows started before they existed). */
export const sessionSettingsOf = (settings: { sessions?: SessionSettings }): SessionSettings => settings.sessions ?? DEFAULT_SESSIONS;

/** A session as the plan (or HR, for a repeat) schedules it. */
export interface PlannedSession {
  sessionId: string;
  planId: string;
  sessionNo: number;
  title: string;
  startsAt: string;
  endsAt: string;
  location?: string;
  trainerId?: string;
  /** Who prepares the room, if HR names someone for this session or its plan; unset, the
   *  department's administrative owner (see openSession). */
  adminOwnerId?: string;
  participantIds: string[];
}

/** A session of an approved plan with what its flow needs besides settings: who runs it (the
 *  plan's HR officer) and what the administrative owner prepares. */
export interface SessionOfPlan extends PlannedSession {
  hrId: string;
  venue: string;
  materials: string[];
  equipment: string[];
}

/** One of the plan's own sessions, or a repeat HR adds: titled after the plan, held at the plan's
 *  venue unless it names its own, attended by the plan's participants. */
export function sessionOfPlan(
  plan: { id: string; title: string; content: PlanContent; hrId: string },
  session: { sessionId: string; sessionNo: number; title: string; startsAt: string; endsAt: string; location?: string; trainerId?: string; adminOwnerId?: string },
): SessionOfPlan {
  const { resources, participantIds } = plan.content;
  // Named field by field: a plan's session carries more (its modules) than a session flow takes.
  return {
    sessionId: session.sessionId,
    sessionNo: session.sessionNo,
    startsAt: session.startsAt,
    endsAt: session.endsAt,
    trainerId: session.trainerId,
    adminOwnerId: session.adminOwnerId ?? resources.adminOwnerId,
    planId: plan.id,
    title: `${plan.title}: ${session.title}`,
    location: session.location ?? resources.venue,
    participantIds: participantIds ?? [],
    hrId: plan.hrId,
    venue: resources.venue,
    materials: resources.materials,
    equipment: resources.equipment,
  };
}

export interface Schedule {
  startsAt: string;
  endsAt: string;
  location?: string;
}

/** The moments a session's flow waits for, as epoch ms. */
export function sessionTimeline(s: Schedule, settings: SessionSettings) {
  const start = Date.parse(s.startsAt);
  const end = Date.parse(s.endsAt);
  return {
    preparationDue: start - durationMs(settings.leadTime),
    critical: start - durationMs(settings.criticalBefore),
    signInOpens: start - durationMs(settings.signInOpensBefore),
    start,
    lateFrom: start + durationMs(settings.lateAfter),
    signInCloses: start + durationMs(settings.signInClosesAfter),
    end,
    feedbackCloses: end + durationMs(settings.feedbackPeriod),
  };
}
export type SessionTimeline = ReturnType<typeof sessionTimeline>;

// ---- Sign-in codes -------------------------------------------------------------------------

/** 32-bit string hash (murmur3's mixing), usable inside workflows: no crypto there. */
function hash32(text: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x5bd1e995);
    h ^= h >>> 15;
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The six-digit code of one rotation slot, derived from the session's secret. */
export function signInCode(secret: string, slot: number): string {
  const n = (hash32(`${secret}:${slot}`, 0x9747b28c) * 4096 + (hash32(`${slot}:${secret}`, 0x1b873593) % 4096)) % 1_000_000;
  return String(n).padStart(6, '0');
}

/** The code to show now and when the next one replaces it. */
export function currentSignInCode(secret: string, now: number, rotationMs: number): { code: string; validUntil: number } {
  const slot = Math.floor(now / rotationMs);
  return { code: signInCode(secret, slot), validUntil: (slot + 2) * rotationMs };
}

/** Codes older than this many slots are "expired" rather than "wrong" (a friendlier refusal). */
const EXPIRED_LOOKBACK = 30;

/** The code shown now or in the previous slot is valid; an older one expired; anything else is wrong. */
export function checkSignInCode(code: string, secret: string, now: number, rotationMs: number): 'valid' | 'expired' | 'wrong' {
  const slot = Math.floor(now / rotationMs);
  if (code === signInCode(secret, slot) || code === signInCode(secret, slot - 1)) return 'valid';
  for (let back = 2; back <= EXPIRED_LOOKBACK; back++) if (code === signInCode(secret, slot - back)) return 'expired';
  return 'wrong';
}

/** Why a sign-in at `now` is refused, or whether it counts as late. */
export function signInMoment(now: number, t: SessionTimeline): { refused: string } | { late: boolean } {
  if (now < t.signInOpens) return { refused: `sign-in opens at ${new Date(t.signInOpens).toISOString()}` };
  if (now > t.signInCloses) return { refused: `sign-in closed at ${new Date(t.signInCloses).toISOString()}` };
  return { late: now > t.lateFrom };
}

// ---- Summary -------------------------------------------------------------------------------

export const attendance = z.enum(['expected', 'present', 'late', 'absent']);
export type Attendance = z.infer<typeof attendance>;

export interface FeedbackRatings {
  content: number;
  method: number;
  trainer: number;
  usefulness: number;
}

export interface SessionSummary {
  participants: number;
  attended: number;
  late: number;
  absent: number;
  /** attended / participants */
  attendanceRate: number | null;
  /** on time / attended */
  punctuality: number | null;
  responses: number;
  /** responses / attended */
  responseRate: number | null;
  /** Averages of the 1–5 ratings, and of all four. */
  ratings: { content: number | null; method: number | null; trainer: number | null; usefulness: number | null; overall: number | null };
}

const RATINGS = ['content', 'method', 'trainer', 'usefulness'] as const;
const ratio = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 1000);
const mean = (values: number[]) => meanOf(values, 2);

/** A session's figures once its feedback closed; `sessions` of a plan add up by summing counts. */
export function summariseSession(participants: { attendance: Attendance }[], feedback: FeedbackRatings[]): SessionSummary {
  const late = participants.filter((p) => p.attendance === 'late').length;
  const attended = participants.filter((p) => p.attendance === 'present').length + late;
  const ratings = Object.fromEntries(RATINGS.map((k) => [k, mean(feedback.map((f) => f[k]))])) as Record<(typeof RATINGS)[number], number | null>;
  return {
    participants: participants.length,
    attended,
    late,
    absent: participants.filter((p) => p.attendance === 'absent').length,
    attendanceRate: ratio(attended, participants.length),
    punctuality: ratio(attended - late, attended),
    responses: feedback.length,
    responseRate: ratio(feedback.length, attended),
    ratings: { ...ratings, overall: mean(feedback.flatMap((f) => RATINGS.map((k) => f[k]))) },
  };
}

/** A plan's figures over its sessions whose feedback closed, and how many they are. */
export type SessionRollUp = SessionSummary & { sessions: number };

/** A plan's figures over its sessions whose feedback closed: every rate over all people, every
 *  average over all responses (not an average of averages). */
export function rollUpSessions(sessions: SessionSummary[]): SessionRollUp {
  const sum = (f: (s: SessionSummary) => number) => sessions.reduce((n, s) => n + f(s), 0);
  const participants = sum((s) => s.participants);
  const attended = sum((s) => s.attended);
  const late = sum((s) => s.late);
  const responses = sum((s) => s.responses);
  const weighted = (k: (typeof RATINGS)[number] | 'overall') => {
    const rated = sessions.filter((s) => s.ratings[k] !== null);
    const n = rated.reduce((c, s) => c + s.responses, 0);
    return n === 0 ? null : Math.round((rated.reduce((c, s) => c + s.ratings[k]! * s.responses, 0) / n) * 100) / 100;
  };
  return {
    sessions: sessions.length,
    participants,
    attended,
    late,
    absent: sum((s) => s.absent),
    attendanceRate: ratio(attended, participants),
    punctuality: ratio(attended - late, attended),
    responses,
    responseRate: ratio(responses, attended),
    ratings: { content: weighted('content'), method: weighted('method'), trainer: weighted('trainer'), usefulness: weighted('usefulness'), overall: weighted('overall') },
  };
}

// ---- Calendar invitation -------------------------------------------------------------------

const icsTime = (iso: string) => new Date(iso).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
const icsText = (s: string) => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/([,;])/g, '\\$1');

/** An iCalendar (RFC 5545) invitation; a later `sequence` replaces an earlier one, CANCEL withdraws it. */
export function calendarInvite(e: { uid: string; sequence: number; title: string; schedule: Schedule; description: string; method: 'REQUEST' | 'CANCEL'; stampedAt: string }): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Baton//Training sessions//ZH',
    `METHOD:${e.method}`,
    'BEGIN:VEVENT',
    `UID:${e.uid}`,
    `SEQUENCE:${e.sequence}`,
    `DTSTAMP:${icsTime(e.stampedAt)}`,
    `DTSTART:${icsTime(e.schedule.startsAt)}`,
    `DTEND:${icsTime(e.schedule.endsAt)}`,
    `SUMMARY:${icsText(e.title)}`,
    ...(e.schedule.location ? [`LOCATION:${icsText(e.schedule.location)}`] : []),
    `DESCRIPTION:${icsText(e.description)}`,
    `STATUS:${e.method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED'}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

// ---- API requests and flow messages -------------------------------------------------------

const text = (max: number, what: string) => z.string().trim().min(1, `${what} is required`).max(max);
const actor = { actorId: z.string().min(1) };
const instant = z.iso.datetime({ offset: true });
const people = z.array(z.string().min(1)).max(500);

const scheduleFields = { startsAt: instant, endsAt: instant, location: z.string().trim().max(200).optional() };
const endsAfterStart = (s: { startsAt: string; endsAt: string }) => Date.parse(s.endsAt) > Date.parse(s.startsAt);

/** HR adds a repeat session to an approved plan. */
export const addSessionRequest = z
  .object({
    title: text(200, 'a title'),
    ...scheduleFields,
    trainerId: z.string().min(1).optional(),
    /** Who prepares its room (unset: the plan's administrative owner, else the department's). */
    adminOwnerId: z.string().min(1).optional(),
  })
  .refine(endsAfterStart, { message: 'a session must end after it starts', path: ['endsAt'] });

export const rescheduleRequest = z
  .object({
    ...scheduleFields,
    reason: text(2000, 'a reason'),
    /** The schedule version the sender saw: a move made meanwhile by someone else refuses this one. */
    version: z.int().min(1).optional(),
  })
  .refine(endsAfterStart, { message: 'a session must end after it starts', path: ['endsAt'] });
export const rescheduleArgs = rescheduleRequest.safeExtend(actor);
export type RescheduleArgs = z.infer<typeof rescheduleArgs>;

export const participantsRequest = z
  .object({ add: people.default([]), remove: people.default([]) })
  .refine((p) => p.add.length + p.remove.length > 0, { message: 'name someone to add or remove', path: ['add'] });
export const participantsArgs = participantsRequest.safeExtend(actor);
export type ParticipantsArgs = z.infer<typeof participantsArgs>;

export const signInRequest = z.object({ code: z.string().regex(/^\d{6}$/, 'must be the six digits the trainer shows') });
export const signInArgs = signInRequest.extend(actor);
export type SignInArgs = z.infer<typeof signInArgs>;

/** The trainer (or HR) closes sign-in before its time: the class begins, whoever is not in is absent. */
export const closeSignInRequest = z.object({}).default({});
export const closeSignInArgs = z.object(actor);
export type CloseSignInArgs = z.infer<typeof closeSignInArgs>;

export const attendanceRequest = z.object({
  participantId: z.string().min(1),
  attendance: z.enum(['present', 'late', 'absent']),
  reason: text(2000, 'a reason'),
});
export const attendanceArgs = attendanceRequest.extend(actor);
export type AttendanceArgs = z.infer<typeof attendanceArgs>;

export const noteRequest = z.object({
  category: z.enum(['issue', 'participation', 'other']),
  text: text(4000, 'a text'),
  participantId: z.string().min(1).optional(),
});
export const noteArgs = noteRequest.extend(actor);
export type NoteArgs = z.infer<typeof noteArgs>;

const rating = z.int().min(1, 'rate 1 to 5').max(5, 'rate 1 to 5');
export const feedbackRequest = z.object({ content: rating, method: rating, trainer: rating, usefulness: rating, comments: z.string().trim().max(4000).optional() });
export const feedbackArgs = feedbackRequest.extend(actor);
export type FeedbackArgs = z.infer<typeof feedbackArgs>;

export const reportRequest = z.object({ covered: text(8000, 'what was covered'), deviations: z.string().trim().max(8000).optional() });
export const reportArgs = reportRequest.extend(actor);
export type ReportArgs = z.infer<typeof reportArgs>;

export const monitorRequest = z.object({ monitorId: z.string().min(1) });
export const monitorArgs = monitorRequest.extend(actor);
export type MonitorArgs = z.infer<typeof monitorArgs>;

export const trainerRequest = z.object({ trainerId: z.string().min(1) });
export const trainerArgs = trainerRequest.extend(actor);
export type TrainerArgs = z.infer<typeof trainerArgs>;
