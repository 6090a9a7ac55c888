/**
 * Stack traces in flows with WORKFLOW_STACK_TRACES off (workflows/stackTraces.ts): the SDK's
 * capture for every promise a flow creates costs no formatting, while an error a flow throws keeps
 * its frames. With it on, see stackTraces.query.test.ts.
 */
import { globalHandlers } from '@temporalio/worker/lib/workflow/vm-shared';
import vm from 'node:vm';
import { workflowSandbox } from '../scripts/bench-modules';
import { capturedForAPromise, formatStack } from '../workflows/stackTraces';

test("the SDK's own promise hook is recognised: its captures are answered with nothing and it keeps no stacks", () => {
  const context = vm.createContext({});
  const store = { childToParent: new Map(), promiseToStack: new Map() };
  context.__TEMPORAL_ACTIVATOR__ = { info: { runId: 'run' }, promiseStackStore: store };
  const recognised: boolean[] = [];
  (vm.runInContext('Error', context) as ErrorConstructor).prepareStackTrace = (error: Error, callsites: NodeJS.CallSite[]) => {
    recognised.push(capturedForAPromise(callsites));
    return formatStack(error, callsites);
  };
  globalHandlers.install();
  let thrown: string | undefined;
  try {
    vm.runInContext('new Promise(() => {})', context);
    thrown = vm.runInContext('(function approvalRound() { return new Error("no approver").stack; })()', context) as string;
  } finally {
    globalHandlers.uninstall();
  }
  // Every capture of the SDK's hook is recognised (a busy process has seen it capture one promise
  // twice); the error the flow threw is not one of them.
  expect(recognised.length).toBeGreaterThanOrEqual(2);
  expect(recognised.slice(0, -1).every(Boolean)).toBe(true);
  expect(recognised.at(-1)).toBe(false);
  expect(store.promiseToStack.size).toBe(0);
  expect(thrown).toMatch(/^Error: no approver\n\s+at approvalRound \(evalmachine/);
});

test('every flow of a worker with stack traces off formats its stack traces so: the formatter is preloaded with the bundle', async () => {
  const { context } = await workflowSandbox(false);
  const stack = vm.runInContext('(function recordSubmission() { return new TypeError("version missing").stack; })()', context) as string;
  expect(stack).toMatch(/^TypeError: version missing\n\s+at recordSubmission /);
  expect(vm.runInContext('Error.prepareStackTrace?.name', context)).toBe('formatStack');
}, 120_000);
