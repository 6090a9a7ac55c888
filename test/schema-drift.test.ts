// The guard against drift between prisma/schema.prisma and prisma/migrations: the database the
// migrations build must be the one schema.prisma describes (tables, columns with their types,
// nullability and defaults, enums, primary keys, indexes, foreign keys). `prisma migrate` cannot
// run on our machines, so a change to schema.prisma needs a hand-written migration in Prisma's
// style; this test says what that migration is missing.
import { get_dmmf } from '@prisma/prisma-schema-wasm';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { createDatabase, dropDatabase } from '../scripts/throwaway-postgres';
import { testEnvironment } from './support/environment';

const SCHEMA_PATH = path.resolve(__dirname, '..', 'prisma', 'schema.prisma');
const MAX_IDENTIFIER_LENGTH = 63; // PostgreSQL's, which Prisma's default constraint names respect

// ---- The parts of Prisma's DMMF used here ----------------------------------------------------

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'enum' | 'object' | 'unsupported';
  type: string;
  isList: boolean;
  isRequired: boolean;
  isId: boolean;
  hasDefaultValue: boolean;
  default?: unknown;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
  primaryKey: { name: string | null; fields: string[] } | null;
}
interface DmmfEnum {
  name: string;
  dbName?: string | null;
  values: { name: string; dbName: string | null }[];
}
interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  dbName?: string | null;
  algorithm?: string;
  fields: { name: string }[];
}
interface Datamodel {
  enums: DmmfEnum[];
  models: DmmfModel[];
  indexes: DmmfIndex[];
}

function parseSchema(prismaSchema: string): Datamodel {
  return (JSON.parse(get_dmmf(JSON.stringify({ prismaSchema }))) as { datamodel: Datamodel }).datamodel;
}

// ---- Facts: one line per thing that exists, key → description ---------------------------------

type Facts = Map<string, string>;

/** Strips identifier quotes (format_type and pg_get_expr quote mixed-case names such as "Role"). */
const unquote = (s: string): string => s.replace(/"/g, '');

/** A default expression without casts and literal quotes: `'zh-CN'::text` → `zh-CN`. */
function normalizeDefault(expr: string): string {
  if (/^nextval\(/i.test(expr)) return 'autoincrement()';
  const uncast = expr.replace(/::("[^"]+"|[a-z_][a-z0-9_ ]*)(\(\d+(,\s*\d+)?\))?(\[\])*/gi, '').trim();
  const literal = /^'((?:[^']|'')*)'$/s.exec(uncast);
  return literal ? literal[1]!.replace(/''/g, "'") : uncast;
}

function defaultName(table: string, columns: string[], suffix: string): string {
  const base = columns.length > 0 ? `${table}_${columns.join('_')}` : table;
  const room = MAX_IDENTIFIER_LENGTH - suffix.length;
  return `${base.length > room ? base.slice(0, room) : base}${suffix}`;
}

/** The SQL type PostgreSQL reports (format_type) for a Prisma scalar field. */
function sqlType(field: DmmfField, enums: Map<string, string>): string {
  const listSuffix = field.isList ? '[]' : '';
  if (field.kind === 'enum') return `${enums.get(field.type) ?? field.type}${listSuffix}`;
  const [native, args = []] = field.nativeType ?? [];
  const precision = (fallback: string) => args[0] ?? fallback;
  const byNative: Record<string, () => string> = {
    Text: () => 'text',
    VarChar: () => (args[0] ? `character varying(${args[0]})` : 'character varying'),
    Char: () => `character(${precision('1')})`,
    Uuid: () => 'uuid',
    SmallInt: () => 'smallint',
    Integer: () => 'integer',
    BigInt: () => 'bigint',
    Real: () => 'real',
    DoublePrecision: () => 'double precision',
    Decimal: () => (args.length ? `numeric(${args.join(',')})` : 'numeric'),
    Boolean: () => 'boolean',
    ByteA: () => 'bytea',
    Json: () => 'json',
    JsonB: () => 'jsonb',
    Date: () => 'date',
    Timestamp: () => `timestamp(${precision('6')}) without time zone`,
    Timestamptz: () => `timestamp(${precision('6')}) with time zone`,
    Time: () => `time(${precision('6')}) without time zone`,
    Timetz: () => `time(${precision('6')}) with time zone`,
  };
  const byScalar: Record<string, string> = {
    String: 'text',
    Int: 'integer',
    BigInt: 'bigint',
    Float: 'double precision',
    Decimal: 'numeric(65,30)',
    Boolean: 'boolean',
    Bytes: 'bytea',
    Json: 'jsonb',
    DateTime: 'timestamp(3) without time zone',
  };
  const base = native ? byNative[native]?.() : byScalar[field.type];
  if (base === undefined) {
    throw new Error(`schema-drift test: no SQL type known for ${field.name} ${field.type} ${native ?? ''}; extend sqlType()`);
  }
  return `${base}${listSuffix}`;
}

