import fc from 'fast-check';
import { glnArb, gtinArb, ssccArb } from '../../testing/arbitraries';
import { DomainError } from '../errors';
import {
  assertGln,
  assertGtin,
  assertSscc,
  gs1CheckDigit,
  isValidGln,
  isValidGtin,
  isValidSscc,
  normalizeGtin,
} from './check-digit';

/** Changes one digit at `at` to a different one. */
const mutate = (s: string, at: number, by: number): string =>
  s.slice(0, at) + String((Number(s[at]) + 1 + (by % 9)) % 10) + s.slice(at + 1);

describe(gs1CheckDigit.name, () => {
  it('computes the check digits of published GS1 examples', () => {
    expect(gs1CheckDigit('0950600013435')).toBe(2); // GTIN 09506000134352
    expect(gs1CheckDigit('541234500001')).toBe(3); // GLN 5412345000013
    expect(gs1CheckDigit('10614141234567890')).toBe(8); // SSCC 106141412345678908
    expect(gs1CheckDigit('9780306406157'.slice(0, 12))).toBe(7); // EAN-13 / ISBN 978-0-306-40615-7
  });

  it('detects every single-digit error in GTINs, GLNs and SSCCs', () => {
    for (const [arb, valid] of [
      [gtinArb, isValidGtin],
      [glnArb, isValidGln],
      [ssccArb, isValidSscc],
    ] as const) {
      fc.assert(
        fc.property(arb, fc.nat(), fc.nat(), (key, at, by) => {
          expect(valid(key)).toBe(true);
          expect(valid(mutate(key, at % key.length, by))).toBe(false);
        }),
      );
    }
  });

  it('detects adjacent transpositions (except 0/5 pairs, as mod 10 cannot)', () => {
    fc.assert(
      fc.property(gtinArb, fc.nat(12), (gtin, i) => {
        const [a, b] = [gtin[i], gtin[i + 1]];
        fc.pre(a !== b && Math.abs(Number(a) - Number(b)) !== 5);
        expect(isValidGtin(gtin.slice(0, i) + b + a + gtin.slice(i + 2))).toBe(false);
      }),
    );
  });

  it('refuses wrong lengths and non-digits', () => {
    expect(isValidGtin('0950600013435')).toBe(false);
    expect(isValidGln('95060000000031')).toBe(false);
    expect(isValidSscc('10614141234567890A')).toBe(false);
    expect(isValidGtin('0950600013435 ')).toBe(false);
  });
});

describe(normalizeGtin.name, () => {
  it('pads GTIN-8, -12 and -13 to 14 digits', () => {
    expect(normalizeGtin('96385074')).toBe('00000096385074');
    expect(normalizeGtin('036000291452')).toBe('00036000291452');
    expect(normalizeGtin('9506000134352')).toBe('09506000134352');
    expect(normalizeGtin('09506000134352')).toBe('09506000134352');
  });

  it('refuses other lengths and wrong check digits with INVALID', () => {
    expect(() => normalizeGtin('123456789')).toThrow(
      /^INVALID: GTIN "123456789" must have 8, 12, 13 or 14 digits/,
    );
    expect(() => normalizeGtin('09506000134353')).toThrow(
      /^INVALID: GTIN 09506000134353 has a wrong check digit/,
    );
  });
});

describe('assertGtin / assertGln / assertSscc', () => {
  it('accept valid keys and name the expected check digit otherwise', () => {
    expect(() => assertGtin('09506000134352')).not.toThrow();
    expect(() => assertGln('5412345000013')).not.toThrow();
    expect(() => assertSscc('106141412345678908')).not.toThrow();
    expect(() => assertGln('5412345000014')).toThrow(
      'INVALID: GLN 5412345000014 has a wrong check digit (expected 3)',
    );
    expect(() => assertSscc('1061414123456789')).toThrow(DomainError);
    expect(() => assertGtin('0950600013435X')).toThrow(/must be 14 digits/);
  });
});
