import type { Logger } from 'pino';
import type { Db } from '../prisma/db';
import { appendAudit } from './audit';
import { changeAndNotify } from './notifications';

export interface OpenFlowInput {
  flowId: string;
  type: string;
  businessKey: string;
  subject: string;
  startedById: string;
}

export function flowActivities(db: Db, log: Logger) {
  return {
    /** Records that a flow started; a retry or a second start of the same flow adds nothing. */
    async openFlow(f: OpenFlowInput): Promise<void> {
      await db.$transaction(async (tx) => {
        await tx.flow.upsert({
          where: { id: f.flowId },
          create: { id: f.flowId, type: f.type, businessKey: f.businessKey, subject: f.subject, startedById: f.startedById },
          update: { subject: f.subject },
        });
        await appendAudit(tx, { key: `${f.flowId}:started`, action: 'flow.started', flowId: f.flowId, actorId: f.startedById, payload: { type: f.type, businessKey: f.businessKey } });
      });
    },

    /** The flow cannot go on until someone fixes the organisation: it shows `stalled` with the
     *  reason, and admins and HR hear of it (once per attempt). */
    async reportStall(s: OpenFlowInput & { attempt: number; reason: string }): Promise<void> {
      await changeAndNotify(db, log, async (tx, notify) => {
        const stalled = { status: 'stalled' as const, stalledReason: s.reason };
        const flow = await tx.flow.upsert({
          where: { id: s.flowId },
          create: { id: s.flowId, type: s.type, businessKey: s.businessKey, subject: s.subject, startedById: s.startedById, ...stalled },
          update: stalled,
        });
        const key = `${s.flowId}:stalled:${s.attempt}`;
        await appendAudit(tx, { key, action: 'flow.stalled', flowId: s.flowId, payload: { attempt: s.attempt, reason: s.reason } });
        const operators = await tx.employee.findMany({ where: { status: 'active', OR: [{ roles: { has: 'admin' } }, { roles: { has: 'hr' } }] }, select: { id: true } });
        for (const o of operators) notify({ key: `${key}:${o.id}`, recipientId: o.id, template: 'flow_stalled', params: { subject: flow.subject, reason: s.reason }, critical: true, flowId: s.flowId });
      });
    },

    async resumeAfterStall(s: { flowId: string; attempt: number }): Promise<void> {
      await db.$transaction(async (tx) => {
        await tx.flow.updateMany({ where: { id: s.flowId, status: 'stalled' }, data: { status: 'running', stalledReason: null } });
        await appendAudit(tx, { key: `${s.flowId}:resumed:${s.attempt}`, action: 'flow.resumed', flowId: s.flowId, payload: { attempt: s.attempt } });
      });
    },
  };
}
