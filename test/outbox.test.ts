/**
 * The notification outbox's delivery against a real PostgreSQL of its own (no worker draining it
 * meanwhile): passes running at once never send a notification twice, and a send that fails is
 * tried again later without holding up the rest (at least once, nothing lost); a channel that
 * hangs holds up only itself; quiet hours and holidays move reminders; a digest gathers them.
 */
import pino from 'pino';
import { changeAndNotify, courierFrom, DELIVERY_BATCH, logCourier, notificationActivities, routeNotifications, sendDueDeliveries, type Courier } from '../activities/notifications';
import { settingsFrom } from '../domain/settings';
import type { Db } from '../prisma/db';
import { startStandIns, type StandIns } from './support/channelStandIns';
import { eventually } from './support/fixtures';
import { ownDatabase } from './support/ownDatabase';

let database: Awaited<ReturnType<typeof ownDatabase>>;
let db: Db;
let im: StandIns;

beforeAll(async () => {
  im = await startStandIns();
  database = await ownDatabase('outbox', 6);
  db = database.db;
  await db.department.create({ data: { id: 'dept-x', code: 'X', name: '部门', nameEn: 'Dept' } });
  await db.employee.createMany({
    data: [
      { id: 'e-zh', employeeNo: 'E1', name: '王五', email: 'wang@example.com', departmentId: 'dept-x', locale: 'zh-CN' },
      { id: 'e-en', employeeNo: 'E2', name: 'Ann Lee', email: 'ann@example.com', departmentId: 'dept-x', locale: 'en' },
      { id: 'e-two', employeeNo: 'E3', name: '李四', email: 'li@example.com', departmentId: 'dept-x', notifyChannels: ['email', 'feishu'] },
      { id: 'e-digest', employeeNo: 'E4', name: 'Bo Chen', email: 'bo@example.com', departmentId: 'dept-x', locale: 'en', reminderDigest: true },
    ],
  });
}, 180_000);

afterAll(async () => {
  await im?.close();
  await database?.close();
}, 60_000);

/** A log channel that records what it was given, and can fail at the n-th send. */
function channel(failAt?: number) {
  const sent: { subject: string }[] = [];
  let sends = 0;
  const courier: Courier = {
    ...logCourier(pino({ level: 'silent' })),
    retryAfter: 'PT0.2S',
    channels: {
      log: {
        send: async ({ message }) => {
          if (++sends === failAt) throw new Error('the channel failed');
          sent.push({ subject: message.subject });
        },
      },
    },
  };
  return { sent, courier };
}

async function queue(count: number, tag: string): Promise<string[]> {
  const keys = Array.from({ length: count }, (_, i) => `${tag}:${i}`);
  await db.notification.createMany({
    data: keys.map((key, i) => ({ key, recipientId: i % 2 ? 'e-en' : 'e-zh', template: 'task_assigned', params: { title: key, dueAt: '2027-01-01' } })),
  });
  return keys;
}

/** Routes and sends until nothing more is due now. */
async function drain(courier: Courier): Promise<number> {
  let sent = 0;
  for (;;) {
    const routed = await routeNotifications(db, courier.rules);
    const r = await sendDueDeliveries(db, courier, 'log');
    sent += r.sent;
    if (routed === 0 && r.sent + r.retrying + r.failed === 0) return sent;
  }
}

const titleOf = (subject: string) => subject.replace(/^(新待办：|New task: )/, '');

