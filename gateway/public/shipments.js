// Shipments page: ship packs and cases, pack/unpack containers, list incoming and outgoing shipments,
// receive, reject or cancel.
import {
  $,
  api,
  busy,
  formatTime,
  getKey,
  h,
  initPage,
  readIdentifiers,
  shortId,
  showMessage,
} from './api.js';
import { GS, isValidGln, isValidSscc, REASON_MAX_LENGTH } from './vendor/domain.js';

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

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

function describeGoods({ units, containers }) {
  return [
    units.length ? plural(units.length, 'pack') : '',
    containers.length ? plural(containers.length, 'case/pallet') : '',
  ]
    .filter(Boolean)
    .join(' and ');
}

$('ship-codes').addEventListener('input', () => {
  const goods = readGoods($('ship-codes').value);
  $('ship-summary').textContent =
    (describeGoods(goods) || 'Nothing listed yet.') +
    (goods.bad.length ? ` Cannot read line ${goods.bad.join(', ')}.` : '');
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
  if (!to) return showMessage('ship-message', 'Enter the receiving organisation.');
  if (!isValidGln(toGln))
    return showMessage('ship-message', 'The GLN must be 13 digits with a valid check digit.');
  if (goods.bad.length)
    return showMessage('ship-message', `Line ${goods.bad.join(', ')} could not be read as a pack or SSCC.`);
  if (!goods.units.length && !goods.containers.length)
    return showMessage('ship-message', 'List at least one pack or case.');
  void busy($('ship'), 'ship-message', async () => {
    const body = { to, toGln };
    if (goods.units.length) body.units = goods.units;
    if (goods.containers.length) body.containers = goods.containers;
    const shipment = await api.post('/v1/shipments', body);
    showMessage(
      'ship-message',
      `Shipment ${shortId(shipment.id)} created: ${describeGoods(goods)} in transit to ${to}.`,
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
  if (!isValidSscc(sscc))
    return showMessage('pack-message', 'The SSCC must be 18 digits with a valid check digit.');
  const goods = readGoods($('pack-codes').value);
  if (goods.bad.length)
    return showMessage('pack-message', `Line ${goods.bad.join(', ')} could not be read as a pack or SSCC.`);
  const contents = [...goods.units, ...goods.containers.map((c) => ({ sscc: c }))];
  if (!contents.length) return showMessage('pack-message', 'List what goes into the case or pallet.');
  void busy($('pack'), 'pack-message', async () => {
    await api.post('/v1/containers', { sscc, contents });
    showMessage('pack-message', `Packed ${describeGoods(goods)} into ${sscc}.`, 'ok');
    $('pack-codes').value = '';
  });
});

$('unpack').addEventListener('click', (event) => {
  const sscc = $('sscc').value.trim();
  if (!isValidSscc(sscc)) return showMessage('pack-message', 'Enter the SSCC to unpack.');
  void busy(event.currentTarget, 'pack-message', async () => {
    await api.del(`/v1/containers/${sscc}`);
    showMessage('pack-message', `Unpacked ${sscc}: its contents are loose again.`, 'ok');
    $('container-view').replaceChildren();
  });
});

$('show-container').addEventListener('click', (event) => {
  const sscc = $('sscc').value.trim();
  if (!isValidSscc(sscc)) return showMessage('pack-message', 'Enter the SSCC to show.');
  void busy(event.currentTarget, 'pack-message', async () => {
    const c = await api.get(`/v1/containers/${sscc}`);
    const contents = c.contents ?? [];
    $('container-view').replaceChildren(
      h(
        'p',
        {},
        `${c.sscc}: ${c.packed === false ? 'unpacked' : 'packed'}, held by ${c.custodian?.msp ?? '—'} at GLN ${c.custodian?.gln ?? '—'}${c.parent ? `, inside ${c.parent}` : ''}.`,
      ),
      contents.length
        ? h(
            'ul',
            {},
            contents.map((item) =>
              h('li', {}, item.sscc ? `case/pallet ${item.sscc}` : `pack ${item.gtin} / ${item.serial}`),
            ),
          )
        : h('p', { class: 'muted' }, 'Empty.'),
    );
  });
});

function goodsCell(s) {
  const units = s.units ?? [];
  const containers = s.containers ?? [];
  const summary = describeGoods({ units, containers }) || '—';
  const items = [
    ...containers.map((c) => h('li', {}, 'SSCC ', h('code', {}, c))),
    ...units.slice(0, 50).map((u) => h('li', {}, h('code', {}, `${u.gtin} / ${u.serial}`))),
  ];
  if (units.length > 50) items.push(h('li', {}, `… ${units.length - 50} more`));
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
        'Cancel',
      ),
      message,
    );
  }
  const reasonId = `reason-${s.id}`;
  const reason = h('input', {
    id: reasonId,
    maxlength: REASON_MAX_LENGTH,
    placeholder: 'e.g. damaged in transit',
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
        'Receive',
      ),
      h(
        'details',
        {},
        h('summary', {}, 'Reject…'),
        h('label', { for: reasonId }, 'Reason'),
        reason,
        h(
          'button',
          {
            type: 'button',
            class: 'danger small',
            onclick: (e) => {
              if (!reason.value.trim()) return showMessage(message, 'Give a reason for the rejection.');
              void act(e.currentTarget, message, s, 'reject', { reason: reason.value.trim() });
            },
          },
          'Reject shipment',
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
    showMessage('list-message', `Shipment ${shortId(shipment.id)} is now ${updated.status ?? action}.`, 'ok');
  });
}

function shipmentTable(shipments, direction) {
  if (!shipments.length) return h('p', { class: 'muted' }, `No ${direction} shipments.`);
  return h(
    'table',
    { 'data-direction': direction },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Shipment', direction === 'incoming' ? 'From' : 'To', 'Goods', 'Sent', 'Status', ''].map((t) =>
          h('th', { scope: 'col' }, t),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      shipments.map((s) => {
        const party = direction === 'incoming' ? s.from : s.to;
        return h(
          'tr',
          { 'data-shipment': s.id },
          h('td', {}, h('code', { title: s.id }, shortId(s.id))),
          h('td', {}, party?.msp ?? '—', h('br'), h('span', { class: 'muted' }, `GLN ${party?.gln ?? '—'}`)),
          h('td', {}, goodsCell(s)),
          h('td', {}, formatTime(s.createdAt)),
          h(
            'td',
            {},
            h(
              'span',
              { class: `badge badge-${String(s.status).toLowerCase()}` },
              String(s.status).replace(/_/g, ' '),
            ),
          ),
          h('td', {}, actionsCell(s, direction)),
        );
      }),
    ),
  );
}

async function refresh() {
  const status = $('status-filter').value;
  const query = (direction) => `/v1/shipments?direction=${direction}${status ? `&status=${status}` : ''}`;
  await busy($('refresh'), 'list-message', async () => {
    const [incoming, outgoing] = await Promise.all([api.get(query('incoming')), api.get(query('outgoing'))]);
    const newest = (a, b) => String(b.createdAt).localeCompare(String(a.createdAt));
    $('incoming').replaceChildren(shipmentTable([...(incoming.shipments ?? [])].sort(newest), 'incoming'));
    $('outgoing').replaceChildren(shipmentTable([...(outgoing.shipments ?? [])].sort(newest), 'outgoing'));
  });
}

$('refresh').addEventListener('click', () => void refresh());
$('status-filter').addEventListener('change', () => void refresh());

initPage((signedIn) => {
  if (signedIn) void refresh();
  else for (const id of ['incoming', 'outgoing']) $(id).replaceChildren();
});
if (getKey()) void refresh();
