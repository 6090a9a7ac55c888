/**
 * The training-plan approval flow on a real Temporal server, a real worker and a real database.
 */
import type { FlowGateway } from '../api/flows';
import { HttpProblem } from '../api/problems';
import { withOverrides, type FlowSettings } from '../domain/settings';
import type { Outcome } from '../domain/tasks';
import { planContent as completePlan, type PlanContent } from '../domain/trainingPlan';
import { trainingPlanFlowId } from '../workflows/trainingPlan';
import { draftPlan, eventually, openTasks, people, planContent } from './support/fixtures';
import { FAST_SETTINGS, startTestStack, type TestStack } from './support/stack';

let stack: TestStack;
let flows: FlowGateway;
beforeAll(async () => {
  stack = await startTestStack();
  flows = stack.flows;
});
afterAll(() => stack?.stop());

const BELOW_THRESHOLD = 1_200_000; // 12,000 CNY
const ABOVE_THRESHOLD = 8_000_000; // 80,000 CNY

async function submit(budgetFen: number, settings: FlowSettings = FAST_SETTINGS, content: PlanContent = planContent(budgetFen)) {
  const plan = await draftPlan(stack.db, content);
  const result = await flows.submitPlan(
    { planId: plan.id, departmentId: plan.departmentId, drafterId: plan.drafterId, title: plan.title, settings },
    { actorId: plan.drafterId, title: plan.title, content: completePlan.parse(plan.draft), draftRevision: plan.draftRevision },
    1,
  );
  return { plan, flowId: result.flowId, version: result.version };
}

const decide = (flowId: string, taskId: string, actorId: string, decision: Outcome, comment?: string) =>
  flows.decide(flowId, { taskId, actorId, decision, comment });

async function approveLevel(flowId: string, approverIds: string[]) {
  const tasks = await openTasks(stack.db, flowId, approverIds.length);
  expect(tasks.map((t) => t.assigneeId).sort()).toEqual([...approverIds].sort());
  for (const t of tasks) await decide(flowId, t.id, t.assigneeId, 'approve');
}

const executives = [people.ceo.id, people.vicePresident.id];

async function planState(planId: string) {
  return stack.db.trainingPlan.findUniqueOrThrow({ where: { id: planId }, include: { versions: true, decisions: { orderBy: { decidedAt: 'asc' } } } });
}

async function settled(flowId: string) {
  return stack.client.workflow.getHandle(flowId).result();
}

test('a plan over the budget threshold passes department head, HR director and both executives', async () => {
  const { plan, flowId, version } = await submit(ABOVE_THRESHOLD);
  expect(flowId).toBe(trainingPlanFlowId(plan.id));
  expect(version).toBe(1);
  expect((await planState(plan.id)).status).toBe('in_approval');

  await approveLevel(flowId, [people.collectionHead.id]);
  await approveLevel(flowId, [people.hrDirector.id]);
  await approveLevel(flowId, executives);
  expect(await settled(flowId)).toBe('approved');

  const state = await planState(plan.id);
  expect(state.status).toBe('approved');
  expect(state.decisions.map((d) => [d.level, d.decision])).toEqual([
    ['department_head', 'approve'],
    ['hr_director', 'approve'],
    ['executive', 'approve'],
    ['executive', 'approve'],
  ]);
  const flow = await stack.db.flow.findUniqueOrThrow({ where: { id: flowId } });
  expect(flow.status).toBe('completed');
  expect(flow.closedAt).not.toBeNull();

  const actions = (await stack.db.auditEvent.findMany({ where: { flowId }, orderBy: { id: 'asc' } })).map((e) => e.action);
  expect(actions[0]).toBe('flow.started');
  expect(actions[1]).toBe('plan.submitted');
  expect(actions.filter((a) => a === 'task.opened')).toHaveLength(4);
  expect(actions.filter((a) => a === 'task.decided')).toHaveLength(4);
  expect(actions.at(-1)).toBe('plan.approved');

  // Each approver was notified of their task, and the drafter of the outcome.
  const sent = await stack.db.notification.findMany({ where: { flowId } });
  expect(sent.filter((n) => n.template === 'task_assigned')).toHaveLength(4);
  expect(sent.find((n) => n.template === 'plan_outcome')?.recipientId).toBe(people.hrOfficer.id);
  // Delivery runs after each change commits, in the background.
  await eventually(async () => ((await stack.db.notification.count({ where: { flowId, status: 'pending' } })) === 0 ? true : undefined), 'every notification delivered');
});

