/** Requests every route must refuse the same way: without a valid key, or with a body that is not the DTO. */
import { api, Role } from '../support/http';
import { expectProblem } from './supply-chain';

/** No key, an unknown key and a non-Bearer scheme are all 401 problems, before anything else is looked at. */
export async function expectAuthRequired(method: string, path: string, body?: unknown): Promise<void> {
  expectProblem(await api(method, path, { as: null, body }), 401, 'UNAUTHENTICATED');
  expectProblem(await api(method, path, { key: 'not-a-demo-key-0000000000', body }), 401, 'UNAUTHENTICATED');
  const basic = await api(method, path, { as: null, body, headers: { authorization: 'Basic dXNlcjpwYXNz' } });
  expectProblem(basic, 401, 'UNAUTHENTICATED');
}

/** Each of these roles gets a 403 problem, whatever the (valid) body. */
export async function expectForbiddenFor(
  roles: Role[],
  method: string,
  path: string,
  body?: unknown,
): Promise<void> {
  for (const as of roles) {
    const res = await api(method, path, { as, body });
    expectProblem(res, 403, 'FORBIDDEN');
  }
}

/**
 * Bodies that are not the route's DTO: wrong JSON types at the top level, prototype pollution, deep nesting,
 * huge strings, other content types. None may reach the ledger or produce a 500.
 */
export const ODD_BODIES: { name: string; body: string; contentType?: string }[] = [
  { name: 'null', body: 'null' },
  { name: 'an array', body: '[]' },
  { name: 'a string', body: '"text"' },
  { name: 'a number', body: '42' },
  { name: 'an empty object', body: '{}' },
  { name: '__proto__ pollution', body: '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}' },
  { name: 'deep nesting', body: '{"a":'.repeat(200) + '1' + '}'.repeat(200) },
  { name: 'a 100 kB string', body: JSON.stringify({ code: 'x'.repeat(100_000), gtin: 'y'.repeat(100_000) }) },
  { name: 'truncated JSON', body: '{"gtin":"0950' },
  { name: 'form data as JSON', body: 'gtin=09506000134352&lot=A1' },
  { name: 'text/plain', body: 'hello', contentType: 'text/plain' },
  { name: 'JSON sent as text/plain', body: '{"reason":"x"}', contentType: 'text/plain' },
];

/** Sends every odd body as `as` and expects a 4xx problem each time (never a 5xx). */
export async function expectOddBodiesRefused(as: Role, method: string, path: string): Promise<void> {
  const outcomes: { name: string; status: number; code: unknown }[] = [];
  for (const odd of ODD_BODIES) {
    const res = await api(method, path, {
      as,
      body: odd.body,
      headers: odd.contentType ? { 'content-type': odd.contentType } : {},
    });
    outcomes.push({ name: odd.name, status: res.status, code: (res.body as { code?: unknown })?.code });
  }
  for (const o of outcomes) {
    expect(o).toEqual({ name: o.name, status: expect.any(Number), code: expect.any(String) });
    expect([o.name, o.status >= 400 && o.status < 500]).toEqual([o.name, true]);
  }
}

/** The same GS1 key with its check digit off by one: well-formed length, wrong check digit. */
export const withWrongCheckDigit = (key: string): string =>
  key.slice(0, -1) + String((Number(key.slice(-1)) + 1) % 10);
