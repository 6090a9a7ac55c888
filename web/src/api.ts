import createClient from 'openapi-fetch';
import type { components, paths } from './generated/api';

export type Schemas = components['schemas'];
export type InboxTask = Schemas['InboxTask'];
export type Plan = Schemas['TrainingPlan'];
export type PlanSummary = Schemas['TrainingPlanSummary'];
export type Caller = Schemas['Caller'];
export type Employee = Schemas['Employee'];
export type NextTask = Schemas['NextTask'];
/** One field the API refused: its English reason, and a code with figures the app words for its reader. */
export type FieldError = NonNullable<Schemas['Problem']['errors']>[number];
/** A task, with what it says about 转交, 加签, 退回 and 抄送 (see taskActions.ts). */
export type ActionableTask = Schemas['Task'];
export type Delegation = Schemas['Delegation'];
export type Survey = Schemas['Survey'];
export type SurveyRun = Schemas['SurveyRun'];

/** An answer other than 2xx, as the API's problem+json describes it. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly errors: FieldError[],
    readonly code?: string,
  ) {
    super(detail ?? title);
  }
}

let token: string | undefined;
let onUnauthorized: () => void = () => {};
export const useToken = (value: string | undefined, signedOut: () => void) => {
  token = value;
  onUnauthorized = signedOut;
};

/** The typed client: paths, parameters, bodies and answers come from the API's OpenAPI document. */
export const api = createClient<paths>({ baseUrl: window.location.origin });
/** A spare copy of each message that may be sent again, made before its body is read. */
const spares = new WeakMap<Request, Request>();
/** Messages the API answers again rather than applies twice: those with an Idempotency-Key, and a
 *  task's decision (the API keys it by the task, the person and the decision). */
const repeatable = (r: Request) => r.headers.has('Idempotency-Key') || /\/tasks\/[^/]+\/decision$/.test(new URL(r.url).pathname);
api.use({
  onRequest({ request }) {
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    if (request.method !== 'GET' && repeatable(request)) spares.set(request, request.clone());
    return request;
  },
  /** A read or a repeatable message the API could not answer just now (503: PostgreSQL, Temporal or
   *  the flow busy) is sent again after its Retry-After, a few times, as the API advises; other
   *  changes are left to the person. */
  async onResponse({ request, response }) {
    const spare = request.method === 'GET' ? request : spares.get(request);
    let answer = response;
    for (let attempt = 1; answer.status === 503 && spare && attempt <= 3; attempt++) {
      const wait = Math.min(5, Number(answer.headers.get('Retry-After')) || 1);
      await new Promise((resume) => setTimeout(resume, wait * 1000));
      answer = await fetch(spare.clone());
    }
    return answer;
  },
});

/** A fresh Idempotency-Key. `crypto.randomUUID` exists only on secure origins (https, localhost),
 *  and a phone on the office network may open the app over plain http. */
export const newIdempotencyKey = () =>
  typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

/** The answer's body (none for a 204), or an ApiProblem; a 401 signs the user out. */
export async function answer<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok && (data !== undefined || response.status === 204)) return data as T;
  if (response.status === 401 && token) onUnauthorized();
  const p = (error ?? {}) as Partial<Schemas['Problem']>;
  throw new ApiProblem(response.status, p.title ?? response.statusText, p.detail, p.errors ?? [], p.code);
}
