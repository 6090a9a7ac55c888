import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { noteProblem, requestLog } from './observability';

export interface FieldError {
  field: string;
  reason: string;
  /** What is wrong, for a client that words it for its reader (see fieldErrorCode). */
  code?: string;
  /** The figures its wording needs: a limit, the sums that differ. */
  params?: Record<string, string | number>;
}

/** An RFC 9457 problem: every error the API returns has this shape (application/problem+json). */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly code?: string,
    /** Sent as Retry-After: the request may succeed if repeated then (with its Idempotency-Key). */
    readonly retryAfterSeconds?: number,
  ) {
    super(detail ?? title);
  }
}

/** Refuses a well-formed request whose fields name nothing usable, naming every such field at once. */
export function refuseFields(errors: FieldError[]): void {
  if (errors.length) throw new HttpProblem(422, 'Unprocessable request', `${errors.length} field(s) cannot be accepted`, errors);
}

/** A dependency (PostgreSQL, Temporal, a worker) does not answer: a 503 the client may retry. */
export const unavailable = (what: string, code = 'unavailable') =>
  new HttpProblem(503, 'Service unavailable', `${what}; try again shortly (with the same Idempotency-Key, a retry applies at most once)`, undefined, code, 5);

/** Errors that mean PostgreSQL or Temporal cannot be reached right now, not that the request is wrong. */
function isOutage(err: unknown): boolean {
  const e = err as { code?: unknown; name?: string; message?: string; cause?: unknown } | undefined;
  if (!e) return false;
  // Connection errors from pg / Prisma, server shutdown, pool timeouts; gRPC UNAVAILABLE and DEADLINE_EXCEEDED.
  const codes = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03', '08006', '08001', 'P1001', 'P1002', 'P1017', 'P2024', 14, 4];
  if (codes.includes(e.code as string | number)) return true;
  if (e.name === 'DriverAdapterError' || /connect|Connection terminated|ECONNREFUSED|Can't reach database/i.test(e.message ?? '')) return true;
  return e.cause !== undefined && e.cause !== err && isOutage(e.cause);
}

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string().optional(),
    code: z.string().optional().meta({ description: 'machine-readable reason, e.g. not_your_task, already_decided' }),
    errors: z
      .array(
        z.object({
          field: z.string(),
          reason: z.string(),
          code: z.string().optional().meta({ description: 'required, too_few, too_many, min, above, max, below, too_long, invalid, choice, or a rule of its own (cycle_order…)' }),
          params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
        }),
      )
      .optional(),
  })
  .meta({ id: 'Problem' });

export const fieldErrors = (error: z.ZodError, prefix?: string): FieldError[] =>
  error.issues.map((i) => ({ field: [prefix, ...i.path].filter((p) => p !== undefined).join('.') || '(root)', reason: i.message, ...fieldErrorCode(i) }));

/** A zod issue as a code and its figures: the web words it in its reader's language, beside the
 *  field's own label ("请填写计划名称"); the English reason stays for API clients. */
export function fieldErrorCode(issue: z.core.$ZodIssue): Pick<FieldError, 'code' | 'params'> {
  switch (issue.code) {
    case 'invalid_type':
      // zod says what it received only in its message.
      return { code: issue.message.endsWith('received undefined') ? 'required' : 'invalid' };
    case 'too_small': {
      const limit = Number(issue.minimum);
      if (issue.origin === 'array' || issue.origin === 'set') return { code: 'too_few', params: { limit } };
      if (issue.origin === 'string') return limit <= 1 ? { code: 'required' } : { code: 'too_short', params: { limit } };
      return { code: issue.inclusive === false ? 'above' : 'min', params: { limit } };
    }
    case 'too_big': {
      const limit = Number(issue.maximum);
      if (issue.origin === 'array' || issue.origin === 'set') return { code: 'too_many', params: { limit } };
      if (issue.origin === 'string') return { code: 'too_long', params: { limit } };
      return { code: issue.inclusive === false ? 'below' : 'max', params: { limit } };
    }
    case 'invalid_value':
      return { code: 'choice' };
    case 'custom': {
      // A rule of the domain's own names itself in its issue's params (see planInconsistencies).
      const { rule, ...params } = (issue.params ?? {}) as Record<string, string | number>;
      return typeof rule === 'string' ? { code: rule, params } : {};
    }
    default:
      return { code: 'invalid' };
  }
}

