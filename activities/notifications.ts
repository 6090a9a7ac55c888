import type { Logger } from 'pino';
import {
  deliveryPlan,
  digestOf,
  linkFor,
  messageFor,
  retryDelay,
  type ChannelName,
  type DeliveryRules,
  type Message,
  type Template,
} from '../domain/notifications';
import { TRANSACTION_TIMEOUT_MS } from '../domain/activityLimits';
import { channelChoice, type NotificationSettings } from '../domain/settings';
import { DEFAULT_WORKING_TIME } from '../domain/workingTime';
import { Prisma, type Db } from '../prisma/db';
import type { Tx } from './audit';
import { channelsFrom, logChannel, Undeliverable, type Addressee, type Channel, type Outgoing } from './channels';
import { insertOnce } from './insertOnce';

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
        await insertOnce(tx, 'notification', drafts.map((d) => ({ ...d, params: d.params as Prisma.InputJsonObject })));
      }
      return r;
    },
    { timeout: TRANSACTION_TIMEOUT_MS },
  );
  if (drafts.length) outboxOf(db, log).wake();
  return result;
}

/** How this process delivers: its channels and the deployment's rules. */
export interface Courier {
  channels: Partial<Record<ChannelName, Channel>>;
  rules: DeliveryRules;
  links: NotificationSettings['links'];
  retryAfter: string;
  maxAttempts: number;
}

export function courierFrom(settings: NotificationSettings, log: Logger): Courier {
  return {
    channels: channelsFrom(settings, log),
    rules: { ...channelChoice(settings), quietHours: settings.quietHours, workingTime: settings.workingTime },
    links: settings.links,
    retryAfter: settings.retryAfter,
    maxAttempts: settings.maxAttempts,
  };
}

/** Where notifications go when a process was not told (tests, scripts): the log, at any hour. */
export function logCourier(log: Logger): Courier {
  return {
    channels: { log: logChannel(log) },
    rules: { configured: ['log'], defaults: ['log'], quietHours: false, workingTime: DEFAULT_WORKING_TIME },
    links: { apiUrl: 'http://localhost:3000' },
    retryAfter: 'PT30S',
    maxAttempts: 8,
  };
}

/** Notifications one routing pass takes, and deliveries one sending pass claims, at most. */
export const DELIVERY_BATCH = 50;
/** Sends one channel runs at once. */
const SENDS_AT_ONCE = 5;
/** How long a pass holds the deliveries it claimed (well above a batch's worst case of timeouts);
 *  one that dies lets them go to the next pass after this. */
const CLAIM_MS = 5 * 60_000;

/**
 * Routes up to DELIVERY_BATCH new notifications, oldest first: one delivery for each of the
 * recipient's channels, due when its plan says. Claimed with SKIP LOCKED and marked routed in the
 * same transaction, so concurrent passes never route one twice. Answers how many it routed.
 */
export async function routeNotifications(db: Db, rules: DeliveryRules, now = Date.now()): Promise<number> {
  return db.$transaction(
    async (tx) => {
      const fresh = await tx.$queryRaw<{ id: string; template: string; critical: boolean; notify_channels: string[] | null; reminder_digest: boolean | null }[]>(Prisma.sql`
        SELECT n.id, n.template, n.critical, e.notify_channels, e.reminder_digest
        FROM notification n LEFT JOIN employee e ON e.id = n.recipient_id
        WHERE n.status = 'pending' AND n.routed_at IS NULL
        ORDER BY n.created_at, n.key
        LIMIT ${DELIVERY_BATCH}
        FOR UPDATE OF n SKIP LOCKED`);
      if (fresh.length === 0) return 0;
      const deliveries = fresh.flatMap((n) =>
        deliveryPlan(n, { channels: n.notify_channels ?? [], digest: !!n.reminder_digest }, rules, now).map((d) => ({
          notificationId: n.id,
          channel: d.channel,
          digest: d.digest,
          notBefore: new Date(d.notBefore),
        })),
      );
      await insertOnce(tx, 'notificationDelivery', deliveries);
      await tx.notification.updateMany({ where: { id: { in: fresh.map((n) => n.id) } }, data: { routedAt: new Date(now) } });
      return fresh.length;
    },
    { timeout: TRANSACTION_TIMEOUT_MS },
  );
}

interface Claimed {
  id: string;
  notification_id: string;
  digest: boolean;
  attempts: number;
  template: string;
  params: Record<string, string>;
  flow_id: string | null;
  task_id: string | null;
  recipient_id: string;
  name: string | null;
  locale: string | null;
  email: string | null;
  mobile: string | null;
  feishu_user_id: string | null;
}

/** One message to send and the deliveries it settles (several for a digest). */
interface Send {
  out: Outgoing;
  deliveries: Claimed[];
}

export interface PassResult {
  sent: number;
  retrying: number;
  failed: number;
}

