import type { Logger } from 'pino';
import { Prisma, type Db } from '../prisma/db';
import { renderNotification, type Locale, type Template } from '../domain/notifications';
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

/**
 * Runs a change in one transaction together with the notifications it announces (the outbox), then
 * wakes this process's delivery without waiting for it. `notify` collects notifications while the
 * change runs.
 */
export async function changeAndNotify<T>(db: Db, log: Logger, change: (tx: Tx, notify: (...n: NotificationDraft[]) => void) => Promise<T>): Promise<T> {
  const drafts: NotificationDraft[] = [];
  const result = await db.$transaction(
    async (tx) => {
      const r = await change(tx, (...n) => drafts.push(...n));
      if (drafts.length) {
        await tx.notification.createMany({ data: drafts.map((d) => ({ ...d, params: d.params as Prisma.InputJsonObject })), skipDuplicates: true });
      }
      return r;
    },
    { timeout: TRANSACTION_TIMEOUT_MS },
  );
  if (drafts.length) outboxOf(db, log).wake();
  return result;
}

/** Notifications one delivery pass claims at most. */
export const DELIVERY_BATCH = 100;

interface Claimed {
  key: string;
  recipient_id: string;
  template: string;
  params: Record<string, string>;
  critical: boolean;
  channel: string;
  name: string | null;
  locale: string | null;
}

/**
 * Delivers up to DELIVERY_BATCH pending notifications, oldest first, and returns their keys. Rows
 * are claimed with SKIP LOCKED and marked sent in the same transaction, so concurrent passes (in
 * this process or another worker) never send one twice, and a pass that dies sends again later
 * (at least once). The only channel so far is the log.
 */
export async function deliverPendingNotifications(db: Db, log: Logger): Promise<string[]> {
  return db.$transaction(
    async (tx) => {
      const claimed = await tx.$queryRaw<Claimed[]>(Prisma.sql`
        SELECT n.key, n.recipient_id, n.template, n.params, n.critical, n.channel, e.name, e.locale
        FROM notification n LEFT JOIN employee e ON e.id = n.recipient_id
        WHERE n.status = 'pending'
        ORDER BY n.created_at, n.key
        LIMIT ${DELIVERY_BATCH}
        FOR UPDATE OF n SKIP LOCKED`);
      if (claimed.length === 0) return [];
      for (const n of claimed) {
        const { subject, body } = renderNotification(n.template as Template, (n.locale ?? 'zh-CN') as Locale, n.params);
        log.info({ notification: n.key, channel: n.channel, to: n.recipient_id, toName: n.name, critical: n.critical, subject, body }, 'notification');
      }
      const keys = claimed.map((n) => n.key);
      await tx.notification.updateMany({ where: { key: { in: keys } }, data: { status: 'sent', sentAt: new Date() } });
      return keys;
    },
    { timeout: TRANSACTION_TIMEOUT_MS },
  );
}

/** Delivers batch after batch until one comes back short (the outbox is drained) or `maxBatches`
 *  were sent; answers how many notifications went out. */
async function deliverBatches(db: Db, log: Logger, maxBatches = Infinity): Promise<number> {
  let delivered = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const keys = await deliverPendingNotifications(db, log);
    delivered += keys.length;
    if (keys.length < DELIVERY_BATCH) break;
  }
  return delivered;
}

/** Delivers in the background whenever a change queued notifications: one pass at a time per
 *  process, draining the outbox batch by batch; a wake during a pass runs one more. */
class Outbox {
  private pass: Promise<void> | undefined;
  private wokenDuringPass = false;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
  ) {}

  wake(): void {
    if (this.pass) {
      this.wokenDuringPass = true;
      return;
    }
    this.pass = this.drain()
      .catch((err: unknown) => this.log.warn({ err }, 'notification delivery failed; the rows stay pending for the next pass'))
      .finally(() => (this.pass = undefined));
  }

  private async drain(): Promise<void> {
    do {
      this.wokenDuringPass = false;
      await deliverBatches(this.db, this.log);
    } while (this.wokenDuringPass);
  }
}

const outboxes = new WeakMap<Db, Outbox>();
function outboxOf(db: Db, log: Logger): Outbox {
  let outbox = outboxes.get(db);
  if (!outbox) outboxes.set(db, (outbox = new Outbox(db, log)));
  return outbox;
}

/** Batches one sweep delivers at most, so an activity attempt stays short. */
const SWEEP_BATCHES = 20;

export function notificationActivities(db: Db, log: Logger) {
  return {
    /** The sweep behind the in-process wake: delivers what a worker that died left pending. */
    async deliverNotifications(): Promise<{ delivered: number }> {
      return { delivered: await deliverBatches(db, log, SWEEP_BATCHES) };
    },
  };
}
