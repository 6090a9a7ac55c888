import { randomUUID } from 'node:crypto';
import { closeOutbox } from '../../activities/notifications';
import { createDb } from '../../prisma/db';
import { applyMigrations } from '../../scripts/migrate';
import { createDatabase, dropDatabase, startTestPostgres } from '../../scripts/throwaway-postgres';

/** A migrated database of one test file's own, with no worker beside it; `close` drops it. */
export async function ownDatabase(prefix: string, connections: number) {
  const pg = await startTestPostgres();
  const name = `${prefix}_${randomUUID().slice(0, 8)}`;
  const url = await createDatabase(pg.adminUrl, name);
  await applyMigrations(url);
  const db = createDb(url, connections);
  return {
    db,
    async close() {
      await closeOutbox(db);
      await db.$disconnect();
      await dropDatabase(pg.adminUrl, name);
      await pg.stop();
    },
  };
}