/**
 * Sends one channel's due deliveries (up to DELIVERY_BATCH), so a channel that is down holds up
 * only itself. A claim marks the rows taken for CLAIM_MS and counts the attempt; each outcome is
 * recorded after the send: sent, tried again after a growing delay, or failed for good (out of
 * attempts, or undeliverable). At least once: a pass that dies after sending sends again; the
 * e-mail keeps its Message-ID, so the copy is recognised.
 */
export async function sendDueDeliveries(db: Db, courier: Courier, channel: ChannelName, now = Date.now()): Promise<PassResult> {
  const result: PassResult = { sent: 0, retrying: 0, failed: 0 };
  const claimed = await db.$queryRaw<Claimed[]>(Prisma.sql`
    WITH claimed AS (
      UPDATE notification_delivery d
      SET claimed_until = ${new Date(now + CLAIM_MS)}, attempts = d.attempts + 1
      WHERE d.id IN (
        SELECT id FROM notification_delivery
        WHERE status = 'pending' AND channel = ${channel} AND not_before <= ${new Date(now)}
          AND (claimed_until IS NULL OR claimed_until < ${new Date(now)})
        ORDER BY not_before, id
        LIMIT ${DELIVERY_BATCH}
        FOR UPDATE SKIP LOCKED)
      RETURNING d.id, d.notification_id, d.digest, d.attempts)
    SELECT c.id, c.notification_id, c.digest, c.attempts, n.template, n.params, n.flow_id, n.task_id, n.recipient_id,
           e.name, e.locale, e.email, e.mobile, e.feishu_user_id
    FROM claimed c JOIN notification n ON n.id = c.notification_id LEFT JOIN employee e ON e.id = n.recipient_id`);
  if (claimed.length === 0) return result;
  const sender = courier.channels[channel];
  const outcomes: { id: string; status: 'sent' | 'pending' | 'failed'; notBefore: Date; error: string | null }[] = [];
  const queue = sendsOf(claimed, courier);
  const worker = async () => {
    for (let send = queue.shift(); send; send = queue.shift()) {
      let error: unknown;
      try {
        if (!sender) throw new Undeliverable(`the ${channel} channel is not configured here`);
        await sender.send(send.out);
      } catch (err) {
        error = err;
      }
      for (const d of send.deliveries) {
        const final = error instanceof Undeliverable || d.attempts >= courier.maxAttempts;
        const status = error === undefined ? 'sent' : final ? 'failed' : 'pending';
        result[status === 'pending' ? 'retrying' : status]++;
        outcomes.push({ id: d.id, status, notBefore: new Date(now + (status === 'pending' ? retryDelay(d.attempts, courier.retryAfter) : 0)), error: error === undefined ? null : String((error as Error).message ?? error) });
      }
    }
  };
  await Promise.all(Array.from({ length: SENDS_AT_ONCE }, worker));
  await recordOutcomes(db, outcomes, [...new Set(claimed.map((d) => d.notification_id))]);
  return result;
}

/** The messages of claimed deliveries: one each, and one per recipient for what waits in a digest. */
function sendsOf(claimed: Claimed[], courier: Courier): Send[] {
  const addressee = (d: Claimed): Addressee => ({ id: d.recipient_id, name: d.name ?? d.recipient_id, locale: d.locale ?? 'zh-CN', email: d.email, mobile: d.mobile, feishuUserId: d.feishu_user_id });
  const message = (d: Claimed): Message => messageFor(d.template as Template, d.locale ?? 'zh-CN', d.params, linkFor({ taskId: d.task_id, flowId: d.flow_id }, courier.links));
  const sends: Send[] = claimed.filter((d) => !d.digest).map((d) => ({ out: { dedupKey: d.id, to: addressee(d), message: message(d) }, deliveries: [d] }));
  const digests = new Map<string, Claimed[]>();
  for (const d of claimed.filter((c) => c.digest)) digests.set(d.recipient_id, [...(digests.get(d.recipient_id) ?? []), d]);
  for (const group of digests.values()) {
    const first = group[0]!;
    const to = addressee(first);
    const digest = digestOf(group.map(message), to.locale, linkFor({}, courier.links));
    sends.push({ out: { dedupKey: group.map((d) => d.id).sort()[0]!, to, message: digest }, deliveries: group });
  }
  return sends;
}

/** Records what each send came to, and ends the notifications none of whose deliveries is pending. */
async function recordOutcomes(db: Db, outcomes: { id: string; status: string; notBefore: Date; error: string | null }[], notificationIds: string[]): Promise<void> {
  await db.$transaction([
    db.$executeRaw(Prisma.sql`
      UPDATE notification_delivery d
      SET status = o.status::"DeliveryStatus", not_before = o.not_before, last_error = o.error, claimed_until = NULL,
          sent_at = CASE WHEN o.status = 'sent' THEN now() ELSE NULL END
      FROM unnest(${outcomes.map((o) => o.id)}::text[], ${outcomes.map((o) => o.status)}::text[], ${outcomes.map((o) => o.notBefore)}::timestamptz[], ${outcomes.map((o) => o.error)}::text[])
        AS o(id, status, not_before, error)
      WHERE d.id = o.id`),
    db.$executeRaw(Prisma.sql`
      UPDATE notification n
      SET status = (CASE WHEN EXISTS (SELECT 1 FROM notification_delivery f WHERE f.notification_id = n.id AND f.status = 'failed') THEN 'failed' ELSE 'sent' END)::"NotificationStatus",
          sent_at = now()
      WHERE n.id = ANY(${notificationIds}::text[]) AND n.status = 'pending'
        AND NOT EXISTS (SELECT 1 FROM notification_delivery p WHERE p.notification_id = n.id AND p.status = 'pending')`),
  ]);
}

