/**
 * The HTTP API over real Temporal and PostgreSQL: every endpoint, bad input, missing token, wrong role.
 */
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../api/app';
import { signToken } from '../api/auth';
import { FlowGateway } from '../api/flows';
import { eventually, people, planContent } from './support/fixtures';
import { apiTestStack, expectProblem, type Who } from './support/http';
import { FAST_SETTINGS, TEST_AUTH, TEST_CHANNELS } from './support/stack';

const { stack, as, api } = apiTestStack();
const collection = 'dept-collection';

async function createPlan(content: object = planContent(1_200_000), who: Who = 'hrOfficer') {
  const res = await api().post('/api/v1/training-plans').set(as(who)).send({ title: '客服礼仪培训', departmentId: collection, content });
  expect(res.status).toBe(201);
  return res.body as { id: string; draftRevision: number; status: string };
}

describe('authentication and roles', () => {
  test('no token, a bad token or a token for nobody is 401', async () => {
    expectProblem(await api().get('/api/v1/tasks'), 401);
    expectProblem(await api().get('/api/v1/tasks').set('Authorization', 'Bearer not-a-jwt'), 401);
    const forged = await signToken({ secret: 'another-secret-another-secret' }, people.hrOfficer.id);
    expectProblem(await api().get('/api/v1/tasks').set('Authorization', `Bearer ${forged}`), 401);
    const nobody = await signToken(TEST_AUTH, '00000000-0000-4000-8000-0000000009ff');
    expectProblem(await api().get('/api/v1/tasks').set('Authorization', `Bearer ${nobody}`), 401);
  });

  test("with JWT_JWKS_URL, tokens are verified against the issuer's keys", async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    const jwks = http.createServer((_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    try {
      const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
      const auth = { secret: TEST_AUTH.secret, jwksUrl, issuer: 'https://sso.example', audience: 'baton' };
      const app = createApp({ db: stack.db, flows: new FlowGateway(stack.client, stack.taskQueue), flowDefaults: FAST_SETTINGS, notificationChannels: TEST_CHANNELS, auth, log: pino({ level: 'silent' }), temporalReady: async () => true });
      const issue = (iss: string) =>
        new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setSubject(people.hrOfficer.id).setIssuer(iss).setAudience('baton').setExpirationTime('5m').sign(privateKey);
      const ok = await request(app).get('/api/v1/tasks').set('Authorization', `Bearer ${await issue('https://sso.example')}`);
      expect(ok.status).toBe(200);
      expectProblem(await request(app).get('/api/v1/tasks').set('Authorization', `Bearer ${await issue('https://evil.example')}`), 401);
      // A token signed with the shared secret is not accepted when the issuer's keys are configured.
      expectProblem(await request(app).get('/api/v1/tasks').set(as('hrOfficer')), 401);
    } finally {
      jwks.close();
    }
  });

  test('wrong roles are 403', async () => {
    expectProblem(await api().post('/api/v1/training-plans').set(as('collectorA')).send({ title: 'x', departmentId: collection }), 403);
    expectProblem(await api().get('/api/v1/flows').set(as('collectorA')), 403);
    expectProblem(await api().get('/api/v1/training-plans').set(as('collectorA')), 403);
    expectProblem(await api().get(`/api/v1/tasks?assignee=${people.collectionHead.id}`).set(as('collectorA')), 403);
  });
});

describe('health, docs and errors', () => {
  test('healthz and readyz', async () => {
    expect((await api().get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await api().get('/readyz')).body).toEqual({ status: 'ready', database: true, temporal: true });
  });

  test('the OpenAPI document is generated from the schemas and served with its UI', async () => {
    const doc = (await api().get('/api/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/training-plans', '/api/v1/tasks/{id}/decision', '/api/v1/flows/{id}', '/api/v1/employees']));
    const body = doc.paths['/api/v1/tasks/{id}/decision'].post.requestBody.content['application/json'].schema;
    expect(JSON.stringify(body)).toContain('request_changes');
    const ui = await api().get('/api/docs/');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger-ui');
  });

  test('unknown routes and malformed JSON are problems, not 500s', async () => {
    expectProblem(await api().get('/api/v1/nothing-here').set(as('hrOfficer')), 404);
    expectProblem(await api().post('/api/v1/training-plans').set(as('hrOfficer')).set('Content-Type', 'application/json').send('{"title": '), 400);
  });
});

