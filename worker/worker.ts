import { Client } from '@temporalio/client';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createActivities } from '../activities';
import { courierFrom } from '../activities/notifications';
import { clientInterceptors, type Tracing } from '../activities/tracing';
import { WORKER_ACTIVITY_SLOTS } from '../domain/activityLimits';
import type { NotificationSettings } from '../domain/settings';
import { hasOfficialCalendar, type WorkingTimeSettings } from '../domain/workingTime';
import type { Db } from '../prisma/db';
import { flowEndWatch, FLOW_END_WATCH_ID } from '../workflows/flowEndWatch';
import { STACK_CAPTURES_OFF } from '../workflows/stackTraces';

export interface BatonWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** Its pool should hold WORKER_DB_POOL connections, one for every activity slot. */
  db: Db;
  log: Logger;
  /** Flows kept in memory (WORKER_MAX_CACHED_WORKFLOWS); unset, the SDK's default from the heap size. */
  maxCachedWorkflows?: number;
  /** A bundle made once by `bundleWorkflowCode` (tests, production images); else bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** The deployment's channels and delivery rules; unset, notifications go to the log at any hour. */
  notifications?: NotificationSettings;
  /** This process's tracing (activities/tracing.ts): workflows and activities continue the
   *  callers' traces. Unset, nothing is traced. */
  tracing?: Tracing;
  /** WORKFLOW_STACK_TRACES: the SDK keeps the stack of every promise a flow creates, which the
   *  Temporal UI's stack trace view shows (about 8% of a plan approval's CPU); false, flows answer
   *  its captures with nothing (workflows/stackTraces.ts). Unset, true. */
  workflowStackTraces?: boolean;
}

export function workflowsPath(): string {
  return require.resolve('../workflows');
}

/**
 * Modules every flow of a worker shares, frozen, instead of evaluating its own copy: the zod
 * library, readied for the freeze, and the flows' stack-trace formatter (installed only by a worker
 * with stack traces off, `stackCapturesOff`). Our schemas stay per flow: zod completes a schema's
 * methods on first use, which a frozen module would refuse.
 */
const SHARED_WORKFLOW_MODULES = [require.resolve('../workflows/sharedZod'), require.resolve('../workflows/stackTraces')];

type WebpackConfiguration = Parameters<NonNullable<NonNullable<WorkerOptions['bundlerOptions']>['webpackConfigHook']>>[0];

/** One zod for every import of it, its CommonJS build, whose modules all load with the shared one
 *  (through the ES build, the bundler leaves parts of zod to load again in each flow). */
function oneZod(config: WebpackConfiguration): WebpackConfiguration {
  const alias = config.resolve?.alias;
  return { ...config, resolve: { ...config.resolve, alias: { ...(alias && !Array.isArray(alias) ? alias : {}), zod$: require.resolve('zod') } } };
}

/** Workflow interceptors of a traced worker: spans for each workflow, its Updates and activities. */
const TRACING_WORKFLOW_MODULES = [require.resolve('../workflows/tracing')];

/** How the workflow bundle is built, at worker start or once ahead (`bundleWorkflowCode`); a traced
 *  worker's bundle has the tracing interceptors in it, an untraced one does without them. */
export const workflowBundleOptions = (traced = false) => ({
  workflowsPath: workflowsPath(),
  preloadModules: SHARED_WORKFLOW_MODULES,
  webpackConfigHook: oneZod,
  ...(traced && { workflowInterceptorModules: TRACING_WORKFLOW_MODULES }),
});

/** The file names of the two bundles `npm run build` writes. */
export const builtBundleName = (traced: boolean) => (traced ? 'workflow-bundle-traced.js' : 'workflow-bundle.js');

/** Connections a worker's database pool needs: one per activity slot, so no activity waits for one. */
export const WORKER_DB_POOL = WORKER_ACTIVITY_SLOTS;

/** The bundler's own chatter silenced; its warnings and errors kept. */
export const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => process.stderr.write(`[bundler] ${message}\n`),
  error: (message: string) => process.stderr.write(`[bundler] ${message}\n`),
};

/** The bundle `npm run build` writes beside the built code, when this runs from dist/. */
function builtWorkflowBundle(traced: boolean): { codePath: string } | undefined {
  const codePath = path.resolve(__dirname, '..', builtBundleName(traced));
  return fs.existsSync(codePath) ? { codePath } : undefined;
}

