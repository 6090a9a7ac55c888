// The project's migration runner. `prisma migrate` cannot run on our machines (its schema engine
// cannot be downloaded), so this applies prisma/migrations/<name>/migration.sql itself and records
// each one in `_prisma_migrations` exactly as Prisma does, so that `prisma migrate deploy` on a
// connected machine sees them as applied (and this runner sees Prisma's as applied).
//
//   DATABASE_URL=postgresql://... npx tsx scripts/migrate.ts
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';

/** The key Prisma's schema engine locks on, so this runner and `prisma migrate` exclude each other. */
const PRISMA_ADVISORY_LOCK = 72707369;

export const DEFAULT_MIGRATIONS_DIR = path.resolve(__dirname, '..', 'prisma', 'migrations');

// Prisma's own DDL for its bookkeeping table.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationFile {
  name: string;
  sql: string;
  /** sha256 hex of the migration.sql bytes, as Prisma computes it. */
  checksum: string;
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/** The migrations in `dir`, in the order Prisma applies them (by directory name). */
export function readMigrations(dir: string = DEFAULT_MIGRATIONS_DIR): MigrationFile[] {
  return readdirSync(dir)
    .filter((name) => statSync(path.join(dir, name)).isDirectory())
    .sort()
    .flatMap((name) => {
      const file = path.join(dir, name, 'migration.sql');
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch {
        return []; // a directory without migration.sql is not a migration (Prisma skips it too)
      }
      return [{ name, sql: bytes.toString('utf8'), checksum: sha256(bytes) }];
    });
}

export function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The database name in a postgres URL (`postgresql://user@host:5432/<name>?…`). */
function databaseName(databaseUrl: string): string {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
  if (!name) throw new Error(`DATABASE_URL names no database: ${redact(databaseUrl)}`);
  return name;
}

function withDatabase(databaseUrl: string, name: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

/** The URL without its password, for messages. */
export function redact(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '<unparseable database URL>';
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function pgCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

/**
 * Creates the database named in `databaseUrl` if it does not exist, through the `postgres`
 * maintenance database of the same server. Safe when another process creates it at the same time.
 */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const name = databaseName(databaseUrl);
  const admin = new Client({ connectionString: withDatabase(databaseUrl, 'postgres') });
  admin.on('error', () => undefined); // a dropped idle connection must not crash the process
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return;
    try {
      await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
    } catch (err) {
      // 42P04 duplicate_database; 23505 when a concurrent CREATE DATABASE wins the race on the catalog.
      const code = pgCode(err);
      if (code !== '42P04' && code !== '23505') throw err;
    }
  } finally {
    await admin.end();
  }
}

/**
 * Applies the pending migrations in `migrationsDir` to the database and returns the names of the
 * ones applied by this call. Holds Prisma's advisory lock for the whole run, so concurrent runs
 * (or a concurrent `prisma migrate deploy`) apply each migration once. Each migration runs in its
 * own transaction together with its `_prisma_migrations` row.
 *
 * Refuses to run when an applied migration's file has changed since (checksum mismatch) or when a
 * migration is recorded as failed (started, not finished, not rolled back), as Prisma does.
 */
export async function applyMigrations(
  databaseUrl: string,
  log: (msg: string) => void = () => {},
  migrationsDir: string = DEFAULT_MIGRATIONS_DIR,
): Promise<string[]> {
  const migrations = readMigrations(migrationsDir);
  const client = new Client({ connectionString: databaseUrl });
  client.on('error', (err) => log(`database connection error: ${err.message}`)); // the pending query fails too
  await client.connect();
  let locked = false;
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK]);
    locked = true;
    await client.query(CREATE_MIGRATIONS_TABLE);

    const { rows } = await client.query<MigrationRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at
         FROM "_prisma_migrations" ORDER BY started_at`,
    );

    const failed = rows.filter((r) => r.finished_at === null && r.rolled_back_at === null);
    if (failed.length > 0) {
      throw new Error(
        `Refusing to migrate ${redact(databaseUrl)}: migration(s) ${failed.map((r) => `\`${r.migration_name}\``).join(', ')} ` +
          'failed earlier (started, never finished). Fix the database by hand, then mark it with ' +
          '`prisma migrate resolve --rolled-back <name>` or `--applied <name>` (or update its row in _prisma_migrations).',
      );
    }

    const applied = new Map<string, MigrationRow>();
    for (const r of rows) if (r.finished_at !== null && r.rolled_back_at === null) applied.set(r.migration_name, r);

    const known = new Set(migrations.map((m) => m.name));
    for (const name of applied.keys()) {
      if (!known.has(name)) log(`warning: migration \`${name}\` is recorded as applied but is not in ${migrationsDir}`);
    }

    const changed = migrations.filter((m) => {
      const row = applied.get(m.name);
      return row !== undefined && row.checksum !== m.checksum;
    });
    if (changed.length > 0) {
      throw new Error(
        `Refusing to migrate ${redact(databaseUrl)}: migration(s) ${changed.map((m) => `\`${m.name}\``).join(', ')} ` +
          'changed after being applied (checksum in _prisma_migrations differs from the migration.sql file). ' +
          'Applied migrations must never be edited: restore the file and add a new migration instead.',
      );
    }

    const done: string[] = [];
    for (const m of migrations) {
      if (applied.has(m.name)) continue;
      log(`Applying migration \`${m.name}\``);
      // A migration that itself contains BEGIN/COMMIT (Prisma renders one for some enum changes)
      // would end this transaction early; the row is still written right after it.
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations"
             (id, checksum, migration_name, started_at, finished_at, applied_steps_count, logs, rolled_back_at)
           VALUES ($1, $2, $3, now(), clock_timestamp(), 1, NULL, NULL)`,
          [randomUUID(), m.checksum, m.name],
        );
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        const message = err instanceof Error ? err.message : String(err);
        throw new Error(`Migration \`${m.name}\` failed and was rolled back: ${message}`, { cause: err });
      }
      done.push(m.name);
    }
    return done;
  } finally {
    if (locked) await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK]).catch(() => undefined);
    await client.end();
  }
}

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    throw new Error('DATABASE_URL is not set. Example: DATABASE_URL=postgresql://postgres@127.0.0.1:5432/baton npm run db:migrate');
  }
  await ensureDatabase(databaseUrl);
  const applied = await applyMigrations(databaseUrl, (msg) => console.log(msg));
  console.log(
    applied.length === 0
      ? `Database ${redact(databaseUrl)} is up to date.`
      : `Applied ${applied.length} migration(s) to ${redact(databaseUrl)}: ${applied.join(', ')}`,
  );
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
