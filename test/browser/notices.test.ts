/**
 * Recall notices on the custodians' pages in a real headless Chromium: a pharmacist's scan page (Simplified
 * Chinese, phone width) and a distributor's shipments page (English, desktop) are open side by side when the
 * batch they both hold is quarantined and then recalled. Each page shows its own organisation's notice as it
 * arrives, without reloading — the batch, why, how many of its packs — the recall replacing the quarantine; and
 * its list of packs (GET /v1/batches/{gtin}/{lot}/my-packs, a page at a time) is exactly the packs the test moved
 * there, the dispensed one left out. The regulator, whose stream carries every holder's notice, is shown none on
 * these pages. Screenshots of both.
 */
import { Page } from 'playwright-core';
import { gatewayUrl, readApiKeys } from '../support/paths';
import {
  call,
  commission,
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

/** Marks the page's window: the mark survives only if the page is never loaded again. */
const mark = (page: Page) => page.evaluate(() => Object.assign(window, { notReloaded: true }));
const stillMarked = (page: Page) =>
  page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded === true);

test('a quarantine then a recall reach the pharmacy and distributor pages live, each with its own packs', async () => {
  const packs = await commission(Array.from({ length: 14 }, () => uniqueSerial()));
  const { gtin, lot } = packs[0];
  // The distributor keeps 1 of 13; the pharmacy gets 12 and dispenses 1; the manufacturer keeps 1.
  await ship('manufacturer', 'distributor', packs.slice(0, 13));
  await ship('distributor', 'pharmacy', packs.slice(0, 12));
  await call('pharmacy', 'POST', `/v1/units/${gtin}/${packs[0].serial}/dispense`);
  const atPharmacy = packs.slice(1, 12).map((p) => p.serial);
  const atDistributor = [packs[12].serial];

  const pharmacy = await session.open({ locale: 'zh-CN', viewport: PHONE });
  await pharmacy.goto(`${gatewayUrl}/`);
  await pharmacy.getByLabel('API 密钥', { exact: true }).fill(readApiKeys().pharmacy);
  await pharmacy.getByRole('button', { name: '登录' }).click();
  const distributor = await session.open({ locale: 'en-GB', viewport: DESKTOP });
  await openSignedIn(distributor, '/shipments.html', 'distributor');
  // The regulator's stream carries every holder's notice; the page shows only its own organisation's (none).
  const regulator = await session.open({ locale: 'en-GB', viewport: DESKTOP });
  await openSignedIn(regulator, '/', 'regulator');
  // The notices are live from here on: the pages follow GET /v1/events once signed in.
  for (const page of [pharmacy, distributor, regulator]) {
    await page.locator('#notices[data-live="open"]').waitFor({ state: 'attached' });
    await mark(page);
  }

  await call('manufacturer', 'POST', `/v1/batches/${gtin}/${lot}/quarantine`, {
    reason: 'dissolution under review',
  });
  const onHold = distributor.locator(`.notice[data-batch="${gtin}/${lot}"][data-status="QUARANTINED"]`);
  await onHold.waitFor();
  await expect(onHold.locator('h2').textContent()).resolves.toBe('Batch on hold (quarantined)');
  await expect(onHold.locator('.notice-count').textContent()).resolves.toMatch(
    /^You hold 1 pack of this batch\./,
  );
  await expect(onHold.locator('q').textContent()).resolves.toBe('dissolution under review');
  await pharmacy.locator(`.notice[data-batch="${gtin}/${lot}"][data-status="QUARANTINED"]`).waitFor();

  await call('regulator', 'POST', `/v1/batches/${gtin}/${lot}/recall`, { reason: '溶出度不合格 falsified' });
  const recalled = (page: Page) =>
    page.locator(`.notice[data-batch="${gtin}/${lot}"][data-status="RECALLED"]`);
  for (const page of [pharmacy, distributor]) {
    await recalled(page).waitFor();
    // The recall replaced the quarantine's notice; no other organisation's notice is shown.
    expect(await page.locator('.notice').count()).toBe(1);
    expect(await stillMarked(page)).toBe(true);
  }
  expect(await regulator.locator('.notice').count()).toBe(0);

  // The pharmacist, in Chinese: the batch, the reason, 11 packs, and those 11 in two pages of 10.
  const notice = recalled(pharmacy);
  await expect(notice.locator('h2').textContent()).resolves.toBe('批次已召回');
  await expect(notice.locator('.notice-batch').textContent()).resolves.toBe(`GTIN ${gtin} · 批号 ${lot}`);
  await expect(notice.locator('.notice-count').textContent()).resolves.toMatch(/^您持有此批次的 11 盒药品。/);
  await expect(notice.locator('q').textContent()).resolves.toBe('溶出度不合格 falsified');
  await expect(notice.locator('.hint code').textContent()).resolves.toBe(mspOf('regulator'));
  await notice.getByRole('button', { name: '查看我的药盒' }).click();
  const rows = notice.locator('table.my-packs tbody tr');
  await rows.nth(9).waitFor();
  expect(await rows.count()).toBe(10);
  await notice.getByRole('button', { name: '更多' }).click();
  await rows.nth(10).waitFor();
  expect(await rows.count()).toBe(11);
  expect(await notice.getByRole('button', { name: '更多' }).isVisible()).toBe(false);
  const shown = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-serial')));
  expect([...shown].sort()).toEqual([...atPharmacy].sort());
  await expect(notice.locator('.notice-packs .hint').textContent()).resolves.toBe('已显示 11 盒');
  expect(await untranslated(pharmacy, '#notices q')).toEqual([]);
  await notice.scrollIntoViewIfNeeded();
  await screenshot(pharmacy, 'notice-zh-pharmacy-phone');

  // The distributor, in English: its one pack, on one page.
  const its = recalled(distributor);
  await expect(its.locator('.notice-count').textContent()).resolves.toMatch(
    /^You hold 1 pack of this batch\./,
  );
  await its.getByRole('button', { name: 'Show my packs' }).click();
  const itsRows = its.locator('table.my-packs tbody tr');
  await itsRows.first().waitFor();
  expect(await itsRows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-serial')))).toEqual(
    atDistributor,
  );
  expect(await its.getByRole('button', { name: 'More' }).isVisible()).toBe(false);
  await screenshot(distributor, 'notice-en-distributor-desktop');
  // Dismissed, it is gone; the page itself was never loaded again.
  await its.getByRole('button', { name: 'Dismiss' }).click();
  expect(await distributor.locator('.notice').count()).toBe(0);
  expect(await stillMarked(distributor)).toBe(true);
});
