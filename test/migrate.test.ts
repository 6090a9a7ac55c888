// The migration runner (scripts/migrate.ts) against a real PostgreSQL.
import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { applyMigrations, DEFAULT_MIGRATIONS_DIR, ensureDatabase } from '../scripts/migrate';
import { createDatabase, databaseUrl, dropDatabase } from '../scripts/throwaway-postgres';
import { testEnvironment } from './support/environment';

const ROOT = path.resolve(__dirname, '..');
const MIGRATIONS_DIR = path.join(ROOT, 'prisma', 'migrations');

// What the files say, computed independently of the runner.
const FILES = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort()
  .map((name) => ({
    name,
    checksum: createHash('sha256').update(readFileSync(path.join(MIGRATIONS_DIR, name, 'migration.sql'))).digest('hex'),
  }));
const NAMES = FILES.map((f) => f.name);

// The run's PostgreSQL server; each test makes databases of its own on it.
const pg = { adminUrl: testEnvironment().pgAdminUrl };
const created: string[] = [];

afterAll(async () => {
  for (const name of created) await dropDatabase(pg.adminUrl, name).catch(() => undefined);
}, 60_000);

function freshName(label: string): string {
  const name = `migrate_${label}_${randomUUID().slice(0, 8)}`;
  created.push(name);
  return name;
}

async function query<R extends object = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

interface Row {
  id: string;
  checksum: string;
  migration_name: string;
  started_at: Date;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
  applied_steps_count: number;
}

const recorded = (url: string) =>
  query<Row>(url, 'SELECT * FROM "_prisma_migrations" ORDER BY migration_name, started_at');

function expectRecordedExactlyOnce(rows: Row[]): void {
  expect(rows.map((r) => r.migration_name)).toEqual(NAMES);
  for (const [i, row] of rows.entries()) {
    expect(row.checksum).toBe(FILES[i]!.checksum);
    expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(row.finished_at).toBeInstanceOf(Date);
    expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
    expect(row.rolled_back_at).toBeNull();
    expect(row.logs).toBeNull();
    expect(row.applied_steps_count).toBe(1);
  }
}

test('the migrations directory is in Prisma layout', () => {
  expect(DEFAULT_MIGRATIONS_DIR).toBe(MIGRATIONS_DIR);
  expect(NAMES[0]).toBe('20261126000000_init');
  expect(NAMES.length).toBeGreaterThan(1);
  for (const name of NAMES) expect(name).toMatch(/^\d{14}_[a-z0-9_]+$/);
  expect(readFileSync(path.join(MIGRATIONS_DIR, 'migration_lock.toml'), 'utf8')).toMatch(/^provider = "postgresql"$/m);
});

test('a fresh database gets every migration, recorded as Prisma does; a second run applies none', async () => {
  const url = databaseUrl(pg.adminUrl, freshName('fresh'));
  await ensureDatabase(url); // creates it
  await ensureDatabase(url); // already there: no-op

  const messages: string[] = [];
  expect(await applyMigrations(url, (m) => messages.push(m))).toEqual(NAMES);
  expect(messages.join('\n')).toContain(NAMES[0]);
  expectRecordedExactlyOnce(await recorded(url));

  expect(await applyMigrations(url)).toEqual([]);
  expectRecordedExactlyOnce(await recorded(url));

  const tables = await query<{ tablename: string }>(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
  expect(tables.map((t) => t.tablename)).toEqual(expect.arrayContaining(['employee', 'task', 'audit_event', '_prisma_migrations']));
});

test('concurrent runs in one process apply each migration exactly once', async () => {
  const url = await createDatabase(pg.adminUrl, freshName('concurrent'));
  const results = await Promise.all([applyMigrations(url), applyMigrations(url), applyMigrations(url)]);
  expect(results.flat().sort()).toEqual(NAMES);
  expectRecordedExactlyOnce(await recorded(url));
});

test('two CLI processes at once create the database and apply each migration exactly once', async () => {
  const url = databaseUrl(pg.adminUrl, freshName('cli'));
  const run = () =>
    promisify(execFile)(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/migrate.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: url },
    });
  const outputs = await Promise.all([run(), run()]);
  const stdout = outputs.map((o) => o.stdout).join('\n');
  for (const name of NAMES) expect(stdout.split(`Applying migration \`${name}\``).length - 1).toBe(1);
  expect(stdout).toContain('is up to date');
  expectRecordedExactlyOnce(await recorded(url));
}, 60_000);

