import { z } from 'zod';
import type { TaskType } from './settings';

export const outcome = z.enum(['approve', 'reject', 'request_changes', 'done', 'confirm', 'decline', 'improved', 'still_below']);
export type Outcome = z.infer<typeof outcome>;

/** A person's decision on a task, as the API receives it. */
export const taskDecision = z
  .object({
    decision: outcome,
    comment: z.string().trim().max(2000).optional(),
  })
  .refine((d) => !['reject', 'request_changes'].includes(d.decision) || !!d.comment, {
    message: 'a comment is required to reject or request changes',
    path: ['comment'],
  });
export type TaskDecision = z.infer<typeof taskDecision>;

/** The decision as delivered to a workflow: who decided which task. */
export const decideTaskArgs = z.object({
  taskId: z.string().min(1),
  actorId: z.string().min(1),
  decision: outcome,
  comment: z.string().optional(),
});
export type DecideTaskArgs = z.infer<typeof decideTaskArgs>;

/**
 * Which task types their holder may transfer (转交) to another person, as Feishu lets an approver
 * do: the decisions a role holder makes. Not a person's own part (their feedback, their handover
 * items, their assessment), which nobody else can give in their place.
 */
export const TRANSFERABLE: ReadonlySet<TaskType> = new Set<TaskType>([
  'plan_approval',
  'needs_approval',
  'knowledge_review',
  'session_schedule',
  'session_preparation',
  'session_trainer_review',
  'followup_recheck',
]);

/** 转交: the person holding a task hands it to someone else, saying why. */
export const transferRequest = z.object({
  toId: z.string().trim().min(1, 'name the person to transfer the task to'),
  reason: z.string().trim().min(1, 'say why the task is transferred').max(2000),
});
export const transferTaskArgs = transferRequest.extend({ taskId: z.string().min(1), actorId: z.string().min(1) });
export type TransferTaskArgs = z.infer<typeof transferTaskArgs>;

/** HR cancels a flow started by mistake, saying why. */
export const cancelFlowRequest = z.object({ reason: z.string().trim().min(1, 'say why the flow is cancelled').max(2000) });
export const cancelFlowArgs = cancelFlowRequest.extend({ actorId: z.string().min(1) });
export type CancelFlowArgs = z.infer<typeof cancelFlowArgs>;

export interface TaskResult {
  taskId: string;
  outcome: Outcome;
  comment?: string;
  decidedById: string;
  /** Set when an escalation target decided in the assignee's place. */
  onBehalfOfId?: string;
  decidedAt: string;
}

/** A task a message led to, listed in the message's answer: it is in the assignee's inbox already. */
export interface NextTask {
  taskId: string;
  type: string;
  title: string;
  assigneeId: string;
  dueAt: string;
}

/** An open task as a workflow sees it (live state). */
export interface OpenTaskView {
  taskId: string;
  stepKey: string;
  type: string;
  title: string;
  assigneeId: string;
  mayDecide: string[];
  outcomes: Outcome[];
  dueAt: string;
  remindersSent: number;
  escalationLevel: number;
}

/** Why a workflow refused a message; the API maps each to an HTTP status. */
export const refusalReasons = {
  not_your_task: 403,
  not_allowed: 403,
  task_not_open: 409,
  already_decided: 409,
  wrong_state: 409,
  invalid_decision: 422,
  invalid_transfer: 422,
} as const;
export type RefusalReason = keyof typeof refusalReasons;
