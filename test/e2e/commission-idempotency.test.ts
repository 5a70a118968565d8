/**
 * Idempotent commissioning through REST: a repeat under the same Idempotency-Key answers the first result and
 * adds no pack, two copies in flight at once commission once, another body under a used key is 409, a malformed
 * key is 400 — each refusal with the batch unchanged; a lot sent in pages resumes from its first page.
 */
import { api } from '../support/http';
import { newLot } from '../support/ids';
import { expectProblem, expectStatus, registerProduct } from './supply-chain';

interface Commissioned {
  unitCount: number;
  serials: string[];
  replayed?: boolean;
}

describe('POST /v1/batches with Idempotency-Key', () => {
  let gtin: string;
  beforeAll(async () => {
    gtin = await registerProduct();
  });

  const body = (lot: string, quantity: number) => ({
    gtin,
    lot,
    expiry: '2028-06-30',
    manufacturedOn: '2026-11-01',
    quantity,
  });
  const commission = (lot: string, quantity: number, key: string) =>
    api<Commissioned>('POST', '/v1/batches', {
      as: 'manufacturer',
      body: body(lot, quantity),
      headers: { 'idempotency-key': key },
    });
  const quantityOf = async (lot: string): Promise<number> => {
    const res = await api<{ quantity: number; counts: { byState: Record<string, number> } }>(
      'GET',
      `/v1/batches/${gtin}/${lot}`,
      { as: 'manufacturer' },
    );
    expectStatus(res, 200);
    return res.body.quantity;
  };

  it('a repeat answers the first serials (replayed) and commissions nothing more', async () => {
    const lot = newLot();
    const key = `${lot}/page-1`;
    const first = await commission(lot, 20, key);
    expectStatus(first, 201);
    expect(first.body.replayed).toBeUndefined();
    const again = await commission(lot, 20, key);
    expectStatus(again, 201);
    expect(again.body).toEqual({ ...first.body, replayed: true });
    expect(await quantityOf(lot)).toBe(20);
  });

  it('two copies sent at once (a client that repeated before the answer) commission once', async () => {
    const lot = newLot();
    const key = `${lot}/race`;
    const [a, b] = await Promise.all([commission(lot, 30, key), commission(lot, 30, key)]);
    expectStatus(a, 201);
    expectStatus(b, 201);
    expect(a.body.serials).toEqual(b.body.serials);
    expect([a.body.replayed, b.body.replayed].filter(Boolean)).toHaveLength(1);
    expect(await quantityOf(lot)).toBe(30);
  });

  it('another body under a used key is 409 naming the key, and the batch is unchanged', async () => {
    const lot = newLot();
    const key = `${lot}/k`;
    expectStatus(await commission(lot, 5, key), 201);
    const res = await commission(lot, 6, key);
    expectProblem(res, 409, 'CONFLICT');
    expect(res.body).toMatchObject({ detail: expect.stringContaining(`Idempotency-Key ${key}`) });
    expect(await quantityOf(lot)).toBe(5);
  });

  it('a malformed key is 400 and nothing is written', async () => {
    const lot = newLot();
    const res = await commission(lot, 5, 'no spaces allowed');
    expectProblem(res, 400, 'INVALID');
    expect(res.body).toMatchObject({ detail: expect.stringContaining('Idempotency-Key') });
    expectProblem(await api('GET', `/v1/batches/${gtin}/${lot}`, { as: 'manufacturer' }), 404, 'NOT_FOUND');
  });

  it('a lot in pages resumes by sending every page again: sent pages replay, the rest commission', async () => {
    const lot = newLot();
    const page = (n: number) => commission(lot, 10 + n, `${lot}/page-${n}`);
    const sent = [await page(0), await page(1)];
    sent.forEach((res) => expectStatus(res, 201));
    // The client lost track after page 1 (say a COMMIT_TIMEOUT): it starts over from the first page.
    const resumed = [await page(0), await page(1), await page(2)];
    resumed.forEach((res) => expectStatus(res, 201));
    expect(resumed.map((r) => r.body.replayed ?? false)).toEqual([true, true, false]);
    expect(resumed[0].body.serials).toEqual(sent[0].body.serials);
    expect(resumed[1].body.serials).toEqual(sent[1].body.serials);
    const serials = resumed.flatMap((r) => r.body.serials);
    expect(new Set(serials).size).toBe(10 + 11 + 12);
    expect(await quantityOf(lot)).toBe(10 + 11 + 12);
  });

  it('the key travels only as the header: in the body it is 400', async () => {
    const lot = newLot();
    const res = await api('POST', '/v1/batches', {
      as: 'manufacturer',
      body: { ...body(lot, 1), idempotencyKey: 'k' },
    });
    expectProblem(res, 400, 'INVALID');
  });
});
