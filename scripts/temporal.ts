// Provisions a local Temporal dev server for `npm start`, the tests and CI.
// The SDK would normally download the Temporal CLI; machines without that download can build it
// with Go instead (v1.5.1 is the last tag whose go.mod allows `go install`).
import { execFile, spawn } from 'node:child_process';
import { supervise, tail } from './processes';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';

const execFileAsync = promisify(execFile);

const CLI_VERSION = 'v1.5.1';
const CLI_MODULE = `github.com/temporalio/cli/cmd/temporal@${CLI_VERSION}`;
const EXE = process.platform === 'win32' ? '.exe' : '';

// Update-with-start and async-accepted updates back the human-task decisions. They are on by
// default in server 1.29, but saying so keeps the dev server's behaviour independent of that.
const DYNAMIC_CONFIG = [
  'frontend.enableUpdateWorkflowExecution=true',
  'frontend.enableExecuteMultiOperation=true',
  'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
].flatMap((kv) => ['--dynamic-config-value', kv]);

const FIX_HINT =
  'Fix it by setting TEMPORAL_CLI_PATH to a `temporal` binary, installing Go (the CLI is then built ' +
  `with \`go install ${CLI_MODULE}\`), or setting TEMPORAL_ADDRESS to an existing Temporal server.`;

type Log = (msg: string) => void;

/** Where builds are kept between runs (and CI runs on this machine). */
export function batonCacheDir(): string {
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'baton');
}

export function cachedCliPath(): string {
  return path.join(batonCacheDir(), `temporal-cli-${CLI_VERSION}`, `temporal${EXE}`);
}

export function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name + EXE);
    if (dir && isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Finds (or builds) the Temporal CLI. Returns undefined when none is available, meaning the SDK
 * should download it.
 */
export async function findTemporalCli(log: Log = console.error): Promise<string | undefined> {
  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) {
      throw new Error(`TEMPORAL_CLI_PATH=${fromEnv} does not exist or is not an executable file.`);
    }
    return fromEnv;
  }

  const temporal = onPath('temporal');
  if (temporal) {
    // Another program may be called `temporal`; only accept the Temporal CLI.
    const version = await execFileAsync(temporal, ['--version'], { timeout: 10_000 }).catch(() => undefined);
    if (version?.stdout.includes('temporal version')) return temporal;
  }

  const cached = cachedCliPath();
  if (isExecutable(cached)) return cached;

  const go = onPath('go');
  if (!go) return undefined;
  log(`Building the Temporal CLI ${CLI_VERSION} with Go into ${path.dirname(cached)} (first run only, takes a few minutes)...`);
  await goInstall(go, CLI_MODULE, cached, FIX_HINT, log);
  return cached;
}

/** `go install module` into `target` (the cache). Built in a private folder and renamed into
 *  place: rename is atomic, so a concurrent build or reader never sees a half-written binary. */
export async function goInstall(go: string, module: string, target: string, hint: string, log: Log): Promise<void> {
  const dir = path.dirname(target);
  fs.mkdirSync(dir, { recursive: true });
  const buildDir = fs.mkdtempSync(path.join(dir, '.build-'));
  const started = Date.now();
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(go, ['install', module], {
        env: { ...process.env, GOBIN: buildDir },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let output = '';
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`\`go install ${module}\` failed (exit ${code}):\n${tail(output)}\n${hint}`))));
    });
    const [built] = fs.readdirSync(buildDir);
    fs.renameSync(path.join(buildDir, built!), target);
    log(`Built ${module} in ${Math.round((Date.now() - started) / 1000)} s: ${target}`);
  } finally {
    fs.rmSync(buildDir, { recursive: true, force: true });
  }
}

/** Asks the OS for a free port (bind :0, release). Small race window; fine for a dev server. */
async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface DevServerOptions {
  /** SQLite file to persist to; in-memory (lost on stop) when omitted. */
  dbFile?: string;
  /** gRPC port; a free one when omitted. */
  port?: number;
  /** Web UI port; `false` for none; defaults to port + 1000 when port is given, else a free port. */
  uiPort?: number | false;
  namespace?: string;
  log?: Log;
}

