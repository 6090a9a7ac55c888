/**
 * What a new flow evaluates before it runs: the SDK gives each flow its own copy of every module it
 * loads, except those preloaded into the cache all flows share. Evaluating zod, or every
 * procedure's schemas, for each flow cost about 20 ms of the workflow thread per flow. And what a
 * flow's first parse of a schema costs: zod's compiled parsers were built anew in every flow.
 */
import vm from 'node:vm';
import type { ZodType } from 'zod';
import { samplePlanContent } from '../prisma/seed-data';
import { workflowSandbox } from '../scripts/bench-modules';
import * as workflows from '../workflows';

let sandbox: Awaited<ReturnType<typeof workflowSandbox>>;
beforeAll(async () => {
  sandbox = await workflowSandbox();
}, 120_000);

test.each(Object.keys(workflows))('a new %s flow evaluates no zod module of its own: all flows share one zod', (type) => {
  const { modules } = sandbox.newFlow(type);
  expect(modules).toContain(`./workflows/index.ts`);
  expect(modules.filter((m) => m.includes('/zod/'))).toEqual([]);
  expect(sandbox.shared.filter((m) => m.includes('/zod/')).length).toBeGreaterThan(10);
});

test("a plan's flow evaluates its own procedure's modules, not the other procedures' schemas or the settings", () => {
  const { modules } = sandbox.newFlow('trainingPlanApproval');
  expect(modules).toEqual(expect.arrayContaining(['./workflows/trainingPlan.ts', './domain/trainingPlan.ts', './domain/tasks.ts']));
  for (const other of ['./domain/settings.ts', './domain/handover.ts', './domain/followUp.ts', './domain/needsCycle.ts', './workflows/resignationHandover.ts']) {
    expect(modules).not.toContain(other);
  }
});

test("a flow's schemas parse without compiling parsers: zod would compile one per schema in every new flow", () => {
  sandbox.newFlow('trainingPlanApproval');
  const { submitPlanArgs } = sandbox.flowExports('./domain/trainingPlan.ts') as { submitPlanArgs: ZodType };
  const realFunction = vm.runInContext('Function', sandbox.context) as FunctionConstructor;
  const compiled: string[] = [];
  sandbox.context.Function = new Proxy(realFunction, {
    construct: (target, args: string[]) => (compiled.push(args.at(-1)!), Reflect.construct(target, args)),
  });
  try {
    const parsed = submitPlanArgs.safeParse({ actorId: 'hr-officer', title: 'Collections basics', content: samplePlanContent(), draftRevision: 1 });
    expect(parsed.success).toBe(true);
  } finally {
    sandbox.context.Function = realFunction;
  }
  expect(compiled).toEqual([]);
});
