/**
 * The resignation handover on a real Temporal server, a real worker and a real database.
 */
import type { FlowGateway } from '../api/flows';
import { assessSuccessor, completeItems, logMentoringSession, reviewSuccessor, submitArticle, verifyItems } from '../workflows/messages';
import { eventually, people } from './support/fixtures';
import { acknowledge, checklistLines, completeAll, finishAfterChecklist, openTaskOfType, phaseOf, startHandover, verifyAll } from './support/handover';
import { startTestStack, type TestStack } from './support/stack';

let stack: TestStack;
let flows: FlowGateway;
beforeAll(async () => {
  stack = await startTestStack();
  flows = stack.flows;
});
afterAll(() => stack?.stop());

const checklistOf = (flowId: string, round = 1) => `${flowId}/checklist-${round}`;

test('a collector with 320 accounts hands everything to the successor and leaves', async () => {
  const accountsBefore = await stack.db.account.count({ where: { assigneeId: people.collectorA.id } });
  const successorBefore = await stack.db.account.count({ where: { assigneeId: people.collectorB.id } });
  expect(accountsBefore).toBeGreaterThanOrEqual(300);

  const { flowId, resignationId, input } = await startHandover(flows);
  // Starting the same resignation again finds the same flow.
  expect(await flows.startHandover(input)).toEqual({ flowId, resignationId });
  expect((await stack.db.employee.findUniqueOrThrow({ where: { id: people.collectorA.id } })).status).toBe('leaving');

  await acknowledge(stack.db, flows, flowId);
  const lines = await checklistLines(stack.db, flows, resignationId, accountsBefore + 6);
  expect(lines).toHaveLength(accountsBefore + 6);
  expect(lines.filter((l) => l.category === 'account')).toHaveLength(accountsBefore);
  expect(new Set(lines.map((l) => l.category))).toEqual(new Set(['work_content', 'open_cases', 'payment_plans', 'account', 'documents', 'system_access', 'assets']));

  const checklist = checklistOf(flowId);
  const itemNos = lines.map((l) => l.itemNo);
  await completeAll(flows, checklist, itemNos, people.collectorA.id, 100);
  const moved = await verifyAll(flows, checklist, itemNos, people.collectionHead.id, 100);
  expect(moved).toBe(accountsBefore);

  expect(await finishAfterChecklist(stack, flowId, resignationId, people.collectorB.id)).toBe('completed');

  expect(await stack.db.account.count({ where: { assigneeId: people.collectorA.id } })).toBe(0);
  expect(await stack.db.account.count({ where: { assigneeId: people.collectorB.id } })).toBe(successorBefore + accountsBefore);
  expect((await stack.db.employee.findUniqueOrThrow({ where: { id: people.collectorA.id } })).status).toBe('left');
  const resignation = await stack.db.resignation.findUniqueOrThrow({ where: { id: resignationId } });
  expect(resignation).toMatchObject({ status: 'completed', phase: 'completed', ratingScore: 5 });
  expect((await stack.db.flow.findUniqueOrThrow({ where: { id: flowId } })).status).toBe('completed');

  const parentEvents = (await stack.client.workflow.getHandle(flowId).fetchHistory()).events?.length ?? 0;
  const checklistEvents = (await stack.client.workflow.getHandle(checklist).fetchHistory()).events?.length ?? 0;
  expect(parentEvents).toBeLessThan(1000);
  expect(checklistEvents).toBeLessThan(1000);
});

