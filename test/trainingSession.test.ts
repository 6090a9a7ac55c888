/**
 * Training sessions (DOMAIN.md §3) over real HTTP, Temporal and PostgreSQL: from the plan's
 * approval through preparation, sign-in and feedback to the stored summary, with second-scale
 * durations. Tests wait for the session's own events (its status, its tasks), never sleep.
 */
import { openTasks, eventually, people, planContent } from './support/fixtures';
import { apiTestStack, expectProblem, type Who } from './support/http';
import { onKillableWorker } from './support/killableWorker';
import { holdRows } from './support/rowLock';
import { inSeconds, participants, sessionKit } from './support/sessions';
import { flowState } from '../workflows/messages';

const testStack = apiTestStack();
const { stack, as, api } = testStack;
const { submittedPlan, sessionsOnRecord, decide, approvedPlan, sessionStatus, taskOf, prepare, code } = sessionKit(testStack);

test('from the approval through preparation, sign-in and feedback to the stored summary', async () => {
  // The windows themselves are under test here, so they run on the clock: wide enough for a loaded
  // machine (preparation within 28 s, a late sign-in within 14 s).
  const { planId, sessions } = await approvedPlan([{ startsIn: 40, endsIn: 60 }], { leadTime: 'PT35S', criticalBefore: 'PT1S', signInOpensBefore: 'PT12S', signInClosesAfter: 'PT15S', lateAfter: 'PT1S', codeRotation: 'PT5M', feedbackPeriod: 'PT2M' });
  const session = sessions[0]!;
  expect(session).toMatchObject({ sessionNo: 1, trainerId: people.trainer.id, status: 'scheduled' });
  expect(await stack.db.sessionParticipant.count({ where: { sessionId: session.id } })).toBe(3);

  // Preparation: three tasks in three inboxes; the confirmation invites everyone with an .ics.
  await prepare(session.flowId);
  const invitations = await eventually(async () => {
    const n = await stack.db.notification.findMany({ where: { flowId: session.flowId, template: 'session_invitation' } });
    return n.length > 0 ? n : undefined;
  }, 'the invitations');
  const invited = new Set(invitations.map((n) => n.recipientId));
  for (const id of [...participants, people.collectionHead.id, people.trainer.id]) expect(invited).toContain(id);
  expect((invitations[0]!.params as { ics: string }).ics).toContain('BEGIN:VEVENT');
  expect((await stack.db.trainingSession.findUniqueOrThrow({ where: { id: session.id } })).preparation).toEqual({ schedule: 'confirmed', checklist: 'done', trainer: 'approved' });

  // Sign-in: on time, twice (counted once), with a wrong code, by someone not taking part.
  await sessionStatus(session.id, 'signing_in');
  const signIn = (who: Who, c: string) => api().post(`/api/v1/training-sessions/${session.id}/sign-in`).set(as(who)).send({ code: c });
  const c1 = await code(session.id);
  expect((await signIn('collectorA', c1)).body).toMatchObject({ attendance: 'present', counted: true });
  expect((await signIn('collectorA', c1)).body).toMatchObject({ attendance: 'present', counted: false });
  const wrong = await signIn('collectorB', c1 === '000000' ? '000001' : '000000');
  expectProblem(wrong, 422);
  expect(wrong.body.detail).toContain('code');
  expectProblem(await signIn('engineer', c1), 403);

  // Late: after the grace period, before the window closes.
  await eventually(async () => (Date.now() > Date.parse(session.startsAt.toISOString()) + 1500 ? true : undefined), 'the grace period over');
  expect((await signIn('collectorB', await code(session.id))).body).toMatchObject({ attendance: 'late' });

  // The window closes: collectorC is absent and their manager told.
  await sessionStatus(session.id, 'in_progress');
  expect((await stack.db.sessionParticipant.findUniqueOrThrow({ where: { sessionId_employeeId: { sessionId: session.id, employeeId: people.collectorC.id } } })).attendance).toBe('absent');
  const toManager = await stack.db.notification.findFirst({ where: { flowId: session.flowId, template: 'session_absent', recipientId: people.collectionHead.id } });
  expect(toManager?.params).toMatchObject({ name: people.collectorC.name });
  const closed = await signIn('collectorC', await code(session.id));
  expectProblem(closed, 409);
  expect(closed.body.detail).toContain('closed');

  // A note while it runs.
  expect((await api().post(`/api/v1/training-sessions/${session.id}/notes`).set(as('trainer')).send({ category: 'participation', text: '积极参与 Took part actively', participantId: people.collectorA.id })).status).toBe(200);

  // Feedback from both attendees and the trainer's report: the summary is stored, per session and per plan.
  await sessionStatus(session.id, 'feedback');
  const feedback = (who: Who, r: number) => api().post(`/api/v1/training-sessions/${session.id}/feedback`).set(as(who)).send({ content: r, method: r, trainer: r, usefulness: r });
  expectProblem(await feedback('collectorC', 5), 403); // absent: not theirs to give
  expect((await feedback('collectorA', 5)).status).toBe(200);
  expect((await feedback('collectorB', 3)).status).toBe(200);
  expect((await api().post(`/api/v1/training-sessions/${session.id}/report`).set(as('trainer')).send({ covered: 'Scripts and objections', deviations: 'Role play shortened' })).status).toBe(200);
  await sessionStatus(session.id, 'completed');
  expect(await stack.db.flow.findUniqueOrThrow({ where: { id: session.flowId } })).toMatchObject({ status: 'completed', closedAt: expect.any(Date) });
  const done = await stack.db.trainingSession.findUniqueOrThrow({ where: { id: session.id } });
  expect(done.summary).toMatchObject({ participants: 3, attended: 2, late: 1, absent: 1, attendanceRate: 0.667, punctuality: 0.5, responses: 2, responseRate: 1, ratings: { content: 4, overall: 4 } });
  expect((await stack.db.trainingPlan.findUniqueOrThrow({ where: { id: planId } })).sessionSummary).toMatchObject({ sessions: 1, attended: 2, responses: 2 });
  const handed = await stack.db.auditEvent.findFirstOrThrow({ where: { flowId: session.flowId, action: 'session.attendees_handed_over' } });
  expect((handed.payload as { attendees: string[] }).attendees.sort()).toEqual([people.collectorA.id, people.collectorB.id].sort());

  // The session as staff and as a participant see it.
  const view = await api().get(`/api/v1/training-sessions/${session.id}`).set(as('trainer'));
  expect(view.body.participants).toHaveLength(3);
  expect(view.body.signInSecret).toBeUndefined();
  const own = await api().get(`/api/v1/training-sessions/${session.id}`).set(as('collectorA'));
  expect(own.body.participants).toEqual([expect.objectContaining({ employeeId: people.collectorA.id, attendance: 'present' })]);
  const plan = (await api().get(`/api/v1/training-plans/${planId}`).set(as('hrOfficer'))).body;
  expect(plan.sessions).toEqual([expect.objectContaining({ id: session.id, status: 'completed' })]);
  // The plan's roll-up, as its published view carries it.
  expect(plan.sessionSummary).toMatchObject({ sessions: 1, participants: 3, attendanceRate: 0.667, punctuality: 0.5, responseRate: 1, ratings: { overall: 4 } });
}, 180_000);

