/** Row locks a test holds, as a slow database would, to catch a flow with a write in flight. */
import { Client } from 'pg';
import { eventually } from './fixtures';

/** Holds the locks `sql` (a SELECT … FOR UPDATE) takes until `release`. */
export async function holdRows(dbUrl: string, sql: string, params: unknown[]) {
  const pg = new Client({ connectionString: dbUrl });
  await pg.connect();
  await pg.query('BEGIN');
  await pg.query(sql, params);
  return {
    /** Resolves once another session waits for these locks (this session's, not any test's that runs beside it). */
    waitedFor: () =>
      eventually(async () => {
        // pg_locks, not pg_stat_activity: a transaction sees the latter as it was when first read.
        const { rows } = await pg.query('SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND pg_backend_pid() = ANY(pg_blocking_pids(pid))');
        return rows[0].n > 0 ? true : undefined;
      }, 'a write waiting for the locked rows'),
    release: async () => {
      await pg.query('COMMIT');
      await pg.end();
    },
  };
}
