import { VerificationResponse } from '../verify/verify.dto';

const esc = (s: unknown): string =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

const REASON_TEXT: Record<string, string> = {
  UNKNOWN_PRODUCT: 'This product was never registered. It may be counterfeit.',
  UNKNOWN_SERIAL: 'No pack with this serial number was ever made. It may be counterfeit.',
  LOT_MISMATCH: 'The batch number printed does not match the manufacturer’s record.',
  EXPIRY_MISMATCH: 'The expiry date printed does not match the manufacturer’s record.',
  EXPIRED: 'This pack has expired.',
  RECALLED: 'This batch has been recalled. Do not use it; return it to a pharmacy.',
  QUARANTINED: 'This batch is on hold while it is investigated.',
  ALREADY_DISPENSED: 'This pack was already dispensed. A second pack with the same code is suspect.',
  DESTROYED: 'This pack was reported destroyed.',
  STOLEN: 'This pack was reported stolen.',
  SAMPLE: 'This pack was taken as a sample.',
  EXPORTED: 'This pack was exported out of this market.',
  IN_TRANSIT: 'This pack is still in transit between companies.',
  NOT_IN_CUSTODY: 'The records place this pack somewhere else.',
  CLONE_SUSPECTED: 'The same code was scanned in several places.',
};

const HEADLINE = {
  GENUINE: 'Genuine pack',
  SUSPECT: 'Do not use — suspect pack',
  COUNTERFEIT: 'Warning — likely counterfeit',
};

/** What a patient sees after scanning the QR code with a phone: self-contained, accessible, no script. */
export function renderVerdictPage(result: VerificationResponse): string {
  const product = result.product as { name?: string; strength?: string; dosageForm?: string } | undefined;
  const reasons = result.reasons.map((r) => `<li>${esc(REASON_TEXT[r] ?? r)}</li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(HEADLINE[result.verdict])} — DrugTrace</title>
<link rel="stylesheet" href="/styles.css">
<style>body{font-family:system-ui,sans-serif;margin:0;padding:1rem;max-width:40rem;margin-inline:auto;color:#111}
.verdict{border-radius:12px;padding:1.5rem;color:#fff;font-size:1.6rem;font-weight:700}
.verdict-genuine{background:#0a6b2d}.verdict-suspect{background:#8a4b00}.verdict-counterfeit{background:#a4161a}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}</style></head>
<body><main>
<div class="verdict verdict-${result.verdict.toLowerCase()}" role="status" aria-live="polite">${esc(HEADLINE[result.verdict])}</div>
${reasons ? `<h2>Why</h2><ul>${reasons}</ul>` : '<p>This pack was made by a registered manufacturer and is in the regular supply chain.</p>'}
<h2>Pack</h2><dl>
<dt>Product</dt><dd>${esc(product ? `${product.name} (${product.strength}, ${product.dosageForm})` : 'unknown')}</dd>
<dt>GTIN</dt><dd>${esc(result.code.gtin)}</dd><dt>Lot</dt><dd>${esc(result.code.lot ?? '—')}</dd>
<dt>Expiry</dt><dd>${esc(result.code.expiry ?? '—')}</dd><dt>Serial</dt><dd>${esc(result.code.serial)}</dd></dl>
<p><small>Checked against the DrugTrace ledger. If in doubt, ask your pharmacist.</small></p>
</main></body></html>`;
}
