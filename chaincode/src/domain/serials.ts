import { createHash } from 'node:crypto';
import { DomainError } from './errors';

// No 0/O/1/I: serials are read aloud and typed by people.
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const GENERATED_SERIAL_LENGTH = 12;
/**
 * A generated serial is a prefix claimed by its commissioning page (one chunk key per GTIN and prefix,
 * ledger/records.ts) and a tail unique within that page: 32^4 prefixes of 32^8 tails per GTIN.
 */
export const SERIAL_PREFIX_LENGTH = 4;
/** Prefixes one commissioning tries before it gives up (each try is two point reads). */
export const MAX_PREFIX_ATTEMPTS = 32;

const GENERATED_SHAPE = new RegExp(`^[${ALPHABET}]{${GENERATED_SERIAL_LENGTH}}$`);

/** `length` characters of the alphabet from SHA-256 of `input` (32 divides 256: no bias). */
function derive(input: string, length: number): string {
  const digest = createHash('sha256').update(input).digest();
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[digest[i] % ALPHABET.length];
  return out;
}

/** Whether a serial could have been generated: only such a serial can fall in a claimed prefix. */
export function hasGeneratedShape(serial: string): boolean {
  return GENERATED_SHAPE.test(serial);
}

/** The prefix a generated-shape serial falls in. */
export function serialPrefix(serial: string): string {
  return serial.slice(0, SERIAL_PREFIX_LENGTH);
}

/**
 * The prefix a commissioning tries at `attempt` (0, 1, … while the earlier ones are claimed): derived from its
 * seed (the transaction ID), so every endorsing peer tries the same ones.
 */
export function prefixCandidate(seed: string, attempt: number): string {
  if (attempt >= MAX_PREFIX_ATTEMPTS)
    throw new DomainError('CONFLICT', `no free serial prefix after ${MAX_PREFIX_ATTEMPTS} attempts`);
  return derive(`${seed}:prefix:${attempt}`, SERIAL_PREFIX_LENGTH);
}

/**
 * `count` serials under `prefix`, derived from the seed (the transaction ID, so every endorsing peer derives the
 * same ones) and unpredictable without it: 8 tail characters of 32 = 40 bits from SHA-256, unique within the
 * page. Sorted, as a chunk keeps them.
 */
export function generateSerials(seed: string, prefix: string, count: number): string[] {
  const out = new Set<string>();
  const tail = GENERATED_SERIAL_LENGTH - SERIAL_PREFIX_LENGTH;
  for (let counter = 0; out.size < count; counter++) out.add(prefix + derive(`${seed}:${counter}`, tail));
  return [...out].sort();
}

/** Whether a sorted serial list holds `serial` (binary search: a chunk is read, not scanned). */
export function sortedIncludes(sorted: readonly string[], serial: string): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] === serial) return true;
    if (sorted[mid] < serial) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