export interface DevServer {
  address: string;
  uiUrl?: string;
  stop(): Promise<void>;
}

export async function startTemporalDevServer(opts: DevServerOptions = {}): Promise<DevServer> {
  const log = opts.log ?? console.error;
  const namespace = opts.namespace ?? 'default';
  const port = opts.port ?? (await freePort());
  const uiPort = opts.uiPort === false ? undefined : (opts.uiPort ?? (opts.port ? opts.port + 1000 : await freePort()));
  const uiUrl = uiPort === undefined ? undefined : `http://127.0.0.1:${uiPort}`;
  if (opts.dbFile) fs.mkdirSync(path.dirname(path.resolve(opts.dbFile)), { recursive: true });

  const cli = await findTemporalCli(log);
  if (cli) return await startCli(cli, { ...opts, namespace, port, uiPort, uiUrl, log });

  log('No Temporal CLI found; letting the Temporal SDK download the dev server.');
  try {
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        ip: '127.0.0.1',
        port,
        ui: uiPort !== undefined,
        uiPort,
        namespace,
        dbFilename: opts.dbFile,
        extraArgs: DYNAMIC_CONFIG,
      },
    });
    return { address: env.address, uiUrl, stop: () => env.teardown() };
  } catch (err) {
    throw new Error(
      'Could not start a Temporal dev server: no TEMPORAL_CLI_PATH, no `temporal` on PATH, no cached build at ' +
        `${cachedCliPath()}, no Go to build one, and the SDK's download failed (${String(err)}). ${FIX_HINT}`,
      { cause: err },
    );
  }
}

async function startCli(
  cli: string,
  o: { dbFile?: string; namespace: string; port: number; uiPort?: number; uiUrl?: string; log: Log },
): Promise<DevServer> {
  const address = `127.0.0.1:${o.port}`;
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(o.port), '--log-level', 'warn'];
  // "default" is always created; naming it again is redundant.
  if (o.namespace !== 'default') args.push('--namespace', o.namespace);
  // Write-ahead logging: about twice the flows per second of the default journal on a small machine.
  if (o.dbFile) args.push('--db-filename', o.dbFile, '--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');
  args.push(...(o.uiPort === undefined ? ['--headless'] : ['--ui-port', String(o.uiPort)]));
  args.push(...DYNAMIC_CONFIG);

  let ready = false; // an exit before it is ready is reported by waitReady
  const server = supervise(cli, args, { onUnexpectedExit: (how) => ready && o.log(`Temporal dev server ${how}`) });
  try {
    await waitReady(address, o.namespace, server.exited, server.output);
  } catch (err) {
    await server.stop();
    throw new Error(`${(err as Error).message}\nCommand: ${cli} ${args.join(' ')}\n${FIX_HINT}`, { cause: err });
  }
  ready = true;
  return { address, uiUrl: o.uiUrl, stop: () => server.stop() };
}

/** Waits until a Temporal frontend at `address` serves `namespace`, or the process exits. */
export async function waitReady(address: string, namespace: string, exited: Promise<void>, output: () => string) {
  let dead = false;
  void exited.then(() => (dead = true));
  const deadline = Date.now() + 60_000;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (dead) throw new Error(`Temporal server exited during startup:\n${tail(output())}`);
    // lazy() + close() even on failure: a failed Connection.connect() leaves its channel open.
    const connection = Connection.lazy({ address, connectTimeout: 1_000 });
    try {
      await connection.ensureConnected();
      await connection.workflowService.describeNamespace({ namespace });
      return;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 250));
    } finally {
      await connection.close();
    }
  }
  throw new Error(`Temporal server at ${address} not ready after 60 s (${String(lastError)}):\n${tail(output())}`);
}
