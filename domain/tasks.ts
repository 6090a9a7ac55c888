import { z } from 'zod';
import type { TaskType } from './settings';

/** `send_back` (退回) returns the matter to an earlier level of the same round, named by `backTo`. */
export const outcome = z.enum(['approve', 'reject', 'request_changes', 'done', 'confirm', 'decline', 'improved', 'still_below', 'send_back']);
export type Outcome = z.infer<typeof outcome>;

const level = z.string().trim().min(1).max(100);

/** A person's decision on a task, as the API receives it. */
export const taskDecision = z
  .object({
    decision: outcome,
    comment: z.string().trim().max(2000).optional(),
    /** For `send_back`: the earlier level that decides again. */
    backTo: level.optional(),
  })
  .refine((d) => !['reject', 'request_changes', 'send_back'].includes(d.decision) || !!d.comment, {
    message: 'a comment is required to reject, request changes or send back',
    path: ['comment'],
  })
  .refine((d) => (d.decision === 'send_back') === (d.backTo !== undefined), {
    message: 'name the earlier level (backTo) when, and only when, sending back',
    path: ['backTo'],
  });
export type TaskDecision = z.infer<typeof taskDecision>;

/** The decision as delivered to a workflow: who decided which task. */
export const decideTaskArgs = z.object({
  taskId: z.string().min(1),
  actorId: z.string().min(1),
  decision: outcome,
  comment: z.string().optional(),
  backTo: z.string().optional(),
});
export type DecideTaskArgs = z.infer<typeof decideTaskArgs>;

/** What the holder of a task may do besides deciding it, as Feishu and DingTalk approvers can:
 *  转交 transfer, 加签 add a signer, 退回 send back to an earlier level, 抄送 copy people in.
 *  Which types allow which is a setting (`DEFAULT_TASK_ACTIONS`, `TASK_ACTIONS`). */
export const taskAction = z.enum(['transfer', 'add_signer', 'send_back', 'cc']);
export type TaskAction = z.infer<typeof taskAction>;

/** Approvals allow everything Feishu allows an approver; the decisions a role holder makes may be
 *  handed on and copied. A person's own part (their feedback, their handover items, their
 *  assessment) allows nothing: nobody else can give it in their place. */
const APPROVER: TaskAction[] = ['transfer', 'add_signer', 'send_back', 'cc'];
const ROLE_HOLDER: TaskAction[] = ['transfer', 'cc'];
export type TaskActionSettings = Partial<Record<TaskType, TaskAction[]>>;
export const DEFAULT_TASK_ACTIONS: TaskActionSettings = {
  plan_approval: APPROVER,
  needs_approval: APPROVER,
  // The manager may hand the yearly talk to a colleague who knows the employee's work better.
  career_plan_review: ROLE_HOLDER,
  knowledge_review: APPROVER,
  session_schedule: ROLE_HOLDER,
  session_preparation: ROLE_HOLDER,
  session_trainer_review: ROLE_HOLDER,
  followup_recheck: ROLE_HOLDER,
  survey_review: ROLE_HOLDER,
  survey_action: ROLE_HOLDER,
  // Its form completes it; the head may still hand the answer to a colleague, or copy one in.
  suggestion_answer: ROLE_HOLDER,
  // The head may hand a one-to-one to the member's own team lead.
  team_meeting: ROLE_HOLDER,
  team_one_to_one: ROLE_HOLDER,
  // HR's part may go to a colleague in HR; a panelist's scores and countersignature are their own
  // judgement, which nobody gives in their place (they may still copy someone in on a countersign).
  promotion_no_applicants: ROLE_HOLDER,
  promotion_decision: ROLE_HOLDER,
  promotion_countersign: ['cc'],
  // HR's quarterly pool review may go to a colleague in HR.
  reserve_pool_review: ROLE_HOLDER,
  // The manager may hand the stay interview to the team lead who knows the person; the checks are
  // their owners' own word.
  retention_stay_interview: ROLE_HOLDER,
  retention_hr_review: ROLE_HOLDER,
  // HR may hand an exit interview to a colleague in HR the leaver knows better.
  handover_exit_interview: ROLE_HOLDER,
  // Onboarding: HR's and the manager's parts may go to a colleague; the hire's, the coach's and
  // the countersign are their own.
  onboarding_enrolment: ROLE_HOLDER,
  onboarding_probation: ROLE_HOLDER,
  onboarding_portfolio: ROLE_HOLDER,
  onboarding_probation_countersign: ['cc'],
};

/** The actions a flow's tasks of this type allow: its own settings, else the defaults. */
export const taskActionsOf = (settings: { taskActions?: TaskActionSettings }, type: TaskType): TaskAction[] =>
  settings.taskActions?.[type] ?? DEFAULT_TASK_ACTIONS[type] ?? [];

/** 转交: the person holding a task hands it to someone else, saying why. */
export const transferRequest = z.object({
  toId: z.string().trim().min(1, 'name the person to transfer the task to'),
  reason: z.string().trim().min(1, 'say why the task is transferred').max(2000),
});
export const transferTaskArgs = transferRequest.extend({ taskId: z.string().min(1), actorId: z.string().min(1) });
export type TransferTaskArgs = z.infer<typeof transferTaskArgs>;

/** 加签: the holder adds a person who decides before them (their own decision waits) or after them
 *  (asked once they agree). */
export const signerPosition = z.enum(['before', 'after']);
export const addSignerRequest = z.object({
  signerId: z.string().trim().min(1, 'name the person to add'),
  position: signerPosition,
  reason: z.string().trim().min(1, 'say why the signer is added').max(2000),
});
export const addSignerArgs = addSignerRequest.extend({ taskId: z.string().min(1), actorId: z.string().min(1) });
export type AddSignerArgs = z.infer<typeof addSignerArgs>;

/** 抄送: the holder copies people in; they may read the flow and are told. */
export const ccRequest = z.object({
  ids: z.array(z.string().trim().min(1)).min(1, 'name at least one person to copy in').max(20, 'copy in at most 20 people at once'),
  note: z.string().trim().max(2000).optional(),
});
export const ccArgs = ccRequest.extend({ taskId: z.string().min(1), actorId: z.string().min(1) });
export type CcArgs = z.infer<typeof ccArgs>;

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
  /** For `send_back`: the earlier level that decides again. */
  backTo?: string;
}

/** Who holds a task as it opened: its assignee, or their delegate acting for them. */
export interface OpenedTask {
  holderId: string;
  actingForId?: string;
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
  /** Delegation while away: the owner its holder acts for. */
  actingForId?: string;
  mayDecide: string[];
  outcomes: Outcome[];
  actions: TaskAction[];
  /** Set while the task waits for a signer its holder added before themselves. */
  waitingForId?: string;
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
  invalid_action: 422,
} as const;
export type RefusalReason = keyof typeof refusalReasons;
