/**
 * Baton as in production: a real Temporal server on PostgreSQL (not the dev server), two workers
 * and two API instances started from the production build, all over real HTTP. Journeys use the
 * API instances alternately; a worker killed with SIGKILL under load leaves the other to finish
 * every flow; an API instance stopped under load answers what it took and the other takes the
 * rest; rows and histories show nothing lost or doubled. Every process traces to a collector
 * standing in for Jaeger or Tempo; metrics, request ids and one trace are checked.
 */
import { Connection, WorkflowClient } from '@temporalio/client';
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { signToken } from '../api/auth';
import { createDb, type Db } from '../prisma/db';
import { startCluster, type Cluster } from '../scripts/cluster';
import { dropDatabase } from '../scripts/throwaway-postgres';
import { eventually, people, planContent } from './support/fixtures';
import { testEnvironment } from './support/environment';
import { repeatedUntilAnswered, type Who } from './support/http';
import { builtWebApp } from './support/webApp';

const JWT_SECRET = 'cluster-test-secret-cluster-test-secret';
const prefix = `bc_${Math.random().toString(36).slice(2, 8)}_`;
const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-cluster-'));
let cluster: Cluster;
let db: Db;
let tokens: Record<string, string>;
let collector: Server;

interface ExportedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
}
/** Spans the processes exported to the OTLP collector standing in for Jaeger or Tempo. */
const spans: ExportedSpan[] = [];

/** An OTLP/HTTP (JSON) trace collector: POST /v1/traces, as the OpenTelemetry spec defines it. */
async function startCollector(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url !== '/v1/traces' || !req.headers['content-type']?.includes('json')) return void res.writeHead(415).end();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: Omit<ExportedSpan, 'service'>[] }[] }[];
      };
      for (const rs of body.resourceSpans) {
        const service = rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '?';
        for (const ss of rs.scopeSpans) for (const s of ss.spans) spans.push({ service, traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId, name: s.name });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Ports from a quiet range: Temporal stores membership ports as smallint (below 32,768). */
const base = 20_000 + Math.floor(Math.random() * 240) * 50;

beforeAll(async () => {
  // The production build, with the web app this run already built (or builds now) for every file.
  const webApp = await builtWebApp();
  execFileSync(process.execPath, [require.resolve('tsx/cli'), path.join(__dirname, '..', 'scripts', 'build.ts')], { stdio: 'ignore', env: { ...process.env, WEB_BUILD_DIR: webApp } });
  const otlp = await startCollector();
  collector = otlp.server;
  cluster = await startCluster({
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, WEB_APP_DIR: webApp },
    pgAdminUrl: testEnvironment().pgAdminUrl,
    prefix,
    temporalPortBase: base,
    apiPorts: [base + 30, base + 31],
    workerMetricsPorts: [base + 32, base + 33],
    logDir,
    jwtSecret: JWT_SECRET,
    log: () => undefined,
  });
  db = createDb(cluster.databaseUrl, 4);
  tokens = Object.fromEntries(await Promise.all(Object.entries(people).map(async ([who, e]) => [who, await signToken({ secret: JWT_SECRET }, e.id)] as const)));
}, 600_000);

afterAll(async () => {
  await db?.$disconnect();
  await cluster?.stop();
  collector?.close();
  const admin = testEnvironment().pgAdminUrl;
  for (const name of ['baton', 'temporal', 'temporal_visibility']) await dropDatabase(admin, `${prefix}${name}`).catch(() => undefined);
  fs.rmSync(logDir, { recursive: true, force: true });
}, 180_000);

let turn = 0;
/** The next API instance in turn, as a load balancer would pick it. */
const anyApi = () => request(cluster.apiUrls[turn++ % cluster.apiUrls.length]!);
const as = (who: Who) => ({ Authorization: `Bearer ${tokens[who]}` });
const whoIs = (id: string) => (Object.keys(people) as Who[]).find((w) => people[w].id === id)!;