test('a plan with three sessions starts three flows, each once, even when the approval is written again by another worker', async () => {
  const far = { leadTime: 'P1D', signInOpensBefore: 'PT30M' };
  let planId = '';
  await onKillableWorker(stack, async (worker) => {
    const submitted = await submittedPlan([{ startsIn: 3600, endsIn: 7200 }, { startsIn: 90_000, endsIn: 93_600 }, { startsIn: 180_000, endsIn: 183_600 }], far);
    planId = submitted.planId;
    const director = (await decide(submitted.task.taskId, 'collectionHead', 'approve')).next[0];
    // The approval's write waits for a row lock; the worker dies in it and another writes it again.
    await worker.killMidWrite('SELECT id FROM training_plan WHERE id = $1 FOR UPDATE', [planId], async () =>
      api().post(`/api/v1/tasks/${director.taskId}/decision`).set(as('hrDirector')).send({ decision: 'approve' }),
    );
  });
  const sessions = await sessionsOnRecord(planId, 3);
  expect(sessions.map((s) => s.sessionNo)).toEqual([1, 2, 3]);
  for (const s of sessions) {
    const runs = [];
    for await (const run of stack.client.workflow.list({ query: `WorkflowId = '${s.flowId}'` })) runs.push(run);
    expect(runs).toHaveLength(1);
    // Each session's preparation asked once: schedule, checklist, trainer review.
    await openTasks(stack.db, s.flowId, 3);
    expect(await stack.db.task.count({ where: { flowId: s.flowId } })).toBe(3);
  }
  const plan = await stack.db.trainingPlan.findUniqueOrThrow({ where: { id: planId } });
  expect(plan.status).toBe('approved');
  expect(await stack.db.auditEvent.count({ where: { flowId: plan.flowId!, action: 'plan.approved' } })).toBe(1);
}, 90_000);

