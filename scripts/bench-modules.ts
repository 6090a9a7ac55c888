/**
 * `npm run bench:modules`: what starting a flow costs in module evaluation. The SDK gives each flow
 * its own copy of every module the flow loads (a module cache per flow, in one reused V8 context),
 * except the modules preloaded into the shared, frozen cache. This evaluates the worker's real
 * workflow bundle the same way and prints, per workflow type, the modules a new flow evaluates and
 * the time they take (p50 of 200 flows). Asserts nothing.
 */
import { bundleWorkflowCode } from '@temporalio/worker';
import vm from 'node:vm';
import { performance } from 'node:perf_hooks';
import { quietBundlerLogger, stackCapturesOff, workflowBundleOptions } from '../worker/worker';

/** The bundle in a V8 context as the SDK's reusable context holds it: preloaded modules shared;
 *  as a worker with WORKFLOW_STACK_TRACES on runs it, unless `workflowStackTraces` is false. */
export async function workflowSandbox(workflowStackTraces = true) {
  const bundle = await bundleWorkflowCode({ ...workflowBundleOptions(false), logger: quietBundlerLogger });
  const code = workflowStackTraces ? bundle.code : stackCapturesOff(bundle.code);
  const context = vm.createContext({}, { microtaskMode: 'afterEvaluate' });
  const shared = new Map<string | symbol, unknown>();
  let perFlow: Map<string | symbol, unknown> | undefined;
  const moduleCache = new Proxy({}, {
    get: (_, id) => shared.get(id) ?? perFlow?.get(id),
    set: (_, id, module) => ((perFlow ?? shared).set(id, module), true),
  });
  Object.defineProperty(context, '__webpack_module_cache__', { value: moduleCache });
  for (const name of ['TextEncoder', 'TextDecoder', 'URL', 'URLSearchParams', 'AbortController', 'Headers', 'structuredClone'] as const) {
    Object.assign(context, { [name]: globalThis[name] });
  }
  vm.runInContext(code, context);
  vm.runInContext('__TEMPORAL__.preloadModules?.()', context);

  /** The modules a new flow of this type evaluates before its first line runs, and how long they take. */
  function newFlow(workflowType: string): { modules: string[]; ms: number } {
    perFlow = new Map();
    const started = performance.now();
    // The flow's function runs until its first call into the SDK, which throws outside a worker:
    // by then every module it needs is loaded.
    vm.runInContext(
      `(() => { const flow = __TEMPORAL__.importWorkflows()[${JSON.stringify(workflowType)}];
         try { flow({ settings: {} })?.catch?.(() => undefined); } catch {} })()`,
      context,
    );
    const ms = performance.now() - started;
    return { modules: [...perFlow.keys()].map(String), ms };
  }
  /** What a module of the last new flow exports. */
  const flowExports = (id: string) => (perFlow?.get(id) as { exports: Record<string, unknown> } | undefined)?.exports;
  return { newFlow, flowExports, shared: [...shared.keys()].map(String), context };
}

async function main() {
  const sandbox = await workflowSandbox();
  const types = Object.keys(require('../workflows'));
  console.log(`npm run bench:modules: module evaluation when a flow starts (${sandbox.shared.length} modules shared by all flows)`);
  for (const type of types) {
    const times: number[] = [];
    let modules: string[] = [];
    for (let i = 0; i < 200; i++) ({ modules, ms: times[i] } = sandbox.newFlow(type));
    times.sort((a, b) => a - b);
    const ours = modules.filter((m) => !m.includes('node_modules'));
    console.log(`${type.padEnd(22)} p50 ${times[100]!.toFixed(2).padStart(5)} ms  ${String(modules.length).padStart(3)} modules (${ours.length} ours)`);
  }
}

if (require.main === module) void main();
