// A batch as GET /v1/batches/{gtin}/{lot} returns it: facts, counts by state and by custodian, where its packs are
// (GET /v1/audit/batches/{gtin}/{lot}/whereabouts) and a recall's progress. Shared by the manufacturer and
// regulator pages.
import { $, api, busy, codeText, formatDate, formatTime, h, showMessage, stackable } from './api.js';
import { foldStates, holdersChart } from './charts.js';
import { formatNumber, t } from './i18n.js';
import { REASON_MAX_LENGTH } from './vendor/domain.js';

export const batchPath = (gtin, lot) => `/v1/batches/${encodeURIComponent(gtin)}/${encodeURIComponent(lot)}`;

/** A unit state (or IN_TRANSIT) in the page's language. */
export const stateText = (state) =>
  state === 'IN_TRANSIT' ? codeText('status', state) : codeText('state', state);

export const statusBadge = (status, attrs = { id: 'batch-status' }) =>
  h('span', { class: `badge badge-${String(status).toLowerCase()}`, ...attrs }, codeText('status', status));

export function batchFacts(batch) {
  const row = (label, ...value) => [h('dt', {}, label), h('dd', {}, ...value)];
  return [
    ...row(t('fact.gtin'), h('code', {}, batch.gtin)),
    ...row(t('fact.lot'), batch.lot),
    ...row(t('batch.fact.status'), statusBadge(batch.status)),
    ...(batch.statusReason
      ? row(
          t('batch.fact.reason'),
          batch.statusBy
            ? t('batch.fact.reasonBy', {
                reason: batch.statusReason,
                by: batch.statusBy,
                at: formatTime(batch.statusAt),
              })
            : batch.statusReason,
        )
      : []),
    ...row(t('fact.manufacturer'), batch.manufacturer ?? '—'),
    ...row(t('batch.fact.made'), formatDate(batch.manufacturedOn)),
    ...row(t('fact.expiry'), formatDate(batch.expiry)),
    ...row(t('batch.fact.packs'), batch.quantity === undefined ? '—' : formatNumber(batch.quantity)),
  ];
}

/** A table: `columns` as [key of the header's message, 'num' for a number column]; `rows` as arrays of cells. */
export function table(id, columns, rows) {
  const built = h(
    'table',
    { id },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        columns.map(([key, kind]) =>
          h('th', { scope: 'col', class: kind === 'num' ? 'num' : undefined }, t(key)),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((cells) =>
        h(
          'tr',
          {},
          cells.map((cell, i) =>
            h(
              'td',
              { class: columns[i][1] === 'num' ? 'num' : undefined },
              typeof cell === 'number' ? formatNumber(cell) : cell,
            ),
          ),
        ),
      ),
    ),
  );
  return stackable(built);
}

export function byStateTable(counts) {
  const entries = Object.entries(counts?.byState ?? {});
  if (!entries.length) return h('p', { class: 'muted' }, t('batch.noPacks'));
  return table(
    'state-table',
    [['batch.col.state'], ['batch.col.packs', 'num']],
    entries.map(([state, n]) => [stateText(state), n]),
  );
}

export function byCustodianTable(counts) {
  const rows = counts?.byCustodian ?? [];
  if (!rows.length) return h('p', { class: 'muted' }, t('batch.noPacks'));
  return table(
    'custodian-table',
    [['batch.col.org'], ['batch.col.gln'], ['batch.col.state'], ['batch.col.packs', 'num']],
    rows.map((r) => [r.msp, h('code', {}, r.gln), stateText(r.state), r.count]),
  );
}

/**
 * Where a batch's packs are, as a chart (packs by holder and state) and a table, into #where-chart, #where-table
 * and #where-help; with `progress` (#recall-progress), a recalled or quarantined batch's share of packs out of
 * circulation. Answers the whereabouts.
 */
export async function showWhereabouts(gtin, lot, { progress = false } = {}) {
  const where = await api.get(
    `/v1/audit/batches/${encodeURIComponent(gtin)}/${encodeURIComponent(lot)}/whereabouts`,
  );
  $('where-help').textContent = t('batch.whereHelp', { block: where.asOfBlock });
  holdersChart($('where-chart'), where.holders);
  $('where-table').replaceChildren(
    table(
      'where-table-rows',
      [
        ['batch.col.holder'],
        ['batch.col.gln'],
        ['batch.col.active', 'num'],
        ['batch.col.inTransit', 'num'],
        ['batch.col.dispensed', 'num'],
        ['batch.col.other', 'num'],
      ],
      where.holders.map((r) => [r.name, h('code', {}, r.gln), r.active, r.inTransit, r.dispensed, r.other]),
    ),
  );
  if (progress) showProgress(where);
  return where;
}

/** A recall's progress: how many of the batch's packs are out of circulation, and where the rest still are. */
function showProgress(where) {
  const box = $('recall-progress');
  if (where.status === 'RELEASED') {
    box.hidden = true;
    return;
  }
  const folded = foldStates(where.byState);
  const left = folded.ACTIVE + folded.IN_TRANSIT;
  const out = where.total - left;
  const holders = where.holders.filter((r) => r.active + r.inTransit > 0).length;
  box.replaceChildren(
    h('h3', {}, t('batch.progressHeading')),
    h('progress', {
      id: 'recall-progress-bar',
      max: String(where.total),
      value: String(out),
      'aria-label': t('batch.progressLabel'),
    }),
    h(
      'p',
      { id: 'recall-progress-text' },
      left === 0
        ? t('batch.progressDone', { total: where.total })
        : t('batch.progress', { out, total: where.total, left, holders }),
    ),
  );
  box.hidden = false;
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
        showMessage('status-message', t('batch.needReason'));
        $('status-reason').focus();
        return;
      }
      if (action === 'recall' && !window.confirm(t('batch.confirmRecall'))) return;
      void busy(event.currentTarget, 'status-message', async () => {
        const batch = await api.post(`${batchPath(shown.gtin, shown.lot)}/${action}`, { reason });
        await reload(shown.gtin, shown.lot);
        showMessage(
          'status-message',
          t('batch.nowStatus', { lot: shown.lot, status: codeText('status', batch.status) }),
          'ok',
        );
      });
    });
  }
}
