import type { Db } from '../../prisma/db';
import { Prisma } from '../../prisma/db';
import { DEMO, samplePlanContent } from '../../prisma/seed-data';
import type { PlanDraftContent } from '../../domain/trainingPlan';
import type { Outcome } from '../../domain/tasks';

export const people = DEMO.employees;

export { samplePlanContent as planContent } from '../../prisma/seed-data';

/** A draft plan row as `POST /training-plans` would create it (for tests that start at the flow). */
export async function draftPlan(db: Db, content: PlanDraftContent = samplePlanContent(), departmentId = DEMO.departments.collection.id) {
  return db.trainingPlan.create({
    data: { title: `催收技能提升培训 ${Math.random().toString(36).slice(2, 7)}`, departmentId, drafterId: people.hrOfficer.id, draft: content as Prisma.InputJsonObject },
  });
}

/** Polls until `probe` returns a value that is not undefined (tests may poll; workflows never do). */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the flow has exactly `count` open tasks and returns them (by assignee number). */
export async function openTasks(db: Db, flowId: string, count: number) {
  let seen: unknown[] = [];
  return eventually(async () => {
    const tasks = await db.task.findMany({ where: { flowId, status: 'open' }, orderBy: { assigneeId: 'asc' } });
    seen = tasks.map((t) => t.stepKey);
    return tasks.length === count ? tasks : undefined;
  }, `${count} open task(s) in ${flowId}`).catch(async (err: Error) => {
    const trail = await db.auditEvent.findMany({ where: { flowId }, orderBy: { id: 'asc' }, select: { action: true } });
    throw new Error(`${err.message}; open: [${seen.join(', ')}]; audit: [${trail.map((e) => e.action).join(', ')}]`);
  });
}

export type Decision = { decision: Outcome; comment?: string };
