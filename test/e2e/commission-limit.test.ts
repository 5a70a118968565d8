/**
 * The per-request commissioning limit: above MAX_COMMISSION_BATCH a 400 names the limit and nothing is
 * written; at the limit the commissioning commits within the gateway's write deadline (an answer past it
 * would be a 504 TIMEOUT or a 503 COMMIT_TIMEOUT, never a 201).
 */
import { MAX_COMMISSION_BATCH } from '@drugtrace/chaincode/domain';
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

describe(`POST /v1/batches: at most ${MAX_COMMISSION_BATCH} packs per request`, () => {
  let gtin: string;
  beforeAll(async () => {
    gtin = await registerProduct();
  });

  it.each([
    [
      'quantity',
      { quantity: MAX_COMMISSION_BATCH + 1 },
      new RegExp(`quantity must not be greater than ${MAX_COMMISSION_BATCH}`),
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

  it(`commits ${MAX_COMMISSION_BATCH} generated serials within the write deadline`, async () => {
    const lot = newLot();
    const started = Date.now();
    const res = await api<{ unitCount: number; serials: string[] }>('POST', '/v1/batches', {
      as: 'manufacturer',
      body: batchBody(gtin, lot, { quantity: MAX_COMMISSION_BATCH }),
    });
    const ms = Date.now() - started;
    expectStatus(res, 201);
    console.log(`commissioned ${MAX_COMMISSION_BATCH} packs in ${ms} ms`);
    expect(res.body.unitCount).toBe(MAX_COMMISSION_BATCH);
    expect(new Set(res.body.serials).size).toBe(MAX_COMMISSION_BATCH);
    const batch = await api<{ counts: { byState: Record<string, number> } }>(
      'GET',
      `/v1/batches/${gtin}/${lot}`,
      { as: 'manufacturer' },
    );
    expectStatus(batch, 200);
    expect(batch.body.counts.byState).toEqual({ ACTIVE: MAX_COMMISSION_BATCH });
  });
});
