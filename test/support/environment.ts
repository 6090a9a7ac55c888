/** What the global setup hands to every test file (through one environment variable). */
export interface TestEnvironment {
  temporalAddress: string;
  pgAdminUrl: string;
  /** Migrated and seeded once per run; each test file works on a copy. */
  templateDatabase: string;
  /** Migrated, with no rows: for files that test the data layer on an empty database. */
  migratedTemplate: string;
  workflowBundlePath: string;
  /** This run's own folder, removed at its end. */
  runDir: string;
}

export function testEnvironment(): TestEnvironment {
  const raw = process.env.BATON_TEST_ENV;
  if (!raw) throw new Error('BATON_TEST_ENV is not set: run the tests with `npm test` (jest global setup)');
  return JSON.parse(raw) as TestEnvironment;
}
