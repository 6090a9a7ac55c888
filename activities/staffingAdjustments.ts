import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { OPEN_STAFFING, type StaffingAdjustmentInput, type StaffingPeople } from '../domain/staffingAdjustment';
import type { Db } from '../prisma/db';
import { changeSessionParticipants } from '../workflows/messages';
import { moveAccounts } from './accounts';
import { appendAudit, type Tx } from './audit';
import { changeAndNotify } from './notifications';

const shortDate = (at: Date) => at.toISOString().slice(0, 16).replace('T', ' ');

/** The writes of a staffing adjustment; each keyed by the adjustment (and its step), so a retry
 *  writes nothing twice. Accounts move only through `moveAccounts`. */
export function staffingActivities(db: Db, log: Logger, temporal: Client) {
  /** The adjustment, with the two collectors' names its notifications show. */
  async function namesOf(tx: Tx, id: string) {
    const a = await tx.staffingAdjustment.findUniqueOrThrow({ where: { id } });
    const people = await tx.employee.findMany({ where: { id: { in: [a.coveringId, a.coveredId] } }, select: { id: true, name: true } });
    const name = (personId: string) => people.find((p) => p.id === personId)!.name;
    return { a, coveringName: name(a.coveringId), coveredName: name(a.coveredId) };
  }

  return {
    /**
     * Records the adjustment, or refuses it when another open adjustment holds any of its accounts,
     * or the accounts are no longer the covered person's (the API checked both; two requests at
     * once are weighed in turn here, under the covered person's row lock). The head who decides is
     * the covered person's manager, else their department's head, else the first HR officer.
     */
    async recordStaffingAdjustment(s: StaffingAdjustmentInput & { flowId: string }): Promise<{ refusal?: string; people?: StaffingPeople }> {
      return db.$transaction(async (tx) => {
        const known = await tx.staffingAdjustment.findUnique({ where: { id: s.adjustmentId } });
        if (!known) {
          await tx.$queryRaw`SELECT id FROM employee WHERE id = ${s.coveredId} FOR UPDATE`;
          const overlapping = await tx.staffingAdjustment.findFirst({ where: { status: { in: OPEN_STAFFING }, accountIds: { hasSome: s.accountIds } }, select: { id: true } });
          if (overlapping) return { refusal: `accountIds: another open staffing adjustment (${overlapping.id}) covers some of these accounts` };
          const owned = await tx.account.count({ where: { id: { in: s.accountIds }, assigneeId: s.coveredId } });
          if (owned !== s.accountIds.length) return { refusal: 'accountIds: some of these accounts are no longer with the covered collector' };
        }
        const covered = await tx.employee.findUniqueOrThrow({
          where: { id: s.coveredId },
          select: { name: true, manager: { select: { id: true, status: true } }, department: { select: { head: { select: { id: true, status: true } } } } },
        });
        const covering = await tx.employee.findUniqueOrThrow({ where: { id: s.coveringId }, select: { name: true } });
        const hr = await tx.employee.findFirstOrThrow({ where: { status: 'active', roles: { has: 'hr' } }, orderBy: { employeeNo: 'asc' }, select: { id: true } });
        const active = (p: { id: string; status: string } | null) => (p?.status === 'active' && p.id !== s.coveredId ? p.id : undefined);
        const headId = known?.headId ?? active(covered.manager) ?? active(covered.department.head) ?? hr.id;
        const people = { headId, hrId: hr.id, coveringName: covering.name, coveredName: covered.name };
        if (known) return { people };
        const subject = `人员调整 ${covering.name} → ${covered.name}`;
        await tx.flow.create({ data: { id: s.flowId, type: 'staffing_adjustment', businessKey: s.adjustmentId, subject, startedById: s.createdById } });
        await tx.staffingAdjustment.create({
          data: {
            id: s.adjustmentId,
            flowId: s.flowId,
            coveringId: s.coveringId,
            coveredId: s.coveredId,
            headId,
            accountIds: s.accountIds,
            kind: s.kind,
            reason: s.reason,
            training: s.training,
            trainingSessionId: s.trainingSessionId,
            startsAt: new Date(s.startsAt),
            endsAt: new Date(s.endsAt),
            createdById: s.createdById,
          },
        });
        await appendAudit(tx, {
          key: `${s.flowId}:requested`,
          action: 'staffing.requested',
          flowId: s.flowId,
          actorId: s.createdById,
          payload: { coveringId: s.coveringId, coveredId: s.coveredId, accounts: s.accountIds.length, kind: s.kind, startsAt: s.startsAt, endsAt: s.endsAt, headId },
        });
        return { people };
      });
    },

    /** The head refused (or did not decide before the end date): nothing moves. */
    async refuseStaffingAdjustment(r: { flowId: string; adjustmentId: string; actorId?: string; reason: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        const { count } = await tx.staffingAdjustment.updateMany({ where: { id: r.adjustmentId, status: 'awaiting_approval' }, data: { status: 'refused', endReason: r.reason, endedAt: new Date() } });
        if (!count) return;
        await tx.flow.update({ where: { id: r.flowId }, data: { status: 'rejected', currentStep: null, closedAt: new Date() } });
        await appendAudit(tx, { key: `${r.flowId}:refused`, action: 'staffing.refused', flowId: r.flowId, actorId: r.actorId, payload: { reason: r.reason } });
      });
    },

    /** The cover starts: the accounts still with the covered person move to the covering one. */
    async startCover(c: { flowId: string; adjustmentId: string; actorId: string }): Promise<{ moved: number }> {
      return changeAndNotify(db, log, async (tx, notify) => {
        const { a, coveringName, coveredName } = await namesOf(tx, c.adjustmentId);
        if (a.status !== 'awaiting_approval') return { moved: a.movedAccountIds.length };
        const still = await tx.account.findMany({ where: { id: { in: a.accountIds }, assigneeId: a.coveredId }, select: { id: true }, orderBy: { id: 'asc' } });
        const movedAccountIds = still.map((x) => x.id);
        const key = `${c.flowId}:cover`;
        await moveAccounts(tx, { accountIds: movedAccountIds, fromId: a.coveredId, toId: a.coveringId, key, flowId: c.flowId, actorId: c.actorId });
        await tx.staffingAdjustment.update({ where: { id: a.id }, data: { status: 'active', movedAccountIds } });
        await tx.flow.update({ where: { id: c.flowId }, data: { currentStep: 'active' } });
        const params = { coveringName, coveredName, accounts: String(movedAccountIds.length), endsAt: shortDate(a.endsAt), reason: a.reason };
        for (const recipientId of [a.coveringId, a.coveredId]) notify({ key: `${key}:${recipientId}`, recipientId, template: 'staffing_started', params, flowId: c.flowId });
        return { moved: movedAccountIds.length };
      });
    },

    /**
     * The cover ends: made permanent (the accounts stay), or ended (at the end date or early) when
     * the accounts the cover took move back to their owner. An owner who has left meanwhile gets
     * nothing back: the accounts stay with the covering collector until HR reassigns them.
     */
    async endCover(e: { flowId: string; adjustmentId: string; how: 'ended' | 'permanent'; actorId?: string; reason?: string }): Promise<{ status: 'ended' | 'permanent' | 'left_with_cover' }> {
      return changeAndNotify(db, log, async (tx, notify) => {
        const { a, coveringName, coveredName } = await namesOf(tx, e.adjustmentId);
        if (a.status !== 'active') return { status: a.status as 'ended' | 'permanent' | 'left_with_cover' };
        const owner = await tx.employee.findUniqueOrThrow({ where: { id: a.coveredId }, select: { status: true } });
        const status = e.how === 'permanent' ? 'permanent' : owner.status === 'active' ? 'ended' : 'left_with_cover';
        const key = `${e.flowId}:${status}`;
        if (status === 'ended') {
          await moveAccounts(tx, { accountIds: a.movedAccountIds, fromId: a.coveringId, toId: a.coveredId, key: `${e.flowId}:back`, flowId: e.flowId, actorId: e.actorId });
        }
        await tx.staffingAdjustment.update({ where: { id: a.id }, data: { status, endReason: e.reason, endedAt: new Date() } });
        await tx.flow.update({ where: { id: e.flowId }, data: { currentStep: status } });
        await appendAudit(tx, { key, action: `staffing.${status}`, flowId: e.flowId, actorId: e.actorId, payload: { reason: e.reason, early: e.how === 'ended' && !!e.actorId } });
        if (status === 'left_with_cover') return { status };
        for (const recipientId of [a.coveringId, a.coveredId]) {
          notify({ key: `${key}:${recipientId}`, recipientId, template: 'staffing_ended', params: { coveringName, coveredName, how: status, reason: e.reason ?? '' }, flowId: e.flowId });
        }
        return { status };
      });
    },

    /** The accounts an owner who left could not take back go to whom HR names (the cover, if so). */
    async reassignCoveredAccounts(r: { flowId: string; adjustmentId: string; toId: string; actorId: string; onBehalfOfId?: string }): Promise<{ moved: number }> {
      return db.$transaction(async (tx) => {
        const a = await tx.staffingAdjustment.findUniqueOrThrow({ where: { id: r.adjustmentId } });
        const key = `${r.flowId}:reassigned`;
        const moved = await moveAccounts(tx, { accountIds: a.movedAccountIds, fromId: a.coveringId, toId: r.toId, key: `${key}:accounts`, flowId: r.flowId, actorId: r.actorId, onBehalfOfId: r.onBehalfOfId });
        await appendAudit(tx, { key, action: 'staffing.reassigned', flowId: r.flowId, actorId: r.actorId, onBehalfOfId: r.onBehalfOfId, payload: { toId: r.toId, moved } });
        return { moved };
      });
    },

    /**
     * The covering collector joins the session HR named, through the session's own flow (which
     * invites them); refused there (sign-in has opened, it was cancelled) or gone, it says why and
     * HR enrols them by hand. Keyed by the adjustment: a retried attempt joins once.
     */
    async enrolForCover(e: { flowId: string; sessionId: string; employeeId: string; actorId: string }): Promise<{ enrolled: boolean; session: string; refusal?: string }> {
      const session = await db.trainingSession.findUnique({ where: { id: e.sessionId }, select: { flowId: true, title: true, status: true } });
      if (!session) return { enrolled: false, session: e.sessionId, refusal: 'the session is not on record' };
      if (session.status !== 'scheduled') return { enrolled: false, session: session.title, refusal: `the session is ${session.status.replace(/_/g, ' ')}` };
      try {
        const args = { actorId: e.actorId, add: [e.employeeId], remove: [] };
        await temporal.workflow.getHandle(session.flowId).executeUpdate(changeSessionParticipants, { args: [args], updateId: `${e.flowId}:enrol` });
      } catch (err) {
        if (!(err instanceof WorkflowUpdateFailedError) && (err as { code?: number }).code !== 5) throw err;
        const refusal = err instanceof WorkflowUpdateFailedError && err.cause ? err.cause.message : 'the session has ended';
        return { enrolled: false, session: session.title, refusal };
      }
      await db.$transaction((tx) => appendAudit(tx, { key: `${e.flowId}:enrolled`, action: 'staffing.enrolled', flowId: e.flowId, actorId: e.actorId, payload: { sessionId: e.sessionId, employeeId: e.employeeId } }));
      return { enrolled: true, session: session.title };
    },

    /** The cover is over and what it left to HR (an enrolment, a reassignment) is done. */
    async finishStaffingAdjustment(f: { flowId: string }): Promise<void> {
      await db.flow.updateMany({ where: { id: f.flowId, status: 'running' }, data: { status: 'completed', currentStep: null, closedAt: new Date() } });
    },
  };
}