/** Parses one part of a request, or answers 400 naming every invalid field. */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown, part: 'body' | 'query' | 'params'): z.infer<S> {
  const unstorable = nulCharacters(value, part === 'body' ? [] : [part]);
  if (unstorable.length) throw new HttpProblem(400, 'Invalid request', `the request ${part} has invalid fields`, unstorable);
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw new HttpProblem(400, 'Invalid request', `the request ${part} has invalid fields`, fieldErrors(parsed.error, part === 'body' ? undefined : part));
  return parsed.data;
}

/** No request of this API nests deeper; a deeper one is refused before anything walks it. */
const MAX_DEPTH = 32;
const NUL = 'contains a NUL character (U+0000), which cannot be stored';

/** Text with a NUL character (U+0000) cannot be stored in PostgreSQL: every field holding one.
 *  Walked without recursion, so no nesting can exhaust the stack. */
function nulCharacters(value: unknown, at: (string | number)[]): FieldError[] {
  const found: FieldError[] = [];
  const pending: { value: unknown; at: (string | number)[] }[] = [{ value, at }];
  for (let i = 0; i < pending.length; i++) {
    const next = pending[i]!;
    const field = next.at.join('.') || '(root)';
    if (typeof next.value === 'string') {
      if (next.value.includes('\u0000')) found.push({ field, reason: NUL });
    } else if (next.value && typeof next.value === 'object') {
      if (next.at.length - at.length >= MAX_DEPTH) return [{ field, reason: `nested more than ${MAX_DEPTH} levels deep` }];
      for (const [k, v] of Object.entries(next.value)) {
        if (k.includes('\u0000')) found.push({ field: [...next.at, k].join('.'), reason: NUL });
        pending.push({ value: v, at: [...next.at, Array.isArray(next.value) ? Number(k) : k] });
      }
    }
  }
  return found;
}

/** The Idempotency-Key header, if sent: at most 200 visible ASCII characters (it becomes part of a
 *  key that Temporal limits in length). */
export function idempotencyKeyOf(req: Request): string | undefined {
  const key = req.get('idempotency-key');
  if (key === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) throw new HttpProblem(400, 'Invalid request', 'the Idempotency-Key header is invalid', [{ field: 'Idempotency-Key', reason: 'use 1 to 200 visible ASCII characters, e.g. a UUID' }]);
  return key;
}

export const notFound: RequestHandler = (req) => {
  throw new HttpProblem(404, 'Not found', `no route ${req.method} ${req.path}`);
};

export function problemHandler(fallbackLog: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const log = requestLog(res, fallbackLog);
    let problem: HttpProblem;
    if (err instanceof HttpProblem) problem = err;
    else if (err?.type === 'entity.parse.failed') problem = new HttpProblem(400, 'Invalid JSON', 'the request body is not valid JSON');
    else if (err?.type === 'entity.too.large') problem = new HttpProblem(413, 'Request too large', 'the request body is too large');
    else if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) problem = new HttpProblem(err.status, 'Bad request', err.message);
    else if (isOutage(err)) {
      log.warn({ err, method: req.method, path: req.path }, 'dependency unavailable');
      problem = unavailable('the database or the workflow engine is not reachable');
    } else {
      log.error({ err, method: req.method, path: req.path }, 'unhandled error');
      problem = new HttpProblem(500, 'Internal error', 'something went wrong on our side; it was logged');
    }
    if (problem.retryAfterSeconds !== undefined) res.set('Retry-After', String(problem.retryAfterSeconds));
    noteProblem(res, problem.status, problem.code);
    res
      .status(problem.status)
      .type('application/problem+json')
      .json({
        type: 'about:blank',
        title: problem.title,
        status: problem.status,
        detail: problem.detail,
        code: problem.code,
        errors: problem.errors,
      });
  };
}
