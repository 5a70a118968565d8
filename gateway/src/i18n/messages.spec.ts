import { LANGUAGES } from '@drugtrace/chaincode/domain';
import { catalogue, negotiateLanguage, translator } from './messages';

describe(negotiateLanguage.name, () => {
  it('takes the best-weighted language it speaks from Accept-Language', () => {
    expect(negotiateLanguage('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(negotiateLanguage('fr-FR,fr;q=0.9,zh;q=0.5,en;q=0.3')).toBe('zh-CN');
    expect(negotiateLanguage('en-GB,en;q=0.9,zh-CN;q=0.8')).toBe('en');
    expect(negotiateLanguage('zh-CN;q=0.2,en-US;q=0.9')).toBe('en');
    expect(negotiateLanguage('zh-TW')).toBe('zh-CN');
  });

  it('falls back to English, and lets the switch override the header', () => {
    expect(negotiateLanguage(undefined)).toBe('en');
    expect(negotiateLanguage('fr,de;q=0.5')).toBe('en');
    expect(negotiateLanguage('zh;q=0, en;q=0')).toBe('en');
    expect(negotiateLanguage('en', 'zh-CN')).toBe('zh-CN');
    expect(negotiateLanguage('zh-CN', 'en')).toBe('en');
    expect(negotiateLanguage('zh-CN', 'klingon')).toBe('zh-CN');
    expect(negotiateLanguage('zh-CN', ['en'])).toBe('zh-CN');
  });
});

describe('message catalogues', () => {
  const placeholders = (message: unknown): string[] =>
    [...new Set(JSON.stringify(message).match(/\{\w+\}/g) ?? [])].sort();

  it('has every message in every language, with the same placeholders', () => {
    const en = catalogue('en');
    for (const language of LANGUAGES) {
      const other = catalogue(language);
      expect(Object.keys(other).sort()).toEqual(Object.keys(en).sort());
      for (const key of Object.keys(en))
        expect({ key, p: placeholders(other[key]) }).toEqual({ key, p: placeholders(en[key]) });
    }
  });

  it('fills placeholders, formats numbers and chooses plural forms by language', () => {
    const en = translator('en');
    const zh = translator('zh-CN');
    expect(en('goods.packs', { n: 1 })).toBe('1 pack');
    expect(en('goods.packs', { n: 1200 })).toBe('1,200 packs');
    expect(zh('goods.packs', { n: 1200 })).toBe('1,200 盒');
    expect(en('receive.counts', { n: 3, scanned: 2 })).toBe('Expected 3 packs · scanned 2');
    expect(en('no.such.key')).toBe('no.such.key');
  });
});
