/**
 * Bad input never crashes anything and never answers 500: random and mutated scans against the
 * real gateway, and random request bodies for the routes that write. Bounded: a few hundred requests.
 */
import fc from 'fast-check';
import { api } from '../support/http';
import { Batch, commissionBatch, elementString, productBody } from './supply-chain';

const GS = '\u001d';

/** Every answer is a verdict (200) or a precise problem (400 with the AI and position when it is a code). */
function expectVerdictOrProblem(res: { status: number; body: Record<string, unknown> }, code: string): void {
  const context = JSON.stringify({ code, status: res.status, body: res.body });
  if (res.status === 200) {
    expect(['GENUINE', 'SUSPECT', 'COUNTERFEIT']).toContain(res.body.verdict);
  } else {
    expect(res.status === 400 ? 'ok' : context).toBe('ok');
    expect(res.body.code).toBe('INVALID');
    expect(typeof res.body.detail).toBe('string');
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js:\d+|EndorseError|grpc/i);
  }
}

describe('POST /v1/verify with random and mutated codes', () => {
  let batch: Batch;
  beforeAll(async () => {
    batch = await commissionBatch(1);
  });

  it('answers a verdict or a 400 for 150 random strings, never a 500', async () => {
    const codes = fc.sample(
      fc.oneof(
        fc.string({ maxLength: 80 }),
        fc.string({ unit: 'binary', maxLength: 60 }),
        fc.stringMatching(/^(\(\d{2,4}\)[0-9A-Za-z%&'*+,./:;<=>?_-]{0,24}){1,5}$/),
        fc.webUrl({ withQueryParameters: true }),
      ),
      { numRuns: 150, seed: 20261125 },
    );
    for (const code of codes) {
      if (code.length === 0 || code.length > 512) continue;
      expectVerdictOrProblem(await api('POST', '/v1/verify', { as: 'pharmacy', body: { code } }), code);
    }
  });

  it('answers a verdict or a 400 for 100 mutations of a genuine pack code', async () => {
    const printed = elementString(batch, batch.serials[0]);
    const raw = `]d201${batch.gtin}17${batch.expiry.slice(2).replace(/-/g, '')}10${batch.lot}${GS}21${batch.serials[0]}`;
    const mutate = fc
      .tuple(fc.constantFrom(printed, raw), fc.nat(), fc.string({ maxLength: 3 }), fc.nat({ max: 3 }))
      .map(([base, at, insert, remove]) => {
        const i = at % (base.length + 1);
        return base.slice(0, i) + insert + base.slice(i + remove);
      });
    for (const code of fc.sample(mutate, { numRuns: 100, seed: 7 })) {
      if (code.length === 0) continue;
      expectVerdictOrProblem(await api('POST', '/v1/verify', { as: 'pharmacy', body: { code } }), code);
    }
  });
});

describe('write routes with random bodies', () => {
  it('POST /v1/products and /v1/batches answer 4xx for 60 random JSON bodies, never 500', async () => {
    const bodies = fc.sample(
      fc.oneof(
        fc.jsonValue(),
        fc.record({ ...Object.fromEntries(Object.keys(productBody('0')).map((k) => [k, fc.jsonValue()])) }),
        fc.record({
          gtin: fc.string(),
          lot: fc.string(),
          expiry: fc.string(),
          manufacturedOn: fc.string(),
          quantity: fc.oneof(fc.integer(), fc.double(), fc.string()),
        }),
      ),
      { numRuns: 30, seed: 11 },
    );
    for (const body of bodies) {
      for (const path of ['/v1/products', '/v1/batches']) {
        const res = await api('POST', path, { as: 'manufacturer', body: JSON.stringify(body) });
        const context = JSON.stringify({ path, body, status: res.status, response: res.body });
        expect(res.status >= 400 && res.status < 500 ? 'ok' : context).toBe('ok');
      }
    }
  });
});
