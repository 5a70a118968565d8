import { reasonText } from '@drugtrace/chaincode/domain';
import { Problem } from '../common/problem';
import { VerificationResponse } from '../verify/verify.dto';

const esc = (s: unknown): string =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

const HEADLINE = {
  GENUINE: 'Genuine pack',
  SUSPECT: 'Do not use — suspect pack',
  COUNTERFEIT: 'Warning — likely counterfeit',
};

type Tone = 'genuine' | 'suspect' | 'counterfeit' | 'unchecked';

/** The page around a headline (in the verdict colours) and its text: self-contained, accessible, no script. */
function page(title: string, tone: Tone, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} — DrugTrace</title>
<link rel="stylesheet" href="/styles.css">
<style>body{font-family:system-ui,sans-serif;margin:0;padding:1rem;max-width:40rem;margin-inline:auto;color:#111}
.verdict{border-radius:12px;padding:1.5rem;color:#fff;font-size:1.6rem;font-weight:700}
.verdict-genuine{background:#0a6b2d}.verdict-suspect{background:#8a4b00}.verdict-counterfeit{background:#a4161a}
.verdict-unchecked{background:#3d4852}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}</style></head>
<body><main>
<div class="verdict verdict-${tone}" role="status" aria-live="polite">${esc(title)}</div>
${body}
</main></body></html>`;
}

/** What a patient sees after scanning the QR code with a phone. */
export function renderVerdictPage(result: Omit<VerificationResponse, 'asOfBlock'>): string {
  const product = result.product as { name?: string; strength?: string; dosageForm?: string } | undefined;
  const reasons = result.reasons.map((r) => `<li>${esc(reasonText(r))}</li>`).join('');
  return page(
    HEADLINE[result.verdict],
    result.verdict.toLowerCase() as Tone,
    `${reasons ? `<h2>Why</h2><ul>${reasons}</ul>` : '<p>This pack was made by a registered manufacturer and is in the regular supply chain.</p>'}
<h2>Pack</h2><dl>
<dt>Product</dt><dd>${esc(product ? `${product.name} (${product.strength}, ${product.dosageForm})` : 'unknown')}</dd>
<dt>GTIN</dt><dd>${esc(result.code.gtin)}</dd><dt>Lot</dt><dd>${esc(result.code.lot ?? '—')}</dd>
<dt>Expiry</dt><dd>${esc(result.code.expiry ?? '—')}</dd><dt>Serial</dt><dd>${esc(result.code.serial)}</dd></dl>
<p><small>Checked against the DrugTrace ledger. If in doubt, ask your pharmacist.</small></p>`,
  );
}

/** What is wrong with a malformed code, by the application identifier the parser names. */
const PART_TEXT: Record<string, string> = {
  '01': 'The product number (GTIN) in this code is not valid.',
  '10': 'The batch number in this code is not valid.',
  '17': 'The expiry date in this code is not a valid date.',
  '21': 'The serial number in this code is not valid.',
};

const DO_NOT_USE =
  '<h2>What to do</h2><p><strong>Do not use this pack.</strong> Show it to your pharmacist.</p>';

/**
 * What a patient sees when the pack cannot be checked: a code that is not a valid pack code (400), too many
 * checks from one connection (429), or the ledger out of reach. The problem's detail is shown, escaped, for
 * the pharmacist; the request ID lets support find the request in the logs.
 */
export function renderProblemPage(problem: Problem, retryAfterSeconds?: number): string {
  const reference = problem.requestId ? `<p><small>Reference: ${esc(problem.requestId)}</small></p>` : '';
  if (problem.status === 400) {
    const what = PART_TEXT[problem.ai ?? ''] ?? 'This is not a valid medicine pack code.';
    return page(
      'Do not use — this code is not valid',
      'suspect',
      `<h2>Why</h2><p>${esc(what)} A genuine pack carries a code that can be checked; this one cannot.</p>
${DO_NOT_USE}
<h2>For your pharmacist</h2><p><code>${esc(problem.detail)}</code></p>
${reference}`,
    );
  }
  if (problem.status === 429) {
    const wait = retryAfterSeconds && retryAfterSeconds > 0 ? `${retryAfterSeconds} seconds` : 'a minute';
    return page(
      'Too many checks — please wait',
      'unchecked',
      `<p>Many packs were checked from this connection in a short time. Wait ${esc(wait)}, then scan the code again.</p>
<p>Until the pack is checked, ask your pharmacist before using it.</p>
${reference}`,
    );
  }
  return page(
    'This pack could not be checked',
    'unchecked',
    `<p>${problem.status === 503 || problem.status === 504 ? 'The check is not available right now.' : 'Something went wrong while checking this pack.'} Try again in a few minutes.</p>
<p>Until the pack is checked, ask your pharmacist before using it.</p>
${reference}`,
  );
}
