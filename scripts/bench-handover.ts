/**
 * `npm run bench:handover [-- accounts batch]`: one collector's whole checklist on a throwaway
 * local stack: generation, completion and verification in batches. Prints time, history per run
 * and memory; asserts nothing. Defaults: 300 accounts and 5,000 accounts, batches of 100.
 */
import { performance } from 'node:perf_hooks';
import { settingsFrom } from '../domain/settings';
import { DEMO } from '../prisma/seed-data';
import { acknowledge, checklistLines, completeAll, startHandover, verifyAll } from './handover-driver';
import { runAndExit, startThrowawayStack } from './throwaway-stack';

const sizes = process.argv[2] ? [Number(process.argv[2])] : [300, 5000];
const batch = Number(process.argv[3] ?? 100);
/** The deployment defaults (as with no environment set): chasing in days, so none fires here. */
const defaults = settingsFrom({ DATABASE_URL: 'postgresql://unused' }).flows;

async function main(): Promise<void> {
  const stack = await startThrowawayStack('histories');
  const { db, flows, client } = stack;
  for (const [n, accounts] of sizes.entries()) {
    const leaver = await db.employee.create({
      data: { id: `00000000-0000-4000-8000-0000000b${String(n).padStart(4, '0')}`, employeeNo: `BENCH${n}`, name: `压测催收员${n}`, email: `bench${n}@baton.example`, departmentId: DEMO.departments.collection.id, managerId: DEMO.employees.collectionHead.id, roles: ['employee'] },
    });
    await db.account.createMany({
      data: Array.from({ length: accounts }, (_, i) => ({ id: `bench-${n}-${i}`, accountNo: `AC-B${n}-${String(i).padStart(5, '0')}`, unit: `锦绣家园 ${1 + (i % 30)}栋`, ownerName: `业主${i}`, arrearsFen: 10_000 + i, assigneeId: leaver.id })),
    });
    const t0 = performance.now();
    const { flowId, resignationId } = await startHandover(flows, defaults, { leaver: leaver.id, successor: DEMO.employees.collectorB.id, handover: { checklistHistoryLimit: 2000 } });
    await acknowledge(db, flows, flowId);
    const lines = await checklistLines(db, flows, resignationId, accounts + 6);
    const t1 = performance.now();
    const checklist = `${flowId}/checklist-1`;
    const itemNos = lines.map((l) => l.itemNo);
    await completeAll(flows, checklist, itemNos, leaver.id, batch);
    const t2 = performance.now();
    const moved = await verifyAll(flows, checklist, itemNos, DEMO.employees.collectionHead.id, batch);
    const t3 = performance.now();

    const runs: number[] = [];
    let runId = (await client.workflow.getHandle(checklist).describe()).raw.workflowExecutionInfo?.firstRunId ?? undefined;
    while (runId) {
      const events = (await client.workflow.getHandle(checklist, runId).fetchHistory()).events ?? [];
      runs.push(events.length);
      runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
    }
    const flowEvents = (await client.workflow.getHandle(flowId).fetchHistory()).events?.length;
    console.log(`${accounts} accounts (${lines.length} lines, batches of ${batch}):`);
    console.log(`  start → checklist written   ${((t1 - t0) / 1000).toFixed(1)} s`);
    console.log(`  complete every line         ${((t2 - t1) / 1000).toFixed(1)} s`);
    console.log(`  verify every line           ${((t3 - t2) / 1000).toFixed(1)} s  (${moved} accounts moved)`);
    console.log(`  checklist history          ${runs.length} run(s) of ${runs.join(', ')} events; flow so far ${flowEvents} events`);
  }
  console.log(`process RSS                    ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
  await stack.stop();
}

runAndExit(main);
