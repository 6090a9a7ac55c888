import { randomUUID } from 'node:crypto';
import { closeOutbox } from '../../activities/notifications';
import { createDb } from '../../prisma/db';
import { createDatabase, dropDatabase } from '../../scripts/throwaway-postgres';
import { testEnvironment } from './environment';

/** A migrated, empty database of one test file's own (a copy of the run's template), with no
 *  worker beside it; `close` drops it. */
export async function ownDatabase(prefix: string, connections: number) {
  const { pgAdminUrl, migratedTemplate } = testEnvironment();
  const name = `${prefix}_${randomUUID().slice(0, 8)}`;
  const db = createDb(await createDatabase(pgAdminUrl, name, migratedTemplate), connections);
  return {
    db,
    async close() {
      await closeOutbox(db);
      await db.$disconnect();
      await dropDatabase(pgAdminUrl, name);
    },
  };
}
