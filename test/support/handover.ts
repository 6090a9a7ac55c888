/** Drives handover flows in tests: scripts/handover-driver.ts on the tests' fast settings. */
import type { FlowGateway } from '../../api/flows';
import type { Db } from '../../prisma/db';
import { startHandover as startOn, type StartOptions } from '../../scripts/handover-driver';
import { eventually } from './fixtures';
import { FAST_SETTINGS } from './stack';

export { acknowledge, checklistLines, completeAll, QUICK_HANDOVER, verifyAll, type StartOptions } from '../../scripts/handover-driver';

export const startHandover = (flows: FlowGateway, o: StartOptions = {}) => startOn(flows, FAST_SETTINGS, o);

/** Waits until the flow has an open task of this type and returns it. */
export async function openTaskOfType(db: Db, flowId: string, type: string) {
  return eventually(async () => (await db.task.findFirst({ where: { flowId, type, status: 'open' } })) ?? undefined, `an open ${type} task`);
}

export async function phaseOf(db: Db, resignationId: string, phase: string) {
  return eventually(async () => ((await db.resignation.findUnique({ where: { id: resignationId } }))?.phase === phase ? true : undefined), `phase ${phase}`);
}
