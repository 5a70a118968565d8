/**
 * Custody moves through the real gateway: shipping needs the goods in hand, only the receiver receives or
 * rejects, only the sender cancels, and each shipment settles once.
 */
import { api } from '../support/http';
import { newGtin, newSerial, newSscc } from '../support/ids';
import {
  expectAuthRequired,
  expectForbiddenFor,
  expectOddBodiesRefused,
  withWrongCheckDigit,
} from './probes';
import {
  Batch,
  commissionBatch,
  expectProblem,
  expectStatus,
  glnOf,
  moveUnits,
  mspOf,
  shipUnits,
} from './supply-chain';

const toDistributor = (b: Batch, serials: string[]) => ({
  to: mspOf('distributor'),
  toGln: glnOf('distributor'),
  units: serials.map((serial) => ({ gtin: b.gtin, serial })),
});

/** Where the ledger says a pack is. */
async function custodyOf(b: Batch, serial: string): Promise<{ custodian: unknown; inTransit: boolean }> {
  const res = await api('GET', `/v1/units/${b.gtin}/${serial}`, { as: 'regulator' });
  expectStatus(res, 200);
  return { custodian: res.body.custodian, inTransit: res.body.inTransit };
}

const heldBy = (org: string) => ({ custodian: { msp: mspOf(org), gln: glnOf(org) }, inTransit: false });
const UNKNOWN_ID = 'ab'.repeat(32);

describe('POST /v1/shipments', () => {
  let batch: Batch;

  beforeAll(async () => {
    batch = await commissionBatch(4);
  });

  it('401 without a key, with an unknown key, with a non-Bearer scheme', async () => {
    await expectAuthRequired('POST', '/v1/shipments', toDistributor(batch, [batch.serials[0]]));
    expect(await custodyOf(batch, batch.serials[0])).toEqual(heldBy('manufacturer'));
  });

  it('400 for a bad GLN check digit, a bad SSCC, an unknown field, a wrong type, invalid JSON', async () => {
    const body = toDistributor(batch, [batch.serials[0]]);
    const cases: [string, unknown][] = [
      ['toGln', { ...body, toGln: withWrongCheckDigit(glnOf('distributor')) }],
      ['toGln', { ...body, toGln: '950600001000' }],
      ['containers', { ...body, containers: [withWrongCheckDigit(newSscc())] }],
      ['containers', { ...body, containers: ['10614141000000001'] }],
      ['priority', { ...body, priority: 'high' }],
      ['units', { ...body, units: 'all' }],
      ['units.0.serial', { ...body, units: [{ gtin: batch.gtin, serial: 42 }] }],
      ['units.0.gtin', { ...body, units: [{ gtin: withWrongCheckDigit(batch.gtin), serial: 'S1' }] }],
      ['to', { toGln: body.toGln, units: body.units }],
    ];
    for (const [field, bad] of cases) {
      const res = await api<{ errors?: { field: string }[] }>('POST', '/v1/shipments', {
        as: 'manufacturer',
        body: bad,
      });
      expectProblem(res, 400, 'INVALID');
      expect({ field, errors: res.body.errors?.map((e) => e.field) }).toEqual({
        field,
        errors: expect.arrayContaining([field]),
      });
    }
    const json = await api('POST', '/v1/shipments', { as: 'manufacturer', body: '{"to":"DistributorMSP",' });
    expectProblem(json, 400, 'INVALID');
    await expectOddBodiesRefused('manufacturer', 'POST', '/v1/shipments');
    expect(await custodyOf(batch, batch.serials[0])).toEqual(heldBy('manufacturer'));
  });

  it('409 when the caller does not hold the goods (not the custodian is a state conflict)', async () => {
    const res = await api('POST', '/v1/shipments', {
      as: 'distributor',
      body: {
        to: mspOf('pharmacy'),
        toGln: glnOf('pharmacy'),
        units: [{ gtin: batch.gtin, serial: batch.serials[1] }],
      },
    });
    expectProblem(res, 409, 'CONFLICT');
    expect(await custodyOf(batch, batch.serials[1])).toEqual(heldBy('manufacturer'));
  });

  it('404 for a pack that was never commissioned', async () => {
    const res = await api('POST', '/v1/shipments', {
      as: 'manufacturer',
      body: toDistributor(batch, [newSerial()]),
    });
    expectProblem(res, 404, 'NOT_FOUND');
    const noProduct = await api('POST', '/v1/shipments', {
      as: 'manufacturer',
      body: toDistributor({ ...batch, gtin: newGtin() }, [newSerial()]),
    });
    expectProblem(noProduct, 404, 'NOT_FOUND');
  });

  it('201 ships the pack; while IN_TRANSIT it cannot be shipped again (409)', async () => {
    const serial = batch.serials[2];
    const res = await api('POST', '/v1/shipments', {
      as: 'manufacturer',
      body: toDistributor(batch, [serial]),
    });
    expectStatus(res, 201);
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f]{64}$/),
      status: 'IN_TRANSIT',
      from: { msp: mspOf('manufacturer') },
      to: { msp: mspOf('distributor'), gln: glnOf('distributor') },
      units: [{ gtin: batch.gtin, serial }],
    });
    expect((await custodyOf(batch, serial)).inTransit).toBe(true);
    const again = await api('POST', '/v1/shipments', {
      as: 'manufacturer',
      body: { to: mspOf('pharmacy'), toGln: glnOf('pharmacy'), units: [{ gtin: batch.gtin, serial }] },
    });
    expectProblem(again, 409, 'CONFLICT');
  });
});

