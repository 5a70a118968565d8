// A batch as GET /v1/batches/{gtin}/{lot} returns it: facts, counts by state and by custodian.
// Shared by the manufacturer and regulator pages.
import { formatDate, formatTime, h } from './api.js';

export const batchPath = (gtin, lot) => `/v1/batches/${encodeURIComponent(gtin)}/${encodeURIComponent(lot)}`;

export const statusBadge = (status) =>
  h('span', { class: `badge badge-${String(status).toLowerCase()}`, id: 'batch-status' }, status);

export function batchFacts(batch) {
  const row = (label, ...value) => [h('dt', {}, label), h('dd', {}, ...value)];
  return [
    ...row('GTIN', h('code', {}, batch.gtin)),
    ...row('Lot', batch.lot),
    ...row('Status', statusBadge(batch.status)),
    ...(batch.statusReason
      ? row(
          'Reason',
          `${batch.statusReason}${batch.statusBy ? ` (by ${batch.statusBy}` : ''}${batch.statusAt ? `, ${formatTime(batch.statusAt)})` : batch.statusBy ? ')' : ''}`,
        )
      : []),
    ...row('Manufacturer', batch.manufacturer ?? '—'),
    ...row('Manufactured on', formatDate(batch.manufacturedOn)),
    ...row('Expiry', formatDate(batch.expiry)),
    ...row('Packs', String(batch.quantity ?? '—')),
  ];
}

export function byStateTable(counts) {
  const entries = Object.entries(counts?.byState ?? {});
  if (!entries.length) return h('p', { class: 'muted' }, 'No packs.');
  return h(
    'table',
    { id: 'state-table' },
    h(
      'thead',
      {},
      h('tr', {}, h('th', { scope: 'col' }, 'State'), h('th', { scope: 'col', class: 'num' }, 'Packs')),
    ),
    h(
      'tbody',
      {},
      entries.map(([state, n]) => h('tr', {}, h('td', {}, state), h('td', { class: 'num' }, String(n)))),
    ),
  );
}

export function byCustodianTable(counts) {
  const rows = counts?.byCustodian ?? [];
  if (!rows.length) return h('p', { class: 'muted' }, 'No packs.');
  return h(
    'table',
    { id: 'custodian-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Organisation'),
        h('th', { scope: 'col' }, 'GLN'),
        h('th', { scope: 'col' }, 'State'),
        h('th', { scope: 'col', class: 'num' }, 'Packs'),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((r) =>
        h(
          'tr',
          {},
          h('td', {}, r.msp),
          h('td', {}, h('code', {}, r.gln)),
          h('td', {}, r.state),
          h('td', { class: 'num' }, String(r.count)),
        ),
      ),
    ),
  );
}
