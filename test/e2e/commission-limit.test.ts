/**
 * The per-request commissioning limits: above MAX_COMMISSION_BATCH given serials or MAX_GENERATED_BATCH generated
 * ones a 400 names the limit and nothing is written; at the limit the commissioning commits within the gateway's
 * write deadline (an answer past it would be a 504 TIMEOUT or a 503 COMMIT_TIMEOUT, never a 201).
 */
import { MAX_COMMISSION_BATCH, MAX_GENERATED_BATCH } from '@drugtrace/chaincode/domain';
import { api } from '../support/http';
import { newLot, newSerial } from '../support/ids';
import { expectProblem, expectStatus, registerProduct } from './supply-chain';

const batchBody = (gtin: string, lot: string, over: Record<string, unknown>) => ({
  gtin,
  lot,
  expiry: '2028-06-30',
  manufacturedOn: '2026-11-01',
  ...over,
});

describe(`POST /v1/batches: at most ${MAX_COMMISSION_BATCH} given or ${MAX_GENERATED_BATCH} generated packs per request`, () => {
  let gtin: string;
  beforeAll(async () => {
    gtin = await registerProduct();
  });

  it.each([
    [
      'quantity',
      { quantity: MAX_GENERATED_BATCH + 1 },
      new RegExp(`quantity must not be greater than ${MAX_GENERATED_BATCH}`),
    ],
    [
      'serials',
      { serials: Array.from({ length: MAX_COMMISSION_BATCH + 1 }, newSerial) },
      new RegExp(`serials must contain no more than ${MAX_COMMISSION_BATCH} elements`),
    ],
  ])('400 naming the limit for one %s too many, and nothing is written', async (_what, over, message) => {
    const lot = newLot();
    const res = await api('POST', '/v1/batches', { as: 'manufacturer', body: batchBody(gtin, lot, over) });
    expectProblem(res, 400, 'INVALID');
    expect(res.body.detail).toMatch(message);
    expectProblem(await api('GET', `/v1/batches/${gtin}/${lot}`, { as: 'manufacturer' }), 404, 'NOT_FOUND');
  });

  it.each([
    ['generated', MAX_GENERATED_BATCH, (n: number) => ({ quantity: n })],
    ['given', MAX_COMMISSION_BATCH, (n: number) => ({ serials: Array.from({ length: n }, newSerial) })],
  ])(
    'commits the most %s serials a request may carry (%d) within the write deadline',
    async (_what, n, over) => {
      const lot = newLot();
      const started = Date.now();
      const res = await api<{ unitCount: number; serials: string[] }>('POST', '/v1/batches', {
        as: 'manufacturer',
        body: batchBody(gtin, lot, over(n)),
      });
      const ms = Date.now() - started;
      expectStatus(res, 201);
      console.log(`commissioned ${n} ${_what} packs in ${ms} ms`);
      expect(res.body.unitCount).toBe(n);
      expect(new Set(res.body.serials).size).toBe(n);
      const batch = await api<{ counts: { byState: Record<string, number> } }>(
        'GET',
        `/v1/batches/${gtin}/${lot}`,
        { as: 'manufacturer' },
      );
      expectStatus(batch, 200);
      expect(batch.body.counts.byState).toEqual({ ACTIVE: n });
    },
  );
});
