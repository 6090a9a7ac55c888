/**
 * Onboarding (DOMAIN.md §6) with the real stack, through HTTP: HR registers four hires at once;
 * their first steps (culture, documents, a real training session of procedure 3, drills, coaching)
 * survive a worker restart; a new document version re-asks only the hires who read it; then each
 * hire's assessment goes its own way: a pass and a first portfolio, a retest, a second fail that
 * ends probation, and one that extends it.
 */
import { Worker } from '@temporalio/worker';
import { DEFAULT_ONBOARDING, onboardingFlowId, type OnboardingSettings } from '../domain/onboarding';
import { eventually, people } from './support/fixtures';
import { apiTestStack, expectProblem, type Who } from './support/http';
import { inSeconds, sessionKit } from './support/sessions';
import { testEnvironment } from './support/environment';

const kit = apiTestStack();
const { stack, as, api } = kit;
const sessions = sessionKit(kit);

/** Steps due an hour on (nothing escalates while the test runs); check-ins seconds apart. */
const ONBOARDING: OnboardingSettings = {
  ...DEFAULT_ONBOARDING,
  due: { culture: 'PT1H', documents: 'PT1H', training: 'PT1H', drills: 'PT1H', coaching: 'PT1H', assessment: 'PT1H' },
  answerWithin: 'PT1H',
  checkInsAt: ['PT2S', 'PT3S', 'PT4S'],
  checkInOpensBefore: 'PT1S',
  coachingMinimum: 2,
  probationExtension: 'PT2S',
  trainingRecheckAfter: 'PT2S',
};
const today = (days = 0) => new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
const drillScores = (s: number) => Object.fromEntries(ONBOARDING.drillCriteria.map((c) => [c.key, s]));

const hires: Record<'a' | 'b' | 'c' | 'd', string> = { a: '', b: '', c: '', d: '' };
const docs = { law: '', duties: '' };
let sessionId = '';

/** A demo person's headers, or a hire's (by id). */
const auth = async (who: Who | string) => (who in people ? as(who as Who) : { Authorization: `Bearer ${await stack.token(who)}` });
const form = async (hireId: string, path: string, who: Who | string, body: object) => api().post(`/api/v1/onboardings/${hireId}/${path}`).set(await auth(who)).send(body);
const ok = async (hireId: string, path: string, who: Who | string, body: object) => {
  const res = await form(hireId, path, who, body);
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
};
const openTask = (hireId: string, stepKey: string) =>
  eventually(async () => (await stack.db.task.findFirst({ where: { flowId: onboardingFlowId(hireId), stepKey, status: 'open' } })) ?? undefined, `${stepKey} open`, 60_000);
const register = (body: object, who: Who = 'hrOfficer') =>
  api().post('/api/v1/onboardings').set(as(who)).send({ departmentId: 'dept-collection', managerId: people.collectionHead.id, trainerId: people.trainer.id, startDate: today(), settings: { onboarding: ONBOARDING }, ...body });
const person = (n: number) => ({ employeeNo: `NH00${n}`, name: `新人${n}`, email: `newhire${n}@example.com` });

test('the document registry; registrations refused with the field and reason, nothing written', async () => {
  const law = await api().post('/api/v1/documents').set(as('hrOfficer')).send({ title: '催收合规法规 Collection law', kind: 'law', summary: '不得骚扰' });
  expect(law.status).toBe(201);
  const duties = await api().post('/api/v1/documents').set(as('hrOfficer')).send({ title: '岗位职责 Duties', kind: 'duties', summary: '催收员职责' });
  [docs.law, docs.duties] = [law.body.id, duties.body.id];
  expectProblem(await api().post('/api/v1/documents').set(as('collectorA')).send({ title: 'x', kind: 'law', summary: 'x' }), 403);
  expect((await api().get('/api/v1/documents').set(as('collectorA'))).body.total).toBe(2);

  const employees = await stack.db.employee.count();
  expectProblem(await register({ person: person(9), departmentId: 'dept-nowhere' }), 422, ['departmentId']);
  expectProblem(await register({ person: person(9), managerId: 'nobody' }), 422, ['managerId']);
  expectProblem(await register({ person: person(9), trainerId: people.collectorB.id }), 422, ['trainerId']);
  expectProblem(await register({ person: person(9), startDate: today(-10) }), 422, ['startDate']);
  expectProblem(await register({ person: person(9), documentIds: ['no-such-doc'] }), 422, ['documentIds']);
  expectProblem(await register({ employeeId: 'no-such-employee' }), 422, ['employeeId']);
  expectProblem(await register({ person: person(9), employeeId: people.collectorC.id }), 400, ['person']);
  const active = await register({ employeeId: people.collectorA.id });
  expectProblem(active, 409);
  expect(active.body.detail).toMatch(/is an active employee/);
  expectProblem(await register({ person: { ...person(9), email: people.collectorB.email } }), 409);
  expectProblem(await register({ person: person(9) }, 'collectionHead'), 403);
  expect(await stack.db.employee.count()).toBe(employees);
  expect(await stack.db.onboarding.count()).toBe(0);
});

