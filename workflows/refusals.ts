/** How a flow refuses a message (an Update's validator or handler): a reason the API turns into an HTTP status. */
import { ApplicationFailure } from '@temporalio/workflow';
import type { RefusalReason } from '../domain/tasks';

/** Refuses a message with a reason the API turns into an HTTP status. */
export function refuse(reason: RefusalReason, message: string): never {
  throw ApplicationFailure.create({ type: reason, message, nonRetryable: true });
}

type Parsed<T> = { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };

/** A message's arguments as the schema reads them, or a refusal naming every bad field. */
export function validArgs<T>(schema: { safeParse(v: unknown): Parsed<T> }, args: unknown, reason: RefusalReason = 'invalid_decision'): T {
  const parsed = schema.safeParse(args);
  if (!parsed.success) refuse(reason, parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; '));
  return parsed.data;
}

/** Refuses a message whose arguments do not match the schema, naming every bad field. */
export function refuseUnlessValid(schema: { safeParse(v: unknown): Parsed<unknown> }, args: unknown): void {
  validArgs(schema, args);
}
