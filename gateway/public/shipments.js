// Shipments page: ship packs and cases, pack/unpack containers, list incoming and outgoing shipments,
// receive, reject or cancel.
import {
  $,
  api,
  busy,
  codeText,
  formatTime,
  getKey,
  h,
  initPage,
  readIdentifiers,
  shortId,
  showMessage,
  stackable,
} from './api.js';
import { t } from './i18n.js';
import { recallNotices } from './recall-notices.js';
import {
  compareManifest,
  GS,
  hasDiscrepancy,
  isValidGln,
  isValidSscc,
  REASON_MAX_LENGTH,
  scanKey,
} from './vendor/domain.js';

// The demo network's organisations as suggestions (the gateway has no route listing the registry yet);
// any admitted MSP ID and GLN can be typed.
const SUGGESTED = [
  { msp: 'DistributorMSP', name: 'MedLine Wholesale', glns: ['9506000010007'] },
  { msp: 'PharmacyMSP', name: 'High Street Pharmacy', glns: ['9506000030005', '9506000030012'] },
  { msp: 'ManufacturerMSP', name: 'Acme Pharma Manufacturing', glns: ['9506000020006'] },
  { msp: 'RegulatorMSP', name: 'National Medicines Agency', glns: ['9506000040004'] },
];

$('known-orgs').replaceChildren(...SUGGESTED.map((o) => h('option', { value: o.msp }, o.name)));
function suggestGlns() {
  const org = SUGGESTED.find((o) => o.msp === $('to').value.trim());
  const glns = org ? org.glns : SUGGESTED.flatMap((o) => o.glns);
  $('known-glns').replaceChildren(...glns.map((g) => h('option', { value: g })));
}
$('to').addEventListener('input', suggestGlns);
suggestGlns();