/** The column default Prisma creates in the database for a field, normalized; undefined if none. */
function sqlDefault(field: DmmfField): string | undefined {
  if (!field.hasDefaultValue) return undefined;
  const value = field.default;
  if (Array.isArray(value)) {
    return `ARRAY[${value.map((v) => (typeof v === 'string' ? `'${v.replace(/'/g, "''")}'` : String(v))).join(', ')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const fn = value as { name: string; args: unknown[] };
    switch (fn.name) {
      case 'now':
        return 'CURRENT_TIMESTAMP';
      case 'autoincrement':
        return 'autoincrement()';
      case 'dbgenerated':
        return fn.args.length ? normalizeDefault(String(fn.args[0])) : undefined;
      default:
        return undefined; // uuid(), cuid(), nanoid(), ulid(): generated by the Prisma client, not the database
    }
  }
  return String(value);
}

function columnFact(type: string, notNull: boolean, dflt: string | undefined): string {
  return `${type} ${notNull ? 'NOT NULL' : 'NULL'}${dflt === undefined ? '' : ` DEFAULT ${dflt}`}`;
}

const ACTIONS: Record<string, string> = {
  Cascade: 'CASCADE',
  Restrict: 'RESTRICT',
  NoAction: 'NO ACTION',
  SetNull: 'SET NULL',
  SetDefault: 'SET DEFAULT',
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

function fkFact(refTable: string, refColumns: string[], onDelete: string, onUpdate: string): string {
  return `references ${refTable}(${refColumns.join(', ')}) ON DELETE ${onDelete} ON UPDATE ${onUpdate}`;
}

/** What schema.prisma says the database must contain, as Prisma's migrations would build it. */
function expectedFacts(prismaSchema: string): Facts {
  const dm = parseSchema(prismaSchema);
  const facts: Facts = new Map();
  const enumDbNames = new Map(dm.enums.map((e) => [e.name, e.dbName ?? e.name]));
  const models = new Map(dm.models.map((m) => [m.name, m]));
  const tableOf = (m: DmmfModel) => m.dbName ?? m.name;
  const columnOf = (m: DmmfModel, fieldName: string): string => {
    const field = m.fields.find((f) => f.name === fieldName);
    if (!field) throw new Error(`schema-drift test: ${m.name} has no field ${fieldName}`);
    return field.dbName ?? field.name;
  };

  for (const e of dm.enums) facts.set(`enum ${e.dbName ?? e.name}`, e.values.map((v) => v.dbName ?? v.name).join(', '));

  for (const m of dm.models) {
    const table = tableOf(m);
    facts.set(`table ${table}`, '');
    for (const f of m.fields) {
      if (f.kind === 'object') continue;
      // Prisma creates list columns without NOT NULL (with or without a default).
      facts.set(`column ${table}.${f.dbName ?? f.name}`, columnFact(sqlType(f, enumDbNames), f.isRequired && !f.isList, sqlDefault(f)));
    }

    for (const f of m.fields) {
      if (f.kind !== 'object' || !f.relationFromFields?.length) continue;
      const target = models.get(f.type)!;
      const columns = f.relationFromFields.map((n) => columnOf(m, n));
      const anyRequired = f.relationFromFields.some((n) => m.fields.find((x) => x.name === n)?.isRequired);
      const onDelete = ACTIONS[f.relationOnDelete ?? (anyRequired ? 'Restrict' : 'SetNull')]!;
      const onUpdate = ACTIONS[f.relationOnUpdate ?? 'Cascade']!;
      facts.set(
        `foreign key ${table}(${columns.join(', ')})`,
        fkFact(tableOf(target), (f.relationToFields ?? []).map((n) => columnOf(target, n)), onDelete, onUpdate),
      );
    }
  }

  for (const ix of dm.indexes) {
    const m = models.get(ix.model)!;
    const table = tableOf(m);
    const columns = ix.fields.map((f) => columnOf(m, f.name));
    if (ix.type === 'id') {
      facts.set(`primary key ${table}`, `(${columns.join(', ')}) ${ix.dbName ?? defaultName(table, [], '_pkey')}`);
    } else if (ix.type === 'unique') {
      facts.set(`unique index ${table}(${columns.join(', ')})`, ix.dbName ?? defaultName(table, columns, '_key'));
    } else if (ix.type === 'normal') {
      const method = (ix.algorithm ?? 'BTree').toLowerCase();
      facts.set(`index ${table}(${columns.join(', ')}) using ${method}`, ix.dbName ?? defaultName(table, columns, '_idx'));
    } else {
      throw new Error(`schema-drift test: ${ix.type} indexes are not supported on PostgreSQL`);
    }
  }
  return facts;
}

/** What the database actually contains (schema public; Prisma's own bookkeeping table and triggers ignored). */
async function actualFacts(databaseUrl: string): Promise<Facts> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const facts: Facts = new Map();
    const tableFilter = `n.nspname = 'public' AND t.relkind IN ('r', 'p') AND t.relname <> '_prisma_migrations'`;

    const enums = await client.query<{ name: string; values: string[] }>(
      `SELECT ty.typname::text AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values
         FROM pg_type ty JOIN pg_enum e ON e.enumtypid = ty.oid JOIN pg_namespace n ON n.oid = ty.typnamespace
        WHERE n.nspname = 'public' GROUP BY ty.typname`,
    );
    for (const e of enums.rows) facts.set(`enum ${e.name}`, e.values.join(', '));

    const tables = await client.query<{ name: string }>(
      `SELECT t.relname::text AS name FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace WHERE ${tableFilter}`,
    );
    for (const t of tables.rows) facts.set(`table ${t.name}`, '');

    const columns = await client.query<{ table: string; column: string; type: string; not_null: boolean; default: string | null }>(
      `SELECT t.relname::text AS table, a.attname::text AS column, format_type(a.atttypid, a.atttypmod) AS type,
              a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS default
         FROM pg_attribute a
         JOIN pg_class t ON t.oid = a.attrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE ${tableFilter} AND a.attnum > 0 AND NOT a.attisdropped`,
    );
    for (const c of columns.rows) {
      facts.set(
        `column ${c.table}.${c.column}`,
        columnFact(unquote(c.type), c.not_null, c.default === null ? undefined : normalizeDefault(c.default)),
      );
    }

    const indexes = await client.query<{ table: string; name: string; primary: boolean; unique: boolean; method: string; columns: string[] }>(
      `SELECT t.relname::text AS table, i.relname::text AS name, x.indisprimary AS primary, x.indisunique AS unique,
              am.amname::text AS method,
              array(SELECT coalesce(a.attname::text, '<expression>')
                      FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
                      LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
                     ORDER BY k.ord) AS columns
         FROM pg_index x
         JOIN pg_class i ON i.oid = x.indexrelid
         JOIN pg_class t ON t.oid = x.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
         JOIN pg_am am ON am.oid = i.relam
        WHERE ${tableFilter}`,
    );
    for (const ix of indexes.rows) {
      const cols = ix.columns.join(', ');
      if (ix.primary) facts.set(`primary key ${ix.table}`, `(${cols}) ${ix.name}`);
      else if (ix.unique) facts.set(`unique index ${ix.table}(${cols})`, ix.method === 'btree' ? ix.name : `${ix.name} using ${ix.method}`);
      else facts.set(`index ${ix.table}(${cols}) using ${ix.method}`, ix.name);
    }

    const fks = await client.query<{ table: string; columns: string[]; ref_table: string; ref_columns: string[]; on_delete: string; on_update: string }>(
      `SELECT t.relname::text AS table, rt.relname::text AS ref_table,
              c.confdeltype::text AS on_delete, c.confupdtype::text AS on_update,
              array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
              array(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.ord) AS ref_columns
         FROM pg_constraint c
         JOIN pg_class t ON t.oid = c.conrelid
         JOIN pg_class rt ON rt.oid = c.confrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE c.contype = 'f' AND ${tableFilter}`,
    );
    for (const fk of fks.rows) {
      facts.set(
        `foreign key ${fk.table}(${fk.columns.join(', ')})`,
        fkFact(fk.ref_table, fk.ref_columns, ACTIONS[fk.on_delete] ?? fk.on_delete, ACTIONS[fk.on_update] ?? fk.on_update),
      );
    }
    return facts;
  } finally {
    await client.end();
  }
}

