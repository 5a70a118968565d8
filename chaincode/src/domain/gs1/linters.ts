import { gs1CheckDigit } from './check-digit';
import { CSET82_CHARACTERS } from './character-set';

// The content checks the GS1 Barcode Syntax Dictionary names for an AI's components ("linters"). Each returns
// the offset in the component of what is wrong and why, or undefined when the component passes.

export interface LintFailure {
  offset: number;
  reason: string;
}
type Linter = (value: string) => LintFailure | undefined;

const fail = (offset: number, reason: string): LintFailure => ({ offset, reason });
const pad = (n: number): string => String(n).padStart(2, '0');
const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * YYMMDD (20YY, as the expiry rule in dates.ts); DD=00 allowed when `dayZero` (the last day of the month).
 * A bad date is reported at its first character, where a reader looks for it.
 */
function date(value: string, dayZero: boolean, yearDigits = 2): LintFailure | undefined {
  const year = yearDigits === 2 ? 2000 + Number(value.slice(0, 2)) : Number(value.slice(0, 4));
  const month = Number(value.slice(yearDigits, yearDigits + 2));
  const day = Number(value.slice(yearDigits + 2, yearDigits + 4));
  if (month < 1 || month > 12) return fail(0, `month ${pad(month)} is not a month`);
  if ((day === 0 && !dayZero) || day > daysInMonth(year, month))
    return fail(0, `day ${pad(day)} does not exist in ${year}-${pad(month)}`);
  return undefined;
}

const upTo =
  (max: number, what: string, at = 0, length = 2): Linter =>
  (value) =>
    Number(value.slice(at, at + length)) > max
      ? fail(at, `${what} ${value.slice(at, at + length)} is out of range`)
      : undefined;

const oneOf =
  (allowed: string, what: string): Linter =>
  (value) =>
    allowed.split(',').includes(value) ? undefined : fail(0, `"${value}" is not a valid ${what}`);

/** GS1 check character pair (General Specifications, 7.9.5): prime weights from the right, modulo 1021. */
const CSET32 = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89];
export function checkCharacterPair(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++)
    sum += CSET82_CHARACTERS.indexOf(body[body.length - 1 - i]) * PRIMES[i];
  sum %= 1021;
  return CSET32[sum >> 5] + CSET32[sum & 31];
}

/** IBAN: two letters, two check digits, the rest; valid when the ISO 7064 mod 97-10 remainder is 1. */
function iban(value: string): LintFailure | undefined {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(value)) return fail(0, 'is not an IBAN');
  const digits = (value.slice(4) + value.slice(0, 4)).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const d of digits) rest = (rest * 10 + Number(d)) % 97;
  return rest === 1 ? undefined : fail(2, 'IBAN check digits are wrong');
}

export const LINTERS: Readonly<Record<string, Linter>> = {
  csum: (v) => {
    const expected = gs1CheckDigit(v.slice(0, -1));
    return expected === Number(v.slice(-1))
      ? undefined
      : fail(v.length - 1, `wrong check digit (expected ${expected})`);
  },
  csumalpha: (v) => {
    if (v.length < 3) return fail(0, 'is too short for its check character pair');
    const expected = checkCharacterPair(v.slice(0, -2));
    return v.slice(-2) === expected
      ? undefined
      : fail(v.length - 2, `wrong check character pair (expected ${expected})`);
  },
  yymmd0: (v) => date(v, true),
  yymmdd: (v) => date(v, false),
  yyyymmdd: (v) => date(v, false, 4),
  hhmi: (v) => upTo(23, 'hour')(v) ?? upTo(59, 'minute', 2)(v),
  hh: upTo(23, 'hour'),
  mi: upTo(59, 'minute'),
  ss: upTo(59, 'second'),
  nonzero: (v) => (/^0+$/.test(v) ? fail(0, 'must not be zero') : undefined),
  zero: (v) => (v === '0' ? undefined : fail(0, 'must be 0')),
  nozeroprefix: (v) => (v.length > 1 && v.startsWith('0') ? fail(0, 'must not start with 0') : undefined),
  hasnondigit: (v) => (/\D/.test(v) ? undefined : fail(0, 'must contain a character that is not a digit')),
  yesno: oneOf('0,1', 'yes (1) or no (0)'),
  winding: oneOf('0,1,9', 'winding direction'),
  iso5218: oneOf('0,1,2,9', 'sex code (ISO/IEC 5218)'),
  hyphen: (v) => (v === '-' ? undefined : fail(0, 'must be "-"')),
  pieceoftotal: (v) => {
    const [piece, total] = [Number(v.slice(0, 2)), Number(v.slice(2, 4))];
    return piece === 0 || total === 0 || piece > total
      ? fail(0, `piece ${piece} of ${total} is impossible`)
      : undefined;
  },
  pcenc: (v) => {
    const bad = v.search(/%(?![0-9A-Fa-f]{2})/);
    return bad === -1 ? undefined : fail(bad, 'bad percent-encoding');
  },
  latitude: (v) => (Number(v) > 1_800_000_000 ? fail(0, 'latitude is out of range') : undefined),
  longitude: (v) => (Number(v) > 3_600_000_000 ? fail(0, 'longitude is out of range') : undefined),
  iban,
  posinseqslash: (v) => {
    const m = /^(\d)\/(\d)$/.exec(v);
    return m && Number(m[1]) >= 1 && Number(m[1]) <= Number(m[2])
      ? undefined
      : fail(0, 'must be "n/m", n ≤ m');
  },
};

/**
 * Checks that need GS1's or ISO's code lists (country and currency codes, GS1 company prefixes, package types,
 * coupon and media codes, importer indexes), which the repository does not hold: the component's format and
 * length are still checked, its membership of the list is not.
 */
export const LIST_LINTERS: ReadonlySet<string> = new Set([
  'gcppos1',
  'gcppos2',
  'iso3166',
  'iso3166999',
  'iso3166alpha2',
  'iso4217',
  'importeridx',
  'packagetype',
  'mediatype',
  'couponcode',
  'couponposoffer',
]);
