/**
 * `insertOnce`, the idempotent insert every activity writes with, against a real PostgreSQL: it
 * stores what Prisma's createMany({ skipDuplicates }) stores, a retried insert adds nothing, and
 * long lists are split to fit PostgreSQL's limit on values per statement.
 */
import { randomUUID } from 'node:crypto';
import { insertOnce } from '../activities/insertOnce';
import type { Db } from '../prisma/db';
import { ownDatabase } from './support/ownDatabase';

let database: Awaited<ReturnType<typeof ownDatabase>>;
let db: Db;

beforeAll(async () => {
  database = await ownDatabase('insert_once', 2);
  db = database.db;
  await db.department.create({ data: { id: 'dept-x', code: 'X', name: '部门', nameEn: 'Dept' } });
  await db.employee.create({ data: { id: 'e-1', employeeNo: 'E1', name: '张三', email: 'e1@example.com', departmentId: 'dept-x' } });
  await db.flow.create({ data: { id: 'flow-1', type: 'training_plan', businessKey: 'plan-1', subject: 'Plan', startedById: 'e-1' } });
}, 180_000);

afterAll(() => database?.close(), 60_000);

const taskRow = (id: string) => ({
  id,
  flowId: 'flow-1',
  stepKey: `step/${id}`,
  type: 'plan_approval',
  title: '审批 Approve',
  assigneeId: 'e-1',
  outcomes: ['approve', 'reject', 'request_changes'] as ('approve' | 'reject' | 'request_changes')[],
  payload: { planId: 'plan-1', level: 'department_head', nested: { quote: 'it\'s "quoted"', n: 1.5 } },
  createdAt: new Date('2026-12-01T08:00:00.000Z'),
  dueAt: new Date('2026-12-03T10:00:00.000Z'),
});

test('a task written with insertOnce reads back exactly as one written with createMany', async () => {
  await db.task.createMany({ data: [taskRow('by-prisma')], skipDuplicates: true });
  expect(await insertOnce(db, 'task', [taskRow('by-insert-once')])).toBe(1);
  const read = (id: string) => db.task.findUniqueOrThrow({ where: { id }, omit: { id: true, stepKey: true } });
  const [expected, actual] = [await read('by-prisma'), await read('by-insert-once')];
  expect(actual).toEqual(expected);
  // Columns the rows left out took their defaults.
  expect(actual).toMatchObject({ status: 'open', escalatedToIds: [], reminderCount: 0, outcome: null });
});

test('a retried insert adds nothing: rows already there are skipped, new ones written, none updated', async () => {
  const event = (n: number) => ({ key: `retry:${n}`, action: 'task.opened', flowId: 'flow-1', actorId: 'e-1', payload: { n } });
  expect(await insertOnce(db, 'auditEvent', [event(1), event(2)])).toBe(2);
  // The audit trail refuses updates (a trigger), so a conflict that updated would fail here.
  expect(await insertOnce(db, 'auditEvent', [event(1), event(2), { ...event(3), payload: { n: 3, late: true } }])).toBe(1);
  const stored = await db.auditEvent.findMany({ where: { key: { startsWith: 'retry:' } }, orderBy: { key: 'asc' } });
  expect(stored.map((e) => [e.key, e.payload])).toEqual([
    ['retry:1', { n: 1 }],
    ['retry:2', { n: 2 }],
    ['retry:3', { n: 3, late: true }],
  ]);
});

test('an id the row lacks is a new UUID, as @default(uuid()) gives; other missing columns take their defaults', async () => {
  const key = `notice:${randomUUID()}`;
  await insertOnce(db, 'notification', [{ key, recipientId: 'e-1', template: 'task_assigned', params: { title: '审批' } }]);
  const stored = await db.notification.findUniqueOrThrow({ where: { key } });
  expect(stored.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(stored).toMatchObject({ status: 'pending', critical: false, params: { title: '审批' }, routedAt: null });
});

test('a column the model does not have is refused before anything is written', async () => {
  const before = await db.auditEvent.count();
  const row = { key: 'bad:1', action: 'x', colour: 'red' } as unknown as Parameters<typeof insertOnce<'auditEvent'>>[2][number];
  await expect(insertOnce(db, 'auditEvent', [row])).rejects.toThrow('auditEvent has no column colour');
  expect(await db.auditEvent.count()).toBe(before);
});

test('more rows than PostgreSQL takes in one statement are written in several, once', async () => {
  // 22,000 rows of three distinct values each are 66,000 values, past the 65,535 one statement takes.
  const rows = Array.from({ length: 22_000 }, (_, i) => ({ key: `bulk:${i}`, action: `bulk ${i}`, payload: { i } }));
  expect(await insertOnce(db, 'auditEvent', rows)).toBe(22_000);
  expect(await insertOnce(db, 'auditEvent', rows)).toBe(0);
  expect(await db.auditEvent.count({ where: { key: { startsWith: 'bulk:' } } })).toBe(22_000);
});