test('a line reopened is completed again; two verifications of one line at once apply once; wrong people and bad batches are refused', async () => {
  const leaver = people.collectorC.id;
  const { flowId, resignationId } = await startHandover(flows, { leaver, successor: people.collectorB.id });
  await acknowledge(stack.db, flows, flowId);
  const accounts = await stack.db.account.count({ where: { assigneeId: leaver } });
  const lines = await checklistLines(stack.db, flows, resignationId, accounts + 6);
  const checklist = checklistOf(flowId);
  const account = lines.find((l) => l.category === 'account')!;
  const work = lines.find((l) => l.category === 'work_content')!;

  // Refused before anything is written.
  const refusal = (p: Promise<unknown>, status: number, code: string) => expect(p).rejects.toMatchObject({ status, code });
  await refusal(flows.send(checklist, completeItems, { actorId: people.collectionHead.id, itemNos: [work.itemNo] }), 403, 'not_your_task');
  await refusal(flows.send(checklist, completeItems, { actorId: leaver, itemNos: [99_999] }), 409, 'wrong_state');
  await refusal(flows.send(checklist, completeItems, { actorId: leaver, itemNos: [] }), 422, 'invalid_decision');
  await refusal(flows.send(checklist, verifyItems, { actorId: people.collectionHead.id, itemNos: [work.itemNo], verdict: 'accept' }), 409, 'wrong_state');
  await refusal(flows.send(flowId, submitArticle, { actorId: people.collectorB.id, kind: 'lesson', title: 't', body: 'b' }), 403, 'not_your_task');
  await refusal(flows.send(flowId, logMentoringSession, { actorId: people.collectionHead.id, heldAt: new Date().toISOString(), durationMinutes: 30, topic: 'x' }), 409, 'wrong_state');
  expect(await stack.db.handoverItem.count({ where: { resignationId, status: { not: 'open' } } })).toBe(0);

  await flows.send(checklist, completeItems, { actorId: leaver, itemNos: [work.itemNo, account.itemNo], note: '见交接文档' });
  await refusal(flows.send(checklist, verifyItems, { actorId: leaver, itemNos: [account.itemNo], verdict: 'accept' }), 403, 'not_your_task');
  await refusal(flows.send(checklist, verifyItems, { actorId: people.collectionHead.id, itemNos: [work.itemNo], verdict: 'reopen' }), 422, 'invalid_decision');

  // Two verifications of the same account line at once: one applies, the other is refused.
  const both = await Promise.allSettled([
    flows.send(checklist, verifyItems, { actorId: people.collectionHead.id, itemNos: [account.itemNo], verdict: 'accept' }),
    flows.send(checklist, verifyItems, { actorId: people.hrOfficer.id, itemNos: [account.itemNo], verdict: 'accept' }),
  ]);
  expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  expect(both.find((r) => r.status === 'rejected')).toMatchObject({ reason: { status: 409, code: 'wrong_state' } });
  expect((await stack.db.account.findUniqueOrThrow({ where: { id: account.accountId! } })).assigneeId).toBe(people.collectorB.id);
  const verifiedEvents = await stack.db.auditEvent.findMany({ where: { flowId: checklist, action: 'handover.items_verified' } });
  expect(verifiedEvents).toHaveLength(1);
  expect(verifiedEvents[0]!.payload).toMatchObject({ accountsMoved: 1 });

  // Reopened with a comment, completed again, verified.
  await flows.send(checklist, verifyItems, { actorId: people.collectionHead.id, itemNos: [work.itemNo], verdict: 'reopen', comment: '缺少月度报表流程' });
  expect(await stack.db.handoverItem.findUniqueOrThrow({ where: { id: work.id } })).toMatchObject({ status: 'reopened', reopenCount: 1, lastComment: '缺少月度报表流程' });
  const reopenedNotice = await stack.db.notification.findFirst({ where: { flowId: checklist, template: 'handover_items_reopened' } });
  expect(reopenedNotice?.recipientId).toBe(leaver);
  await flows.send(checklist, completeItems, { actorId: leaver, itemNos: [work.itemNo], note: '已补充月度报表流程' });
  await flows.send(checklist, verifyItems, { actorId: people.collectionHead.id, itemNos: [work.itemNo], verdict: 'accept' });
  expect(await stack.db.handoverItem.findUniqueOrThrow({ where: { id: work.id } })).toMatchObject({ status: 'verified', note: '已补充月度报表流程', reopenCount: 1 });
});

