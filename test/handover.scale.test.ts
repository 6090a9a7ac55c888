/**
 * A collector with 5,000 accounts: the checklist continues as new runs, so no run's history comes
 * near Temporal's limits, and every account still reaches the successor exactly once.
 */
import type { FlowGateway } from '../api/flows';
import { people } from './support/fixtures';
import { acknowledge, checklistLines, completeAll, startHandover, verifyAll } from './support/handover';
import { startTestStack, type TestStack } from './support/stack';

let stack: TestStack;
let flows: FlowGateway;
beforeAll(async () => {
  stack = await startTestStack();
  flows = stack.flows;
});
afterAll(() => stack?.stop());

const ACCOUNTS = 5000;
const HISTORY_LIMIT = 400;

test(`${ACCOUNTS} accounts: bounded history per run, every account handed over once`, async () => {
  const leaver = await stack.db.employee.create({
    data: { id: '00000000-0000-4000-8000-00000000b16c', employeeNo: 'BT900', name: '周大量', email: 'zhoudaliang@baton.example', departmentId: 'dept-collection', managerId: people.collectionHead.id, roles: ['employee'] },
  });
  await stack.db.account.createMany({
    data: Array.from({ length: ACCOUNTS }, (_, i) => ({
      id: `bulk-${i}`,
      accountNo: `AC-BULK-${String(i).padStart(5, '0')}`,
      unit: `锦绣家园 ${1 + (i % 30)}栋 ${100 + (i % 900)}`,
      ownerName: `业主${i}`,
      arrearsFen: 50_000 + i,
      assigneeId: leaver.id,
    })),
  });
  const { flowId, resignationId } = await startHandover(flows, { leaver: leaver.id, successor: people.collectorB.id, handover: { checklistHistoryLimit: HISTORY_LIMIT } });
  await acknowledge(stack.db, flows, flowId);
  const lines = await checklistLines(stack.db, flows, resignationId, ACCOUNTS + 6);
  const checklist = `${flowId}/checklist-1`;
  const itemNos = lines.map((l) => l.itemNo);
  await completeAll(flows, checklist, itemNos, leaver.id, 100);
  expect(await verifyAll(flows, checklist, itemNos, people.collectionHead.id, 100)).toBe(ACCOUNTS);

  // Follow the chain of runs of the checklist workflow and measure each one.
  const runs: number[] = [];
  let runId: string | undefined = (await stack.client.workflow.getHandle(checklist).describe()).raw.workflowExecutionInfo?.firstRunId ?? undefined;
  while (runId) {
    const events = (await stack.client.workflow.getHandle(checklist, runId).fetchHistory()).events ?? [];
    runs.push(events.length);
    runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  expect(runs.length).toBeGreaterThan(1);
  for (const events of runs) expect(events).toBeLessThan(HISTORY_LIMIT + 100);

  expect(await stack.db.account.count({ where: { assigneeId: leaver.id } })).toBe(0);
  expect(await stack.db.handoverItem.count({ where: { resignationId, status: 'verified' } })).toBe(ACCOUNTS + 6);
  const verified = await stack.db.auditEvent.findMany({ where: { flowId: checklist, action: 'handover.items_verified' } });
  expect(verified.reduce((n, e) => n + (e.payload as { accountsMoved: number }).accountsMoved, 0)).toBe(ACCOUNTS);
});
