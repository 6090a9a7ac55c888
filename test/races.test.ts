/**
 * Races: two messages about the same thing at once, a message while an activity of the flow is
 * in flight. Each test holds the flow at the moment that matters with something real (a row lock
 * the activity must wait for, a decision already on record) and awaits events, never the clock.
 */
import { completeItems, decideTask, flowState, verifyItems, withdrawPlan } from '../workflows/messages';
import { eventually, openTasks, people, planContent } from './support/fixtures';
import { acknowledge, checklistLines, startHandover } from './support/handover';
import { apiTestStack, expectProblem } from './support/http';
import { holdRows } from './support/rowLock';

const { stack, as, api } = apiTestStack();

describe('handover checklist', () => {
  test('a verification sent while the completion is being written is refused, and memory and database agree', async () => {
    const { flowId, resignationId } = await startHandover(stack.flows, { leaver: people.collectorC.id, successor: people.collectorB.id });
    await acknowledge(stack.db, stack.flows, flowId);
    const lines = await checklistLines(stack.db, stack.flows, resignationId, 31);
    const checklist = lines[0]!.checklistFlowId;
    const account = lines.find((l) => l.category === 'account')!;

    const lock = await holdRows(stack.dbUrl, 'SELECT id FROM handover_item WHERE resignation_id = $1 AND item_no = ANY($2) FOR UPDATE', [resignationId, [account.itemNo]]);
    const completing = stack.flows.send(checklist, completeItems, { actorId: people.collectorC.id, itemNos: [account.itemNo] });
    await lock.waitedFor();
    // The completion is accepted but not recorded: the line cannot be verified or completed again yet.
    await expect(stack.flows.send(checklist, verifyItems, { actorId: people.collectionHead.id, itemNos: [account.itemNo], verdict: 'accept' })).rejects.toMatchObject({ status: 409, detail: expect.stringContaining('being completed') });
    await expect(stack.flows.send(checklist, completeItems, { actorId: people.collectorC.id, itemNos: [account.itemNo] })).rejects.toMatchObject({ status: 409 });
    await lock.release();
    expect(await completing).toMatchObject({ applied: 1 });

    const verified = await stack.flows.send(checklist, verifyItems, { actorId: people.collectionHead.id, itemNos: [account.itemNo], verdict: 'accept' });
    expect(verified).toMatchObject({ applied: 1, accountsMoved: 1 });
    expect((await stack.db.account.findUniqueOrThrow({ where: { id: account.accountId! } })).assigneeId).toBe(people.collectorB.id);
    const live = await stack.client.workflow.getHandle(checklist).query(flowState);
    const inDb = await stack.db.handoverItem.groupBy({ by: ['status'], where: { checklistFlowId: checklist }, _count: true });
    const db = Object.fromEntries(inDb.map((g) => [g.status, g._count]));
    expect(live.details).toMatchObject({ verified: db.verified ?? 0, done: db.done ?? 0, open: (db.open ?? 0) + (db.reopened ?? 0) });

    // The checklist's trail is part of the handover's, and the checklist's own id leads there too.
    const handover = await api().get(`/api/v1/flows/${encodeURIComponent(flowId)}?auditLimit=200`).set(as('hrOfficer'));
    expect(handover.body.audit.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['handover.checklist_generated', 'handover.items_completed', 'handover.items_verified', 'task.decided']));
    const child = await api().get(`/api/v1/flows/${encodeURIComponent(checklist)}`).set(as('hrOfficer'));
    expect(child.status).toBe(200);
    expect(child.body).toMatchObject({ id: flowId, childFlowId: checklist, type: 'handover' });
    expect(new Set(child.body.audit.map((e: { flowId: string }) => e.flowId))).toEqual(new Set([checklist]));
  });

  test('a later round reopens the line of an account that came back to the leaver, so no round is empty, and HR is alarmed', async () => {
    const portfolio = await stack.db.account.count({ where: { assigneeId: people.collectorB.id } });
    const { flowId, resignationId } = await startHandover(stack.flows, { leaver: people.collectorB.id, successor: people.collectorA.id, handover: { roundsBeforeAlarm: 1 } });
    await acknowledge(stack.db, stack.flows, flowId);
    const lines = await checklistLines(stack.db, stack.flows, resignationId, portfolio + 6);
    const checklist = lines[0]!.checklistFlowId;
    const itemNos = lines.map((l) => l.itemNo);
    await stack.flows.send(checklist, completeItems, { actorId: people.collectorB.id, itemNos });
    // An account is handed back to the leaver (say, a correction) before the round is verified.
    const returned = lines.find((l) => l.category === 'account')!;
    const last = itemNos.at(-1)!;
    await stack.flows.send(checklist, verifyItems, { actorId: people.collectionHead.id, itemNos: itemNos.slice(0, -1), verdict: 'accept' });
    await stack.db.account.update({ where: { id: returned.accountId! }, data: { assigneeId: people.collectorB.id } });
    await stack.flows.send(checklist, verifyItems, { actorId: people.collectionHead.id, itemNos: [last], verdict: 'accept' });
    // That account's line was verified in round 1; round 2 must take it up again.
    const reopened = await eventually(async () => {
      const l = await stack.db.handoverItem.findUniqueOrThrow({ where: { id: returned.id } });
      return l.checklistFlowId.endsWith('/checklist-2') ? l : undefined;
    }, 'the line in round 2');
    expect(reopened.status).toBe('reopened');
    // Accounts still reaching the leaver after a round: the flow's HR officer hears of it as critical.
    const alarm = await stack.db.notification.findMany({ where: { flowId, template: 'accounts_still_arriving' } });
    expect(alarm.map((n) => [n.recipientId, n.critical, n.params])).toContainEqual([people.hrOfficer.id, true, expect.objectContaining({ rounds: '1', count: '1' })]);
    const round2 = reopened.checklistFlowId;
    await eventually(async () => ((await stack.flows.liveState(round2))?.status === 'open' ? true : undefined), 'round 2 accepts messages');
    await stack.flows.send(round2, completeItems, { actorId: people.collectorB.id, itemNos: [returned.itemNo] });
    expect(await stack.flows.send(round2, verifyItems, { actorId: people.collectionHead.id, itemNos: [returned.itemNo], verdict: 'accept' })).toMatchObject({ accountsMoved: 1 });
    expect(await stack.db.account.count({ where: { assigneeId: people.collectorB.id } })).toBe(0);
  });
});