describe('GET /v1/shipments/{id}', () => {
  it('401 without a key; 400 for an id that is not 64 hex characters; 404 for an unknown one', async () => {
    await expectAuthRequired('GET', `/v1/shipments/${UNKNOWN_ID}`);
    for (const id of ['123', 'AB'.repeat(32), 'g'.repeat(64), 'a'.repeat(65)]) {
      expectProblem(await api('GET', `/v1/shipments/${id}`, { as: 'regulator' }), 400, 'INVALID');
    }
    expectProblem(await api('GET', `/v1/shipments/${UNKNOWN_ID}`, { as: 'regulator' }), 404, 'NOT_FOUND');
  });

  it('200 for sender, receiver and regulator; 403 for an organisation not party to it', async () => {
    const b = await commissionBatch(1);
    const id = await shipUnits(b, b.serials, 'manufacturer', 'distributor');
    for (const as of ['manufacturer', 'distributor', 'regulator'] as const) {
      const res = await api('GET', `/v1/shipments/${id}`, { as });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({ id, status: 'IN_TRANSIT' });
    }
    expectProblem(await api('GET', `/v1/shipments/${id}`, { as: 'pharmacy' }), 403, 'FORBIDDEN');
  });
});

describe('POST /v1/shipments/{id}/receive', () => {
  it('401 without a key; 400 for a malformed id; 404 for an unknown one', async () => {
    await expectAuthRequired('POST', `/v1/shipments/${UNKNOWN_ID}/receive`);
    const bad = await api('POST', '/v1/shipments/not-an-id/receive', { as: 'distributor' });
    expectProblem(bad, 400, 'INVALID');
    const unknown = await api('POST', `/v1/shipments/${UNKNOWN_ID}/receive`, { as: 'distributor' });
    expectProblem(unknown, 404, 'NOT_FOUND');
  });

  it('403 for the sender, a third party and the regulator; the goods stay in transit', async () => {
    const b = await commissionBatch(1);
    const id = await shipUnits(b, b.serials, 'manufacturer', 'distributor');
    await expectForbiddenFor(
      ['manufacturer', 'pharmacy', 'regulator'],
      'POST',
      `/v1/shipments/${id}/receive`,
    );
    expect((await custodyOf(b, b.serials[0])).inTransit).toBe(true);
  });

  it('200 for the receiver, who becomes custodian; receiving again is 409', async () => {
    const b = await commissionBatch(1);
    const id = await shipUnits(b, b.serials, 'manufacturer', 'distributor');
    const res = await api('POST', `/v1/shipments/${id}/receive`, { as: 'distributor' });
    expectStatus(res, 200);
    expect(res.body).toMatchObject({ id, status: 'RECEIVED' });
    expect(await custodyOf(b, b.serials[0])).toEqual(heldBy('distributor'));
    expectProblem(await api('POST', `/v1/shipments/${id}/receive`, { as: 'distributor' }), 409, 'CONFLICT');
  });
});

