import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Language, LANGUAGES } from '@drugtrace/chaincode/domain';

// The pages' message catalogues (gateway/public/i18n/<language>.json), read by the server for the pages it
// renders itself (the resolver's verdict page) and served to the browser pages by GET /i18n.

/** A message: text with {placeholders}, or plural forms by Intl.PluralRules category. */
export type Message = string | Partial<Record<Intl.LDMLPluralRule, string>>;
export type Catalogue = Record<string, Message>;

const CATALOGUE_DIR = join(__dirname, '..', '..', 'public', 'i18n');
const loaded = new Map<Language, Catalogue>();

export function catalogue(language: Language): Catalogue {
  let messages = loaded.get(language);
  if (!messages) {
    messages = JSON.parse(readFileSync(join(CATALOGUE_DIR, `${language}.json`), 'utf8')) as Catalogue;
    loaded.set(language, messages);
  }
  return messages;
}

const isLanguage = (tag: string | undefined): tag is Language =>
  (LANGUAGES as readonly string[]).includes(tag ?? '');

/**
 * The page language: `override` when it names one (the page's switch), else the best of Accept-Language by
 * weight (any Chinese tag reads Simplified Chinese, the only Chinese there is), else English.
 */
export function negotiateLanguage(acceptLanguage: string | undefined, override?: unknown): Language {
  if (typeof override === 'string' && isLanguage(override)) return override;
  const ranges = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((r) => r.tag && r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranges) {
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
    if (tag === 'en' || tag.startsWith('en-') || tag === '*') return 'en';
  }
  return 'en';
}

/** `t(key, params)`: the message in `language`, {placeholders} filled, plural forms chosen by `params.n`. */
export function translator(
  language: Language,
): (key: string, params?: Record<string, string | number>) => string {
  const messages = catalogue(language);
  const plural = new Intl.PluralRules(language);
  const number = new Intl.NumberFormat(language);
  return (key, params = {}) => {
    let message = messages[key];
    if (message === undefined) return key;
    if (typeof message !== 'string') {
      const forms = message;
      message = forms[plural.select(Number(params.n ?? 0))] ?? forms.other ?? key;
    }
    return message.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      if (value === undefined) return whole;
      return typeof value === 'number' ? number.format(value) : value;
    });
  };
}
