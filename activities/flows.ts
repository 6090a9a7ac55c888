import type { Db } from '../prisma/db';
import { appendAudit } from './audit';

export interface OpenFlowInput {
  flowId: string;
  type: string;
  businessKey: string;
  subject: string;
  startedById: string;
}

export function flowActivities(db: Db) {
  return {
    /** Records that a flow started; a retry or a second start of the same flow adds nothing. */
    async openFlow(f: OpenFlowInput): Promise<void> {
      await db.$transaction(async (tx) => {
        await tx.flow.createMany({ data: [{ id: f.flowId, type: f.type, businessKey: f.businessKey, subject: f.subject, startedById: f.startedById }], skipDuplicates: true });
        await appendAudit(tx, { key: `${f.flowId}:started`, action: 'flow.started', flowId: f.flowId, actorId: f.startedById, payload: { type: f.type, businessKey: f.businessKey } });
      });
    },
  };
}
