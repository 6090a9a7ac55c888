// The real Temporal server (not the dev server) and its schema tool, for the production-like
// cluster (`npm run stack:cluster`, test/cluster.test.ts): found or built like the dev server's
// CLI, its schemas set up by deploy/temporal/setup-schema.sh and its configuration read from
// deploy/temporal/production.yaml, the files docker-compose uses too.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { supervise, type Supervised } from './processes';
import { batonCacheDir, goInstall, isExecutable, onPath, waitReady } from './temporal';

const execFileAsync = promisify(execFile);
const SERVER_VERSION = 'v1.29.1';
const MODULE = `go.temporal.io/server@${SERVER_VERSION}`;
const ROOT = path.resolve(__dirname, '..');
/** The deploy folder of the source tree (the build runs from dist/, the files stay here). */
const DEPLOY = fs.existsSync(path.join(ROOT, 'deploy')) ? path.join(ROOT, 'deploy') : path.join(ROOT, '..', 'deploy');

const HINT =
  'Set TEMPORAL_SERVER_PATH, TEMPORAL_SQL_TOOL_PATH and TEMPORAL_SCHEMA_DIR (schema/postgresql/v12 of the server source), ' +
  `put temporal-server and temporal-sql-tool on PATH, or install Go to build them (\`go install ${MODULE.replace('@', '/cmd/server@')}\`).`;

type Log = (msg: string) => void;

export interface TemporalServerTools {
  server: string;
  sqlTool: string;
  /** schema/postgresql/v12 of the server's source: the versioned SQL the tool applies. */
  schemaDir: string;
}

const cached = (name: string) => path.join(batonCacheDir(), `temporal-server-${SERVER_VERSION}`, name);

/** Finds the server, its schema tool and schemas: environment, PATH, cache, then `go install`. */
export async function findTemporalServer(log: Log = console.error): Promise<TemporalServerTools> {
  const fromEnv = { server: process.env.TEMPORAL_SERVER_PATH, sqlTool: process.env.TEMPORAL_SQL_TOOL_PATH, schemaDir: process.env.TEMPORAL_SCHEMA_DIR };
  const server = fromEnv.server ?? onPath('temporal-server') ?? cached('temporal-server');
  const sqlTool = fromEnv.sqlTool ?? onPath('temporal-sql-tool') ?? cached('temporal-sql-tool');
  const schemaDir = fromEnv.schemaDir ?? cached('schema-postgresql-v12');
  const missing = [server, sqlTool].filter((f) => !isExecutable(f));
  if (missing.some((f) => !f.startsWith(batonCacheDir()))) throw new Error(`not an executable file: ${missing.join(', ')}. ${HINT}`);
  if (missing.length || !fs.existsSync(schemaDir)) {
    const go = onPath('go');
    if (!go) throw new Error(`no Temporal server found and no Go to build one. ${HINT}`);
    log(`Building the Temporal server ${SERVER_VERSION} and its schema tool with Go into ${path.dirname(server)} (first run only, about 5 minutes on 2 cores)...`);
    if (!isExecutable(server)) await goInstall(go, `go.temporal.io/server/cmd/server@${SERVER_VERSION}`, server, HINT, log);
    if (!isExecutable(sqlTool)) await goInstall(go, `go.temporal.io/server/cmd/tools/sql@${SERVER_VERSION}`, sqlTool, HINT, log);
    if (!fs.existsSync(schemaDir)) {
      const { stdout } = await execFileAsync(go, ['env', 'GOMODCACHE']);
      fs.cpSync(path.join(stdout.trim(), MODULE, 'schema', 'postgresql', 'v12'), schemaDir, { recursive: true });
    }
  }
  return { server, sqlTool, schemaDir };
}

/** Where the server keeps its data and which ports it takes; production.yaml reads these. */
export interface TemporalServerEnv {
  TEMPORAL_PG_HOST: string;
  TEMPORAL_PG_PORT: string;
  TEMPORAL_PG_USER: string;
  TEMPORAL_PG_PASSWORD: string;
  TEMPORAL_DB: string;
  TEMPORAL_VISIBILITY_DB: string;
  /** The frontend's gRPC port; the other services take the next ones (see production.yaml). */
  TEMPORAL_PORT_BASE: string;
  TEMPORAL_METRICS_ADDRESS: string;
}

/** Creates the two databases if missing and migrates their schemas (safe to run again). */
export async function setupTemporalSchemas(tools: TemporalServerTools, env: TemporalServerEnv): Promise<void> {
  await execFileAsync('bash', [path.join(DEPLOY, 'temporal', 'setup-schema.sh')], {
    env: { ...process.env, ...env, SQL_TOOL: tools.sqlTool, SCHEMA_DIR: tools.schemaDir },
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Starts the server from production.yaml and waits until it serves the `default` namespace. */
export async function startTemporalServer(tools: TemporalServerTools, env: TemporalServerEnv, o: { logFile?: string; log: Log }): Promise<{ address: string; process: Supervised }> {
  const args = ['--root', DEPLOY, '--config', 'temporal', '--env', 'production', '--allow-no-auth', 'start'];
  let ready = false;
  const server = supervise(tools.server, args, { env: { ...process.env, ...env }, logFile: o.logFile, onUnexpectedExit: (how) => ready && o.log(`Temporal server ${how}`) });
  const address = `127.0.0.1:${env.TEMPORAL_PORT_BASE}`;
  try {
    // Namespaces are the caller's to register; the system namespace answers once the frontend is up.
    await waitReady(address, 'temporal-system', server.exited, server.output);
  } catch (err) {
    await server.stop();
    throw new Error(`${(err as Error).message}\nCommand: ${tools.server} ${args.join(' ')}`, { cause: err });
  }
  ready = true;
  return { address, process: server };
}
