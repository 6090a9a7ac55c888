/**
 * The approval actions a task may offer besides its outcomes, as Feishu and DingTalk offer them:
 * 转交 transfer, 加签 add a signer, 退回 send back to an earlier level, 抄送 copy someone in. Each
 * task lists the ones its type allows (`actions`, from the API's settings table).
 */
export type TaskAction = 'transfer' | 'add_signer' | 'send_back' | 'cc';
export const TASK_ACTIONS: readonly TaskAction[] = ['transfer', 'add_signer', 'send_back', 'cc'];

const isTaskAction = (a: string): a is TaskAction => (TASK_ACTIONS as readonly string[]).includes(a);

/** The actions to offer: those the task lists that this app knows, in its own order. */
export const actionsOf = (task: { actions: string[] }): TaskAction[] => task.actions.filter(isTaskAction);
