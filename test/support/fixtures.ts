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

export { eventually, openTasks } from '../../scripts/handover-driver';

export type Decision = { decision: Outcome; comment?: string };
