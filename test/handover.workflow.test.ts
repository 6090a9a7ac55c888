/**
 * The resignation handover on a real Temporal server, a real worker and a real database.
 */
import { FlowGateway } from '../api/flows';
import { assessSuccessor, logMentoringSession, rateHandover, submitArticle, verifyItems, completeItems, reviewSuccessor } from '../workflows/messages';
import { eventually, people } from './support/fixtures';
import { acknowledge, checklistLines, completeAll, openTaskOfType, phaseOf, startHandover, verifyAll } from './support/handover';
import { startTestStack, type TestStack } from './support/stack';

let stack: TestStack;
let flows: FlowGateway;
beforeAll(async () => {
  stack = await startTestStack();
  flows = new FlowGateway(stack.client, stack.taskQueue);
});
afterAll(() => stack?.stop());

const checklistOf = (flowId: string, round = 1) => `${flowId}/checklist-${round}`;

/** Knowledge, mentoring, assessment, sign-off and rating, all passing. */
async function finishAfterChecklist(flowId: string, resignationId: string, successorId: string) {
  const supervisor = people.collectionHead.id;
  const article = await flows.send(flowId, submitArticle, { actorId: people.collectorA.id, kind: 'key_customer', title: '翠湖花园重点业主', body: '3栋业主张先生：每月15日后联系，接受分期。' });
  const review = await openTaskOfType(stack.db, flowId, 'knowledge_review');
  expect(review.assigneeId).toBe(supervisor);
  await flows.decide(flowId, { taskId: review.id, actorId: supervisor, decision: 'approve' });
  await eventually(async () => ((await stack.db.knowledgeArticle.findUnique({ where: { id: article.articleId } }))?.status === 'published' ? true : undefined), 'article published');

  await phaseOf(stack.db, resignationId, 'mentoring');
  for (const topic of ['催收话术', '法务流程']) {
    await flows.send(flowId, logMentoringSession, { actorId: supervisor, heldAt: new Date().toISOString(), durationMinutes: 60, topic });
  }
  await phaseOf(stack.db, resignationId, 'assessment');
  await flows.send(flowId, assessSuccessor, { actorId: supervisor, passed: true, score: 4 });
  await phaseOf(stack.db, resignationId, 'sign_off');
  for (const signer of [supervisor, people.hrOfficer.id]) {
    const t = await eventually(async () => (await stack.db.task.findFirst({ where: { flowId, type: 'handover_sign_off', status: 'open', assigneeId: signer } })) ?? undefined, 'sign-off task');
    await flows.decide(flowId, { taskId: t.id, actorId: signer, decision: 'confirm' });
  }
  await openTaskOfType(stack.db, flowId, 'handover_rating');
  await flows.send(flowId, rateHandover, { actorId: successorId, score: 5, comment: '交接清楚' });
  return stack.client.workflow.getHandle(flowId).result();
}

test('a collector with 320 accounts hands everything to the successor and leaves', async () => {
  const began = Date.now();
  const accountsBefore = await stack.db.account.count({ where: { assigneeId: people.collectorA.id } });
  const successorBefore = await stack.db.account.count({ where: { assigneeId: people.collectorB.id } });
  expect(accountsBefore).toBeGreaterThanOrEqual(300);

  const { flowId, resignationId, input } = await startHandover(flows);
  // Starting the same resignation again finds the same flow.
  expect(await flows.startHandover(input)).toEqual({ flowId, resignationId });
  expect((await stack.db.employee.findUniqueOrThrow({ where: { id: people.collectorA.id } })).status).toBe('leaving');

  await acknowledge(stack.db, flows, flowId);
  const lines = await checklistLines(stack.db, resignationId, accountsBefore + 6);
  expect(lines).toHaveLength(accountsBefore + 6);
  expect(lines.filter((l) => l.category === 'account')).toHaveLength(accountsBefore);
  expect(new Set(lines.map((l) => l.category))).toEqual(new Set(['work_content', 'open_cases', 'payment_plans', 'account', 'documents', 'system_access', 'assets']));

  const checklist = checklistOf(flowId);
  const itemNos = lines.map((l) => l.itemNo);
  await completeAll(flows, checklist, itemNos, people.collectorA.id, 100);
  const moved = await verifyAll(flows, checklist, itemNos, people.collectionHead.id, 100);
  expect(moved).toBe(accountsBefore);

  expect(await finishAfterChecklist(flowId, resignationId, people.collectorB.id)).toBe('completed');
  const seconds = (Date.now() - began) / 1000;

  expect(await stack.db.account.count({ where: { assigneeId: people.collectorA.id } })).toBe(0);
  expect(await stack.db.account.count({ where: { assigneeId: people.collectorB.id } })).toBe(successorBefore + accountsBefore);
  expect((await stack.db.employee.findUniqueOrThrow({ where: { id: people.collectorA.id } })).status).toBe('left');
  const resignation = await stack.db.resignation.findUniqueOrThrow({ where: { id: resignationId } });
  expect(resignation).toMatchObject({ status: 'completed', phase: 'completed', ratingScore: 5 });
  expect((await stack.db.flow.findUniqueOrThrow({ where: { id: flowId } })).status).toBe('completed');

  const parentEvents = (await stack.client.workflow.getHandle(flowId).fetchHistory()).events?.length ?? 0;
  const checklistEvents = (await stack.client.workflow.getHandle(checklist).fetchHistory()).events?.length ?? 0;
  console.log(`handover of ${accountsBefore} accounts: ${seconds.toFixed(1)} s; history: flow ${parentEvents} events, checklist ${checklistEvents} events`);
  expect(parentEvents).toBeLessThan(1000);
  expect(checklistEvents).toBeLessThan(1000);
});
