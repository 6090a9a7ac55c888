/** How long one activity attempt may run before Temporal retries it elsewhere. */
export const ACTIVITY_ATTEMPT_TIMEOUT = '1 minute';
/** A database transaction ends (commits or rolls back) within this, well inside one attempt, so a
 *  retried attempt never runs beside a transaction of the attempt it replaces. */
export const TRANSACTION_TIMEOUT_MS = 30_000;
/** Activities one worker runs at once; its database pool has a connection for each of them. */
export const WORKER_ACTIVITY_SLOTS = 20;
