import { DomainError } from '../errors';

// GS1 AI encodable character set 82 (General Specifications, figure 7.11-1): what lots and serials may hold.
const CSET82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$/;
export const MAX_LOT_LENGTH = 20;
export const MAX_SERIAL_LENGTH = 20;

export function firstInvalidCset82(value: string): number {
  for (let i = 0; i < value.length; i++) if (!CSET82.test(value[i])) return i;
  return -1;
}

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
