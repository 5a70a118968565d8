import { createHash } from 'node:crypto';

// No 0/O/1/I: serials are read aloud and typed by people.
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const GENERATED_SERIAL_LENGTH = 12;
/**
 * Serials derived from a seed (the chaincode passes the transaction ID, so every endorsing peer derives
 * the same ones) and unpredictable without it: 12 characters of 32 = 60 bits from SHA-256.
 */
export function generateSerials(
  seed: string,
  count: number,
  existing: ReadonlySet<string> = new Set(),
): string[] {
  const out = new Set<string>();
  for (let counter = 0; out.size < count; counter++) {
    const digest = createHash('sha256').update(`${seed}:${counter}`).digest();
    let serial = '';
    for (let i = 0; i < GENERATED_SERIAL_LENGTH; i++) serial += ALPHABET[digest[i] % ALPHABET.length];
    if (!existing.has(serial)) out.add(serial);
  }
  return [...out];
}
