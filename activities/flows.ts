import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { followUpFlowId } from '../domain/followUp';
import { OPEN_STAFFING } from '../domain/staffingAdjustment';
import type { Db } from '../prisma/db';
import { sessionsChanged } from '../workflows/messages';
import { appendAudit, type Tx } from './audit';
import { signalIfRunning } from './signals';
import { changeAndNotify, type NotificationDraft } from './notifications';
import { endSession } from './trainingSessions';
import { tellOnboardingsOf } from './onboarding';
import { cancelVacancy } from './promotions';

export interface OpenFlowInput {
  flowId: string;
  type: string;
  businessKey: string;
  subject: string;
  startedById: string;
}

export function flowActivities(db: Db, log: Logger, temporal: Client) {
  const activities = {
    /** Records that a flow started; a retry or a second start of the same flow adds nothing. */
    async openFlow(f: OpenFlowInput): Promise<void> {
      await db.$transaction(async (tx) => {
        await tx.flow.upsert({
          where: { id: f.flowId },
          create: { id: f.flowId, type: f.type, businessKey: f.businessKey, subject: f.subject, startedById: f.startedById },
          update: { subject: f.subject },
        });
        await appendAudit(tx, { key: `${f.flowId}:started`, action: 'flow.started', flowId: f.flowId, actorId: f.startedById, payload: { type: f.type, businessKey: f.businessKey } });
      });
    },

    /** The flow cannot go on until someone fixes the organisation: it shows `stalled` with the
     *  reason, and admins and HR hear of it (once per attempt). */
    async reportStall(s: OpenFlowInput & { attempt: number; reason: string }): Promise<void> {
      await changeAndNotify(db, log, async (tx, notify) => {
        const stalled = { status: 'stalled' as const, stalledReason: s.reason };
        const flow = await tx.flow.upsert({
          where: { id: s.flowId },
          create: { id: s.flowId, type: s.type, businessKey: s.businessKey, subject: s.subject, startedById: s.startedById, ...stalled },
          update: stalled,
        });
        const key = `${s.flowId}:stalled:${s.attempt}`;
        await appendAudit(tx, { key, action: 'flow.stalled', flowId: s.flowId, payload: { attempt: s.attempt, reason: s.reason } });
        await tellOperators(tx, notify, key, s.flowId, flow.subject, s.reason);
      });
    },

    /** A write of the flow cannot succeed (activities/writeFaults.ts): the flow shows `stalled`
     *  with the write's error, and admins and HR hear of it, critical, once per stall (`stall`). */
    async reportBrokenWrite(s: { flowId: string; stall: string; reason: string }): Promise<void> {
      await changeAndNotify(db, log, async (tx, notify) => {
        await tx.flow.updateMany({ where: { id: s.flowId, status: { in: ['running', 'stalled'] } }, data: { status: 'stalled', stalledReason: s.reason } });
        const flow = await tx.flow.findUnique({ where: { id: s.flowId }, select: { subject: true } });
        const key = `${s.flowId}:${s.stall}`;
        await appendAudit(tx, { key, action: 'flow.stalled', flowId: s.flowId, payload: { reason: s.reason, cannotSucceed: true } });
        await tellOperators(tx, notify, key, s.flowId, flow?.subject ?? s.flowId, s.reason);
      });
    },

    /** `key` names the stall that ended, when it was not the `attempt`-th for want of someone. */
    async resumeAfterStall(s: { flowId: string; attempt: number; key?: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        await tx.flow.updateMany({ where: { id: s.flowId, status: 'stalled' }, data: { status: 'running', stalledReason: null } });
        await appendAudit(tx, { key: `${s.flowId}:${s.key ?? `resumed:${s.attempt}`}`, action: 'flow.resumed', flowId: s.flowId, payload: { attempt: s.attempt } });
      });
    },

    /**
     * A flow ended other than by finishing its story (cancelled by HR or an operator, terminated,
     * failed): the flow row, its business record and its open tasks say so, in one transaction.
     * A cancelled handover gives back to the collector the accounts it had moved, so each account
     * stays with exactly one active person. A repeat, or a flow already closed, changes nothing.
     */
    async recordFlowEnd(e: { flowId: string; how: 'cancelled' | 'failed'; reason: string; actorId?: string }): Promise<{ recorded: boolean }> {
      const ended = await changeAndNotify(db, log, async (tx, notify) => {
        const flow = await tx.flow.findUnique({ where: { id: e.flowId } });
        if (!flow || !['running', 'stalled'].includes(flow.status)) return { recorded: false, type: flow?.type, businessKey: flow?.businessKey };
        await tx.flow.update({ where: { id: e.flowId }, data: { status: e.how, stalledReason: null, currentStep: null, closedAt: new Date() } });
        const open = await tx.task.findMany({ where: { flowId: e.flowId, status: 'open' }, select: { id: true, assigneeId: true, title: true } });
        await tx.task.updateMany({ where: { id: { in: open.map((t) => t.id) } }, data: { status: 'cancelled' } });
        for (const t of open) notify({ key: `${t.id}:cancelled`, recipientId: t.assigneeId, template: 'task_cancelled', params: { title: t.title, reason: e.reason }, flowId: e.flowId, taskId: t.id });
        const ended = await endBusinessRecord(tx, flow.type, flow.businessKey, notify, e.reason);
        await appendAudit(tx, { key: `${e.flowId}:ended`, action: `flow.${e.how}`, flowId: e.flowId, actorId: e.actorId, payload: { reason: e.reason, tasksCancelled: open.length, ...ended } });
        return { recorded: true, type: flow.type, businessKey: flow.businessKey };
      });
      if (ended.type === 'training_session') await tellOfCancelledSession(db, temporal, ended.businessKey!);
      return { recorded: ended.recorded };
    },

    /**
     * Flows that Temporal closed without running their own ending (terminated, timed out, failed)
     * since `since`: records each end that is not on record yet. Answers when it looked, for the
     * next call.
     */
    async recordEndsOfClosedFlows({ since }: { since: string }): Promise<{ recorded: number; checkedAt: string }> {
      const checkedAt = new Date().toISOString();
      const statuses = ['Terminated', 'TimedOut', 'Failed', 'Canceled'].map((st) => `ExecutionStatus = '${st}'`).join(' OR ');
      let recorded = 0;
      for await (const run of temporal.workflow.list({ query: `(${statuses}) AND CloseTime >= '${since}'` })) {
        const how = run.status.name === 'FAILED' || run.status.name === 'TIMED_OUT' ? 'failed' : 'cancelled';
        const reason = `the workflow was ${run.status.name.toLowerCase().replace('_', ' ')} in Temporal`;
        if ((await activities.recordFlowEnd({ flowId: run.workflowId, how, reason })).recorded) recorded++;
      }
      return { recorded, checkedAt };
    },
  };
  return activities;
}

