import type { Logger } from 'pino';
import { Prisma, type Db } from '../prisma/db';
import type { Template } from '../domain/notifications';
import { calendarInvite, rollUpSessions, summariseSession, type Attendance, type FeedbackRatings, type PlannedSession, type SessionSummary } from '../domain/trainingSession';
import { auditFlowStep, type Tx } from './audit';
import { changeAndNotify, type NotificationDraft } from './notifications';
import { insertOnce } from './insertOnce';

export interface OpenSessionInput extends PlannedSession {
  flowId: string;
  signInSecret: string;
  codeRotationMs: number;
  startedById: string;
}

export type PreparationStep = 'schedule' | 'checklist' | 'trainer';
type Notify = (...n: NotificationDraft[]) => void;

/** Everyone a session concerns: participants and their managers, and the trainer. */
async function audienceOf(tx: Tx, sessionId: string, only?: string[]) {
  const session = await tx.trainingSession.findUniqueOrThrow({ where: { id: sessionId }, include: { participants: true } });
  const ids = only ?? session.participants.map((p) => p.employeeId);
  const people = await tx.employee.findMany({ where: { id: { in: ids }, status: { not: 'left' } }, select: { id: true, managerId: true } });
  const managers = new Set(people.map((p) => p.managerId).filter((m): m is string => !!m && !ids.includes(m)));
  const trainer = session.trainerId && !only ? [session.trainerId] : [];
  return { session, recipients: [...new Set([...people.map((p) => p.id), ...managers, ...trainer])] };
}

/** Tells everyone concerned about the session, with a calendar invitation (or its withdrawal). */
async function announce(tx: Tx, notify: Notify, sessionId: string, kind: 'invitation' | 'rescheduled' | 'cancelled', reason = '', only?: string[]) {
  const { session, recipients } = await audienceOf(tx, sessionId, only);
  const schedule = { startsAt: session.startsAt.toISOString(), endsAt: session.endsAt.toISOString(), location: session.location ?? undefined };
  const ics = calendarInvite({
    uid: `${session.id}@baton`,
    sequence: session.scheduleVersion,
    title: session.title,
    schedule,
    description: reason || session.title,
    method: kind === 'cancelled' ? 'CANCEL' : 'REQUEST',
    stampedAt: session.updatedAt.toISOString(),
  });
  const template: Template = kind === 'invitation' ? 'session_invitation' : kind === 'rescheduled' ? 'session_rescheduled' : 'session_cancelled';
  for (const recipientId of recipients) {
    notify({
      key: `${session.id}:${kind}:v${session.scheduleVersion}:${recipientId}`,
      recipientId,
      template,
      params: { title: session.title, startsAt: schedule.startsAt, endsAt: schedule.endsAt, location: schedule.location ?? '', reason, ics },
      flowId: session.flowId,
    });
  }
  return recipients.length;
}

/** Merges steps into the session's preparation in one statement, so steps finishing together do
 *  not overwrite each other. */
async function mergePreparation(tx: Tx, sessionId: string, steps: Partial<Record<PreparationStep, string>>): Promise<void> {
  await tx.$executeRaw`UPDATE training_session SET preparation = preparation || ${JSON.stringify(steps)}::jsonb, updated_at = now() WHERE id = ${sessionId}`;
}

/**
 * Who prepares the session's room: whom HR named for the session or its plan, else the
 * department's administrative owner, each while still active; else the first active admin, else
 * the starter.
 */
async function adminOwnerOf(tx: Tx, s: OpenSessionInput): Promise<string> {
  const plan = await tx.trainingPlan.findUniqueOrThrow({ where: { id: s.planId }, select: { department: { select: { adminOwnerId: true } } } });
  const named = [s.adminOwnerId, plan.department.adminOwnerId].filter((id): id is string => !!id);
  const active = await tx.employee.findMany({ where: { id: { in: named }, status: 'active' }, select: { id: true } });
  const owner = named.find((id) => active.some((e) => e.id === id));
  if (owner) return owner;
  const admin = await tx.employee.findFirst({ where: { roles: { has: 'admin' }, status: 'active' }, orderBy: { employeeNo: 'asc' }, select: { id: true } });
  return admin?.id ?? s.startedById;
}

/** A cancelled session (by HR or an operator): its row says so and everyone concerned is told. */
export async function endSession(tx: Tx, notify: Notify, sessionId: string, reason: string): Promise<Record<string, unknown>> {
  const { count } = await tx.trainingSession.updateMany({ where: { id: sessionId, status: { notIn: ['completed', 'cancelled'] } }, data: { status: 'cancelled' } });
  if (count === 0) return {};
  return { told: await announce(tx, notify, sessionId, 'cancelled', reason) };
}

