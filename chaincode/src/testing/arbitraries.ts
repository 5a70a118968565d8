// fast-check generators for GS1 data, shared by the property-based tests.
import fc from 'fast-check';
import { FullPack } from '../domain/gs1/format';
import { gs1CheckDigit } from '../domain/gs1/check-digit';

/** GS1 AI encodable character set 82, every character of it. */
export const CSET82_CHARS = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`;

const digits = (n: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });

const withCheck = (n: number): fc.Arbitrary<string> =>
  digits(n - 1).map((body) => body + gs1CheckDigit(body));

export const gtinArb = withCheck(14);
export const glnArb = withCheck(13);
export const ssccArb = withCheck(18);

export const cset82Arb = (maxLength = 20, minLength = 1): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...CSET82_CHARS), minLength, maxLength });

const daysInMonth = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();
const pad = (n: number): string => String(n).padStart(2, '0');

/** An ISO expiry in 2000-2099, any calendar day. */
export const expiryArb = fc
  .record({
    year: fc.integer({ min: 2000, max: 2099 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
  })
  .map(({ year, month, day }) => `${year}-${pad(month)}-${pad(Math.min(day, daysInMonth(year, month)))}`);

export const packArb: fc.Arbitrary<FullPack> = fc.record({
  gtin: gtinArb,
  lot: cset82Arb(),
  expiry: expiryArb,
  serial: cset82Arb(),
});