/** Admins and HR hear that a flow stalled (critical: it waits for one of them). */
async function tellOperators(tx: Tx, notify: (...n: NotificationDraft[]) => void, key: string, flowId: string, subject: string, reason: string): Promise<void> {
  const operators = await tx.employee.findMany({ where: { status: 'active', OR: [{ roles: { has: 'admin' } }, { roles: { has: 'hr' } }] }, select: { id: true } });
  for (const o of operators) notify({ key: `${key}:${o.id}`, recipientId: o.id, template: 'flow_stalled', params: { subject, reason }, critical: true, flowId });
}

/** The plan's follow-up, if one runs, no longer waits for a session that was cancelled, and the
 *  hires enrolled in it are enrolled again now rather than at its planned end. */
async function tellOfCancelledSession(db: Db, temporal: Client, sessionId: string): Promise<void> {
  const session = await db.trainingSession.findUnique({ where: { id: sessionId }, select: { planId: true } });
  if (!session) return;
  await signalIfRunning(temporal, followUpFlowId(session.planId), sessionsChanged);
  await tellOnboardingsOf(db, temporal, sessionId);
}

/** What a flow's end means for the record it ran for. */
async function endBusinessRecord(tx: Tx, type: string, businessKey: string, notify: (...n: NotificationDraft[]) => void, reason: string): Promise<Record<string, unknown>> {
  if (type === 'training_session') return endSession(tx, notify, businessKey, reason);
  if (type === 'training_plan') {
    await tx.trainingPlan.updateMany({ where: { id: businessKey, status: { in: ['in_approval', 'changes_requested'] } }, data: { status: 'withdrawn' } });
    return {};
  }
  if (type === 'suggestion') {
    await tx.suggestion.updateMany({ where: { id: businessKey, status: 'open' }, data: { status: 'cancelled' } });
    return {};
  }
  if (type === 'promotion') return cancelVacancy(tx, businessKey, notify, reason);
  if (type === 'team_rebuilding') {
    await tx.teamRebuilding.updateMany({ where: { resignationId: businessKey, status: 'open' }, data: { status: 'cancelled', finishedAt: new Date() } });
    return {};
  }
  if (type === 'retention') {
    // businessKey: <employeeId>:<caseNo>; the employee may get a new case at their next rise.
    const flowId = `retention:${businessKey}`;
    await tx.retentionCase.updateMany({ where: { flowId, status: 'open' }, data: { status: 'cancelled', stage: 'closed', closedReason: reason, closedAt: new Date() } });
    await tx.employeeRisk.updateMany({ where: { retentionFlowId: flowId }, data: { retentionFlowId: null } });
    return {};
  }
  if (type === 'needs_analysis') {
    await tx.needsCycle.updateMany({ where: { id: businessKey, status: { not: 'confirmed' } }, data: { status: 'cancelled' } });
    return {};
  }
  if (type === 'handover') {
    const r = await tx.resignation.findUnique({ where: { id: businessKey } });
    if (!r || r.status !== 'in_progress') return {};
    const handed = await tx.handoverItem.findMany({ where: { resignationId: r.id, status: 'verified', accountId: { not: null } }, select: { accountId: true } });
    const { count: accountsReturned } = r.successorId
      ? await tx.account.updateMany({ where: { id: { in: handed.map((h) => h.accountId!) }, assigneeId: r.successorId }, data: { assigneeId: r.employeeId } })
      : { count: 0 };
    await tx.resignation.update({ where: { id: r.id }, data: { status: 'cancelled', phase: 'cancelled' } });
    await tx.employee.updateMany({ where: { id: r.employeeId, status: 'leaving' }, data: { status: 'active' } });
    return { accountsReturned };
  }
  if (type === 'onboarding') {
    // A registration cancelled before the hire passed: they never joined.
    const { count } = await tx.onboarding.updateMany({ where: { employeeId: businessKey, status: 'open' }, data: { status: 'cancelled', finishedAt: new Date() } });
    if (count) await tx.employee.updateMany({ where: { id: businessKey, status: 'onboarding' }, data: { status: 'left' } });
    return {};
  }
  if (type === 'staffing_adjustment') {
    // An operator's cancellation moves nothing: the accounts stay where they are, never ownerless.
    await tx.staffingAdjustment.updateMany({ where: { id: businessKey, status: { in: OPEN_STAFFING } }, data: { status: 'cancelled', endReason: reason, endedAt: new Date() } });
    return {};
  }
  if (type === 'delegation') {
    await tx.delegation.updateMany({ where: { id: businessKey, status: { in: ['scheduled', 'active'] } }, data: { status: 'cancelled', endedAt: new Date() } });
    return {};
  }
  return {};
}
