import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Db, Prisma } from '../prisma/db';
import type { TaskResult } from '../domain/tasks';
import type { ApprovalLevel, PlanContent, PlanStatus } from '../domain/trainingPlan';
import { organisationIncomplete } from '../domain/stalls';
import { trainingSessionFlowId, type TrainingSessionInput } from '../workflows/trainingSession';
import { appendAudit } from './audit';
import { changeAndNotify } from './notifications';
import { insertOnce } from './insertOnce';

const FLOW_STATUS_OF: Partial<Record<PlanStatus, 'completed' | 'rejected' | 'withdrawn'>> = {
  approved: 'completed',
  rejected: 'rejected',
  withdrawn: 'withdrawn',
};

export function trainingPlanActivities(db: Db, log: Logger, temporal: Client) {
  return {
    /** Stores a submitted version (never overwriting an older one) and puts the plan in approval. */
    async recordPlanSubmission(s: { flowId: string; planId: string; version: number; title: string; content: PlanContent; submittedById: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        await insertOnce(tx, 'trainingPlanVersion', [{ planId: s.planId, version: s.version, content: s.content as unknown as Prisma.InputJsonObject, budgetTotalFen: s.content.budget.totalFen, submittedById: s.submittedById }]);
        await tx.trainingPlan.update({ where: { id: s.planId }, data: { status: 'in_approval', currentVersion: s.version, flowId: s.flowId, title: s.title } });
        await tx.flow.update({ where: { id: s.flowId }, data: { subject: s.title } });
        await appendAudit(tx, { key: `${s.flowId}:submitted:v${s.version}`, action: 'plan.submitted', flowId: s.flowId, actorId: s.submittedById, payload: { planId: s.planId, version: s.version, budgetTotalFen: s.content.budget.totalFen } });
      });
    },

    /** Who must sign at a level of the chain (all of them: countersign); the flow stalls while nobody can. */
    async approversFor({ level, departmentId }: { level: ApprovalLevel; departmentId: string }): Promise<string[]> {
      if (level === 'department_head') {
        const dept = await db.department.findUniqueOrThrow({ where: { id: departmentId }, include: { head: true } });
        if (dept.head && dept.head.status === 'active') return [dept.head.id];
      }
      const role = level === 'executive' ? 'executive' : 'hr_director';
      const holders = await db.employee.findMany({ where: { roles: { has: role }, status: 'active' }, orderBy: { employeeNo: 'asc' }, select: { id: true } });
      if (holders.length === 0) throw organisationIncomplete(`nobody active holds the ${role} role, so the ${level} level cannot be approved`);
      return holders.map((h) => h.id);
    },

    async recordPlanDecisions(d: { planId: string; version: number; round: number; level: ApprovalLevel; results: (TaskResult & { approverId: string })[] }): Promise<void> {
      await insertOnce(db, 'planDecision', d.results.map((r) => ({
        planId: d.planId,
        taskId: r.taskId,
        version: d.version,
        round: d.round,
        level: d.level,
        approverId: r.approverId,
        decidedById: r.decidedById,
        onBehalfOfId: r.onBehalfOfId,
        decision: r.outcome,
        comment: r.comment,
        decidedAt: new Date(r.decidedAt),
      })));
    },

    /**
     * Moves the plan to a new status, closes the flow when that status is final, tells the drafter;
     * an approval then starts the flow of each of its sessions still ahead. Each session's flow id
     * is the plan's and the session's number, so a retried approval starts none twice.
     */
    async recordPlanOutcome(o: { flowId: string; planId: string; version: number; status: PlanStatus; actorId?: string; onBehalfOfId?: string; comment?: string; sessions?: TrainingSessionInput[] }): Promise<void> {
      await changeAndNotify(db, log, async (tx, notify) => {
        const plan = await tx.trainingPlan.update({ where: { id: o.planId }, data: { status: o.status } });
        const flowStatus = FLOW_STATUS_OF[o.status];
        await tx.flow.update({
          where: { id: o.flowId },
          data: flowStatus ? { status: flowStatus, currentStep: null, closedAt: new Date() } : { currentStep: o.status },
        });
        const key = `${o.flowId}:outcome:v${o.version}:${o.status}`;
        await appendAudit(tx, { key, action: `plan.${o.status}`, flowId: o.flowId, actorId: o.actorId, onBehalfOfId: o.onBehalfOfId, payload: { planId: o.planId, version: o.version, comment: o.comment } });
        notify({ key, recipientId: plan.drafterId, template: 'plan_outcome', params: { title: plan.title, outcome: o.status, comment: o.comment ?? '' }, flowId: o.flowId });
      });
      const taskQueue = Context.current().info.taskQueue;
      for (const session of o.sessions ?? []) {
        await temporal.workflow
          .start('trainingSession', { workflowId: trainingSessionFlowId(o.planId, session.sessionNo), taskQueue, args: [session], workflowIdReusePolicy: 'REJECT_DUPLICATE' })
          .catch((err: unknown) => {
            if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
          });
      }
    },
  };
}
