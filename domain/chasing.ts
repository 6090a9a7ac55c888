import { z } from 'zod';
import { isoDuration } from './durations';
import { DEFAULT_WORKING_TIME, elapsedTime, workingTime, type Clock, type WorkingTimeSettings } from './workingTime';

/** Whom an overdue task escalates to, level by level: the assignee's manager, the flow's
 *  supervisor (a handover's), or HR. */
export const escalationTarget = z.enum(['manager', 'supervisor', 'hr']);
export type EscalationTarget = z.infer<typeof escalationTarget>;

/**
 * How the system chases one kind of task (催办). Reminders go to the assignee `remindAfter` the
 * task opened and every `remindEvery` after (at most `maxReminders`), plus, with `remindBeforeDue`,
 * once that long before the due time and once at it. The task escalates when it falls overdue,
 * then one level further every `escalateAfter`. Unless a step sets its due time, a task is due
 * `escalateAfter` after it opened. On the `working` clock every duration counts working time (see
 * `workingTime`); a policy that does not say counts plain time (tests run in seconds).
 */
export const chasingPolicy = z.object({
  clock: z.enum(['working', 'elapsed']).optional(),
  remindAfter: isoDuration,
  remindEvery: isoDuration,
  maxReminders: z.int().min(0).max(100).default(5),
  remindBeforeDue: isoDuration.optional(),
  escalateAfter: isoDuration,
  escalateTo: z.array(escalationTarget).max(5).default(['manager', 'hr']),
});
export type ChasingPolicy = z.infer<typeof chasingPolicy>;

export interface ChaseProgress {
  remindersSent: number;
  escalationLevel: number;
}

export type ChaseStep =
  | { kind: 'remind'; at: number; reminder: number }
  | { kind: 'escalate'; at: number; level: number; to: EscalationTarget };

/** The clock a policy counts on, given the flow's working time (the default for flows started
 *  before it was a setting). */
export function clockOf(policy: ChasingPolicy, working: WorkingTimeSettings = DEFAULT_WORKING_TIME): Clock {
  return policy.clock === 'working' ? workingTime(working) : elapsedTime;
}

/** When a task is due if its step does not say: when it first escalates. */
export function defaultDueAt(policy: ChasingPolicy, createdAt: number, clock: Clock = elapsedTime): number {
  return clock.after(createdAt, policy.escalateAfter);
}

/** Every reminder time of a task (epoch ms), in order. `remindAtOpen` keeps the behaviour of
 *  flows started before the fix: a lead longer than the period reminded the moment a task opened. */
export function reminderTimes(policy: ChasingPolicy, createdAt: number, dueAt: number, remindAtOpen = false, clock: Clock = elapsedTime): number[] {
  const times = new Set<number>();
  for (let i = 0, at = clock.after(createdAt, policy.remindAfter); i < policy.maxReminders; i++, at = clock.after(at, policy.remindEvery)) times.add(at);
  if (policy.remindBeforeDue) {
    // A lead longer than the task's whole period would remind the moment the task opens: skip it.
    const early = clock.before(dueAt, policy.remindBeforeDue);
    if (early > createdAt || remindAtOpen) times.add(Math.max(createdAt, early));
    times.add(dueAt);
  }
  return [...times].sort((a, b) => a - b);
}

/**
 * The next chasing step of a task open since `createdAt` and due at `dueAt` (epoch ms), or
 * undefined when the policy has nothing more to do. Pure, so a workflow sleeps exactly until the
 * next step. At the same instant the reminder goes first: "due now", then "escalated".
 */
export function nextChase(
  policy: ChasingPolicy,
  task: { createdAt: number; dueAt: number; remindAtOpen?: boolean },
  done: ChaseProgress,
  clock: Clock = elapsedTime,
): ChaseStep | undefined {
  const steps: ChaseStep[] = [];
  const remindAt = reminderTimes(policy, task.createdAt, task.dueAt, task.remindAtOpen, clock)[done.remindersSent];
  if (remindAt !== undefined) steps.push({ kind: 'remind', at: remindAt, reminder: done.remindersSent + 1 });
  const to = policy.escalateTo[done.escalationLevel];
  if (to) {
    let at = task.dueAt;
    for (let level = 0; level < done.escalationLevel; level++) at = clock.after(at, policy.escalateAfter);
    steps.push({ kind: 'escalate', at, level: done.escalationLevel + 1, to });
  }
  return steps.sort((a, b) => a.at - b.at || (a.kind === 'remind' ? -1 : 1))[0];
}