describe('training-plan approval', () => {
  async function submittedPlan() {
    const plan = (await api().post('/api/v1/training-plans').set(as('hrOfficer')).send({ title: '谈判技巧', departmentId: 'dept-collection', content: planContent(1_200_000) })).body as { id: string };
    const submitted = await api().post(`/api/v1/training-plans/${plan.id}/submit`).set(as('hrOfficer'));
    expect(submitted.status).toBe(202);
    return { planId: plan.id, flowId: submitted.body.flowId as string };
  }

  test('a withdrawal arriving while the final approval is recorded is refused with 409, and the flow closes approved', async () => {
    const { planId, flowId } = await submittedPlan();
    const [head] = await openTasks(stack.db, flowId, 1);
    await stack.flows.decide(flowId, { taskId: head!.id, actorId: head!.assigneeId, decision: 'approve' });
    const [director] = await openTasks(stack.db, flowId, 1);
    // The final decision returns once the task is closed, while the plan's approval is still being written.
    await stack.flows.decide(flowId, { taskId: director!.id, actorId: director!.assigneeId, decision: 'approve' });
    expectProblem(await api().post(`/api/v1/training-plans/${planId}/withdraw`).set(as('hrOfficer')).send({ reason: 'too late' }), 409);
    expect(await stack.client.workflow.getHandle(flowId).result()).toBe('approved');
    expect((await stack.db.trainingPlan.findUniqueOrThrow({ where: { id: planId } })).status).toBe('approved');
  });

  test('a withdrawal arriving while a decision is being written: the decision stays on record, no next task opens, the plan ends withdrawn', async () => {
    const { planId, flowId } = await submittedPlan();
    const [head] = await openTasks(stack.db, flowId, 1);
    // The head's decision goes with the lookup of the next approvers; the task row holds it in flight.
    const lock = await holdRows(stack.dbUrl, 'SELECT id FROM task WHERE id = $1 FOR UPDATE', [head!.id]);
    // Sent to the flow directly: the API would answer 503 after 10 s, and this wait is longer.
    const handle = stack.client.workflow.getHandle(flowId);
    const deciding = handle.executeUpdate(decideTask, { args: [{ taskId: head!.id, actorId: head!.assigneeId, decision: 'approve' }] });
    await lock.waitedFor();
    const withdrawing = handle.executeUpdate(withdrawPlan, { args: [{ actorId: people.hrOfficer.id, reason: 'budget moved' }] });
    // The flow takes the withdrawal in while the write waits (its workflow task hands over while a local activity runs long).
    await eventually(async () => {
      const { events } = await handle.fetchHistory();
      return events?.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'withdrawPlan') ? true : undefined;
    }, 'the withdrawal taken in while the decision is written', 120_000);
    await lock.release();
    const [decided, withdrawn] = await Promise.all([deciding, withdrawing]);
    expect(decided).toMatchObject({ outcome: 'approve', status: 'done', next: [] });
    expect(withdrawn).toEqual({ status: 'withdrawn' });
    expect(await stack.client.workflow.getHandle(flowId).result()).toBe('withdrawn');
    expect((await stack.db.trainingPlan.findUniqueOrThrow({ where: { id: planId } })).status).toBe('withdrawn');
    expect(await stack.db.task.findUniqueOrThrow({ where: { id: head!.id } })).toMatchObject({ status: 'done', outcome: 'approve' });
    expect(await stack.db.planDecision.count({ where: { planId } })).toBe(1);
    expect(await stack.db.task.count({ where: { flowId, assigneeId: people.hrDirector.id } })).toBe(0);
  });

  test('a withdrawal while the revision task is being cancelled: the plan is recorded withdrawn only once its task is', async () => {
    const { planId, flowId } = await submittedPlan();
    const [head] = await openTasks(stack.db, flowId, 1);
    await stack.flows.decide(flowId, { taskId: head!.id, actorId: head!.assigneeId, decision: 'request_changes', comment: 'add a target' });
    const [revision] = await openTasks(stack.db, flowId, 1);
    // The revision task's row holds its cancellation in flight.
    const lock = await holdRows(stack.dbUrl, 'SELECT id FROM task WHERE id = $1 FOR UPDATE', [revision!.id]);
    const handle = stack.client.workflow.getHandle(flowId);
    const withdrawing = handle.executeUpdate(withdrawPlan, { args: [{ actorId: people.hrOfficer.id, reason: 'budget moved' }] });
    await lock.waitedFor();
    // The workflow task hands over while the cancellation waits; by then a flow that went on
    // without waiting for it would have recorded the outcome.
    await eventually(async () => {
      const { events } = await handle.fetchHistory();
      return events?.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'withdrawPlan') ? true : undefined;
    }, 'the withdrawal taken in while the cancellation is written', 120_000);
    expect((await stack.db.trainingPlan.findUniqueOrThrow({ where: { id: planId } })).status).toBe('changes_requested');
    await lock.release();
    expect(await withdrawing).toEqual({ status: 'withdrawn' });
    expect((await stack.db.task.findUniqueOrThrow({ where: { id: revision!.id } })).status).toBe('cancelled');
    const trail = await stack.db.auditEvent.findMany({ where: { flowId, action: { in: ['task.cancelled', 'plan.withdrawn'] } }, orderBy: { id: 'asc' } });
    expect(trail.map((e) => e.action)).toEqual(['task.cancelled', 'plan.withdrawn']);
  });

  test('a resubmission racing a withdrawal: both calls answer and the plan ends withdrawn', async () => {
    const { planId, flowId } = await submittedPlan();
    const [head] = await openTasks(stack.db, flowId, 1);
    await stack.flows.decide(flowId, { taskId: head!.id, actorId: head!.assigneeId, decision: 'request_changes', comment: 'add a target' });
    await openTasks(stack.db, flowId, 1); // the revision task
    const [withdrawn, resubmitted] = await Promise.all([
      api().post(`/api/v1/training-plans/${planId}/withdraw`).set(as('hrOfficer')).send({}),
      api().post(`/api/v1/training-plans/${planId}/submit`).set(as('hrOfficer')),
    ]);
    expect(withdrawn.status).toBe(200);
    expect([202, 409]).toContain(resubmitted.status);
    expect(await stack.client.workflow.getHandle(flowId).result()).toBe('withdrawn');
    expect((await stack.db.trainingPlan.findUniqueOrThrow({ where: { id: planId } })).status).toBe('withdrawn');
  });

  test('resubmitting after a request for changes without editing creates the next version', async () => {
    const { planId, flowId } = await submittedPlan();
    const [head] = await openTasks(stack.db, flowId, 1);
    await stack.flows.decide(flowId, { taskId: head!.id, actorId: head!.assigneeId, decision: 'request_changes', comment: 'please reconsider' });
    await openTasks(stack.db, flowId, 1);
    const again = await api().post(`/api/v1/training-plans/${planId}/submit`).set(as('hrOfficer'));
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ flowId, version: 2 });
    const plan = await stack.db.trainingPlan.findUniqueOrThrow({ where: { id: planId }, include: { versions: true } });
    expect(plan).toMatchObject({ status: 'in_approval', currentVersion: 2 });
    expect(plan.versions.map((v) => v.version).sort()).toEqual([1, 2]);
  });
});