test('under the threshold the executive level is skipped', async () => {
  const { plan, flowId } = await submit(BELOW_THRESHOLD);
  await approveLevel(flowId, [people.collectionHead.id]);
  await approveLevel(flowId, [people.hrDirector.id]);
  expect(await settled(flowId)).toBe('approved');
  const state = await planState(plan.id);
  expect(state.decisions.map((d) => d.level)).toEqual(['department_head', 'hr_director']);
  expect(await stack.db.task.count({ where: { flowId, assigneeId: { in: executives } } })).toBe(0);

  // Each step's writes go together: the submission with the flow's row and the lookup of the
  // first approver; a decision with its task's close and the next lookup (or the outcome); the
  // opening of each task on its own. Five local activities, not eleven, and no regular ones.
  const { events } = await stack.client.workflow.getHandle(flowId).fetchHistory();
  const activities = (events ?? []).filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity');
  expect(activities).toHaveLength(5);
  expect((events ?? []).filter((e) => e.activityTaskScheduledEventAttributes)).toHaveLength(0);
  expect((events ?? []).length).toBeLessThanOrEqual(40);
  const audit = await stack.db.auditEvent.findMany({ where: { flowId }, orderBy: { id: 'asc' } });
  expect(audit.map((e) => e.action)).toEqual(['flow.started', 'plan.submitted', 'task.opened', 'task.decided', 'task.opened', 'task.decided', 'plan.approved']);
});

test('countersign: every executive must approve, and one rejection ends the flow', async () => {
  const { plan, flowId } = await submit(ABOVE_THRESHOLD);
  await approveLevel(flowId, [people.collectionHead.id]);
  await approveLevel(flowId, [people.hrDirector.id]);
  const [first, second] = await openTasks(stack.db, flowId, 2);
  await decide(flowId, first!.id, first!.assigneeId, 'approve');
  // One signature is not enough: the other executive's task stays open and the plan in approval.
  const live = await stack.client.workflow.getHandle(flowId).query('flowState');
  expect((live as { openTasks: unknown[] }).openTasks).toHaveLength(1);
  expect((await planState(plan.id)).status).toBe('in_approval');

  await decide(flowId, second!.id, second!.assigneeId, 'reject', 'Budget is too high this quarter');
  expect(await settled(flowId)).toBe('rejected');
  const state = await planState(plan.id);
  expect(state.status).toBe('rejected');
  expect(state.decisions.filter((d) => d.level === 'executive').map((d) => d.decision).sort()).toEqual(['approve', 'reject']);
  const flow = await stack.db.flow.findUniqueOrThrow({ where: { id: flowId } });
  expect(flow.status).toBe('rejected');
});

test('request changes → revise → resubmit keeps both versions and restarts the chain', async () => {
  const { plan, flowId } = await submit(BELOW_THRESHOLD);
  await approveLevel(flowId, [people.collectionHead.id]);
  const [hrDirectorTask] = await openTasks(stack.db, flowId, 1);
  await decide(flowId, hrDirectorTask!.id, people.hrDirector.id, 'request_changes', 'Add a measurable target for complaints');
  expect((await eventually(async () => {
    const p = await planState(plan.id);
    return p.status === 'changes_requested' ? p : undefined;
  }, 'changes requested')).currentVersion).toBe(1);

  // The drafter now has a revision task; it completes by resubmitting, not from the inbox.
  const [revision] = await openTasks(stack.db, flowId, 1);
  expect(revision!.type).toBe('plan_revision');
  expect(revision!.assigneeId).toBe(people.hrOfficer.id);
  await expect(decide(flowId, revision!.id, people.hrOfficer.id, 'done')).rejects.toMatchObject({ status: 403, code: 'not_allowed' });

  const revised = planContent(BELOW_THRESHOLD);
  revised.objectives.targets.push({ description: 'Complaints about collectors', metric: 'complaints_per_month', target: 2 });
  const resubmitted = await flows.submitPlan(
    { planId: plan.id, departmentId: plan.departmentId, drafterId: plan.drafterId, title: plan.title, settings: FAST_SETTINGS },
    { actorId: plan.drafterId, title: plan.title, content: revised, draftRevision: 2 },
    2,
  );
  expect(resubmitted).toMatchObject({ flowId, version: 2 });
  expect(resubmitted.next).toEqual([expect.objectContaining({ type: 'plan_approval', assigneeId: people.collectionHead.id })]);
  expect((await stack.db.task.findUniqueOrThrow({ where: { id: revision!.id } })).status).toBe('done');

  // The chain starts again at the department head.
  await approveLevel(flowId, [people.collectionHead.id]);
  await approveLevel(flowId, [people.hrDirector.id]);
  expect(await settled(flowId)).toBe('approved');

  const state = await planState(plan.id);
  expect(state.versions.map((v) => v.version).sort()).toEqual([1, 2]);
  const v1 = state.versions.find((v) => v.version === 1)!.content as PlanContent;
  const v2 = state.versions.find((v) => v.version === 2)!.content as PlanContent;
  expect(v1.objectives.targets).toHaveLength(1);
  expect(v2.objectives.targets).toHaveLength(2);
  expect(state.decisions.map((d) => [d.version, d.round, d.level, d.decision])).toEqual([
    [1, 1, 'department_head', 'approve'],
    [1, 1, 'hr_director', 'request_changes'],
    [2, 2, 'department_head', 'approve'],
    [2, 2, 'hr_director', 'approve'],
  ]);
});

