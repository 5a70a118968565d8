/**
 * The list pages' paging in a real headless Chromium: the shipments page and the regulator's alert list
 * show a first page, and "More" adds the next ones until the list is whole, in the order the API pages in.
 */
import { Locator } from 'playwright-core';
import {
  call,
  commission,
  elementString,
  glnOf,
  mspOf,
  openSignedIn,
  screenshot,
  uniqueSerial,
  useBrowser,
  DESKTOP,
} from './helpers';

jest.setTimeout(300_000);

/** What the pages ask for per page (shipments.js, regulator.js). */
const PAGE_SIZE = 20;
/** Enough for the pages to have a second page. */
const WANTED = PAGE_SIZE + 2;

const session = useBrowser({ viewport: DESKTOP });

/** Every item of a list through the API, following `next`. */
async function walk<T>(
  org: 'manufacturer' | 'regulator',
  path: string,
  items: (body: never) => T[],
): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const body = await call<{ next?: string }>(
      org,
      'GET',
      `${path}${path.includes('?') ? '&' : '?'}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    out.push(...items(body as never));
    cursor = body.next;
  } while (cursor);
  return out;
}

/** Clicks "More" until it hides, checking that each click adds one page (or the rest). */
async function clickMoreUntilDone(more: Locator, rows: Locator, total: number): Promise<void> {
  let shown = await rows.count();
  expect(shown).toBe(Math.min(PAGE_SIZE, total));
  while (shown < total) {
    await more.click();
    const expected = Math.min(shown + PAGE_SIZE, total);
    await rows.nth(expected - 1).waitFor();
    expect(await rows.count()).toBe(expected);
    shown = expected;
  }
  await more.waitFor({ state: 'hidden' });
}

test('the shipments page lists the outgoing shipments a page at a time, “More” adding the next', async () => {
  const { page } = session;
  const listed = () =>
    walk(
      'manufacturer',
      '/v1/shipments?direction=outgoing',
      (b: { shipments: { id: string }[] }) => b.shipments,
    );
  const missing = WANTED - (await listed()).length;
  if (missing > 0) {
    const packs = await commission(Array.from({ length: missing }, uniqueSerial));
    for (const pack of packs)
      await call('manufacturer', 'POST', '/v1/shipments', {
        to: mspOf('distributor'),
        toGln: glnOf('distributor'),
        units: [{ gtin: pack.gtin, serial: pack.serial }],
      });
  }
  const ids = (await listed()).map((s) => s.id);
  expect(ids.length).toBeGreaterThanOrEqual(WANTED);

  await openSignedIn(page, '/shipments.html', 'manufacturer');
  await page.getByLabel('Status').selectOption('');
  const rows = page.locator('table[data-direction="outgoing"] tbody tr');
  await rows.first().waitFor();
  await page.locator('[data-counts="outgoing"]').getByText(`${PAGE_SIZE} of ${ids.length} shown`).waitFor();
  await clickMoreUntilDone(page.locator('[data-more="outgoing"]'), rows, ids.length);
  expect(await rows.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.shipment))).toEqual(ids);
  await screenshot(page, 'shipments-paged');
});

test('the regulator’s alert list shows a page of alerts, “More” adding the next, newest first', async () => {
  const { page } = session;
  const listed = () => walk('regulator', '/v1/audit/alerts', (b: { alerts: { id: string }[] }) => b.alerts);
  const missing = WANTED - (await listed()).length;
  if (missing > 0) {
    const [pack] = await commission([uniqueSerial()]);
    for (let i = 0; i < missing; i++)
      await call('pharmacy', 'POST', '/v1/verify', {
        code: elementString({ ...pack, serial: uniqueSerial() }),
      });
  }
  // Scans are recorded after the verdict is answered: wait, bounded, for their alerts to be listed.
  let ids: string[] = [];
  for (const deadline = Date.now() + 60_000; ids.length < WANTED && Date.now() < deadline;)
    ids = await listed().then(async (alerts) => {
      if (alerts.length < WANTED) await new Promise((r) => setTimeout(r, 500));
      return alerts.map((a) => a.id);
    });
  expect(ids.length).toBeGreaterThanOrEqual(WANTED);

  await openSignedIn(page, '/regulator.html', 'regulator');
  const rows = page.locator('#alerts li[data-alert]');
  await rows.first().waitFor();
  await clickMoreUntilDone(page.getByRole('button', { name: 'More alerts' }), rows, ids.length);
  expect(await rows.evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset.alert))).toEqual(ids);
  await screenshot(page, 'alerts-paged');
});
