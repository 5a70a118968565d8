// Regulator page: look up any pack or batch, the custody timeline with transaction IDs and block
// numbers, the alert feed (GET /v1/audit/alerts, then live from /v1/events), recall.
import {
  $,
  api,
  busy,
  describeError,
  eventText,
  followEvents,
  formatDate,
  formatTime,
  getKey,
  h,
  initPage,
  normalizeScan,
  offerDownload,
  readIdentifiers,
  renderTimeline,
  showMessage,
} from './api.js';
import { t } from './i18n.js';
import { reasonText } from './vendor/domain.js';
import { batchFacts, batchPath, byCustodianTable, byStateTable, wireStatusActions } from './batch-view.js';

let shownBatch = null; // { gtin, lot }
let stopFeed = null;
const seenAlerts = new Set();
const openedAt = new Date(Date.now() - 5000).toISOString();

const unitPath = (gtin, serial) => `/v1/units/${encodeURIComponent(gtin)}/${encodeURIComponent(serial)}`;

/** What the inspector typed → {gtin, serial} of a pack or {gtin, lot} of a batch, or null. */
function readLookup(text, kind) {
  const clean = normalizeScan(text);
  const words = clean.split(/\s+/);
  if (kind === 'batch' && words.length === 2 && /^\d{14}$/.test(words[0]))
    return { gtin: words[0], lot: words[1] };
  const id = readIdentifiers(clean);
  if (!id || id.sscc) return null;
  if (kind === 'batch') return id.lot ? { gtin: id.gtin, lot: id.lot } : null;
  return id;
}

$('lookup-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const kind = document.querySelector('input[name="kind"]:checked').value;
  const target = readLookup($('lookup').value, kind);
  if (!target) {
    showMessage(
      'lookup-message',
      kind === 'batch'
        ? 'Enter the batch as “GTIN LOT” (14-digit GTIN, a space, the lot) or a code that carries both.'
        : 'That could not be read as a pack code. Try the full code, or “GTIN SERIAL”.',
    );
    return;
  }
  void busy($('lookup-button'), 'lookup-message', () =>
    target.serial ? showUnit(target.gtin, target.serial) : showBatch(target.gtin, target.lot),
  );
});

async function showUnit(gtin, serial) {
  $('batch-view').hidden = true;
  const [unit, history] = await Promise.all([
    api.get(unitPath(gtin, serial)),
    api.get(`${unitPath(gtin, serial)}/history`),
  ]);
  let product = null;
  try {
    product = await api.get(`/v1/products/${encodeURIComponent(gtin)}`);
  } catch {
    // product details are a nicety here
  }
  const row = (label, ...value) => [h('dt', {}, label), h('dd', {}, ...value)];
  $('unit-facts').replaceChildren(
    ...(product ? row('Product', `${product.name} (${product.strength}, ${product.dosageForm})`) : []),
    ...row('GTIN', h('code', {}, unit.gtin ?? gtin)),
    ...row('Serial', h('code', {}, unit.serial ?? serial)),
    ...row(
      'Lot',
      unit.lot ?? '—',
      ' ',
      unit.lot
        ? h(
            'button',
            {
              type: 'button',
              class: 'secondary small',
              onclick: (e) =>
                void busy(e.currentTarget, 'lookup-message', () => showBatch(unit.gtin ?? gtin, unit.lot)),
            },
            'Show batch',
          )
        : '',
    ),
    ...row('Expiry', formatDate(unit.expiry)),
    ...row('State', h('span', { class: `badge badge-${String(unit.state).toLowerCase()}` }, unit.state)),
    ...row('Custodian', unit.custodian ? `${unit.custodian.msp} at GLN ${unit.custodian.gln}` : '—'),
    ...(unit.inTransit || unit.shipmentId
      ? row('Shipment', `${unit.inTransit ? 'in transit · ' : ''}${unit.shipmentId ?? ''}`)
      : []),
    ...(unit.parent ? row('Packed in', h('code', {}, unit.parent)) : []),
  );
  $('timeline').replaceChildren(renderTimeline(history.events ?? [], { technical: true }));
  $('unit-view').hidden = false;
}

async function showBatch(gtin, lot) {
  const batch = await api.get(batchPath(gtin, lot));
  shownBatch = { gtin: batch.gtin, lot: batch.lot };
  $('unit-view').hidden = true;
  $('batch-facts').replaceChildren(...batchFacts(batch));
  $('by-state').replaceChildren(byStateTable(batch.counts));
  $('by-custodian').replaceChildren(byCustodianTable(batch.counts));
  $('epcis-link').replaceChildren();
  showMessage('status-message', '');
  $('batch-view').hidden = false;
}

$('epcis').addEventListener('click', (event) => {
  if (!shownBatch) return;
  void busy(event.currentTarget, 'status-message', async () => {
    const blob = await api.blob(
      `/v1/audit/batches/${encodeURIComponent(shownBatch.gtin)}/${encodeURIComponent(shownBatch.lot)}/epcis`,
      'application/ld+json',
    );
    const name = `epcis-${shownBatch.gtin}-${shownBatch.lot}.jsonld`;
    offerDownload($('epcis-link'), blob, name, `Download ${name}`);
  });
});

wireStatusActions(() => shownBatch, showBatch);

// --- alerts ----------------------------------------------------------------------------------------

