/**
 * `npm run histories:record`: runs each workflow type through its main paths on a throwaway stack
 * and saves the event histories under test/histories/. test/replay.test.ts replays them against
 * the current code, so a change that would break flows already running fails the tests.
 * Re-record only when a change is deliberately incompatible (and then version it with patched()).
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { FlowGateway } from '../api/flows';
import { DEFAULT_CHASING, type FlowSettings } from '../domain/settings';
import type { Outcome } from '../domain/tasks';
import { planContent } from '../domain/trainingPlan';
import { createDb, type Db } from '../prisma/db';
import { seedDemoOrganisation } from '../prisma/seed';
import { DEMO } from '../prisma/seed-data';
import { createDatabase, startTestPostgres } from '../test/support/postgres';
import { planContent as samplePlan } from '../test/support/fixtures';
import { createBatonWorker } from '../worker/worker';
import { applyMigrations } from './migrate';
import { startTemporalDevServer } from './temporal';

const OUT = path.resolve(__dirname, '..', 'test', 'histories');
const people = DEMO.employees;
const settings: FlowSettings = {
  executiveThresholdFen: 5_000_000,
  chasing: Object.fromEntries(Object.keys(DEFAULT_CHASING).map((t) => [t, { remindAfter: 'PT1S', remindEvery: 'PT1S', maxReminders: 1, escalateAfter: 'PT2S', escalateTo: ['manager', 'hr'] }])) as FlowSettings['chasing'],
};

async function main(): Promise<void> {
  const [temporal, pg] = await Promise.all([startTemporalDevServer({ uiPort: false }), startTestPostgres()]);
  const url = await createDatabase(pg.adminUrl, 'baton_histories');
  await applyMigrations(url);
  const db = createDb(url);
  await seedDemoOrganisation(db);
  const log = pino({ level: 'warn' });
  const native = await NativeConnection.connect({ address: temporal.address });
  const worker = await createBatonWorker({ connection: native, namespace: 'default', taskQueue: 'histories', db, log });
  const running = worker.run();
  const client = new Client({ connection: await Connection.connect({ address: temporal.address }) });
  const flows = new FlowGateway(client, 'histories');

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
    worker.shutdown();
    await running;
    await native.close();
    await db.$disconnect();
    await temporal.stop();
    await pg.stop();
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
