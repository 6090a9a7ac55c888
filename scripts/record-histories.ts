/**
 * `npm run histories:record`: runs each workflow type through its main paths on a throwaway stack
 * and saves the event histories under test/histories/. test/replay.test.ts replays them against
 * the current code, so a change that would break flows already running fails the tests.
 * Re-record only when a change is deliberately incompatible (and then version it with patched()).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FlowGateway } from '../api/flows';
import type { Db } from '../prisma/db';
import { DEFAULT_HANDOVER } from '../domain/handover';
import { DEFAULT_CHASING, type FlowSettings } from '../domain/settings';
import type { Outcome } from '../domain/tasks';
import { planContent } from '../domain/trainingPlan';
import { DEMO } from '../prisma/seed-data';
import { planContent as samplePlan } from '../test/support/fixtures';
import { startThrowawayStack } from './throwaway-stack';

const OUT = path.resolve(__dirname, '..', 'test', 'histories');
const people = DEMO.employees;
const settings: FlowSettings = {
  executiveThresholdFen: 5_000_000,
  handover: DEFAULT_HANDOVER,
  chasing: Object.fromEntries(Object.keys(DEFAULT_CHASING).map((t) => [t, { remindAfter: 'PT1S', remindEvery: 'PT1S', maxReminders: 1, escalateAfter: 'PT2S', escalateTo: ['manager', 'hr'] }])) as FlowSettings['chasing'],
};

async function main(): Promise<void> {
  const { db, client, flows, stop } = await startThrowawayStack('histories');
  try {
    const scenarios: Record<string, (flowId: string, planId: string) => Promise<void>> = {
      'approved-with-countersign': async (flowId) => {
        await decideAll(db, flows, flowId, 'approve', 1);
        await decideAll(db, flows, flowId, 'approve', 1);
        await decideAll(db, flows, flowId, 'approve', 2);
      },
      'changes-requested-then-approved': async (flowId, planId) => {
        await decideAll(db, flows, flowId, 'request_changes', 1, 'Add a target for complaints');
        await waitFor(db, flowId, 1); // the revision task
        const plan = await db.trainingPlan.findUniqueOrThrow({ where: { id: planId } });
        await flows.submitPlan(planInput(plan), { actorId: plan.drafterId, title: plan.title, content: planContent.parse(plan.draft), draftRevision: plan.draftRevision + 1 });
        await decideAll(db, flows, flowId, 'approve', 1);
        await decideAll(db, flows, flowId, 'approve', 1);
        await decideAll(db, flows, flowId, 'approve', 2);
      },
      'rejected-after-escalation': async (flowId) => {
        const [task] = await waitFor(db, flowId, 1);
        await new Promise((r) => setTimeout(r, 4500)); // a reminder and both escalations
        await flows.decide(flowId, { taskId: task!.id, actorId: people.vicePresident.id, decision: 'reject', comment: 'Not this year' });
      },
      withdrawn: async (_flowId, planId) => {
        await decideAll(db, flows, _flowId, 'approve', 1);
        await waitFor(db, _flowId, 1);
        await flows.withdrawPlan(planId, { actorId: people.hrOfficer.id, reason: 'budget frozen' });
      },
    };
    fs.mkdirSync(OUT, { recursive: true });
    for (const [name, play] of Object.entries(scenarios)) {
      const plan = await db.trainingPlan.create({ data: { title: `History ${name}`, departmentId: DEMO.departments.collection.id, drafterId: people.hrOfficer.id, draft: samplePlan(8_000_000) } });
      const { flowId } = await flows.submitPlan(planInput(plan), { actorId: plan.drafterId, title: plan.title, content: planContent.parse(plan.draft), draftRevision: plan.draftRevision });
      await play(flowId, plan.id);
      const handle = client.workflow.getHandle(flowId);
      await handle.result();
      const file = path.join(OUT, `trainingPlanApproval-${name}.json`);
      fs.writeFileSync(file, JSON.stringify(await handle.fetchHistory(), null, 1));
      console.log(`recorded ${path.relative(process.cwd(), file)}`);
    }
  } finally {
    await stop();
  }
}

function planInput(plan: { id: string; departmentId: string; drafterId: string; title: string }) {
  return { planId: plan.id, departmentId: plan.departmentId, drafterId: plan.drafterId, title: plan.title, settings };
}

async function waitFor(db: Db, flowId: string, count: number) {
  for (;;) {
    const tasks = await db.task.findMany({ where: { flowId, status: 'open' } });
    if (tasks.length === count) return tasks;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function decideAll(db: Db, flows: FlowGateway, flowId: string, decision: Outcome, count: number, comment?: string) {
  for (const t of await waitFor(db, flowId, count)) await flows.decide(flowId, { taskId: t.id, actorId: t.assigneeId, decision, comment });
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
