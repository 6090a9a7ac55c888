/**
 * The notification outbox's delivery against a real PostgreSQL of its own (no worker draining it
 * meanwhile): passes running at once never send a notification twice, and a pass that fails
 * half-way leaves its batch pending for the next one (at least once, nothing lost).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { changeAndNotify, DELIVERY_BATCH, deliverPendingNotifications } from '../activities/notifications';
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

/** A log channel that records what it was given, and can fail at the n-th notification. */
function channel(failAt?: number) {
  const sent: { key: string; subject: string }[] = [];
  const log = {
    info: (n: { notification: string; subject: string }) => {
      if (sent.length + 1 === failAt) throw new Error('the channel failed');
      sent.push({ key: n.notification, subject: n.subject });
    },
    warn: () => undefined,
  } as unknown as Logger;
  return { sent, log };
}

async function queue(count: number, tag: string): Promise<string[]> {
  const keys = Array.from({ length: count }, (_, i) => `${tag}:${i}`);
  await db.notification.createMany({
    data: keys.map((key, i) => ({ key, recipientId: i % 2 ? 'e-en' : 'e-zh', template: 'task_assigned', params: { title: key, dueAt: '2027-01-01' } })),
  });
  return keys;
}

async function drain(log: Logger): Promise<string[]> {
  const all: string[] = [];
  for (;;) {
    const keys = await deliverPendingNotifications(db, log);
    all.push(...keys);
    if (keys.length === 0) return all;
  }
}

test('passes running at once deliver every notification exactly once, each in its recipient’s language', async () => {
  const keys = await queue(DELIVERY_BATCH * 2 + 50, 'together');
  const channels = [channel(), channel(), channel()];
  const delivered = await Promise.all(channels.map((c) => drain(c.log)));

  const sent = channels.flatMap((c) => c.sent);
  expect(sent.map((s) => s.key).sort()).toEqual([...keys].sort());
  expect(delivered.flat().sort()).toEqual([...keys].sort());
  expect(sent.find((s) => s.key === 'together:0')!.subject).toBe('新待办：together:0');
  expect(sent.find((s) => s.key === 'together:1')!.subject).toBe('New task: together:1');
  expect(await db.notification.count({ where: { key: { in: keys }, status: 'sent', sentAt: { not: null } } })).toBe(keys.length);
});

test('a pass that fails half-way leaves its whole batch pending, and the next pass sends it', async () => {
  const keys = await queue(10, 'failing');
  const broken = channel(4);
  await expect(deliverPendingNotifications(db, broken.log)).rejects.toThrow('the channel failed');
  expect(await db.notification.count({ where: { key: { in: keys }, status: 'pending' } })).toBe(10);

  const healthy = channel();
  expect(await drain(healthy.log)).toEqual(keys);
  expect(await db.notification.count({ where: { key: { in: keys }, status: 'sent' } })).toBe(10);
});

test('a change that queues notifications is delivered in the background once it commits', async () => {
  const quiet = channel();
  await changeAndNotify(db, quiet.log, async (_tx, notify) => {
    notify({ key: 'woken:1', recipientId: 'e-en', template: 'task_assigned', params: { title: 'woken', dueAt: '2027-01-01' } });
  });
  await eventually(async () => (quiet.sent.some((s) => s.key === 'woken:1') ? true : undefined), 'the background delivery');
  expect((await db.notification.findUniqueOrThrow({ where: { key: 'woken:1' } })).status).toBe('sent');
});