describe('employees', () => {
  test('the directory filters by role and department and refuses unknown roles', async () => {
    const execs = await api().get('/api/v1/employees?role=executive').set(as('collectorA'));
    expect(execs.status).toBe(200);
    expect(execs.body.items.map((e: { id: string }) => e.id).sort()).toEqual([people.ceo.id, people.vicePresident.id].sort());
    const dept = await api().get(`/api/v1/employees?department=${collection}`).set(as('collectorA'));
    expect(dept.body.items.every((e: { departmentId: string }) => e.departmentId === collection)).toBe(true);
    expect(dept.body.items.length).toBeGreaterThanOrEqual(4);
    expectProblem(await api().get('/api/v1/employees?role=king').set(as('collectorA')), 400, ['query.role']);
  });
});

describe('training plans', () => {
  test('invalid drafts are refused naming each field, and nothing is written', async () => {
    const before = await stack.db.trainingPlan.count();
    const res = await api()
      .post('/api/v1/training-plans')
      .set(as('hrOfficer'))
      .send({ title: '', departmentId: collection, content: { budget: { lines: [{ category: 'fees', description: 'x', amountFen: '12' }], totalFen: 12 }, methods: ['lecture'] } });
    expectProblem(res, 400, ['title', 'content.budget.lines.0.amountFen', 'content.methods.0']);
    expectProblem(await api().post('/api/v1/training-plans').set(as('hrOfficer')).send({ title: 'x', departmentId: 'dept-nowhere' }), 422, ['departmentId']);
    expect(await stack.db.trainingPlan.count()).toBe(before);
  });

  test('an Idempotency-Key makes a retried create return the same plan', async () => {
    const send = () => api().post('/api/v1/training-plans').set(as('hrOfficer')).set('Idempotency-Key', 'create-plan-7f3a').send({ title: '新员工入职培训', departmentId: collection });
    const [a, b] = await Promise.all([send(), send()]);
    const c = await send();
    expect([a.status, b.status, c.status]).toEqual([201, 201, 201]);
    expect(new Set([a.body.id, b.body.id, c.body.id]).size).toBe(1);
    expect(await stack.db.trainingPlan.count({ where: { createKey: 'create-plan-7f3a' } })).toBe(1);
  });

  test('editing: only the drafter, only well-formed content, only while editable', async () => {
    const plan = await createPlan({ methods: ['classroom'] });
    expectProblem(await api().put(`/api/v1/training-plans/${plan.id}`).set(as('hrAssistant')).send({ title: 'mine now' }), 403);
    expectProblem(await api().put(`/api/v1/training-plans/${plan.id}`).set(as('hrOfficer')).send({ content: { cycle: { startsOn: '2027-02-30', endsOn: '2027-03-01' } } }), 400, ['content.cycle.startsOn']);
    const edited = await api().put(`/api/v1/training-plans/${plan.id}`).set(as('hrOfficer')).send({ content: planContent(900_000) });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ draftRevision: 2, status: 'draft' });
    expect(edited.body.draft.budget.totalFen).toBe(900_000);
    expectProblem(await api().get('/api/v1/training-plans/not-a-uuid').set(as('hrOfficer')), 400, ['params.id']);
    expectProblem(await api().get('/api/v1/training-plans/00000000-0000-4000-8000-00000000dead').set(as('hrOfficer')), 404);
  });

  test('submitting an incomplete or inconsistent plan is 422 naming the fields, and starts no flow', async () => {
    const { objectives, ...withoutObjectives } = planContent(1_000_000);
    const plan = await createPlan(withoutObjectives);
    const res = await api().post(`/api/v1/training-plans/${plan.id}/submit`).set(as('hrOfficer')).send({});
    expectProblem(res, 422, ['content.objectives']);

    // Complete but inconsistent: budget lines that do not add up, a session outside the cycle.
    const content = { ...withoutObjectives, objectives, budget: { ...withoutObjectives.budget, totalFen: 999 } };
    content.sessions = [{ title: 'Day 1', startsAt: '2027-05-01T09:00:00+08:00', endsAt: '2027-05-01T17:00:00+08:00' }];
    await api().put(`/api/v1/training-plans/${plan.id}`).set(as('hrOfficer')).send({ content }).expect(200);
    const res2 = await api().post(`/api/v1/training-plans/${plan.id}/submit`).set(as('hrOfficer')).send({});
    expectProblem(res2, 422, ['content.budget.totalFen', 'content.sessions.0']);
    expect(res2.body.errors.find((e: { field: string }) => e.field === 'content.budget.totalFen').reason).toMatch(/add up to 1000000 fen/);
    expect(await stack.db.flow.count({ where: { businessKey: plan.id } })).toBe(0);
    expect((await stack.db.trainingPlan.findUniqueOrThrow({ where: { id: plan.id } })).status).toBe('draft');
  });

  test('a plan approved end to end through the API: submit, inbox, decisions, flow view', async () => {
    const plan = await createPlan();
    const submitted = await api().post(`/api/v1/training-plans/${plan.id}/submit`).set(as('hrOfficer')).send({});
    expect(submitted.status).toBe(202);
    expect(submitted.body).toMatchObject({ flowId: `training-plan:${plan.id}`, version: 1, status: 'in_approval' });
    // The answer lists the task the submission opened, and it is in the head's inbox on the first look.
    expect(submitted.body.next).toEqual([expect.objectContaining({ type: 'plan_approval', assigneeId: people.collectionHead.id })]);
    const again = await api().post(`/api/v1/training-plans/${plan.id}/submit`).set(as('hrOfficer')).send({});
    // A repeat (a retry after a 503, a second click) is answered as the first was, tasks and all.
    expect(again.status).toBe(202);
    expect(again.body).toEqual(submitted.body);
    expectProblem(await api().put(`/api/v1/training-plans/${plan.id}`).set(as('hrOfficer')).send({ title: 'late edit' }), 409);

    const headInbox = await api().get('/api/v1/tasks?status=open').set(as('collectionHead'));
    const inbox = headInbox.body.items.find((t: { id: string }) => t.id === submitted.body.next[0].taskId);
    expect(inbox).toMatchObject({ type: 'plan_approval', assigneeId: people.collectionHead.id, status: 'open' });

    expectProblem(await api().get(`/api/v1/tasks/${inbox.id}`).set(as('collectorA')), 403);
    expect((await api().get(`/api/v1/tasks/${inbox.id}`).set(as('collectionHead'))).body.id).toBe(inbox.id);
    expectProblem(await api().post(`/api/v1/tasks/${inbox.id}/decision`).set(as('collectionHead')).send({ decision: 'maybe' }), 400, ['decision']);
    expectProblem(await api().post(`/api/v1/tasks/${inbox.id}/decision`).set(as('collectionHead')).send({ decision: 'request_changes' }), 400, ['comment']);
    const wrong = await api().post(`/api/v1/tasks/${inbox.id}/decision`).set(as('collectorB')).send({ decision: 'approve' });
    expectProblem(wrong, 403);
    expect(wrong.body.code).toBe('not_your_task');

    const ok = await api().post(`/api/v1/tasks/${inbox.id}/decision`).set(as('collectionHead')).send({ decision: 'approve', comment: '同意' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'done', outcome: 'approve', decidedById: people.collectionHead.id });
    expect(ok.body.next).toEqual([expect.objectContaining({ type: 'plan_approval', assigneeId: people.hrDirector.id })]);
    const twice = await api().post(`/api/v1/tasks/${inbox.id}/decision`).set(as('collectionHead')).send({ decision: 'reject', comment: 'no' });
    expectProblem(twice, 409);

    const flowView = (await api().get(`/api/v1/flows/${encodeURIComponent(submitted.body.flowId)}`).set(as('hrOfficer'))).body;
    expect(flowView.openTasks.map((t: { id: string }) => t.id)).toEqual([ok.body.next[0].taskId]);
    expect(flowView).toMatchObject({ type: 'training_plan', status: 'running', live: { status: 'in_approval', step: 'hr_director approval' } });
    expect(flowView.audit.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['flow.started', 'plan.submitted', 'task.opened', 'task.decided']));
    expectProblem(await api().get(`/api/v1/flows/${encodeURIComponent(submitted.body.flowId)}`).set(as('collectorA')), 403);

    const listed = await api().get('/api/v1/flows?type=training_plan&status=running').set(as('hrDirector'));
    expect(listed.body.items.map((f: { id: string }) => f.id)).toContain(submitted.body.flowId);
    expectProblem(await api().get('/api/v1/flows?status=sleeping').set(as('hrDirector')), 400, ['query.status']);

    const hrTask = flowView.openTasks[0];
    expect((await api().post(`/api/v1/tasks/${hrTask.id}/decision`).set(as('hrDirector')).send({ decision: 'approve' })).status).toBe(200);
    const approved = await eventually(async () => {
      const res = await api().get(`/api/v1/training-plans/${plan.id}`).set(as('hrOfficer'));
      return res.body.status === 'approved' ? res.body : undefined;
    }, 'approval');
    expect(approved.versions).toHaveLength(1);
    expect(approved.decisions.map((d: { level: string }) => d.level)).toEqual(['department_head', 'hr_director']);
    expect((await api().get(`/api/v1/flows/${encodeURIComponent(submitted.body.flowId)}`).set(as('hrOfficer'))).body).toMatchObject({ status: 'completed', live: null });

    // The flow is closed: a retried request still gets its original answer, anything new is refused.
    const retried = await api().post(`/api/v1/tasks/${inbox.id}/decision`).set(as('collectionHead')).send({ decision: 'approve', comment: '同意' });
    expect(retried.body).toMatchObject({ status: 'done', outcome: 'approve' });
    const late = await api().post(`/api/v1/tasks/${inbox.id}/decision`).set(as('collectionHead')).send({ decision: 'reject', comment: 'too late' });
    expectProblem(late, 409);
    expect(late.body.code).toBe('flow_closed');
    expectProblem(await api().post(`/api/v1/training-plans/${plan.id}/withdraw`).set(as('hrOfficer')).send({}), 409);
    expectProblem(await api().post(`/api/v1/training-plans/${plan.id}/submit`).set(as('hrOfficer')).send({}), 409);
  });

  test('request changes, edit, resubmit, then withdraw through the API', async () => {
    const plan = await createPlan();
    const { body } = await api().post(`/api/v1/training-plans/${plan.id}/submit`).set(as('hrOfficer')).send({});
    const task = await eventually(async () => (await stack.db.task.findFirst({ where: { flowId: body.flowId, status: 'open' } })) ?? undefined, 'first task');
    await api().post(`/api/v1/tasks/${task.id}/decision`).set(as('collectionHead')).send({ decision: 'request_changes', comment: 'Split day 1 into two sessions' }).expect(200);
    await eventually(async () => ((await api().get(`/api/v1/training-plans/${plan.id}`).set(as('hrOfficer'))).body.status === 'changes_requested' ? true : undefined), 'changes requested');

    const revised = planContent(1_200_000);
    revised.sessions.push({ title: 'Day 2', startsAt: '2027-03-11T09:00:00+08:00', endsAt: '2027-03-11T12:00:00+08:00' });
    await api().put(`/api/v1/training-plans/${plan.id}`).set(as('hrOfficer')).send({ content: revised }).expect(200);
    const resubmitted = await api().post(`/api/v1/training-plans/${plan.id}/submit`).set(as('hrOfficer')).send({});
    expect(resubmitted.status).toBe(202);
    expect(resubmitted.body).toMatchObject({ flowId: body.flowId, version: 2 });

    expectProblem(await api().post(`/api/v1/training-plans/${plan.id}/withdraw`).set(as('hrAssistant')).send({}), 403);
    const withdrawn = await api().post(`/api/v1/training-plans/${plan.id}/withdraw`).set(as('hrOfficer')).send({ reason: 'merged into the Q2 plan' });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toEqual({ status: 'withdrawn' });
    const final = (await api().get(`/api/v1/training-plans/${plan.id}`).set(as('hrOfficer'))).body;
    expect(final.status).toBe('withdrawn');
    expect(final.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect(await stack.db.task.count({ where: { flowId: body.flowId, status: 'open' } })).toBe(0);
  });
});

describe('inbox', () => {
  test('HR may read another person’s inbox; the list includes tasks escalated to the reader', async () => {
    const own = await api().get('/api/v1/tasks').set(as('collectorA'));
    expect(own.status).toBe(200);
    expect(Array.isArray(own.body.items)).toBe(true);
    const other = await api().get(`/api/v1/tasks?assignee=${people.collectionHead.id}&status=done`).set(as('hrOfficer'));
    expect(other.status).toBe(200);
    expect(other.body.items.every((t: { assigneeId: string; status: string }) => t.assigneeId === people.collectionHead.id && t.status === 'done')).toBe(true);
    expectProblem(await api().get('/api/v1/tasks?limit=0').set(as('collectorA')), 400, ['query.limit']);
  });
});