/** One readable line per difference; empty when the two agree. */
function diffFacts(expected: Facts, actual: Facts): string[] {
  const keys = [...new Set([...expected.keys(), ...actual.keys()])].sort();
  const lines: string[] = [];
  for (const key of keys) {
    const want = expected.get(key);
    const have = actual.get(key);
    if (have === undefined) lines.push(`- ${key} ${want}    (in schema.prisma, missing from the migrations)`);
    else if (want === undefined) lines.push(`+ ${key} ${have}    (made by the migrations, not in schema.prisma)`);
    else if (want !== have) lines.push(`~ ${key}: schema.prisma says "${want}", the migrations make "${have}"`);
  }
  return lines;
}

/** The drift between a schema.prisma text and the database at `databaseUrl` (already migrated). */
async function schemaDrift(prismaSchema: string, databaseUrl: string): Promise<string[]> {
  return diffFacts(expectedFacts(prismaSchema), await actualFacts(databaseUrl));
}

// ---- Tests ---------------------------------------------------------------------------------------

const schema = readFileSync(SCHEMA_PATH, 'utf8');
// A copy of the run's template, which the migrations built (applyMigrations, in the global setup).
const pg = { adminUrl: testEnvironment().pgAdminUrl };
let dbName: string;
let url: string;

beforeAll(async () => {
  dbName = `drift_${randomUUID().slice(0, 8)}`;
  url = await createDatabase(pg.adminUrl, dbName, testEnvironment().migratedTemplate);
}, 180_000);