function alertItem(alert, fresh = false) {
  const reasons = alert.reasons ?? [];
  return h(
    'li',
    { class: fresh ? 'new' : undefined, 'data-tx': alert.txId },
    h('span', { class: 'badge badge-alert' }, fresh ? 'NEW ALERT' : 'ALERT'),
    ' ',
    h('time', { datetime: alert.at }, formatTime(alert.at)),
    ' · ',
    `${alert.org ?? '—'}${alert.gln ? ` at GLN ${alert.gln}` : ''}`,
    // Identical alerts from one place within the hour are one alert with a count.
    alert.count > 1 ? ` · ${alert.count} times, last ${formatTime(alert.lastSeen)}` : '',
    h('br'),
    alert.gtin && alert.serial
      ? h(
          'button',
          {
            type: 'button',
            class: 'secondary small',
            title: 'Show this pack’s custody timeline',
            onclick: (e) => {
              $('lookup').value = `${alert.gtin} ${alert.serial}`;
              void busy(e.currentTarget, 'lookup-message', () => showUnit(alert.gtin, alert.serial));
            },
          },
          `${alert.gtin} / ${alert.serial}`,
        )
      : '',
    alert.lot ? ` lot ${alert.lot}` : '',
    h(
      'ul',
      {},
      reasons.map((r) => h('li', {}, h('strong', {}, r), ': ', reasonText(r))),
    ),
    h(
      'div',
      { class: 'tx' },
      'Transaction ',
      h('code', {}, alert.txId ?? '—'),
      alert.blockNumber !== undefined ? ` · block ${alert.blockNumber}` : '',
    ),
  );
}

/** Alerts per page; "More" asks for the page after the last one shown. */
const ALERTS_PAGE = 20;
let alertsCursor;

/** Adds a page of alerts below those shown; one already shown (a repeat moved it to the top) is not repeated. */
function showAlerts(page) {
  const shown = new Set([...$('alerts').children].map((li) => li.dataset.tx));
  for (const a of page.alerts) seenAlerts.add(a.txId);
  $('alerts').append(...page.alerts.filter((a) => !shown.has(a.txId)).map((a) => alertItem(a)));
  if (!$('alerts').children.length) $('alerts').append(h('li', { class: 'muted empty' }, t('alerts.none')));
  alertsCursor = page.next;
  $('more-alerts').hidden = !alertsCursor;
}

const alertsPath = (cursor) =>
  `/v1/audit/alerts?limit=${ALERTS_PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;

async function loadAlerts() {
  await busy($('refresh-alerts'), 'alerts-message', async () => {
    const page = await api.get(alertsPath());
    seenAlerts.clear();
    $('alerts').replaceChildren();
    showAlerts(page);
  });
}

$('refresh-alerts').addEventListener('click', () => void loadAlerts());
$('more-alerts').addEventListener('click', (e) => {
  void busy(e.currentTarget, 'alerts-message', async () =>
    showAlerts(await api.get(alertsPath(alertsCursor))),
  );
});

const FOLLOWED = ['ALERT', 'RECALLED', 'QUARANTINED', 'RELEASED'];

function onLedgerEvent(event) {
  if (!FOLLOWED.includes(event.type)) return;
  const data = event.data ?? {};
  // The stream first replays the past (oldest first), then follows live: only what happened since this
  // page opened is marked new; older alerts are already in the list from GET /v1/audit/alerts.
  const fresh = String(data.at ?? '') >= openedAt;
  if (event.type === 'ALERT') {
    if ((data.txId && seenAlerts.has(data.txId)) || !fresh) return;
    seenAlerts.add(data.txId);
    $('alerts').querySelector('.empty')?.remove();
    // A repeat counts on its alert (named by the alert's first transaction): show that one, updated, on top.
    const alertTx = data.alertId ?? data.txId;
    [...$('alerts').children].find((li) => li.dataset.tx === alertTx)?.remove();
    $('alerts').prepend(alertItem({ ...data, txId: alertTx, lastSeen: data.at }, true));
    return;
  }
  const list = $('status-events');
  list.querySelector('.empty')?.remove();
  list.prepend(
    h(
      'li',
      { class: fresh ? 'new' : undefined },
      h('span', { class: `badge badge-${String(event.type).toLowerCase()}` }, event.type),
      ' ',
      h('time', { datetime: data.at }, formatTime(data.at)),
      ' · ',
      `${eventText(event.type)}: ${data.gtin ?? ''} lot ${data.lot ?? '—'} by ${data.org ?? '—'}`,
      data.reason ? ` — “${data.reason}”` : '',
      h(
        'div',
        { class: 'tx' },
        'Transaction ',
        h('code', {}, data.txId ?? '—'),
        data.blockNumber !== undefined ? ` · block ${data.blockNumber}` : '',
      ),
    ),
  );
  while (list.children.length > 50) list.lastElementChild.remove();
}

function setLive(state, error) {
  const el = $('live-state');
  if (state === 'open') {
    el.textContent = 'Live feed: on';
    el.className = 'badge badge-active';
  } else if (state === 'error') {
    el.textContent = error ? `Live feed: reconnecting (${describeError(error)})` : 'Live feed: reconnecting';
    el.className = 'badge badge-quarantined';
  } else {
    el.textContent = 'Live feed: off';
    el.className = 'badge';
  }
}

function start() {
  stopFeed?.();
  $('status-events').replaceChildren(h('li', { class: 'muted empty' }, 'None yet.'));
  void loadAlerts().then(() => {
    stopFeed = followEvents(`/v1/events?types=${FOLLOWED.join(',')}`, onLedgerEvent, setLive);
  });
}

function stop() {
  stopFeed?.();
  stopFeed = null;
  setLive('off');
  $('alerts').replaceChildren();
  $('more-alerts').hidden = true;
  $('status-events').replaceChildren();
}

initPage((signedIn) => (signedIn ? start() : stop()));
if (getKey()) start();
