/**
 * Building blocks for the bad-request property test (test/badRequests.property.test.ts): junk
 * values, broken bodies and query strings (checked against the API's own zod schemas, so each one
 * is invalid by construction), sending one request with supertest, checking the answer, and
 * snapshots of table rows to show that nothing was written.
 */
import fc from 'fast-check';
import querystring from 'node:querystring';
import type { Express } from 'express';
import request from 'supertest';
import type { Db } from '../../prisma/db';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** What goes on the wire after the headers. */
export type Body =
  /** serialised with JSON.stringify, sent as application/json */
  | { kind: 'json'; value: unknown }
  /** these exact characters, with this Content-Type (none when undefined) and Content-Encoding */
  | { kind: 'raw'; text: string; contentType?: string; contentEncoding?: string }
  /** application/x-www-form-urlencoded */
  | { kind: 'form'; value: Record<string, string> }
  /** valid JSON just over express.json's 1 MB limit (built when sent, not kept in memory) */
  | { kind: 'oversized' };

export interface BadRequest {
  /** The route as the API documents it, e.g. `POST /api/v1/tasks/{id}/decision`. */
  route: string;
  method: Method;
  /** Path and query string, already percent-encoded as they go on the wire. */
  path: string;
  /** Who calls, for the report: a demo employee key or a description of the bad credentials. */
  as: string;
  authorization?: string;
  headers: Record<string, string>;
  body?: Body;
  /** The rule(s) this request breaks. */
  why: string;
  /** True when the request must be refused (4xx); false when an empty 2xx answer is also correct
   *  (a filter value that cannot match anything). */
  mustRefuse: boolean;
}

// ---- junk ----------------------------------------------------------------------------------

/** Strings that are awkward for parsers, databases and logs. */
export const WEIRD_STRINGS = [
  '',
  ' ',
  '\t\n\r',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  '😀',
  '\u202etxt.exe',
  '\ufeff',
  "'; DROP TABLE task; --",
  '<script>alert(1)</script>',
  '${7*7}{{7*7}}',
  '../../../../etc/passwd',
  '%00',
  'null',
  'undefined',
  'NaN',
  '-1',
  'true',
  '[]',
  '{}',
  'é',
] as const;

/** Numbers outside every range the API accepts somewhere, and non-integers. */
export const EXTREME_NUMBERS = [-1, 0, 1.5, -0.5, 6, 601, 1e9, -1e9, 1e21, 1e308, -1e308, 2 ** 53 + 2, -(2 ** 53) - 2, 0.0001] as const;

export const hugeString = fc
  .tuple(fc.constantFrom('a', '字', '😀', ' ', 'x\u0000'), fc.integer({ min: 2_100, max: 120_000 }))
  .map(([unit, n]) => unit.repeat(n));

/** Deeply nested arrays or objects. */
export const deepNest = fc.tuple(fc.boolean(), fc.integer({ min: 20, max: 2_000 })).map(([arrays, depth]) => {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = arrays ? [v] : { a: v };
  return v;
});

/** An object with thousands of keys, and one with own `__proto__` / `constructor` keys. */
export const wideObject = fc.integer({ min: 500, max: 6_000 }).map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i])));
export const protoJunk = fc.constantFrom(
  JSON.parse('{"__proto__": {"isAdmin": true, "roles": ["admin"]}}') as unknown,
  JSON.parse('{"constructor": {"prototype": {"isAdmin": true}}}') as unknown,
  JSON.parse('{"__proto__": null, "toString": 1, "valueOf": "x"}') as unknown,
);

/** Any JSON value at all, with a bias towards the nasty ones. */
export const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom<unknown>(null, true, false, 0, -1, {}, [], [null], [[]], [{}]), weight: 3 },
  { arbitrary: fc.constantFrom(...EXTREME_NUMBERS), weight: 2 },
  { arbitrary: fc.constantFrom(...WEIRD_STRINGS), weight: 3 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 3 },
  { arbitrary: hugeString, weight: 1 },
  { arbitrary: deepNest, weight: 1 },
  { arbitrary: wideObject, weight: 1 },
  { arbitrary: protoJunk, weight: 1 },
);

/** A JSON value of another type than `v` (a string for a number, an array for an object, ...). */
export function otherTypeThan(v: unknown): fc.Arbitrary<unknown> {
  const all: Record<string, fc.Arbitrary<unknown>> = {
    string: fc.constantFrom('1', 'true', 'approve', '2027-03-01', ''),
    number: fc.constantFrom(1, 0, -1, 3.5),
    boolean: fc.boolean(),
    null: fc.constant(null),
    array: fc.constantFrom<unknown>([], [v], ['a', 1]),
    object: fc.constantFrom<unknown>({}, { value: v }, { 0: v }),
  };
  const type = v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
  return fc.oneof(...Object.entries(all).filter(([t]) => t !== type).map(([, a]) => a));
}

