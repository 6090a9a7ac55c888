/** Drives handover flows in tests through the same gateway the API uses. */
import type { FlowGateway } from '../../api/flows';
import { resignationIdFor } from '../../api/routes/resignations';
import type { HandoverSettings } from '../../domain/handover';
import { withOverrides, type FlowSettings } from '../../domain/settings';
import type { ChasingPolicy } from '../../domain/chasing';
import type { Db } from '../../prisma/db';
import { completeItems, verifyItems } from '../../workflows/messages';
import { eventually, openTasks, people } from './fixtures';
import { FAST_SETTINGS } from './stack';

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
  successor?: string;
  supervisor?: string;
  /** Seconds from now to the start of the last working day, and to the departure. */
  lastDayIn?: number;
  departsIn?: number;
  handover?: Partial<HandoverSettings>;
  itemPolicy?: ChasingPolicy;
  resignationDate?: string;
}

export async function startHandover(flows: FlowGateway, o: StartOptions = {}) {
  const employeeId = o.leaver ?? people.collectorA.id;
  const resignationDate = o.resignationDate ?? '2027-01-04';
  const now = Date.now();
  const settings: FlowSettings = withOverrides(FAST_SETTINGS, {
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
    successorId: o.successor ?? people.collectorB.id,
    supervisorId: o.supervisor ?? people.collectionHead.id,
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

/** The checklist lines once the round's workflow has written them. */
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

/** Waits until the flow has an open task of this type and returns it. */
export async function openTaskOfType(db: Db, flowId: string, type: string) {
  return eventually(async () => (await db.task.findFirst({ where: { flowId, type, status: 'open' } })) ?? undefined, `an open ${type} task`);
}

export async function phaseOf(db: Db, resignationId: string, phase: string) {
  return eventually(async () => ((await db.resignation.findUnique({ where: { id: resignationId } }))?.phase === phase ? true : undefined), `phase ${phase}`);
}
