/**
 * The anti-counterfeit scan through the real gateway: a precise 400 for every malformed code,
 * every verdict reason from real ledger state, and the same verdict whatever form the scanner sends.
 */
import { randomBytes } from 'node:crypto';
import { api, Role } from '../support/http';
import { newGtin, newLot, newSerial } from '../support/ids';
import { expectAuthRequired, expectOddBodiesRefused, withWrongCheckDigit } from './probes';
import {
  Batch,
  batchAtPharmacy,
  commissionBatch,
  elementString,
  expectProblem,
  expectStatus,
  glnOf,
  moveUnits,
  mspOf,
  seenBy,
  shipUnits,
  yymmdd,
} from './supply-chain';

const GS = '\u001d';
const GTIN = '09506000134352';

interface Verdict {
  verdict: string;
  reasons: string[];
  code: Record<string, string>;
}

async function scan(code: string, as: Role = 'pharmacy'): Promise<Verdict> {
  const res = await api<Verdict>('POST', '/v1/verify', { as, body: { code } });
  expectStatus(res, 200);
  return res.body;
}

/** Waits until the pharmacy's own peer has the batch in this status (set-up, see seenBy). */
const batchSeenAtPharmacy = (b: Batch, status: string): Promise<void> =>
  seenBy('pharmacy', `/v1/batches/${b.gtin}/${b.lot}`, (res) => res.body?.status === status);

/** Waits until the pharmacy's own peer knows the pack is no longer in transit (set-up, see seenBy). */
const receiptSeenAtPharmacy = (b: Batch, serial: string): Promise<void> =>
  seenBy(
    'pharmacy',
    `/v1/units/${b.gtin}/${encodeURIComponent(serial)}`,
    (res) => res.body?.inTransit === false,
  );

/** Percent-encodes every character but unreserved letters and digits, hex case alternating, plus the first letter. */
const percentEncode = (s: string): string =>
  [...s]
    .map((c, i) => {
      if (/[A-Za-z0-9]/.test(c) && i > 0) return c;
      const hex = c.charCodeAt(0).toString(16).padStart(2, '0');
      return '%' + (i % 2 ? hex.toLowerCase() : hex.toUpperCase());
    })
    .join('');

/** Every form in which a scanner may deliver the code of one pack. */
function scanForms(b: Batch, serial: string): Record<string, string> {
  const exp = yymmdd(b.expiry);
  const { gtin, lot } = b;
  return {
    'Digital Link, id.gs1.org': `https://id.gs1.org/01/${gtin}/10/${encodeURIComponent(lot)}/21/${encodeURIComponent(serial)}?17=${exp}`,
    'Digital Link, other host, everything percent-encoded': `https://pharma.example.org:8443/01/${gtin}/10/${percentEncode(lot)}/21/${percentEncode(serial)}?17=${exp}`,
    'element string with parentheses': elementString(b, serial),
    'element string, AIs reversed': `(21)${serial}(10)${lot}(17)${exp}(01)${gtin}`,
    'raw GS payload with ]d2': `]d201${gtin}17${exp}10${lot}${GS}21${serial}`,
    'raw GS payload with ]Q3': `]Q301${gtin}17${exp}10${lot}${GS}21${serial}`,
    'raw GS payload without prefix': `01${gtin}17${exp}10${lot}${GS}21${serial}`,
    'raw GS payload, AIs in another order': `21${serial}${GS}17${exp}01${gtin}10${lot}`,
  };
}