test('the drafter withdraws during approval: open tasks are cancelled', async () => {
  const { plan, flowId } = await submit(BELOW_THRESHOLD);
  const [headTask] = await openTasks(stack.db, flowId, 1);
  await expect(flows.withdrawPlan(plan.id, { actorId: people.hrAssistant.id })).rejects.toMatchObject({ status: 403 });
  await expect(flows.withdrawPlan(plan.id, { actorId: plan.drafterId, reason: 'budget frozen' })).resolves.toEqual({ status: 'withdrawn' });
  expect(await settled(flowId)).toBe('withdrawn');
  expect((await stack.db.task.findUniqueOrThrow({ where: { id: headTask!.id } })).status).toBe('cancelled');
  expect((await planState(plan.id)).status).toBe('withdrawn');
  // A closed flow refuses decisions.
  await expect(decide(flowId, headTask!.id, people.collectionHead.id, 'approve')).rejects.toMatchObject({ status: 409 });
});

test('the drafter withdraws while revising: the revision task is cancelled', async () => {
  const { plan, flowId } = await submit(BELOW_THRESHOLD);
  const [headTask] = await openTasks(stack.db, flowId, 1);
  await decide(flowId, headTask!.id, people.collectionHead.id, 'request_changes', 'Too long');
  const [revision] = await openTasks(stack.db, flowId, 1);
  expect(revision!.type).toBe('plan_revision');
  await expect(flows.withdrawPlan(plan.id, { actorId: plan.drafterId })).resolves.toEqual({ status: 'withdrawn' });
  expect(await settled(flowId)).toBe('withdrawn');
  expect((await stack.db.task.findUniqueOrThrow({ where: { id: revision!.id } })).status).toBe('cancelled');
});

test('an idle approver is reminded, then escalated to their manager and HR, and the manager decides on their behalf', async () => {
  const settings = withOverrides(FAST_SETTINGS, {
    chasing: { plan_approval: { remindAfter: 'PT1S', remindEvery: 'PT1S', maxReminders: 2, escalateAfter: 'PT3S', escalateTo: ['manager', 'hr'] } },
  });
  const { plan, flowId } = await submit(BELOW_THRESHOLD, settings);
  const [task] = await openTasks(stack.db, flowId, 1);
  expect(task!.assigneeId).toBe(people.collectionHead.id);

  // The manager may not act before the task is escalated to them.
  await expect(decide(flowId, task!.id, people.vicePresident.id, 'approve')).rejects.toMatchObject({ status: 403, code: 'not_your_task' });

  const chased = await eventually(async () => {
    const events = await stack.db.auditEvent.findMany({ where: { taskId: task!.id }, orderBy: { id: 'asc' } });
    return events.filter((e) => e.action === 'task.escalated').length === 2 ? events : undefined;
  }, 'two escalations', 20_000);
  expect(chased.map((e) => e.action)).toEqual(['task.opened', 'task.reminded', 'task.reminded', 'task.escalated', 'task.escalated']);
  const [toManager, toHr] = chased.filter((e) => e.action === 'task.escalated').map((e) => e.payload as { targetId: string; level: number });
  expect(toManager).toMatchObject({ level: 1, targetId: people.vicePresident.id });
  expect(toHr).toMatchObject({ level: 2, targetId: people.hrOfficer.id });
  const row = await stack.db.task.findUniqueOrThrow({ where: { id: task!.id } });
  expect(row).toMatchObject({ reminderCount: 2, escalationLevel: 2, escalatedToIds: [people.vicePresident.id, people.hrOfficer.id] });
  // The row counts from the moment the flow asked, as the chasing does: due when it first escalates,
  // and no reminder earlier than the row says.
  expect(row.dueAt.getTime() - row.createdAt.getTime()).toBe(3_000);
  const reminded = chased.filter((e) => e.action === 'task.reminded');
  reminded.forEach((e, i) => expect(e.at.getTime() - row.createdAt.getTime()).toBeGreaterThanOrEqual((i + 1) * 1_000));
  const notices = await stack.db.notification.findMany({ where: { taskId: task!.id }, orderBy: { createdAt: 'asc' } });
  expect(notices.map((n) => [n.template, n.recipientId])).toEqual([
    ['task_assigned', people.collectionHead.id],
    ['task_reminder', people.collectionHead.id],
    ['task_reminder', people.collectionHead.id],
    ['task_escalated', people.vicePresident.id],
    ['task_escalated', people.hrOfficer.id],
  ]);

  const result = await decide(flowId, task!.id, people.vicePresident.id, 'approve', 'approved while 李 is away');
  expect(result).toMatchObject({ status: 'done', decidedById: people.vicePresident.id, onBehalfOfId: people.collectionHead.id });
  const decided = await stack.db.auditEvent.findUniqueOrThrow({ where: { key: `${task!.id}:decided` } });
  expect(decided).toMatchObject({ actorId: people.vicePresident.id, onBehalfOfId: people.collectionHead.id });

  await approveLevel(flowId, [people.hrDirector.id]);
  expect(await settled(flowId)).toBe('approved');
  const decision = (await planState(plan.id)).decisions[0]!;
  expect(decision).toMatchObject({ approverId: people.collectionHead.id, decidedById: people.vicePresident.id, onBehalfOfId: people.collectionHead.id });
});

