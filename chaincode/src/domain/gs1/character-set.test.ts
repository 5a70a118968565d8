import fc from 'fast-check';
import { CSET82_CHARS, cset82Arb } from '../../testing/arbitraries';
import { assertLot, assertSerial, firstInvalidCset82 } from './character-set';

describe(firstInvalidCset82.name, () => {
  it('accepts all 82 characters of the GS1 set', () => {
    expect(CSET82_CHARS).toHaveLength(82);
    expect(firstInvalidCset82(CSET82_CHARS)).toBe(-1);
    fc.assert(fc.property(cset82Arb(), (s) => expect(firstInvalidCset82(s)).toBe(-1)));
  });

  it('finds the first character outside it', () => {
    expect(firstInvalidCset82('AB CD')).toBe(2);
    expect(firstInvalidCset82('A#')).toBe(1);
    expect(firstInvalidCset82('é')).toBe(0);
    expect(firstInvalidCset82('A\u001dB')).toBe(1);
  });
});

describe('assertLot / assertSerial', () => {
  it('refuse empty, over-long and out-of-set values with INVALID', () => {
    expect(() => assertLot('A1B2')).not.toThrow();
    expect(() => assertSerial('')).toThrow('INVALID: serial must be 1 to 20 characters, got 0');
    expect(() => assertLot('L'.repeat(21))).toThrow('INVALID: lot must be 1 to 20 characters, got 21');
    expect(() => assertSerial('AB~')).toThrow(
      'INVALID: serial "AB~" has a character outside the GS1 character set at 2',
    );
  });
});