test('passes running at once deliver every notification exactly once, each in its recipient’s language', async () => {
  const keys = await queue(DELIVERY_BATCH * 4 + 30, 'together');
  const channels = [channel(), channel(), channel()];
  const delivered = await Promise.all(channels.map((c) => drain(c.courier)));

  const sent = channels.flatMap((c) => c.sent);
  expect(sent.map((s) => titleOf(s.subject)).sort()).toEqual([...keys].sort());
  expect(delivered.reduce((a, b) => a + b)).toBe(keys.length);
  expect(sent.find((s) => s.subject.endsWith('together:0'))!.subject).toBe('新待办：together:0');
  expect(sent.find((s) => s.subject.endsWith('together:1'))!.subject).toBe('New task: together:1');
  expect(await db.notification.count({ where: { key: { in: keys }, status: 'sent', sentAt: { not: null } } })).toBe(keys.length);
  expect(await db.notificationDelivery.count({ where: { notification: { key: { in: keys } }, status: 'sent', attempts: 1 } })).toBe(keys.length);
});

test('a send that fails costs only its own delivery, which is sent on a later attempt', async () => {
  const keys = await queue(10, 'failing');
  const broken = channel(4);
  await routeNotifications(db, broken.courier.rules);
  expect(await sendDueDeliveries(db, broken.courier, 'log')).toEqual({ sent: 9, retrying: 1, failed: 0 });
  const waiting = await db.notificationDelivery.findFirstOrThrow({ where: { notification: { key: { in: keys } }, status: 'pending' } });
  expect(waiting).toMatchObject({ attempts: 1, lastError: 'the channel failed', claimedUntil: null });
  expect(await db.notification.count({ where: { key: { in: keys }, status: 'pending' } })).toBe(1);

  // Not before its retry time; then it goes.
  expect(await sendDueDeliveries(db, broken.courier, 'log', waiting.notBefore.getTime() - 1)).toEqual({ sent: 0, retrying: 0, failed: 0 });
  expect(await sendDueDeliveries(db, broken.courier, 'log', waiting.notBefore.getTime())).toEqual({ sent: 1, retrying: 0, failed: 0 });
  expect(broken.sent).toHaveLength(10);
  expect(await db.notification.count({ where: { key: { in: keys }, status: 'sent' } })).toBe(10);
});

test('a change that queues notifications is delivered in the background once it commits', async () => {
  const log = pino({ level: 'silent' });
  const quiet = channel();
  notificationActivities(db, log, quiet.courier);
  await changeAndNotify(db, log, async (_tx, notify) => {
    notify({ key: 'woken:1', recipientId: 'e-en', template: 'task_assigned', params: { title: 'woken', dueAt: '2027-01-01' } });
  });
  await eventually(async () => (quiet.sent.some((s) => s.subject === 'New task: woken') ? true : undefined), 'the background delivery');
  await eventually(async () => ((await db.notification.findUniqueOrThrow({ where: { key: 'woken:1' } })).status === 'sent' ? true : undefined), 'the notification marked sent');
});

/** Delivery as a deployment with every stand-in configured would run it. */
function deployedCourier(env: Record<string, string> = {}): Courier {
  return courierFrom(settingsFrom({ ...im.env, NOTIFY_CHANNELS: 'email', ...env }).notifications, pino({ level: 'silent' }));
}

async function notify(key: string, recipientId: string, template: string, extra: { critical?: boolean; taskId?: string } = {}) {
  await db.notification.create({ data: { key, recipientId, template, params: { title: key, dueAt: '2026-12-04', reminder: '1', assigneeName: 'x', level: '1', count: '3' }, ...extra } });
}

const chinaDate = (t: number) => new Date(t + 8 * 3_600_000).toISOString().slice(0, 10);
const chinaClock = (t: number) => new Date(t + 8 * 3_600_000).toISOString().slice(11, 16);

