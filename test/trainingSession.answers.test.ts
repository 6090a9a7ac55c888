/**
 * What a training session's messages answer (issue 29): the tasks a move opens, the real reason a
 * refusal gives, who is asked to prepare the room, and the plan's published roll-up. Over real
 * HTTP, Temporal and PostgreSQL; tests wait for the session's own events, never sleep.
 */
import { openApiDocument } from '../api/openapi';
import type { PlanContent } from '../domain/trainingPlan';
import { people, planContent } from './support/fixtures';
import { apiTestStack, expectProblem, type Who } from './support/http';
import { inSeconds, sessionKit, whoIs } from './support/sessions';

const testStack = apiTestStack();
const { stack, as, api } = testStack;
const { approvedPlan, decide, sessionStatus, taskOf } = sessionKit(testStack);

const FAR = { leadTime: 'PT30M' };
/** Sign-in opens right after the approval and stays open until the trainer closes it; feedback stays open. */
const SOON = { leadTime: 'PT14S', criticalBefore: 'PT1S', signInOpensBefore: 'PT14S', signInClosesAfter: 'PT30M', lateAfter: 'PT1S', feedbackPeriod: 'PT5M' };
const post = (sessionId: string, path: string, who: Who, body: object) => api().post(`/api/v1/training-sessions/${sessionId}/${path}`).set(as(who)).send(body);
const createPlan = (body: object) => api().post('/api/v1/training-plans').set(as('hrOfficer')).send(body);
/** HR adds a repeat session a day from now. */
const repeatSession = (planId: string, more: object) =>
  api().post(`/api/v1/training-plans/${planId}/sessions`).set(as('hrOfficer')).send({ title: '补课 Repeat', startsAt: inSeconds(90_000), endsAt: inSeconds(93_600), ...more });

test('a reschedule answers with the preparation it opens again, already in the inbox, and the old tasks already closed', async () => {
  const { sessions } = await approvedPlan([{ startsIn: 3600, endsIn: 7200 }], FAR);
  const s = sessions[0]!;
  const checklist = await taskOf(s.flowId, 'session_preparation');
  await decide(checklist.id, whoIs(checklist.assigneeId), 'done');
  await taskOf(s.flowId, 'session_schedule');

  const moved = await post(s.id, 'reschedule', 'hrOfficer', { startsAt: inSeconds(7200), endsAt: inSeconds(9000), reason: '会议室冲突 room taken' });
  expect(moved.status).toBe(200);
  // The checklist was done before the move and stays done; HR confirms the new time and reviews the trainer.
  const next = moved.body.next as { taskId: string; type: string; assigneeId: string }[];
  expect(next.map((t) => [t.type, t.assigneeId]).sort()).toEqual([
    ['session_schedule', people.hrOfficer.id],
    ['session_trainer_review', people.hrOfficer.id],
  ]);
  const open = await stack.db.task.findMany({ where: { flowId: s.flowId, status: 'open' } });
  expect(open.map((t) => t.id).sort()).toEqual(next.map((t) => t.taskId).sort());
  expect(open.map((t) => t.stepKey).sort()).toEqual(['v2/schedule', 'v2/trainer-review-2']);

  // Changing participants opens nothing, and says so.
  const changed = await post(s.id, 'participants', 'hrOfficer', { add: [people.engineer.id] });
  expect(changed.body).toMatchObject({ next: [] });
});

test('feedback, a report or a note from someone the session does not expect it from is refused as theirs to give, not as "later"', async () => {
  const { sessions } = await approvedPlan([{ startsIn: 15, endsIn: 16 }], SOON);
  const s = sessions[0]!;
  await sessionStatus(s.id, 'signing_in');
  const onPaper = await post(s.id, 'attendance', 'trainer', { participantId: people.collectorA.id, attendance: 'present', reason: '纸质签到 signed on paper' });
  expect(onPaper.status).toBe(200);
  // Before the end: the report is the trainer's to give (later), not another HR officer's.
  const notTheirs = await post(s.id, 'report', 'hrAssistant', { covered: 'x' });
  expectProblem(notTheirs, 403);
  expect(notTheirs.body.detail).toContain('trainer');
  expectProblem(await post(s.id, 'report', 'trainer', { covered: 'x' }), 409);
  expectProblem(await post(s.id, 'notes', 'collectorA', { category: 'issue', text: 'x' }), 403);

  expect((await post(s.id, 'close-sign-in', 'trainer', {})).status).toBe(200);
  await sessionStatus(s.id, 'feedback');
  const ratings = { content: 4, method: 4, trainer: 5, usefulness: 4 };
  const stranger = await post(s.id, 'feedback', 'engineer', ratings);
  expectProblem(stranger, 403);
  expect(stranger.body.detail).toContain('not a participant');
  const absentee = await post(s.id, 'feedback', 'collectorC', ratings);
  expectProblem(absentee, 403);
  expect(absentee.body.detail).toContain('absent');
  expect((await post(s.id, 'feedback', 'collectorA', ratings)).status).toBe(200);
  const again = await post(s.id, 'feedback', 'collectorA', ratings);
  expectProblem(again, 409);
  expect(again.body.detail).toContain('already');
}, 90_000);

