import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Prisma } from '../prisma/db';
import type {
  AssessmentArgs,
  CheckInArgs,
  CoachingArgs,
  CultureArgs,
  DrillArgs,
  OnboardingInput,
  OnboardingPeople,
  ProbationArgs,
  PulseArgs,
} from '../domain/onboarding';
import type { Db } from '../prisma/db';
import { sessionAttendanceFinal } from '../workflows/messages';
import { moveAccounts } from './accounts';
import { appendAudit, auditFlowStep, type Tx } from './audit';
import { changeAndNotify } from './notifications';
import { signalIfRunning } from './signals';

type Step = { flowId: string; employeeId: string };
type By = { actorId: string; onBehalfOfId?: string };
const day = (d: string) => new Date(`${d}T00:00:00Z`);

/** The open onboardings enrolled in a session whose attendance is final (sign-in closed, or it was
 *  cancelled) look at it now, not at its end; a repeated signal only makes them look again. */
export async function tellOnboardingsOf(db: Db, temporal: Client, sessionId: string): Promise<number> {
  const open = await db.onboarding.findMany({ where: { sessionId, status: 'open' }, select: { flowId: true } });
  for (const o of open) await signalIfRunning(temporal, o.flowId, sessionAttendanceFinal, { sessionId });
  return open.length;
}

/** The onboarding's writes; each keyed by the hire and the step (a drill's, a session's number), so
 *  a retry writes nothing twice. */
