import { REASON_TEXT, reasonText } from './reason-texts';
import { REASON_CODES } from './types';

describe('reason texts', () => {
  it('has words for every verdict reason, and for nothing else', () => {
    expect(Object.keys(REASON_TEXT).sort()).toEqual([...REASON_CODES].sort());
    for (const code of REASON_CODES) {
      expect(REASON_TEXT[code].trim()).not.toBe('');
      expect(REASON_TEXT[code]).toMatch(/\.$/);
    }
  });

  it('gives each reason its own words', () => {
    expect(new Set(Object.values(REASON_TEXT)).size).toBe(REASON_CODES.length);
  });

  it('shows a reason it does not know as the code itself, prototype names included', () => {
    expect(reasonText('UNKNOWN_SERIAL')).toBe(REASON_TEXT.UNKNOWN_SERIAL);
    expect(reasonText('SOME_NEWER_REASON')).toBe('SOME_NEWER_REASON');
    expect(reasonText('toString')).toBe('toString');
  });
});
