import { createLogger } from '../activities/logger';
import { startTracing } from '../activities/tracing';
import { settingsFrom } from '../domain/settings';
import { createDb } from '../prisma/db';
import { startApiServer } from './server';

/** `npm run api`: one stateless API process (run as many as needed behind a load balancer). */
async function main(): Promise<void> {
  const settings = settingsFrom(process.env);
  const log = createLogger(settings.logLevel, 'api');
  if (!settings.databaseUrl) throw new Error('DATABASE_URL is not set (npm start sets it for the local stack)');
  const db = createDb(settings.databaseUrl);
  const tracing = startTracing('baton-api');
  const api = await startApiServer(settings, db, log, tracing);
  log.info({ url: api.url }, 'API listening');
  const stop = async () => {
    await api.close();
    await db.$disconnect();
    await tracing?.shutdown();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