/** Lines of scans → {units, containers, bad}; duplicates are dropped. */
function readGoods(text) {
  const units = [];
  const containers = [];
  const bad = [];
  const seen = new Set();
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    const id = readIdentifiers(line);
    if (!id || (!id.sscc && !id.serial)) {
      bad.push(i + 1);
      return;
    }
    const key = id.sscc ?? `${id.gtin}/${id.serial}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (id.sscc) containers.push(id.sscc);
    else units.push({ gtin: id.gtin, serial: id.serial });
  });
  return { units, containers, bad };
}

function describeGoods({ units, containers }) {
  const packs = units.length ? t('goods.packs', { n: units.length }) : '';
  const cases = containers.length ? t('goods.cases', { n: containers.length }) : '';
  return packs && cases ? t('goods.and', { packs, cases }) : packs || cases;
}

$('ship-codes').addEventListener('input', () => {
  const goods = readGoods($('ship-codes').value);
  $('ship-summary').textContent =
    (describeGoods(goods) || t('goods.nothing')) +
    (goods.bad.length ? t('goods.cannotRead', { lines: goods.bad.join(', ') }) : '');
});

// A USB scanner ends each code with Enter: that adds a line, which is what we want in these lists.
// Its ASCII 29 (GS), if sent as Ctrl+], is kept as the character.
for (const id of ['ship-codes', 'pack-codes']) {
  $(id).addEventListener('keydown', (event) => {
    if (!(event.ctrlKey && (event.key === ']' || event.code === 'BracketRight')) && event.key !== GS) return;
    event.preventDefault();
    const el = event.currentTarget;
    const { selectionStart: s, selectionEnd: e, value } = el;
    el.value = `${value.slice(0, s)}${GS}${value.slice(e)}`;
    el.setSelectionRange(s + 1, s + 1);
  });
}

$('ship-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const to = $('to').value.trim();
  const toGln = $('to-gln').value.trim();
  const goods = readGoods($('ship-codes').value);
  if (!to) return showMessage('ship-message', t('ship.needTo'));
  if (!isValidGln(toGln)) return showMessage('ship-message', t('ship.badGln'));
  if (goods.bad.length)
    return showMessage('ship-message', t('goods.badLines', { lines: goods.bad.join(', ') }));
  if (!goods.units.length && !goods.containers.length)
    return showMessage('ship-message', t('ship.needGoods'));
  void busy($('ship'), 'ship-message', async () => {
    const body = { to, toGln };
    if (goods.units.length) body.units = goods.units;
    if (goods.containers.length) body.containers = goods.containers;
    const shipment = await api.post('/v1/shipments', body);
    showMessage(
      'ship-message',
      t('ship.created', { id: shortId(shipment.id), goods: describeGoods(goods), to }),
      'ok',
    );
    $('ship-codes').value = '';
    $('ship-summary').textContent = '';
    await refresh();
  });
});

$('pack-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const sscc = $('sscc').value.trim();
  if (!isValidSscc(sscc)) return showMessage('pack-message', t('pack.badSscc'));
  const goods = readGoods($('pack-codes').value);
  if (goods.bad.length)
    return showMessage('pack-message', t('goods.badLines', { lines: goods.bad.join(', ') }));
  const contents = [...goods.units, ...goods.containers.map((c) => ({ sscc: c }))];
  if (!contents.length) return showMessage('pack-message', t('pack.needContents'));
  void busy($('pack'), 'pack-message', async () => {
    await api.post('/v1/containers', { sscc, contents });
    showMessage('pack-message', t('pack.packed', { goods: describeGoods(goods), sscc }), 'ok');
    $('pack-codes').value = '';
  });
});

$('unpack').addEventListener('click', (event) => {
  const sscc = $('sscc').value.trim();
  if (!isValidSscc(sscc)) return showMessage('pack-message', t('pack.needUnpack'));
  void busy(event.currentTarget, 'pack-message', async () => {
    await api.del(`/v1/containers/${sscc}`);
    showMessage('pack-message', t('pack.unpacked', { sscc }), 'ok');
    $('container-view').replaceChildren();
  });
});

$('show-container').addEventListener('click', (event) => {
  const sscc = $('sscc').value.trim();
  if (!isValidSscc(sscc)) return showMessage('pack-message', t('pack.needShow'));
  void busy(event.currentTarget, 'pack-message', async () => {
    const c = await api.get(`/v1/containers/${sscc}`);
    const contents = c.contents ?? [];
    $('container-view').replaceChildren(
      h(
        'p',
        {},
        t(c.packed === false ? 'pack.viewUnpacked' : 'pack.viewPacked', {
          sscc: c.sscc,
          msp: c.custodian?.msp ?? '—',
          gln: c.custodian?.gln ?? '—',
        }) + (c.parent ? t('pack.inside', { parent: c.parent }) : ''),
      ),
      contents.length
        ? h(
            'ul',
            {},
            contents.map((item) =>
              h(
                'li',
                {},
                item.sscc
                  ? t('pack.itemCase', { sscc: item.sscc })
                  : t('pack.itemPack', { gtin: item.gtin, serial: item.serial }),
              ),
            ),
          )
        : h('p', { class: 'muted' }, t('pack.empty')),
    );
  });
});

function goodsCell(s) {
  const units = s.units ?? [];
  const containers = s.containers ?? [];
  const summary = describeGoods({ units, containers }) || '—';
  const items = [
    ...containers.map((c) => h('li', {}, t('goods.sscc'), h('code', {}, c))),
    ...units.slice(0, 50).map((u) => h('li', {}, h('code', {}, `${u.gtin} / ${u.serial}`))),
  ];
  if (units.length > 50) items.push(h('li', {}, t('goods.more', { n: units.length - 50 })));
  return h('details', {}, h('summary', {}, summary), h('ul', {}, items));
}

function actionsCell(s, direction) {
  if (s.status !== 'IN_TRANSIT') return s.reason ? h('span', { class: 'muted' }, s.reason) : '';
  const message = h('div', { class: 'message', hidden: true });
  if (direction === 'outgoing') {
    return h(
      'div',
      {},
      h(
        'button',
        {
          type: 'button',
          class: 'secondary small',
          onclick: (e) => act(e.currentTarget, message, s, 'cancel'),
        },
        t('list.cancel'),
      ),
      message,
    );
  }
  const reasonId = `reason-${s.id}`;
  const reason = h('input', {
    id: reasonId,
    maxlength: REASON_MAX_LENGTH,
    placeholder: t('list.reasonExample'),
  });
  return h(
    'div',
    {},
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'small receive',
          onclick: (e) => act(e.currentTarget, message, s, 'receive'),
        },
        t('list.receive'),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary small receive-scan',
          onclick: (e) => openReceipt(e.currentTarget, message, s),
        },
        t('list.scanToReceive'),
      ),
      h(
        'details',
        {},
        h('summary', {}, t('list.rejectOpen')),
        h('label', { for: reasonId }, t('list.reason')),
        reason,
        h(
          'button',
          {
            type: 'button',
            class: 'danger small',
            onclick: (e) => {
              if (!reason.value.trim()) return showMessage(message, t('list.needReason'));
              void act(e.currentTarget, message, s, 'reject', { reason: reason.value.trim() });
            },
          },
          t('list.reject'),
        ),
      ),
    ),
    message,
  );
}

async function act(button, message, shipment, action, body = {}) {
  await busy(button, message, async () => {
    const updated = await api.post(`/v1/shipments/${encodeURIComponent(shipment.id)}/${action}`, body);
    await refresh();
    const status = codeText('status', updated.status ?? action);
    showMessage('list-message', t('list.now', { id: shortId(shipment.id), status }), 'ok');
  });
}

// Receiving against the manifest: the shipment's goods expanded, compared live with what is scanned, by
// the same rule the gateway and the chaincode apply (domain/manifest.ts).
const receipt = { shipment: undefined, items: [], scanned: [] };

function renderReceipt() {
  const report = compareManifest(receipt.items, receipt.scanned);
  $('receive-counts').textContent =
    t('receive.counts', { n: report.expected, scanned: report.scanned }) +
    (report.unexpected.length ? t('receive.countsUnexpected', { n: report.unexpected.length }) : '');
  $('receive-counts').dataset.match = String(!hasDiscrepancy(report));
  const codes = (list) => list.map((code) => h('li', {}, h('code', {}, code)));
  $('receive-missing').replaceChildren(...codes(report.missing));
  $('receive-unexpected').replaceChildren(...codes(report.unexpected));
}

async function openReceipt(button, message, shipment) {
  await busy(button, message, async () => {
    const manifest = await api.get(`/v1/shipments/${encodeURIComponent(shipment.id)}/manifest`);
    Object.assign(receipt, { shipment, items: manifest.items, scanned: [] });
    $('receive-id').textContent = shortId(shipment.id);
    $('receive-accept').checked = false;
    $('receive-message').hidden = true;
    $('receive-panel').hidden = false;
    renderReceipt();
    $('receive-scan').focus();
  });
}

$('receive-scan').addEventListener('keydown', (event) => {
  if (event.key !== 'Enter') return;
  event.preventDefault();
  const raw = $('receive-scan').value;
  if (!raw.trim()) return;
  let key;
  try {
    key = scanKey(raw);
  } catch (error) {
    return showMessage('receive-message', t('receive.unreadable', { detail: error.detail ?? error.message }));
  }
  $('receive-message').hidden = true;
  if (!receipt.scanned.includes(key)) receipt.scanned.push(key);
  $('receive-scan').value = '';
  renderReceipt();
});

$('receive-close').addEventListener('click', () => {
  $('receive-panel').hidden = true;
});

$('receive-confirm').addEventListener('click', (event) => {
  const { shipment, scanned } = receipt;
  void busy(event.currentTarget, 'receive-message', async () => {
    try {
      const body = { scanned, acceptDiscrepancies: $('receive-accept').checked };
      const updated = await api.post(`/v1/shipments/${encodeURIComponent(shipment.id)}/receive`, body);
      $('receive-panel').hidden = true;
      await refresh();
      const missing = updated.receipt?.missing.length ?? 0;
      const id = shortId(shipment.id);
      showMessage(
        'list-message',
        t(missing ? 'receive.doneMissing' : 'receive.done', { id, n: missing }),
        'ok',
      );
    } catch (error) {
      const report = error.problem?.report;
      if (!report) throw error;
      showMessage(
        'receive-message',
        t('receive.mismatch', { missing: report.missing.length, unexpected: report.unexpected.length }),
      );
    }
  });
});

/** Shipments per page of each list; "More" asks for the next page after the last row shown. */
const PAGE_SIZE = 20;

function shipmentRow(s, direction) {
  const party = direction === 'incoming' ? s.from : s.to;
  return h(
    'tr',
    { 'data-shipment': s.id },
    h('td', {}, h('code', { title: s.id }, shortId(s.id))),
    h(
      'td',
      {},
      party?.msp ?? '—',
      h('br'),
      h('span', { class: 'muted' }, t('list.gln', { gln: party?.gln ?? '—' })),
    ),
    h('td', {}, goodsCell(s)),
    h('td', {}, formatTime(s.createdAt)),
    h(
      'td',
      {},
      h('span', { class: `badge badge-${String(s.status).toLowerCase()}` }, codeText('status', s.status)),
    ),
    h('td', {}, actionsCell(s, direction)),
  );
}

/** The organisation's shipments in one direction by status, and how many the filter matches in all. */
function countsLine(counts, status) {
  const entries = Object.entries(counts ?? {});
  const total = status ? (counts?.[status] ?? 0) : entries.reduce((n, [, c]) => n + c, 0);
  const parts = entries.map(([s, n]) => t('list.count', { status: codeText('list', s), n }));
  return { total, text: parts.join(' · ') };
}

/** One direction's list: its first page, a "More" button while there are further pages. */
function shipmentList(direction, status, first) {
  if (!first.shipments.length) return h('p', { class: 'muted' }, t(`list.none.${direction}`));
  const { total, text } = countsLine(first.counts?.[direction], status);
  const summary = h('p', { class: 'hint', 'data-counts': direction });
  const body = h('tbody', {});
  const more = h(
    'button',
    { type: 'button', class: 'secondary small', 'data-more': direction },
    t('list.more'),
  );
  const message = h('div', { class: 'message', hidden: true });
  let cursor;
  const show = (page) => {
    body.append(...page.shipments.map((s) => shipmentRow(s, direction)));
    stackable(table);
    cursor = page.next;
    more.hidden = !cursor;
    summary.textContent = [t('list.shown', { shown: body.children.length, n: total }), text]
      .filter(Boolean)
      .join(' — ');
  };
  more.addEventListener('click', () => {
    void busy(more, message, async () => show(await api.get(listQuery(direction, status, cursor))));
  });
  const head = [
    'list.shipment',
    direction === 'incoming' ? 'list.from' : 'list.toCol',
    'list.goods',
    'list.sent',
    'list.status',
  ].map((key) => h('th', { scope: 'col' }, t(key)));
  const table = h(
    'table',
    { 'data-direction': direction },
    h('thead', {}, h('tr', {}, head, h('th', { scope: 'col' }))),
    body,
  );
  show(first);
  return h('div', {}, summary, table, h('div', { class: 'actions' }, more), message);
}

const listQuery = (direction, status, cursor) =>
  `/v1/shipments?direction=${direction}&limit=${PAGE_SIZE}` +
  (status ? `&status=${status}` : '') +
  (cursor ? `&cursor=${encodeURIComponent(cursor)}` : '');

async function refresh() {
  const status = $('status-filter').value;
  await busy($('refresh'), 'list-message', async () => {
    const directions = ['incoming', 'outgoing'];
    const pages = await Promise.all(directions.map((d) => api.get(listQuery(d, status))));
    directions.forEach((d, i) => $(d).replaceChildren(shipmentList(d, status, pages[i])));
  });
}

$('refresh').addEventListener('click', () => void refresh());
$('status-filter').addEventListener('change', () => void refresh());

const notices = recallNotices($('notices'));
initPage((signedIn) => {
  notices.follow(signedIn);
  if (signedIn) void refresh();
  else for (const id of ['incoming', 'outgoing']) $(id).replaceChildren();
});
notices.follow(Boolean(getKey()));
if (getKey()) void refresh();
