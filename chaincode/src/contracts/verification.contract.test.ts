import { toDigitalLink, toElementString } from '../domain';
import { KEY } from '../ledger/keys';
import { createCompositeKey } from '../testing/fake-ledger';
import { Chain, expectRefused, GTIN, GTIN_2, ID, ORG, user } from '../testing/harness';
import { VerificationContract } from './verification.contract';

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
      await expectRefused(chain, () => verify('(00)106141412345678908'), 'INVALID', /not an SSCC/);
      await expectRefused(chain, () => verify(`(01)${GTIN}(10)A1B2`), 'INVALID', /AI \(21\)/);
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

    it('records nothing for a genuine scan', async () => {
      const result = await record(code('S0001'))();
      expect(result.verdict).toBe('GENUINE');
      expect(result).not.toHaveProperty('alertId');
      expect(alertKeys()).toEqual([]);
      expect(chain.ledger.lastTx?.writes).toEqual([]);
      expect(chain.ledger.lastTx?.event).toBeUndefined();
    });

    it('refuses anonymous scans from the resolver identity', async () => {
      await expectRefused(chain, record(code('FAKE1'), ID.resolver), 'FORBIDDEN', /anonymous/);
    });

    it('records the scanner’s location from its certificate or the given GLN', async () => {
      await record(code('FAKE1'), user('pharmacy', { gln: ORG.pharmacy.glns[1] }))();
      expect(chain.lastEvent()?.payload.gln).toBe(ORG.pharmacy.glns[1]);
    });
  });
});