// ---- broken bodies -------------------------------------------------------------------------

type Path = (string | number)[];

function pathsOf(v: unknown, prefix: Path = []): Path[] {
  if (v === null || typeof v !== 'object') return [];
  const entries: [string | number, unknown][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
  return entries.flatMap(([k, x]) => [[...prefix, k], ...pathsOf(x, [...prefix, k])]);
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function getAt(root: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, k) => (node as Record<string | number, unknown>)[k], root);
}

function setAt(root: unknown, path: Path, value: unknown, remove = false): unknown {
  if (path.length === 0) return value;
  const copy = clone(root);
  const parent = getAt(copy, path.slice(0, -1)) as Record<string | number, unknown> | unknown[];
  const key = path.at(-1)!;
  if (remove) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key as string];
  } else (parent as Record<string | number, unknown>)[key] = value;
  return copy;
}

const BAD_DATES = ['2027-02-30', '2027-13-01', '2027-00-10', '27-03-01', '2027/03/01', '2027-3-1', '01.03.2027', 'tomorrow', '2027-03-01T25:00:00+08:00', '2027-03-10 09:00', '2027-03-10T09:00:00', '2027-03-10T09:00:00+25:00', '+275760-09-13', '0000-00-00', ''];

/** What to do to one place of a valid body. */
type Mutation = 'remove' | 'otherType' | 'junk' | 'huge' | 'number' | 'blank' | 'badDate' | 'badEnum' | 'emptyArray' | 'extraItems';

function mutationAt(base: unknown, path: Path): fc.Arbitrary<{ value: unknown; why: string }> {
  const at = getAt(base, path);
  const where = path.join('.');
  const options: fc.Arbitrary<{ value: unknown; why: string }>[] = [];
  const add = (kind: Mutation, arb: fc.Arbitrary<unknown>, remove = false) => options.push(arb.map((v) => ({ value: setAt(base, path, v, remove), why: `${kind} at ${where}` })));
  add('remove', fc.constant(undefined), true);
  add('otherType', otherTypeThan(at));
  add('junk', junkValue);
  add('huge', hugeString);
  if (typeof at === 'number') add('number', fc.constantFrom(...EXTREME_NUMBERS));
  if (typeof at === 'string') {
    add('blank', fc.constantFrom('', '   ', '\t\n'));
    add('badDate', fc.constantFrom(...BAD_DATES));
    add('badEnum', fc.constantFrom('bogus', at.toUpperCase(), ` ${at}`, `${at}\u0000`, 'APPROVE', 'proto'));
  }
  if (Array.isArray(at)) {
    add('emptyArray', fc.constant([]));
    add('extraItems', fc.array(junkValue, { minLength: 1, maxLength: 3 }).map((extra) => [...at, ...extra]));
  }
  return fc.oneof(...options);
}

/**
 * A JSON body the schema refuses: a valid `base` with one place broken (removed, another type,
 * junk, a huge string, a number out of range, a bad date or enum value, an empty array), or a
 * root that is not an object. `accepts` is the route's own validation.
 */
export function brokenBody(base: object, accepts: (body: unknown) => boolean): fc.Arbitrary<{ body: Body; why: string }> {
  const paths = pathsOf(base);
  const mutated = paths.length
    ? fc.constantFrom(...paths).chain((p) => mutationAt(base, p))
    : fc.constant({ value: { unexpected: true }, why: 'unexpected field' });
  const twice = mutated.chain((first) => {
    const more = pathsOf(first.value);
    return more.length ? fc.constantFrom(...more).chain((p) => mutationAt(first.value, p)).map((second) => ({ value: second.value, why: `${first.why}; ${second.why}` })) : fc.constant(first);
  });
  const roots = fc.constantFrom<{ value: unknown; why: string }>(
    { value: [], why: 'an array where an object is expected' },
    { value: [base], why: 'the object wrapped in an array' },
    { value: [base, base], why: 'an array of objects' },
  );
  return fc
    .oneof({ arbitrary: mutated, weight: 6 }, { arbitrary: twice, weight: 2 }, { arbitrary: roots, weight: 1 })
    .map(({ value, why }) => ({ value: value === undefined ? undefined : clone(value), why }))
    .filter(({ value }) => !accepts(value ?? {}))
    .map(({ value, why }) => ({ body: { kind: 'json', value } as Body, why: `body: ${why}` }));
}

