/**
 * Generated serials stored as one chunk key per commissioning page, against the real network: a generated lot's
 * packs verify GENUINE (the replica's verdict equal to the chaincode's, ?consistency=ledger), ship, receive and
 * dispense as any pack; each history is the chunk's COMMISSIONED then the pack's own changes; the batch counts
 * equal the packs' states; a serial never generated under the lot's prefix is UNKNOWN_SERIAL; index:verify finds
 * no drift between the read model and the peer.
 */
import { api } from '../support/http';
import { newLot } from '../support/ids';
import { indexVerify } from '../support/index-cli';
import {
  Batch,
  elementString,
  expectStatus,
  glnOf,
  moveUnits,
  mspOf,
  registerProduct,
  seenBy,
} from './supply-chain';

interface Verification {
  verdict: string;
  reasons: string[];
  asOfBlock?: number;
}

async function verifyBothWays(code: string): Promise<Verification> {
  const replica = await api<Verification>('POST', '/v1/verify', { as: 'manufacturer', body: { code } });
  const ledger = await api<Verification>('POST', '/v1/verify?consistency=ledger', {
    as: 'manufacturer',
    body: { code },
  });
  expectStatus(replica, 200);
  expectStatus(ledger, 200);
  expect(verdictOf(replica.body)).toEqual(verdictOf(ledger.body));
  return replica.body;
}

/** A verdict less what belongs to each answer: its block, its signed receipt and its own ID. */
function verdictOf(answer: Verification): Record<string, unknown> {
  const verdict: Record<string, unknown> = { ...answer };
  for (const own of ['asOfBlock', 'receipt', 'txId']) delete verdict[own];
  return verdict;
}

describe('generated serials in chunks', () => {
  let lot: Batch;
  const PACKS = 50;

  beforeAll(async () => {
    const gtin = await registerProduct();
    const body = { gtin, lot: newLot(), expiry: '2028-06-30', manufacturedOn: '2026-11-01', quantity: PACKS };
    const res = await api<{ serials: string[] }>('POST', '/v1/batches', { as: 'manufacturer', body });
    expectStatus(res, 201);
    lot = { gtin, lot: body.lot, expiry: body.expiry, serials: res.body.serials };
  });

  it('generates serials under one claimed prefix, each a GENUINE pack at the manufacturer', async () => {
    expect(lot.serials).toHaveLength(PACKS);
    expect(new Set(lot.serials.map((s) => s.slice(0, 4))).size).toBe(1);
    for (const serial of lot.serials.slice(0, 5))
      expect(await verifyBothWays(elementString(lot, serial))).toMatchObject({ verdict: 'GENUINE' });
    const unit = await api<{ state: string; custodian: { msp: string; gln: string } }>(
      'GET',
      `/v1/units/${lot.gtin}/${lot.serials[3]}`,
      { as: 'regulator' },
    );
    expectStatus(unit, 200);
    expect(unit.body).toMatchObject({
      state: 'ACTIVE',
      custodian: { msp: mspOf('manufacturer'), gln: glnOf('manufacturer') },
    });
  });

  it('calls a serial never generated under the lot’s prefix UNKNOWN_SERIAL', async () => {
    const never = lot.serials[0].slice(0, 4) + 'ZZZZZZZZ';
    expect(lot.serials).not.toContain(never);
    expect(await verifyBothWays(elementString(lot, never))).toMatchObject({
      verdict: 'COUNTERFEIT',
      reasons: ['UNKNOWN_SERIAL'],
    });
    const unit = await api('GET', `/v1/units/${lot.gtin}/${never}`, { as: 'regulator' });
    expect(unit.status).toBe(404);
  });

  it('ships, receives and dispenses chunk packs; history is exact; counts and the read model agree', async () => {
    const moved = lot.serials.slice(0, 3);
    await moveUnits(lot, moved, 'manufacturer', 'distributor');
    await moveUnits(lot, moved, 'distributor', 'pharmacy');
    const dispense = await api('POST', `/v1/units/${lot.gtin}/${moved[0]}/dispense`, { as: 'pharmacy' });
    expectStatus(dispense, 200);

    const history = await api<{ events: { type: string; org: string }[] }>(
      'GET',
      `/v1/units/${lot.gtin}/${moved[0]}/history`,
      { as: 'regulator' },
    );
    expectStatus(history, 200);
    expect(history.body.events.map((e) => [e.type, e.org])).toEqual([
      ['COMMISSIONED', mspOf('manufacturer')],
      ['SHIPPED', mspOf('manufacturer')],
      ['RECEIVED', mspOf('distributor')],
      ['SHIPPED', mspOf('distributor')],
      ['RECEIVED', mspOf('pharmacy')],
      ['DISPENSED', mspOf('pharmacy')],
    ]);
    const still = await api<{ events: { type: string }[] }>(
      'GET',
      `/v1/units/${lot.gtin}/${lot.serials[10]}/history`,
      { as: 'regulator' },
    );
    expect(still.body.events.map((e) => e.type)).toEqual(['COMMISSIONED']);

    expect(await verifyBothWays(elementString(lot, moved[0]))).toMatchObject({
      reasons: ['ALREADY_DISPENSED'],
    });
    for (const serial of [moved[1], lot.serials[10]])
      expect(await verifyBothWays(elementString(lot, serial))).toMatchObject({ verdict: 'GENUINE' });

    const expected = {
      byState: { ACTIVE: PACKS - 1, DISPENSED: 1 },
      byCustodian: [
        { msp: mspOf('manufacturer'), gln: glnOf('manufacturer'), state: 'ACTIVE', count: PACKS - 3 },
        { msp: mspOf('pharmacy'), gln: glnOf('pharmacy'), state: 'ACTIVE', count: 2 },
        { msp: mspOf('pharmacy'), gln: glnOf('pharmacy'), state: 'DISPENSED', count: 1 },
      ],
    };
    await seenBy(
      'regulator',
      `/v1/batches/${lot.gtin}/${lot.lot}`,
      (r) => (r.body as { counts?: typeof expected }).counts?.byState.DISPENSED === 1,
    );
    const batch = await api<{ counts: typeof expected }>('GET', `/v1/batches/${lot.gtin}/${lot.lot}`, {
      as: 'regulator',
    });
    expect(batch.body.counts.byState).toEqual(expected.byState);
    expect(batch.body.counts.byCustodian).toEqual(expect.arrayContaining(expected.byCustodian));
    expect(batch.body.counts.byCustodian).toHaveLength(expected.byCustodian.length);

    expect(indexVerify()).toMatch(/answers compared with the peer's, 0 drifted/);
  });
});
