import type { Db } from '../../prisma/db';
import { Prisma } from '../../prisma/db';
import { DEMO } from '../../prisma/seed-data';
import type { PlanContent, PlanDraftContent } from '../../domain/trainingPlan';
import type { Outcome } from '../../domain/tasks';

export const people = DEMO.employees;

/** A complete, consistent plan whose budget total is `totalFen`. */
export function planContent(totalFen = 1_200_000): PlanContent {
  const fees = Math.round(totalFen * 0.6);
  const materials = Math.round(totalFen * 0.1);
  return {
    objectives: {
      general: '提升催收员的沟通与谈判能力 Improve collectors’ negotiation skills',
      targets: [{ description: 'Collection rate on 90-day arrears', metric: 'collection_rate_90d', target: 65, unit: '%' }],
    },
    modules: [
      { title: '催收话术 Collection scripts', content: 'Opening, listening, objections, promises to pay', hours: 6 },
      { title: '法律法规 Regulations', content: 'Property Management Regulations and fair collection', hours: 3 },
    ],
    methods: ['classroom', 'role_play'],
    resources: { trainers: [{ name: '孙老师', qualification: 'certified mediator' }], venue: '三楼培训室', materials: ['handbook'], equipment: ['projector'] },
    cycle: { startsOn: '2027-03-01', endsOn: '2027-03-31' },
    sessions: [{ title: 'Day 1', startsAt: '2027-03-10T09:00:00+08:00', endsAt: '2027-03-10T17:00:00+08:00' }],
    budget: {
      lines: [
        { category: 'fees', description: 'Trainer fees', amountFen: fees },
        { category: 'materials', description: 'Handbooks', amountFen: materials },
        { category: 'venue', description: 'Room and catering', amountFen: totalFen - fees - materials },
      ],
      totalFen,
    },
  };
}

/** A draft plan row as `POST /training-plans` would create it (for tests that start at the flow). */
export async function draftPlan(db: Db, content: PlanDraftContent = planContent(), departmentId = DEMO.departments.collection.id) {
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