/** A plan from creation to approval: every decision by whoever the last answer named. */
async function approvePlan(title: string): Promise<{ planId: string; flowId: string; decisions: number }> {
  const key = randomUUID();
  const created = await repeatedUntilAnswered(async () => anyApi().post('/api/v1/training-plans').set(as('hrOfficer')).set('Idempotency-Key', key).send({ title, departmentId: 'dept-collection', content: planContent() }), 30);
  expect(created.status).toBe(201);
  const planId: string = created.body.id;
  const submitted = await repeatedUntilAnswered(async () => anyApi().post(`/api/v1/training-plans/${planId}/submit`).set(as('hrOfficer')).send({}), 30);
  expect(submitted.status).toBe(202);
  let next: { taskId: string; assigneeId: string }[] = submitted.body.next;
  let decisions = 0;
  while (next.length) {
    const answers = await Promise.all(
      next.map((t) => repeatedUntilAnswered(async () => anyApi().post(`/api/v1/tasks/${t.taskId}/decision`).set(as(whoIs(t.assigneeId))).send({ decision: 'approve' }), 30)),
    );
    for (const a of answers) expect({ status: a.status, problem: a.status === 200 ? undefined : a.body }).toEqual({ status: 200 });
    decisions += next.length;
    next = answers.flatMap((a) => a.body.next);
  }
  const plan = await eventually(async () => {
    const res = await repeatedUntilAnswered(async () => anyApi().get(`/api/v1/training-plans/${planId}`).set(as('hrOfficer')), 30);
    return res.body.status === 'approved' ? res.body : undefined;
  }, `plan ${title} approved`, 120_000);
  expect(plan.decisions.every((d: { decision: string }) => d.decision === 'approve')).toBe(true);
  return { planId, flowId: submitted.body.flowId, decisions };
}

/** Every approved plan has one flow, each task once, each decision once, and a completed history. */
async function expectNothingLostOrDoubled(plans: { planId: string; flowId: string; decisions: number }[]) {
  const temporal = new WorkflowClient({ connection: await Connection.connect({ address: cluster.temporalAddress }) });
  try {
    for (const { planId, flowId, decisions } of plans) {
      expect(await db.flow.count({ where: { id: flowId } })).toBe(1);
      expect(await db.planDecision.count({ where: { planId } })).toBe(decisions);
      expect(await db.task.count({ where: { flowId } })).toBe(decisions);
      expect(await db.task.count({ where: { flowId, status: 'done' } })).toBe(decisions);
      expect(await db.auditEvent.count({ where: { flowId, action: 'task.opened' } })).toBe(decisions);
      const handle = temporal.getHandle(flowId);
      expect((await handle.describe()).status.name).toBe('COMPLETED');
      const history = await handle.fetchHistory();
      const updates = history.events!.filter((e) => e.workflowExecutionUpdateCompletedEventAttributes).length;
      expect(updates).toBe(decisions + 1); // the submit and each decision, once
    }
  } finally {
    await temporal.connection.close();
  }
}

