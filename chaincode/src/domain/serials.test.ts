import fc from 'fast-check';
import { assertSerial } from './gs1/character-set';
import {
  GENERATED_SERIAL_LENGTH,
  generateSerials,
  hasGeneratedShape,
  MAX_PREFIX_ATTEMPTS,
  prefixCandidate,
  SERIAL_PREFIX_LENGTH,
  serialPrefix,
  sortedIncludes,
} from './serials';

describe(generateSerials.name, () => {
  it('derives the same serials from the same seed on every peer', () => {
    expect(generateSerials('tx-1', 'ABCD', 50)).toEqual(generateSerials('tx-1', 'ABCD', 50));
    expect(generateSerials('tx-1', 'ABCD', 50)).not.toEqual(generateSerials('tx-2', 'ABCD', 50));
  });

  it('makes unique, sorted 12-character serials under the prefix, valid GS1 serials', () => {
    const serials = generateSerials('seed', 'K7QZ', 5000);
    expect(serials).toHaveLength(5000);
    expect(new Set(serials).size).toBe(5000);
    expect([...serials].sort()).toEqual(serials);
    for (const s of serials) {
      expect(s).toMatch(/^K7QZ[A-HJ-NP-Z2-9]{8}$/);
      expect(hasGeneratedShape(s)).toBe(true);
      expect(serialPrefix(s)).toBe('K7QZ');
      expect(() => assertSerial(s)).not.toThrow();
    }
    expect(GENERATED_SERIAL_LENGTH).toBe(12);
  });
});

describe(prefixCandidate.name, () => {
  it('derives a 4-character prefix from the seed, another per attempt, and gives up after the last', () => {
    const p0 = prefixCandidate('tx-1', 0);
    expect(p0).toMatch(new RegExp(`^[A-HJ-NP-Z2-9]{${SERIAL_PREFIX_LENGTH}}$`));
    expect(prefixCandidate('tx-1', 0)).toBe(p0);
    const tries = Array.from({ length: MAX_PREFIX_ATTEMPTS }, (_, i) => prefixCandidate('tx-1', i));
    expect(new Set(tries).size).toBeGreaterThan(MAX_PREFIX_ATTEMPTS - 2);
    expect(() => prefixCandidate('tx-1', MAX_PREFIX_ATTEMPTS)).toThrow(/^CONFLICT: no free serial prefix/);
  });
});

describe(hasGeneratedShape.name, () => {
  it.each(['S0001', 'ABCDEFGHJKL', 'ABCDEFGHJKLMN', 'ABCDEFGHJKL0', 'abcdefghjklm', 'ABCDEFGHJKLI'])(
    'says %j is not generated',
    (s) => expect(hasGeneratedShape(s)).toBe(false),
  );
});

describe(sortedIncludes.name, () => {
  it('property: finds exactly the members of a sorted list', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ maxLength: 4 })), fc.string({ maxLength: 4 }), (list, probe) => {
        const sorted = [...list].sort();
        expect(sortedIncludes(sorted, probe)).toBe(list.includes(probe));
        for (const s of sorted) expect(sortedIncludes(sorted, s)).toBe(true);
      }),
    );
  });
});
