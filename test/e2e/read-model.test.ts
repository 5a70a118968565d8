/**
 * The read model against the real network: every verdict from the replica equals the chaincode's own (the
 * peer's evaluate, ?consistency=ledger) for every reason a verdict can give; reads and writes name their
 * block; X-Min-Block waits, then 503; `npm run index:verify` finds no drift.
 */
import { REASON_CODES } from '@drugtrace/chaincode/domain';
import { api, Role } from '../support/http';
import { newGtin, newLot, newSerial } from '../support/ids';
import { indexVerify } from '../support/index-cli';
import {
  Batch,
  batchAtPharmacy,
  commissionBatch,
  elementString,
  expectStatus,
  moveUnits,
  registerProduct,
  shipUnits,
} from './supply-chain';

interface Verification {
  verdict: string;
  reasons: string[];
  asOfBlock: number;
}

/** What a verdict says, less what belongs to each answer: its block, its receipt (signed at its own time), its scan record. */
function verdictOf(answer: Verification): Record<string, unknown> {
  const verdict: Record<string, unknown> = { ...answer };
  for (const own of ['asOfBlock', 'receipt', 'txId']) delete verdict[own];
  return verdict;
}

const blockOf = (res: { headers: Headers }): number => Number(res.headers.get('x-ledger-block'));

async function verifyBothWays(
  code: string,
  as: Role,
): Promise<{ replica: Verification; ledger: Verification }> {
  const replica = await api<Verification>('POST', '/v1/verify', { as, body: { code } });
  const ledger = await api<Verification>('POST', '/v1/verify?consistency=ledger', { as, body: { code } });
  expectStatus(replica, 200);
  expectStatus(ledger, 200);
  expect(replica.body.asOfBlock).toBe(blockOf(replica));
  return { replica: replica.body, ledger: ledger.body };
}

async function setStatus(b: Batch, serial: string, state: string): Promise<void> {
  const res = await api('POST', `/v1/units/${b.gtin}/${serial}/status`, {
    as: 'pharmacy',
    body: { state, reason: 'read-model test' },
  });
  expectStatus(res, 200);
}

