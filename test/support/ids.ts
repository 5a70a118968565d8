import { randomBytes, randomInt } from 'node:crypto';
import { gs1CheckDigit } from '@drugtrace/chaincode/domain';

/** Digits of length n, random, for identifiers unique to one test run. */
function randomDigits(n: number): string {
  let s = '';
  while (s.length < n) s += String(randomInt(0, 10));
  return s;
}

const withCheckDigit = (body: string): string => body + String(gs1CheckDigit(body));

/** A fresh GTIN-14 with a valid check digit, so every run registers its own products. */
export const newGtin = (): string => withCheckDigit('0' + randomDigits(12));

/** A fresh SSCC (extension digit 1) with a valid check digit. */
export const newSscc = (): string => withCheckDigit('1' + randomDigits(16));

/** A fresh SSCC under a GS1 company prefix (extension digit 1, then the prefix). */
export const newSsccUnder = (prefix: string): string =>
  withCheckDigit('1' + prefix + randomDigits(16 - prefix.length));

/** A fresh lot: GS1 AI (10) characters only. */
export const newLot = (): string => 'L' + randomBytes(4).toString('hex').toUpperCase();

/** A serial the way a test would print one (AI 21 characters). */
export const newSerial = (): string => 'S' + randomBytes(6).toString('hex').toUpperCase();