test('overdue lines are reminded before and at the due time, escalated to the supervisor then HR, critical on the last day, and pass to the supervisor after departure', async () => {
  const leaver = people.serviceRep.id;
  const supervisor = people.serviceHead.id;
  const { flowId, resignationId } = await startHandover(flows, {
    leaver,
    successor: people.engineer.id,
    supervisor,
    lastDayIn: 16,
    departsIn: 20,
    handover: { checklistLead: 'PT8S' },
    itemPolicy: { remindAfter: 'PT1H', remindEvery: 'PT1H', maxReminders: 0, remindBeforeDue: 'PT2S', escalateAfter: 'PT3S', escalateTo: ['supervisor', 'hr'] },
  });
  await acknowledge(stack.db, flows, flowId);
  const lines = await checklistLines(stack.db, flows, resignationId, 4);
  const checklist = checklistOf(flowId);
  const early = lines.filter((l) => l.category === 'work_content' || l.category === 'documents');

  const trail = await eventually(async () => {
    const events = await stack.db.auditEvent.findMany({ where: { flowId: checklist }, orderBy: { id: 'asc' } });
    return events.some((e) => e.action === 'handover.items_reassigned') ? events : undefined;
  }, 'the departure', 40_000);
  const chase = trail
    .filter((e) => e.action !== 'handover.checklist_generated')
    .map((e) => {
      const p = e.payload as { dueAt?: string; to?: string; targetId?: string; reminder?: number; level?: number };
      const group = p.dueAt ? (p.dueAt === early[0]!.dueAt.toISOString() ? 'early' : 'last-day') : '';
      return [e.action.replace('handover.', ''), group, p.reminder ?? p.level ?? '', p.targetId ?? p.to ?? ''].filter((part) => part !== '').join(' ');
    });
  // Lines due 8 s before the last day (early) and on it (last-day), each: a reminder 2 s before
  // the due time and one at it, the supervisor when overdue, HR 3 s later; at the start of the last
  // day everything open goes to HR as critical; at departure the lines pass to the supervisor.
  expect(chase).toEqual([
    'items_reminded early 1 ' + leaver,
    'items_reminded early 2 ' + leaver,
    'items_escalated early 1 ' + supervisor,
    'items_escalated early 2 ' + people.hrOfficer.id,
    'items_reminded last-day 1 ' + leaver,
    'items_reminded last-day 2 ' + leaver,
    'items_escalated last-day 1 ' + supervisor,
    'critical_escalation ' + people.hrOfficer.id,
    'items_escalated last-day 2 ' + people.hrOfficer.id,
    'items_reassigned ' + supervisor,
  ]);

  const after = await stack.db.handoverItem.findMany({ where: { resignationId } });
  expect(after.every((i) => i.ownerId === supervisor && i.critical && i.escalationLevel === 2 && i.reminderCount === 2)).toBe(true);
  const critical = await stack.db.notification.findMany({ where: { flowId: checklist, critical: true }, orderBy: { createdAt: 'asc' } });
  expect(critical.map((n) => [n.template, n.recipientId])).toEqual([
    ['handover_items_escalated', people.hrOfficer.id],
    ['handover_critical', people.hrOfficer.id],
    ['handover_items_escalated', people.hrOfficer.id],
    ['handover_items_passed', supervisor],
  ]);
  // Now the supervisor completes the lines; the leaver no longer may.
  await expect(flows.send(checklist, completeItems, { actorId: leaver, itemNos: [lines[0]!.itemNo] })).rejects.toMatchObject({ status: 403 });
  await flows.send(checklist, completeItems, { actorId: supervisor, itemNos: lines.map((l) => l.itemNo) });
  expect(await stack.db.handoverItem.count({ where: { resignationId, status: 'done', completedById: supervisor } })).toBe(4);
});