test('sign-in before the window opens is refused with the time it opens; preparation still open near the start goes to HR as critical', async () => {
  const { sessions } = await approvedPlan([{ startsIn: 3600, endsIn: 7200 }], { signInOpensBefore: 'PT30M', leadTime: 'PT59M', criticalBefore: 'PT3597S' });
  const s = sessions[0]!;
  const late = await eventually(async () => (await stack.db.notification.findFirst({ where: { flowId: s.flowId, template: 'session_preparation_late' } })) ?? undefined, 'the critical notice');
  expect(late).toMatchObject({ recipientId: people.hrOfficer.id, critical: true });
  expect((late.params as { open: string }).open).toContain('checklist');
  const early = await api().post(`/api/v1/training-sessions/${s.id}/sign-in`).set(as('collectorA')).send({ code: await code(s.id) });
  expectProblem(early, 409);
  expect(early.body.detail).toContain('sign-in opens at');
});

test('a reschedule re-arms every timer at the new time and tells everyone; nothing fires at the old one', async () => {
  const { sessions } = await approvedPlan([{ startsIn: 20, endsIn: 23 }], { leadTime: 'PT15S', criticalBefore: 'PT1S', signInOpensBefore: 'PT2S', signInClosesAfter: 'PT1S', lateAfter: 'PT1S', feedbackPeriod: 'PT1M' });
  const s = sessions[0]!;
  await decide((await taskOf(s.flowId, 'session_schedule')).id, 'hrOfficer', 'confirm');
  const moved = await api().post(`/api/v1/training-sessions/${s.id}/reschedule`).set(as('hrOfficer')).send({ startsAt: inSeconds(3600), endsAt: inSeconds(7200), reason: '讲师出差 trainer travelling' });
  expect(moved.status).toBe(200);
  expect(moved.body).toMatchObject({ version: 2 });
  // HR confirms the new schedule; the old time passes without sign-in opening.
  const again = await taskOf(s.flowId, 'session_schedule');
  expect(again.stepKey).toBe('v2/schedule');
  const told = await stack.db.notification.count({ where: { flowId: s.flowId, template: 'session_rescheduled' } });
  expect(told).toBeGreaterThanOrEqual(4);
  await eventually(async () => (Date.now() > Date.parse(s.endsAt.toISOString()) + 2000 ? true : undefined), 'the old end passed', 30_000);
  const row = await stack.db.trainingSession.findUniqueOrThrow({ where: { id: s.id } });
  expect(row).toMatchObject({ status: 'scheduled', scheduleVersion: 2, preparation: expect.objectContaining({ schedule: 'open' }) });
  expect(await stack.db.auditEvent.count({ where: { flowId: s.flowId, action: { in: ['session.signing_in', 'session.absentees_recorded', 'session.preparation_late'] } } })).toBe(0);
  // Only HR moves a session.
  expectProblem(await api().post(`/api/v1/training-sessions/${s.id}/reschedule`).set(as('collectorA')).send({ startsAt: inSeconds(7200), endsAt: inSeconds(9000), reason: 'x' }), 403);
}, 60_000);

