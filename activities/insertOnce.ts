import { randomUUID } from 'node:crypto';
import { Prisma } from '../prisma/db';
import type { Tx } from './audit';
import { ImpossibleWrite } from './writeFaults';

type Models = Prisma.TypeMap['model'];
/** A model by the name the client gives it (`auditEvent`). */
type Insertable = Prisma.TypeMap['meta']['modelProps'];
/** One row of the model as `createMany` takes it. */
type RowOf<M extends Insertable> = Models[Capitalize<M>]['operations']['createMany']['args']['data'] extends infer D ? (D extends (infer R)[] ? R : D) : never;

interface Field {
  name: string;
  kind: string;
  type: string;
  dbName?: string | null;
}

/** At most this many values in one statement (PostgreSQL takes 65,535); longer lists take several. */
const VALUES_PER_STATEMENT = 30_000;

/**
 * What `createMany({ data: rows, skipDuplicates: true })` writes, as one raw INSERT … ON CONFLICT
 * DO NOTHING: every write of a flow is keyed, so a retried activity adds nothing. Prisma compiles
 * each createMany afresh (it caches no createMany plan, prisma/orm#29382): about 1.3 ms of the
 * event loop per call, and an approval makes some twenty. A raw statement needs no compiling.
 * Columns and types come from the client's data model; an `id` the row lacks is a new UUID, as
 * `@default(uuid())` gives; every other column a row lacks takes its database default.
 * Answers how many rows were new.
 */
export async function insertOnce<M extends Insertable>(tx: Tx, model: M, rows: RowOf<M>[]): Promise<number> {
  if (rows.length === 0) return 0;
  const { table, fields } = modelOf(tx, model);
  const records = rows.map((row) => withId(row as Record<string, unknown>, fields));
  const columns = [...new Set(records.flatMap((r) => Object.keys(r).filter((k) => r[k] !== undefined)))];
  const unknown = columns.filter((c) => !fields.has(c) || fields.get(c)!.kind === 'object');
  if (unknown.length) throw new ImpossibleWrite(`insertOnce: ${model} has no column ${unknown.join(', ')}`);
  const names = Prisma.raw(columns.map((c) => `"${fields.get(c)!.dbName ?? c}"`).join(', '));
  let inserted = 0;
  const perStatement = Math.max(1, Math.floor(VALUES_PER_STATEMENT / columns.length));
  for (let at = 0; at < records.length; at += perStatement) {
    const values = records.slice(at, at + perStatement).map((r) => Prisma.sql`(${Prisma.join(columns.map((c) => valueOf(r[c], fields.get(c)!)))})`);
    inserted += await tx.$executeRaw`INSERT INTO ${Prisma.raw(`"${table}"`)} (${names}) VALUES ${Prisma.join(values)} ON CONFLICT DO NOTHING`;
  }
  return inserted;
}

/** Each model's table and fields, read once: the client's data model does not change. */
const models = new Map<string, { table: string; fields: Map<string, Field> }>();

function modelOf(tx: Tx, model: string): { table: string; fields: Map<string, Field> } {
  const known = models.get(model);
  if (known) return known;
  const dataModel = (tx as unknown as { _runtimeDataModel: { models: Record<string, { dbName: string | null; fields: Field[] }> } })._runtimeDataModel;
  const found = dataModel.models[model[0]!.toUpperCase() + model.slice(1)];
  if (!found) throw new ImpossibleWrite(`insertOnce: no model ${model}`);
  const read = { table: found.dbName ?? model, fields: new Map(found.fields.map((f) => [f.name, f])) };
  models.set(model, read);
  return read;
}

function withId(row: Record<string, unknown>, fields: Map<string, Field>): Record<string, unknown> {
  return fields.get('id')?.type === 'String' && row.id === undefined ? { ...row, id: randomUUID() } : row;
}

/** A value as its column takes it: enums cast to their type, JSON as jsonb, times as Dates. */
function valueOf(value: unknown, field: Field): Prisma.Sql {
  if (value === undefined) return Prisma.sql`DEFAULT`;
  if (value === null || value === Prisma.DbNull) return Prisma.sql`NULL`;
  if (value === Prisma.JsonNull) return Prisma.sql`'null'::jsonb`;
  if (field.kind === 'enum') return Prisma.sql`${value}::${Prisma.raw(`"${field.type}"${Array.isArray(value) ? '[]' : ''}`)}`;
  if (field.type === 'Json') return Prisma.sql`${JSON.stringify(value)}::jsonb`;
  if (field.type === 'DateTime') return Prisma.sql`${value instanceof Date ? value : new Date(value as string)}`;
  return Prisma.sql`${value}`;
}