describe('the read model', () => {
  it('gives the chaincode’s own verdict from the replica, for every reason a verdict can give', async () => {
    const atPharmacy = await batchAtPharmacy(8);
    const [genuine, dispensed, destroyed, stolen, sample, exported, elsewhere] = atPharmacy.serials;
    expectStatus(
      await api('POST', `/v1/units/${atPharmacy.gtin}/${dispensed}/dispense`, { as: 'pharmacy' }),
      200,
    );
    await setStatus(atPharmacy, destroyed, 'DESTROYED');
    await setStatus(atPharmacy, stolen, 'STOLEN');
    await setStatus(atPharmacy, sample, 'SAMPLE');
    await setStatus(atPharmacy, exported, 'EXPORTED');
    await shipUnits(atPharmacy, [elsewhere], 'pharmacy', 'distributor');

    const atDistributor = await commissionBatch(1);
    await moveUnits(atDistributor, atDistributor.serials, 'manufacturer', 'distributor');
    const recalled = await batchAtPharmacy(1);
    expectStatus(
      await api('POST', `/v1/batches/${recalled.gtin}/${recalled.lot}/recall`, {
        as: 'regulator',
        body: { reason: 'read-model test' },
      }),
      200,
    );
    const quarantined = await batchAtPharmacy(1);
    expectStatus(
      await api('POST', `/v1/batches/${quarantined.gtin}/${quarantined.lot}/quarantine`, {
        as: 'regulator',
        body: { reason: 'read-model test' },
      }),
      200,
    );
    const expiredGtin = await registerProduct();
    const expired: Batch = { gtin: expiredGtin, lot: newLot(), expiry: '2025-12-31', serials: [newSerial()] };
    expectStatus(
      await api('POST', '/v1/batches', {
        as: 'manufacturer',
        body: { ...expired, manufacturedOn: '2025-01-01' },
      }),
      201,
    );

    const codes: [string, Role][] = [
      [elementString(atPharmacy, genuine), 'pharmacy'],
      [elementString(atPharmacy, newSerial()), 'pharmacy'],
      [elementString({ ...atPharmacy, gtin: newGtin() }, genuine), 'pharmacy'],
      [elementString({ ...atPharmacy, lot: newLot() }, genuine), 'pharmacy'],
      [elementString({ ...atPharmacy, expiry: '2029-01-31' }, genuine), 'pharmacy'],
      ...[dispensed, destroyed, stolen, sample, exported, elsewhere].map(
        (s) => [elementString(atPharmacy, s), 'pharmacy'] as [string, Role],
      ),
      [elementString(atDistributor, atDistributor.serials[0]), 'pharmacy'],
      [elementString(atDistributor, atDistributor.serials[0]), 'distributor'],
      [elementString(recalled, recalled.serials[0]), 'pharmacy'],
      [elementString(quarantined, quarantined.serials[0]), 'pharmacy'],
      [elementString(expired, expired.serials[0]), 'manufacturer'],
    ];
    const seen = new Set<string>();
    for (const [code, as] of codes) {
      const { replica, ledger } = await verifyBothWays(code, as);
      expect({ code, as, verdict: verdictOf(replica) }).toEqual({ code, as, verdict: verdictOf(ledger) });
      expect(replica.asOfBlock).toBeGreaterThanOrEqual(0);
      expect(ledger.asOfBlock).toBeGreaterThanOrEqual(0);
      if (replica.verdict === 'GENUINE') seen.add('GENUINE');
      replica.reasons.forEach((r) => seen.add(r));
    }
    // CLONE_SUSPECTED and UNEXPECTED_IN_SHIPMENT are raised by recorded scans and receipts (alerts), never by a
    // verdict. LOT_MISMATCH (a second lot) and MISSING_IN_TRANSIT (a short receipt) are compared replica against
    // chaincode over the same code in chaincode/src/replica/evaluate.test.ts; this network scenario does not stage them.
    const notStaged = ['CLONE_SUSPECTED', 'UNEXPECTED_IN_SHIPMENT', 'LOT_MISMATCH', 'MISSING_IN_TRANSIT'];
    expect([...seen].sort()).toEqual(
      [...REASON_CODES.filter((r) => !notStaged.includes(r)), 'GENUINE'].sort(),
    );
  });

  it('names the block of every write and read; a read after a write reflects it', async () => {
    const gtin = newGtin();
    const register = await api('POST', '/v1/products', {
      as: 'manufacturer',
      body: {
        gtin,
        name: 'Read model test',
        genericName: 'test',
        strength: '1 mg',
        dosageForm: 'tablet',
        marketingAuthorization: 'RM1',
      },
    });
    expectStatus(register, 201);
    const written = blockOf(register);
    expect(written).toBeGreaterThan(0);
    const read = await api('GET', `/v1/products/${gtin}`, { as: 'pharmacy' });
    expectStatus(read, 200);
    expect(blockOf(read)).toBeGreaterThanOrEqual(written);
    const missing = await api('GET', `/v1/products/${newGtin()}`, { as: 'pharmacy' });
    expectStatus(missing, 404);
    expect(blockOf(missing)).toBeGreaterThanOrEqual(written);
  });

  it('X-Min-Block: answers at once from a height reached, 503 with Retry-After after 5 s for one not reached', async () => {
    const b = await commissionBatch(1);
    const code = elementString(b, b.serials[0]);
    const now = await api('POST', '/v1/verify', { as: 'manufacturer', body: { code } });
    const reached = await api('POST', '/v1/verify', {
      as: 'manufacturer',
      body: { code },
      headers: { 'x-min-block': String(blockOf(now)) },
    });
    expectStatus(reached, 200);
    const started = Date.now();
    const ahead = await api('POST', '/v1/verify', {
      as: 'manufacturer',
      body: { code },
      headers: { 'x-min-block': String(blockOf(now) + 1_000_000) },
    });
    expect(ahead.status).toBe(503);
    expect(ahead.body).toMatchObject({ code: 'UNAVAILABLE' });
    expect(ahead.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_900);
    const bad = await api('POST', '/v1/verify', {
      as: 'manufacturer',
      body: { code },
      headers: { 'x-min-block': '-1' },
    });
    expect(bad.status).toBe(400);
  });

  it('npm run index:verify finds the replica’s sampled keys answering as the peer does', () => {
    const out = indexVerify();
    expect(out).toMatch(
      /index:verify: sampled .* keys at block \d+; \d+ answers compared with the peer's, 0 drifted/,
    );
    const compared = Number(/(\d+) answers compared/.exec(out)?.[1]);
    expect(compared).toBeGreaterThan(10);
  });
});