test('wrong person, second decision and undeclared outcome are refused by the flow', async () => {
  const { flowId } = await submit(BELOW_THRESHOLD);
  const [task] = await openTasks(stack.db, flowId, 1);
  await expect(decide(flowId, task!.id, people.collectorA.id, 'approve')).rejects.toMatchObject({ status: 403, code: 'not_your_task' });
  await expect(decide(flowId, task!.id, people.collectionHead.id, 'done')).rejects.toMatchObject({ status: 422, code: 'invalid_decision' });
  await decide(flowId, task!.id, people.collectionHead.id, 'approve');
  // The same decision again is the same update: answered, not applied twice.
  await expect(decide(flowId, task!.id, people.collectionHead.id, 'approve')).resolves.toMatchObject({ status: 'done' });
  await expect(decide(flowId, task!.id, people.collectionHead.id, 'reject', 'changed my mind')).rejects.toBeInstanceOf(HttpProblem);
  expect(await stack.db.auditEvent.count({ where: { taskId: task!.id, action: 'task.decided' } })).toBe(1);
});

test('submitting the same draft twice gives the same flow', async () => {
  const plan = await draftPlan(stack.db, planContent(BELOW_THRESHOLD));
  const input = { planId: plan.id, departmentId: plan.departmentId, drafterId: plan.drafterId, title: plan.title, settings: FAST_SETTINGS };
  const args = { actorId: plan.drafterId, title: plan.title, content: completePlan.parse(plan.draft), draftRevision: plan.draftRevision };
  const [a, b] = await Promise.all([flows.submitPlan(input, args, 1), flows.submitPlan(input, args, 1)]);
  expect(a).toEqual(b);
  const again = await flows.submitPlan(input, args, 1);
  expect(again).toEqual(a);
  expect(await stack.db.trainingPlanVersion.count({ where: { planId: plan.id } })).toBe(1);
  expect(await stack.db.flow.count({ where: { businessKey: plan.id } })).toBe(1);
});

test('the worker stops mid-approval and a new one finishes the flow with no duplicate rows', async () => {
  const { plan, flowId } = await submit(ABOVE_THRESHOLD);
  await approveLevel(flowId, [people.collectionHead.id]);
  const [hrTask] = await openTasks(stack.db, flowId, 1);

  await stack.stopWorker();
  // While no worker runs, the decision waits in Temporal; it is applied once a worker is back. A
  // busy machine may take longer than the API's bound to replay the flow: the client then sends the
  // same decision again (the same update), as a 503 advises, and it is still applied once.
  const sameDecisionUntilAnswered = async (): Promise<unknown> => {
    try {
      return await decide(flowId, hrTask!.id, people.hrDirector.id, 'approve');
    } catch (err) {
      if (err instanceof HttpProblem && err.status === 503) return sameDecisionUntilAnswered();
      throw err;
    }
  };
  const pending = sameDecisionUntilAnswered();
  await new Promise((r) => setTimeout(r, 1000));
  await stack.startWorker();
  await pending;

  await approveLevel(flowId, executives);
  expect(await settled(flowId)).toBe('approved');
  const state = await planState(plan.id);
  expect(state.decisions).toHaveLength(4);
  expect(state.versions).toHaveLength(1);
  expect(await stack.db.task.count({ where: { flowId } })).toBe(4);
  const audit = await stack.db.auditEvent.findMany({ where: { flowId } });
  expect(audit.filter((e) => e.action === 'task.decided')).toHaveLength(4);
  expect(audit.filter((e) => e.action === 'plan.approved')).toHaveLength(1);
});
