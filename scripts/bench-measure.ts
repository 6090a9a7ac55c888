/**
 * What the benchmarks measure alike: percentiles, CPU of this process, of the Temporal dev server
 * (our child) and of every `postgres` process, times in Temporal histories, and which code ran.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

/** The p-th percentile (nearest rank) of `xs`, NaN when empty. */
export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
};

/** Epoch ms of a Temporal history timestamp. */
export const tsMs = (ts: { seconds?: unknown; nanos?: number | null } | null | undefined) => (ts ? Number(String(ts.seconds ?? 0)) * 1000 + (ts.nanos ?? 0) / 1e6 : NaN);

export interface CpuSeconds {
  /** Share of the wall time this process's main thread (API, activities, clients) was busy. */
  mainThreadBusy: number;
  node: number;
  /** This process by thread: the main thread; the Temporal SDK's core (its Rust threads); the
   *  rest: workflow threads and V8's helpers (optimising compiler, garbage collector). */
  nodeThreads?: { main: number; sdkCore: number; other: number };
  /** Node processes this one started (a cluster's workers and API instances). */
  children: number;
  temporal: number;
  postgres: number;
}

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** A process's or thread's name, parent and CPU seconds so far, from its `stat` file (undefined
 *  once it has ended). */
function statOf(file: string): { comm: string; parent: number; seconds: number } | undefined {
  let stat: string;
  try {
    stat = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // f[0] is field 3 (state)
  return { comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), parent: Number(f[1]), seconds: (Number(f[11]) + Number(f[12])) / CLK_TCK }; // utime + stime
}

type ProcKind = 'temporal' | 'postgres' | 'children';

/** CPU seconds of the Temporal server, of the node processes this one started and of each
 *  `postgres` process, by pid (approximate: backends that exit between readings are lost). */
function procCpu(): Map<string, { kind: ProcKind; seconds: number }> | undefined {
  try {
    const found = new Map<string, { kind: ProcKind; seconds: number }>();
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      const stat = statOf(`/proc/${pid}/stat`);
      if (stat?.parent === process.pid && stat.comm.startsWith('temporal')) found.set(pid, { kind: 'temporal', seconds: stat.seconds });
      else if (stat?.parent === process.pid && stat.comm === 'node') found.set(pid, { kind: 'children', seconds: stat.seconds });
      else if (stat?.comm === 'postgres') found.set(pid, { kind: 'postgres', seconds: stat.seconds });
    }
    return found;
  } catch {
    return undefined;
  }
}

/** CPU seconds of each thread of this process, by tid, with its name. */
function threadCpu(): Map<string, { comm: string; seconds: number }> | undefined {
  try {
    const found = new Map<string, { comm: string; seconds: number }>();
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = statOf(`/proc/self/task/${tid}/stat`);
      if (stat) found.set(tid, stat);
    }
    return found;
  } catch {
    return undefined;
  }
}

/** Starts measuring; the function returned answers the CPU used since (undefined without /proc). */
export function cpuMeter(): () => CpuSeconds | undefined {
  const node0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  const proc0 = procCpu();
  const threads0 = threadCpu();
  return () => {
    const node = process.cpuUsage(node0);
    const mainThreadBusy = performance.eventLoopUtilization(elu0).utilization;
    const proc1 = procCpu();
    if (!proc0 || !proc1) return undefined;
    const used = { mainThreadBusy, node: (node.user + node.system) / 1e6, children: 0, temporal: 0, postgres: 0 };
    for (const [pid, { kind, seconds }] of proc1) used[kind] += seconds - (proc0.get(pid)?.seconds ?? 0);
    const threads1 = threadCpu();
    if (!threads0 || !threads1) return used;
    const nodeThreads = { main: 0, sdkCore: 0, other: 0 };
    for (const [tid, { comm, seconds }] of threads1) {
      const part = tid === String(process.pid) ? 'main' : /^(tokio|workflow-proces)/.test(comm) ? 'sdkCore' : 'other';
      nodeThreads[part] += seconds - (threads0.get(tid)?.seconds ?? 0);
    }
    return { ...used, nodeThreads };
  };
}

/** Which code a figure comes from: HEAD, and how many app files differ from it. */
export function provenance(): string {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: path.resolve(__dirname, '..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const changed = git('status', '--porcelain', '--', 'workflows', 'activities', 'api', 'domain', 'worker', 'prisma').split('\n').filter(Boolean).length;
    return `HEAD ${git('rev-parse', '--short', 'HEAD')}${changed ? ` + ${changed} uncommitted change(s) in the app` : ''}`;
  } catch {
    return 'not a git checkout';
  }
}
