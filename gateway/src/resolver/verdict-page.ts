import { Language, LANGUAGES, reasonText } from '@drugtrace/chaincode/domain';
import { Request } from 'express';
import { Problem } from '../common/problem';
import { negotiateLanguage, translator } from '../i18n/messages';
import { VerificationResponse } from '../verify/verify.dto';

const esc = (s: unknown): string =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

type Tone = 'genuine' | 'suspect' | 'counterfeit' | 'unchecked';

/** The language a resolver page speaks (Accept-Language, or the page's own switch: ?lang=), and its words. */
export interface PageLanguage {
  language: Language;
  t: ReturnType<typeof translator>;
  /** The same page in each language: the link's query with only `lang` changed. */
  links: { language: Language; href: string }[];
}

/** The link as scanned without the page's `lang` parameter, so the code is parsed exactly as printed. */
export function withoutLang(url: string): string {
  return url.replace(/([?&])lang=[^&]*(&|$)/, (_m, lead: string, tail: string) => (tail ? lead : ''));
}

export function pageLanguage(req: Request): PageLanguage {
  const language = negotiateLanguage(req.get('accept-language'), req.query.lang);
  const url = withoutLang(req.originalUrl);
  const links = LANGUAGES.map((code) => ({
    language: code,
    href: `${url}${url.includes('?') ? '&' : '?'}lang=${code}`,
  }));
  return { language, t: translator(language), links };
}

/** The page around a headline (in the verdict colours) and its text: self-contained, accessible, no script. */
function page(view: PageLanguage, title: string, tone: Tone, body: string): string {
  const { language, t, links } = view;
  const switcher = links
    .map((l) =>
      l.language === language
        ? `<strong lang="${l.language}">${esc(t(`lang.${l.language}`))}</strong>`
        : `<a href="${esc(l.href)}" lang="${l.language}" hreflang="${l.language}">${esc(t(`lang.${l.language}`))}</a>`,
    )
    .join(' · ');
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} — DrugTrace</title>
<link rel="stylesheet" href="/styles.css">
<style>body{font-family:system-ui,sans-serif;margin:0;padding:1rem;max-width:40rem;margin-inline:auto;color:#111}
.verdict{border-radius:12px;padding:1.5rem;color:#fff;font-size:1.6rem;font-weight:700}
.verdict-genuine{background:#0a6b2d}.verdict-suspect{background:#8a4b00}.verdict-counterfeit{background:#a4161a}
.verdict-unchecked{background:#3d4852}.languages{text-align:end;margin-bottom:.5rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}</style></head>
<body><main>
<nav class="languages" aria-label="${esc(t('lang.label'))}">${switcher}</nav>
<div class="verdict verdict-${tone}" role="status" aria-live="polite">${esc(title)}</div>
${body}
</main></body></html>`;
}

/** The scanner faults that may explain what the page says, in plain sentences. */
const hintsSection = (hints: readonly { text: string }[] | undefined, t: PageLanguage['t']): string =>
  hints?.length
    ? `<h2>${esc(t('resolver.hints'))}</h2><ul>${hints.map((h) => `<li>${esc(h.text)}</li>`).join('')}</ul>`
    : '';

/** What a patient sees after scanning the QR code with a phone, in the phone's language. */
export function renderVerdictPage(
  result: Pick<VerificationResponse, 'verdict' | 'reasons' | 'code' | 'product' | 'hints'>,
  view: PageLanguage,
): string {
  const { t, language } = view;
  const product = result.product as { name?: string; strength?: string; dosageForm?: string } | undefined;
  const reasons = result.reasons.map((r) => `<li>${esc(reasonText(r, language))}</li>`).join('');
  const expiry = result.code.expiry
    ? new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' }).format(
        new Date(`${result.code.expiry}T00:00:00Z`),
      )
    : '—';
  const checkedAt = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(),
  );
  return page(
    view,
    t(`resolver.${result.verdict}`),
    result.verdict.toLowerCase() as Tone,
    `${reasons ? `<h2>${esc(t('resolver.why'))}</h2><ul>${reasons}</ul>` : `<p>${esc(t('resolver.regular'))}</p>`}
${hintsSection(result.hints, t)}
<h2>${esc(t('resolver.pack'))}</h2><dl>
<dt>${esc(t('fact.product'))}</dt><dd>${esc(product ? `${product.name} (${product.strength}, ${product.dosageForm})` : t('resolver.unknown'))}</dd>
<dt>${esc(t('fact.gtin'))}</dt><dd>${esc(result.code.gtin)}</dd><dt>${esc(t('fact.lot'))}</dt><dd>${esc(result.code.lot ?? '—')}</dd>
<dt>${esc(t('fact.expiry'))}</dt><dd>${esc(expiry)}</dd><dt>${esc(t('fact.serial'))}</dt><dd>${esc(result.code.serial)}</dd></dl>
<p><small>${esc(t('resolver.checked'))} ${esc(t('resolver.checkedOn', { at: checkedAt }))}</small></p>`,
  );
}

const doNotUse = (t: PageLanguage['t']): string =>
  `<h2>${esc(t('resolver.whatToDo'))}</h2><p><strong>${esc(t('resolver.doNotUse'))}</strong> ${esc(t('resolver.showPharmacist'))}</p>`;

/**
 * What a patient sees when the pack cannot be checked: a code that is not a valid pack code (400), too many
 * checks from one connection (429), or the ledger out of reach. The problem's detail is shown, escaped, for
 * the pharmacist; the request ID lets support find the request in the logs.
 */
export function renderProblemPage(problem: Problem, view: PageLanguage, retryAfterSeconds?: number): string {
  const { t } = view;
  const reference = problem.requestId
    ? `<p><small>${esc(t('resolver.reference', { id: problem.requestId }))}</small></p>`
    : '';
  if (problem.status === 400) {
    const part = `resolver.ai.${problem.ai ?? ''}`;
    const what = t(part) === part ? t('resolver.notValid') : t(part);
    return page(
      view,
      t('resolver.invalidTitle'),
      'suspect',
      `<h2>${esc(t('resolver.why'))}</h2><p>${esc(what)} ${esc(t('resolver.invalidWhy'))}</p>
${hintsSection(problem.hints, t)}
${doNotUse(t)}
<h2>${esc(t('resolver.forPharmacist'))}</h2><p><code>${esc(problem.detail)}</code></p>
${reference}`,
    );
  }
  if (problem.status === 429) {
    const wait =
      retryAfterSeconds && retryAfterSeconds > 0
        ? t('resolver.waitSeconds', { n: retryAfterSeconds })
        : t('resolver.waitMinute');
    return page(
      view,
      t('resolver.tooManyTitle'),
      'unchecked',
      `<p>${esc(t('resolver.tooMany', { wait }))}</p>
<p>${esc(t('resolver.askFirst'))}</p>
${reference}`,
    );
  }
  const why = problem.status === 503 || problem.status === 504 ? 'resolver.unavailable' : 'resolver.wrong';
  return page(
    view,
    t('resolver.failedTitle'),
    'unchecked',
    `<p>${esc(t(why))} ${esc(t('resolver.tryLater'))}</p>
<p>${esc(t('resolver.askFirst'))}</p>
${reference}`,
  );
}