test('a cancellation closes every open task and tells everyone', async () => {
  const { sessions } = await approvedPlan([{ startsIn: 3600, endsIn: 7200 }], { leadTime: 'PT30M' });
  const s = sessions[0]!;
  await taskOf(s.flowId, 'session_preparation');
  await decide((await taskOf(s.flowId, 'session_schedule')).id, 'hrOfficer', 'confirm');
  const cancelled = await api().post(`/api/v1/training-sessions/${s.id}/cancel`).set(as('hrOfficer')).send({ reason: '报名不足 too few participants' });
  expect(cancelled.status).toBe(200);
  expect((await stack.db.trainingSession.findUniqueOrThrow({ where: { id: s.id } })).status).toBe('cancelled');
  expect(await stack.db.task.count({ where: { flowId: s.flowId, status: 'open' } })).toBe(0);
  expect(await stack.db.notification.count({ where: { flowId: s.flowId, template: 'session_cancelled' } })).toBeGreaterThanOrEqual(4);
  const ics = await api().get(`/api/v1/training-sessions/${s.id}/calendar.ics`).set(as('collectorA'));
  expect(ics.text).toContain('METHOD:CANCEL');
});

test('a rejected trainer is replaced through a task, then reviewed again', async () => {
  const { sessions } = await approvedPlan([{ startsIn: 3600, endsIn: 7200 }], { leadTime: 'PT30M' });
  const s = sessions[0]!;
  await decide((await taskOf(s.flowId, 'session_trainer_review')).id, 'hrOfficer', 'reject', '资质不符 not certified');
  await taskOf(s.flowId, 'session_trainer_replace');
  expectProblem(await api().post(`/api/v1/training-sessions/${s.id}/trainer`).set(as('hrOfficer')).send({ trainerId: 'nobody' }), 422, ['trainerId']);
  const named = await api().post(`/api/v1/training-sessions/${s.id}/trainer`).set(as('hrOfficer')).send({ trainerId: people.hrAssistant.id });
  expect(named.status).toBe(200);
  expect(named.body.next).toEqual([expect.objectContaining({ type: 'session_trainer_review' })]);
  expect((await stack.db.trainingSession.findUniqueOrThrow({ where: { id: s.id } })).trainerId).toBe(people.hrAssistant.id);
});

test('the trainer records attendance by hand, audited as acting for the participant', async () => {
  const { sessions } = await approvedPlan([{ startsIn: 4, endsIn: 3600 }], { leadTime: 'PT2S', criticalBefore: 'PT1S', signInOpensBefore: 'PT3S', signInClosesAfter: 'PT30M', lateAfter: 'PT20M' });
  const s = sessions[0]!;
  await sessionStatus(s.id, 'signing_in');
  const byHand = await api().post(`/api/v1/training-sessions/${s.id}/attendance`).set(as('trainer')).send({ participantId: people.collectorB.id, attendance: 'present', reason: '手机没电 phone flat' });
  expect(byHand.status).toBe(200);
  const audit = await stack.db.auditEvent.findFirstOrThrow({ where: { flowId: s.flowId, action: 'session.attendance_recorded' } });
  expect(audit).toMatchObject({ actorId: people.trainer.id, onBehalfOfId: people.collectorB.id });
  expectProblem(await api().post(`/api/v1/training-sessions/${s.id}/attendance`).set(as('trainer')).send({ participantId: people.collectorB.id, attendance: 'present' }), 400, ['reason']);
  expectProblem(await api().post(`/api/v1/training-sessions/${s.id}/attendance`).set(as('collectorA')).send({ participantId: people.collectorB.id, attendance: 'present', reason: 'x' }), 403);

  // A monitor HR names logs notes too; a participant cannot monitor, nor can others log notes.
  expectProblem(await api().post(`/api/v1/training-sessions/${s.id}/monitor`).set(as('hrOfficer')).send({ monitorId: people.collectorA.id }), 422);
  expectProblem(await api().post(`/api/v1/training-sessions/${s.id}/monitor`).set(as('trainer')).send({ monitorId: people.serviceHead.id }), 403);
  expect((await api().post(`/api/v1/training-sessions/${s.id}/monitor`).set(as('hrOfficer')).send({ monitorId: people.serviceHead.id })).status).toBe(200);
  expect((await api().post(`/api/v1/training-sessions/${s.id}/notes`).set(as('serviceHead')).send({ category: 'issue', text: '空调太冷 too cold' })).status).toBe(200);
  expectProblem(await api().post(`/api/v1/training-sessions/${s.id}/notes`).set(as('serviceRep')).send({ category: 'issue', text: 'x' }), 403);
  expect(await stack.db.sessionNote.count({ where: { sessionId: s.id, authorId: people.serviceHead.id } })).toBe(1);
});