test('a plan approval and a handover, every call to the next API instance in turn', async () => {
  await expectNothingLostOrDoubled([await approvePlan('集群验证 Cluster approval')]);

  const started = await anyApi()
    .post('/api/v1/resignations')
    .set(as('hrOfficer'))
    .send({
      employeeId: people.collectorC.id,
      resignationDate: '2027-01-04',
      lastWorkingDay: '2027-02-26',
      reason: '个人发展 career move',
      successorId: people.collectorA.id,
      supervisorId: people.collectionHead.id,
      mentorId: people.collectionHead.id,
      settings: { handover: { minMentoringSessions: 1, minKnowledgeArticles: 1 } },
    });
  expect(started.status).toBe(202);
  const { resignationId, flowId } = started.body;
  const view = async (who: Who, ready: (v: any) => boolean, what: string) =>
    eventually(async () => {
      const res = await anyApi().get(`/api/v1/resignations/${resignationId}`).set(as(who));
      return res.status === 200 && ready(res.body) ? res.body : undefined;
    }, what, 60_000);
  const openTask = async (who: Who, type: string) =>
    eventually(async () => (await anyApi().get('/api/v1/tasks?status=open').set(as(who))).body.items.find((t: any) => t.flowId === flowId && t.type === type), `${type} task`, 60_000);

  await anyApi().post(`/api/v1/tasks/${(await openTask('collectionHead', 'handover_acknowledge')).id}/decision`).set(as('collectionHead')).send({ decision: 'confirm' }).expect(200);
  const checklist = (await view('collectorC', (v) => v.checklist.ready && v.checklist.total > 0 && v.checklist.items.length === v.checklist.total, 'the checklist')).checklist;
  const itemIds = checklist.items.map((i: { id: string }) => i.id);
  expect((await anyApi().post('/api/v1/handover-items/complete').set(as('collectorC')).send({ itemIds })).body).toEqual({ applied: itemIds.length });
  const verified = await anyApi().post('/api/v1/handover-items/verify').set(as('collectionHead')).send({ itemIds, verdict: 'accept' });
  expect(verified.body).toEqual({ applied: itemIds.length, accountsMoved: checklist.accountsWithLeaver });
  await anyApi().post(`/api/v1/resignations/${resignationId}/knowledge-articles`).set(as('collectorC')).send({ kind: 'procedure', title: '月底对账', body: '每月最后一个工作日与财务核对实收。' }).expect(200);
  await anyApi().post(`/api/v1/tasks/${(await openTask('collectionHead', 'knowledge_review')).id}/decision`).set(as('collectionHead')).send({ decision: 'approve' }).expect(200);
  await view('collectionHead', (v) => v.phase === 'mentoring', 'mentoring');
  await anyApi().post(`/api/v1/resignations/${resignationId}/mentoring-sessions`).set(as('collectionHead')).send({ heldAt: new Date().toISOString(), durationMinutes: 60, topic: '重点业主' }).expect(200);
  await view('collectionHead', (v) => v.phase === 'assessment', 'assessment');
  await anyApi().post(`/api/v1/resignations/${resignationId}/assessment`).set(as('collectionHead')).send({ passed: true, score: 5 }).expect(200);
  await view('collectionHead', (v) => v.openTasks.filter((t: any) => t.type === 'handover_sign_off').length === 2, 'sign-off tasks');
  await anyApi().post(`/api/v1/resignations/${resignationId}/sign-off`).set(as('collectionHead')).send({}).expect(200);
  await anyApi().post(`/api/v1/resignations/${resignationId}/sign-off`).set(as('hrOfficer')).send({}).expect(200);
  await view('collectorA', (v) => v.phase === 'rating', 'rating');
  await anyApi().post(`/api/v1/resignations/${resignationId}/rating`).set(as('collectorA')).send({ score: 5 }).expect(200);
  // HR's exit interview, asked with the sign-off.
  const exitInterview = { heldOn: new Date().toISOString().slice(0, 10), causes: ['pay'], notes: '别家给得多', wouldReturn: false, wouldRecommend: true };
  await anyApi().post(`/api/v1/resignations/${resignationId}/exit-interview`).set(as('hrOfficer')).send(exitInterview).expect(200);
  const done = await view('hrOfficer', (v) => v.phase === 'completed', 'completion');
  expect(done.checklist).toMatchObject({ verified: itemIds.length, accountsWithLeaver: 0 });
  expect(await db.account.count({ where: { assigneeId: people.collectorC.id } })).toBe(0);
}, 300_000);

test('a worker killed with SIGKILL under load: the other carries every flow to completion', async () => {
  const load = Array.from({ length: 8 }, (_, i) => approvePlan(`负载 Load ${i}`));
  // Once flows are in flight, one worker dies without any chance to finish what it holds.
  await eventually(async () => ((await db.task.count({ where: { status: 'open', type: 'plan_approval' } })) >= 3 ? true : undefined), 'approvals under way', 120_000);
  cluster.workers[0]!.child.kill('SIGKILL');
  await cluster.workers[0]!.exited;
  try {
    await expectNothingLostOrDoubled(await Promise.all(load));
  } finally {
    await cluster.startWorker(0);
  }
}, 400_000);

