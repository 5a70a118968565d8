/**
 * Dispensing a pack at the pharmacy through the real gateway: only a pharmacy, only the custodian, only
 * once — also when four requests race for the same pack.
 */
import { api } from '../support/http';
import { newSerial } from '../support/ids';
import { expectAuthRequired, expectForbiddenFor, withWrongCheckDigit } from './probes';
import {
  batchAtPharmacy,
  commissionBatch,
  expectProblem,
  expectStatus,
  moveUnits,
  shipUnits,
} from './supply-chain';

const dispensePath = (gtin: string, serial: string): string => `/v1/units/${gtin}/${serial}/dispense`;

async function stateOf(gtin: string, serial: string): Promise<string> {
  const res = await api('GET', `/v1/units/${gtin}/${serial}`, { as: 'regulator' });
  expectStatus(res, 200);
  return res.body.state;
}

describe('POST /v1/units/{gtin}/{serial}/dispense', () => {
  it('401 without a key, with an unknown key, with a non-Bearer scheme', async () => {
    const b = await batchAtPharmacy(1);
    await expectAuthRequired('POST', dispensePath(b.gtin, b.serials[0]));
    expect(await stateOf(b.gtin, b.serials[0])).toBe('ACTIVE');
  });

  it('403 for distributor, manufacturer and regulator, and the pack stays ACTIVE', async () => {
    const b = await batchAtPharmacy(1);
    await expectForbiddenFor(
      ['distributor', 'manufacturer', 'regulator'],
      'POST',
      dispensePath(b.gtin, b.serials[0]),
    );
    expect(await stateOf(b.gtin, b.serials[0])).toBe('ACTIVE');
  });

  it('400 for a GTIN with a wrong check digit or a serial over 20 characters in the path', async () => {
    const b = await batchAtPharmacy(1);
    const badGtin = await api('POST', dispensePath(withWrongCheckDigit(b.gtin), b.serials[0]), {
      as: 'pharmacy',
    });
    expectProblem(badGtin, 400, 'INVALID');
    const longSerial = await api('POST', dispensePath(b.gtin, 'S'.repeat(21)), { as: 'pharmacy' });
    expectProblem(longSerial, 400, 'INVALID');
  });

  it('404 for a serial that was never commissioned', async () => {
    const b = await batchAtPharmacy(1);
    expectProblem(await api('POST', dispensePath(b.gtin, newSerial()), { as: 'pharmacy' }), 404, 'NOT_FOUND');
  });

  it('409 for a pharmacy that does not hold the pack (at the distributor, or on its way)', async () => {
    const b = await commissionBatch(2);
    await moveUnits(b, b.serials, 'manufacturer', 'distributor');
    const held = await api('POST', dispensePath(b.gtin, b.serials[0]), { as: 'pharmacy' });
    expectProblem(held, 409, 'CONFLICT');
    await shipUnits(b, [b.serials[1]], 'distributor', 'pharmacy');
    const inTransit = await api('POST', dispensePath(b.gtin, b.serials[1]), { as: 'pharmacy' });
    expectProblem(inTransit, 409, 'CONFLICT');
    expect(await stateOf(b.gtin, b.serials[0])).toBe('ACTIVE');
    expect(await stateOf(b.gtin, b.serials[1])).toBe('ACTIVE');
  });

  it('200 once, then 409 for the already dispensed pack', async () => {
    const b = await batchAtPharmacy(1);
    const first = await api('POST', dispensePath(b.gtin, b.serials[0]), { as: 'pharmacy' });
    expectStatus(first, 200);
    expect(first.body).toMatchObject({ gtin: b.gtin, serial: b.serials[0], state: 'DISPENSED' });
    const second = await api('POST', dispensePath(b.gtin, b.serials[0]), { as: 'pharmacy' });
    expectProblem(second, 409, 'CONFLICT');
  });

  it('four concurrent dispenses of one pack: exactly one 200, three 409, DISPENSED once in its history', async () => {
    const b = await batchAtPharmacy(1);
    const path = dispensePath(b.gtin, b.serials[0]);
    const results = await Promise.all([1, 2, 3, 4].map(() => api('POST', path, { as: 'pharmacy' })));
    const statuses = results.map((r) => r.status).sort();
    expect({ statuses, bodies: results.map((r) => r.body) }).toEqual(
      expect.objectContaining({ statuses: [200, 409, 409, 409] }),
    );
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.code).toBe('CONFLICT');
    expect(await stateOf(b.gtin, b.serials[0])).toBe('DISPENSED');
    const history = await api<{ events: { type: string }[] }>(
      'GET',
      `/v1/units/${b.gtin}/${b.serials[0]}/history`,
      {
        as: 'regulator',
      },
    );
    expectStatus(history, 200);
    expect(history.body.events.filter((e) => e.type === 'DISPENSED')).toHaveLength(1);
  });
});
