/**
 * The Temporal UI's stack trace view (the built-in `__stack_trace` query) of a flow that waits:
 * with WORKFLOW_STACK_TRACES on, the default, it shows where the flow waits, as positions in
 * workflows/*.ts; off, the flows answer the SDK's per-promise captures with nothing (the
 * benchmarks' setting, workflows/stackTraces.ts), so it shows none of Baton's frames.
 */
import { planContent } from '../domain/trainingPlan';
import { draftPlan, openTasks } from './support/fixtures';
import { FAST_SETTINGS, startTestStack, type TestStack } from './support/stack';

/** Submits a plan, awaits its first approval task, and asks the flow where it waits. */
async function stackTraceOfWaitingPlan(stack: TestStack): Promise<string> {
  const plan = await draftPlan(stack.db);
  const { flowId } = await stack.flows.submitPlan(
    { planId: plan.id, departmentId: plan.departmentId, drafterId: plan.drafterId, title: plan.title, settings: FAST_SETTINGS },
    { actorId: plan.drafterId, title: plan.title, content: planContent.parse(plan.draft), draftRevision: plan.draftRevision },
    1,
  );
  await openTasks(stack.db, flowId, 1);
  return stack.client.workflow.getHandle(flowId).query<string>('__stack_trace');
}

describe('WORKFLOW_STACK_TRACES on (the default)', () => {
  let stack: TestStack;
  beforeAll(async () => (stack = await startTestStack()));
  afterAll(() => stack?.stop());

  test('a plan awaiting its approval shows where it waits: frames in workflows/*.ts with line and column', async () => {
    const trace = await stackTraceOfWaitingPlan(stack);
    // Each frame names what is called there: the plan's approval stage (one a withdrawal cancels)
    // asks its approvers, the inbox awaits them.
    expect(trace).toMatch(/\bat unlessWithdrawn \(\S*\/workflows\/trainingPlan\.ts:\d+:\d+\)/);
    expect(trace).toMatch(/\bat askAll \(\S*\/workflows\/humanTask\.ts:\d+:\d+\)/);
    expect(trace).toMatch(/\bat condition \(.*\)\n\s+at decidedOrWaiting \(\S*\/workflows\/humanTask\.ts:\d+:\d+\)\n\s+at chaseUntilDecided \(/);
  });
});

describe('WORKFLOW_STACK_TRACES off', () => {
  let stack: TestStack;
  beforeAll(async () => (stack = await startTestStack({ workflowStackTraces: false })));
  afterAll(() => stack?.stop());

  test('a plan awaiting its approval shows none of its frames', async () => {
    const trace = await stackTraceOfWaitingPlan(stack);
    expect(trace).not.toMatch(/workflows\//);
  });
});
