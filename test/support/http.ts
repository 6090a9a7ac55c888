/** HTTP test helpers: a bearer token per demo employee, and the problem+json check. */
import type request from 'supertest';
import { people } from './fixtures';
import type { TestStack } from './stack';

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
