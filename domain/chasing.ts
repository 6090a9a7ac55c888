import { z } from 'zod';
import { durationMs, isoDuration } from './durations';

/** Whom an overdue task escalates to, level by level. */
export const escalationTarget = z.enum(['manager', 'hr']);
export type EscalationTarget = z.infer<typeof escalationTarget>;

/** How the system chases one kind of task (催办): all durations count from the task's creation. */
export const chasingPolicy = z.object({
  remindAfter: isoDuration,
  remindEvery: isoDuration,
  maxReminders: z.int().min(0).max(100).default(5),
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

/**
 * The next chasing step of a task created at `createdAt` (epoch ms), or undefined when the policy
 * has nothing more to do. Reminder n is due at remindAfter + (n-1)·remindEvery; escalation level k
 * at k·escalateAfter. Pure, so the workflow sleeps exactly until the next step.
 */
export function nextChase(policy: ChasingPolicy, createdAt: number, done: ChaseProgress): ChaseStep | undefined {
  const steps: ChaseStep[] = [];
  if (done.remindersSent < policy.maxReminders) {
    const at = createdAt + durationMs(policy.remindAfter) + done.remindersSent * durationMs(policy.remindEvery);
    steps.push({ kind: 'remind', at, reminder: done.remindersSent + 1 });
  }
  const to = policy.escalateTo[done.escalationLevel];
  if (to) {
    steps.push({ kind: 'escalate', at: createdAt + (done.escalationLevel + 1) * durationMs(policy.escalateAfter), level: done.escalationLevel + 1, to });
  }
  // On a tie, escalate first: the escalation notice already says the task is overdue.
  return steps.sort((a, b) => a.at - b.at || (a.kind === 'escalate' ? -1 : 1))[0];
}

/** When a task is due: at its first escalation, unless the step sets its own due time. */
export function defaultDueAt(policy: ChasingPolicy, createdAt: number): number {
  return createdAt + durationMs(policy.escalateAfter);
}
