/**
 * Once per `npm test`: a real Temporal dev server (in memory), a real PostgreSQL with two template
 * databases that test files copy (migrated; migrated and seeded), the workflow bundle built once,
 * and a folder of the run's own (where the web app is built once, when a file first needs it).
 */
import { bundleWorkflowCode } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyMigrations } from '../../scripts/migrate';
import { startTemporalDevServer } from '../../scripts/temporal';
import { createDb } from '../../prisma/db';
import { seedDemoOrganisation } from '../../prisma/seed';
import { quietBundlerLogger, workflowBundleOptions } from '../../worker/worker';
import { createDatabase, dropDatabase, startTestPostgres } from '../../scripts/throwaway-postgres';
import type { TestEnvironment } from './environment';

export default async function globalSetup(): Promise<void> {
  const log = (m: string) => process.stderr.write(`[test setup] ${m}\n`);
  const [temporal, postgres, bundle] = await Promise.all([
    startTemporalDevServer({ uiPort: false, log }),
    startTestPostgres(),
    bundleWorkflowCode({ ...workflowBundleOptions(), logger: quietBundlerLogger }),
  ]);
  // Unique per run: TEST_DATABASE_URL may point at a server other runs share.
  const runId = randomUUID().replace(/-/g, '').slice(0, 10);
  const migratedTemplate = `baton_template_${runId}_migrated`;
  await applyMigrations(await createDatabase(postgres.adminUrl, migratedTemplate));
  const templateDatabase = `baton_template_${runId}`;
  const templateUrl = await createDatabase(postgres.adminUrl, templateDatabase, migratedTemplate);
  const db = createDb(templateUrl, 2);
  await seedDemoOrganisation(db);
  await db.$disconnect();

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-test-'));
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, bundle.code);

  const env: TestEnvironment = { temporalAddress: temporal.address, pgAdminUrl: postgres.adminUrl, templateDatabase, migratedTemplate, workflowBundlePath: bundlePath, runDir: dir };
  process.env.BATON_TEST_ENV = JSON.stringify(env);
  (globalThis as Record<string, unknown>).__batonTestTeardown = async () => {
    await temporal.stop();
    await dropDatabase(postgres.adminUrl, templateDatabase);
    await dropDatabase(postgres.adminUrl, migratedTemplate);
    await postgres.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