describe('POST /v1/shipments/{id}/reject', () => {
  it('401 without a key; 400 without a reason or with an unknown field', async () => {
    const b = await commissionBatch(1);
    const id = await shipUnits(b, b.serials, 'manufacturer', 'distributor');
    await expectAuthRequired('POST', `/v1/shipments/${id}/reject`, { reason: 'damaged' });
    const path = `/v1/shipments/${id}/reject`;
    expectProblem(await api('POST', path, { as: 'distributor', body: {} }), 400, 'INVALID');
    const extra = await api('POST', path, { as: 'distributor', body: { reason: 'damaged', refund: true } });
    expectProblem(extra, 400, 'INVALID');
    await expectOddBodiesRefused('distributor', 'POST', path);
    expect((await custodyOf(b, b.serials[0])).inTransit).toBe(true);
  });

  it('403 for the sender, a third party and the regulator', async () => {
    const b = await commissionBatch(1);
    const id = await shipUnits(b, b.serials, 'manufacturer', 'distributor');
    await expectForbiddenFor(
      ['manufacturer', 'pharmacy', 'regulator'],
      'POST',
      `/v1/shipments/${id}/reject`,
      {
        reason: 'damaged',
      },
    );
    expect((await custodyOf(b, b.serials[0])).inTransit).toBe(true);
  });

  it('200 for the receiver: custody returns to the sender, who may ship again; then receive is 409', async () => {
    const b = await commissionBatch(2);
    const id = await shipUnits(b, b.serials, 'manufacturer', 'distributor');
    const res = await api('POST', `/v1/shipments/${id}/reject`, {
      as: 'distributor',
      body: { reason: 'seal broken' },
    });
    expectStatus(res, 200);
    expect(res.body).toMatchObject({ id, status: 'REJECTED', reason: 'seal broken' });
    for (const serial of b.serials) expect(await custodyOf(b, serial)).toEqual(heldBy('manufacturer'));
    expectProblem(await api('POST', `/v1/shipments/${id}/receive`, { as: 'distributor' }), 409, 'CONFLICT');
    await moveUnits(b, b.serials, 'manufacturer', 'distributor');
    expect(await custodyOf(b, b.serials[1])).toEqual(heldBy('distributor'));
  });
});

describe('POST /v1/shipments/{id}/cancel', () => {
  it('401 without a key; 400 for a malformed id', async () => {
    await expectAuthRequired('POST', `/v1/shipments/${UNKNOWN_ID}/cancel`);
    const bad = await api('POST', `/v1/shipments/${'z'.repeat(64)}/cancel`, { as: 'manufacturer' });
    expectProblem(bad, 400, 'INVALID');
  });

  it('403 for the receiver, a third party and the regulator', async () => {
    const b = await commissionBatch(1);
    const id = await shipUnits(b, b.serials, 'manufacturer', 'distributor');
    await expectForbiddenFor(['distributor', 'pharmacy', 'regulator'], 'POST', `/v1/shipments/${id}/cancel`);
    expect((await custodyOf(b, b.serials[0])).inTransit).toBe(true);
  });

  it('200 for the sender before receipt: custody back with the sender; the receiver can no longer receive', async () => {
    const b = await commissionBatch(1);
    const id = await shipUnits(b, b.serials, 'manufacturer', 'distributor');
    const res = await api('POST', `/v1/shipments/${id}/cancel`, { as: 'manufacturer' });
    expectStatus(res, 200);
    expect(res.body).toMatchObject({ id, status: 'CANCELLED' });
    expect(await custodyOf(b, b.serials[0])).toEqual(heldBy('manufacturer'));
    expectProblem(await api('POST', `/v1/shipments/${id}/receive`, { as: 'distributor' }), 409, 'CONFLICT');
    expectProblem(await api('POST', `/v1/shipments/${id}/cancel`, { as: 'manufacturer' }), 409, 'CONFLICT');
  });

  it('409 once the shipment was received, and custody stays with the receiver', async () => {
    const b = await commissionBatch(1);
    const id = await shipUnits(b, b.serials, 'manufacturer', 'distributor');
    expectStatus(await api('POST', `/v1/shipments/${id}/receive`, { as: 'distributor' }), 200);
    expectProblem(await api('POST', `/v1/shipments/${id}/cancel`, { as: 'manufacturer' }), 409, 'CONFLICT');
    expect(await custodyOf(b, b.serials[0])).toEqual(heldBy('distributor'));
  });
});
