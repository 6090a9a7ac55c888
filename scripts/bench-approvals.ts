/**
 * `npm run bench [-- flows concurrency]`: approval throughput and latency on a throwaway local
 * stack (one worker, in-memory Temporal, embedded PostgreSQL). Prints figures; asserts nothing.
 */
import { performance } from 'node:perf_hooks';
import { settingsFrom } from '../domain/settings';
import { planContent } from '../domain/trainingPlan';
import { DEMO } from '../prisma/seed-data';
import { samplePlanContent as samplePlan } from '../prisma/seed-data';
import { runAndExit, startThrowawayStack } from './throwaway-stack';

const flowsToRun = Number(process.argv[2] ?? 50);
const concurrency = Number(process.argv[3] ?? 10);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(0)} ms, p95 ${pct(xs, 95).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms`;

async function main(): Promise<void> {
  const stack = await startThrowawayStack('bench');
  const { db, flows, client } = stack;
  const submitMs: number[] = [];
  const decideMs: number[] = [];
  const historyEvents: number[] = [];
  const timed = async <T>(into: number[], work: () => Promise<T>) => {
    const t = performance.now();
    const r = await work();
    into.push(performance.now() - t);
    return r;
  };

  async function approveOnePlan(i: number) {
    const plan = await db.trainingPlan.create({ data: { title: `Bench ${i}`, departmentId: DEMO.departments.collection.id, drafterId: DEMO.employees.hrOfficer.id, draft: samplePlan(1_000_000) } });
    const input = { planId: plan.id, departmentId: plan.departmentId, drafterId: plan.drafterId, title: plan.title, settings: settingsFrom({}).flows };
    const { flowId } = await timed(submitMs, () => flows.submitPlan(input, { actorId: plan.drafterId, title: plan.title, content: planContent.parse(plan.draft), draftRevision: 1 }, 1));
    for (let level = 0; level < 2; level++) {
      let task;
      while (!(task = await db.task.findFirst({ where: { flowId, status: 'open' } }))) await new Promise((r) => setTimeout(r, 20));
      await timed(decideMs, () => flows.decide(flowId, { taskId: task.id, actorId: task.assigneeId, decision: 'approve' }));
    }
    const handle = client.workflow.getHandle(flowId);
    await handle.result();
    historyEvents.push((await handle.fetchHistory()).events?.length ?? 0);
  }

  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < flowsToRun) await approveOnePlan(next++);
  }));
  const seconds = (performance.now() - started) / 1000;
  const rssMb = process.memoryUsage().rss / 2 ** 20;

  console.log(`approval flows        ${flowsToRun} (concurrency ${concurrency}), each: submit + 2 approval levels`);
  console.log(`wall time             ${seconds.toFixed(1)} s  →  ${(flowsToRun / seconds).toFixed(1)} flows/s, ${((flowsToRun * 2) / seconds).toFixed(1)} decisions/s`);
  console.log(`submit (update+start) ${fmt(submitMs)}`);
  console.log(`decision (update)     ${fmt(decideMs)}`);
  console.log(`history per flow      ${pct(historyEvents, 50)} events (max ${Math.max(...historyEvents)}; Temporal warns at 10,240)`);
  console.log(`process RSS           ${rssMb.toFixed(0)} MiB (worker + Temporal client + Prisma, one process)`);
  await stack.stop();
}

runAndExit(main);