/** When the next delivery on these channels comes due (a retry, the end of quiet hours, a digest), if any. */
async function nextDue(db: Db, channels: ChannelName[]): Promise<number | undefined> {
  const [next] = await db.$queryRaw<{ at: Date | null }[]>(Prisma.sql`
    SELECT min(greatest(not_before, coalesce(claimed_until, not_before))) AS at
    FROM notification_delivery WHERE status = 'pending' AND channel = ANY(${channels}::text[])`);
  return next?.at?.getTime();
}

/** Routes everything new, then sends every channel's due deliveries, batch after batch, each
 *  channel on its own (`maxBatches` bounds a sweep). */
async function deliverAll(db: Db, courier: Courier, maxBatches = Infinity): Promise<PassResult> {
  for (let batch = 0; batch < maxBatches && (await routeNotifications(db, courier.rules)) === DELIVERY_BATCH; batch++);
  const totals: PassResult = { sent: 0, retrying: 0, failed: 0 };
  await Promise.all(
    (Object.keys(courier.channels) as ChannelName[]).map(async (channel) => {
      for (let batch = 0; batch < maxBatches; batch++) {
        const r = await sendDueDeliveries(db, courier, channel);
        (Object.keys(totals) as (keyof PassResult)[]).forEach((k) => (totals[k] += r[k]));
        if (r.sent + r.retrying + r.failed < DELIVERY_BATCH) break;
      }
    }),
  );
  return totals;
}

/** How long a wake waits for more changes before its pass: the notifications of changes made
 *  meanwhile go in one batch (a pass costs about ten queries, whether it carries one or fifty). */
const GATHER_MS = 100;

/**
 * Delivers in the background whenever a change queued notifications: one pass at a time per
 * process, GATHER_MS after the first wake (a wake during a pass runs one more), then a timer for
 * the next delivery coming due within the minute (later ones, and what a dead worker left, the
 * flow-end watch's sweep finds).
 */
class Outbox {
  private pass: Promise<void> | undefined;
  private wokenDuringPass = false;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    readonly courier: Courier,
  ) {}

  wake(): void {
    if (this.closed) return;
    if (this.pass) {
      this.wokenDuringPass = true;
      return;
    }
    this.pass = this.run();
  }

  /** No pass starts from now on; resolves once the one under way has ended. */
  close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    return this.pass ?? Promise.resolve();
  }

  /** Passes until none was woken during the last; the last check and clearing `pass` happen in
   *  one step, so no wake falls between them (one during the timer's query included). */
  private async run(): Promise<void> {
    try {
      await new Promise((gathered) => setTimeout(gathered, GATHER_MS));
      do {
        this.wokenDuringPass = false;
        if (this.closed) return;
        try {
          await deliverAll(this.db, this.courier);
          await this.wakeForNextDue();
        } catch (err) {
          this.log.warn({ err }, 'notification delivery failed; the rows stay pending for the next pass');
        }
      } while (this.wokenDuringPass);
    } finally {
      this.pass = undefined;
    }
  }

  private async wakeForNextDue(): Promise<void> {
    const due = await nextDue(this.db, Object.keys(this.courier.channels) as ChannelName[]);
    if (due === undefined) return;
    const wait = Math.max(100, due - Date.now());
    if (wait > 60_000) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), wait + 10).unref();
  }
}

const outboxes = new WeakMap<Db, Outbox>();

/** Ends this process's background delivery through `db` before its pool closes (at shutdown, or
 *  before a throwaway database is dropped); what is left pending, the next process's sweep sends. */
export function closeOutbox(db: Db): Promise<void> {
  return outboxes.get(db)?.close() ?? Promise.resolve();
}
function outboxOf(db: Db, log: Logger): Outbox {
  let outbox = outboxes.get(db);
  if (!outbox) outboxes.set(db, (outbox = new Outbox(db, log, logCourier(log))));
  return outbox;
}

/** Batches one sweep delivers at most per channel, so an activity attempt stays short. */
const SWEEP_BATCHES = 10;

/** `courier`: this process's channels and rules (the log only, at any hour, when not given). */
export function notificationActivities(db: Db, log: Logger, courier: Courier = logCourier(log)) {
  outboxes.set(db, new Outbox(db, log, courier));
  return {
    /** The sweep behind the in-process wake: delivers what came due since, and what a worker that died left. */
    async deliverNotifications(): Promise<{ delivered: number }> {
      const { sent, failed } = await deliverAll(db, courier, SWEEP_BATCHES);
      return { delivered: sent + failed };
    },
  };
}
