// Regulator page: the dashboard (GET /v1/audit/stats: scans, verdicts and alerts per day, top alerting places),
// look up any pack (its journey as a diagram, the custody timeline with transaction IDs and block numbers) or batch
// (where its packs are, as a chart and a table), the alert feed (GET /v1/audit/alerts, then live from /v1/events),
// recall. Every word comes from the catalogues (t).
import {
  $,
  api,
  busy,
  codeText,
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
import { language, t } from './i18n.js';
import { reasonText } from './vendor/domain.js';
import {
  batchFacts,
  batchPath,
  byCustodianTable,
  byStateTable,
  showWhereabouts,
  stateText,
  table,
  wireStatusActions,
} from './batch-view.js';
import { alertsChart, dayLabel, journeyChart, placesChart, scansChart } from './charts.js';

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
    showMessage('lookup-message', t(kind === 'batch' ? 'reg.needBatch' : 'reg.needPack'));
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
    ...(product
      ? row(t('fact.product'), `${product.name} (${product.strength}, ${product.dosageForm})`)
      : []),
    ...row(t('fact.gtin'), h('code', {}, unit.gtin ?? gtin)),
    ...row(t('reg.fact.serial'), h('code', {}, unit.serial ?? serial)),
    ...row(
      t('fact.lot'),
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
            t('reg.showBatch'),
          )
        : '',
    ),
    ...row(t('fact.expiry'), formatDate(unit.expiry)),
    ...row(
      t('batch.col.state'),
      h('span', { class: `badge badge-${String(unit.state).toLowerCase()}` }, stateText(unit.state)),
    ),
    ...row(
      t('reg.fact.custodian'),
      unit.custodian ? t('reg.fact.custodianAt', { msp: unit.custodian.msp, gln: unit.custodian.gln }) : '—',
    ),
    ...(unit.inTransit || unit.shipmentId
      ? row(
          t('reg.fact.shipment'),
          unit.inTransit ? t('reg.fact.inTransit') : '',
          h('code', {}, unit.shipmentId ?? ''),
        )
      : []),
    ...(unit.parent ? row(t('reg.fact.packedIn'), h('code', {}, unit.parent)) : []),
  );
  const events = history.events ?? [];
  $('unit-view').hidden = false;
  journeyChart($('journey'), events);
  $('timeline').replaceChildren(renderTimeline(events, { technical: true }));
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
  await showWhereabouts(batch.gtin, batch.lot);
}

$('epcis').addEventListener('click', (event) => {
  if (!shownBatch) return;
  void busy(event.currentTarget, 'status-message', async () => {
    const blob = await api.blob(
      `/v1/audit/batches/${encodeURIComponent(shownBatch.gtin)}/${encodeURIComponent(shownBatch.lot)}/epcis`,
      'application/ld+json',
    );
    const name = `epcis-${shownBatch.gtin}-${shownBatch.lot}.jsonld`;
    offerDownload($('epcis-link'), blob, name, t('mfr.download', { name }));
  });
});

wireStatusActions(() => shownBatch, showBatch);

// --- alerts ----------------------------------------------------------------------------------------

function alertItem(alert, fresh = false) {
  const reasons = alert.reasons ?? [];
  return h(
    'li',
    { class: fresh ? 'new' : undefined, 'data-alert': alert.id },
    h('span', { class: 'badge badge-alert' }, t(fresh ? 'reg.alertNew' : 'reg.alert')),
    ' ',
    h('time', { datetime: alert.at }, formatTime(alert.at)),
    ' · ',
    `${alert.org ?? '—'}${alert.gln ? t('reg.atGln', { gln: alert.gln }) : ''}`,
    // Identical alerts from one place within the hour are one alert with a count.
    alert.count > 1 ? t('reg.times', { n: alert.count, at: formatTime(alert.lastSeen) }) : '',
    h('br'),
    alert.gtin && alert.serial
      ? h(
          'button',
          {
            type: 'button',
            class: 'secondary small',
            title: t('reg.showTimeline'),
            onclick: (e) => {
              $('lookup').value = `${alert.gtin} ${alert.serial}`;
              void busy(e.currentTarget, 'lookup-message', () => showUnit(alert.gtin, alert.serial));
            },
          },
          `${alert.gtin} / ${alert.serial}`,
        )
      : '',
    alert.lot ? t('reg.lot', { lot: alert.lot }) : '',
    h(
      'ul',
      {},
      reasons.map((r) =>
        h('li', { 'data-reason': r }, h('strong', {}, codeText('reason', r)), ': ', reasonText(r, language)),
      ),
    ),
    h(
      'div',
      { class: 'tx' },
      t('reg.transaction'),
      h('code', {}, alert.txId ?? '—'),
      alert.blockNumber !== undefined ? t('reg.block', { n: String(alert.blockNumber) }) : '',
    ),
  );
}

