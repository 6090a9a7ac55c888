/**
 * Tells a write that can never succeed from one worth retrying. Retrying is right for a lost
 * connection, a deadlock or a busy server; it is wrong for a programming error or data the database
 * refuses, which fail the same way on every attempt: those fail at once (WRITE_CANNOT_SUCCEED), so
 * the flow stalls and operators hear of it instead of an activity retrying unseen forever.
 */
import { ApplicationFailure } from '@temporalio/common';
import { Prisma } from '../prisma/db';
import { WRITE_CANNOT_SUCCEED } from '../domain/stalls';

/** SQLSTATE classes no retry mends: data exceptions (22), integrity violations (23) but a unique
 *  key two writers raced for (23505, which a retry reads as done), syntax, unknown tables and
 *  columns (42). Connection (08), serialization and deadlock (40), resources (53) and operator
 *  intervention (57) stay retryable, as does anything not recognised. */
const PERMANENT_SQLSTATE = /^(22|23(?!505)|42)/;
/** Prisma's own codes for the same: value too long (P2000), broken reference (P2003), constraint
 *  (P2004), invalid value (P2005–P2007), missing required value (P2011, P2012), field value (P2019,
 *  P2020), unknown column (P2022), inconsistent column data (P2023). */
const PERMANENT_PRISMA = new Set(['P2000', 'P2003', 'P2004', 'P2005', 'P2006', 'P2007', 'P2011', 'P2012', 'P2019', 'P2020', 'P2022', 'P2023']);

/** A write refused for a reason that a retry cannot change (see insertOnce's unknown columns). */
export class ImpossibleWrite extends Error {
  override name = 'ImpossibleWrite';
}

/** Why `err` will happen again on every retry, or undefined when a retry may succeed. */
export function permanentFault(err: unknown): string | undefined {
  if (err instanceof ApplicationFailure) return undefined; // the activity chose already
  if (err instanceof ImpossibleWrite || err instanceof Prisma.PrismaClientValidationError) return err.message;
  if (err instanceof TypeError || err instanceof ReferenceError || err instanceof RangeError || err instanceof SyntaxError) return `${err.name}: ${err.message}`;
  if (err instanceof Prisma.PrismaClientKnownRequestError) {
    const sqlState = (err.meta?.driverAdapterError as { cause?: { originalCode?: string; code?: string } } | undefined)?.cause;
    const code = sqlState?.originalCode ?? sqlState?.code;
    if (PERMANENT_PRISMA.has(err.code) || (code && PERMANENT_SQLSTATE.test(code))) return lastLine(err.message);
  }
  return undefined;
}

/** Prisma's messages open with where the call was made; the last line says what went wrong. */
const lastLine = (message: string) => message.trim().split('\n').at(-1)!.trim();

/** Every activity of `activities`, failing at once (not retried) when its error is permanent. */
export function failingFastWhenPermanent<T extends Record<string, unknown>>(activities: T): T {
  return Object.fromEntries(
    Object.entries(activities).map(([name, activity]) => [
      name,
      typeof activity !== 'function'
        ? activity
        : async (...args: unknown[]) => {
            try {
              return await (activity as (...a: unknown[]) => Promise<unknown>)(...args);
            } catch (err) {
              const fault = permanentFault(err);
              if (fault === undefined) throw err;
              throw ApplicationFailure.create({ type: WRITE_CANNOT_SUCCEED, message: `${name}: ${fault}`, nonRetryable: true, cause: err as Error });
            }
          },
    ]),
  ) as T;
}