/** The session's writes, each keyed by the session and the step, so a retry changes nothing twice. */
export function trainingSessionActivities(db: Db, log: Logger) {
  return {
    /** Records the session and enrols the plan's participants who are still with the company;
     *  answers who owns the administrative preparation (see adminOwnerOf). */
    async openSession(s: OpenSessionInput): Promise<{ participantIds: string[]; adminOwnerId: string }> {
      return db.$transaction(async (tx) => {
        const { participantIds, flowId, sessionId } = s;
        const adminOwnerId = await adminOwnerOf(tx, s);
        // Column by column: flows started before sessionOfPlan named its fields carry a plan's
        // whole session (its modules too) in their input.
        const row = { id: sessionId, planId: s.planId, sessionNo: s.sessionNo, flowId, title: s.title, location: s.location, trainerId: s.trainerId, adminOwnerId };
        const codes = { signInSecret: s.signInSecret, codeRotationMs: s.codeRotationMs };
        await insertOnce(tx, 'trainingSession', [{ ...row, ...codes, startsAt: new Date(s.startsAt), endsAt: new Date(s.endsAt) }]);
        const enrolled = participantIds.length === 0 ? [] : await tx.employee.findMany({ where: { id: { in: participantIds }, status: { not: 'left' } }, select: { id: true } });
        await insertOnce(tx, 'sessionParticipant', enrolled.map((e) => ({ sessionId: s.sessionId, employeeId: e.id })));
        const skipped = participantIds.filter((id) => !enrolled.some((e) => e.id === id));
        const scheduled = { sessionId: s.sessionId, planId: s.planId, sessionNo: s.sessionNo, startsAt: s.startsAt, participants: enrolled.length, skipped, adminOwnerId };
        await auditFlowStep(tx, flowId, 'scheduled', 'session.scheduled', scheduled);
        return { participantIds: enrolled.map((e) => e.id), adminOwnerId };
      });
    },

    /** Invites everyone concerned (participants, their managers, the trainer), or only `only`. */
    async announceSession(a: { sessionId: string; kind: 'invitation' | 'rescheduled'; reason?: string; only?: string[] }): Promise<{ told: number }> {
      return changeAndNotify(db, log, async (tx, notify) => ({ told: await announce(tx, notify, a.sessionId, a.kind, a.reason, a.only) }));
    },

    /** One preparation step's state. */
    async recordPreparation(p: { flowId: string; sessionId: string; step: PreparationStep; state: string; version: number; actorId?: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        await mergePreparation(tx, p.sessionId, { [p.step]: p.state });
        await auditFlowStep(tx, p.flowId, `preparation:${p.step}:${p.state}:v${p.version}`, 'session.preparation', { step: p.step, state: p.state }, p.actorId);
      });
    },

    async setMonitor(m: { flowId: string; sessionId: string; monitorId: string; actorId: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        await tx.trainingSession.update({ where: { id: m.sessionId }, data: { monitorId: m.monitorId } });
        await auditFlowStep(tx, m.flowId, `monitor:${m.monitorId}`, 'session.monitor_named', { monitorId: m.monitorId }, m.actorId);
      });
    },

    async setTrainer(t: { flowId: string; sessionId: string; trainerId: string; actorId: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        await tx.trainingSession.update({ where: { id: t.sessionId }, data: { trainerId: t.trainerId } });
        await auditFlowStep(tx, t.flowId, `trainer:${t.trainerId}`, 'session.trainer_named', { trainerId: t.trainerId }, t.actorId);
      });
    },

    /** Preparation still open shortly before the start: HR hears of it as critical. */
    async reportPreparationLate(p: { flowId: string; sessionId: string; hrId: string; open: string[] }): Promise<void> {
      await changeAndNotify(db, log, async (tx, notify) => {
        const session = await tx.trainingSession.findUniqueOrThrow({ where: { id: p.sessionId } });
        await auditFlowStep(tx, p.flowId, `preparation-late:v${session.scheduleVersion}`, 'session.preparation_late', { open: p.open });
        notify({ key: `${p.flowId}:preparation-late:v${session.scheduleVersion}`, recipientId: p.hrId, template: 'session_preparation_late', params: { title: session.title, startsAt: session.startsAt.toISOString(), open: p.open.join(', ') }, critical: true, flowId: p.flowId });
      });
    },

    /** Moves the session (version `version` replaces the one before it) and, once they were
     *  invited (`tell`), tells everyone. */
    async rescheduleSession(r: { flowId: string; sessionId: string; version: number; startsAt: string; endsAt: string; location?: string; reason: string; actorId: string; tell: boolean }): Promise<{ told: number }> {
      return changeAndNotify(db, log, async (tx, notify) => {
        const { count } = await tx.trainingSession.updateMany({
          where: { id: r.sessionId, scheduleVersion: r.version - 1 },
          data: { scheduleVersion: r.version, startsAt: new Date(r.startsAt), endsAt: new Date(r.endsAt), ...(r.location !== undefined ? { location: r.location } : {}) },
        });
        // The new schedule waits for HR's confirmation again.
        await mergePreparation(tx, r.sessionId, { schedule: 'open' });
        await auditFlowStep(tx, r.flowId, `rescheduled:v${r.version}`, 'session.rescheduled', { version: r.version, startsAt: r.startsAt, endsAt: r.endsAt, location: r.location, reason: r.reason, applied: count }, r.actorId);
        return { told: r.tell ? await announce(tx, notify, r.sessionId, 'rescheduled', r.reason) : 0 };
      });
    },

    async changeParticipants(c: { flowId: string; sessionId: string; add: string[]; remove: string[]; actorId: string; change: number }): Promise<{ added: string[]; removed: string[] }> {
      return changeAndNotify(db, log, async (tx, notify) => {
        const active = await tx.employee.findMany({ where: { id: { in: c.add }, status: { not: 'left' } }, select: { id: true } });
        const added = active.map((e) => e.id);
        await insertOnce(tx, 'sessionParticipant', added.map((employeeId) => ({ sessionId: c.sessionId, employeeId })));
        const { count } = await tx.sessionParticipant.deleteMany({ where: { sessionId: c.sessionId, employeeId: { in: c.remove } } });
        await auditFlowStep(tx, c.flowId, `participants:${c.change}`, 'session.participants_changed', { added, removed: c.remove, removedRows: count }, c.actorId);
        if (added.length) await announce(tx, notify, c.sessionId, 'invitation', '', added);
        return { added, removed: c.remove };
      });
    },

    async setSessionStatus(s: { flowId: string; sessionId: string; status: 'signing_in' | 'in_progress' | 'feedback' | 'completed' }): Promise<void> {
      await db.$transaction(async (tx) => {
        await tx.trainingSession.update({ where: { id: s.sessionId }, data: { status: s.status } });
        const done = s.status === 'completed';
        await tx.flow.update({ where: { id: s.flowId }, data: done ? { status: 'completed', currentStep: null, closedAt: new Date() } : { currentStep: s.status } });
        await auditFlowStep(tx, s.flowId, `status:${s.status}`, `session.${s.status}`, {});
      });
    },

    /**
     * A participant's attendance: a sign-in (`byId` unset: only while still expected, so a second
     * sign-in changes nothing) or the trainer's record by hand, with the reason. Answers what is
     * on record afterwards.
     */
    async recordAttendance(a: { flowId: string; sessionId: string; employeeId: string; attendance: Attendance; at: string; byId?: string; reason?: string; entry: number }): Promise<{ attendance: Attendance; signedInAt: string | null }> {
      return db.$transaction(async (tx) => {
        const where = { sessionId_employeeId: { sessionId: a.sessionId, employeeId: a.employeeId } };
        const byHand = a.byId !== undefined;
        const { count } = await tx.sessionParticipant.updateMany({
          where: { sessionId: a.sessionId, employeeId: a.employeeId, ...(byHand ? {} : { attendance: 'expected' }) },
          data: { attendance: a.attendance, signedInAt: a.attendance === 'absent' ? null : new Date(a.at), recordedById: a.byId ?? null, recordedReason: a.reason ?? null },
        });
        if (count > 0) {
          await auditFlowStep(tx, a.flowId, `attendance:${a.employeeId}:${a.entry}`, byHand ? 'session.attendance_recorded' : 'session.signed_in', { participantId: a.employeeId, attendance: a.attendance, reason: a.reason }, a.byId ?? a.employeeId, byHand ? a.employeeId : undefined);
        }
        const row = await tx.sessionParticipant.findUniqueOrThrow({ where });
        return { attendance: row.attendance, signedInAt: row.signedInAt?.toISOString() ?? null };
      });
    },

    /** The trainer or HR closed sign-in before its time: who, on the audit trail. */
    async recordSignInClosed(c: { flowId: string; sessionId: string; actorId: string }): Promise<void> {
      await db.$transaction((tx) => auditFlowStep(tx, c.flowId, 'sign-in-closed', 'session.sign_in_closed', { sessionId: c.sessionId }, c.actorId));
    },

    /** When sign-in closes: everyone still expected is absent, and their managers are told. */
    async recordAbsentees(a: { flowId: string; sessionId: string }): Promise<{ absent: string[] }> {
      return changeAndNotify(db, log, async (tx, notify) => {
        const expected = await tx.sessionParticipant.findMany({ where: { sessionId: a.sessionId, attendance: 'expected' }, select: { employeeId: true } });
        const absent = expected.map((p) => p.employeeId);
        await tx.sessionParticipant.updateMany({ where: { sessionId: a.sessionId, employeeId: { in: absent } }, data: { attendance: 'absent' } });
        await auditFlowStep(tx, a.flowId, 'absentees', 'session.absentees_recorded', { absent });
        const session = await tx.trainingSession.findUniqueOrThrow({ where: { id: a.sessionId } });
        const people = await tx.employee.findMany({ where: { id: { in: absent } }, select: { id: true, name: true, managerId: true } });
        for (const p of people) {
          if (!p.managerId) continue;
          notify({ key: `${a.flowId}:absent:${p.id}`, recipientId: p.managerId, template: 'session_absent', params: { title: session.title, name: p.name, startsAt: session.startsAt.toISOString() }, flowId: a.flowId });
        }
        return { absent };
      });
    },

    async recordSessionNote(n: { flowId: string; id: string; sessionId: string; authorId: string; category: string; text: string; participantId?: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        const { flowId, ...row } = n;
        await insertOnce(tx, 'sessionNote', [row]);
        await auditFlowStep(tx, flowId, `note:${n.id}`, 'session.note', { noteId: n.id, category: n.category, participantId: n.participantId }, n.authorId);
      });
    },

    async recordFeedback(f: { flowId: string; sessionId: string; employeeId: string; ratings: FeedbackRatings; comments?: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        await insertOnce(tx, 'sessionFeedback', [{ sessionId: f.sessionId, employeeId: f.employeeId, ...f.ratings, comments: f.comments }]);
        await auditFlowStep(tx, f.flowId, `feedback:${f.employeeId}`, 'session.feedback', { ...f.ratings }, f.employeeId);
      });
    },

    async recordSessionReport(r: { flowId: string; sessionId: string; covered: string; deviations?: string; actorId: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        await tx.trainingSession.update({ where: { id: r.sessionId }, data: { report: { covered: r.covered, deviations: r.deviations ?? null, by: r.actorId } } });
        await auditFlowStep(tx, r.flowId, 'report', 'session.report', { deviations: !!r.deviations }, r.actorId);
      });
    },

    /**
     * Feedback closed: the session's summary (attendance, punctuality, response rate, ratings) is
     * stored, the plan's roll-up over its closed sessions recomputed, and the attendees handed to
     * the follow-up (recorded until the follow-up flow exists).
     */
    async closeSessionFeedback(c: { flowId: string; sessionId: string }): Promise<SessionSummary> {
      return db.$transaction(async (tx) => {
        const session = await tx.trainingSession.findUniqueOrThrow({ where: { id: c.sessionId }, include: { participants: true, feedback: true } });
        const summary = summariseSession(session.participants, session.feedback);
        await tx.trainingSession.update({ where: { id: c.sessionId }, data: { summary: summary as unknown as Prisma.InputJsonObject } });
        // Row-locks the plan so two sessions closing at once roll up in turn.
        await tx.$queryRaw`SELECT id FROM training_plan WHERE id = ${session.planId} FOR UPDATE`;
        const closed = await tx.trainingSession.findMany({ where: { planId: session.planId, summary: { not: Prisma.DbNull } }, select: { summary: true } });
        const rollUp = rollUpSessions(closed.map((s) => s.summary as unknown as SessionSummary));
        await tx.trainingPlan.update({ where: { id: session.planId }, data: { sessionSummary: rollUp as unknown as Prisma.InputJsonObject } });
        const attendees = session.participants.filter((p) => p.attendance === 'present' || p.attendance === 'late').map((p) => p.employeeId);
        await auditFlowStep(tx, c.flowId, 'feedback-closed', 'session.feedback_closed', { ...summary });
        await auditFlowStep(tx, c.flowId, 'handed-to-follow-up', 'session.attendees_handed_over', { planId: session.planId, attendees });
        return summary;
      });
    },
  };
}
