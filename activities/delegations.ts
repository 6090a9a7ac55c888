import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Db } from '../prisma/db';
import type { DelegationInput } from '../domain/delegation';
import { delegateTask } from '../workflows/messages';
import { appendAudit, type Tx } from './audit';
import { changeAndNotify } from './notifications';

const RUNNING = ['scheduled', 'active'] as const;

/** The delegation of `ownerId` running at `at`, if any: the one their new tasks go by. */
export function delegationAt(tx: Tx, ownerIds: string[], at: Date) {
  return tx.delegation.findMany({ where: { ownerId: { in: ownerIds }, status: { in: [...RUNNING] }, startsAt: { lte: at }, endsAt: { gt: at } } });
}

/** The delegation flows' writes; each keyed by the delegation, so a retry writes nothing twice. */
export function delegationActivities(db: Db, log: Logger, temporal: Client) {
  return {
    /** Records the period, or refuses it when it overlaps another of the owner's, or the delegate is
     *  away then too. The owner's row is locked, so two periods asked at once are weighed in turn. */
    async recordDelegation(d: DelegationInput & { flowId: string }): Promise<{ refusal?: string }> {
      return changeAndNotify(db, log, async (tx, notify) => {
        if (await tx.delegation.findUnique({ where: { id: d.delegationId } })) return {};
        await tx.$queryRaw`SELECT id FROM employee WHERE id = ${d.ownerId} FOR UPDATE`;
        const awayThen = (ownerId: string) =>
          tx.delegation.findFirst({ where: { ownerId, status: { in: [...RUNNING] }, startsAt: { lt: new Date(d.endsAt) }, endsAt: { gt: new Date(d.startsAt) } }, select: { id: true } });
        if (await awayThen(d.ownerId)) return { refusal: 'another delegation of theirs overlaps this period: end it or choose other dates' };
        if (await awayThen(d.delegateId)) return { refusal: 'the delegate is away then too, with a delegation of their own' };
        const [owner, delegate] = await Promise.all([tx.employee.findUniqueOrThrow({ where: { id: d.ownerId } }), tx.employee.findUniqueOrThrow({ where: { id: d.delegateId } })]);
        await tx.flow.create({ data: { id: d.flowId, type: 'delegation', businessKey: d.delegationId, subject: `${owner.name} → ${delegate.name}`, startedById: d.createdById } });
        await tx.delegation.create({
          data: { id: d.delegationId, flowId: d.flowId, ownerId: d.ownerId, delegateId: d.delegateId, startsAt: new Date(d.startsAt), endsAt: new Date(d.endsAt), reason: d.reason, createdById: d.createdById },
        });
        const key = `${d.flowId}:scheduled`;
        await appendAudit(tx, { key, action: 'delegation.scheduled', flowId: d.flowId, actorId: d.createdById, payload: { ownerId: d.ownerId, delegateId: d.delegateId, startsAt: d.startsAt, endsAt: d.endsAt, reason: d.reason } });
        notify({ key, recipientId: d.delegateId, template: 'delegation_scheduled', params: { ownerName: owner.name, startsAt: d.startsAt, endsAt: d.endsAt, reason: d.reason }, flowId: d.flowId });
        return {};
      });
    },

    /** The period starts: the owner's open tasks that may be handed on go to the delegate, each
     *  through its own flow (which refuses what it must: a task the delegate may not hold stays). */
    async handOverToDelegate({ delegationId }: { delegationId: string }): Promise<{ moved: number; kept: number }> {
      const d = await db.delegation.findUniqueOrThrow({ where: { id: delegationId } });
      await db.$transaction(async (tx) => {
        await tx.delegation.updateMany({ where: { id: delegationId, status: 'scheduled' }, data: { status: 'active' } });
        await appendAudit(tx, { key: `${d.flowId}:started`, action: 'delegation.started', flowId: d.flowId, payload: { ownerId: d.ownerId, delegateId: d.delegateId } });
      });
      const open = await db.task.findMany({ where: { assigneeId: d.ownerId, status: 'open', actions: { has: 'transfer' } }, select: { id: true, flowId: true } });
      let moved = 0;
      for (const task of open) {
        const args = { taskId: task.id, delegationId, ownerId: d.ownerId, delegateId: d.delegateId, reason: d.reason };
        try {
          await temporal.workflow.getHandle(task.flowId).executeUpdate(delegateTask, { args: [args], updateId: `delegate:${delegationId}:${task.id}` });
          moved++;
        } catch (err) {
          // Refused by its flow (decided meanwhile, not the delegate's to hold) or closed: it stays.
          if (!(err instanceof WorkflowUpdateFailedError) && (err as { code?: number }).code !== 5) throw err;
          log.info({ taskId: task.id, delegationId, reason: (err as Error).message }, 'task kept by its owner during the delegation');
        }
      }
      return { moved, kept: open.length - moved };
    },

    /** The period ended (by its timer, or early on request); both are told. */
    async endDelegation({ delegationId, flowId, actorId, reason, before }: { delegationId: string; flowId: string; actorId?: string; reason?: string; before: boolean }): Promise<void> {
      await changeAndNotify(db, log, async (tx, notify) => {
        const status = before ? 'cancelled' : 'ended';
        const { count } = await tx.delegation.updateMany({ where: { id: delegationId, status: { in: [...RUNNING] } }, data: { status, endedAt: new Date() } });
        if (count === 0) return;
        await tx.flow.update({ where: { id: flowId }, data: { status: before ? 'cancelled' : 'completed', closedAt: new Date(), currentStep: null } });
        const d = await tx.delegation.findUniqueOrThrow({ where: { id: delegationId }, include: { owner: true } });
        const key = `${flowId}:ended`;
        await appendAudit(tx, { key, action: `delegation.${status}`, flowId, actorId, payload: { reason, early: !!actorId } });
        for (const recipientId of [d.ownerId, d.delegateId]) {
          notify({ key: `${key}:${recipientId}`, recipientId, template: 'delegation_ended', params: { ownerName: d.owner.name, reason: reason ?? '' }, flowId });
        }
      });
    },
  };
}