describe('the administrative owner who prepares the room', () => {
  const checklistOwner = async (flowId: string) => (await taskOf(flowId, 'session_preparation')).assigneeId;

  test('is the department’s by default, the plan’s or the session’s when HR names one, and the session shows who it is', async () => {
    const byDepartment = (await approvedPlan([{ startsIn: 3600, endsIn: 7200 }], FAR)).sessions[0]!;
    expect(await checklistOwner(byDepartment.flowId)).toBe(people.hrAssistant.id);

    const named = (c: PlanContent): PlanContent => ({
      ...c,
      resources: { ...c.resources, adminOwnerId: people.serviceRep.id },
      sessions: c.sessions.map((x, i) => (i === 0 ? { ...x, adminOwnerId: people.engineer.id, modules: [1] } : x)),
    });
    const { planId, sessions } = await approvedPlan([{ startsIn: 3600, endsIn: 7200 }, { startsIn: 9000, endsIn: 12_600 }], FAR, named);
    expect(await checklistOwner(sessions[0]!.flowId)).toBe(people.engineer.id);
    expect(await checklistOwner(sessions[1]!.flowId)).toBe(people.serviceRep.id);
    const shown = await api().get(`/api/v1/training-sessions/${sessions[0]!.id}`).set(as('hrOfficer'));
    expect(shown.body.adminOwnerId).toBe(people.engineer.id);

    // A repeat session names its own owner.
    const repeat = await repeatSession(planId, { adminOwnerId: people.serviceHead.id, settings: { sessions: FAR } });
    expect(repeat.status).toBe(201);
    expect(await checklistOwner(repeat.body.flowId)).toBe(people.serviceHead.id);
  }, 90_000);

  test('named, must be an active employee: a 422 names the field, and nothing is written', async () => {
    const plans = await stack.db.trainingPlan.count();
    const resources = { ...planContent().resources, adminOwnerId: 'nobody' };
    expectProblem(await createPlan({ title: '无效负责人', departmentId: 'dept-collection', content: { resources } }), 422, ['content.resources.adminOwnerId']);
    expect(await stack.db.trainingPlan.count()).toBe(plans);

    const draft = await createPlan({ title: '草稿', departmentId: 'dept-collection', content: {} });
    const sessions = [{ ...planContent().sessions[0], adminOwnerId: 'nobody' }];
    const edit = await api().put(`/api/v1/training-plans/${draft.body.id}`).set(as('hrOfficer')).send({ content: { sessions } });
    expectProblem(edit, 422, ['content.sessions.0.adminOwnerId']);
    expect(await stack.db.trainingPlan.findUniqueOrThrow({ where: { id: draft.body.id } })).toMatchObject({ draftRevision: 1, draft: {} });

    const { planId } = await approvedPlan([{ startsIn: 3600, endsIn: 7200 }], FAR);
    expectProblem(await repeatSession(planId, { adminOwnerId: 'nobody' }), 422, ['adminOwnerId']);
    expect(await stack.db.trainingSession.count({ where: { planId } })).toBe(1);
  }, 60_000);

  test('falls back to the first active admin when neither the plan nor its department names one', async () => {
    const department = { id: 'dept-collection' };
    const { adminOwnerId } = await stack.db.department.findUniqueOrThrow({ where: department });
    await stack.db.department.update({ where: department, data: { adminOwnerId: null } });
    try {
      const s = (await approvedPlan([{ startsIn: 3600, endsIn: 7200 }], FAR)).sessions[0]!;
      expect(await checklistOwner(s.flowId)).toBe(people.admin.id);
    } finally {
      await stack.db.department.update({ where: department, data: { adminOwnerId } });
    }
  });
});

test('the plan’s roll-up of its sessions is published in its OpenAPI schema', () => {
  const schemas = openApiDocument().components!.schemas! as Record<string, { properties?: Record<string, unknown> }>;
  const rollUp = JSON.stringify(schemas.TrainingPlan!.properties!.sessionSummary ?? null);
  for (const field of ['sessions', 'attendanceRate', 'punctuality', 'responseRate', 'ratings', 'overall']) expect(rollUp).toContain(`"${field}"`);
});
