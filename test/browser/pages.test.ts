/**
 * The web pages in a real headless Chromium against the real gateway and network: a pharmacist scans
 * and dispenses, a manufacturer registers a batch and downloads its label sheet, a distributor ships and
 * a pharmacy receives, a regulator reads a pack's custody timeline.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  call,
  commission,
  DESKTOP_WITH_DOWNLOADS,
  elementString,
  fetchBytes,
  glnOf,
  launchBrowser,
  mspOf,
  openSignedIn,
  Pack,
  rawScan,
  screenshot,
  ship,
  signIn,
  uniqueGtin,
  uniqueLot,
  uniqueSerial,
  useBrowser,
  watchErrors,
  PHONE,
} from './helpers';
import { artifactsDir, gatewayUrl, readNetwork } from '../support/paths';

jest.setTimeout(240_000);

const session = useBrowser(DESKTOP_WITH_DOWNLOADS);
// Packs for the scenarios, set up through the REST API on first use: one at the pharmacy, one at the
// distributor (to ship from the page).
interface Supply {
  atPharmacy: Pack;
  atDistributor: Pack;
}
let supplyPromise: Promise<Supply> | undefined;
function supply(): Promise<Supply> {
  supplyPromise ??= (async () => {
    const [atPharmacy, atDistributor] = await commission([uniqueSerial(), uniqueSerial()]);
    await ship('manufacturer', 'distributor', [atPharmacy, atDistributor]);
    await ship('distributor', 'pharmacy', [atPharmacy]);
    return { atPharmacy, atDistributor };
  })();
  return supplyPromise;
}
let commissioned: Promise<Pack[]> | undefined;

test('a pharmacist signs in with their own key: the header shows their name and branch', async () => {
  const { page } = session;
  const name = `pat-${uniqueSerial().slice(-6).toLowerCase()}`;
  const branch = readNetwork().orgs.pharmacy.glns.at(-1) as string;
  const added = await call<{ apiKey: string }>('pharmacy', 'POST', '/v1/admin/users', { name, gln: branch });
  await page.goto(`${gatewayUrl}/`);
  await signIn(page, 'pharmacy', added.apiKey);
  await page.locator('.signed-in .user').getByText(name, { exact: true }).waitFor();
  expect(await page.locator('.signed-in .branch').textContent()).toBe(branch);
  await screenshot(page, 'signed-in-person');
});

test('a pharmacist pastes a genuine code, sees GENUINE, dispenses, and a second scan says already dispensed', async () => {
  const { page } = session;
  const { atPharmacy } = await supply();
  await openSignedIn(page, '/', 'pharmacy');
  const code = page.getByLabel('Scan or type the code on the pack');
  await code.fill(elementString(atPharmacy));
  await code.press('Enter');

  const verdict = page.locator('#verdict');
  await expect(verdict.getAttribute('data-verdict')).resolves.toBe('GENUINE');
  expect(await verdict.locator('.verdict-word').textContent()).toBe('GENUINE');
  expect(await page.locator('#fact-lot').textContent()).toBe(atPharmacy.lot);
  // The custody chain: made, shipped to the distributor, received, shipped to the pharmacy, received.
  await page.locator('.timeline li').nth(4).waitFor();
  const steps = await page.locator('.timeline li strong').allTextContents();
  expect(steps).toEqual(['Made and serialised', 'Shipped', 'Received', 'Shipped', 'Received']);
  await screenshot(page, 'scan-genuine');

  await page.getByRole('button', { name: 'Dispense', exact: true }).click();
  await page.locator('#action-message', { hasText: 'Dispensed.' }).waitFor();
  expect(await page.locator('#fact-state').textContent()).toBe('DISPENSED');

  // The same code again, as a USB scanner types it: ]d2 prefix, GS separator, Enter.
  await code.fill(rawScan(atPharmacy));
  await code.press('Enter');
  await page.locator('#verdict[data-verdict="SUSPECT"]').waitFor();
  expect(await page.locator('#reasons li').first().getAttribute('data-reason')).toBe('ALREADY_DISPENSED');
  await expect(page.locator('#reasons').textContent()).resolves.toContain('already dispensed');
  expect(await page.getByRole('button', { name: 'Dispense', exact: true }).isVisible()).toBe(false);
  await screenshot(page, 'scan-already-dispensed');

  // Within 10 days the pharmacy may undo its own dispense.
  await page.getByRole('button', { name: 'Undo dispense' }).click();
  await page.locator('#action-message', { hasText: 'Dispense undone' }).waitFor();
  expect(await page.locator('#fact-state').textContent()).toBe('ACTIVE');
});

test('a pharmacist uploads a photo of the pack’s DataMatrix and gets the verdict', async () => {
  const { page } = session;
  const { atPharmacy } = await supply();
  const png = await fetchBytes(
    'manufacturer',
    `/v1/batches/${atPharmacy.gtin}/${atPharmacy.lot}/labels?format=png&symbology=datamatrix&serial=${atPharmacy.serial}`,
  );
  await openSignedIn(page, '/', 'pharmacy');
  await page.locator('#photo').setInputFiles({ name: 'pack.png', mimeType: 'image/png', buffer: png });
  await page.locator('#verdict').waitFor();
  // The first test dispensed and undid the dispense: the pack is in stock again.
  expect(await page.locator('#verdict').getAttribute('data-verdict')).toBe('GENUINE');
  expect(await page.getByLabel('Scan or type the code on the pack').inputValue()).toContain(
    atPharmacy.serial,
  );
});

test('a pharmacist holds the pack up to the camera and gets the verdict', async () => {
  const { page } = session;
  const { atPharmacy } = await supply();
  const png = await fetchBytes(
    'manufacturer',
    `/v1/batches/${atPharmacy.gtin}/${atPharmacy.lot}/labels?format=png&symbology=datamatrix&serial=${atPharmacy.serial}`,
  );
  // Chromium's fake camera plays an MJPEG file: let the browser itself turn the label into a JPEG frame
  // (enlarged on a white card, as a camera would see it).
  const dataUrl = await page.evaluate(
    async (src) => {
      const img = new Image();
      img.src = src;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = 640;
      canvas.height = 480;
      const g = canvas.getContext('2d') as CanvasRenderingContext2D;
      g.fillStyle = '#fff';
      g.fillRect(0, 0, 640, 480);
      g.imageSmoothingEnabled = false;
      const side = 360;
      g.drawImage(img, (640 - side) / 2, (480 - side) / 2, side, side * (img.height / img.width));
      return canvas.toDataURL('image/jpeg', 0.95);
    },
    `data:image/png;base64,${png.toString('base64')}`,
  );
  const frame = join(artifactsDir, 'camera-frame.mjpeg');
  writeFileSync(frame, Buffer.from(dataUrl.split(',')[1], 'base64'));

  const cameraBrowser = await launchBrowser([
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${frame}`,
  ]);
  try {
    const cameraContext = await cameraBrowser.newContext({ permissions: ['camera'] });
    const cameraPage = await cameraContext.newPage();
    const cameraErrors = watchErrors(cameraPage);
    // The browser decodes the frames itself (zxing-wasm served by the gateway): only the text is sent (and then
    // the verdict's receipt, for its QR code).
    const posted: string[] = [];
    cameraPage.on('request', (r) => {
      if (r.method() === 'POST') posted.push(new URL(r.url()).pathname);
    });
    await openSignedIn(cameraPage, '/', 'pharmacy');
    await cameraPage.getByRole('button', { name: 'Use camera' }).click();
    await cameraPage.locator('#verdict').waitFor({ timeout: 30_000 });
    expect(posted.filter((path) => path.startsWith('/v1/verify'))).toEqual(['/v1/verify']);
    expect(await cameraPage.getByLabel('Scan or type the code on the pack').inputValue()).toMatch(/^\]d201/);
    expect(await cameraPage.locator('#verdict').getAttribute('data-verdict')).toBe('GENUINE');
    expect(await cameraPage.locator('#camera-status').textContent()).toBe('Code read.');
    expect(await cameraPage.getByRole('button', { name: 'Use camera' }).isVisible()).toBe(true);
    expect(cameraErrors).toEqual([]);
  } finally {
    await cameraBrowser.close();
  }
});

test('a malformed code is explained in plain words, and a never-issued serial is COUNTERFEIT', async () => {
  await session.context.close();
  const page = await session.open({
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
  });
  await openSignedIn(page, '/', 'pharmacy');
  const code = page.getByLabel('Scan or type the code on the pack');
  await code.fill('(01)12345');
  await code.press('Enter');
  const alert = page.locator('#scan-message[role="alert"]');
  await alert.waitFor();
  expect(await alert.textContent()).toMatch(/^That was not accepted\./);

  commissioned ??= commission([uniqueSerial()]);
  const [pack] = await commissioned;
  await code.fill(elementString({ ...pack, serial: 'NEVERMADE0001' }));
  await code.press('Enter');
  await page.locator('#verdict[data-verdict="COUNTERFEIT"]').waitFor();
  await expect(page.locator('#reasons').textContent()).resolves.toContain(
    'No pack with this serial number was ever made',
  );
  await screenshot(page, 'scan-counterfeit-phone');
});

test('a manufacturer registers a product and a batch, sees its packs and downloads the label sheet PDF', async () => {
  const { page } = session;
  const gtin = uniqueGtin();
  const lot = uniqueLot('L');
  await openSignedIn(page, '/manufacturer.html', 'manufacturer');

  await page.getByLabel('GTIN (14 digits)').fill(gtin);
  await page.getByLabel('Name', { exact: true }).fill('Labeltestin 5 mg tablets');
  await page.getByLabel('Generic name').fill('labeltestin');
  await page.getByLabel('Strength').fill('5 mg');
  await page.getByLabel('Dosage form').fill('tablet');
  await page.getByLabel('Marketing authorisation').fill('LT-0005');
  await page.getByRole('button', { name: 'Register product' }).click();
  await page.getByText(`Registered Labeltestin 5 mg tablets (GTIN ${gtin}).`).waitFor();

  const batchForm = page.locator('#batch-form');
  expect(await batchForm.getByLabel('GTIN').inputValue()).toBe(gtin);
  await batchForm.getByLabel('Lot').fill(lot);
  await batchForm.getByLabel('How many packs').fill('6');
  await page.getByRole('button', { name: 'Register batch' }).click();
  await page.getByText(`Batch ${lot} registered: 6 packs commissioned`).waitFor();
  expect((await page.locator('#created-serials').textContent())?.split('\n')).toHaveLength(6);
  await page.locator('#batch-view').waitFor();
  expect(await page.locator('#batch-status').textContent()).toBe('RELEASED');
  expect(await page.locator('#state-table tbody').textContent()).toContain('ACTIVE6');
  expect(await page.locator('#custodian-table tbody').textContent()).toContain(mspOf('manufacturer'));

  await page.getByRole('button', { name: 'Prepare label sheet (PDF)' }).click();
  const link = page.locator('#labels-download');
  await link.waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toBe(`labels-${gtin}-${lot}.pdf`);
  const pdf = readFileSync(await download.path());
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(pdf.length).toBeGreaterThan(1000);
  await screenshot(page, 'manufacturer');
});

test('a distributor ships from typed codes and the pharmacy receives it on the shipments page', async () => {
  const { page } = session;
  const { atDistributor: inTransit } = await supply();
  await openSignedIn(page, '/shipments.html', 'distributor');
  await page.getByLabel('To organisation (MSP ID)').fill(mspOf('pharmacy'));
  await page.getByLabel('To location (GLN)').fill(glnOf('pharmacy'));
  await page
    .getByLabel('Packs and cases: scan or type one code per line')
    .fill(`${elementString(inTransit)}\n`);
  // The summary under the field, not the "1 pack" of earlier shipments listed on the same page.
  await page.locator('#ship-summary').getByText('1 pack', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Create shipment' }).click();
  await page.getByText(/Shipment .* created: 1 pack in transit to PharmacyMSP/).waitFor();
  const outgoing = page.locator('table[data-direction="outgoing"] tbody tr');
  await outgoing.first().waitFor();
  expect(await outgoing.first().textContent()).toContain('IN TRANSIT');
  await screenshot(page, 'shipments-outgoing');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, 'pharmacy');
  const row = page
    .locator('table[data-direction="incoming"] tbody tr', { hasText: 'DistributorMSP' })
    .first();
  await row.waitFor();
  await screenshot(page, 'shipments-incoming');
  await row.getByRole('button', { name: 'Receive', exact: true }).click();
  await page.getByText(/is now RECEIVED/).waitFor();

  const unit = await call<{ custodian: { msp: string } }>(
    'pharmacy',
    'GET',
    `/v1/units/${inTransit.gtin}/${inTransit.serial}`,
  );
  expect(unit.custodian.msp).toBe(mspOf('pharmacy'));
});

test('a regulator opens a pack’s custody timeline with transaction IDs and block numbers, and recalls its batch', async () => {
  const { page } = session;
  const { atPharmacy } = await supply();
  const { events } = await call<{ events: { txId: string; blockNumber: number | null }[] }>(
    'regulator',
    'GET',
    `/v1/units/${atPharmacy.gtin}/${atPharmacy.serial}/history`,
  );
  await openSignedIn(page, '/regulator.html', 'regulator');
  await page
    .getByLabel('Code, “GTIN SERIAL”, or “GTIN LOT” for a batch')
    .fill(`${atPharmacy.gtin} ${atPharmacy.serial}`);
  await page.getByRole('button', { name: 'Look up' }).click();
  await page.locator('#unit-view .timeline').waitFor();
  const txIds = await page.locator('#timeline code.txid').allTextContents();
  expect(txIds).toEqual(events.map((e) => e.txId));
  const blocks = await page.locator('#timeline code.block').allTextContents();
  expect(blocks).toEqual(events.map((e) => String(e.blockNumber ?? '—')));
  expect(blocks.some((b) => /^\d+$/.test(b))).toBe(true);
  // The alert feed loads (the already-dispensed scan above raised one) and the live stream connects.
  await page.locator('#alerts li').first().waitFor();
  await page.getByText('Live feed: on').waitFor();
  await screenshot(page, 'regulator-timeline');

  await page.getByRole('button', { name: 'Show batch' }).click();
  await page.locator('#batch-view').waitFor();
  expect(await page.locator('#batch-status').textContent()).toBe('RELEASED');

  // Recall from the page: the batch turns RECALLED and the live feed (SSE read with the API key) shows it.
  page.on('dialog', (dialog) => void dialog.accept());
  await page.getByLabel('Reason (recorded on the ledger)').fill('falsified packs found in the market');
  await page.getByRole('button', { name: 'Recall batch' }).click();
  await page.locator('#status-message', { hasText: 'is now RECALLED' }).waitFor();
  expect(await page.locator('#batch-status').textContent()).toBe('RECALLED');
  await page.locator('#status-events li.new', { hasText: `lot ${atPharmacy.lot}` }).waitFor();
  await screenshot(page, 'regulator-batch');
});

test('a regulator looks up a pack and its batch from a printed code whose lot and serial contain “(”', async () => {
  const { page } = session;
  // "(" is in the GS1 character set; in the printed form only "(digits)" starts the next AI.
  const [pack] = await commission([`${uniqueSerial().slice(0, 14)}(1`], uniqueLot('A(B'));
  const printed = elementString(pack);
  await openSignedIn(page, '/regulator.html', 'regulator');
  const lookup = page.getByLabel('Code, “GTIN SERIAL”, or “GTIN LOT” for a batch');

  await lookup.fill(printed);
  const unitRequest = page.waitForRequest((r) => new URL(r.url()).pathname.startsWith('/v1/units/'));
  await page.getByRole('button', { name: 'Look up' }).click();
  expect(decodeURIComponent(new URL((await unitRequest).url()).pathname)).toBe(
    `/v1/units/${pack.gtin}/${pack.serial}`,
  );
  await page.locator('#unit-view .timeline').waitFor();
  expect(await page.locator('#unit-facts code').allTextContents()).toEqual([pack.gtin, pack.serial]);

  await page.getByLabel('A batch (GTIN and lot)').check();
  await lookup.fill(printed);
  const batchRequest = page.waitForRequest((r) => new URL(r.url()).pathname.startsWith('/v1/batches/'));
  await page.getByRole('button', { name: 'Look up' }).click();
  expect(decodeURIComponent(new URL((await batchRequest).url()).pathname)).toBe(
    `/v1/batches/${pack.gtin}/${pack.lot}`,
  );
  await page.locator('#batch-view').waitFor();
  expect(await page.locator('#batch-facts').textContent()).toContain(`Lot${pack.lot}`);
});

test('the API docs (Swagger UI) and the resolver’s verdict page work under the Content-Security-Policy', async () => {
  const { page } = session;
  const docs = await page.goto(`${gatewayUrl}/docs`);
  expect(docs?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  await page.getByText('DrugTrace API').first().waitFor();
  await page.locator('.opblock-summary-path', { hasText: '/v1/verify/image' }).first().waitFor();
  await screenshot(page, 'docs');

  // A code never issued: the patient's page says so, in the verdict colours its inline stylesheet sets.
  await page.goto(`${gatewayUrl}/01/${uniqueGtin()}/10/A1/21/${uniqueSerial()}?17=280630`);
  const verdict = page.locator('.verdict');
  await expect(verdict.textContent()).resolves.toBe('Warning — likely counterfeit');
  await expect(verdict.evaluate((el) => getComputedStyle(el).backgroundColor)).resolves.toBe(
    'rgb(164, 22, 26)',
  );
  await screenshot(page, 'resolver-counterfeit');
});
