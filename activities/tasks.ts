import type { Logger } from 'pino';
import type { Db, Prisma } from '../prisma/db';
import type { EscalationTarget } from '../domain/chasing';
import type { OpenedTask, Outcome, TaskAction, TaskResult } from '../domain/tasks';
import { appendAudit, type Tx } from './audit';
import { changeAndNotify, type NotificationDraft } from './notifications';
import { insertOnce } from './insertOnce';
import { delegationAt } from './delegations';

export interface OpenTaskInput {
  taskId: string;
  flowId: string;
  stepKey: string;
  type: string;
  title: string;
  assigneeId: string;
  outcomes: Outcome[];
  actions?: TaskAction[];
  earlierLevels?: string[];
  addedById?: string;
  /** Never delegated to these people (the step's separation of duties). */
  mayNotHold?: string[];
  payload: Record<string, unknown>;
  /** When the flow asked: chasing counts from it, so the row says the same. */
  createdAt?: string;
  dueAt: string;
}

/** Tasks that may be handed on go to the delegate of an assignee who is away (the delegation
 *  running now), unless the step excludes the delegate. */
async function holdersOf(tx: Tx, tasks: OpenTaskInput[]): Promise<(OpenedTask & { why?: string })[]> {
  const delegable = tasks.filter((t) => t.actions?.includes('transfer'));
  const away = delegable.length ? await delegationAt(tx, [...new Set(delegable.map((t) => t.assigneeId))], new Date()) : [];
  return tasks.map((t) => {
    const d = delegable.includes(t) ? away.find((a) => a.ownerId === t.assigneeId) : undefined;
    return d && !t.mayNotHold?.includes(d.delegateId) ? { holderId: d.delegateId, actingForId: t.assigneeId, why: d.reason } : { holderId: t.assigneeId };
  });
}

/** Puts tasks in their holders' inboxes, on the audit trail and in the outbox; each flow's current
 *  step becomes the title of its last task opened. Answers who holds each. */
function openTogether(db: Db, log: Logger, tasks: OpenTaskInput[]): Promise<OpenedTask[]> {
  return changeAndNotify(db, log, async (tx, notify) => {
    let holders: (OpenedTask & { why?: string })[] = await holdersOf(tx, tasks);
    const inserted = await insertOnce(
      tx,
      'task',
      tasks.map(({ taskId, mayNotHold: _excluded, ...t }, i) => ({
        ...t,
        id: taskId,
        assigneeId: holders[i]!.holderId,
        actingForId: holders[i]!.actingForId,
        payload: t.payload as Prisma.InputJsonObject,
        createdAt: t.createdAt ? new Date(t.createdAt) : undefined,
        dueAt: new Date(t.dueAt),
      })),
    );
    if (inserted < tasks.length) {
      // A retry: the rows written first say who holds them.
      const rows = await tx.task.findMany({ where: { id: { in: tasks.map((t) => t.taskId) } }, select: { id: true, assigneeId: true, actingForId: true } });
      holders = tasks.map((t) => {
        const row = rows.find((r) => r.id === t.taskId)!;
        return { holderId: row.assigneeId, actingForId: row.actingForId ?? undefined };
      });
    }
    const currentSteps = new Map(tasks.map((t) => [t.flowId, t.title]));
    for (const [flowId, title] of currentSteps) await tx.flow.update({ where: { id: flowId }, data: { currentStep: title } });
    await appendAudit(
      tx,
      ...tasks.map((t, i) => ({
        key: `${t.taskId}:opened`,
        action: 'task.opened',
        flowId: t.flowId,
        taskId: t.taskId,
        payload: { stepKey: t.stepKey, type: t.type, assigneeId: holders[i]!.holderId, actingForId: holders[i]!.actingForId, dueAt: t.dueAt },
      })),
    );
    const owners = holders.some((h) => h.actingForId) ? await tx.employee.findMany({ where: { id: { in: holders.flatMap((h) => h.actingForId ?? []) } }, select: { id: true, name: true } }) : [];
    notify(
      ...tasks.map((t, i): NotificationDraft => {
        const { holderId, actingForId, why } = holders[i]!;
        const common = { key: `${t.taskId}:assigned`, recipientId: holderId, flowId: t.flowId, taskId: t.taskId };
        return actingForId
          ? { ...common, template: 'task_delegated' as const, params: { title: t.title, dueAt: t.dueAt, fromName: owners.find((o) => o.id === actingForId)?.name ?? actingForId, reason: why ?? '' } }
          : { ...common, template: 'task_assigned' as const, params: { title: t.title, dueAt: t.dueAt } };
      }),
    );
    return holders.map(({ holderId, actingForId }) => ({ holderId, actingForId }));
  });
}

