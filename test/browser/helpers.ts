import { gs1CheckDigit } from '@drugtrace/chaincode/domain';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, BrowserContextOptions, chromium, Locator, Page } from 'playwright-core';
import { artifactsDir, gatewayUrl, readApiKeys, readNetwork } from '../support/paths';

export const screenshotsDir = join(artifactsDir, 'screenshots');

export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  mkdirSync(screenshotsDir, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', ...extraArgs],
  });
}

export type Org = 'manufacturer' | 'distributor' | 'pharmacy' | 'regulator';

/** A fresh GTIN with a valid check digit, unique per run (GS1 prefix 950 is reserved for demos). */
export function uniqueGtin(): string {
  const body = `0950${String(Date.now()).slice(-6)}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
  return body + String(gs1CheckDigit(body));
}

export const uniqueLot = (prefix = 'B'): string =>
  `${prefix}${Date.now().toString(36).toUpperCase().slice(-6)}`;
export const uniqueSerial = (): string =>
  `BR${Date.now().toString(36).toUpperCase()}${Math.random().toString(36).slice(2, 6).toUpperCase()}`;

/** The organisation's user location (GLN), as `network.sh up` wrote it. */
export function glnOf(org: Org): string {
  return readNetwork().orgs[org].users.user1.gln;
}

export function mspOf(org: Org): string {
  return readNetwork().orgs[org].mspId;
}

/** Calls the REST API as one organisation; throws with the problem body on a non-2xx answer. */
export async function call<T = Record<string, unknown>>(
  org: Org,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${gatewayUrl}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${readApiKeys()[org]}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text}`);
  return (text ? JSON.parse(text) : {}) as T;
}

/** A binary answer (a label image) as one organisation. */
export async function fetchBytes(org: Org, path: string): Promise<Buffer> {
  const response = await fetch(`${gatewayUrl}${path}`, {
    headers: { Authorization: `Bearer ${readApiKeys()[org]}` },
  });
  if (!response.ok) throw new Error(`GET ${path} → ${response.status} ${await response.text()}`);
  return Buffer.from(await response.arrayBuffer());
}

export interface Pack {
  gtin: string;
  lot: string;
  expiry: string; // YYYY-MM-DD
  serial: string;
}

export const yymmdd = (iso: string): string => iso.slice(2).replace(/-/g, '');
export const elementString = (p: Pack): string =>
  `(01)${p.gtin}(17)${yymmdd(p.expiry)}(10)${p.lot}(21)${p.serial}`;
/** What a USB scanner types for a GS1 DataMatrix: symbology identifier, FNC1 as ASCII 29. */
export const rawScan = (p: Pack): string =>
  `]d201${p.gtin}17${yymmdd(p.expiry)}10${p.lot}\u001d21${p.serial}`;

/** Registers a product and commissions a batch with the given serials, as the manufacturer. */
export async function commission(serials: string[], lot = uniqueLot()): Promise<Pack[]> {
  const gtin = uniqueGtin();
  const expiry = '2029-06-30';
  await call('manufacturer', 'POST', '/v1/products', {
    gtin,
    name: 'Browsertestamol 250 mg tablets',
    genericName: 'browsertestamol',
    strength: '250 mg',
    dosageForm: 'tablet',
    marketingAuthorization: 'BT-0001',
  });
  await call('manufacturer', 'POST', '/v1/batches', {
    gtin,
    lot,
    expiry,
    manufacturedOn: '2026-01-15',
    serials,
  });
  return serials.map((serial) => ({ gtin, lot, expiry, serial }));
}

/** Moves packs from one organisation to another; `receive` false leaves the shipment in transit. */
export async function ship(from: Org, to: Org, packs: Pack[], receive = true): Promise<string> {
  const shipment = await call<{ id: string }>(from, 'POST', '/v1/shipments', {
    to: mspOf(to),
    toGln: glnOf(to),
    units: packs.map((p) => ({ gtin: p.gtin, serial: p.serial })),
  });
  if (receive) await call(to, 'POST', `/v1/shipments/${shipment.id}/receive`);
  return shipment.id;
}

/** Opens a page of the app and signs in with the organisation's demo key through the header form. */
export async function openSignedIn(page: Page, path: string, org: Org): Promise<void> {
  await page.goto(`${gatewayUrl}${path}`);
  await signIn(page, org);
}

