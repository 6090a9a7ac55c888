/** Drives handover flows in tests: scripts/handover-driver.ts on the tests' fast settings. */
import { randomUUID } from 'node:crypto';
import type { FlowGateway } from '../../api/flows';
import type { Db } from '../../prisma/db';
import type { LeavingCause } from '../../domain/risk';
import { startHandover as startOn, type StartOptions } from '../../scripts/handover-driver';
import { assessSuccessor, logMentoringSession, rateHandover, recordExitInterview, submitArticle } from '../../workflows/messages';
import { eventually, people } from './fixtures';
import { FAST_SETTINGS, type TestStack } from './stack';

export { acknowledge, checklistLines, completeAll, QUICK_HANDOVER, verifyAll, type StartOptions } from '../../scripts/handover-driver';

export const startHandover = (flows: FlowGateway, o: StartOptions = {}) => startOn(flows, FAST_SETTINGS, o);

/** Waits until the flow has an open task of this type and returns it. */
export async function openTaskOfType(db: Db, flowId: string, type: string) {
  return eventually(async () => (await db.task.findFirst({ where: { flowId, type, status: 'open' } })) ?? undefined, `an open ${type} task`);
}

export async function phaseOf(db: Db, resignationId: string, phase: string) {
  return eventually(async () => ((await db.resignation.findUnique({ where: { id: resignationId } }))?.phase === phase ? true : undefined), `phase ${phase}`);
}

/** HR records the exit interview the flow asked for at sign-off. */
export async function holdExitInterview({ db, flows }: Pick<TestStack, 'db' | 'flows'>, flowId: string, causes: LeavingCause[] = ['pay']) {
  const task = await openTaskOfType(db, flowId, 'handover_exit_interview');
  return flows.send(flowId, recordExitInterview, { actorId: task.assigneeId, heldOn: new Date().toISOString().slice(0, 10), causes, notes: '想去离家近的地方', wouldReturn: false, wouldRecommend: true });
}

/** Knowledge, mentoring, assessment and sign-off, all passing (the collection head supervises and
 *  mentors, the leaver is collector A). */
export async function signOffAfterChecklist({ db, flows }: Pick<TestStack, 'db' | 'flows'>, flowId: string, resignationId: string) {
  const supervisor = people.collectionHead.id;
  const article = await flows.send(flowId, submitArticle, { actorId: people.collectorA.id, kind: 'key_customer', title: '翠湖花园重点业主', body: '3栋业主张先生：每月15日后联系，接受分期。' });
  const review = await openTaskOfType(db, flowId, 'knowledge_review');
  expect(review.assigneeId).toBe(supervisor);
  await flows.decide(flowId, { taskId: review.id, actorId: supervisor, decision: 'approve' });
  await eventually(async () => ((await db.knowledgeArticle.findUnique({ where: { id: article.articleId } }))?.status === 'published' ? true : undefined), 'article published');

  await phaseOf(db, resignationId, 'mentoring');
  for (const topic of ['催收话术', '法务流程']) {
    await flows.send(flowId, logMentoringSession, { actorId: supervisor, heldAt: new Date().toISOString(), durationMinutes: 60, topic });
  }
  await phaseOf(db, resignationId, 'assessment');
  await flows.send(flowId, assessSuccessor, { actorId: supervisor, passed: true, score: 4 });
  await phaseOf(db, resignationId, 'sign_off');
  for (const signer of [supervisor, people.hrOfficer.id]) {
    const t = await eventually(async () => (await db.task.findFirst({ where: { flowId, type: 'handover_sign_off', status: 'open', assigneeId: signer } })) ?? undefined, 'sign-off task');
    await flows.decide(flowId, { taskId: t.id, actorId: signer, decision: 'confirm' });
  }
}

/** Through sign-off, then the exit interview and the rating; answers the handover's result. */
export async function finishAfterChecklist(stack: TestStack, flowId: string, resignationId: string, successorId: string) {
  const { db, flows, client } = stack;
  await signOffAfterChecklist(stack, flowId, resignationId);
  await holdExitInterview(stack, flowId);
  await openTaskOfType(db, flowId, 'handover_rating');
  await flows.send(flowId, rateHandover, { actorId: successorId, score: 5, comment: '交接清楚' });
  return client.workflow.getHandle(flowId).result();
}

/** The exit interview of someone who left before the test (no flow of theirs runs here), as a row. */
export const earlierLeaver = (departmentId: string, leftOn: string, causes: string[], teamManagerId: string | null = null) => ({
  resignationId: randomUUID(),
  flowId: `handover:earlier:${randomUUID()}`,
  employeeId: `earlier-${randomUUID()}`,
  departmentId,
  teamManagerId,
  leftOn: new Date(leftOn),
  heldOn: new Date(leftOn),
  causes,
  notes: '—',
  wouldReturn: false,
  wouldRecommend: false,
  recordedById: people.hrOfficer.id,
});