test('four hires through their first steps; the training session\'s attendance comes back; a worker restart changes nothing', async () => {
  // A session of procedure 3 an hour ahead, to enrol the hires in; brought forward once they are.
  const { sessions: [session] } = await sessions.approvedPlan([{ startsIn: 3600, endsIn: 3660 }], { leadTime: 'PT30S', criticalBefore: 'PT1S', signInOpensBefore: 'PT10S', signInClosesAfter: 'PT30M', lateAfter: 'PT20M', feedbackPeriod: 'PT5S' });
  sessionId = session!.id;

  const documentIds = { a: [docs.law, docs.duties], b: [docs.law], c: [], d: [docs.duties] };
  const registered = await Promise.all((['a', 'b', 'c', 'd'] as const).map((k, i) => register({ person: person(i + 1), documentIds: documentIds[k] })));
  for (const [i, res] of registered.entries()) {
    expect(res.status).toBe(202);
    hires[(['a', 'b', 'c', 'd'] as const)[i]!] = res.body.employeeId;
  }
  // Once per hire: the same registration again finds the same flow.
  const again = await register({ person: person(1), documentIds: documentIds.a });
  expect(again.body).toEqual(registered[0]!.body);
  expect(await stack.db.employee.count({ where: { status: 'onboarding' } })).toBe(4);

  const { a, b, c, d } = hires;
  // HR enrols them one by one (a session takes one change of participants at a time).
  for (const h of Object.values(hires)) {
    await openTask(h, 'enrolment/1');
    await ok(h, 'training', 'hrOfficer', { sessionId });
  }
  const culture = await openTask(a, 'culture');
  expect(culture.assigneeId).toBe(a);
  expect(culture.dueAt.getTime()).toBeGreaterThan(Date.now());
  expectProblem(await form(a, 'culture', 'collectionHead', { attest: true }), 403);
  expectProblem(await form(a, 'culture', a, { attest: false }), 400, ['attest']);

  await Promise.all(
    Object.values(hires).map(async (h) => {
      await openTask(h, 'culture');
      await ok(h, 'culture', h, { attest: true, statement: '认同' });
      await openTask(h, 'drill/1');
      await openTask(h, 'coaching');
    }),
  );
  // Documents: the current version only, by the hire alone.
  await openTask(a, `document/${docs.law}/v1`);
  expectProblem(await form(a, 'documents', a, { documentId: docs.law, version: 2 }), 422);
  expectProblem(await form(c, 'documents', c, { documentId: docs.law, version: 1 }), 422);
  for (const [h, ids] of [[a, documentIds.a], [b, documentIds.b], [d, documentIds.d]] as const) {
    for (const documentId of ids) {
      await openTask(h, `document/${documentId}/v1`);
      await ok(h, 'documents', h, { documentId, version: 1 });
    }
  }
  expect(await stack.db.documentConfirmation.count()).toBe(4);

  // Drills against the rubric: a criterion missing is refused; a fail asks for another drill.
  expectProblem(await form(a, 'drills', 'trainer', { scenario: '电话催收', scores: { opening: 3 } }), 422);
  expect(await ok(a, 'drills', 'trainer', { scenario: '电话催收', scores: drillScores(2) })).toMatchObject({ drillNo: 1, passed: false, mean: 2 });
  await openTask(a, 'drill/2');
  for (const h of Object.values(hires)) expect(await ok(h, 'drills', 'trainer', { scenario: '上门催收', scores: drillScores(4) })).toMatchObject({ passed: true });

  // Coaching: only the named coach logs it.
  expectProblem(await form(a, 'coaching', 'collectorB', { heldOn: today(), notes: '试图代记' }), 403);
  expectProblem(await form(a, 'coaching', 'trainer', { heldOn: today(2), notes: '还没发生' }), 422);
  for (const h of Object.values(hires)) {
    expect(await ok(h, 'coaching', 'trainer', { heldOn: today(-1), notes: '开场白练习' })).toMatchObject({ sessions: 1, required: 2 });
    expect(await ok(h, 'coaching', 'trainer', { heldOn: today(), notes: '异议处理' })).toMatchObject({ sessions: 2 });
  }

  // No account reaches a hire before they pass; nothing moves.
  const account = await stack.db.account.findFirstOrThrow({ where: { assigneeId: people.collectorB.id } });
  const early = await form(a, 'portfolio', 'collectionHead', { accountIds: [account.id] });
  expectProblem(early, 409);
  expect(early.body.detail).toMatch(/before they pass/);
  expect((await stack.db.account.findUniqueOrThrow({ where: { id: account.id } })).assigneeId).toBe(people.collectorB.id);

  // The worker goes away while the flows wait for the session; they go on where they were.
  await stack.restartWorker();
  expect((await stack.db.sessionParticipant.findMany({ where: { sessionId, employeeId: { in: Object.values(hires) } } })).length).toBe(4);
  // HR brings the session forward (sign-in opens 15 s after the move); all four sign in and the
  // trainer closes sign-in: nothing here waits for a window to open or close on its own.
  const moved = await api().post(`/api/v1/training-sessions/${sessionId}/reschedule`).set(as('hrOfficer')).send({ startsAt: inSeconds(25), endsAt: inSeconds(30), reason: '提前开课 brought forward' });
  expect(moved.status).toBe(200);
  await sessions.sessionStatus(sessionId, 'signing_in');
  const code = await sessions.code(sessionId);
  for (const h of Object.values(hires)) expect((await api().post(`/api/v1/training-sessions/${sessionId}/sign-in`).set(await auth(h)).send({ code })).status).toBe(200);
  // The plan's own three collectors never came.
  expect((await api().post(`/api/v1/training-sessions/${sessionId}/close-sign-in`).set(as('trainer')).send({})).body).toMatchObject({ absent: 3 });

  // Attendance is read once the session ends; then the assessment opens.
  for (const h of Object.values(hires)) await openTask(h, 'assessment/1/1');
  const view = (await api().get(`/api/v1/onboardings/${a}`).set(await auth(a))).body;
  expect(view).toMatchObject({ status: 'open', sessionId, attendance: 'present', hire: { status: 'onboarding' } });
  expect(view.steps.filter((s: { status: string }) => s.status === 'done').map((s: { stepKey: string }) => s.stepKey).sort()).toEqual(
    ['coaching', 'culture', `document/${docs.duties}/v1`, `document/${docs.law}/v1`, 'drill/1', 'drill/2', 'enrolment/1'].sort(),
  );
  // Only the check-ins, due seconds after the start here, are late.
  expect(view.steps.filter((s: { late: boolean }) => s.late).every((s: { stepKey: string }) => /^(check-in|pulse)\//.test(s.stepKey))).toBe(true);
  expect(view.steps.find((s: { stepKey: string }) => s.stepKey === 'culture')).toMatchObject({ late: false, remindersSent: 0, escalationLevel: 0 });
  expect(view.drills.map((x: { passed: boolean }) => x.passed)).toEqual([false, true]);
  expectProblem(await api().get(`/api/v1/onboardings/${a}`).set(as('collectorB')), 403);
}, 240_000);

test('a new version of a document re-asks only the hires who read it', async () => {
  const published = await api().post(`/api/v1/documents/${docs.law}/versions`).set(as('hrOfficer')).send({ summary: '新增录音要求' });
  expect(published.status).toBe(201);
  expect(published.body).toMatchObject({ version: 2, onboardingsTold: 2 });
  await openTask(hires.a, `document/${docs.law}/v2`);
  await openTask(hires.b, `document/${docs.law}/v2`);
  const reasked = await stack.db.task.count({ where: { stepKey: { startsWith: 'document/' }, status: 'open', flowId: { in: [hires.c, hires.d].map(onboardingFlowId) } } });
  expect(reasked).toBe(0);
  expectProblem(await form(hires.a, 'documents', hires.a, { documentId: docs.law, version: 1 }), 422);
  for (const h of [hires.a, hires.b]) await ok(h, 'documents', h, { documentId: docs.law, version: 2 });
  expect(await stack.db.documentConfirmation.count({ where: { documentId: docs.law, version: 2 } })).toBe(2);
});

test('a pass: the hire is active, gets a first portfolio through the handover\'s account move, is checked in on to day 90; the history replays', async () => {
  const a = hires.a;
  expect(await ok(a, 'assessment', 'trainer', { score: 85 })).toMatchObject({ round: 1, attempt: 1, passed: true });
  expect((await stack.db.employee.findUniqueOrThrow({ where: { id: a } })).status).toBe('active');

  await openTask(a, 'portfolio');
  const accounts = await stack.db.account.findMany({ where: { assigneeId: people.collectorB.id }, take: 2, orderBy: { id: 'asc' } });
  expectProblem(await form(a, 'portfolio', 'collectionHead', { accountIds: ['no-such-account'] }), 422, ['accountIds']);
  expectProblem(await form(a, 'portfolio', 'collectorC', { accountIds: accounts.map((x) => x.id) }), 403);
  expect(await ok(a, 'portfolio', 'collectionHead', { accountIds: accounts.map((x) => x.id) })).toMatchObject({ moved: 2 });
  expect(await stack.db.account.count({ where: { assigneeId: a } })).toBe(2);
  const moved = await stack.db.auditEvent.findFirstOrThrow({ where: { flowId: onboardingFlowId(a), action: 'accounts.moved' } });
  expect(moved.payload).toMatchObject({ to: a, moves: accounts.map((x) => ({ accountId: x.id, from: people.collectorB.id })) });

  // The pulse is scored by early warning as it comes: a low second answer is a reason, the better third clears it.
  const riskReasons = async () => ((await stack.db.employeeRisk.findUnique({ where: { employeeId: a } }))?.reasons ?? []) as { key: string; params: object }[];
  for (const checkpoint of [1, 2, 3]) {
    await openTask(a, `check-in/${checkpoint}`);
    await ok(a, 'check-ins', 'collectionHead', { checkpoint, heldOn: today(), progress: 4, notes: '进展顺利' });
    await ok(a, 'pulse', a, { checkpoint, workload: 3, support: 4, confidence: checkpoint === 2 ? 2 : 4, belonging: 5 });
    if (checkpoint === 2) expect(await riskReasons()).toEqual([expect.objectContaining({ key: 'low_pulse', params: { checkpoint: 2, measure: 'confidence', value: 2 }, points: 20 })]);
  }
  expect(await riskReasons()).toEqual([]);
  expect(await stack.db.riskScore.count({ where: { employeeId: a, cause: 'onboarding_pulse' } })).toBe(3);
  expectProblem(await form(a, 'pulse', 'collectionHead', { checkpoint: 1, workload: 3, support: 4, confidence: 4, belonging: 5 }), 409);
  const handle = stack.client.workflow.getHandle(onboardingFlowId(a));
  expect(await handle.result()).toBe('passed');
  expect(await stack.db.onboardingPulse.count({ where: { employeeId: a } })).toBe(3);
  const done = await stack.db.onboarding.findUniqueOrThrow({ where: { employeeId: a } });
  expect(done).toMatchObject({ status: 'passed', trainingScore: null });
  expect(done.finishedAt).not.toBeNull();
  expect((await stack.db.flow.findUniqueOrThrow({ where: { id: onboardingFlowId(a) } })).status).toBe('completed');
  const listed = await api().get('/api/v1/onboardings?status=passed').set(as('collectionHead'));
  expect(listed.body.items.map((o: { employeeId: string }) => o.employeeId)).toEqual([a]);

  const history = await handle.fetchHistory();
  await Worker.runReplayHistory({ workflowBundle: { codePath: testEnvironment().workflowBundlePath } }, history, onboardingFlowId(a));
}, 120_000);

test('a fail opens one retest, which passes', async () => {
  const b = hires.b;
  expect(await ok(b, 'assessment', 'trainer', { score: 40 })).toMatchObject({ attempt: 1, passed: false });
  await openTask(b, 'assessment/1/2');
  expect((await stack.db.employee.findUniqueOrThrow({ where: { id: b } })).status).toBe('onboarding');
  expect(await ok(b, 'assessment', 'trainer', { score: 70 })).toMatchObject({ attempt: 2, passed: true });
  await openTask(b, 'portfolio');
  expect((await stack.db.employee.findUniqueOrThrow({ where: { id: b } })).status).toBe('active');
});

test('a second fail: HR ends probation with the head\'s countersignature; the hire has left and the open check-ins close', async () => {
  const c = hires.c;
  await ok(c, 'assessment', 'trainer', { score: 30 });
  await openTask(c, 'assessment/1/2');
  await ok(c, 'assessment', 'trainer', { score: 45 });
  await openTask(c, 'probation/1/1');
  expectProblem(await form(c, 'probation', 'hrOfficer', { decision: 'end' }), 400, ['reason']);
  expectProblem(await form(c, 'probation', 'collectionHead', { decision: 'end', reason: '两次未通过' }), 403);
  await ok(c, 'probation', 'hrOfficer', { decision: 'end', reason: '两次考核未通过，沟通后结束试用' });
  const head = await openTask(c, 'probation/1/1/countersign');
  expect(head.assigneeId).toBe(people.collectionHead.id);
  expect((await api().post(`/api/v1/tasks/${head.id}/decision`).set(as('collectionHead')).send({ decision: 'approve' })).status).toBe(200);
  expect(await stack.client.workflow.getHandle(onboardingFlowId(c)).result()).toBe('ended');
  expect((await stack.db.employee.findUniqueOrThrow({ where: { id: c } })).status).toBe('left');
  expect(await stack.db.task.count({ where: { flowId: onboardingFlowId(c), status: 'open' } })).toBe(0);
  const decided = await stack.db.auditEvent.findFirstOrThrow({ where: { flowId: onboardingFlowId(c), action: 'onboarding.probation_decided' } });
  expect(decided).toMatchObject({ actorId: people.collectionHead.id, payload: { decision: 'end', reason: '两次考核未通过，沟通后结束试用' } });
});

test('a second fail: probation extended (the head first sends a reassignment back), assessed again after the extension', async () => {
  const d = hires.d;
  await ok(d, 'assessment', 'trainer', { score: 30 });
  await openTask(d, 'assessment/1/2');
  await ok(d, 'assessment', 'trainer', { score: 35 });
  await openTask(d, 'probation/1/1');
  expectProblem(await form(d, 'probation', 'hrOfficer', { decision: 'reassign', reason: '换组', departmentId: 'dept-nowhere', managerId: people.serviceHead.id }), 422, ['departmentId']);
  await ok(d, 'probation', 'hrOfficer', { decision: 'reassign', reason: '更适合客服', departmentId: 'dept-customer-service', managerId: people.serviceHead.id });
  const declined = await openTask(d, 'probation/1/1/countersign');
  expect((await api().post(`/api/v1/tasks/${declined.id}/decision`).set(as('collectionHead')).send({ decision: 'reject', comment: '先延长试用' })).status).toBe(200);
  await openTask(d, 'probation/1/2');
  await ok(d, 'probation', 'hrOfficer', { decision: 'extend', reason: '延长试用期再考核', extendBy: 'PT2S' });
  const approve = await openTask(d, 'probation/1/2/countersign');
  expect((await api().post(`/api/v1/tasks/${approve.id}/decision`).set(as('collectionHead')).send({ decision: 'approve' })).status).toBe(200);
  await openTask(d, 'assessment/2/1');
  expect(await ok(d, 'assessment', 'trainer', { score: 80 })).toMatchObject({ round: 2, attempt: 1, passed: true });
  const decisions = await stack.db.onboardingDecision.findMany({ where: { employeeId: d }, orderBy: { pass: 'asc' } });
  expect(decisions.map((x) => [x.decision, x.countersign])).toEqual([['reassign', 'reject'], ['extend', 'approve']]);
  expect((await stack.db.employee.findUniqueOrThrow({ where: { id: d } })).departmentId).toBe('dept-collection');
  expect((await stack.db.onboarding.findUniqueOrThrow({ where: { employeeId: d } })).probationEndsAt).not.toBeNull();
});

test('steps out of turn are refused; an onboarding an operator cancels closes its tasks and the person never joined', async () => {
  // The third check-in an hour away: "too early" must not depend on how fast this machine is.
  const registered = await register({ person: person(5), settings: { onboarding: { ...ONBOARDING, checkInsAt: ['PT2S', 'PT3S', 'PT1H'] } } });
  expect(registered.status).toBe(202);
  const e = registered.body.employeeId as string;
  await openTask(e, 'culture');
  await ok(e, 'culture', e, { attest: true });
  await openTask(e, 'check-in/1');
  expectProblem(await form(e, 'assessment', 'trainer', { score: 90 }), 409);
  expectProblem(await form(e, 'check-ins', 'collectionHead', { checkpoint: 3, heldOn: today(), progress: 3, notes: 'too early' }), 409);
  expectProblem(await form(e, 'pulse', e, { checkpoint: 1, workload: 9, support: 4, confidence: 4, belonging: 4 }), 400, ['workload']);

  await stack.client.workflow.getHandle(onboardingFlowId(e)).cancel();
  await eventually(async () => ((await stack.db.onboarding.findUniqueOrThrow({ where: { employeeId: e } })).status === 'cancelled' ? true : undefined), 'the onboarding cancelled');
  expect((await stack.db.employee.findUniqueOrThrow({ where: { id: e } })).status).toBe('left');
  expect(await stack.db.task.count({ where: { flowId: onboardingFlowId(e), status: 'open' } })).toBe(0);
});

test('the session a hire is enrolled in is cancelled: HR is asked at once for another, not at its planned end', async () => {
  const { sessions: [far] } = await sessions.approvedPlan([{ startsIn: 7200, endsIn: 9000 }], { leadTime: 'PT30M' });
  const registered = await register({ person: person(7) });
  expect(registered.status).toBe(202);
  const g = registered.body.employeeId as string;
  await openTask(g, 'enrolment/1');
  await ok(g, 'training', 'hrOfficer', { sessionId: far!.id });
  expect((await api().post(`/api/v1/training-sessions/${far!.id}/cancel`).set(as('hrOfficer')).send({ reason: '讲师出差 trainer away' })).status).toBe(200);
  const again = await openTask(g, 'enrolment/2');
  expect(again.assigneeId).toBe(people.hrOfficer.id);
  expect(await stack.db.onboarding.findUniqueOrThrow({ where: { employeeId: g } })).toMatchObject({ sessionId: far!.id, attendance: 'session_cancelled' });
});

test('HR cancels an onboarding through the API with a reason: the hire never joined, the reason stays with the flow; a passed hire cannot be cancelled', async () => {
  const registered = await register({ person: person(6) });
  expect(registered.status).toBe(202);
  const f = registered.body.employeeId as string;
  await openTask(f, 'culture');
  expectProblem(await form(f, 'cancel', 'hrOfficer', { reason: '   ' }), 400, ['reason']);
  expectProblem(await form(f, 'cancel', 'collectionHead', { reason: '未到岗' }), 403);
  expect(await stack.db.flow.findUniqueOrThrow({ where: { id: onboardingFlowId(f) } })).toMatchObject({ status: 'running' });

  expect(await ok(f, 'cancel', 'hrOfficer', { reason: '新人未到岗' })).toMatchObject({ status: 'cancelled', next: [] });
  expect(await stack.db.onboarding.findUniqueOrThrow({ where: { employeeId: f } })).toMatchObject({ status: 'cancelled' });
  expect((await stack.db.employee.findUniqueOrThrow({ where: { id: f } })).status).toBe('left');
  expect(await stack.db.task.count({ where: { flowId: onboardingFlowId(f), status: 'open' } })).toBe(0);
  const ended = await stack.db.auditEvent.findFirstOrThrow({ where: { flowId: onboardingFlowId(f), action: 'flow.cancelled' } });
  expect(ended).toMatchObject({ actorId: people.hrOfficer.id, payload: { reason: '新人未到岗' } });

  expectProblem(await form(hires.a, 'cancel', 'hrOfficer', { reason: '登记错误' }), 409);
});
