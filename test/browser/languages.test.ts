/**
 * Two languages and receiving against the manifest in a real headless Chromium: the scan page and the
 * patient's resolver page in Simplified Chinese when the browser asks for it (Accept-Language), with no
 * English left outside the message catalogues' proper names; the switch back to English; a pharmacist
 * scanning a recalled pack sees the recall's reason and what to do; a distributor receives a shipment by
 * scanning its case and pack, watching expected against scanned. Screenshots at phone and desktop widths.
 */
import { Page } from 'playwright-core';
import { newSscc } from '../support/ids';
import { gatewayUrl, readApiKeys } from '../support/paths';
import {
  call,
  commission,
  elementString,
  glnOf,
  mspOf,
  openSignedIn,
  screenshot,
  ship,
  uniqueSerial,
  untranslated,
  useBrowser,
  PHONE,
  DESKTOP,
} from './helpers';

jest.setTimeout(240_000);

const session = useBrowser();

function open(locale: string, viewport = DESKTOP): Promise<Page> {
  return session.open({ locale, viewport });
}

test('the scan page speaks Simplified Chinese for a Chinese browser, and a recalled pack says why and what to do', async () => {
  const [pack] = await commission([uniqueSerial()]);
  await ship('manufacturer', 'distributor', [pack]);
  await ship('distributor', 'pharmacy', [pack]);
  await call('manufacturer', 'POST', `/v1/batches/${pack.gtin}/${pack.lot}/recall`, {
    reason: '溶出度不合格 dissolution out of specification',
  });
  for (const [name, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    const page = await open('zh-CN', viewport);
    await page.goto(`${gatewayUrl}/`);
    await page.locator('h1', { hasText: '扫描药盒' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.getByLabel('API 密钥', { exact: true }).fill(readApiKeys().pharmacy);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('button', { name: '退出' }).waitFor();
    const code = page.getByLabel('扫描或输入药盒上的追溯码');
    await code.fill(elementString(pack));
    await code.press('Enter');
    await page.locator('#verdict[data-verdict="SUSPECT"]').waitFor();
    expect(await page.locator('.verdict-word').textContent()).toBe('可疑');
    await expect(page.locator('#reasons li[data-reason="RECALLED"]').textContent()).resolves.toBe(
      '此批次已被召回，请勿使用或销售。',
    );
    const notice = page.locator('#recall-notice');
    await expect(notice.textContent()).resolves.toContain('召回通知：溶出度不合格');
    await expect(notice.textContent()).resolves.toContain('处理办法：请勿调配');
    // Dates by Intl in Chinese: the expiry 2029-06-30.
    await expect(page.locator('#fact-expiry').textContent()).resolves.toContain('2029年6月30日');
    await page.locator('.timeline li').first().waitFor();
    expect(await page.locator('.timeline li strong').first().textContent()).toBe('生产并赋码');
    // Every word of the page is Chinese; only data (codes, the typed recall reason, names) is not.
    expect(await untranslated(page)).toEqual([]);
    await screenshot(page, `lang-zh-scan-recalled-${name}`);
  }
});

test('the language switch chooses English over the browser’s Chinese, and is remembered', async () => {
  const page = await open('zh-CN');
  await page.goto(`${gatewayUrl}/shipments.html`);
  await page.locator('h1', { hasText: '发货与收货' }).waitFor();
  expect(await untranslated(page)).toEqual([]);
  await screenshot(page, 'lang-zh-shipments');
  await page.locator('#language').selectOption('en');
  await page.locator('h1', { hasText: 'Shipments' }).waitFor();
  expect(await page.locator('html').getAttribute('lang')).toBe('en');
  await page.goto(`${gatewayUrl}/`);
  await page.locator('h1', { hasText: 'Scan a pack' }).waitFor();
  await page.locator('#language').selectOption('zh-CN');
  await page.locator('h1', { hasText: '扫描药盒' }).waitFor();
});

test('the patient’s resolver page follows Accept-Language, with links to the other language', async () => {
  const [pack] = await commission([uniqueSerial()]);
  const link = `/01/${pack.gtin}/10/${pack.lot}/21/${pack.serial}?17=290630`;
  const page = await open('zh-CN', PHONE);
  await page.goto(`${gatewayUrl}${link}`);
  expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
  await expect(page.locator('.verdict').textContent()).resolves.toBe('正品药盒');
  await expect(page.locator('dl').textContent()).resolves.toContain('2029年6月30日');
  expect(await untranslated(page)).toEqual([]);
  await screenshot(page, 'lang-zh-resolver-phone');
  await page.getByRole('link', { name: 'English' }).click();
  await expect(page.locator('.verdict').textContent()).resolves.toBe('Genuine pack');
  await expect(page.locator('dl').textContent()).resolves.toContain('June 30, 2029');
  await screenshot(page, 'lang-en-resolver-phone');
});

test('a distributor receives a shipment by scanning its case and its loose pack, expected against scanned', async () => {
  const packs = await commission([uniqueSerial(), uniqueSerial(), uniqueSerial()]);
  const sscc = newSscc();
  await call('manufacturer', 'POST', '/v1/containers', {
    sscc,
    contents: packs.slice(0, 2).map((p) => ({ gtin: p.gtin, serial: p.serial })),
  });
  const shipment = await call<{ id: string }>('manufacturer', 'POST', '/v1/shipments', {
    to: mspOf('distributor'),
    toGln: glnOf('distributor'),
    units: [{ gtin: packs[2].gtin, serial: packs[2].serial }],
    containers: [sscc],
  });
  const page = await open('en-GB');
  await openSignedIn(page, '/shipments.html', 'distributor');
  const row = page.locator(`tr[data-shipment="${shipment.id}"]`);
  await row.getByRole('button', { name: 'Scan to receive…' }).click();
  const counts = page.locator('#receive-counts');
  await counts.filter({ hasText: 'Expected 3 packs · scanned 0' }).waitFor();
  const scan = page.getByLabel('Scan each case or pack (Enter after each code)');
  await scan.fill(sscc);
  await scan.press('Enter');
  await counts.filter({ hasText: 'Expected 3 packs · scanned 2' }).waitFor();
  expect(await page.locator('#receive-missing li').allTextContents()).toEqual([
    `(01)${packs[2].gtin}(21)${packs[2].serial}`,
  ]);
  await screenshot(page, 'receive-by-scan-partial');
  // Receiving now is refused with the report: nothing changes.
  await page.locator('#receive-confirm').click();
  await page.locator('#receive-message', { hasText: '1 missing, 0 unexpected' }).waitFor();
  await scan.fill(elementString(packs[2]));
  await scan.press('Enter');
  await counts.filter({ hasText: 'Expected 3 packs · scanned 3' }).waitFor();
  expect(await counts.getAttribute('data-match')).toBe('true');
  await page.locator('#receive-confirm').click();
  await page.locator('#list-message', { hasText: 'received' }).waitFor();
  const received = await call<{ status: string; receipt: { scanned: number } }>(
    'distributor',
    'GET',
    `/v1/shipments/${shipment.id}`,
  );
  expect(received).toMatchObject({ status: 'RECEIVED', receipt: { expected: 3, scanned: 3 } });
  await screenshot(page, 'receive-by-scan-done');
});