afterAll(async () => {
  await dropDatabase(pg.adminUrl, dbName).catch(() => undefined);
}, 60_000);

test('the migrations build exactly the database that schema.prisma describes', async () => {
  const expected = expectedFacts(schema);
  // Sanity: the comparison sees the whole schema.
  expect([...expected.keys()].filter((k) => k.startsWith('table '))).toHaveLength(parseSchema(schema).models.length);
  expect(expected.get('column task.escalated_to_ids')).toBe('text[] NULL DEFAULT ARRAY[]');
  expect(expected.get('index task(escalated_to_ids) using gin')).toBe('task_escalated_to_ids_idx');

  const drift = diffFacts(expected, await actualFacts(url));
  if (drift.length > 0) {
    throw new Error(
      'prisma/schema.prisma and prisma/migrations have drifted apart. Add a migration ' +
        '(prisma/migrations/<timestamp>_<name>/migration.sql, in the SQL `prisma migrate dev` would write) ' +
        'that makes the database match schema.prisma:\n' +
        drift.join('\n'),
    );
  }
});

// Proof that the guard can fail: each edit of a copy of schema.prisma must show up as drift.
const edits: { what: string; from: string | RegExp; to: string; expect: RegExp }[] = [
  {
    what: 'a new field',
    from: /model Department \{\n/,
    to: 'model Department {\n  extra     String\n',
    expect: /^- column department\.extra text NOT NULL .*missing from the migrations/m,
  },
  {
    what: 'a changed default',
    from: 'locale       String         @default("zh-CN")',
    to: 'locale       String         @default("en")',
    expect: /^~ column employee\.locale: schema\.prisma says "text NOT NULL DEFAULT en", the migrations make "text NOT NULL DEFAULT zh-CN"$/m,
  },
  {
    what: 'a field made optional',
    from: 'arrearsFen        Int       @map("arrears_fen")',
    to: 'arrearsFen        Int?      @map("arrears_fen")',
    expect: /^~ column account\.arrears_fen: .*"integer NULL".*"integer NOT NULL"/m,
  },
  {
    what: 'a removed index',
    from: '  @@index([managerId])\n',
    to: '',
    expect: /^\+ index employee\(manager_id\) using btree employee_manager_id_idx .*not in schema\.prisma/m,
  },
  {
    what: 'a changed referential action',
    from: 'plan         TrainingPlan @relation(fields: [planId], references: [id])\n\n  @@index([planId])',
    to: 'plan         TrainingPlan @relation(fields: [planId], references: [id], onDelete: Cascade)\n\n  @@index([planId])',
    expect: /^~ foreign key plan_decision\(plan_id\): .*ON DELETE CASCADE.*ON DELETE RESTRICT/m,
  },
  {
    what: 'a new enum value',
    from: '  sent\n  failed\n}',
    to: '  sent\n  failed\n  bounced\n}',
    expect: /^~ enum NotificationStatus: schema\.prisma says "pending, sent, failed, bounced", the migrations make "pending, sent, failed"$/m,
  },
];

test.each(edits)('drift is reported for $what', async (edit) => {
  const edited = schema.replace(edit.from, edit.to);
  expect(edited).not.toBe(schema); // the edit applied
  const drift = await schemaDrift(edited, url);
  expect(drift.join('\n')).toMatch(edit.expect);
});