export function onboardingActivities(db: Db, log: Logger, temporal: Client) {
  /** Who the hire works for now: their manager, their department's head (else the manager). */
  async function peopleOf(tx: Tx, employeeId: string, registeredAt: Date): Promise<OnboardingPeople> {
    const hire = await tx.employee.findUniqueOrThrow({ where: { id: employeeId }, select: { name: true, managerId: true, departmentId: true, department: { select: { headId: true } } } });
    return { hireName: hire.name, managerId: hire.managerId!, departmentId: hire.departmentId, headId: hire.department.headId ?? hire.managerId!, registeredAt: registeredAt.toISOString() };
  }

  return {
    /** The hire on record as `onboarding` (a new employee, or a former one coming back), their
     *  onboarding and its flow; the hire and their manager are told. */
    async openOnboarding(o: OnboardingInput & { flowId: string }): Promise<OnboardingPeople> {
      return changeAndNotify(db, log, async (tx, notify) => {
        const known = await tx.onboarding.findUnique({ where: { employeeId: o.employeeId } });
        if (known) return peopleOf(tx, o.employeeId, known.createdAt);
        const placed = { departmentId: o.departmentId, managerId: o.managerId, status: 'onboarding' as const };
        if (o.person) {
          await tx.employee.create({ data: { id: o.employeeId, ...o.person, roles: ['employee'], ...placed } });
        } else {
          await tx.employee.update({ where: { id: o.employeeId }, data: placed });
        }
        const hire = await tx.employee.findUniqueOrThrow({ where: { id: o.employeeId }, select: { name: true } });
        await tx.flow.upsert({
          where: { id: o.flowId },
          create: { id: o.flowId, type: 'onboarding', businessKey: o.employeeId, subject: `新员工入职 Onboarding: ${hire.name}`, startedById: o.hrId },
          update: {},
        });
        const { createdAt } = await tx.onboarding.create({
          data: { employeeId: o.employeeId, flowId: o.flowId, departmentId: o.departmentId, managerId: o.managerId, trainerId: o.trainerId, hrId: o.hrId, startDate: day(o.startDate), documentIds: o.documentIds },
        });
        await appendAudit(
          tx,
          { key: `${o.flowId}:started`, action: 'flow.started', flowId: o.flowId, actorId: o.hrId, payload: { type: 'onboarding', businessKey: o.employeeId } },
          { key: `${o.flowId}:registered`, action: 'onboarding.registered', flowId: o.flowId, actorId: o.hrId, payload: { departmentId: o.departmentId, managerId: o.managerId, trainerId: o.trainerId, startDate: o.startDate, documentIds: o.documentIds, newRecord: !!o.person } },
        );
        for (const recipientId of [o.employeeId, o.managerId]) {
          notify({ key: `${o.flowId}:welcome:${recipientId}`, recipientId, template: 'onboarding_welcome', params: { name: hire.name, startDate: o.startDate }, flowId: o.flowId });
        }
        return peopleOf(tx, o.employeeId, createdAt);
      });
    },

    async attestCulture(c: Step & CultureArgs): Promise<void> {
      await db.$transaction(async (tx) => {
        const { count } = await tx.onboarding.updateMany({ where: { employeeId: c.employeeId, cultureAttestedAt: null }, data: { cultureAttestedAt: new Date() } });
        if (count) await auditFlowStep(tx, c.flowId, 'culture', 'onboarding.culture_attested', { statement: c.statement }, c.actorId);
      });
    },

    /** The current version of each document. */
    async documentVersions({ documentIds }: { documentIds: string[] }): Promise<Record<string, number>> {
      const docs = await db.document.findMany({ where: { id: { in: documentIds } }, select: { id: true, version: true } });
      return Object.fromEntries(docs.map((d) => [d.id, d.version]));
    },

    async confirmDocument(c: Step & { documentId: string; version: number; actorId: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        const { count } = await tx.documentConfirmation.createMany({ data: [{ employeeId: c.employeeId, documentId: c.documentId, version: c.version }], skipDuplicates: true });
        if (count) await auditFlowStep(tx, c.flowId, `document/${c.documentId}/v${c.version}`, 'onboarding.document_confirmed', { documentId: c.documentId, version: c.version }, c.actorId);
      });
    },

    /** The session the hire is enrolled in, as far as it has gone: attendance is final once sign-in has closed. */
    async sessionAttendance({ sessionId, employeeId }: { sessionId: string; employeeId: string }): Promise<{ status: string; endsAt: string; attendance: string | null }> {
      const session = await db.trainingSession.findUniqueOrThrow({ where: { id: sessionId }, select: { status: true, endsAt: true } });
      const seat = await db.sessionParticipant.findUnique({ where: { sessionId_employeeId: { sessionId, employeeId } }, select: { attendance: true } });
      return { status: session.status, endsAt: session.endsAt.toISOString(), attendance: seat?.attendance ?? null };
    },

    /** The session's attendance is final: the onboardings enrolled in it look now. */
    async tellOnboardingsOfSession({ sessionId }: { sessionId: string }): Promise<{ told: number }> {
      return { told: await tellOnboardingsOf(db, temporal, sessionId) };
    },

    async recordTraining(t: Step & { sessionId: string; attendance: string | null; enrolledById?: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        await tx.onboarding.update({ where: { employeeId: t.employeeId }, data: { sessionId: t.sessionId, attendance: t.attendance } });
        const step = t.attendance ? `training/${t.sessionId}/${t.attendance}` : `training/${t.sessionId}/enrolled`;
        const action = !t.attendance ? 'onboarding.enrolled' : ['present', 'late'].includes(t.attendance) ? 'onboarding.training_attended' : 'onboarding.training_missed';
        await auditFlowStep(tx, t.flowId, step, action, { sessionId: t.sessionId, attendance: t.attendance }, t.enrolledById);
      });
    },

    /** The knowledge score the session's follow-up recorded for the hire (their latest attempt), if any. */
    async recordTrainingScore(t: Step & { sessionId: string }): Promise<number | null> {
      const session = await db.trainingSession.findUniqueOrThrow({ where: { id: t.sessionId }, select: { planId: true } });
      const latest = await db.knowledgeScore.findFirst({ where: { employeeId: t.employeeId, followUp: { planId: session.planId } }, orderBy: { attempt: 'desc' } });
      const score = latest?.score ?? null;
      await db.onboarding.update({ where: { employeeId: t.employeeId }, data: { trainingScore: score } });
      return score;
    },

    async recordDrill(d: Step & DrillArgs & { drillNo: number; mean: number; passed: boolean }): Promise<void> {
      await db.$transaction(async (tx) => {
        const { count } = await tx.onboardingDrill.createMany({
          data: [{ employeeId: d.employeeId, drillNo: d.drillNo, scenario: d.scenario, scores: d.scores as Prisma.InputJsonObject, mean: d.mean, passed: d.passed, notes: d.notes, scoredById: d.actorId }],
          skipDuplicates: true,
        });
        if (count) await auditFlowStep(tx, d.flowId, `drill/${d.drillNo}`, 'onboarding.drill_scored', { drillNo: d.drillNo, mean: d.mean, passed: d.passed }, d.actorId);
      });
    },

    async logCoaching(c: Step & CoachingArgs & { sessionNo: number }): Promise<void> {
      await db.$transaction(async (tx) => {
        const { count } = await tx.onboardingCoaching.createMany({ data: [{ employeeId: c.employeeId, sessionNo: c.sessionNo, heldOn: day(c.heldOn), notes: c.notes, coachId: c.actorId }], skipDuplicates: true });
        if (count) await auditFlowStep(tx, c.flowId, `coaching/${c.sessionNo}`, 'onboarding.coaching_logged', { sessionNo: c.sessionNo, heldOn: c.heldOn }, c.actorId);
      });
    },

    /** An attempt at the assessment; a pass makes the hire an active employee. */
    async recordOnboardingAssessment(a: Step & AssessmentArgs & By & { round: number; attempt: number; passed: boolean }): Promise<void> {
      await changeAndNotify(db, log, async (tx, notify) => {
        const { count } = await tx.onboardingAssessment.createMany({
          data: [{ employeeId: a.employeeId, round: a.round, attempt: a.attempt, score: a.score, passed: a.passed, notes: a.notes, assessedById: a.actorId, onBehalfOfId: a.onBehalfOfId }],
          skipDuplicates: true,
        });
        if (!count) return;
        await auditFlowStep(tx, a.flowId, `assessment/${a.round}/${a.attempt}`, 'onboarding.assessed', { round: a.round, attempt: a.attempt, score: a.score, passed: a.passed }, a.actorId, a.onBehalfOfId);
        if (!a.passed) return;
        const { name } = await tx.employee.update({ where: { id: a.employeeId }, data: { status: 'active' } });
        const { managerId } = await tx.onboarding.update({ where: { employeeId: a.employeeId }, data: { status: 'passed' } });
        for (const recipientId of [a.employeeId, managerId]) {
          notify({ key: `${a.flowId}:passed:${recipientId}`, recipientId, template: 'onboarding_passed', params: { name, score: String(a.score) }, flowId: a.flowId });
        }
      });
    },

    async recordProbationDecision(p: Step & ProbationArgs & { round: number; pass: number }): Promise<void> {
      await db.$transaction(async (tx) => {
        const { count } = await tx.onboardingDecision.createMany({
          data: [{ employeeId: p.employeeId, round: p.round, pass: p.pass, decision: p.decision, reason: p.reason, extendBy: p.extendBy, departmentId: p.departmentId, managerId: p.managerId, decidedById: p.actorId }],
          skipDuplicates: true,
        });
        if (count) await auditFlowStep(tx, p.flowId, `probation/${p.round}/${p.pass}`, 'onboarding.probation_proposed', { decision: p.decision, reason: p.reason, extendBy: p.extendBy, departmentId: p.departmentId, managerId: p.managerId }, p.actorId);
      });
    },

    /**
     * The head's countersignature on HR's decision; an approved one takes effect in the same
     * transaction: a longer probation, another department and manager, or the end (the hire leaves).
     */
    async countersignProbation(c: Step & By & { round: number; pass: number; outcome: string; comment?: string; probationEndsAt?: string }): Promise<OnboardingPeople> {
      return changeAndNotify(db, log, async (tx, notify) => {
        const onboarding = await tx.onboarding.findUniqueOrThrow({ where: { employeeId: c.employeeId } });
        const decision = await tx.onboardingDecision.findUniqueOrThrow({ where: { employeeId_round_pass: { employeeId: c.employeeId, round: c.round, pass: c.pass } } });
        if (decision.countersign) return peopleOf(tx, c.employeeId, onboarding.createdAt);
        await tx.onboardingDecision.update({ where: { employeeId_round_pass: { employeeId: c.employeeId, round: c.round, pass: c.pass } }, data: { countersign: c.outcome, countersignedBy: c.actorId } });
        const approved = c.outcome === 'approve';
        if (approved && decision.decision === 'end') {
          await tx.employee.update({ where: { id: c.employeeId }, data: { status: 'left' } });
          await tx.onboarding.update({ where: { employeeId: c.employeeId }, data: { status: 'ended', finishedAt: new Date() } });
        } else if (approved) {
          const placed = decision.decision === 'reassign' ? { departmentId: decision.departmentId!, managerId: decision.managerId! } : {};
          await tx.employee.update({ where: { id: c.employeeId }, data: placed });
          await tx.onboarding.update({ where: { employeeId: c.employeeId }, data: { ...placed, probationEndsAt: c.probationEndsAt ? new Date(c.probationEndsAt) : null } });
        }
        await auditFlowStep(
          tx,
          c.flowId,
          `probation/${c.round}/${c.pass}/countersign`,
          approved ? 'onboarding.probation_decided' : 'onboarding.probation_sent_back',
          { decision: decision.decision, reason: decision.reason, comment: c.comment, probationEndsAt: c.probationEndsAt, departmentId: decision.departmentId, managerId: decision.managerId },
          c.actorId,
          c.onBehalfOfId,
        );
        if (approved) {
          const hire = await tx.employee.findUniqueOrThrow({ where: { id: c.employeeId }, select: { name: true } });
          for (const recipientId of new Set([c.employeeId, onboarding.managerId, decision.managerId ?? onboarding.managerId])) {
            notify({ key: `${c.flowId}:probation:${c.round}:${recipientId}`, recipientId, template: 'onboarding_probation_decided', params: { name: hire.name, decision: decision.decision, reason: decision.reason }, flowId: c.flowId });
          }
        }
        return peopleOf(tx, c.employeeId, onboarding.createdAt);
      });
    },

    async recordCheckIn(c: Step & CheckInArgs & By): Promise<void> {
      await db.$transaction(async (tx) => {
        const { count } = await tx.onboardingCheckIn.createMany({ data: [{ employeeId: c.employeeId, checkpoint: c.checkpoint, heldOn: day(c.heldOn), progress: c.progress, notes: c.notes, managerId: c.actorId }], skipDuplicates: true });
        if (count) await auditFlowStep(tx, c.flowId, `check-in/${c.checkpoint}`, 'onboarding.checked_in', { checkpoint: c.checkpoint, progress: c.progress }, c.actorId, c.onBehalfOfId);
      });
    },

    async recordPulse(p: Step & PulseArgs): Promise<void> {
      await db.$transaction(async (tx) => {
        const { checkpoint, workload, support, confidence, belonging, comment } = p;
        const { count } = await tx.onboardingPulse.createMany({ data: [{ employeeId: p.employeeId, checkpoint, workload, support, confidence, belonging, comment }], skipDuplicates: true });
        if (count) await auditFlowStep(tx, p.flowId, `pulse/${checkpoint}`, 'onboarding.pulse_answered', { checkpoint }, p.actorId);
      });
    },

    /** The hire's first portfolio: the accounts move to them under the rule every move follows. */
    async assignFirstPortfolio(p: Step & By & { accountIds: string[]; assignment: number }): Promise<{ moved: number }> {
      return db.$transaction(async (tx) => {
        const key = `${p.flowId}:portfolio/${p.assignment}`;
        const moved = await moveAccounts(tx, { accountIds: p.accountIds, toId: p.employeeId, key, flowId: p.flowId, actorId: p.actorId, onBehalfOfId: p.onBehalfOfId });
        return { moved };
      });
    },

    async finishOnboarding({ flowId, employeeId }: Step): Promise<void> {
      await db.$transaction(async (tx) => {
        const { count } = await tx.onboarding.updateMany({ where: { employeeId, finishedAt: null }, data: { finishedAt: new Date() } });
        await tx.flow.updateMany({ where: { id: flowId, status: 'running' }, data: { status: 'completed', currentStep: null, closedAt: new Date() } });
        if (count) await appendAudit(tx, { key: `${flowId}:done`, action: 'onboarding.done', flowId, payload: {} });
      });
    },
  };
}
