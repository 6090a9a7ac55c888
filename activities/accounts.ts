/**
 * Moving delinquent accounts between collectors, for every procedure that does (a handover's
 * verified lines, a successor replaced, a hire's first portfolio): one rule, so no account is ever
 * left without exactly one active holder, and every move is on the audit trail.
 */
import { ApplicationFailure } from '@temporalio/common';
import { WRITE_CANNOT_SUCCEED } from '../domain/stalls';
import { appendAudit, type Tx } from './audit';

export interface AccountMove {
  accountIds: string[];
  /** Only accounts still with this person move (a handover's leaver); unset, whoever holds them. */
  fromId?: string;
  toId: string;
  /** The move's audit key (flow and step), so a retried transaction records it once. */
  key: string;
  flowId: string;
  actorId?: string;
  onBehalfOfId?: string;
}

/**
 * Moves the accounts in the caller's transaction, answering how many moved. The new holder must be
 * an active employee: an account given to anyone else would have no one to collect it.
 */
export async function moveAccounts(tx: Tx, m: AccountMove): Promise<number> {
  if (!m.accountIds.length) return 0;
  const to = await tx.employee.findUnique({ where: { id: m.toId }, select: { status: true } });
  if (to?.status !== 'active') {
    throw ApplicationFailure.create({ type: WRITE_CANNOT_SUCCEED, message: `accounts go only to an active employee; ${m.toId} is ${to?.status ?? 'unknown'}`, nonRetryable: true });
  }
  const moving = await tx.account.findMany({
    where: { id: { in: m.accountIds }, ...(m.fromId ? { assigneeId: m.fromId } : { assigneeId: { not: m.toId } }) },
    select: { id: true, assigneeId: true },
    orderBy: { id: 'asc' },
  });
  if (!moving.length) return 0;
  const { count } = await tx.account.updateMany({ where: { id: { in: moving.map((a) => a.id) } }, data: { assigneeId: m.toId } });
  await appendAudit(tx, {
    key: m.key,
    action: 'accounts.moved',
    flowId: m.flowId,
    actorId: m.actorId,
    onBehalfOfId: m.onBehalfOfId,
    payload: { to: m.toId, moves: moving.map((a) => ({ accountId: a.id, from: a.assigneeId })) },
  });
  return count;
}
