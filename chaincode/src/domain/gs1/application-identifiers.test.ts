import { parseError } from '../../testing/parse-error';
import {
  AI_TABLE,
  AiComponent,
  predefinedLength,
  SYNTAX_DICTIONARY_RELEASE,
} from './application-identifiers';
import { gs1CheckDigit } from './check-digit';
import { checkCharacterPair, LINTERS, LIST_LINTERS } from './linters';
import { GS, parseCode } from './parse';

const GTIN = '09506000134352';

/** Valid data for one component: the right characters and length, passing its content checks. */
const SAMPLE: Record<string, string> = {
  yymmd0: '260100',
  yymmdd: '260131',
  yyyymmdd: '20260131',
  hhmi: '1230',
  hh: '12',
  mi: '30',
  ss: '30',
  zero: '0',
  yesno: '1',
  winding: '1',
  iso5218: '1',
  hyphen: '-',
  pieceoftotal: '0102',
  iban: 'GB82WEST12345698765432',
  posinseqslash: '1/2',
  iso3166: '250',
  iso3166999: '999',
  iso3166alpha2: 'FR',
  iso4217: '978',
  mediatype: '01',
};
const FILL = { N: '1', X: 'A', Y: 'A', Z: 'A' };

function sampleOf(c: AiComponent): string {
  const special = c.linters.map((l) => SAMPLE[l]).find((s) => s !== undefined);
  if (special !== undefined) return special;
  const length = c.linters.includes('csumalpha') ? c.max : c.min === c.max ? c.max : Math.min(c.max, 3);
  let value = FILL[c.cset].repeat(length);
  if (c.linters.includes('hasnondigit')) value = 'A' + value.slice(1);
  if (c.linters.includes('csum')) value = value.slice(0, -1) + gs1CheckDigit(value.slice(0, -1));
  if (c.linters.includes('csumalpha')) value = value.slice(0, -2) + checkCharacterPair(value.slice(0, -2));
  return value;
}

const sampleData = (ai: string): string => (AI_TABLE.get(ai)?.components ?? []).map(sampleOf).join('');

describe('the AI table generated from GS1’s Barcode Syntax Dictionary', () => {
  it('holds every AI of the dictionary, ranges expanded', () => {
    expect(SYNTAX_DICTIONARY_RELEASE).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const ai of [
      '00',
      '01',
      '10',
      '17',
      '21',
      '22',
      '235',
      '253',
      '3100',
      '3105',
      '3103',
      '8030',
      '91',
      '99',
    ])
      expect(AI_TABLE.get(ai)?.ai).toBe(ai);
    expect(AI_TABLE.has('3106')).toBe(false);
    expect(AI_TABLE.size).toBeGreaterThan(500);
    expect(predefinedLength(AI_TABLE.get('3103')!)).toBe(6);
    expect(predefinedLength(AI_TABLE.get('10')!)).toBeUndefined();
  });

  it('checks or knowingly leaves unchecked every content check the dictionary names', () => {
    for (const entry of AI_TABLE.values())
      for (const c of entry.components)
        for (const linter of c.linters)
          expect([linter, linter in LINTERS || LIST_LINTERS.has(linter)]).toEqual([linter, true]);
  });

  it('parses valid data of every AI and reports it beside the verdict fields', () => {
    for (const ai of AI_TABLE.keys()) {
      if (['00', '01', '10', '17', '21'].includes(ai)) continue;
      const data = sampleData(ai);
      expect([ai, parseCode(`(01)${GTIN}(${ai})${data}(21)S1`).otherAis]).toEqual([ai, { [ai]: data }]);
    }
  });

  it('refuses data one character too long for every AI, naming the whole AI', () => {
    for (const [ai, entry] of AI_TABLE) {
      const max = entry.components.reduce((sum, c) => sum + c.max, 0);
      const data = sampleData(ai) + '1'.repeat(max + 1 - sampleData(ai).length);
      const error = parseError(ai === '01' ? `(01)${data}` : `(01)${GTIN}(${ai})${data}`);
      expect([ai, error.ai, error.message]).toEqual([
        ai,
        ai,
        expect.stringContaining(`AI (${ai}) at position`),
      ]);
    }
  });
});

