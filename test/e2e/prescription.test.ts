/**
 * A prescription through the real gateway: several packs dispensed in one transaction, all or none. A refused
 * prescription names the pack that blocked it and leaves every pack as it was.
 */
import { MAX_PRESCRIPTION_PACKS } from '@drugtrace/chaincode/domain';
import { api } from '../support/http';
import { newSerial } from '../support/ids';
import { expectAuthRequired, expectForbiddenFor } from './probes';
import {
  Batch,
  batchAtPharmacy,
  commissionBatch,
  expectProblem,
  expectStatus,
  moveUnits,
} from './supply-chain';

const PATH = '/v1/units/dispense';
const packs = (b: Batch, serials = b.serials) => serials.map((serial) => ({ gtin: b.gtin, serial }));

/** Each pack's state and unit document as the regulator reads it. */
async function unitsOf(b: Batch, serials = b.serials): Promise<Record<string, unknown>[]> {
  return Promise.all(
    serials.map(async (serial) => {
      const res = await api('GET', `/v1/units/${b.gtin}/${serial}`, { as: 'regulator' });
      expectStatus(res, 200);
      return res.body;
    }),
  );
}

describe('POST /v1/units/dispense (prescription)', () => {
  it('dispenses every listed pack in one transaction', async () => {
    const b = await batchAtPharmacy(3);
    const res = await api<{ units: { serial: string; state: string }[] }>('POST', PATH, {
      as: 'pharmacy',
      body: { units: packs(b) },
    });
    expectStatus(res, 200);
    expect(res.body.units.map((u) => [u.serial, u.state])).toEqual(b.serials.map((s) => [s, 'DISPENSED']));
    expect((await unitsOf(b)).map((u) => u.state)).toEqual(['DISPENSED', 'DISPENSED', 'DISPENSED']);
    // One transaction: every pack's history ends in the same DISPENSED transaction.
    const txIds = await Promise.all(
      b.serials.map(async (serial) => {
        const h = await api<{ events: { type: string; txId: string }[] }>(
          'GET',
          `/v1/units/${b.gtin}/${serial}/history`,
          { as: 'pharmacy' },
        );
        expectStatus(h, 200);
        const last = h.body.events[h.body.events.length - 1];
        expect(last.type).toBe('DISPENSED');
        return last.txId;
      }),
    );
    expect(new Set(txIds).size).toBe(1);
  });

  it('409 naming the already dispensed pack, and the other packs are unchanged', async () => {
    const b = await batchAtPharmacy(3);
    const blocker = b.serials[1];
    expectStatus(await api('POST', `/v1/units/${b.gtin}/${blocker}/dispense`, { as: 'pharmacy' }), 200);
    const before = await unitsOf(b);
    const res = await api('POST', PATH, { as: 'pharmacy', body: { units: packs(b) } });
    expectProblem(res, 409, 'CONFLICT');
    expect(res.body.detail).toContain(`${b.gtin}/${blocker}`);
    expect(await unitsOf(b)).toEqual(before);
    expect(before.map((u) => u.state)).toEqual(['ACTIVE', 'DISPENSED', 'ACTIVE']);
  });

  it('409 naming a pack the pharmacy does not hold (still at the distributor), nothing dispensed', async () => {
    const b = await commissionBatch(2);
    await moveUnits(b, b.serials, 'manufacturer', 'distributor');
    await moveUnits(b, [b.serials[0]], 'distributor', 'pharmacy');
    const before = await unitsOf(b);
    const res = await api('POST', PATH, { as: 'pharmacy', body: { units: packs(b) } });
    expectProblem(res, 409, 'CONFLICT');
    expect(res.body.detail).toContain(`${b.gtin}/${b.serials[1]}`);
    expect(await unitsOf(b)).toEqual(before);
  });

  it('409 naming a serial never commissioned, nothing dispensed', async () => {
    const b = await batchAtPharmacy(1);
    const unknown = newSerial();
    const res = await api('POST', PATH, {
      as: 'pharmacy',
      body: { units: packs(b, [b.serials[0], unknown]) },
    });
    expectProblem(res, 409, 'CONFLICT');
    expect(res.body.detail).toContain(`${b.gtin}/${unknown}`);
    expect((await unitsOf(b)).map((u) => u.state)).toEqual(['ACTIVE']);
  });

  it('400 past the limit (named), for an empty list and a pack listed twice; nothing dispensed', async () => {
    const b = await batchAtPharmacy(1);
    const tooMany = Array.from({ length: MAX_PRESCRIPTION_PACKS + 1 }, () => ({
      gtin: b.gtin,
      serial: newSerial(),
    }));
    const over = await api('POST', PATH, { as: 'pharmacy', body: { units: tooMany } });
    expectProblem(over, 400, 'INVALID');
    expect(JSON.stringify(over.body)).toContain(String(MAX_PRESCRIPTION_PACKS));
    expectProblem(await api('POST', PATH, { as: 'pharmacy', body: { units: [] } }), 400, 'INVALID');
    const twice = await api('POST', PATH, {
      as: 'pharmacy',
      body: { units: packs(b, [b.serials[0], b.serials[0]]) },
    });
    expectProblem(twice, 400, 'INVALID');
    expect(twice.body.detail).toContain('listed twice');
    expect((await unitsOf(b)).map((u) => u.state)).toEqual(['ACTIVE']);
  });

  it('401 without a key; 403 for other roles; the packs stay ACTIVE', async () => {
    const b = await batchAtPharmacy(1);
    await expectAuthRequired('POST', PATH);
    await expectForbiddenFor(['distributor', 'manufacturer', 'regulator'], 'POST', PATH, { units: packs(b) });
    expect((await unitsOf(b)).map((u) => u.state)).toEqual(['ACTIVE']);
  });
});
