// A batch as GET /v1/batches/{gtin}/{lot} returns it: facts, counts by state and by custodian.
// Shared by the manufacturer and regulator pages.
import { $, api, busy, formatDate, formatTime, h, showMessage } from './api.js';
import { REASON_MAX_LENGTH } from './vendor/domain.js';

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

/**
 * The recall / quarantine / release buttons (#recall, #quarantine, #release, reason in #status-reason) for
 * the batch on show; `reload` shows it again after the change.
 */
export function wireStatusActions(current, reload) {
  $('status-reason').maxLength = REASON_MAX_LENGTH;
  for (const action of ['recall', 'quarantine', 'release']) {
    $(action).addEventListener('click', (event) => {
      const shown = current();
      if (!shown) return;
      const reason = $('status-reason').value.trim();
      if (!reason) {
        showMessage('status-message', 'Give a reason: it is recorded on the ledger with the change.');
        $('status-reason').focus();
        return;
      }
      if (
        action === 'recall' &&
        !window.confirm('Recall this batch? Every pack of it will fail verification.')
      )
        return;
      void busy(event.currentTarget, 'status-message', async () => {
        const batch = await api.post(`${batchPath(shown.gtin, shown.lot)}/${action}`, { reason });
        await reload(shown.gtin, shown.lot);
        showMessage('status-message', `Batch ${shown.lot} is now ${batch.status}.`, 'ok');
      });
    });
  }
}
