import { REASON_TEXT, REASON_TEXT_ZH, reasonText } from './reason-texts';
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

describe('reason texts in Simplified Chinese', () => {
  it('has its own words for every reason, ending as a Chinese sentence', () => {
    expect(Object.keys(REASON_TEXT_ZH).sort()).toEqual([...REASON_CODES].sort());
    for (const code of REASON_CODES) {
      expect(reasonText(code, 'zh-CN')).toBe(REASON_TEXT_ZH[code]);
      expect(REASON_TEXT_ZH[code]).toMatch(/[\u4e00-\u9fff].*。$/);
    }
    expect(new Set(Object.values(REASON_TEXT_ZH)).size).toBe(REASON_CODES.length);
    expect(reasonText('SOME_NEWER_REASON', 'zh-CN')).toBe('SOME_NEWER_REASON');
  });
});
