import { GS, parseCode } from './gs1/parse';
import {
  faultVariants,
  HINT_TEXT,
  hintViews,
  invertCase,
  lotHints,
  parseFailureHints,
  SCAN_HINTS,
  upperCasedUri,
} from './hints';

const GTIN = '09506000134352';

describe('scanner hints', () => {
  it('has a plain sentence for every hint', () => {
    for (const hint of SCAN_HINTS) expect(HINT_TEXT[hint]).toMatch(/^[A-Z].+\.$/);
    expect(hintViews(['CAPS_LOCK_SUSPECTED'])).toEqual([
      { code: 'CAPS_LOCK_SUSPECTED', text: HINT_TEXT.CAPS_LOCK_SUSPECTED },
    ]);
  });

  it('inverts letter case as caps lock does, leaving other characters', () => {
    expect(invertCase('aB3/-c')).toBe('Ab3/-C');
    expect(faultVariants('Ab1')).toEqual([{ hint: 'CAPS_LOCK_SUSPECTED', value: 'aB1' }]);
    expect(faultVariants('A-1(')).toEqual([
      { hint: 'CAPS_LOCK_SUSPECTED', value: 'a-1(' },
      { hint: 'KEYBOARD_LAYOUT_SUSPECTED', value: 'A/1)' },
    ]);
    expect(faultVariants('123')).toEqual([]);
  });

  it('suspects caps lock for a Digital Link whose scheme or host is in capitals, not for a lower-case one', () => {
    expect(upperCasedUri(`HTTPS://ID.GS1.ORG/01/${GTIN}/21/s1`)).toBe(true);
    expect(upperCasedUri(`https://ID.example/01/${GTIN}/21/S1`)).toBe(true);
    expect(upperCasedUri(`https://id.example/01/${GTIN}/21/S1`)).toBe(false);
    expect(upperCasedUri(`(01)${GTIN}(21)S1`)).toBe(false);
  });

  describe(parseFailureHints.name, () => {
    it('suspects the keyboard layout when "/" arrived as "-" in a Digital Link', () => {
      const typed = `https:--id.example-01-${GTIN}-10-A1-21-S1`;
      expect(() => parseCode(typed)).toThrow();
      expect(parseFailureHints(typed)).toEqual(['KEYBOARD_LAYOUT_SUSPECTED']);
    });

    it('suspects the keyboard layout when ")" arrived as "(" in an element string', () => {
      const typed = `(01(${GTIN}(10(A1(21(S1`;
      expect(parseFailureHints(typed)).toEqual(['KEYBOARD_LAYOUT_SUSPECTED']);
    });

    it('suspects a missing group separator when a lot swallowed the serial', () => {
      const typed = `01${GTIN}17280630` + `10A1B2` + `21X7K2`;
      expect(parseCode(typed).serial).toBeUndefined();
      expect(parseFailureHints(typed)).toEqual(['MISSING_GROUP_SEPARATOR_SUSPECTED']);
      expect(parseFailureHints(`01${GTIN}10${'A'.repeat(18)}21X7K2`)).toEqual([
        'MISSING_GROUP_SEPARATOR_SUSPECTED',
      ]);
    });

    it('finds no hint for a code no scanner fault explains', () => {
      expect(parseFailureHints(`(01)09506000134353(21)S1`)).toEqual([]);
      expect(parseFailureHints(`01${GTIN}10A1B2${GS}21`)).toEqual([]);
      expect(parseFailureHints('hello')).toEqual([]);
    });
  });

  describe(lotHints.name, () => {
    it('explains a lot scanned with its case inverted or retyped by a layout', () => {
      expect(lotHints(parseCode(`(01)${GTIN}(10)a1b2(21)S1`), 'A1B2')).toEqual(['CAPS_LOCK_SUSPECTED']);
      expect(lotHints(parseCode(`(01)${GTIN}(10)A-B2(21)S1`), 'A/B2')).toEqual(['KEYBOARD_LAYOUT_SUSPECTED']);
    });

    it('explains a raw lot that swallowed the AI after it', () => {
      expect(lotHints(parseCode(`01${GTIN}21S1${GS}10A1B217280630`), 'A1B2')).toEqual([
        'MISSING_GROUP_SEPARATOR_SUSPECTED',
      ]);
      // The same text typed by a person in parentheses is no scanner fault.
      expect(lotHints(parseCode(`(01)${GTIN}(21)S1(10)A1B217280630`), 'A1B2')).toEqual([]);
    });

    it('gives no hint for the pack’s own lot or an unrelated one', () => {
      expect(lotHints(parseCode(`(01)${GTIN}(10)A1B2(21)S1`), 'A1B2')).toEqual([]);
      expect(lotHints(parseCode(`(01)${GTIN}(10)ZZZ(21)S1`), 'A1B2')).toEqual([]);
    });
  });
});
