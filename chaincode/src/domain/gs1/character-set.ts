import { DomainError } from '../errors';

// GS1 AI encodable character set 82 (General Specifications, figure 7.11-1): what lots and serials may hold,
// in the order that gives each character its value (the check character pair counts on it).
export const CSET82_CHARACTERS = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`;
const CSET82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$/;
/** Character set 39 (upper-case letters, digits, "#-/") and 64 (base64url, "=" padding). */
const CSET39 = /^[#\-/0-9A-Z]$/;
const CSET64 = /^[A-Za-z0-9_\-=]$/;
export const MAX_LOT_LENGTH = 20;
export const MAX_SERIAL_LENGTH = 20;

export function firstInvalidCset82(value: string): number {
  for (let i = 0; i < value.length; i++) if (!CSET82.test(value[i])) return i;
  return -1;
}

const firstNotMatching = (pattern: RegExp, value: string): number => {
  for (let i = 0; i < value.length; i++) if (!pattern.test(value[i])) return i;
  return -1;
};
export const firstInvalidCset39 = (value: string): number => firstNotMatching(CSET39, value);
export const firstInvalidCset64 = (value: string): number => firstNotMatching(CSET64, value);

function assertCset82(kind: string, value: string, max: number): void {
  if (value.length === 0 || value.length > max) {
    throw new DomainError('INVALID', `${kind} must be 1 to ${max} characters, got ${value.length}`);
  }
  const bad = firstInvalidCset82(value);
  if (bad >= 0) {
    throw new DomainError(
      'INVALID',
      `${kind} "${value}" has a character outside the GS1 character set at ${bad}`,
    );
  }
}

export const assertLot = (s: string): void => assertCset82('lot', s, MAX_LOT_LENGTH);
export const assertSerial = (s: string): void => assertCset82('serial', s, MAX_SERIAL_LENGTH);