test('a channel that hangs holds up only itself: the e-mail goes while the Feishu call is still unanswered', async () => {
  const courier = deployedCourier();
  await notify('hang:1', 'e-two', 'task_assigned');
  await routeNotifications(db, courier.rules);
  const feishu = im.hold('feishu');
  const feishuPass = sendDueDeliveries(db, courier, 'feishu');
  await feishu.arrived;
  expect(await sendDueDeliveries(db, courier, 'email')).toEqual({ sent: 1, retrying: 0, failed: 0 });
  expect(im.mails.map((m) => m.subject)).toContain('新待办：hang:1');
  const rows = await db.notificationDelivery.findMany({ where: { notification: { key: 'hang:1' } }, orderBy: { channel: 'asc' } });
  expect(rows.map((d) => [d.channel, d.status])).toEqual([
    ['email', 'sent'],
    ['feishu', 'pending'],
  ]);
  expect((await db.notification.findUniqueOrThrow({ where: { key: 'hang:1' } })).status).toBe('pending');
  feishu.release();
  expect(await feishuPass).toEqual({ sent: 1, retrying: 0, failed: 0 });
  expect((await db.notification.findUniqueOrThrow({ where: { key: 'hang:1' } })).status).toBe('sent');
});

test('under quiet hours a reminder on a company holiday waits for the next working morning; a critical notice does not', async () => {
  const now = Date.now();
  const today = chinaDate(now);
  const courier = deployedCourier({ NOTIFY_QUIET_HOURS: 'on', WORKING_TIME: JSON.stringify({ holidays: [today] }) });
  await notify('quiet:reminder', 'e-zh', 'task_reminder');
  await notify('quiet:critical', 'e-zh', 'handover_critical', { critical: true });
  await routeNotifications(db, courier.rules, now);
  const held = await db.notificationDelivery.findFirstOrThrow({ where: { notification: { key: 'quiet:reminder' } } });
  expect(chinaDate(held.notBefore.getTime()) > today).toBe(true);
  expect(chinaClock(held.notBefore.getTime())).toBe('09:00');

  expect(await sendDueDeliveries(db, courier, 'email', now)).toEqual({ sent: 1, retrying: 0, failed: 0 });
  expect(im.mails.map((m) => m.subject)).toContain('【紧急】最后工作日仍有 3 项交接未完成');
  expect(im.mails.map((m) => m.subject)).not.toContain('催办：quiet:reminder');
  expect(await sendDueDeliveries(db, courier, 'email', held.notBefore.getTime())).toEqual({ sent: 1, retrying: 0, failed: 0 });
  expect(im.mails.map((m) => m.subject)).toContain('催办：quiet:reminder');
});

test('someone who takes a digest gets one message of the day’s reminders at the start of the next working day', async () => {
  const courier = deployedCourier();
  const now = Date.now();
  for (const n of [1, 2, 3]) await notify(`digest:${n}`, 'e-digest', 'task_reminder', { taskId: `task-${n}` });
  await notify('digest:assigned', 'e-digest', 'task_assigned', { taskId: 'task-4' });
  await routeNotifications(db, courier.rules, now);
  const waiting = await db.notificationDelivery.findMany({ where: { notification: { key: { startsWith: 'digest:' } }, digest: true } });
  expect(waiting).toHaveLength(3);
  const morning = waiting[0]!.notBefore.getTime();
  expect(chinaClock(morning)).toBe('09:00');
  expect(morning).toBeGreaterThan(now);

  const before = im.mails.length;
  expect(await sendDueDeliveries(db, courier, 'email', now)).toEqual({ sent: 1, retrying: 0, failed: 0 });
  expect(await sendDueDeliveries(db, courier, 'email', morning)).toEqual({ sent: 3, retrying: 0, failed: 0 });
  const mails = im.mails.slice(before);
  expect(mails.map((m) => m.subject)).toEqual(['New task: digest:assigned', 'Your reminders today (3)']);
  const digest = mails[1]!;
  expect(digest.to).toMatchObject({ value: [{ address: 'bo@example.com' }] });
  for (const n of [1, 2, 3]) expect(digest.text).toContain(`• Reminder: digest:${n}\n  http://localhost:3000/tasks/task-${n}`);
  expect(await db.notification.count({ where: { key: { startsWith: 'digest:' }, status: 'sent' } })).toBe(4);
});
