/**
 * What the parts of an approval cost Baton's node processes, each measured on its own, so that
 * `bench:http` can state a budget: the bare flow's node CPU, plus what the HTTP requests need, plus
 * what the database writes need. Each part is measured against the running stack after warm-up.
 */
import { performance } from 'node:perf_hooks';
import type { Db } from '../prisma/db';
import { cpuMeter } from './bench-measure';

export interface PartCosts {
  /** Node CPU of one authenticated inbox read (auth, one database read, JSON), client included. */
  httpMs: number;
  /** Transactions PostgreSQL committed for one such read. */
  transactionsPerRequest: number;
  /** Node CPU of one write transaction through Prisma (begin, one insert, commit). */
  writeMs: number;
  /** Transactions the idle stack commits per second (subtracted from every count). */
  backgroundPerSecond: number;
}

export interface TransactionCount {
  count: number;
  at: number;
}

/** Transactions PostgreSQL has committed in this database. Backends report them when idle, up to
 *  PostgreSQL's idle flush interval (10 s) late: this reads until two readings 2 s apart agree. */
export async function committedTransactions(db: Db): Promise<TransactionCount> {
  const read = async () => {
    await db.$executeRaw`SELECT pg_stat_clear_snapshot()`;
    const [row] = await db.$queryRaw<{ n: bigint }[]>`SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()`;
    return Number(row?.n ?? 0);
  };
  let last = await read();
  for (let i = 0; i < 8; i++) {
    await new Promise((r) => setTimeout(r, 2_000));
    const now = await read();
    if (now - last <= 4) return { count: now, at: performance.now() }; // our own readings commit too
    last = now;
  }
  return { count: last, at: performance.now() };
}

/** Transactions of the idle stack (the outbox's polls, the flow-end watch) per second. */
let backgroundPerSecond = 0;

/** Transactions committed since `before`, less the idle stack's own over the same time. */
export async function transactionsSince(db: Db, before: TransactionCount): Promise<number> {
  const now = await committedTransactions(db);
  return now.count - before.count - (backgroundPerSecond * (now.at - before.at)) / 1000;
}

/** Runs `work` `count` times from `concurrency` loops at once. */
async function loops(count: number, concurrency: number, work: () => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < count) await work();
    }),
  );
}

/**
 * `inboxRead`: one GET of an approver's open tasks; `nodeCpu`: the Baton node CPU a meter reading
 * holds (this process, or the cluster's processes).
 */
export async function measureParts(
  db: Db,
  inboxRead: () => Promise<unknown>,
  nodeCpu: (used: NonNullable<ReturnType<ReturnType<typeof cpuMeter>>>) => number,
  requests = 300,
  writes = 300,
): Promise<PartCosts> {
  const idle = await committedTransactions(db);
  await new Promise((r) => setTimeout(r, 10_000));
  const idleAfter = await committedTransactions(db);
  backgroundPerSecond = (1000 * (idleAfter.count - idle.count)) / (idleAfter.at - idle.at);

  const before = await committedTransactions(db);
  const meter = cpuMeter();
  await loops(requests, 10, inboxRead);
  const used = meter();
  const transactionsPerRequest = (await transactionsSince(db, before)) / requests;

  await db.$executeRawUnsafe('CREATE TABLE IF NOT EXISTS bench_write_cost (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), note text NOT NULL)');
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await loops(writes, 10, () => db.$transaction(async (tx) => tx.$executeRaw`INSERT INTO bench_write_cost (note) VALUES (${`write at ${t0}`})`));
  const cpu = process.cpuUsage(cpu0);
  await db.$executeRawUnsafe('DROP TABLE bench_write_cost');
  return {
    httpMs: used ? (1000 * nodeCpu(used)) / requests : NaN,
    transactionsPerRequest,
    writeMs: (cpu.user + cpu.system) / 1000 / writes,
    backgroundPerSecond,
  };
}
