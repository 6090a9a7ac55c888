/**
 * The notification outbox's delivery against a real PostgreSQL of its own (no worker draining it
 * meanwhile): passes running at once never send a notification twice, and a send that fails is
 * tried again later without holding up the rest (at least once, nothing lost).
 */
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { changeAndNotify, DELIVERY_BATCH, logCourier, notificationActivities, routeNotifications, sendDueDeliveries, type Courier } from '../activities/notifications';
import { createDb, type Db } from '../prisma/db';
import { applyMigrations } from '../scripts/migrate';
import { createDatabase, dropDatabase, startTestPostgres, type TestPostgres } from '../scripts/throwaway-postgres';
import { eventually } from './support/fixtures';

let pg: TestPostgres;
let db: Db;
const name = `outbox_${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  pg = await startTestPostgres();
  const url = await createDatabase(pg.adminUrl, name);
  await applyMigrations(url);
  db = createDb(url, 6);
  await db.department.create({ data: { id: 'dept-x', code: 'X', name: '部门', nameEn: 'Dept' } });
  await db.employee.createMany({
    data: [
      { id: 'e-zh', employeeNo: 'E1', name: '王五', email: 'wang@example.com', departmentId: 'dept-x', locale: 'zh-CN' },
      { id: 'e-en', employeeNo: 'E2', name: 'Ann Lee', email: 'ann@example.com', departmentId: 'dept-x', locale: 'en' },
    ],
  });
}, 180_000);

afterAll(async () => {
  await db?.$disconnect();
  if (pg) {
    await dropDatabase(pg.adminUrl, name);
    await pg.stop();
  }
}, 60_000);

/** A log channel that records what it was given, and can fail at the n-th send. */
function channel(failAt?: number) {
  const sent: { key: string; subject: string }[] = [];
  let sends = 0;
  const courier: Courier = {
    ...logCourier(pino({ level: 'silent' })),
    retryAfter: 'PT0.2S',
    channels: {
      log: {
        send: async ({ message }) => {
          if (++sends === failAt) throw new Error('the channel failed');
          sent.push({ key: message.subject, subject: message.subject });
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
