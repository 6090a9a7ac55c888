/** How a flow refuses a message (an Update's validator or handler): a reason the API turns into an HTTP status. */
import { ApplicationFailure } from '@temporalio/workflow';
import type { RefusalReason } from '../domain/tasks';

/** Refuses a message with a reason the API turns into an HTTP status. */
export function refuse(reason: RefusalReason, message: string): never {
  throw ApplicationFailure.create({ type: reason, message, nonRetryable: true });
}

/** Refuses a message whose arguments do not match the schema, naming every bad field. */
export function refuseUnlessValid(schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } } }, args: unknown): void {
  const parsed = schema.safeParse(args);
  if (!parsed.success) refuse('invalid_decision', parsed.error!.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; '));
}
