// Manufacturer page: register products and batches, its batches with their packs by state (GET /v1/batches), see
// where a batch's packs are and a recall's progress, print labels, recall / quarantine / release. Every word
// comes from the catalogues (t).
import {
  $,
  api,
  busy,
  codeText,
  formatDate,
  getKey,
  h,
  initPage,
  offerDownload,
  showMessage,
} from './api.js';
import { batchesChart, clearChart, foldStates } from './charts.js';
import { t } from './i18n.js';
import { gs1CheckDigit, isValidGtin, MAX_GENERATED_BATCH } from './vendor/domain.js';
import {
  batchFacts,
  batchPath,
  byCustodianTable,
  byStateTable,
  showWhereabouts,
  statusBadge,
  table,
  wireStatusActions,
} from './batch-view.js';

initPage((signedIn) => (signedIn ? loadBatches() : clearBatches()));
$('b-quantity').max = String(MAX_GENERATED_BATCH);

const formValues = (form) => Object.fromEntries(new FormData(form).entries());

/** A GTIN problem in words, or '' if the GTIN is well formed. */
function gtinProblem(gtin) {
  if (!/^\d{14}$/.test(gtin)) return t('mfr.gtinLength');
  if (!isValidGtin(gtin)) return t('mfr.gtinCheck', { digit: String(gs1CheckDigit(gtin.slice(0, 13))) });
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
    showMessage('product-message', t('mfr.registered', { name: product.name, gtin: product.gtin }), 'ok');
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
  if (!lot) return showMessage('batch-message', t('mfr.needLot'));
  const body = { gtin, lot, expiry: $('b-expiry').value, manufacturedOn: $('b-made').value };
  if (document.querySelector('input[name="serial-mode"]:checked').value === 'serials') {
    body.serials = $('b-serials')
      .value.split(/[\s,;]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    if (!body.serials.length) return showMessage('batch-message', t('mfr.needSerial'));
  } else {
    body.quantity = Number($('b-quantity').value);
  }
  void busy($('register-batch'), 'batch-message', async () => {
    const created = await api.post('/v1/batches', body);
    showMessage(
      'batch-message',
      t('mfr.batchRegistered', {
        lot: created.lot,
        n: created.unitCount,
        status: codeText('status', created.status),
      }),
      'ok',
    );
    const serials = created.serials ?? [];
    $('created-serials').textContent =
      serials.slice(0, 500).join('\n') +
      (serials.length > 500 ? `\n${t('mfr.moreSerials', { n: serials.length - 500 })}` : '');
    $('batch-created').hidden = !serials.length;
    $('v-gtin').value = created.gtin;
    $('v-lot').value = created.lot;
    await showBatch(created.gtin, created.lot);
    await loadBatches();
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
  await showWhereabouts(batch.gtin, batch.lot, { progress: true });
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
    showMessage('labels-message', t('mfr.rendering'), 'info');
    const blob = await api.blob(
      `${batchPath(shown.gtin, shown.lot)}/labels?format=pdf&symbology=${symbology}`,
      'application/pdf',
    );
    const filename = `labels-${shown.gtin}-${shown.lot}.pdf`;
    offerDownload($('labels-link'), blob, filename, t('mfr.download', { name: filename }));
    $('labels-link').querySelector('a').id = 'labels-download';
    showMessage('labels-message', t('mfr.labelsReady'), 'ok');
  });
});

wireStatusActions(
  () => shown,
  async (gtin, lot) => {
    await showBatch(gtin, lot);
    await loadBatches();
  },
);

// --- the manufacturer's batches ------------------------------------------------------------------------

let listed = []; // batches shown so far, in GTIN and lot order
let nextCursor;

function renderBatches() {
  if (!listed.length) {
    clearChart($('batches-chart'));
    $('batches-table').replaceChildren(h('p', { class: 'muted' }, t('mfr.noBatches')));
    return;
  }
  batchesChart($('batches-chart'), listed);
  $('batches-table').replaceChildren(
    table(
      'batches-rows',
      [
        ['mfr.col.lot'],
        ['fact.gtin'],
        ['mfr.col.status'],
        ['mfr.col.expiry'],
        ['batch.col.active', 'num'],
        ['batch.col.inTransit', 'num'],
        ['batch.col.dispensed', 'num'],
        ['batch.col.other', 'num'],
        ['batch.col.total', 'num'],
        [''],
      ],
      listed.map((b) => {
        const s = foldStates(b.counts?.byState);
        return [
          h('code', {}, b.lot),
          h('code', {}, b.gtin),
          statusBadge(b.status, {}),
          formatDate(b.expiry),
          s.ACTIVE,
          s.IN_TRANSIT,
          s.DISPENSED,
          s.OTHER,
          s.ACTIVE + s.IN_TRANSIT + s.DISPENSED + s.OTHER,
          h(
            'button',
            {
              type: 'button',
              class: 'secondary small',
              onclick: (e) => {
                $('v-gtin').value = b.gtin;
                $('v-lot').value = b.lot;
                void busy(e.currentTarget, 'batches-message', () => showBatch(b.gtin, b.lot));
              },
            },
            t('mfr.show'),
          ),
        ];
      }),
    ),
  );
  $('more-batches').hidden = !nextCursor;
}

async function loadBatches(more = false) {
  await busy(more ? $('more-batches') : $('refresh-batches'), 'batches-message', async () => {
    const page = await api.get(
      `/v1/batches${more && nextCursor ? `?cursor=${encodeURIComponent(nextCursor)}` : ''}`,
    );
    listed = more ? [...listed, ...page.batches] : page.batches;
    nextCursor = page.next;
    renderBatches();
  });
}

function clearBatches() {
  listed = [];
  nextCursor = undefined;
  $('batches-table').replaceChildren();
  clearChart($('batches-chart'));
  $('more-batches').hidden = true;
}

$('refresh-batches').addEventListener('click', () => void loadBatches());
$('more-batches').addEventListener('click', () => void loadBatches(true));
if (getKey()) void loadBatches();