/**
 * A bundle's code with one line that has its preloaded formatter answer the SDK's stack captures
 * with nothing (workflows/stackTraces.ts). The line runs after the bundle defines its modules and
 * before the SDK preloads them, and follows every mapped line, so no source position moves.
 */
export function stackCapturesOff(code: string): string {
  const sourceMap = code.lastIndexOf('\n//# sourceMappingURL=');
  if (sourceMap < 0) throw new Error('the workflow bundle does not end with its inline source map');
  return `${code.slice(0, sourceMap)}\nglobalThis.${STACK_CAPTURES_OFF} = true;${code.slice(sourceMap)}`;
}

/** The workflow code a worker runs: the bundle it is given, else the one `npm run build` wrote,
 *  else the workflows bundled now; with stack traces off, marked so (`stackCapturesOff`). */
async function workflowCode(o: BatonWorkerOptions): Promise<NonNullable<WorkerOptions['workflowBundle']>> {
  const traced = !!o.tracing;
  const bundle = o.workflowBundle ?? builtWorkflowBundle(traced) ?? (await bundleWorkflowCode({ ...workflowBundleOptions(traced), logger: quietBundlerLogger }));
  if (o.workflowStackTraces ?? true) return bundle;
  return { code: stackCapturesOff('code' in bundle ? bundle.code : await fs.promises.readFile(bundle.codePath, 'utf8')) };
}

/** What a traced worker adds: the sink its workflows' spans leave by, and spans for activities
 *  (the workflow interceptors are in its bundle, `workflowBundleOptions(true)`). */
function tracingOptions(tracing: Tracing | undefined): Partial<WorkerOptions> {
  if (!tracing) return {};
  return {
    sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
    interceptors: {
      activity: [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) })],
    },
  };
}

/** Warns when the packaged calendar lacks this year's or next year's official dates and the
 *  company has not entered any: working time then skips only weekends in that year. */
function warnOfMissingCalendar(log: Logger, workingTime: WorkingTimeSettings, now = new Date()): void {
  for (const year of [now.getUTCFullYear(), now.getUTCFullYear() + 1]) {
    const entered = [...workingTime.holidays, ...workingTime.workdays].some((d) => d.startsWith(`${year}-`));
    if (!hasOfficialCalendar(year) && !entered) log.warn({ year }, 'no official holidays for this year: list them in WORKING_TIME (holidays, workdays) once published');
  }
}

/** A worker running every Baton workflow and activity on one task queue. Stateless: run many. */
export async function createBatonWorker(o: BatonWorkerOptions): Promise<Worker> {
  if (o.notifications) warnOfMissingCalendar(o.log, o.notifications.workingTime);
  return Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: o.taskQueue,
    activities: createActivities(
      o.db,
      o.log,
      new Client({ connection: o.connection, namespace: o.namespace, interceptors: clientInterceptors(o.tracing) }),
      o.notifications && courierFrom(o.notifications, o.log),
    ),
    maxConcurrentActivityTaskExecutions: WORKER_ACTIVITY_SLOTS,
    // On SIGTERM in-flight activities get this long to finish (a deploy, a scale-down); past the
    // force time the worker gives up, and Temporal retries what was cut short elsewhere.
    shutdownGraceTime: '30s',
    shutdownForceTime: '60s',
    maxCachedWorkflows: o.maxCachedWorkflows,
    workflowBundle: await workflowCode(o),
    ...tracingOptions(o.tracing),
  });
}

/** Sends the Temporal SDK's own warnings and errors to our log (its info level is bundler noise),
 *  and with `metricsAddress` serves the SDK's worker metrics for Prometheus there (`/metrics`).
 *  Call once per process, before the first connection. */
export function installTemporalRuntime(log: Logger, metricsAddress?: string): void {
  Runtime.install({
    logger: new DefaultLogger('WARN', ({ level, message, meta }) => (level === 'ERROR' ? log.error(meta ?? {}, message) : log.warn(meta ?? {}, message))),
    ...(metricsAddress && { telemetryOptions: { metrics: { prometheus: { bindAddress: metricsAddress, countersTotalSuffix: true, useSecondsForDurations: true } } } }),
  });
}

/** Starts the flow-end watch on this task queue unless it runs already (one per namespace). */
export async function startFlowEndWatch(client: Client, taskQueue: string, everyMs = 60_000): Promise<void> {
  await client.workflow.start(flowEndWatch, {
    workflowId: FLOW_END_WATCH_ID,
    taskQueue,
    args: [{ everyMs, since: new Date(Date.now() - 7 * 86_400_000).toISOString() }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
}
