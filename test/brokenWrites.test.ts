/**
 * A write that can never succeed (a programming error, data the database refuses) fails at once
 * instead of retrying forever: the flow stalls, HR and admins are told, and an operator's resume
 * after the fix writes it. Real PostgreSQL errors throughout; no activity is mocked.
 */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { permanentFault } from '../activities/writeFaults';
import { insertOnce } from '../activities/insertOnce';
import { createDb } from '../prisma/db';
import { DEFAULT_SESSIONS, type SessionOfPlan } from '../domain/trainingSession';
import { trainingSession, trainingSessionFlowId, type TrainingSessionInput } from '../workflows/trainingSession';
import { draftPlan, eventually, people } from './support/fixtures';
import { apiTestStack } from './support/http';
import { FAST_SETTINGS } from './support/stack';

const { stack, as, api } = apiTestStack();

/** What a plan's session flow is started with, for a plan that may or may not be on record. */
function sessionInput(planId: string, extra: Record<string, unknown> = {}): TrainingSessionInput {
  const inADay = Date.now() + 86_400_000;
  const session: SessionOfPlan = {
    sessionId: randomUUID(),
    planId,
    sessionNo: 1,
    title: '谈判技巧: Day 1',
    startsAt: new Date(inADay).toISOString(),
    endsAt: new Date(inADay + 3_600_000).toISOString(),
    location: '三楼培训室',
    trainerId: people.trainer.id,
    participantIds: [people.collectorA.id],
    hrId: people.hrOfficer.id,
    venue: '三楼培训室',
    materials: [],
    equipment: [],
  };
  return { ...session, ...extra, settings: { ...FAST_SETTINGS, sessions: DEFAULT_SESSIONS } };
}

const startSession = (input: TrainingSessionInput) =>
  stack.client.workflow.start(trainingSession, { workflowId: trainingSessionFlowId(input.planId, input.sessionNo), taskQueue: stack.taskQueue, args: [input] });

describe('which faults are permanent', () => {
  const fault = async (write: () => Promise<unknown>) => write().then(() => 'written', permanentFault);

  test('data the database refuses and programming errors are; a lost connection and a raced unique key are not', async () => {
    const row = { id: randomUUID(), planId: randomUUID(), sessionNo: 1, flowId: randomUUID(), title: 't', startsAt: new Date(), endsAt: new Date(), signInSecret: 's', codeRotationMs: 1 };
    expect(await fault(() => stack.db.$transaction((tx) => insertOnce(tx, 'trainingSession', [row])))).toMatch(/foreign key/i);
    expect(await fault(() => stack.db.trainingSession.create({ data: row }))).toMatch(/foreign key/i);
    expect(await fault(() => stack.db.$transaction((tx) => insertOnce(tx, 'trainingSession', [{ ...row, modules: [1] } as typeof row])))).toMatch(/no column modules/);
    expect(await fault(() => stack.db.$executeRaw`UPDATE training_session SET status = 'bogus'::"SessionStatus"`)).toMatch(/invalid input value/);
    expect(await fault(() => stack.db.trainingSession.create({ data: { id: 'x' } as unknown as typeof row }))).toMatch(/Argument/);
    expect(await fault(async () => (undefined as unknown as { x: number }).x)).toMatch(/^TypeError/);

    const employee = await stack.db.employee.findFirstOrThrow();
    expect(await fault(() => stack.db.employee.create({ data: { ...employee, id: randomUUID() } }))).toBeUndefined(); // unique employeeNo
    const nowhere = createDb('postgresql://postgres@127.0.0.1:1/none', 1);
    expect(await fault(() => nowhere.employee.findMany())).toBeUndefined();
    await nowhere.$disconnect();
    expect(permanentFault(ApplicationFailure.nonRetryable('refused', 'not_allowed'))).toBeUndefined();
  });
});

describe('a flow whose write cannot succeed', () => {
  test('stalls with the error at once, tells HR and admins, and writes it when an operator resumes after the fix', async () => {
    // Another session already holds number 1 of the plan: the session's row is not written, and
    // its participants' rows then refer to no session.
    const plan = await draftPlan(stack.db);
    const squatter = randomUUID();
    await stack.db.trainingSession.create({
      data: { id: squatter, planId: plan.id, sessionNo: 1, flowId: `squatter:${squatter}`, title: 'old', startsAt: new Date(), endsAt: new Date(), signInSecret: 's', codeRotationMs: 60_000 },
    });
    const input = sessionInput(plan.id);
    const flowId = trainingSessionFlowId(plan.id, 1);
    await startSession(input);

    const stalled = await eventually(async () => {
      const flow = await stack.db.flow.findUnique({ where: { id: flowId } });
      return flow?.status === 'stalled' ? flow : undefined;
    }, 'the flow stalled');
    expect(stalled.stalledReason).toMatch(/openSession: .*foreign key/i);
    const audit = await stack.db.auditEvent.findFirstOrThrow({ where: { flowId, action: 'flow.stalled' } });
    expect(audit.payload).toMatchObject({ cannotSucceed: true });
    const told = await stack.db.notification.findMany({ where: { flowId, template: 'flow_stalled' } });
    expect(told.every((n) => n.critical)).toBe(true);
    expect(told.map((n) => n.recipientId)).toEqual(expect.arrayContaining([people.hrOfficer.id, people.admin.id]));
    const shown = await api().get(`/api/v1/flows/${encodeURIComponent(flowId)}`).set(as('admin'));
    expect(shown.body).toMatchObject({ status: 'stalled', stalledReason: expect.stringContaining('openSession') });
    expect(await stack.db.trainingSession.count({ where: { id: input.sessionId } })).toBe(0);

    // The operator renumbers the old session and resumes: the session is written once, the flow runs on.
    await stack.db.trainingSession.update({ where: { id: squatter }, data: { sessionNo: 99 } });
    expect((await api().post(`/api/v1/flows/${encodeURIComponent(flowId)}/resume`).set(as('admin'))).body).toEqual({ resumed: true });
    await eventually(async () => ((await stack.db.flow.findUnique({ where: { id: flowId } }))?.status === 'running' ? true : undefined), 'the flow running again');
    expect(await stack.db.sessionParticipant.count({ where: { sessionId: input.sessionId } })).toBe(1);
    expect(await stack.db.auditEvent.count({ where: { flowId, action: 'flow.resumed' } })).toBe(1);
    expect(await stack.db.auditEvent.count({ where: { flowId, action: 'session.scheduled' } })).toBe(1);
  });

  test('a session flow started before its input named its fields (a plan session with modules) opens its session', async () => {
    const plan = await draftPlan(stack.db);
    const input = sessionInput(plan.id, { modules: [1, 2] });
    await startSession(input);
    const session = await eventually(async () => (await stack.db.trainingSession.findUnique({ where: { id: input.sessionId } })) ?? undefined, 'the session on record');
    expect(session).toMatchObject({ planId: plan.id, sessionNo: 1, trainerId: people.trainer.id });
    expect((await stack.db.flow.findUniqueOrThrow({ where: { id: trainingSessionFlowId(plan.id, 1) } })).status).toBe('running');
  });
});
