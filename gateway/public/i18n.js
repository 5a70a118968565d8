// The pages' words: the message catalogue GET /i18n picks by Accept-Language (or the language switch's
// choice, kept in this browser), applied to every element marked data-i18n (text) or data-i18n-attr
// ("attribute=key;…"); t() for what scripts write; Intl for numbers and dates. No page holds words of its own.
const STORAGE = 'drugtrace.lang';

async function load() {
  const chosen = window.localStorage.getItem(STORAGE);
  try {
    const response = await fetch(chosen ? `/i18n?lang=${encodeURIComponent(chosen)}` : '/i18n');
    if (response.ok) return await response.json();
  } catch {
    // the keys are shown instead of words
  }
  return { lang: 'en', messages: {} };
}

const { lang, messages } = await load();

/** The page's language tag (en, zh-CN). */
export const language = lang;
const plural = new Intl.PluralRules(lang);
const numbers = new Intl.NumberFormat(lang);

/** A message with its {placeholders} filled (numbers formatted); plural forms chosen by `params.n`. */
export function t(key, params = {}) {
  let message = messages[key];
  if (message === undefined) return key;
  if (typeof message === 'object') message = message[plural.select(Number(params.n ?? 0))] ?? message.other;
  return message.replace(/\{(\w+)\}/g, (whole, name) => {
    const value = params[name];
    if (value === undefined || value === null) return whole;
    return typeof value === 'number' ? numbers.format(value) : String(value);
  });
}

export const formatNumber = (n) => numbers.format(n);

/** Fills the marked elements under `root` with their messages. */
export function applyMessages(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(';')) {
      const [attribute, key] = pair.split('=');
      el.setAttribute(attribute.trim(), t(key.trim()));
    }
  }
}

/** The switch: remembers the choice for this browser and shows the page again in that language. */
export function chooseLanguage(next) {
  window.localStorage.setItem(STORAGE, next);
  window.location.reload();
}

document.documentElement.lang = lang;
applyMessages();
