/**
 * The scan page in a real headless Chromium: the signed receipt of a verdict offered as a file and as a QR
 * code, and a scanner fault explained in plain words instead of a bare "counterfeit".
 */
import { readFileSync } from 'node:fs';
import {
  commission,
  DESKTOP_WITH_DOWNLOADS,
  elementString,
  openSignedIn,
  screenshot,
  uniqueSerial,
  useBrowser,
} from './helpers';

jest.setTimeout(240_000);

const session = useBrowser(DESKTOP_WITH_DOWNLOADS);

test('a verdict comes with its signed receipt, to download and as a QR code', async () => {
  const { page } = session;
  const [pack] = await commission([uniqueSerial()]);
  await openSignedIn(page, '/', 'manufacturer');
  const code = page.getByLabel('Scan or type the code on the pack');
  await code.fill(elementString(pack));
  const answer = page.waitForResponse((r) => r.url().endsWith('/v1/verify'));
  await code.press('Enter');
  const { receipt } = (await (await answer).json()) as { receipt: string };
  await page.locator('#verdict[data-verdict="GENUINE"]').waitFor();

  const qr = page.locator('#receipt-qr');
  await page.waitForFunction(() => {
    const img = document.getElementById('receipt-qr') as HTMLImageElement | null;
    return !!img && img.complete && img.naturalWidth > 0;
  });
  expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml,/);

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download the receipt' }).click();
  const file = await (await download).path();
  expect(readFileSync(file as string, 'utf8')).toBe(receipt);
  expect((await download).suggestedFilename()).toBe(`receipt-${pack.gtin}-${pack.serial}.jws`);
  await screenshot(page, 'scan-receipt');
});

test('a serial typed with caps lock on is explained as a scanner problem', async () => {
  const { page } = session;
  const [pack] = await commission([`Ab${uniqueSerial()}`]);
  const inverted = pack.serial.replace(/[A-Za-z]/g, (c) =>
    c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase(),
  );
  await openSignedIn(page, '/', 'manufacturer');
  const code = page.getByLabel('Scan or type the code on the pack');
  await code.fill(elementString({ ...pack, serial: inverted }));
  await code.press('Enter');
  await page.locator('#verdict[data-verdict="COUNTERFEIT"]').waitFor();
  const hint = page.locator('#hints li[data-hint="CAPS_LOCK_SUSPECTED"]');
  await expect(hint.textContent()).resolves.toMatch(/caps lock/);
  await screenshot(page, 'scan-caps-lock-hint');
});

test('a code whose ")" arrived as "(" gets the keyboard-layout hint in the error', async () => {
  const { page } = session;
  const [pack] = await commission([uniqueSerial()]);
  await openSignedIn(page, '/', 'manufacturer');
  const code = page.getByLabel('Scan or type the code on the pack');
  await code.fill(elementString(pack).replace(/\)/g, '('));
  await code.press('Enter');
  await page.locator('#scan-message[role="alert"]', { hasText: 'keyboard layout' }).waitFor();
});