/** Alerts per page; "More" asks for the page after the last one shown. */
const ALERTS_PAGE = 20;
let alertsCursor;

/**
 * Adds a page of alerts below those shown; one already shown (a repeat moved it to the top) is not repeated. Rows
 * are told apart by alert id: a receipt's discrepancy alerts share one transaction.
 */
function showAlerts(page) {
  const shown = new Set([...$('alerts').children].map((li) => li.dataset.alert));
  for (const a of page.alerts) seenAlerts.add(a.txId);
  $('alerts').append(...page.alerts.filter((a) => !shown.has(a.id)).map((a) => alertItem(a)));
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
    const alertId = data.alertId ?? data.txId;
    [...$('alerts').children].find((li) => li.dataset.alert === alertId)?.remove();
    $('alerts').prepend(alertItem({ ...data, id: alertId, txId: alertId, lastSeen: data.at }, true));
    return;
  }
  const list = $('status-events');
  list.querySelector('.empty')?.remove();
  list.prepend(
    h(
      'li',
      { class: fresh ? 'new' : undefined },
      h('span', { class: `badge badge-${String(event.type).toLowerCase()}` }, codeText('status', event.type)),
      ' ',
      h('time', { datetime: data.at }, formatTime(data.at)),
      ' · ',
      t('reg.statusLine', {
        event: eventText(event.type),
        gtin: data.gtin ?? '',
        lot: data.lot ?? '—',
        org: data.org ?? '—',
      }),
      data.reason ? ` — “${data.reason}”` : '',
      h(
        'div',
        { class: 'tx' },
        t('reg.transaction'),
        h('code', {}, data.txId ?? '—'),
        data.blockNumber !== undefined ? t('reg.block', { n: String(data.blockNumber) }) : '',
      ),
    ),
  );
  while (list.children.length > 50) list.lastElementChild.remove();
}

function setLive(state, error) {
  const el = $('live-state');
  if (state === 'open') {
    el.textContent = t('live.on');
    el.className = 'badge badge-active';
  } else if (state === 'error') {
    el.textContent = error
      ? t('live.reconnectingWhy', { why: describeError(error) })
      : t('live.reconnecting');
    el.className = 'badge badge-quarantined';
  } else {
    el.textContent = t('live.off');
    el.className = 'badge';
  }
}

function start() {
  stopFeed?.();
  $('status-events').replaceChildren(h('li', { class: 'muted empty' }, t('reg.noneYet')));
  void loadStats();
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

// --- dashboard -------------------------------------------------------------------------------------

const STATS_DAYS = [7, 14, 30, 90];
$('stats-days').replaceChildren(
  ...STATS_DAYS.map((n) => h('option', { value: String(n), selected: n === 14 }, t('reg.daysOption', { n }))),
);

async function loadStats() {
  await busy($('refresh-stats'), 'stats-message', async () => {
    const stats = await api.get(`/v1/audit/stats?days=${$('stats-days').value}`);
    scansChart($('scans-chart'), stats.days);
    alertsChart($('alerts-chart'), stats.days);
    placesChart($('places-chart'), stats.topLocations);
    const sum = (o) => Object.values(o).reduce((a, b) => a + b, 0);
    $('places-table').replaceChildren(
      stats.topLocations.length
        ? table(
            'places-rows',
            [['reg.col.place'], ['batch.col.gln'], ['reg.col.alerts', 'num']],
            stats.topLocations.map((p) => [p.name, h('code', {}, p.gln), p.alerts]),
          )
        : h('p', { class: 'muted' }, t('reg.noAlertsInRange')),
    );
    $('days-table').replaceChildren(
      table(
        'days-rows',
        [['reg.col.day'], ['reg.col.scans', 'num'], ['reg.col.alerts', 'num']],
        stats.days.map((d) => [dayLabel(d.day), sum(d.scans), sum(d.alerts)]),
      ),
    );
    $('stats-block').textContent = t('reg.figuresAsOf', { block: stats.asOfBlock });
  });
}

$('refresh-stats').addEventListener('click', () => void loadStats());
$('stats-days').addEventListener('change', () => void loadStats());

initPage((signedIn) => (signedIn ? start() : stop()));
if (getKey()) start();
