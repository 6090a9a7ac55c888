/**
 * The approval actions a task may offer besides its outcomes, as Feishu and DingTalk offer them:
 * 转交 transfer, 加签 add a signer, 退回 send back to an earlier level, 抄送 copy someone in.
 * No imports: the tests compare the fallback below with the API's own list.
 */
export type TaskAction = 'transfer' | 'add_signer' | 'send_back' | 'cc';
export const TASK_ACTIONS: readonly TaskAction[] = ['transfer', 'add_signer', 'send_back', 'cc'];

/** What a task says about these actions: what its type allows (`actions`), the levels a send-back
 *  may go to, the signer its holder waits for, and who added it by 加签. An API that does not say
 *  yet leaves them out. */
export interface ApprovalFields {
  actions?: TaskAction[];
  earlierLevels?: string[];
  waitingForId?: string | null;
  addedById?: string | null;
}

/** domain/tasks.ts TRANSFERABLE: the task types whose holder may transfer them. */
export const TRANSFERABLE: ReadonlySet<string> = new Set([
  'plan_approval',
  'needs_approval',
  'knowledge_review',
  'session_schedule',
  'session_preparation',
  'session_trainer_review',
  'followup_recheck',
]);

/** The actions to offer: the task's own list; from an API that sends none, transfer by type alone. */
export const actionsOf = (task: { type: string } & ApprovalFields): TaskAction[] => task.actions ?? (TRANSFERABLE.has(task.type) ? ['transfer'] : []);