test('the trainer closes sign-in when the class begins: a sign-in being written counts, the rest are absent, later ones are refused', async () => {
  const { sessions } = await approvedPlan([{ startsIn: 4, endsIn: 3600 }], { leadTime: 'PT2S', criticalBefore: 'PT1S', signInOpensBefore: 'PT3S', signInClosesAfter: 'PT30M', lateAfter: 'PT20M' });
  const s = sessions[0]!;
  const close = async (who: Who) => api().post(`/api/v1/training-sessions/${s.id}/close-sign-in`).set(as(who)).send({});
  await sessionStatus(s.id, 'signing_in');
  expectProblem(await close('collectorA'), 403); // a participant
  expectProblem(await close('hrAssistant'), 403); // HR, but not the officer running this session

  // collectorB's sign-in is being written when the trainer closes: it is on record as present.
  const lock = await holdRows(stack.dbUrl, 'SELECT 1 FROM session_participant WHERE session_id = $1 AND employee_id = $2 FOR UPDATE', [s.id, people.collectorB.id]);
  const signIn = async (who: Who) => api().post(`/api/v1/training-sessions/${s.id}/sign-in`).set(as(who)).send({ code: await code(s.id) });
  const signingIn = signIn('collectorB');
  await lock.waitedFor();
  const closing = close('trainer');
  await lock.release();
  expect((await signingIn).body).toMatchObject({ attendance: 'present', counted: true });
  const closed = await closing;
  expect(closed.status).toBe(200);
  expect(closed.body.absent).toBe(2);

  const attendance = await stack.db.sessionParticipant.findMany({ where: { sessionId: s.id }, orderBy: { employeeId: 'asc' } });
  expect(Object.fromEntries(attendance.map((p) => [p.employeeId, p.attendance]))).toEqual({ [people.collectorA.id]: 'absent', [people.collectorB.id]: 'present', [people.collectorC.id]: 'absent' });
  expect((await stack.db.trainingSession.findUniqueOrThrow({ where: { id: s.id } })).status).toBe('in_progress');
  expect(await stack.db.auditEvent.findFirstOrThrow({ where: { flowId: s.flowId, action: 'session.sign_in_closed' } })).toMatchObject({ actorId: people.trainer.id });
  expect(await stack.db.notification.count({ where: { flowId: s.flowId, template: 'session_absent', recipientId: people.collectionHead.id } })).toBeGreaterThan(0);

  const late = await signIn('collectorA');
  expectProblem(late, 409);
  expect(late.body.detail).toContain('closed');
  expectProblem(await close('hrOfficer'), 409);
  expect(await stack.db.auditEvent.count({ where: { flowId: s.flowId, action: 'session.sign_in_closed' } })).toBe(1);
});