test('the CLI says clearly when DATABASE_URL is missing', async () => {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  const failure = promisify(execFile)(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/migrate.ts'], {
    cwd: ROOT,
    env,
  });
  await expect(failure).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('DATABASE_URL is not set') });
}, 60_000);

test('refuses when an applied migration was edited afterwards', async () => {
  const url = await createDatabase(pg.adminUrl, freshName('checksum'));
  await applyMigrations(url);
  await query(url, `UPDATE "_prisma_migrations" SET checksum = $1 WHERE migration_name = $2`, ['0'.repeat(64), NAMES[0]]);
  await expect(applyMigrations(url)).rejects.toThrow(
    new RegExp(`${NAMES[0]}.*changed after being applied.*checksum`),
  );
});

test('refuses when a migration failed earlier (recorded as started, never finished)', async () => {
  const url = await createDatabase(pg.adminUrl, freshName('failed'));
  await applyMigrations(url);
  await query(
    url,
    `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count, logs)
     VALUES ($1, $2, '20991231000000_half_done', now(), 0, 'boom')`,
    [randomUUID(), '1'.repeat(64)],
  );
  await expect(applyMigrations(url)).rejects.toThrow(/20991231000000_half_done.*failed earlier/);
});

test('a failing migration is rolled back whole and not recorded', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'baton-migrations-'));
  try {
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    mkdirSync(path.join(dir, '20991231000000_broken'));
    writeFileSync(
      path.join(dir, '20991231000000_broken', 'migration.sql'),
      'CREATE TABLE "broken_probe" ("id" INTEGER);\nSELECT 1 / 0;\n',
    );
    const url = await createDatabase(pg.adminUrl, freshName('broken'));
    await expect(applyMigrations(url, undefined, dir)).rejects.toThrow(/20991231000000_broken.*rolled back.*division by zero/);

    expectRecordedExactlyOnce(await recorded(url)); // the good ones went in, each in its own transaction
    expect(await query(url, `SELECT to_regclass('broken_probe') AS t`)).toEqual([{ t: null }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('audit_event accepts INSERT and refuses UPDATE and DELETE', async () => {
  const url = await createDatabase(pg.adminUrl, freshName('audit'));
  await applyMigrations(url);
  await query(url, `INSERT INTO "audit_event" ("key", "action", "payload") VALUES ('k1', 'flow.started', '{"a":1}')`);
  await query(url, `INSERT INTO "audit_event" ("key", "action") VALUES ('k2', 'task.decided') ON CONFLICT ("key") DO NOTHING`);
  await query(url, `INSERT INTO "audit_event" ("key", "action") VALUES ('k2', 'task.decided') ON CONFLICT ("key") DO NOTHING`);

  await expect(query(url, `UPDATE "audit_event" SET "action" = 'tampered' WHERE "key" = 'k1'`)).rejects.toThrow(
    /audit_event is append-only: UPDATE/,
  );
  await expect(query(url, `DELETE FROM "audit_event" WHERE "key" = 'k1'`)).rejects.toThrow(/audit_event is append-only: DELETE/);

  const rows = await query<{ key: string; action: string }>(url, `SELECT "key", "action" FROM "audit_event" ORDER BY "id"`);
  expect(rows).toEqual([
    { key: 'k1', action: 'flow.started' },
    { key: 'k2', action: 'task.decided' },
  ]);
});