test('a failed assessment extends mentoring once; the second assessment passes', async () => {
  const leaver = people.engineer.id;
  const supervisor = people.engineeringHead.id;
  const successor = people.trainer.id;
  const { flowId, resignationId } = await startHandover(flows, { leaver, successor, supervisor });
  await acknowledge(stack.db, flows, flowId);
  const lines = await checklistLines(stack.db, flows, resignationId, 4);
  await completeAll(flows, checklistOf(flowId), lines.map((l) => l.itemNo), leaver);
  await verifyAll(flows, checklistOf(flowId), lines.map((l) => l.itemNo), supervisor);
  await flows.send(flowId, submitArticle, { actorId: leaver, kind: 'procedure', title: '水泵房巡检', body: '每周一巡检' });
  const review = await openTaskOfType(stack.db, flowId, 'knowledge_review');
  await flows.decide(flowId, { taskId: review.id, actorId: supervisor, decision: 'approve' });

  const session = (topic: string) => flows.send(flowId, logMentoringSession, { actorId: supervisor, heldAt: new Date().toISOString(), durationMinutes: 45, topic });
  await phaseOf(stack.db, resignationId, 'mentoring');
  await session('设备台账');
  await expect(flows.send(flowId, assessSuccessor, { actorId: supervisor, passed: true, score: 5 })).rejects.toMatchObject({ status: 409 });
  await session('应急预案');
  await phaseOf(stack.db, resignationId, 'assessment');
  await expect(flows.send(flowId, assessSuccessor, { actorId: leaver, passed: true, score: 5 })).rejects.toMatchObject({ status: 403 });
  await flows.send(flowId, assessSuccessor, { actorId: supervisor, passed: false, score: 2, comment: '应急处置不熟练' });

  // Mentoring is extended once, with its own (smaller) number of sessions.
  await eventually(async () => ((await stack.db.task.findFirst({ where: { flowId, type: 'mentoring', status: 'open' } })) ? true : undefined), 'the extension');
  const extension = await session('应急演练');
  expect(extension).toMatchObject({ sessions: 1, required: 1 });
  await phaseOf(stack.db, resignationId, 'assessment');
  await flows.send(flowId, assessSuccessor, { actorId: supervisor, passed: true, score: 4 });
  await phaseOf(stack.db, resignationId, 'sign_off');

  const assessments = await stack.db.successorAssessment.findMany({ where: { resignationId }, orderBy: { attempt: 'asc' } });
  expect(assessments.map((a) => [a.attempt, a.passed, a.score])).toEqual([[1, false, 2], [2, true, 4]]);
  const sessions = await stack.db.mentoringSession.findMany({ where: { resignationId }, orderBy: { loggedAt: 'asc' } });
  expect(sessions.map((s) => s.round)).toEqual([1, 1, 2]);
  expect(await stack.db.task.count({ where: { flowId, type: 'mentoring' } })).toBe(2);
  expect(await stack.db.task.count({ where: { flowId, type: 'successor_review' } })).toBe(0);
});

test('the worker restarts mid-handover: nothing is lost or written twice', async () => {
  const leaver = people.hrAssistant.id;
  const supervisor = people.hrDirector.id;
  const { flowId, resignationId } = await startHandover(flows, { leaver, successor: people.admin.id, supervisor });
  await acknowledge(stack.db, flows, flowId);
  const lines = await checklistLines(stack.db, flows, resignationId, 4);
  const checklist = checklistOf(flowId);
  await flows.send(checklist, completeItems, { actorId: leaver, itemNos: [lines[0]!.itemNo, lines[1]!.itemNo] });

  await stack.stopWorker();
  const pending = flows.send(checklist, completeItems, { actorId: leaver, itemNos: [lines[2]!.itemNo, lines[3]!.itemNo] });
  await new Promise((r) => setTimeout(r, 1000));
  await stack.startWorker();
  await pending;
  await verifyAll(flows, checklist, lines.map((l) => l.itemNo), supervisor);
  await phaseOf(stack.db, resignationId, 'handover');

  expect(await stack.db.handoverItem.count({ where: { resignationId } })).toBe(4);
  expect(await stack.db.handoverItem.count({ where: { resignationId, status: 'verified' } })).toBe(4);
  const actions = (await stack.db.auditEvent.findMany({ where: { flowId: checklist } })).map((e) => e.action);
  expect(actions.filter((a) => a === 'handover.checklist_generated')).toHaveLength(1);
  expect(actions.filter((a) => a === 'handover.items_completed')).toHaveLength(2);
  expect(actions.filter((a) => a === 'handover.items_verified')).toHaveLength(1);
  expect(await stack.db.task.count({ where: { flowId, type: 'handover_acknowledge' } })).toBe(1);
  expect(await stack.db.resignation.count({ where: { employeeId: leaver } })).toBe(1);
});