/** Signs in through the header form of the page already open, with the organisation's demo key or `key`. */
export async function signIn(page: Page, org: Org, key = readApiKeys()[org]): Promise<void> {
  await page.getByLabel('API key', { exact: true }).fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  // The header names who the key signs as (GET /v1/me), so a wrong key is seen at once.
  await page.locator('.signed-in').getByText(mspOf(org), { exact: true }).waitFor();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(screenshotsDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** A screenshot of one part of the page (a chart and what goes with it), to look at closely. */
export async function screenshotOf(locator: Locator, name: string): Promise<string> {
  const path = join(screenshotsDir, `${name}.png`);
  await locator.screenshot({ path });
  return path;
}

/**
 * Fails the test on any uncaught script error in the page, and on anything the gateway's
 * Content-Security-Policy blocked (Chromium reports each refusal on the console).
 */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) errors.push(message.text());
  });
  return errors;
}

/**
 * Latin words in the page's own words (data is left out: codes, transaction IDs, the facts of a pack, what a
 * user typed) that are not names or GS1 terms: English left outside the catalogues.
 */
const ALLOWED =
  /^(DrugTrace|GTIN|GLN|SSCC|GS1|USB|API|DataMatrix|https|localhost|GS|English|MSP|ID|KB|[A-Z][a-z]+MSP)$/;
export async function untranslated(page: Page, moreData = ''): Promise<string[]> {
  const text = await page.evaluate((more) => {
    const body = document.body.cloneNode(true) as HTMLElement;
    const data = `code, dd, datalist, .tx, .signed-in strong, #recall-notice strong${more ? `, ${more}` : ''}`;
    body.querySelectorAll(data).forEach((el) => el.remove());
    return body.textContent ?? '';
  }, moreData);
  return (text.match(/[A-Za-z]{3,}/g) ?? []).filter((w) => !ALLOWED.test(w) && !/^[A-Z0-9]+$/.test(w));
}

/** The two windows pages are tested in: a phone's and a desktop's. */
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };

/** The desktop window the scan and label pages are tested in, keeping what the page offers to download. */
export const DESKTOP_WITH_DOWNLOADS: BrowserContextOptions = {
  viewport: DESKTOP,
  acceptDownloads: true,
};

/** One Chromium for a test file; the page, context and error list of the test running now. */
export interface BrowserSession {
  readonly browser: Browser;
  /** The context `open` made last in this test. */
  readonly context: BrowserContext;
  /** The page `open` made last in this test. */
  readonly page: Page;
  /**
   * A new context and page with these options, its script errors and CSP refusals watched. A test may open
   * several (a phone and a desktop, two organisations side by side); all of them stay open until it ends.
   */
  open(options: BrowserContextOptions): Promise<Page>;
}

/**
 * Registers the hooks every browser test file shares: Chromium launched before the file and closed after
 * it; with `eachTest`, a fresh context and page before every test; after every test every context it opened
 * closed and the test failed on any error `watchErrors` saw in one of their pages.
 */
export function useBrowser(eachTest?: BrowserContextOptions): BrowserSession {
  let browser: Browser | undefined;
  let opened: { context: BrowserContext; page: Page; errors: string[] }[] = [];
  const latest = () => opened[opened.length - 1];
  const session: BrowserSession = {
    get browser() {
      if (!browser) throw new Error('the browser is launched in beforeAll');
      return browser;
    },
    get context() {
      const last = latest();
      if (!last) throw new Error('no browser context open in this test');
      return last.context;
    },
    get page() {
      const last = latest();
      if (!last) throw new Error('no page open in this test');
      return last.page;
    },
    async open(options) {
      const context = await session.browser.newContext(options);
      const page = await context.newPage();
      opened.push({ context, page, errors: watchErrors(page) });
      return page;
    },
  };
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  if (eachTest) {
    beforeEach(async () => {
      await session.open(eachTest);
    });
  }
  afterEach(async () => {
    const closing = opened;
    opened = [];
    await Promise.all(closing.map((o) => o.context.close()));
    expect(closing.flatMap((o) => o.errors)).toEqual([]);
  });
  return session;
}
