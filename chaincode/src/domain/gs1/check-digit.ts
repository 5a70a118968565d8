import { DomainError } from '../errors';

/** GS1 mod-10 check digit of the digits before it (weights 3,1,3,… from the right). */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

function hasValidCheckDigit(value: string, length: number): boolean {
  return (
    value.length === length &&
    /^\d+$/.test(value) &&
    gs1CheckDigit(value.slice(0, -1)) === Number(value.slice(-1))
  );
}

export const isValidGtin = (s: string): boolean => hasValidCheckDigit(s, 14);
export const isValidGln = (s: string): boolean => hasValidCheckDigit(s, 13);
export const isValidSscc = (s: string): boolean => hasValidCheckDigit(s, 18);

/** GTIN-8/12/13/14 to the 14-digit form the ledger keys on. */
export function normalizeGtin(s: string): string {
  if (!/^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(s)) {
    throw new DomainError('INVALID', `GTIN "${s}" must have 8, 12, 13 or 14 digits`);
  }
  const gtin = s.padStart(14, '0');
  if (!isValidGtin(gtin)) throw new DomainError('INVALID', `GTIN ${s} has a wrong check digit`);
  return gtin;
}

function assertKey(kind: string, value: string, length: number): void {
  if (!/^\d+$/.test(value) || value.length !== length) {
    throw new DomainError('INVALID', `${kind} "${value}" must be ${length} digits`);
  }
  if (!hasValidCheckDigit(value, length)) {
    throw new DomainError(
      'INVALID',
      `${kind} ${value} has a wrong check digit (expected ${gs1CheckDigit(value.slice(0, -1))})`,
    );
  }
}

export const assertGtin = (s: string): void => assertKey('GTIN', s, 14);
export const assertGln = (s: string): void => assertKey('GLN', s, 13);
export const assertSscc = (s: string): void => assertKey('SSCC', s, 18);