describe('every AI in a pack code', () => {
  const extras = {
    '99': 'INTERNAL-7',
    '22': 'CPV1',
    '235': 'TPX42',
    '3103': '001250',
    '8030': 'MEUCIQ-sig_1',
    '253': '9506000134352DOC1',
  };

  it('keeps the verdict fields and reports (99), (22), (235), (3103), (8030) and (253) in every form', () => {
    const expected = {
      gtin: GTIN,
      lot: 'A1B2',
      expiry: '2028-06-30',
      serial: 'X7K2',
      otherAis: extras,
    };
    const hri = `(01)${GTIN}(17)280630(3103)001250(10)A1B2(21)X7K2(99)INTERNAL-7(22)CPV1(235)TPX42(8030)MEUCIQ-sig_1(253)9506000134352DOC1`;
    expect(parseCode(hri)).toEqual({ ...expected, form: 'element-string' });
    // Predefined-length AIs (17, 3103) need no group separator after them; every other one does.
    const raw =
      `]d201${GTIN}172806303103001250` +
      [
        `10A1B2`,
        '21X7K2',
        '99INTERNAL-7',
        '22CPV1',
        '235TPX42',
        '8030MEUCIQ-sig_1',
        '2539506000134352DOC1',
      ].join(GS);
    expect(parseCode(raw)).toEqual({ ...expected, form: 'raw' });
    // In a Digital Link (235) is a path qualifier instead of (22)/(10)/(21), never a query attribute.
    const link = `https://id.example/01/${GTIN}/22/CPV1/10/A1B2/21/X7K2?17=280630&3103=001250&99=INTERNAL-7&8030=MEUCIQ-sig_1&253=9506000134352DOC1`;
    const linkExtras = Object.fromEntries(Object.entries(extras).filter(([ai]) => ai !== '235'));
    expect(parseCode(link)).toEqual({ ...expected, otherAis: linkExtras, form: 'digital-link' });
  });

  it('lets a variable-length AI without its group separator swallow the next one (FNC1 need)', () => {
    expect(parseCode(`01${GTIN}99ABC21S1`)).toEqual({
      gtin: GTIN,
      form: 'raw',
      otherAis: { '99': 'ABC21S1' },
    });
    expect(parseCode(`01${GTIN}3103001250` + '21S1')).toMatchObject({
      serial: 'S1',
      otherAis: { '3103': '001250' },
    });
  });

  it('names the whole AI, its position and the fault for bad data of any AI', () => {
    const long = `(01)${GTIN}(21)S1(235)${'T'.repeat(29)}`;
    expect(parseError(long)).toMatchObject({
      ai: '235',
      position: long.indexOf('TTT'),
      reason: 'is longer than 28 characters',
    });
    expect(parseError(long).message).toContain('AI (235) at position');
    const weight = `01${GTIN}31030012`;
    expect(parseError(weight)).toMatchObject({ ai: '3103', reason: 'needs 6 characters, only 4 left' });
    const letters = `(01)${GTIN}(3103)0012A0(21)S1`;
    expect(parseError(letters)).toMatchObject({
      ai: '3103',
      position: letters.indexOf('A0'),
      reason: 'must be digits only',
    });
    const gdti = `(01)${GTIN}(21)S1(253)9506000134353DOC1`;
    expect(parseError(gdti)).toMatchObject({
      ai: '253',
      position: gdti.indexOf('3DOC1'),
      reason: 'wrong check digit (expected 2)',
    });
    const sig = `(01)${GTIN}(21)S1(8030)MEU+sig`;
    expect(parseError(sig)).toMatchObject({ ai: '8030', position: sig.indexOf('+') });
  });

  it('checks dates of every date AI: day 00 only where GS1 allows it', () => {
    expect(parseCode(`(01)${GTIN}(21)S1(11)260200`).otherAis).toEqual({ '11': '260200' });
    expect(parseError(`(01)${GTIN}(21)S1(7006)260200`)).toMatchObject({
      ai: '7006',
      reason: expect.stringMatching(/day 00/),
    });
    expect(parseError(`(01)${GTIN}(21)S1(13)261301`)).toMatchObject({
      ai: '13',
      reason: expect.stringMatching(/month 13/),
    });
    expect(parseError(`(01)${GTIN}(21)S1(7003)2601312460`)).toMatchObject({
      ai: '7003',
      reason: expect.stringMatching(/hour 24/),
    });
  });

  it('checks the check character pair of a GMN (8013)', () => {
    expect(parseCode(`(01)${GTIN}(21)S1(8013)1987654Ad4X4bL5ttr2310c2K`).otherAis).toEqual({
      '8013': '1987654Ad4X4bL5ttr2310c2K',
    });
    expect(parseError(`(01)${GTIN}(21)S1(8013)1987654Ad4X4bL5ttr2310c2L`)).toMatchObject({
      ai: '8013',
      reason: 'wrong check character pair (expected 2K)',
    });
  });

  it('refuses an AI the Digital Link standard does not allow as a query attribute, and key qualifiers out of place', () => {
    expect(parseError(`https://id.example/01/${GTIN}?21=S1`)).toMatchObject({ ai: '21' });
    expect(parseError(`https://id.example/01/${GTIN}/235/T1/21/S1`)).toMatchObject({
      ai: '21',
      reason: 'key qualifiers out of order',
    });
    expect(parseCode(`https://id.example/01/${GTIN}/235/T1`)).toMatchObject({ otherAis: { '235': 'T1' } });
  });
});