/** The inbox side of the human-task building block (workflows/humanTask.ts). Every write is keyed
 *  by the task id the workflow chose, so a retried activity changes nothing twice. */
export function taskActivities(db: Db, log: Logger) {
  return {
    async openTask(t: OpenTaskInput): Promise<OpenedTask> {
      return (await openTogether(db, log, [t]))[0]!;
    },

    /** Tasks asked together (a countersign, a session's preparation) open in one transaction. */
    openTasks(tasks: OpenTaskInput[]): Promise<OpenedTask[]> {
      return openTogether(db, log, tasks);
    },

    async remindAssignee({ taskId, reminder }: { taskId: string; reminder: number }): Promise<void> {
      await changeAndNotify(db, log, async (tx, notify) => {
        const { count } = await tx.task.updateMany({
          where: { id: taskId, status: 'open', reminderCount: { lt: reminder } },
          data: { reminderCount: reminder, lastChasedAt: new Date() },
        });
        if (count === 0) return;
        const task = await tx.task.findUniqueOrThrow({ where: { id: taskId } });
        await appendAudit(tx, { key: `${taskId}:reminder:${reminder}`, action: 'task.reminded', flowId: task.flowId, taskId, payload: { reminder, to: task.assigneeId } });
        notify({ key: `${taskId}:reminder:${reminder}`, recipientId: task.assigneeId, template: 'task_reminder', params: { title: task.title, dueAt: task.dueAt.toISOString(), reminder: String(reminder) }, flowId: task.flowId, taskId });
      });
    },

    /** Escalates an overdue task one level; returns who may now act on the assignee's behalf. */
    async escalateTask({ taskId, level, to, named }: { taskId: string; level: number; to: EscalationTarget; named?: string }): Promise<{ targetId?: string }> {
      let targetId: string | undefined;
      await changeAndNotify(db, log, async (tx, notify) => {
        const key = `${taskId}:escalated:${level}`;
        const earlier = await tx.auditEvent.findUnique({ where: { key } });
        if (earlier) {
          targetId = (earlier.payload as { targetId?: string }).targetId;
          return;
        }
        const task = await tx.task.findUniqueOrThrow({ where: { id: taskId }, include: { assignee: true } });
        if (task.status !== 'open') return;
        targetId = await escalationTargetFor(tx, task.assignee, to, task.escalatedToIds, named);
        await tx.task.update({
          where: { id: taskId },
          data: { escalationLevel: level, lastChasedAt: new Date(), ...(targetId ? { escalatedToIds: { push: targetId } } : {}) },
        });
        await appendAudit(tx, {
          key,
          action: targetId ? 'task.escalated' : 'task.escalation_skipped',
          flowId: task.flowId,
          taskId,
          payload: { level, to, targetId, assigneeId: task.assigneeId },
        });
        if (!targetId) return;
        notify({ key, recipientId: targetId, template: 'task_escalated', params: { title: task.title, assigneeName: task.assignee.name, level: String(level) }, critical: to === 'hr', flowId: task.flowId, taskId });
      });
      return { targetId };
    },

    async closeTask(r: TaskResult & { flowId: string }): Promise<void> {
      await changeAndNotify(db, log, async (tx) => {
        await tx.task.updateMany({
          where: { id: r.taskId, status: 'open' },
          data: { status: 'done', outcome: r.outcome, comment: r.comment, decidedById: r.decidedById, onBehalfOfId: r.onBehalfOfId, decidedAt: new Date(r.decidedAt), waitingForId: null },
        });
        await appendAudit(tx, {
          key: `${r.taskId}:decided`,
          action: 'task.decided',
          flowId: r.flowId,
          taskId: r.taskId,
          actorId: r.decidedById,
          onBehalfOfId: r.onBehalfOfId,
          payload: { outcome: r.outcome, comment: r.comment, backTo: r.backTo },
        });
      });
    },

    /** 转交: the task's row goes to its new holder, who is told; keyed by the move the flow named.
     *  A delegation's move (`delegationId`) makes the new holder act for the previous one. */
    async transferTask({ flowId, taskId, move, fromId, toId, actorId, reason, delegationId }: { flowId: string; taskId: string; move: string; fromId: string; toId: string; actorId: string; reason: string; delegationId?: string }): Promise<void> {
      await changeAndNotify(db, log, async (tx, notify) => {
        const key = `${taskId}:transferred:${move}`;
        if (await tx.auditEvent.findUnique({ where: { key } })) return;
        const task = await tx.task.update({ where: { id: taskId }, data: { assigneeId: toId, escalatedToIds: [], actingForId: delegationId ? fromId : null }, include: { assignee: true } });
        const from = await tx.employee.findUniqueOrThrow({ where: { id: fromId } });
        const action = delegationId ? 'task.delegated' : 'task.transferred';
        await appendAudit(tx, { key, action, flowId, taskId, actorId, onBehalfOfId: actorId === fromId ? undefined : fromId, payload: { fromId, toId, reason, delegationId } });
        const template = delegationId ? 'task_delegated' : 'task_transferred';
        notify({ key, recipientId: toId, template, params: { title: task.title, fromName: from.name, reason, dueAt: task.dueAt.toISOString() }, flowId, taskId });
      });
    },

    /** 加签: the task's row says whom it waits for (before) or who follows (after); the signer is
     *  told. Keyed by the signer's step, which the flow numbered. */
    async addSigner({ flowId, taskId, stepKey, signerId, position, actorId, reason }: { flowId: string; taskId: string; stepKey: string; signerId: string; position: 'before' | 'after'; actorId: string; reason: string }): Promise<void> {
      await changeAndNotify(db, log, async (tx, notify) => {
        const key = `${taskId}:signer:${stepKey}`;
        if (await tx.auditEvent.findUnique({ where: { key } })) return;
        const task = await tx.task.update({
          where: { id: taskId },
          data: position === 'before' ? { waitingForId: signerId } : { signersAfter: { push: signerId } },
          include: { assignee: true },
        });
        await appendAudit(tx, { key, action: 'task.signer_added', flowId, taskId, actorId, onBehalfOfId: actorId === task.assigneeId ? undefined : task.assigneeId, payload: { signerId, position, reason, stepKey } });
        notify({ key, recipientId: signerId, template: 'task_signer_added', params: { title: task.title, adderName: task.assignee.name, position, reason }, flowId, taskId });
      });
    },

    /** 加签 before: the signer answered; with their agreement the task is back with its holder. */
    async signerAnswered({ taskId, stepKey, signerId, outcome, backWithHolder }: { taskId: string; stepKey: string; signerId: string; outcome: Outcome; backWithHolder: boolean }): Promise<void> {
      await changeAndNotify(db, log, async (tx, notify) => {
        const task = await tx.task.findUniqueOrThrow({ where: { id: taskId } });
        const key = `${taskId}:signer:${stepKey}:answered`;
        await appendAudit(tx, { key, action: 'task.signer_answered', flowId: task.flowId, taskId, actorId: signerId, payload: { signerId, outcome, stepKey } });
        if (!backWithHolder) return;
        await tx.task.updateMany({ where: { id: taskId, status: 'open', waitingForId: signerId }, data: { waitingForId: null } });
        const signer = await tx.employee.findUniqueOrThrow({ where: { id: signerId } });
        notify({ key, recipientId: task.assigneeId, template: 'task_back_with_you', params: { title: task.title, signerName: signer.name, dueAt: task.dueAt.toISOString() }, flowId: task.flowId, taskId });
      });
    },

    /** 抄送: people not yet copied in on the flow are, and told; returns who was added. Keyed by
     *  the copy the flow named, so a retry adds and tells nobody twice. */
    async copyIn({ flowId, taskId, copy, actorId, ids, note }: { flowId: string; taskId: string; copy: string; actorId: string; ids: string[]; note?: string }): Promise<{ added: string[] }> {
      let added: string[] = [];
      await changeAndNotify(db, log, async (tx, notify) => {
        const key = `${taskId}:cc:${copy}`;
        const earlier = await tx.auditEvent.findUnique({ where: { key } });
        if (earlier) {
          added = (earlier.payload as { added: string[] }).added;
          return;
        }
        const before = await tx.flowCc.findMany({ where: { flowId, employeeId: { in: ids } }, select: { employeeId: true } });
        added = [...new Set(ids)].filter((id) => !before.some((b) => b.employeeId === id));
        await tx.flowCc.createMany({ data: added.map((employeeId) => ({ flowId, employeeId, addedById: actorId })), skipDuplicates: true });
        await appendAudit(tx, { key, action: 'flow.copied', flowId, taskId, actorId, payload: { added, note } });
        const [flow, from] = await Promise.all([tx.flow.findUniqueOrThrow({ where: { id: flowId } }), tx.employee.findUniqueOrThrow({ where: { id: actorId } })]);
        notify(...added.map((recipientId) => ({ key: `${key}:${recipientId}`, recipientId, template: 'flow_cc' as const, params: { subject: flow.subject, fromName: from.name, note: note ?? '' }, flowId, taskId })));
      });
      return { added };
    },

    async cancelTask({ flowId, taskId, reason }: { flowId: string; taskId: string; reason: string }): Promise<void> {
      await changeAndNotify(db, log, async (tx, notify) => {
        const { count } = await tx.task.updateMany({ where: { id: taskId, status: 'open' }, data: { status: 'cancelled' } });
        await appendAudit(tx, { key: `${taskId}:cancelled`, action: 'task.cancelled', flowId, taskId, payload: { reason } });
        if (count === 0) return;
        const task = await tx.task.findUniqueOrThrow({ where: { id: taskId } });
        notify({ key: `${taskId}:cancelled`, recipientId: task.assigneeId, template: 'task_cancelled', params: { title: task.title, reason }, flowId, taskId });
      });
    },
  };
}

/** The assignee's manager, the person the flow named for this level (its supervisor, its HR
 *  officer), or HR: never the assignee, never someone already escalated to. */
export async function escalationTargetFor(
  tx: Tx,
  assignee: { id: string; managerId: string | null },
  to: EscalationTarget,
  alreadyEscalatedTo: string[],
  named?: string,
): Promise<string | undefined> {
  const excluded = [assignee.id, ...alreadyEscalatedTo];
  if (named) {
    const person = excluded.includes(named) ? null : await tx.employee.findFirst({ where: { id: named, status: { not: 'left' } } });
    if (person) return person.id;
  }
  if (to === 'supervisor') return undefined;
  if (to === 'manager') {
    if (!assignee.managerId || excluded.includes(assignee.managerId)) return undefined;
    const manager = await tx.employee.findFirst({ where: { id: assignee.managerId, status: { not: 'left' } } });
    return manager?.id;
  }
  const hr = await tx.employee.findFirst({
    where: { roles: { has: 'hr' }, status: 'active', id: { notIn: excluded } },
    orderBy: { employeeNo: 'asc' },
  });
  return hr?.id;
}