test('a second failed assessment goes to HR, who names another successor: the accounts follow', async () => {
  const leaver = people.collectorB.id;
  const supervisor = people.collectionHead.id;
  const first = people.serviceHead.id;
  const second = people.engineeringHead.id;
  const accounts = await stack.db.account.count({ where: { assigneeId: leaver } });
  const { flowId, resignationId } = await startHandover(flows, { leaver, successor: first, supervisor });
  await acknowledge(stack.db, flows, flowId);
  const lines = await checklistLines(stack.db, flows, resignationId, accounts + 6);
  await completeAll(flows, checklistOf(flowId), lines.map((l) => l.itemNo), leaver);
  expect(await verifyAll(flows, checklistOf(flowId), lines.map((l) => l.itemNo), supervisor)).toBe(accounts);
  await flows.send(flowId, submitArticle, { actorId: leaver, kind: 'lesson', title: '分期协议要点', body: '首付不低于三成' });
  await flows.decide(flowId, { taskId: (await openTaskOfType(stack.db, flowId, 'knowledge_review')).id, actorId: supervisor, decision: 'approve' });

  const mentorAndAssess = async (sessions: number, passed: boolean) => {
    await eventually(async () => ((await stack.db.task.findFirst({ where: { flowId, type: 'mentoring', status: 'open' } })) ? true : undefined), 'mentoring');
    for (let i = 0; i < sessions; i++) await flows.send(flowId, logMentoringSession, { actorId: supervisor, heldAt: new Date().toISOString(), durationMinutes: 30, topic: `session ${i}` });
    await openTaskOfType(stack.db, flowId, 'successor_assessment');
    await flows.send(flowId, assessSuccessor, { actorId: supervisor, passed, score: passed ? 4 : 2 });
  };
  await mentorAndAssess(2, false);
  await mentorAndAssess(1, false);

  const review = await openTaskOfType(stack.db, flowId, 'successor_review');
  expect(review.assigneeId).toBe(people.hrOfficer.id);
  await expect(flows.send(flowId, reviewSuccessor, { actorId: people.hrOfficer.id, decision: 'replace' })).rejects.toMatchObject({ status: 422 });
  await expect(flows.send(flowId, reviewSuccessor, { actorId: supervisor, decision: 'keep' })).rejects.toMatchObject({ status: 403 });
  await flows.send(flowId, reviewSuccessor, { actorId: people.hrOfficer.id, decision: 'replace', successorId: second, comment: '改由工程部负责人接替' });

  await eventually(async () => ((await stack.db.account.count({ where: { assigneeId: second } })) === accounts ? true : undefined), 'accounts with the new successor');
  expect(await stack.db.account.count({ where: { assigneeId: first } })).toBe(0);
  expect((await stack.db.resignation.findUniqueOrThrow({ where: { id: resignationId } })).successorId).toBe(second);
  const replaced = await stack.db.auditEvent.findFirstOrThrow({ where: { flowId, action: 'handover.successor_replaced' } });
  expect(replaced.payload).toMatchObject({ from: first, to: second, accountsMoved: accounts });

  // The new successor is mentored from the start and assessed again.
  await mentorAndAssess(2, true);
  await phaseOf(stack.db, resignationId, 'sign_off');
  expect((await stack.db.successorAssessment.findMany({ where: { resignationId }, orderBy: { attempt: 'asc' } })).map((a) => [a.successorId, a.passed])).toEqual([
    [first, false],
    [first, false],
    [second, true],
  ]);
});