test('a worker stopped with SIGTERM under load (a deploy) finishes what it holds and exits cleanly', async () => {
  const load = Array.from({ length: 4 }, (_, i) => approvePlan(`部署 Deploy ${i}`));
  await eventually(async () => ((await db.task.count({ where: { status: 'open', type: 'plan_approval', title: { contains: '部署' } } })) >= 2 ? true : undefined), 'approvals under way', 120_000);
  const worker = cluster.workers[1]!;
  worker.child.kill('SIGTERM');
  await worker.exited;
  try {
    expect([worker.child.exitCode, worker.child.signalCode]).toEqual([0, null]);
    await expectNothingLostOrDoubled(await Promise.all(load));
  } finally {
    await cluster.startWorker(1);
  }
}, 400_000);

test('an API instance stopped under load answers what it took; clients go on with the other', async () => {
  const first = cluster.apiUrls[0]!;
  const inFlight: Promise<request.Response>[] = [];
  const load = Array.from({ length: 6 }, (_, i) => approvePlan(`切换 Failover ${i}`));
  await eventually(async () => ((await db.task.count({ where: { status: 'open', type: 'plan_approval', title: { contains: '切换' } } })) >= 2 ? true : undefined), 'approvals under way', 120_000);
  // Reads sent to the instance right before it is told to stop: each it took is answered in full.
  const read = async () => request(first).get('/api/v1/tasks?status=open').set(as('collectionHead'));
  for (let i = 0; i < 20; i++) inFlight.push(read());
  await new Promise((r) => setTimeout(r, 5));
  const stopping = cluster.apis[0]!.stop(65_000);
  try {
    const answered = await Promise.allSettled(inFlight);
    await stopping;
    // Each read it took was answered in full; one that reached it too late (refused, or reset
    // before its request was read) was not taken, and the other instance answers it.
    const notTaken = answered.filter((a) => a.status === 'rejected');
    for (const a of notTaken) expect(String(a.reason)).toMatch(/ECONNREFUSED|ECONNRESET|socket hang up/);
    for (const a of answered) if (a.status === 'fulfilled') expect(a.value.status).toBe(200);
    expect(notTaken.length).toBeLessThan(answered.length);
    for (const _ of notTaken) await request(cluster.apiUrls[1]!).get('/api/v1/tasks?status=open').set(as('collectionHead')).expect(200);
    await expectNothingLostOrDoubled(await Promise.all(load));
  } finally {
    await cluster.startApi(0);
  }
}, 400_000);

test('metrics for Prometheus from the API instances and the workers; a request id in the answer and in the log', async () => {
  const open = await anyApi().post('/api/v1/training-plans').set(as('hrOfficer')).send({ title: '待审 Waiting', departmentId: 'dept-collection', content: planContent() });
  await anyApi().post(`/api/v1/training-plans/${open.body.id}/submit`).set(as('hrOfficer')).send({}).expect(202);
  await request(cluster.apiUrls[1]!).get('/api/v1/no-such-route').set(as('hrOfficer')).set('X-Request-Id', 'trace-me-42').expect(404).expect('X-Request-Id', 'trace-me-42');

  const api = (await request(cluster.apiUrls[1]!).get('/metrics').expect(200)).text;
  expect(api).toMatch(/^baton_http_requests_total\{method="POST",route="\/api\/v1\/tasks\/:id\/decision",status="200"\} [1-9]/m);
  expect(api).toMatch(/^baton_http_request_duration_seconds_bucket\{le="0\.1",method="GET",route="\/api\/v1\/training-plans\/:id"\} \d+/m);
  expect(api).toMatch(/^baton_http_problems_total\{status="404",code="none"\} [1-9]/m);
  // A refused request is counted under its route, not a fragment of it.
  await request(cluster.apiUrls[1]!).post('/api/v1/tasks/00000000-0000-4000-8000-000000000000/decision').set(as('collectionHead')).send({ decision: 'approve' }).expect(404);
  const after = (await request(cluster.apiUrls[1]!).get('/metrics').expect(200)).text;
  expect(after).toMatch(/^baton_http_requests_total\{method="POST",route="\/api\/v1\/tasks\/:id\/decision",status="404"\} 1$/m);
  // The task gauges say what the database says, type by type.
  const series = (name: string) => Object.fromEntries([...api.matchAll(new RegExp(`^${name}\\{type="(\\w+)"\\} (\\d+)$`, 'gm'))].map((m) => [m[1], Number(m[2])]));
  const byType = async (where: object) => Object.fromEntries((await db.task.groupBy({ by: ['type'], where: { status: 'open', ...where }, _count: { _all: true } })).map((g) => [g.type, g._count._all]));
  expect(series('baton_open_tasks')).toEqual(await byType({}));
  expect(series('baton_open_tasks').plan_approval).toBeGreaterThan(0);
  expect(series('baton_overdue_tasks')).toEqual(await byType({ dueAt: { lt: new Date() } }));
  // Each worker reports its slots; between them they report the approvals they completed.
  let completed = 0;
  for (const url of cluster.workerMetricsUrls) {
    const worker = await (await fetch(url)).text();
    expect(worker).toMatch(/^temporal_worker_task_slots_available\{.*worker_type="ActivityWorker".*\} \d+/m);
    for (const m of worker.matchAll(/^temporal_workflow_completed_total\{.*workflow_type="trainingPlanApproval".*\} (\d+)/gm)) completed += Number(m[1]);
  }
  expect(completed).toBeGreaterThan(0);
  // The instance's log reaches its file through a pipe: wait for the line rather than race it.
  const log = await eventually(async () => {
    const text = fs.readFileSync(path.join(logDir, 'api-2.log'), 'utf8');
    return /"reqId":"trace-me-42".*"status":404/.test(text) ? text : undefined;
  }, 'the request id’s log line');
  const requestLines = log.split('\n').filter((l) => l.includes('"msg":"request"'));
  expect(requestLines.length).toBeGreaterThan(10);
  expect(requestLines.every((l) => /"reqId":"[\w.:-]+"/.test(l))).toBe(true);
}, 120_000);

