/**
 * Drives handover flows from outside, through the same gateway the API uses and the database, as
 * tests and benchmarks do: start one, acknowledge it, wait for its checklist, complete and verify
 * lines in batches. Waiting here polls; workflows never do.
 */
import type { FlowGateway } from '../api/flows';
import { resignationIdFor } from '../api/routes/resignations';
import type { HandoverSettings } from '../domain/handover';
import { withOverrides, type FlowSettings } from '../domain/settings';
import type { ChasingPolicy } from '../domain/chasing';
import type { Db } from '../prisma/db';
import { DEMO } from '../prisma/seed-data';
import { completeItems, verifyItems } from '../workflows/messages';

const people = DEMO.employees;

/** Polls until `probe` returns a value that is not undefined. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the flow has exactly `count` open tasks and returns them (by assignee number). */
export async function openTasks(db: Db, flowId: string, count: number) {
  let seen: unknown[] = [];
  return eventually(async () => {
    const tasks = await db.task.findMany({ where: { flowId, status: 'open' }, orderBy: { assigneeId: 'asc' } });
    seen = tasks.map((t) => t.stepKey);
    return tasks.length === count ? tasks : undefined;
  }, `${count} open task(s) in ${flowId}`).catch(async (err: Error) => {
    const trail = await db.auditEvent.findMany({ where: { flowId }, orderBy: { id: 'asc' }, select: { action: true } });
    throw new Error(`${err.message}; open: [${seen.join(', ')}]; audit: [${trail.map((e) => e.action).join(', ')}]`);
  });
}

export const QUICK_HANDOVER: Partial<HandoverSettings> = {
  checklistLead: 'PT1H',
  minKnowledgeArticles: 1,
  mentoringPeriod: 'PT1H',
  minMentoringSessions: 2,
  mentoringExtension: 'PT1H',
  minExtensionSessions: 1,
};

export interface StartOptions {
  leaver?: string;
  /** null: nobody named at the start, HR names them from its task. */
  successor?: string | null;
  supervisor?: string | null;
  /** Seconds from now to the start of the last working day, and to the departure. */
  lastDayIn?: number;
  departsIn?: number;
  handover?: Partial<HandoverSettings>;
  itemPolicy?: ChasingPolicy;
  resignationDate?: string;
}

/** Starts a handover of a demo collector (by default) on `base` settings with QUICK_HANDOVER. */
export async function startHandover(flows: FlowGateway, base: FlowSettings, o: StartOptions = {}) {
  const employeeId = o.leaver ?? people.collectorA.id;
  const resignationDate = o.resignationDate ?? '2027-01-04';
  const now = Date.now();
  const settings: FlowSettings = withOverrides(base, {
    handover: { ...QUICK_HANDOVER, ...o.handover },
    chasing: o.itemPolicy ? { handover_item: o.itemPolicy } : undefined,
  });
  const input = {
    resignationId: resignationIdFor(employeeId, resignationDate),
    employeeId,
    resignationDate,
    lastWorkingDay: '2027-02-26',
    lastDayStartsAt: new Date(now + (o.lastDayIn ?? 3600) * 1000).toISOString(),
    departsAt: new Date(now + (o.departsIn ?? 7200) * 1000).toISOString(),
    reason: '家庭原因 family reasons',
    startedById: people.hrOfficer.id,
    successorId: o.successor === null ? undefined : (o.successor ?? people.collectorB.id),
    supervisorId: o.supervisor === null ? undefined : (o.supervisor ?? people.collectionHead.id),
    settings,
  };
  const started = await flows.startHandover(input);
  return { ...started, input };
}

/** The manager acknowledges the resignation (the first task of every handover). */
export async function acknowledge(db: Db, flows: FlowGateway, flowId: string) {
  const [ack] = await openTasks(db, flowId, 1);
  await flows.decide(flowId, { taskId: ack!.id, actorId: ack!.assigneeId, decision: 'confirm' });
}

/** The checklist lines once the round's workflow has written them and accepts messages about them. */
export async function checklistLines(db: Db, flows: FlowGateway, resignationId: string, expected: number) {
  const items = await eventually(async () => {
    const lines = await db.handoverItem.findMany({ where: { resignationId }, orderBy: { itemNo: 'asc' } });
    return lines.length >= expected ? lines : undefined;
  }, `${expected} checklist lines`);
  await eventually(async () => ((await flows.liveState(items.at(-1)!.checklistFlowId))?.status !== 'writing' ? true : undefined), 'the checklist ready');
  return items;
}

export async function completeAll(flows: FlowGateway, checklistFlowId: string, itemNos: number[], actorId: string, batch = 10_000) {
  for (let i = 0; i < itemNos.length; i += batch) await flows.send(checklistFlowId, completeItems, { actorId, itemNos: itemNos.slice(i, i + batch) });
}

export async function verifyAll(flows: FlowGateway, checklistFlowId: string, itemNos: number[], actorId: string, batch = 10_000) {
  let moved = 0;
  for (let i = 0; i < itemNos.length; i += batch) {
    moved += (await flows.send(checklistFlowId, verifyItems, { actorId, itemNos: itemNos.slice(i, i + batch), verdict: 'accept' })).accountsMoved ?? 0;
  }
  return moved;
}