describe('POST /v1/verify', () => {
  it('401 without a key, with an unknown key, with a non-Bearer scheme', async () => {
    await expectAuthRequired('POST', '/v1/verify', { code: `(01)${GTIN}(21)S1` });
  });

  describe('400 for a malformed code, naming the AI and the position', () => {
    const bad = withWrongCheckDigit(GTIN);
    const cases: { name: string; code: string; ai?: string; position: number; detail: RegExp }[] = [
      {
        name: 'wrong GTIN check digit (element string)',
        code: `(01)${bad}(21)S1`,
        ai: '01',
        position: 17,
        detail: /check digit/,
      },
      {
        name: 'wrong GTIN check digit (Digital Link)',
        code: `https://id.gs1.org/01/${bad}/21/S1`,
        ai: '01',
        position: 'https://id.gs1.org/01/'.length + 13,
        detail: /check digit/,
      },
      {
        name: 'wrong GTIN check digit (raw with ]d2)',
        code: `]d201${bad}21S1`,
        ai: '01',
        position: 3 + 2 + 13,
        detail: /check digit/,
      },
      {
        name: 'month 13 in AI 17',
        code: `(01)${GTIN}(17)271301(21)S1`,
        ai: '17',
        position: 22,
        detail: /month/,
      },
      {
        name: 'AI 05, which GS1 has not allocated, in a raw payload',
        code: `01${GTIN}05ABC`,
        position: 16,
        detail: /AI "05"/,
      },
      {
        name: 'AI 21 over 20 characters',
        code: `(01)${GTIN}(21)${'S'.repeat(21)}`,
        ai: '21',
        position: 22,
        detail: /longer than 20/,
      },
      {
        name: 'AI 10 over 20 characters',
        code: `01${GTIN}10${'L'.repeat(21)}${GS}21S1`,
        ai: '10',
        position: 18,
        detail: /longer than 20/,
      },
      { name: 'a blank code', code: '   ', position: 0, detail: /empty/ },
    ];
    it.each(cases)('$name', async ({ code, ai, position, detail }) => {
      const res = await api('POST', '/v1/verify', { as: 'pharmacy', body: { code } });
      expectProblem(res, 400, 'INVALID');
      expect(res.body).toMatchObject({ position, detail: expect.stringMatching(detail) });
      if (ai) {
        expect(res.body.ai).toBe(ai);
        expect(res.body.detail).toContain(`AI (${ai}) at position ${position}`);
      } else {
        expect(res.body.detail).toContain(`position ${position}`);
      }
    });

    it('an empty code and one over 512 characters are refused as field errors on "code"', async () => {
      for (const code of ['', `(01)${GTIN}(21)` + 'S'.repeat(600)]) {
        const res = await api('POST', '/v1/verify', { as: 'pharmacy', body: { code } });
        expectProblem(res, 400, 'INVALID');
        expect(res.body.errors).toEqual([{ field: 'code', messages: [expect.any(String)] }]);
      }
    });
  });

  it('400 for a malformed body: unknown field, missing code, wrong type, invalid JSON; never a 5xx', async () => {
    const bodies: unknown[] = [
      { code: `(01)${GTIN}(21)S1`, location: 'shop' },
      {},
      { code: 9506000134352 },
      { code: [`(01)${GTIN}(21)S1`] },
      '{"code": "(01)',
    ];
    for (const body of bodies) {
      expectProblem(await api('POST', '/v1/verify', { as: 'pharmacy', body }), 400, 'INVALID');
    }
    await expectOddBodiesRefused('pharmacy', 'POST', '/v1/verify');
  });

  describe('verdicts from the ledger', () => {
    it('UNKNOWN_PRODUCT: a GTIN never registered is COUNTERFEIT', async () => {
      const b: Batch = { gtin: newGtin(), lot: newLot(), expiry: '2028-06-30', serials: [] };
      const res = await scan(elementString(b, newSerial()));
      expect(res).toMatchObject({ verdict: 'COUNTERFEIT', reasons: ['UNKNOWN_PRODUCT'] });
    });

    it('UNKNOWN_SERIAL: a serial never commissioned is COUNTERFEIT', async () => {
      const b = await commissionBatch(1);
      const res = await scan(elementString(b, newSerial()));
      expect(res).toMatchObject({ verdict: 'COUNTERFEIT', reasons: ['UNKNOWN_SERIAL'] });
    });

    it('UNKNOWN_BATCH, LOT_MISMATCH and EXPIRY_MISMATCH: a real serial printed with another lot or expiry', async () => {
      const b = await batchAtPharmacy(1);
      const unknown = await scan(elementString(b, b.serials[0], { lot: newLot() }));
      expect(unknown).toMatchObject({ verdict: 'SUSPECT', reasons: ['UNKNOWN_BATCH'] });
      const other = newLot();
      const commission = await api('POST', '/v1/batches', {
        as: 'manufacturer',
        body: {
          gtin: b.gtin,
          lot: other,
          expiry: b.expiry,
          manufacturedOn: '2026-11-01',
          serials: [newSerial()],
        },
      });
      expectStatus(commission, 201);
      await batchSeenAtPharmacy({ ...b, lot: other }, 'RELEASED');
      const lot = await scan(elementString(b, b.serials[0], { lot: other }));
      expect(lot).toMatchObject({ verdict: 'SUSPECT', reasons: ['LOT_MISMATCH'] });
      const expiry = await scan(elementString(b, b.serials[0], { expiry: '2029-01-31' }));
      expect(expiry).toMatchObject({ verdict: 'SUSPECT', reasons: ['EXPIRY_MISMATCH'] });
      expect(await scan(elementString(b, b.serials[0]))).toMatchObject({ verdict: 'GENUINE', reasons: [] });
    });

    it('IN_TRANSIT: a pack shipped to the pharmacy but not yet received', async () => {
      const b = await commissionBatch(1);
      await moveUnits(b, b.serials, 'manufacturer', 'distributor');
      await shipUnits(b, b.serials, 'distributor', 'pharmacy');
      const res = await scan(elementString(b, b.serials[0]));
      expect(res).toMatchObject({ verdict: 'SUSPECT', reasons: ['IN_TRANSIT'] });
    });

    it('NOT_IN_CUSTODY: a pharmacy scans a pack the ledger places at the distributor', async () => {
      const b = await commissionBatch(1);
      await moveUnits(b, b.serials, 'manufacturer', 'distributor');
      await receiptSeenAtPharmacy(b, b.serials[0]);
      const res = await scan(elementString(b, b.serials[0]));
      expect(res).toMatchObject({
        verdict: 'SUSPECT',
        reasons: ['NOT_IN_CUSTODY'],
        unit: { custodian: { msp: mspOf('distributor'), gln: glnOf('distributor') } },
      });
      const atHolder = await scan(elementString(b, b.serials[0]), 'distributor');
      expect(atHolder).toMatchObject({ verdict: 'GENUINE', reasons: [] });
    });

    it('RECALLED: every pack of a recalled batch', async () => {
      const b = await batchAtPharmacy(1);
      const recall = await api('POST', `/v1/batches/${b.gtin}/${b.lot}/recall`, {
        as: 'manufacturer',
        body: { reason: 'contamination' },
      });
      expectStatus(recall, 200);
      await batchSeenAtPharmacy(b, 'RECALLED');
      const res = await scan(elementString(b, b.serials[0]));
      expect(res).toMatchObject({ verdict: 'SUSPECT', reasons: ['RECALLED'], batch: { status: 'RECALLED' } });
    });

    it('QUARANTINED while on hold, GENUINE again once RELEASED', async () => {
      const b = await batchAtPharmacy(1);
      const code = elementString(b, b.serials[0]);
      const path = `/v1/batches/${b.gtin}/${b.lot}`;
      const hold = await api('POST', `${path}/quarantine`, {
        as: 'regulator',
        body: { reason: 'inspection' },
      });
      expectStatus(hold, 200);
      await batchSeenAtPharmacy(b, 'QUARANTINED');
      expect(await scan(code)).toMatchObject({ verdict: 'SUSPECT', reasons: ['QUARANTINED'] });
      const release = await api('POST', `${path}/release`, { as: 'regulator', body: { reason: 'cleared' } });
      expectStatus(release, 200);
      await batchSeenAtPharmacy(b, 'RELEASED');
      expect(await scan(code)).toMatchObject({ verdict: 'GENUINE', reasons: [] });
    });

    it('a recall answered 200 is seen by the very next scan at the pharmacy (no stale GENUINE)', async () => {
      // No waiting here on purpose: the regulator's 200 means "recalled"; a pharmacy scanning right after
      // must not be told GENUINE because its own peer has not committed the block yet.
      const batches = [await batchAtPharmacy(1), await batchAtPharmacy(1), await batchAtPharmacy(1)];
      const seen: string[][] = [];
      for (const b of batches) {
        const recall = await api('POST', `/v1/batches/${b.gtin}/${b.lot}/recall`, {
          as: 'regulator',
          body: { reason: 'falsified medicine alert' },
        });
        expectStatus(recall, 200);
        seen.push((await scan(elementString(b, b.serials[0]))).reasons);
      }
      expect(seen).toEqual([['RECALLED'], ['RECALLED'], ['RECALLED']]);
    });

    it('ALREADY_DISPENSED: a dispensed pack seen again', async () => {
      const b = await batchAtPharmacy(1);
      expectStatus(
        await api('POST', `/v1/units/${b.gtin}/${b.serials[0]}/dispense`, { as: 'pharmacy' }),
        200,
      );
      const res = await scan(elementString(b, b.serials[0]));
      expect(res).toMatchObject({
        verdict: 'SUSPECT',
        reasons: ['ALREADY_DISPENSED'],
        unit: { state: 'DISPENSED' },
      });
    });
  });

  describe('every scan form of one pack gives the same verdict', () => {
    let b: Batch;
    const hex = randomBytes(4).toString('hex').toUpperCase();
    const genuine = `S*!:${hex}`;
    const elsewhere = `S-+.${hex}`;

    beforeAll(async () => {
      // A lot and serials with characters a Digital Link must percent-encode.
      b = await commissionBatch(2, '2028-02-29', {
        lot: `L/${hex}%&`,
        serials: [genuine, elsewhere],
      });
      await moveUnits(b, b.serials, 'manufacturer', 'distributor');
      await moveUnits(b, [genuine], 'distributor', 'pharmacy');
      await receiptSeenAtPharmacy(b, elsewhere);
    });

    it('GENUINE at the pharmacy holding it, in all eight forms', async () => {
      const expected = {
        verdict: 'GENUINE',
        reasons: [],
        code: { gtin: b.gtin, lot: b.lot, expiry: b.expiry, serial: genuine },
      };
      for (const [form, code] of Object.entries(scanForms(b, genuine))) {
        const res = await scan(code);
        expect({ form, ...res }).toMatchObject({ form, ...expected });
      }
    });

    it('NOT_IN_CUSTODY for the pack held by the distributor, in all eight forms', async () => {
      for (const [form, code] of Object.entries(scanForms(b, elsewhere))) {
        const res = await scan(code);
        expect({ form, ...res }).toMatchObject({
          form,
          verdict: 'SUSPECT',
          reasons: ['NOT_IN_CUSTODY'],
          code: { gtin: b.gtin, lot: b.lot, expiry: b.expiry, serial: elsewhere },
        });
      }
    });

    it('the public resolver reads the percent-encoded Digital Link path the same way', async () => {
      const path = `/01/${b.gtin}/10/${percentEncode(b.lot)}/21/${percentEncode(genuine)}?17=${yymmdd(b.expiry)}`;
      const res = await api('GET', path, { as: null, headers: { accept: 'application/json' } });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        verdict: 'GENUINE',
        code: { gtin: b.gtin, lot: b.lot, expiry: b.expiry, serial: genuine },
      });
    });
  });
});
