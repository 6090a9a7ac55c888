/**
 * The local activity that carries a flow's short writes (`writeInOrder`), against a real
 * PostgreSQL: tasks asked together open in one transaction, all of them or none, and a retried
 * batch writes nothing twice.
 */
import type { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { createActivities } from '../activities';
import type { OpenTaskInput } from '../activities/tasks';
import type { Db } from '../prisma/db';
import { ownDatabase } from './support/ownDatabase';

let database: Awaited<ReturnType<typeof ownDatabase>>;
let db: Db;
let activities: ReturnType<typeof createActivities>;

beforeAll(async () => {
  database = await ownDatabase('carried', 4);
  db = database.db;
  await db.department.create({ data: { id: 'dept-x', code: 'X', name: '部门', nameEn: 'Dept' } });
  await db.employee.createMany({
    data: ['e-1', 'e-2', 'e-3'].map((id, i) => ({ id, employeeNo: `E${i}`, name: id, email: `${id}@example.com`, departmentId: 'dept-x' })),
  });
  // None of the writes here reaches Temporal.
  activities = createActivities(db, pino({ level: 'silent' }), {} as Client);
}, 180_000);

afterAll(() => database?.close(), 60_000);

async function flowWithTasks(assignees: string[]) {
  const flowId = `flow-${randomUUID()}`;
  await activities.openFlow({ flowId, type: 'training_session', businessKey: flowId, subject: 'Session', startedById: 'e-1' });
  const tasks: OpenTaskInput[] = assignees.map((assigneeId, i) => ({
    taskId: randomUUID(),
    flowId,
    stepKey: `prep/${i}`,
    type: 'session_preparation',
    title: `Prepare ${i}`,
    assigneeId,
    outcomes: ['done'],
    payload: {},
    dueAt: new Date(Date.now() + 86_400_000).toISOString(),
  }));
  return { flowId, calls: tasks.map((t) => ({ name: 'openTask', args: [t] })) };
}

const recorded = async (flowId: string) => ({
  tasks: await db.task.count({ where: { flowId } }),
  opened: await db.auditEvent.count({ where: { flowId, action: 'task.opened' } }),
  notices: await db.notification.count({ where: { flowId } }),
  step: (await db.flow.findUniqueOrThrow({ where: { id: flowId } })).currentStep,
});

test('three tasks asked together open together: each in its inbox, on the audit trail and in the outbox; a retried batch adds nothing', async () => {
  const { flowId, calls } = await flowWithTasks(['e-1', 'e-2', 'e-3']);
  await activities.writeInOrder(calls);
  expect(await recorded(flowId)).toEqual({ tasks: 3, opened: 3, notices: 3, step: 'Prepare 2' });
  await activities.writeInOrder(calls);
  expect(await recorded(flowId)).toEqual({ tasks: 3, opened: 3, notices: 3, step: 'Prepare 2' });
});

test('when one of the tasks asked together cannot be written, none of them is: the retry writes all three', async () => {
  const { flowId, calls } = await flowWithTasks(['e-1', 'e-2', 'e-gone']);
  const before = await recorded(flowId);
  await expect(activities.writeInOrder(calls)).rejects.toThrow();
  expect(await recorded(flowId)).toEqual(before);
  expect(before.tasks).toBe(0);
  await db.employee.create({ data: { id: 'e-gone', employeeNo: 'E9', name: 'back', email: 'back@example.com', departmentId: 'dept-x' } });
  await activities.writeInOrder(calls);
  expect(await recorded(flowId)).toEqual({ tasks: 3, opened: 3, notices: 3, step: 'Prepare 2' });
});