/** Request bodies that are not JSON, or not the JSON express.json will read. */
export function badJsonText(valid: object): fc.Arbitrary<{ body: Body; why: string }> {
  const text = JSON.stringify(valid);
  const broken = fc.oneof(
    fc.constantFrom('{', '}', '{"a":}', "{'title': 'x'}", '{"a":1,}', '{"a":1}}', '[1,2', 'NaN', 'undefined', '{"a": NaN}', '{"a": Infinity}', '{"a": 01}', '{"a": "\u0000"', '/* c */ {}', '\u0000', ' ', 'null', 'true', '"a string"', '42', '1e999', '{"a":"\\x41"}', '{"a":"\\ud800"'),
    fc.integer({ min: 1, max: Math.max(1, text.length - 1) }).map((n) => text.slice(0, n)),
    fc.constantFrom(`${text}garbage`, `${text}${text}`, text.replace(/"/g, "'"), `\ufeff\ufeff${text}`),
  );
  return broken.map((t) => ({ body: { kind: 'raw', text: t, contentType: 'application/json' } as Body, why: `malformed JSON: ${JSON.stringify(t.slice(0, 60))}` }));
}

/** JSON that body-parser refuses by its headers: a charset it does not read, a compression that
 *  is not there or that it does not know, more than 1 MB. */
export function unreadableBody(valid: object): fc.Arbitrary<{ body: Body; why: string }> {
  const text = JSON.stringify(valid);
  return fc.oneof(
    fc.constantFrom('utf-16', 'latin1', 'ucs-2', 'koi8-r', 'x-bogus').map((cs) => ({ body: { kind: 'raw', text, contentType: `application/json; charset=${cs}` } as Body, why: `JSON in charset ${cs}` })),
    fc.constantFrom('gzip', 'deflate', 'br', 'compress', 'x-bogus', 'gzip, gzip').map((enc) => ({ body: { kind: 'raw', text, contentType: 'application/json', contentEncoding: enc } as Body, why: `Content-Encoding ${enc} on a plain body` })),
    fc.constant({ body: { kind: 'oversized' } as Body, why: 'a JSON body over 1 MB' }),
  );
}

/** The same valid fields sent in a form the API does not read as JSON (so the fields are missing). */
export function wrongContentType(valid: object): fc.Arbitrary<{ body: Body; why: string }> {
  const text = JSON.stringify(valid);
  const form = Object.fromEntries(Object.entries(valid).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  return fc.oneof(
    fc.constantFrom('text/plain', 'application/xml', 'application/vnd.api+json', 'application/octet-stream', 'application/jsonx', 'multipart/form-data; boundary=x').map((ct) => ({ body: { kind: 'raw', text, contentType: ct } as Body, why: `JSON sent as ${ct}` })),
    fc.constant({ body: { kind: 'form', value: form } as Body, why: 'the fields as a urlencoded form' }),
    fc.constant({ body: { kind: 'raw', text } as Body, why: 'JSON without a Content-Type' }),
  );
}

// ---- query strings -------------------------------------------------------------------------

/** Values a list's `limit` / `offset` / enum filters refuse (the schema decides which). */
export const BAD_QUERY_VALUES = ['0', '-1', '1.5', 'abc', 'NaN', 'Infinity', '-Infinity', '1e400', '201', '10001', '99999999999999999999', '', ' ', 'null', 'true', '%', 'bogus', 'OPEN', 'open ', '\u0000'];

/**
 * A query string the schema refuses: some of `keys` set to bad values, repeated keys (arrays where
 * one value is expected), malformed percent-encoding. `accepts` parses as Express's simple query
 * parser would.
 */
export function badQuery(keys: string[], accepts: (query: Record<string, unknown>) => boolean, valid: Record<string, string> = {}): fc.Arbitrary<{ query: string; why: string }> {
  const oneBad = fc.record({ key: fc.constantFrom(...keys), value: fc.oneof(fc.constantFrom(...BAD_QUERY_VALUES), fc.string({ maxLength: 12 })) }).map(({ key, value }) => ({
    query: querystring.stringify({ ...valid, [key]: value }),
    why: `${key}=${JSON.stringify(value)}`,
  }));
  const repeated = fc.constantFrom(...keys).map((key) => ({ query: `${querystring.stringify(valid)}&${key}=1&${key}=2`, why: `${key} given twice` }));
  const malformed = fc.tuple(fc.constantFrom(...keys), fc.constantFrom('%', '%E0%A4%A', '%zz', '%FF%FE', '%C0%AF', '%00%00')).map(([key, raw]) => ({ query: `${key}=${raw}`, why: `${key}=${raw} (raw)` }));
  const huge = fc.tuple(fc.constantFrom(...keys), fc.integer({ min: 300, max: 6_000 })).map(([key, n]) => ({ query: `${key}=${'9'.repeat(n)}`, why: `${key} = ${n} nines` }));
  return fc
    .oneof({ arbitrary: oneBad, weight: 5 }, { arbitrary: repeated, weight: 1 }, { arbitrary: malformed, weight: 1 }, { arbitrary: huge, weight: 1 })
    .filter(({ query }) => !accepts(querystring.parse(query.replace(/^&/, '')) as Record<string, unknown>));
}

// ---- sending and checking ------------------------------------------------------------------

/** Sends one request with supertest against the app (no network beyond the loopback). */
export async function send(app: Express, r: BadRequest): Promise<request.Response> {
  let t = request(app)[r.method](r.path).timeout({ deadline: 60_000 });
  if (r.authorization !== undefined) t = t.set('Authorization', r.authorization);
  for (const [name, value] of Object.entries(r.headers)) t = t.set(name, value);
  const b = r.body;
  if (b?.kind === 'json') t = t.set('Content-Type', 'application/json').send(JSON.stringify(b.value));
  else if (b?.kind === 'raw') {
    if (b.contentType !== undefined) t = t.set('Content-Type', b.contentType);
    if (b.contentEncoding !== undefined) t = t.set('Content-Encoding', b.contentEncoding);
    t = t.send(b.text);
  } else if (b?.kind === 'form') t = t.type('form').send(b.value);
  else if (b?.kind === 'oversized') t = t.set('Content-Type', 'application/json').send(`{"title":"${'x'.repeat(1_100_000)}"}`);
  return await t;
}

export interface Violation {
  rule: string;
  request: string;
  response: string;
}

const cut = (s: string, n = 400) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

export function describeRequest(r: BadRequest): string {
  const body = r.body === undefined ? '(no body)' : r.body.kind === 'oversized' ? '(1.1 MB of JSON)' : r.body.kind === 'json' ? cut(JSON.stringify(r.body.value) ?? 'undefined', 300) : r.body.kind === 'form' ? `form ${cut(JSON.stringify(r.body.value), 300)}` : `${r.body.contentType ?? '(no Content-Type)'}${r.body.contentEncoding ? ` ${r.body.contentEncoding}` : ''} ${cut(JSON.stringify(r.body.text), 300)}`;
  const shown = Object.entries(r.headers).map(([k, v]) => `${k}: ${v.length > 60 ? `${JSON.stringify(v.slice(0, 20))}… (${v.length} chars)` : JSON.stringify(v)}`);
  const headers = shown.length ? ` headers {${shown.join(', ')}}` : '';
  return `${r.method.toUpperCase()} ${cut(r.path, 300)} as ${r.as}${headers} body ${body} — breaks: ${cut(r.why, 300)}`;
}

export function describeResponse(res: request.Response): string {
  const body = res.body && Object.keys(res.body).length ? JSON.stringify(res.body) : (res.text ?? '');
  return `${res.status} ${res.type || '(no content type)'} ${cut(body, 600)}`;
}

/** Properties (1) and (2), and that a request invalid by construction is refused. */
export function check(r: BadRequest, res: request.Response): Violation[] {
  const found: string[] = [];
  if (res.status >= 500) found.push(`status ${res.status} (>= 500)`);
  if (res.status >= 400 && res.status < 500) {
    if (res.type !== 'application/problem+json') found.push(`4xx with content type ${res.type || '(none)'}, not application/problem+json`);
    if (typeof res.body?.title !== 'string' || res.body.title === '') found.push('4xx problem without a title');
    if (res.body?.status !== res.status) found.push(`4xx problem whose status is ${JSON.stringify(res.body?.status)}, not ${res.status}`);
  }
  if (r.mustRefuse && res.status < 400) found.push(`invalid request answered ${res.status}`);
  return found.map((rule) => ({ rule, request: describeRequest(r), response: describeResponse(res) }));
}

// ---- rows ----------------------------------------------------------------------------------

export interface TableState {
  rows: number;
  /** md5 over every row's text, so an UPDATE shows too, not only an INSERT or DELETE. */
  digest: string;
}

export async function tableStates(db: Db, tables: readonly string[]): Promise<Record<string, TableState>> {
  const entries = await Promise.all(
    tables.map(async (table) => {
      if (!/^[a-z_]+$/.test(table)) throw new Error(`not a table name: ${table}`);
      const [row] = await db.$queryRawUnsafe<{ rows: number; digest: string | null }[]>(`SELECT count(*)::int AS rows, md5(string_agg(t::text, E'\\n' ORDER BY t::text)) AS digest FROM "${table}" t`);
      return [table, { rows: row!.rows, digest: row!.digest ?? '' }] as const;
    }),
  );
  return Object.fromEntries(entries);
}