test('feedback not given is chased, and closes at its deadline with what came in', async () => {
  const chasing = { session_feedback: { remindAfter: 'PT1S', remindEvery: 'PT1S', maxReminders: 2, escalateAfter: 'PT1M', escalateTo: [] } };
  const base = planContent(1_200_000);
  const content = {
    ...base,
    cycle: { startsOn: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10), endsOn: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10) },
    sessions: [{ title: 'Short', startsAt: inSeconds(8), endsAt: inSeconds(9), trainerId: people.trainer.id }],
    participantIds: [people.collectorA.id, people.collectorB.id],
  };
  const plan = await api().post('/api/v1/training-plans').set(as('hrOfficer')).send({ title: '反馈催办', departmentId: 'dept-collection', content });
  const submitted = await api().post(`/api/v1/training-plans/${plan.body.id}/submit`).set(as('hrOfficer')).send({ settings: { chasing, sessions: { leadTime: 'PT6S', criticalBefore: 'PT1S', signInOpensBefore: 'PT6S', signInClosesAfter: 'PT1S', lateAfter: 'PT1S', feedbackPeriod: 'PT6S' } } });
  let task = submitted.body.next[0];
  for (const who of ['collectionHead', 'hrDirector'] as Who[]) task = (await decide(task.taskId, who, 'approve')).next[0];
  const s = await eventually(async () => (await stack.db.trainingSession.findFirst({ where: { planId: plan.body.id } })) ?? undefined, 'the session');
  await sessionStatus(s.id, 'signing_in');
  for (const p of [people.collectorA.id, people.collectorB.id]) {
    expect((await api().post(`/api/v1/training-sessions/${s.id}/attendance`).set(as('trainer')).send({ participantId: p, attendance: 'present', reason: '纸质签到 signed on paper' })).status).toBe(200);
  }
  const feedbackTask = await taskOf(s.flowId, 'session_feedback', people.collectorB.id);
  // Only collectorA answers, at once (the period is short): collectorB is chased, at the deadline
  // their task closes and the summary counts one response.
  expect((await api().post(`/api/v1/training-sessions/${s.id}/feedback`).set(as('collectorA')).send({ content: 5, method: 4, trainer: 5, usefulness: 4 })).status).toBe(200);
  await eventually(async () => ((await stack.db.auditEvent.count({ where: { taskId: feedbackTask.id, action: 'task.reminded' } })) === 2 ? true : undefined), 'two reminders');
  expect(await stack.db.notification.count({ where: { taskId: feedbackTask.id, template: 'task_reminder', recipientId: people.collectorB.id } })).toBe(2);
  await eventually(async () => ((await stack.db.trainingSession.findUnique({ where: { id: s.id } }))?.summary ? true : undefined), 'the summary', 60_000);
  expect((await stack.db.task.findUniqueOrThrow({ where: { id: feedbackTask.id } })).status).toBe('cancelled');
  expect((await stack.db.trainingSession.findUniqueOrThrow({ where: { id: s.id } })).summary).toMatchObject({ attended: 2, responses: 1, responseRate: 0.5, ratings: { content: 5 } });
}, 90_000);

test('the worker killed with SIGKILL while a sign-in is being written: the retried sign-in counts once, nothing is lost', async () => {
  await onKillableWorker(stack, async (worker) => {
    const { sessions } = await approvedPlan([{ startsIn: 30, endsIn: 3600 }], { leadTime: 'PT20S', criticalBefore: 'PT1S', signInOpensBefore: 'PT25S', signInClosesAfter: 'PT30M', lateAfter: 'PT20M' });
    const s = sessions[0]!;
    await sessionStatus(s.id, 'signing_in');
    const signIn = async () => api().post(`/api/v1/training-sessions/${s.id}/sign-in`).set(as('collectorA')).send({ code: await code(s.id) });
    // The sign-in's write waits for a row lock, so the worker dies in the middle of it.
    const first = await worker.killMidWrite('SELECT 1 FROM session_participant WHERE session_id = $1 AND employee_id = $2 FOR UPDATE', [s.id, people.collectorA.id], signIn);
    expect(first.status).toBe(503); // within the stated bound; the answer says to repeat it

    expect((await signIn()).body).toMatchObject({ attendance: 'present' });
    expect((await signIn()).body).toMatchObject({ attendance: 'present', counted: false });
    expect(await stack.db.auditEvent.count({ where: { flowId: s.flowId, action: 'session.signed_in' } })).toBe(1);
    expect((await stack.db.sessionParticipant.findUniqueOrThrow({ where: { sessionId_employeeId: { sessionId: s.id, employeeId: people.collectorA.id } } })).attendance).toBe('present');
    // The rest of the session is intact: its other participants still expected, one session only.
    expect(await stack.db.sessionParticipant.count({ where: { sessionId: s.id, attendance: 'expected' } })).toBe(2);
    expect(await stack.db.trainingSession.count({ where: { planId: s.planId } })).toBe(1);
  });
}, 90_000);

