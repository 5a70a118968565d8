// Recall notices on the custodians' pages: each RECALL_NOTICE the gateway sends the signed-in organisation on
// GET /v1/events (a batch it holds packs of was recalled or quarantined) is shown as it arrives — which batch,
// why, how many of its packs — with the list of those packs behind it (the notice's my-packs link, a page at a
// time). A later notice for the same batch (a quarantine becoming a recall) replaces the earlier one.
import { api, busy, codeText, followEvents, formatTime, h, shortId, stackable, whoAmI } from './api.js';
import { t } from './i18n.js';

/** Packs per page of a notice's list; "More" asks for the next page after the last pack shown. */
const PAGE_SIZE = 10;
/** Where a notice's link may point: the gateway's my-packs route, nothing else. */
const MY_PACKS = /^\/v1\/batches\/[^/?#]+\/[^/?#]+\/my-packs(\?[^#]*)?$/;

/**
 * Follows the notices into `container` while signed in. `container.dataset.live` is the stream's state
 * ('open' once the gateway is sending), so a test can wait for it before it recalls.
 */
export function recallNotices(container) {
  let stop;
  const follow = (signedIn) => {
    stop?.();
    stop = undefined;
    container.replaceChildren();
    container.dataset.live = 'off';
    if (!signedIn) return;
    stop = followEvents(
      '/v1/events?types=RECALL_NOTICE',
      (event) => void show(container, event.data),
      (state) => {
        container.dataset.live = state;
      },
    );
  };
  return { follow };
}

async function show(container, notice) {
  // The regulator hears every holder's notice; these pages show the signed-in organisation's own.
  const me = await whoAmI().catch(() => undefined); // a key the gateway refuses signs out (api.js)
  if (!me || notice?.org !== me.mspId || !MY_PACKS.test(String(notice.myPacks))) return;
  const key = `${notice.gtin}/${notice.lot}`;
  for (const old of container.querySelectorAll('.notice')) if (old.dataset.batch === key) old.remove();
  container.prepend(noticeElement(notice, key));
}

function noticeElement(notice, key) {
  const status = notice.status === 'QUARANTINED' ? 'QUARANTINED' : 'RECALLED';
  const packs = h('div', { class: 'notice-packs' });
  const message = h('div', { class: 'message', hidden: true });
  const article = h(
    'article',
    { class: `notice notice-${status.toLowerCase()}`, 'data-batch': key, 'data-status': status },
    h('h2', {}, t(`notice.title.${status}`)),
    h(
      'p',
      { class: 'notice-batch' },
      t('notice.gtin'),
      h('code', {}, notice.gtin),
      ' · ',
      t('notice.lot'),
      h('code', {}, notice.lot),
    ),
    h('p', { class: 'notice-count' }, t(`notice.count.${status}`, { n: Number(notice.count) })),
    notice.reason ? h('p', {}, t('notice.reason'), h('q', { class: 'reason' }, notice.reason)) : '',
    h(
      'p',
      { class: 'hint' },
      t('notice.by'),
      h('code', {}, notice.by ?? '—'),
      ' · ',
      h('time', { datetime: notice.at }, formatTime(notice.at)),
    ),
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'small',
          'data-open': key,
          onclick: (e) => {
            const button = e.currentTarget;
            void busy(button, message, async () => {
              packs.replaceChildren(await packList(notice.myPacks, message));
              button.hidden = true;
            });
          },
        },
        t('notice.show'),
      ),
      h(
        'button',
        { type: 'button', class: 'secondary small', onclick: () => article.remove() },
        t('notice.dismiss'),
      ),
    ),
    message,
    packs,
  );
  return article;
}

const pageOf = (link, cursor) =>
  `${link}${link.includes('?') ? '&' : '?'}limit=${PAGE_SIZE}` +
  (cursor ? `&cursor=${encodeURIComponent(cursor)}` : '');

/** The first page of the organisation's packs of the batch, with "More" while the gateway gives a cursor. */
async function packList(link, message) {
  const first = await api.get(pageOf(link));
  if (!first.packs.length) return h('p', { class: 'muted' }, t('notice.noPacks'));
  const head = ['notice.col.serial', 'notice.col.state', 'notice.col.gln', 'notice.col.where'];
  const body = h('tbody', {});
  const table = h(
    'table',
    { class: 'my-packs' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        head.map((k) => h('th', { scope: 'col' }, t(k))),
      ),
    ),
    body,
  );
  const summary = h('p', { class: 'hint', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', class: 'secondary small', 'data-more': '' }, t('list.more'));
  let cursor;
  const add = (page) => {
    body.append(...page.packs.map(packRow));
    stackable(table);
    cursor = page.next;
    more.hidden = !cursor;
    summary.textContent = t('notice.shown', { n: body.children.length });
  };
  more.addEventListener('click', () => {
    void busy(more, message, async () => add(await api.get(pageOf(link, cursor))));
  });
  add(first);
  return h(
    'div',
    {},
    h('div', { class: 'table-wrap' }, table),
    summary,
    h('div', { class: 'actions' }, more),
  );
}

function packRow(p) {
  const where = p.inTransit
    ? [
        t('notice.inTransit'),
        p.shipmentId ? [' ', h('code', { title: p.shipmentId }, shortId(p.shipmentId))] : '',
        p.sscc ? [' · ', t('notice.case'), h('code', {}, p.sscc)] : '',
      ]
    : p.sscc
      ? [t('notice.case'), h('code', {}, p.sscc)]
      : '—';
  return h(
    'tr',
    { 'data-serial': p.serial },
    h('td', {}, h('code', {}, p.serial)),
    h(
      'td',
      {},
      h('span', { class: `badge badge-${String(p.state).toLowerCase()}` }, codeText('state', p.state)),
    ),
    h('td', {}, h('code', {}, p.gln ?? '—')),
    h('td', {}, where),
  );
}
