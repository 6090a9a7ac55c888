/**
 * How errors in flows get their stack traces when WORKFLOW_STACK_TRACES is off: preloaded once per
 * worker (worker/worker.ts), it sets the flows' context's own formatter, which Node prefers to the
 * one the SDK sets outside it.
 *
 * The SDK captures a stack trace for every promise a flow creates, for its `__stack_trace` query
 * (the Temporal UI's stack trace view), and its formatter maps each frame through the bundle's
 * source map: about 8% of a plan approval's CPU (`npm run bench:http`). Here those captures are
 * answered with nothing, so the query has no stacks to show; an error a flow throws keeps its
 * frames, as positions in the bundle.
 *
 * The bundle is shared by workers with either setting, and nothing of a worker's options reaches
 * the flows' context before the SDK freezes it; so a worker with stack traces off runs the bundle's
 * code with one line added that sets STACK_CAPTURES_OFF, which this module reads when preloaded.
 */

/** The global a worker's code sets to have this formatter installed (`stackCapturesOff`). */
export const STACK_CAPTURES_OFF = '__batonStackCapturesOff';

/** The SDK's promise hook (in its vm-shared.js) is the top frame of each capture it makes. */
export const capturedForAPromise = (callsites: NodeJS.CallSite[]): boolean => callsites[0]?.getFileName()?.endsWith('vm-shared.js') === true;

export function formatStack(error: Error, callsites: NodeJS.CallSite[]): string {
  if (capturedForAPromise(callsites)) return '';
  return [String(error), ...callsites.map((callsite) => `    at ${String(callsite)}`)].join('\n');
}

if ((globalThis as Record<string, unknown>)[STACK_CAPTURES_OFF] === true) Error.prepareStackTrace = formatStack;