describe('two people at once', () => {
  test('a participant signing in on two devices at once is counted once', async () => {
    const { sessions } = await approvedPlan([{ startsIn: 4, endsIn: 3600 }], { leadTime: 'PT2S', criticalBefore: 'PT1S', signInOpensBefore: 'PT3S', signInClosesAfter: 'PT30M', lateAfter: 'PT20M' });
    const s = sessions[0]!;
    await sessionStatus(s.id, 'signing_in');
    const c = await code(s.id);
    const signIn = async (who: Who) => api().post(`/api/v1/training-sessions/${s.id}/sign-in`).set(as(who)).send({ code: c });
    // While collectorB's sign-in is being written, the flow takes no message; the two that arrive
    // meanwhile reach it together, so the second finds the first in flight.
    const lock = await holdRows(stack.dbUrl, 'SELECT 1 FROM session_participant WHERE session_id = $1 AND employee_id = $2 FOR UPDATE', [s.id, people.collectorB.id]);
    const other = signIn('collectorB');
    await lock.waitedFor();
    const sending = Promise.all([signIn('collectorA'), signIn('collectorA')]);
    await new Promise((resolve) => setTimeout(resolve, 300)); // either order must count collectorA once
    await lock.release();
    const both = await sending;
    expect((await other).body).toMatchObject({ counted: true });
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    expect(both.map((r) => r.body.counted).sort()).toEqual([false, true]);
    expect(both.map((r) => r.body.attendance)).toEqual(['present', 'present']);
    expect(await stack.db.auditEvent.count({ where: { flowId: s.flowId, action: 'session.signed_in', actorId: people.collectorA.id } })).toBe(1);
    const live = await stack.client.workflow.getHandle(s.flowId).query(flowState);
    expect(live.details).toMatchObject({ attended: await stack.db.sessionParticipant.count({ where: { sessionId: s.id, attendance: { in: ['present', 'late'] } } }) });
  });

  test('two HR officers move the session from what they both saw: one move applies, the other is refused with the new schedule', async () => {
    const { sessions } = await approvedPlan([{ startsIn: 3600, endsIn: 7200 }], { leadTime: 'PT30M' });
    const s = sessions[0]!;
    await taskOf(s.flowId, 'session_schedule');
    const move = async (who: Who, hours: number) =>
      api().post(`/api/v1/training-sessions/${s.id}/reschedule`).set(as(who)).send({ startsAt: inSeconds(hours * 3600), endsAt: inSeconds(hours * 3600 + 1800), reason: '会议室冲突 room taken', version: 1 });
    const answers = await Promise.all([move('hrOfficer', 2), move('hrAssistant', 3)]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const applied = answers.find((r) => r.status === 200)!;
    const refused = answers.find((r) => r.status === 409)!;
    expect(applied.body).toMatchObject({ version: 2 });
    expect(refused.body.detail).toMatch(/moved meanwhile|rescheduling/);

    // The flow and the database hold the one move that applied, told once.
    const row = await stack.db.trainingSession.findUniqueOrThrow({ where: { id: s.id } });
    expect(row).toMatchObject({ scheduleVersion: 2, startsAt: new Date(applied.body.startsAt) });
    const live = await stack.client.workflow.getHandle(s.flowId).query(flowState);
    expect(live.details).toMatchObject({ schedule: { version: 2, startsAt: applied.body.startsAt } });
    expect(await stack.db.auditEvent.count({ where: { flowId: s.flowId, action: 'session.rescheduled' } })).toBe(1);

    // A move from the version now shown applies; one from the old version is refused, naming it.
    const stale = await move('hrAssistant', 4);
    expectProblem(stale, 409);
    expect(stale.body.detail).toContain('now version 2');
    const fresh = await api().post(`/api/v1/training-sessions/${s.id}/reschedule`).set(as('hrAssistant')).send({ startsAt: inSeconds(5 * 3600), endsAt: inSeconds(6 * 3600), reason: 'x', version: 2 });
    expect(fresh.body).toMatchObject({ version: 3 });
  });
});

describe('the API', () => {
  test('bad input, missing token and wrong role', async () => {
    expectProblem(await api().get('/api/v1/training-sessions'), 401);
    expectProblem(await api().get('/api/v1/training-sessions/not-a-uuid').set(as('hrOfficer')), 400, ['params.id']);
    expectProblem(await api().get('/api/v1/training-sessions?from=2027-01-02T00:00:00Z&to=2027-01-01T00:00:00Z').set(as('hrOfficer')), 400, ['query.to']);
    const { planId, sessions } = await approvedPlan([{ startsIn: 7200, endsIn: 9000 }], { leadTime: 'PT30M' });
    const s = sessions[0]!;
    expectProblem(await api().get(`/api/v1/training-sessions/${s.id}/sign-in-code`).set(as('collectorA')), 403);
    expectProblem(await api().get(`/api/v1/training-sessions/${s.id}`).set(as('engineer')), 403);
    expectProblem(await api().post(`/api/v1/training-sessions/${s.id}/reschedule`).set(as('collectorA')).send({ startsAt: inSeconds(7200), endsAt: inSeconds(9000), reason: 'x' }), 403);
    expectProblem(await api().post(`/api/v1/training-sessions/${s.id}/reschedule`).set(as('hrOfficer')).send({ startsAt: inSeconds(9000), endsAt: inSeconds(7200), reason: 'x' }), 400, ['endsAt']);
    expectProblem(await api().post(`/api/v1/training-sessions/${s.id}/participants`).set(as('hrOfficer')).send({ add: ['nobody-1', 'nobody-2'] }), 422, ['add']);
    expectProblem(await api().post(`/api/v1/training-sessions/${s.id}/sign-in`).set(as('collectorA')).send({ code: '12ab' }), 400, ['code']);
    expectProblem(await api().post(`/api/v1/training-sessions/${s.id}/feedback`).set(as('collectorA')).send({ content: 6, method: 0, trainer: 3, usefulness: 3 }), 400, ['content', 'method']);

    // HR adds and removes people until sign-in opens.
    const changed = await api().post(`/api/v1/training-sessions/${s.id}/participants`).set(as('hrOfficer')).send({ add: [people.engineer.id], remove: [people.collectorC.id] });
    expect(changed.status).toBe(200);
    expect(changed.body.participants.sort()).toEqual([people.collectorA.id, people.collectorB.id, people.engineer.id].sort());

    // The calendar: staff see the session, a participant theirs, someone else none.
    const calendar = await api().get(`/api/v1/training-sessions?planId=${planId}`).set(as('hrOfficer'));
    expect(calendar.body).toMatchObject({ total: 1, items: [expect.objectContaining({ id: s.id })] });
    expect(calendar.body.items[0].signInSecret).toBeUndefined();
    expect((await api().get(`/api/v1/training-sessions?planId=${planId}`).set(as('engineer'))).body.total).toBe(1);
    expect((await api().get(`/api/v1/training-sessions?planId=${planId}`).set(as('collectorC'))).body.total).toBe(0);

    // The sign-in code, its QR code and the calendar file.
    const c = await api().get(`/api/v1/training-sessions/${s.id}/sign-in-code`).set(as('trainer'));
    expect(c.body).toMatchObject({ code: expect.stringMatching(/^\d{6}$/), link: expect.stringContaining(`/sign-in/${s.id}?code=`) });
    const svg = await api().get(`/api/v1/training-sessions/${s.id}/sign-in-code.svg`).set(as('hrOfficer'));
    expect(svg.type).toBe('image/svg+xml');
    expect(String(svg.body ?? svg.text)).toContain('<svg');
    const png = await api().get(`/api/v1/training-sessions/${s.id}/sign-in-code.png`).set(as('trainer'));
    expect(png.type).toBe('image/png');
    expect((await api().get(`/api/v1/training-sessions/${s.id}/calendar.ics`).set(as('engineer'))).text).toContain('BEGIN:VCALENDAR');

    // A repeat session on the approved plan: the next number, its own flow.
    const repeat = await api().post(`/api/v1/training-plans/${planId}/sessions`).set(as('hrOfficer')).send({ title: '补课 Repeat', startsAt: inSeconds(90_000), endsAt: inSeconds(93_600), settings: { sessions: { leadTime: 'PT30M' } } });
    expect(repeat.status).toBe(201);
    expect(repeat.body).toMatchObject({ sessionNo: 2 });
    expect(await stack.db.trainingSession.count({ where: { planId } })).toBe(2);
    expectProblem(await api().post(`/api/v1/training-plans/${planId}/sessions`).set(as('collectorA')).send({ title: 'x', startsAt: inSeconds(90_000), endsAt: inSeconds(93_600) }), 403);
    expectProblem(await api().post(`/api/v1/training-plans/${planId}/sessions`).set(as('hrOfficer')).send({ title: 'x', startsAt: inSeconds(-60), endsAt: inSeconds(93_600) }), 422, ['startsAt']);
    await openTasks(stack.db, repeat.body.flowId, 3);
  });
});
