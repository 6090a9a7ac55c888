/** HTTP test helpers: a bearer token per demo employee, and the problem+json check. */
import request from 'supertest';
import { people } from './fixtures';
import { startTestStack, type TestStack } from './stack';

export type Who = keyof typeof people;

/** `as(who)` gives the Authorization header of a demo employee. */
export async function demoCallers(stack: TestStack): Promise<(who: Who) => { Authorization: string }> {
  const tokens = Object.fromEntries(await Promise.all(Object.entries(people).map(async ([key, e]) => [key, await stack.token(e.id)] as const)));
  return (who) => ({ Authorization: `Bearer ${tokens[who]}` });
}

/** An RFC 9457 problem with this status, naming at least these invalid fields. */
export function expectProblem(res: request.Response, status: number, fields: string[] = []) {
  expect(res.status).toBe(status);
  expect(res.type).toBe('application/problem+json');
  expect(res.body).toMatchObject({ status, title: expect.any(String) });
  for (const field of fields) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
}

/** Sends a request as a client that follows the API's advice: again, with the same
 *  Idempotency-Key (or the decision's own key), after a 503 (a busy machine may take longer than
 *  the API's 10 s bound) or a connection the server refused or reset before reading the request.
 *  A message held up by a test's row lock waits as long as the lock: the test's timeout is the bound. */
export async function repeatedUntilAnswered(send: () => Promise<request.Response>, attempts = 30): Promise<request.Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await send();
      if (res.status !== 503 || attempt === attempts) return res;
    } catch (err) {
      if (!/ECONNREFUSED|ECONNRESET|socket hang up/.test(String(err)) || attempt === attempts) throw err;
    }
  }
}

/**
 * The file's stack, started before its tests and stopped after them, with the demo callers'
 * headers and a supertest agent on its app. `stack` stands for the stack once it is started.
 */
export function apiTestStack(options?: Parameters<typeof startTestStack>[0]) {
  let current: TestStack | undefined;
  let callers: ((who: Who) => { Authorization: string }) | undefined;
  beforeAll(async () => {
    current = await startTestStack(options);
    callers = await demoCallers(current);
  });
  afterAll(() => current?.stop());
  const stack = new Proxy({} as TestStack, { get: (_target, key) => current![key as keyof TestStack] });
  return { stack, as: (who: Who) => callers!(who), api: () => request(current!.app) };
}
