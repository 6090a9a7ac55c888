import type { Logger } from 'pino';
import type { Db, Prisma } from '../prisma/db';
import { renderNotification, type Template } from '../domain/notifications';
import { TRANSACTION_TIMEOUT_MS } from '../domain/settings';
import type { Tx } from './audit';

export interface NotificationDraft {
  /** Idempotency key, like an audit event's. */
  key: string;
  recipientId: string;
  template: Template;
  params: Record<string, string>;
  critical?: boolean;
  flowId?: string;
  taskId?: string;
}

async function queueNotifications(tx: Tx, drafts: NotificationDraft[]): Promise<void> {
  await tx.notification.createMany({
    data: drafts.map((d) => ({ ...d, params: d.params as Prisma.InputJsonObject })),
    skipDuplicates: true,
  });
}

/**
 * Runs a change in one transaction together with the notifications it announces (the outbox), then
 * delivers them. `notify` collects notifications while the change runs.
 */
export async function changeAndNotify<T>(db: Db, log: Logger, change: (tx: Tx, notify: (...n: NotificationDraft[]) => void) => Promise<T>): Promise<T> {
  const drafts: NotificationDraft[] = [];
  const result = await db.$transaction(
    async (tx) => {
      const r = await change(tx, (...n) => drafts.push(...n));
      if (drafts.length) await queueNotifications(tx, drafts);
      return r;
    },
    { timeout: TRANSACTION_TIMEOUT_MS },
  );
  await deliverNotifications(db, log, drafts.map((d) => d.key));
  return result;
}

/**
 * Delivers queued notifications after their transaction committed. The only channel so far is the
 * log. At least once: a crash between sending and marking sends again on the activity's retry.
 */
async function deliverNotifications(db: Db, log: Logger, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  const pending = await db.notification.findMany({ where: { key: { in: keys }, status: 'pending' } });
  if (pending.length === 0) return;
  const recipients = await db.employee.findMany({
    where: { id: { in: pending.map((n) => n.recipientId) } },
    select: { id: true, name: true, locale: true },
  });
  const byId = new Map(recipients.map((r) => [r.id, r]));
  for (const n of pending) {
    const to = byId.get(n.recipientId);
    const { subject, body } = renderNotification(n.template as Template, to?.locale ?? 'zh-CN', n.params as Record<string, string>);
    log.info({ notification: n.key, channel: n.channel, to: n.recipientId, toName: to?.name, critical: n.critical, subject, body }, 'notification');
  }
  await db.notification.updateMany({ where: { key: { in: pending.map((n) => n.key) }, status: 'pending' }, data: { status: 'sent', sentAt: new Date() } });
}
