// Manufacturer page: register products and batches, see where a batch's packs are, print labels,
// recall / quarantine / release.
import { $, api, busy, initPage, offerDownload, showMessage } from './api.js';
import { gs1CheckDigit, isValidGtin, MAX_COMMISSION_BATCH } from './vendor/domain.js';
import { batchFacts, batchPath, byCustodianTable, byStateTable, wireStatusActions } from './batch-view.js';

initPage();
$('b-quantity').max = String(MAX_COMMISSION_BATCH);

const formValues = (form) => Object.fromEntries(new FormData(form).entries());

/** A GTIN problem in words, or '' if the GTIN is well formed. */
function gtinProblem(gtin) {
  if (!/^\d{14}$/.test(gtin)) return 'The GTIN must be exactly 14 digits.';
  if (!isValidGtin(gtin)) {
    return `The GTIN’s check digit is wrong: with these first 13 digits it should end in ${gs1CheckDigit(gtin.slice(0, 13))}.`;
  }
  return '';
}

const isoDate = (d) => d.toISOString().slice(0, 10);
const today = new Date();
$('b-made').value = isoDate(today);
$('b-expiry').value = isoDate(new Date(today.getFullYear() + 2, today.getMonth(), 28));

$('product-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const body = formValues(event.currentTarget);
  for (const k of Object.keys(body)) body[k] = String(body[k]).trim();
  const problem = gtinProblem(body.gtin);
  if (problem) return showMessage('product-message', problem);
  void busy($('register-product'), 'product-message', async () => {
    const product = await api.post('/v1/products', body);
    showMessage('product-message', `Registered ${product.name} (GTIN ${product.gtin}).`, 'ok');
    $('b-gtin').value = product.gtin;
  });
});

for (const radio of document.querySelectorAll('input[name="serial-mode"]')) {
  radio.addEventListener('change', () => {
    const list = document.querySelector('input[name="serial-mode"]:checked').value === 'serials';
    $('serials-field').hidden = !list;
    $('quantity-field').hidden = list;
  });
}

$('batch-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const gtin = $('b-gtin').value.trim();
  const lot = $('b-lot').value.trim();
  const problem = gtinProblem(gtin);
  if (problem) return showMessage('batch-message', problem);
  if (!lot) return showMessage('batch-message', 'Enter the lot (batch number).');
  const body = { gtin, lot, expiry: $('b-expiry').value, manufacturedOn: $('b-made').value };
  if (document.querySelector('input[name="serial-mode"]:checked').value === 'serials') {
    body.serials = $('b-serials')
      .value.split(/[\s,;]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    if (!body.serials.length) return showMessage('batch-message', 'Enter at least one serial, one per line.');
  } else {
    body.quantity = Number($('b-quantity').value);
  }
  void busy($('register-batch'), 'batch-message', async () => {
    const created = await api.post('/v1/batches', body);
    showMessage(
      'batch-message',
      `Batch ${created.lot} registered: ${created.unitCount} pack${created.unitCount === 1 ? '' : 's'} commissioned, status ${created.status}.`,
      'ok',
    );
    const serials = created.serials ?? [];
    $('created-serials').textContent =
      serials.slice(0, 500).join('\n') + (serials.length > 500 ? `\n… and ${serials.length - 500} more` : '');
    $('batch-created').hidden = !serials.length;
    $('v-gtin').value = created.gtin;
    $('v-lot').value = created.lot;
    await showBatch(created.gtin, created.lot);
  });
});

let shown = null; // { gtin, lot }

async function showBatch(gtin, lot) {
  const batch = await api.get(batchPath(gtin, lot));
  shown = { gtin: batch.gtin, lot: batch.lot };
  $('batch-facts').replaceChildren(...batchFacts(batch));
  $('by-state').replaceChildren(byStateTable(batch.counts));
  $('by-custodian').replaceChildren(byCustodianTable(batch.counts));
  $('labels-link').replaceChildren();
  showMessage('labels-message', '');
  showMessage('status-message', '');
  $('batch-view').hidden = false;
}

$('lookup-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const gtin = $('v-gtin').value.trim();
  const lot = $('v-lot').value.trim();
  const problem = gtinProblem(gtin);
  if (problem) return showMessage('lookup-message', problem);
  void busy($('show-batch'), 'lookup-message', () => showBatch(gtin, lot));
});

$('labels').addEventListener('click', (event) => {
  if (!shown) return;
  const symbology = $('symbology').value;
  void busy(event.currentTarget, 'labels-message', async () => {
    showMessage('labels-message', 'Rendering the label sheet…', 'info');
    const blob = await api.blob(
      `${batchPath(shown.gtin, shown.lot)}/labels?format=pdf&symbology=${symbology}`,
      'application/pdf',
    );
    const filename = `labels-${shown.gtin}-${shown.lot}.pdf`;
    offerDownload($('labels-link'), blob, filename, `Download ${filename}`);
    $('labels-link').querySelector('a').id = 'labels-download';
    showMessage('labels-message', 'The label sheet is ready.', 'ok');
  });
});

wireStatusActions(() => shown, showBatch);
