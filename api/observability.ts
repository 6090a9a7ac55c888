import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db } from '../prisma/db';

/** The request's logger (with its request id), for everything logged while answering it. */
export const requestLog = (res: Response, fallback: Logger): Logger => (res.locals.log as Logger | undefined) ?? fallback;

/** What the problem handler answered, for the metrics. */
export function noteProblem(res: Response, status: number, code: string | undefined): void {
  res.locals.problem = { status, code };
}

/** A request id from a proxy in front of us is kept when it is plausible, else one is made. */
function requestIdOf(req: Request): string {
  const given = req.get('x-request-id');
  return given && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
}

/** The route a request matched, as written (`/api/v1/tasks/:id`), so labels stay few. Express
 *  resets `baseUrl` when an error leaves a router, so the mount point noted on the way in counts. */
function routeOf(req: Request, res: Response): string {
  const route = (req.route as { path?: string } | undefined)?.path;
  return route === undefined ? 'unmatched' : `${(res.locals.mountedAt as string | undefined) ?? req.baseUrl}${route}`;
}

/** Notes where a router is mounted, for `routeOf`. */
export const noteMountPoint: RequestHandler = (req, res, next) => {
  res.locals.mountedAt = req.baseUrl;
  next();
};

/**
 * Request ids and metrics: every request gets an id (the `X-Request-Id` answered and in every log
 * line written for it), one log line when it ends, and counts and latencies in Prometheus form at
 * `/metrics`, with the open and overdue tasks by type read from PostgreSQL on each scrape.
 */
export function observability(db: Db, log: Logger) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'baton_api_' });
  const requests = new Counter({ name: 'baton_http_requests_total', help: 'HTTP requests answered', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const latency = new Histogram({
    name: 'baton_http_request_duration_seconds',
    help: 'Time to answer an HTTP request',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const problems = new Counter({ name: 'baton_http_problems_total', help: 'Problem answers (4xx, 5xx) by status and code', labelNames: ['status', 'code'], registers: [registry] });
  const tasksByType = async (gauge: Gauge<'type'>, where: object) => {
    const rows = await db.task.groupBy({ by: ['type'], where: { status: 'open', ...where }, _count: { _all: true } });
    gauge.reset();
    for (const r of rows) gauge.set({ type: r.type }, r._count._all);
  };
  new Gauge({
    name: 'baton_open_tasks',
    help: 'Open human tasks by type',
    labelNames: ['type'],
    registers: [registry],
    async collect() {
      await tasksByType(this, {});
    },
  });
  new Gauge({
    name: 'baton_overdue_tasks',
    help: 'Open human tasks past their due time, by type',
    labelNames: ['type'],
    registers: [registry],
    async collect() {
      await tasksByType(this, { dueAt: { lt: new Date() } });
    },
  });

  // A no-op unless this process traces (activities/tracing.ts): then each request is a span, and
  // the flows it starts or updates continue its trace.
  const tracer = trace.getTracer('baton-api');
  const track: RequestHandler = (req, res, next) => {
    const started = process.hrtime.bigint();
    const reqId = requestIdOf(req);
    res.setHeader('X-Request-Id', reqId);
    res.locals.log = log.child({ reqId });
    const span = tracer.startSpan(`${req.method} ${req.path}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'baton.request_id': reqId } });
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeOf(req, res);
      span.updateName(`${req.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': res.statusCode });
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      requests.inc({ method: req.method, route, status: res.statusCode });
      latency.observe({ method: req.method, route }, seconds);
      const problem = res.locals.problem as { status: number; code?: string } | undefined;
      if (problem) problems.inc({ status: problem.status, code: problem.code ?? 'none' });
      requestLog(res, log).info({ method: req.method, route, status: res.statusCode, ms: Math.round(seconds * 1000) }, 'request');
    });
    context.with(trace.setSpan(context.active(), span), next);
  };
  const metrics: RequestHandler = async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  };
  return { track, metrics };
}
