/**
 * On the first `npm start`, the demo gets an approved training plan whose two sessions lie ahead,
 * driven through the flows as people would (HR submits, the department head and the HR director
 * approve), so the calendar, the inboxes and a session's preparation have something to show.
 */
import type { FlowGateway } from '../api/flows';
import type { PlanContent } from '../domain/trainingPlan';
import { Prisma, type Db } from '../prisma/db';
import { DEMO, samplePlanContent } from '../prisma/seed-data';
import { eventually } from './handover-driver';

const DEMO_PLAN_KEY = 'demo-training-plan';
const people = DEMO.employees;

/** A weekday morning `days` from now, in the company's time zone. */
function morning(days: number, hour: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  while ([0, 6].includes(d.getUTCDay())) d.setUTCDate(d.getUTCDate() + 1);
  return `${d.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00:00+08:00`;
}

export async function ensureDemoTraining(db: Db, flows: FlowGateway, settings: Parameters<FlowGateway['submitPlan']>[0]['settings']): Promise<string | undefined> {
  if (await db.trainingPlan.findUnique({ where: { createKey: DEMO_PLAN_KEY } })) return undefined;
  const sample = samplePlanContent(1_200_000);
  const sessions = [14, 21].map((days, i) => ({ title: `第${i + 1}期 Cohort ${i + 1}`, startsAt: morning(days, 9), endsAt: morning(days, 17), location: '三楼培训室', trainerId: people.trainer.id }));
  const content: PlanContent = {
    ...sample,
    cycle: { startsOn: sessions[0]!.startsAt.slice(0, 10), endsOn: sessions[1]!.endsAt.slice(0, 10) },
    sessions,
    participantIds: [people.collectorA.id, people.collectorB.id, people.collectorC.id],
  };
  const plan = await db.trainingPlan.create({
    data: { title: '催收沟通技巧培训 Collection conversations', departmentId: DEMO.departments.collection.id, drafterId: people.hrOfficer.id, draft: content as unknown as Prisma.InputJsonObject, createKey: DEMO_PLAN_KEY },
  });
  const submitted = await flows.submitPlan(
    { planId: plan.id, departmentId: plan.departmentId, drafterId: plan.drafterId, title: plan.title, settings },
    { actorId: plan.drafterId, title: plan.title, content, draftRevision: plan.draftRevision },
    1,
  );
  let next = submitted.next;
  while (next.length > 0) {
    const decided = await flows.decide(submitted.flowId, { taskId: next[0]!.taskId, actorId: next[0]!.assigneeId, decision: 'approve', comment: '演示 demo' });
    next = decided.next;
  }
  await eventually(async () => ((await db.trainingSession.count({ where: { planId: plan.id } })) === sessions.length ? true : undefined), 'the demo sessions');
  return plan.id;
}