test('one trace runs from the API request through the workflow to its activities, across processes', async () => {
  const plan = await anyApi().post('/api/v1/training-plans').set(as('hrOfficer')).send({ title: '追踪 Traced', departmentId: 'dept-collection', content: planContent() });
  const submitted = await anyApi().post(`/api/v1/training-plans/${plan.body.id}/submit`).set(as('hrOfficer')).send({});
  expect(submitted.status).toBe(202);
  const submitSpan = await eventually(async () => spans.find((s) => s.service === 'baton-api' && s.name === 'POST /api/v1/training-plans/:id/submit' && spans.some((t) => t.traceId === s.traceId && t.name.startsWith('RunActivity:'))), 'the submit request’s trace with its activities', 60_000);
  const trace = spans.filter((s) => s.traceId === submitSpan.traceId);
  expect(trace.filter((s) => s.service === 'baton-api').map((s) => s.name)).toEqual(expect.arrayContaining(['POST /api/v1/training-plans/:id/submit', 'UpdateWithStartWorkflow:submitPlan']));
  expect(trace.filter((s) => s.service === 'baton-worker').map((s) => s.name)).toEqual(
    expect.arrayContaining(['StartActivity:writeInOrder', 'RunActivity:writeInOrder', 'Write:recordPlanSubmission', 'Write:openTasks']),
  );
  // In the API, the call to Temporal descends from the request; in the worker, each activity from
  // the workflow's own span (exported once the flow ends), all under the request's trace id.
  // The API's log lines for the request carry its trace id beside its request id.
  await eventually(async () => (fs.readFileSync(path.join(logDir, 'api-1.log'), 'utf8') + fs.readFileSync(path.join(logDir, 'api-2.log'), 'utf8')).split('\n').find((l) => l.includes(`"traceId":"${submitSpan.traceId}"`) && l.includes('"reqId"')), 'the request’s log line with its trace id');
  const byId = new Map(trace.map((s) => [s.spanId, s]));
  expect(byId.get(trace.find((s) => s.name === 'UpdateWithStartWorkflow:submitPlan')!.parentSpanId!)).toBe(submitSpan);
  // A step's writes go in one local activity, each write a span of its own under it.
  const submission = trace.find((s) => s.name === 'Write:recordPlanSubmission')!;
  const carrier = byId.get(submission.parentSpanId!);
  expect(carrier?.name).toBe('RunActivity:writeInOrder');
  expect(byId.get(carrier!.parentSpanId!)?.name).toBe('StartActivity:writeInOrder');
}, 120_000);
