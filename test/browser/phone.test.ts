/**
 * The main tables at phone width (390 px) in a real headless Chromium: the shipments page's lists, the
 * manufacturer's batches and a batch's whereabouts are cards, one per row, each cell led by its column's name;
 * the regulator's three-column figures stay tables; nothing on the page scrolls sideways. At desktop width every
 * table is a table. Screenshots of each.
 */
import { Page } from 'playwright-core';
import {
  call,
  commission,
  glnOf,
  mspOf,
  openSignedIn,
  screenshot,
  screenshotOf,
  ship,
  uniqueSerial,
  useBrowser,
  PHONE,
  DESKTOP,
} from './helpers';

jest.setTimeout(240_000);

const session = useBrowser();

/** How the page lays out its tables: whether anything is wider than the window, and each table's rows. */
function layout(page: Page) {
  return page.evaluate(() => ({
    pageWider: document.documentElement.scrollWidth > window.innerWidth,
    tables: Array.from(document.querySelectorAll('main table')).map((table) => {
      const firstRow = table.querySelector('tbody tr');
      const cells = firstRow ? Array.from(firstRow.querySelectorAll('td')) : [];
      return {
        id: table.id || table.getAttribute('data-direction') || table.className,
        wider: table.scrollWidth > (table.parentElement?.clientWidth ?? 0) + 1,
        headShown: (table.querySelector('thead') as HTMLElement).offsetHeight > 1,
        rowDisplay: firstRow ? getComputedStyle(firstRow).display : '',
        labels: cells.map((td) => td.getAttribute('data-label')),
        heads: Array.from(table.querySelectorAll('thead th')).map((th) => th.textContent?.trim() || null),
        // What a phone shows before each cell: the column's name, drawn by CSS.
        shownLabels: cells.map((td) => getComputedStyle(td, '::before').content),
      };
    }),
  }));
}

/**
 * Nothing wider than the window; the `cards` tables one card per row, each cell led by its column's name (a column
 * without a name, the row's actions, has none); the `plain` ones (three columns) tables as they are.
 */
async function expectPhoneLayout(page: Page, cards: string[], plain: string[] = []): Promise<void> {
  const { pageWider, tables } = await layout(page);
  expect(pageWider).toBe(false);
  expect(tables.map((t) => t.id)).toEqual(expect.arrayContaining([...cards, ...plain]));
  for (const t of tables) {
    expect({ id: t.id, wider: t.wider }).toEqual({ id: t.id, wider: false });
    if (cards.includes(t.id)) {
      expect({ id: t.id, headShown: t.headShown, rowDisplay: t.rowDisplay }).toEqual({
        id: t.id,
        headShown: false,
        rowDisplay: 'block',
      });
      expect(t.labels).toEqual(t.heads);
      expect(t.shownLabels).toEqual(t.heads.map((head) => (head ? `"${head}"` : 'none')));
    }
    if (plain.includes(t.id)) expectPlain(t);
  }
}

function expectPlain(t: { id: string; headShown: boolean; rowDisplay: string }): void {
  expect({ id: t.id, headShown: t.headShown, rowDisplay: t.rowDisplay }).toEqual({
    id: t.id,
    headShown: true,
    rowDisplay: 'table-row',
  });
}

test('the shipments lists are one card per shipment on a phone, and a table on a desktop', async () => {
  const packs = await commission([uniqueSerial(), uniqueSerial()]);
  await ship('manufacturer', 'distributor', packs.slice(0, 1), false);
  await call('manufacturer', 'POST', '/v1/shipments', {
    to: mspOf('distributor'),
    toGln: glnOf('distributor'),
    units: [{ gtin: packs[1].gtin, serial: packs[1].serial }],
  });
  for (const [org, direction] of [
    ['distributor', 'incoming'],
    ['manufacturer', 'outgoing'],
  ] as const) {
    const page = await session.open({ viewport: PHONE, locale: 'en-GB' });
    await openSignedIn(page, '/shipments.html', org);
    await page.locator(`table[data-direction="${direction}"] tbody tr`).first().waitFor();
    await expectPhoneLayout(page, [direction]);
    await screenshot(page, `phone-shipments-${org}`);
  }
  const desktop = await session.open({ viewport: DESKTOP, locale: 'en-GB' });
  await openSignedIn(desktop, '/shipments.html', 'distributor');
  await desktop.locator('table[data-direction="incoming"] tbody tr').first().waitFor();
  const { tables } = await layout(desktop);
  expect(tables.map((t) => t.id)).toContain('incoming');
  tables.forEach(expectPlain);
});

test('the manufacturer’s batches and a batch’s whereabouts are cards on a phone; the regulator’s figures fit as tables', async () => {
  const packs = await commission([uniqueSerial(), uniqueSerial()]);
  await ship('manufacturer', 'distributor', packs.slice(0, 1));
  const maker = await session.open({ viewport: PHONE, locale: 'en-GB' });
  await openSignedIn(maker, '/manufacturer.html', 'manufacturer');
  await maker.locator('#batches-rows tbody tr').first().waitFor();
  await maker.locator('#v-gtin').fill(packs[0].gtin);
  await maker.locator('#v-lot').fill(packs[0].lot);
  await maker.getByRole('button', { name: 'Show batch' }).click();
  await maker.locator('#where-table-rows tbody tr').first().waitFor();
  await expectPhoneLayout(maker, ['batches-rows', 'where-table-rows']);
  await screenshot(maker, 'phone-manufacturer');
  await screenshotOf(maker.locator('#where-table'), 'phone-manufacturer-whereabouts');

  const regulator = await session.open({ viewport: PHONE, locale: 'en-GB' });
  await openSignedIn(regulator, '/regulator.html', 'regulator');
  await regulator.locator('#days-rows').waitFor({ state: 'attached' });
  await regulator.getByText('Figures per day').click();
  await regulator.locator('#days-rows tbody tr').first().waitFor();
  await expectPhoneLayout(regulator, [], ['days-rows']);
  await screenshot(regulator, 'phone-regulator');
  await screenshotOf(regulator.locator('#days-table'), 'phone-regulator-days');
});
