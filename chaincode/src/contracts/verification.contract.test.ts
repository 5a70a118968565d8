import { CLONE_WINDOW_MS, toDigitalLink, toElementString } from '../domain';
import { KEY } from '../ledger/keys';
import { createCompositeKey } from '../testing/fake-ledger';
import { Chain, expectRefused, GTIN, GTIN_2, ID, ORG, user } from '../testing/harness';
import { VerificationContract } from './verification.contract';
import type { Alert } from '../ledger/models';

interface VerificationJson {
  verdict: string;
  reasons: string[];
  code: { gtin: string; lot?: string; expiry?: string; serial: string };
  product?: { gtin: string };
  batch?: { status: string };
  unit?: {
    state: string;
    custodian: { msp: string; gln: string };
    inTransit: boolean;
    lot: string;
    expiry: string;
  };
  alertId?: string;
  alert?: Alert;
}

const pack = (serial: string, lot = 'A1B2', expiry = '2028-06-30') => ({ gtin: GTIN, lot, expiry, serial });
const code = (serial: string, lot?: string, expiry?: string) =>
  toElementString(pack(serial, lot, expiry), { parentheses: true });

describe(VerificationContract.name, () => {
  let chain: Chain;
  beforeEach(async () => {
    chain = await Chain.atPharmacy(['S0001', 'S0002', 'S0003']);
  });
  const verify = (raw: string, who = ID.pharmacy, gln = '') =>
    chain.evaluate<VerificationJson>(who, (ctx) => chain.verification.Verify(ctx, raw, gln));
  const record =
    (raw: string, who = ID.pharmacy, gln = '') =>
    () =>
      chain.submit<VerificationJson>(who, (ctx) => chain.verification.RecordScan(ctx, raw, gln));
  const alertKeys = () => {
    const prefix = createCompositeKey(KEY.alert, []);
    return chain.ledger.keysInRange(prefix, prefix + '\u{10ffff}', Infinity);
  };

  describe('Verify', () => {
    it('answers GENUINE for a pack in the scanning pharmacy’s custody, in every code form', async () => {
      for (const raw of [
        code('S0001'),
        toDigitalLink(pack('S0001')),
        `]d2${toElementString(pack('S0001'))}`,
      ]) {
        const result = await verify(raw);
        expect(result).toMatchObject({
          verdict: 'GENUINE',
          reasons: [],
          code: pack('S0001'),
          product: { gtin: GTIN },
          batch: { status: 'RELEASED' },
        });
        expect(result.unit).toEqual({
          state: 'ACTIVE',
          custodian: { msp: 'PharmacyMSP', gln: ORG.pharmacy.glns[0] },
          inTransit: false,
          lot: 'A1B2',
          expiry: '2028-06-30',
        });
      }
    });

    it('calls a never-commissioned serial or unknown product COUNTERFEIT', async () => {
      expect(await verify(code('FAKE1'))).toMatchObject({
        verdict: 'COUNTERFEIT',
        reasons: ['UNKNOWN_SERIAL'],
      });
      const unknownProduct = toElementString({ ...pack('S0001'), gtin: GTIN_2 }, { parentheses: true });
      const result = await verify(unknownProduct);
      expect(result).toMatchObject({ verdict: 'COUNTERFEIT', reasons: ['UNKNOWN_PRODUCT'] });
      expect(result).not.toHaveProperty('product');
    });

    it('reports lot and expiry mismatches, recalls, dispensed packs', async () => {
      expect((await verify(code('S0001', 'B9', '2029-01-31'))).reasons).toEqual([
        'LOT_MISMATCH',
        'EXPIRY_MISMATCH',
      ]);
      await chain.submit(ID.pharmacy, (ctx) => chain.units.Dispense(ctx, GTIN, 'S0002'));
      expect(await verify(code('S0002'))).toMatchObject({
        verdict: 'SUSPECT',
        reasons: ['ALREADY_DISPENSED'],
      });
      await chain.submit(ID.regulator, (ctx) => chain.batches.Recall(ctx, GTIN, 'A1B2', 'contamination'));
      expect((await verify(code('S0001'))).reasons).toEqual(['RECALLED']);
    });

    it('reports EXPIRED after the expiry date', async () => {
      chain.ledger.setTime('2028-07-01T00:00:00Z');
      expect((await verify(code('S0001'))).reasons).toEqual(['EXPIRED']);
    });

    it('reports goods in transit and packs another pharmacy holds', async () => {
      await chain.ship(ID.pharmacy, 'distributor', { units: [{ gtin: GTIN, serial: 'S0003' }] });
      expect((await verify(code('S0003'))).reasons).toEqual(['IN_TRANSIT']);
      expect(await verify(code('S0001'), ID.pharmacy2)).toMatchObject({
        verdict: 'SUSPECT',
        reasons: ['NOT_IN_CUSTODY'],
      });
      expect((await verify(code('S0001'), ID.pharmacy, ORG.pharmacy.glns[1])).reasons).toEqual([
        'NOT_IN_CUSTODY',
      ]);
    });

    it('makes no custody check for the public resolver', async () => {
      expect((await verify(code('S0001'), ID.resolver)).verdict).toBe('GENUINE');
    });

    it('answers INVALID with the AI and position for a malformed code, an SSCC or a code without serial', async () => {
      await expectRefused(
        chain,
        () => verify('(01)09506000134353(21)S1'),
        'INVALID',
        /AI \(01\) at position 17/,
      );
      await expectRefused(
        chain,
        () => verify('(00)106141412345678908'),
        'INVALID',
        /AI \(01\) at position 0: .*not an SSCC/,
      );
      await expectRefused(chain, () => verify(`(01)${GTIN}(10)A1B2`), 'INVALID', /AI \(21\) at position 0/);
    });

    it('refuses a scanner GLN of another organisation and callers that are not admitted', async () => {
      await expectRefused(
        chain,
        () => verify(code('S0001'), ID.pharmacy, ORG.distributor.glns[0]),
        'FORBIDDEN',
      );
      await expectRefused(chain, () => verify(code('S0001'), ID.pharmacy, '123'), 'INVALID');
      await expectRefused(chain, () => verify(code('S0001'), ID.outsider), 'FORBIDDEN');
    });
  });

  describe('RecordScan', () => {
    it('records an alert for a non-genuine scan, emits ALERT', async () => {
      const result = await record(code('FAKE1'))();
      expect(result).toMatchObject({ verdict: 'COUNTERFEIT', alertId: chain.ledger.lastTx?.txId });
      expect(alertKeys()).toHaveLength(1);
      expect(chain.lastEvent()).toMatchObject({
        name: 'ALERT',
        payload: {
          serial: 'FAKE1',
          reasons: ['UNKNOWN_SERIAL'],
          org: 'PharmacyMSP',
          gln: ORG.pharmacy.glns[0],
        },
      });
    });

    it('records where a genuine pack was scanned, with a SCANNED event and no alert', async () => {
      const result = await record(code('S0001'))();
      expect(result.verdict).toBe('GENUINE');
      expect(result).not.toHaveProperty('alertId');
      expect(alertKeys()).toEqual([]);
      expect(chain.ledger.lastTx?.writes).toEqual([
        createCompositeKey(KEY.sighting, [GTIN, 'S0001', 'PharmacyMSP', ORG.pharmacy.glns[0]]),
      ]);
      expect(chain.lastEvent()).toMatchObject({
        name: 'SCANNED',
        payload: { gtin: GTIN, serial: 'S0001', org: 'PharmacyMSP', gln: ORG.pharmacy.glns[0] },
      });
    });

    it('records no sighting of a serial the ledger does not know', async () => {
      await record(code('FAKE1'))();
      expect(chain.ledger.lastTx?.writes.some((k) => k.includes(KEY.sighting))).toBe(false);
    });

    it('reports the chaincode’s own verdict for a pack the scanner never held, whatever it would claim', async () => {
      // A pharmacy scanning a pack it never held: the ledger says where the pack is, the chaincode says why.
      const result = await record(code('S0001'), ID.pharmacy2)();
      expect(result.alert).toMatchObject({ reasons: ['NOT_IN_CUSTODY'], org: 'PharmacyBMSP' });
    });

    it('counts identical alerts from one place within the hour on one alert, with its last occurrence', async () => {
      const first = await record(code('FAKE1'))();
      chain.ledger.advance(30 * 60 * 1000);
      const second = await record(code('FAKE1'))();
      expect(second.alertId).toBe(first.alertId);
      expect(second.alert).toMatchObject({ count: 2, at: first.alert?.at, txId: first.alertId });
      expect(second.alert?.lastSeen).toBe(chain.ledger.lastTx?.timestamp.toISOString());
      expect(alertKeys()).toHaveLength(1);
      expect(chain.lastEvent()).toMatchObject({
        name: 'ALERT',
        payload: { alertId: first.alertId, count: 2, txId: chain.ledger.lastTx?.txId },
      });
    });

    it('raises a new alert for the same scan after the hour, at another place, or for other reasons', async () => {
      const first = await record(code('FAKE1'))();
      const elsewhere = await record(code('FAKE1'), user('pharmacy', { gln: ORG.pharmacy.glns[1] }))();
      const otherReasons = await record(code('S0002', 'WRONG'))();
      chain.ledger.advance(60 * 60 * 1000);
      const later = await record(code('FAKE1'))();
      const ids = [first, elsewhere, otherReasons, later].map((r) => r.alertId);
      expect(new Set(ids).size).toBe(4);
      expect(alertKeys()).toHaveLength(4);
      expect(later.alert).toMatchObject({ count: 1 });
    });

    it('keeps every occurrence when two identical scans race: the loser conflicts and counts on retry', async () => {
      await record(code('FAKE1'))();
      const [a, b] = await Promise.all(
        [0, 1].map(() =>
          chain.ledger.endorse(ID.pharmacy, (ctx) => chain.verification.RecordScan(ctx, code('FAKE1'), '')),
        ),
      );
      chain.ledger.commit(a);
      expect(() => chain.ledger.commit(b)).toThrow(/MVCC_READ_CONFLICT|PHANTOM_READ_CONFLICT/);
      const retried = await record(code('FAKE1'))();
      expect(retried.alert).toMatchObject({ count: 3 });
    });
  });

  describe('RecordScan: clone detection from the ledger’s sightings', () => {
    it('raises CLONE_SUSPECTED when another organisation scanned the serial within the window, naming it', async () => {
      const atPharmacy = await record(code('S0001'))();
      expect(atPharmacy).not.toHaveProperty('alertId');
      chain.ledger.advance(5 * 60 * 1000);
      const atDistributor = await record(code('S0001'), ID.distributor)();
      expect(atDistributor.verdict).toBe('GENUINE');
      expect(atDistributor.alert).toMatchObject({
        reasons: ['CLONE_SUSPECTED'],
        org: 'DistributorMSP',
        gln: ORG.distributor.glns[0],
        sightings: [
          {
            msp: 'PharmacyMSP',
            gln: ORG.pharmacy.glns[0],
            at: chain.ledger.transactions.at(-2)?.timestamp.toISOString(),
          },
        ],
      });
    });

    it('adds CLONE_SUSPECTED to the verdict’s own reasons', async () => {
      await record(code('S0001'), ID.distributor)();
      const result = await record(code('S0001'), ID.pharmacy2)();
      expect(result.alert?.reasons).toEqual(['NOT_IN_CUSTODY', 'CLONE_SUSPECTED']);
    });

    it('is no clone when the other sighting is older than the window', async () => {
      await record(code('S0001'))();
      chain.ledger.advance(CLONE_WINDOW_MS + 1000);
      const result = await record(code('S0001'), ID.distributor)();
      expect(result).not.toHaveProperty('alertId');
    });

    it('is no clone when the same organisation scans at another of its locations', async () => {
      await record(code('S0001'))();
      const result = await record(code('S0001'), user('pharmacy', { gln: ORG.pharmacy.glns[1] }))();
      // The pack is at the pharmacy's first location, so the verdict is its own; there is no clone.
      expect(result.alert).toMatchObject({ reasons: ['NOT_IN_CUSTODY'] });
      expect(result.alert).not.toHaveProperty('sightings');
    });

    it('keeps one sighting per place: the newest scan there', async () => {
      await record(code('S0001'))();
      chain.ledger.advance(1000);
      await record(code('S0001'))();
      const prefix = createCompositeKey(KEY.sighting, [GTIN, 'S0001']);
      expect(chain.ledger.keysInRange(prefix, prefix + '\u{10ffff}', Infinity)).toHaveLength(1);
    });
  });

  describe('RecordScan: who', () => {
    it('refuses anonymous scans from the resolver identity', async () => {
      await expectRefused(chain, record(code('FAKE1'), ID.resolver), 'FORBIDDEN', /anonymous/);
    });

    it('records the scanner’s location from its certificate or the given GLN', async () => {
      await record(code('FAKE1'), user('pharmacy', { gln: ORG.pharmacy.glns[1] }))();
      expect(chain.lastEvent()?.payload.gln).toBe(ORG.pharmacy.glns[1]);
    });
  });
});
