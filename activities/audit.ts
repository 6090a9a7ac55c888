import type { Prisma } from '../prisma/db';
import { insertOnce } from './insertOnce';

export type Tx = Prisma.TransactionClient;

export interface AuditEntry {
  /** Idempotency key: the workflow id or task id plus the step, so a retried activity adds nothing. */
  key: string;
  action: string;
  flowId?: string;
  taskId?: string;
  /** Absent when the system itself acted (a reminder, an escalation). */
  actorId?: string;
  onBehalfOfId?: string;
  payload?: Record<string, unknown>;
}

export async function appendAudit(tx: Tx, ...entries: AuditEntry[]): Promise<void> {
  await insertOnce(tx, 'auditEvent', entries.map((e) => ({ ...e, payload: (e.payload ?? {}) as Prisma.InputJsonObject })));
}

/** One step of a flow on its audit trail, keyed by the flow and the step so a retry adds nothing. */
export function auditFlowStep(tx: Tx, flowId: string, step: string, action: string, payload: Record<string, unknown>, actorId?: string, onBehalfOfId?: string): Promise<void> {
  return appendAudit(tx, { key: `${flowId}:${step}`, action, flowId, actorId, onBehalfOfId, payload });
}
