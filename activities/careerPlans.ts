import type { Logger } from 'pino';
import type { CareerPlanContent } from '../domain/careerPlan';
import { Prisma, type Db } from '../prisma/db';
import { appendAudit, type Tx } from './audit';
import { changeAndNotify } from './notifications';

interface PlanWrite {
  flowId: string;
  employeeId: string;
  revision: number;
  content: CareerPlanContent;
  actorId: string;
  nextReviewAt: string;
}

/** The plan's new revision on record (kept beside every earlier one) and made current. Keyed by
 *  the revision, so a retry writes nothing twice. */
async function writeRevision(tx: Tx, w: PlanWrite, reviewedAt?: Date): Promise<boolean> {
  const { count } = await tx.careerPlanRevision.createMany({
    data: [{ employeeId: w.employeeId, revision: w.revision, content: w.content as unknown as Prisma.InputJsonObject, actorId: w.actorId }],
    skipDuplicates: true,
  });
  if (count === 0) return false;
  const current = {
    goals: w.content.goals,
    targetRole: w.content.targetRole ?? null,
    wantedSkills: w.content.wantedSkills as unknown as Prisma.InputJsonArray,
    skillKeys: w.content.wantedSkills.map((s) => s.key),
    trainingWanted: w.content.trainingWanted ?? null,
    revision: w.revision,
    nextReviewAt: new Date(w.nextReviewAt),
    updatedById: w.actorId,
    updatedAt: new Date(),
    ...(reviewedAt ? { lastReviewedAt: reviewedAt } : {}),
  };
  await tx.careerPlan.upsert({ where: { employeeId: w.employeeId }, create: { employeeId: w.employeeId, flowId: w.flowId, ...current }, update: current });
  return true;
}

/** The writes of a career plan's flow. */
export function careerPlanActivities(db: Db, log: Logger) {
  return {
    /** A revision written by the employee, their manager or HR. */
    async reviseCareerPlan(w: PlanWrite): Promise<void> {
      await db.$transaction(async (tx) => {
        await tx.flow.upsert({
          where: { id: w.flowId },
          create: { id: w.flowId, type: 'career_plan', businessKey: w.employeeId, subject: '职业规划 Career plan', startedById: w.employeeId },
          update: {},
        });
        if (!(await writeRevision(tx, w))) return;
        await appendAudit(tx, { key: `${w.flowId}:r${w.revision}`, action: 'career_plan.revised', flowId: w.flowId, actorId: w.actorId, payload: { revision: w.revision, skills: w.content.wantedSkills.map((s) => s.key), nextReviewAt: w.nextReviewAt } });
      });
    },

    /** Who holds the yearly review: the employee's manager, else their department's head, else HR;
     *  none once the employee has left (their plan ends with them). */
    async careerPlanReviewer({ employeeId }: { employeeId: string }): Promise<{ reviewerId?: string; employeeName: string }> {
      const e = await db.employee.findUniqueOrThrow({
        where: { id: employeeId },
        select: { name: true, status: true, manager: { select: { id: true, status: true } }, department: { select: { head: { select: { id: true, status: true } } } } },
      });
      if (e.status !== 'active') return { employeeName: e.name };
      const active = (p: { id: string; status: string } | null | undefined) => (p && p.status === 'active' && p.id !== employeeId ? p.id : undefined);
      const hr = await db.employee.findFirst({ where: { status: 'active', roles: { has: 'hr' }, id: { not: employeeId } }, orderBy: { employeeNo: 'asc' }, select: { id: true } });
      return { reviewerId: active(e.manager) ?? active(e.department?.head) ?? hr?.id, employeeName: e.name };
    },

    /** The plan's flow is over: its employee has left. */
    async endCareerPlan({ flowId }: { flowId: string }): Promise<void> {
      await db.flow.updateMany({ where: { id: flowId, status: 'running' }, data: { status: 'completed', currentStep: null, closedAt: new Date() } });
    },

    /** The review on record, the plan as it left it (a new revision when it changed), the next
     *  review's time, and the employee told. Keyed by the review's number. */
    async recordCareerPlanReview(r: { flowId: string; employeeId: string; reviewNo: number; reviewerId: string; comment: string; plan?: PlanWrite; revision: number; nextReviewAt: string }): Promise<void> {
      await changeAndNotify(db, log, async (tx, notify) => {
        const { count } = await tx.careerPlanReview.createMany({
          data: [{ employeeId: r.employeeId, reviewNo: r.reviewNo, reviewerId: r.reviewerId, comment: r.comment, revision: r.revision, reviewedAt: new Date() }],
          skipDuplicates: true,
        });
        if (count === 0) return;
        const now = new Date();
        if (r.plan) await writeRevision(tx, r.plan, now);
        else await tx.careerPlan.update({ where: { employeeId: r.employeeId }, data: { nextReviewAt: new Date(r.nextReviewAt), lastReviewedAt: now } });
        await appendAudit(tx, { key: `${r.flowId}:review-${r.reviewNo}`, action: 'career_plan.reviewed', flowId: r.flowId, actorId: r.reviewerId, payload: { reviewNo: r.reviewNo, revision: r.revision, changed: !!r.plan, nextReviewAt: r.nextReviewAt } });
        const reviewer = await tx.employee.findUniqueOrThrow({ where: { id: r.reviewerId }, select: { name: true } });
        notify({ key: `${r.flowId}:review-${r.reviewNo}`, recipientId: r.employeeId, template: 'career_plan_reviewed', params: { reviewerName: reviewer.name, comment: r.comment, nextReviewAt: r.nextReviewAt }, flowId: r.flowId });
      });
    },

    /** The skills the participants' career plans want, by participant (competency keys): what a
     *  needs analysis counts beside its gaps. */
    async careerWantsOf({ participants }: { participants: string[] }): Promise<Record<string, string[]>> {
      const plans = await db.careerPlan.findMany({ where: { employeeId: { in: participants } }, select: { employeeId: true, skillKeys: true } });
      return Object.fromEntries(plans.filter((p) => p.skillKeys.length > 0).map((p) => [p.employeeId, p.skillKeys]));
    },
  };
}
