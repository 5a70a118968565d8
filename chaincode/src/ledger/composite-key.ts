// Composite keys and key order exactly as the peer has them: the fake ledger and the replica of the world
// state (src/replica) both depend on them.
import type { SplitCompositekey } from 'fabric-shim-api';

export const COMPOSITE_NS = '\u0000';
const MIN_RUNE = '\u0000';
/** The largest code point: a partial composite key's range ends at it. */
export const MAX_RUNE = '\u{10ffff}';
/** What the peer reads an empty range start as (it skips the composite-key namespace). */
export const EMPTY_KEY_SUBSTITUTE = '\u0001';

/**
 * The order of the peer's state database: UTF-8 byte order, which is code-point order. JS compares
 * UTF-16 code units, which disagrees for surrogate pairs against U+E000..U+FFFF; this maps them apart.
 */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return rank(x) - rank(y);
  }
  return a.length - b.length;
}

const rank = (unit: number): number =>
  unit >= 0xe000 ? unit - 0x800 : unit >= 0xd800 ? unit + 0x2000 : unit;

export function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(sorted[mid], key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function createCompositeKey(objectType: string, attributes: string[]): string {
  const check = (s: unknown): void => {
    if (typeof s !== 'string' || s.length === 0)
      throw new Error('object type or attribute not a non-zero length string');
  };
  check(objectType);
  if (!Array.isArray(attributes)) throw new Error('attributes must be an array');
  let key = COMPOSITE_NS + objectType + MIN_RUNE;
  for (const attribute of attributes) {
    check(attribute);
    key += attribute + MIN_RUNE;
  }
  return key;
}

export function splitCompositeKey(compositeKey: string): SplitCompositekey {
  const result: SplitCompositekey = { objectType: null as unknown as string, attributes: [] };
  if (compositeKey && compositeKey.length > 1 && compositeKey[0] === COMPOSITE_NS) {
    const parts = compositeKey.substring(1).split(MIN_RUNE);
    result.objectType = parts[0];
    parts.pop();
    if (parts.length > 1) result.attributes = parts.slice(1);
  }
  return result;
}
