import fc from 'fast-check';
import { cset82Arb, gtinArb, packArb, ssccArb } from '../../testing/arbitraries';
import { parseError } from '../../testing/parse-error';
import { CodeParseError, DomainError } from '../errors';
import { FullPack, toDigitalLink, toElementString } from './format';
import { parseCode, parsePackCode } from './parse';

const GS = '\u001d';
const pack: FullPack = { gtin: '09506000134352', lot: 'A1B2', expiry: '2027-12-31', serial: 'XYZ123' };
const packOf = (code: ReturnType<typeof parseCode>): FullPack => ({
  gtin: code.gtin as string,
  lot: code.lot as string,
  expiry: code.expiry as string,
  serial: code.serial as string,
});

/** Data that cannot be told apart from a following "(AI)" in the human-readable form. */
const hriSafe = (s: string): boolean => !/\(\d{2,4}\)/.test(s);

describe(parseCode.name, () => {
  describe('round trips', () => {
    it('reads back every pack from its Digital Link URI, whatever the host', () => {
      fc.assert(
        fc.property(packArb, fc.domain(), (p, host) => {
          const code = parseCode(toDigitalLink(p, `https://${host}`));
          expect(packOf(code)).toEqual(p);
          expect(code.form).toBe('digital-link');
        }),
      );
    });

    it('reads back every pack from its element string with parentheses', () => {
      fc.assert(
        fc.property(packArb, (p) => {
          fc.pre(hriSafe(p.lot) && hriSafe(p.serial));
          const code = parseCode(toElementString(p, { parentheses: true }));
          expect(packOf(code)).toEqual(p);
          expect(code.form).toBe('element-string');
        }),
      );
    });

    it('reads back every pack from its raw GS1 DataMatrix payload, with or without a symbology prefix', () => {
      fc.assert(
        fc.property(packArb, fc.constantFrom('', ']d2', ']Q3', GS), (p, prefix) => {
          const code = parseCode(prefix + toElementString(p));
          expect(packOf(code)).toEqual(p);
          expect(code.form).toBe('raw');
        }),
      );
    });

    it('accepts the AIs of a raw payload in any order, GS after each variable-length field', () => {
      const order = fc.shuffledSubarray([0, 1, 2, 3], { minLength: 4, maxLength: 4 });
      fc.assert(
        fc.property(packArb, order, fc.boolean(), (p, indices, extraGs) => {
          const yymmdd = p.expiry.slice(2, 4) + p.expiry.slice(5, 7) + p.expiry.slice(8, 10);
          const fields = [
            { text: `01${p.gtin}`, variable: false },
            { text: `17${yymmdd}`, variable: false },
            { text: `10${p.lot}`, variable: true },
            { text: `21${p.serial}`, variable: true },
          ];
          const raw = indices
            .map(
              (f, i) =>
                fields[f].text + ((fields[f].variable || extraGs) && i < indices.length - 1 ? GS : ''),
            )
            .join('');
          expect(packOf(parseCode(raw))).toEqual(p);
        }),
      );
    });

    it('accepts the AIs of an element string with parentheses in any order', () => {
      fc.assert(
        fc.property(packArb, (p) => {
          fc.pre(hriSafe(p.lot) && hriSafe(p.serial));
          const yymmdd = p.expiry.slice(2, 4) + p.expiry.slice(5, 7) + p.expiry.slice(8, 10);
          const parts = [`(21)${p.serial}`, `(10)${p.lot}`, `(17)${yymmdd}`, `(01)${p.gtin}`];
          expect(packOf(parseCode(parts.join('')))).toEqual(p);
        }),
      );
    });

    it('reads an SSCC from every form', () => {
      fc.assert(
        fc.property(ssccArb, (sscc) => {
          for (const raw of [`(00)${sscc}`, `00${sscc}`, `]d200${sscc}`, `https://id.example/00/${sscc}`]) {
            const code = parseCode(raw);
            expect(code.sscc).toBe(sscc);
            expect(code).not.toHaveProperty('gtin');
          }
        }),
      );
    });
  });

  describe('robustness', () => {
    it('throws nothing but CodeParseError for arbitrary input', () => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.string({ unit: 'binary', maxLength: 80 }),
            fc.string({ unit: 'binary-ascii', maxLength: 600 }),
          ),
          (s) => {
            try {
              parseCode(s);
            } catch (e) {
              expect(e).toBeInstanceOf(CodeParseError);
            }
          },
        ),
        { numRuns: 2000 },
      );
    });

    it('throws nothing but CodeParseError for mutations of valid codes, and points inside the input', () => {
      const valid = fc
        .tuple(packArb, fc.constantFrom('dl', 'hri', 'raw'))
        .map(([p, form]) =>
          form === 'dl'
            ? toDigitalLink(p)
            : form === 'hri'
              ? toElementString(p, { parentheses: true })
              : `]d2${toElementString(p)}`,
        );
      const mutated = fc
        .tuple(
          valid,
          fc.nat(),
          fc.string({ unit: fc.constantFrom(...'0123456789()/%?&=]\u001dAZaz#. '), maxLength: 3 }),
          fc.nat(3),
        )
        .map(([code, at, insert, cut]) => {
          const i = at % (code.length + 1);
          return code.slice(0, i) + insert + code.slice(i + cut);
        });
      fc.assert(
        fc.property(mutated, (raw) => {
          try {
            parseCode(raw);
          } catch (e) {
            expect(e).toBeInstanceOf(CodeParseError);
            const { position } = e as CodeParseError;
            expect(position).toBeGreaterThanOrEqual(0);
            expect(position).toBeLessThanOrEqual(raw.length);
          }
        }),
        { numRuns: 2000 },
      );
    });

    it('refuses a non-string, an empty code and an over-long one', () => {
      expect(parseError(undefined as unknown as string).reason).toMatch(/string/);
      expect(parseError('   ').reason).toMatch(/empty/);
      expect(parseError('0'.repeat(513)).position).toBe(512);
    });

    it('has the stable INVALID code for the gateway', () => {
      const e = parseError('(01)123');
      expect(e).toBeInstanceOf(DomainError);
      expect(e.code).toBe('INVALID');
      expect(e.message).toMatch(/^INVALID: AI \(01\) at position \d+: /);
    });
  });

  describe('forms', () => {
    it('parses the examples of every scan form the README lists', () => {
      const expected = { gtin: '09506000134352', lot: 'A1B2', expiry: '2027-12-31', serial: 'XYZ123' };
      expect(parseCode('(01)09506000134352(17)271231(10)A1B2(21)XYZ123')).toEqual({
        ...expected,
        form: 'element-string',
      });
      expect(parseCode('https://id.gs1.org/01/09506000134352/10/A1B2/21/XYZ123?17=271231')).toEqual({
        ...expected,
        form: 'digital-link',
      });
      expect(parseCode(`]d2010950600013435217271231${'10'}A1B2${GS}21XYZ123`)).toEqual({
        ...expected,
        form: 'raw',
      });
      expect(parseCode(`]Q3010950600013435217271231${GS}10A1B2${GS}21XYZ123`)).toEqual({
        ...expected,
        form: 'raw',
      });
    });

    it('resolves DD=00 to the last day of the month, leap years included', () => {
      const expiryOf = (yymmdd: string): string | undefined =>
        parseCode(`(01)${pack.gtin}(17)${yymmdd}(21)S1`).expiry;
      expect(expiryOf('271200')).toBe('2027-12-31');
      expect(expiryOf('280200')).toBe('2028-02-29');
      expect(expiryOf('270200')).toBe('2027-02-28');
      expect(expiryOf('270400')).toBe('2027-04-30');
    });

    it('decodes percent-encoding in Digital Link path segments (any case)', () => {
      const code = parseCode('https://example.com/01/09506000134352/10/A%2fB%25/21/S%21%2A?17=271231');
      expect(code).toMatchObject({ lot: 'A/B%', serial: 'S!*' });
    });

    it('keeps lots that look like path dot-segments in a Digital Link', () => {
      fc.assert(
        fc.property(
          fc.constantFrom('.', '..', '%2E', '.%2e'),
          fc.constantFrom('.', '..', 'X'),
          (lot, serial) => {
            const uri = `https://example.com/01/${pack.gtin}/10/${lot}/21/${serial}?17=271231`;
            expect(parseCode(uri)).toMatchObject({ lot: decodeURIComponent(lot), serial });
          },
        ),
      );
    });

    it('accepts a path prefix before the primary key, a trailing slash and other query attributes', () => {
      expect(
        parseCode(`https://brand.example/products/01/${pack.gtin}/21/S1/?17=271231&240=REF`),
      ).toMatchObject({
        gtin: pack.gtin,
        serial: 'S1',
        expiry: '2027-12-31',
      });
    });

    it('reports the other AIs a pack may also carry (11, 240, 710) beside the verdict fields', () => {
      const code = parseCode(`01${pack.gtin}11260101240REF-1${GS}710NHRN42${GS}21S1`);
      expect(code).toEqual({
        gtin: pack.gtin,
        serial: 'S1',
        form: 'raw',
        otherAis: { '11': '260101', '240': 'REF-1', '710': 'NHRN42' },
      });
    });

    it('accepts data containing "(" in the human-readable form when no AI follows it', () => {
      expect(parseCode(`(01)${pack.gtin}(10)A(B(21)X(1)`)).toMatchObject({ lot: 'A(B', serial: 'X(1)' });
    });

    it('trims surrounding whitespace that scanners add', () => {
      expect(parseCode(`  (01)${pack.gtin}(21)S1\r\n`)).toMatchObject({ serial: 'S1' });
    });
  });

  describe('precise errors', () => {
    it('points at the GTIN check digit in each form', () => {
      const bad = '09506000134353';
      const hri = parseError(`(01)${bad}(21)S1`);
      expect(hri).toMatchObject({ ai: '01', position: 4 + 13 });
      const raw = parseError(`]d201${bad}21S1`);
      expect(raw).toMatchObject({ ai: '01', position: 3 + 2 + 13 });
      const dl = `https://x.example/01/${bad}/21/S1`;
      expect(parseError(dl)).toMatchObject({ ai: '01', position: dl.indexOf(bad) + 13 });
      expect(hri.reason).toMatch(/check digit \(expected 2\)/);
    });

    it('names AI 17 and its position for an impossible date', () => {
      const raw = `(01)${pack.gtin}(17)271301(21)S1`;
      expect(parseError(raw)).toMatchObject({ ai: '17', position: raw.indexOf('271301') });
      expect(parseError(raw).reason).toMatch(/month 13/);
      const feb = `https://x.example/01/${pack.gtin}/21/S1?17=270230`;
      expect(parseError(feb)).toMatchObject({ ai: '17', position: feb.indexOf('270230') });
    });

    it('points at the first character outside the GS1 character set', () => {
      const raw = `(01)${pack.gtin}(21)AB€C`;
      expect(parseError(raw)).toMatchObject({ ai: '21', position: raw.indexOf('€') });
    });

    it('refuses a lot or serial longer than 20 characters', () => {
      fc.assert(
        fc.property(cset82Arb(40, 21), (serial) => {
          fc.pre(hriSafe(serial));
          expect(parseError(`(01)${pack.gtin}(21)${serial}`)).toMatchObject({
            ai: '21',
            reason: 'is longer than 20 characters',
          });
        }),
      );
    });

    it('refuses an AI GS1 has not allocated in a raw payload at its position', () => {
      const raw = `01${pack.gtin}05ABC`;
      expect(parseError(raw)).toMatchObject({
        position: 16,
        reason: expect.stringMatching(/unknown or unsupported AI "05"/),
      });
    });

    it('refuses a fixed-length field that is cut short', () => {
      expect(parseError('010950600013')).toMatchObject({ ai: '01', position: 2 });
    });

    it('refuses an AI given twice, a code with neither or both primary keys', () => {
      expect(parseError(`(01)${pack.gtin}(21)A(21)B`)).toMatchObject({ ai: '21', reason: 'appears twice' });
      expect(parseError('(10)LOT(21)S')).toMatchObject({ reason: expect.stringMatching(/no GTIN/) });
      expect(parseError(`(00)106141412345678908(01)${pack.gtin}`)).toMatchObject({
        reason: expect.stringMatching(/either/),
      });
    });

    it('refuses Digital Link key qualifiers out of order or under an SSCC', () => {
      expect(parseError(`https://x.example/01/${pack.gtin}/21/S1/10/L1`)).toMatchObject({
        ai: '10',
        reason: 'key qualifiers out of order',
      });
      expect(parseError('https://x.example/00/106141412345678908/21/S1')).toMatchObject({ ai: '21' });
      expect(parseError(`https://x.example/01/${pack.gtin}/21`)).toMatchObject({
        ai: '21',
        reason: 'AI without a value',
      });
    });

    it('refuses bad percent-encoding with the AI and the segment position', () => {
      const uri = `https://x.example/01/${pack.gtin}/10/A%ZZ/21/S1`;
      expect(parseError(uri)).toMatchObject({ ai: '10', position: uri.indexOf('%ZZ') });
      const euro = `https://x.example/01/${pack.gtin}/21/AB%E2%82%AC`;
      expect(parseError(euro)).toMatchObject({ ai: '21', position: euro.indexOf('%E2') });
    });

    it('refuses an unknown symbology identifier and an element string without "(AI)"', () => {
      expect(parseError(']X901' + pack.gtin)).toMatchObject({
        position: 0,
        reason: expect.stringMatching(/symbology/),
      });
      expect(parseError(`(01)${pack.gtin}(x)S1`)).toMatchObject({ ai: '01', position: 4 });
      expect(parseError('01X')).toMatchObject({ ai: '01', position: 2 });
      expect(parseError('x(01)1')).toMatchObject({
        position: 0,
        reason: expect.stringMatching(/unknown or unsupported AI/),
      });
    });
  });

  it('never confuses GTINs: every valid GTIN parses to itself', () => {
    fc.assert(fc.property(gtinArb, (gtin) => expect(parseCode(`01${gtin}`).gtin).toBe(gtin)));
  });
});

describe(parsePackCode.name, () => {
  it('reads a pack code with its GTIN and serial, and the lot and expiry it carries', () => {
    expect(parsePackCode(toElementString(pack))).toEqual({ ...pack, form: 'raw' });
    expect(parsePackCode(`(01)${pack.gtin}(21)${pack.serial}(99)X`)).toEqual({
      gtin: pack.gtin,
      serial: pack.serial,
      form: 'element-string',
      otherAis: { '99': 'X' },
    });
  });

  it('refuses an SSCC and a code without serial, naming the missing AI at position 0', () => {
    const refusal = (raw: string): CodeParseError => {
      try {
        parsePackCode(raw);
      } catch (e) {
        if (e instanceof CodeParseError) return e;
      }
      throw new Error(`${raw} was read as a pack code`);
    };
    expect(refusal('(00)106141412345678908')).toMatchObject({ ai: '01', position: 0 });
    expect(refusal(`(01)${pack.gtin}(10)A1B2`)).toMatchObject({ ai: '21', position: 0 });
  });
});
