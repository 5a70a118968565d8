/**
 * Charts in a real headless Chromium (Chart.js served from the gateway's own /vendor): the regulator's dashboard
 * (scans and alerts per day, top alerting places), a batch's whereabouts as a chart and a table, a pack's journey
 * with its block numbers; the manufacturer's batches with counts by state and a recall's progress; the
 * manufacturer and regulator pages in Simplified Chinese with no word outside the catalogues. Each chart's
 * figures are read back from the chart itself and compared with the API's. Screenshots at phone (390 px) and
 * desktop widths.
 */
import { Page } from 'playwright-core';
import { gatewayUrl, readApiKeys } from '../support/paths';
import {
  call,
  commission,
  elementString,
  mspOf,
  openSignedIn,
  Pack,
  screenshot,
  screenshotOf,
  ship,
  uniqueSerial,
  untranslated,
  useBrowser,
  PHONE,
  DESKTOP,
} from './helpers';

jest.setTimeout(240_000);

const session = useBrowser();

const VIEWPORTS = [
  ['phone', PHONE],
  ['desktop', DESKTOP],
] as const;

/** A page in a new context of its own; every one a test opens is closed when it ends (useBrowser). */
const open = (viewport: { width: number; height: number }, locale = 'en-GB'): Promise<Page> =>
  session.open({ locale, viewport });

/** What a chart drawn in `#id` holds: its labels and each dataset's label and figures (Chart.getChart). */
function chartData(
  page: Page,
  id: string,
): Promise<{ labels: string[]; datasets: { label: string; data: unknown[] }[] }> {
  return page.evaluate((containerId) => {
    const canvas = document.querySelector(`#${containerId} canvas`);
    const chart = (window as unknown as { Chart: { getChart(c: unknown): any } }).Chart.getChart(canvas); // eslint-disable-line @typescript-eslint/no-explicit-any
    if (!chart) throw new Error(`no chart in #${containerId}`);
    return {
      labels: chart.data.labels ?? [],
      datasets: chart.data.datasets.map((d: { label: string; data: unknown[] }) => ({
        label: d.label,
        data: d.data,
      })),
    };
  }, id);
}

interface Box {
  text: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** The block labels the journey chart in `#id` drew, each with the box it took (charts.js keeps them). */
function blockLabelsOf(page: Page, id: string): Promise<Box[]> {
  return page.evaluate((containerId) => {
    const canvas = document.querySelector(`#${containerId} canvas`);
    const chart = (window as unknown as { Chart: { getChart(c: unknown): any } }).Chart.getChart(canvas); // eslint-disable-line @typescript-eslint/no-explicit-any
    return chart.$blockLabels;
  }, id);
}

const overlap = (a: Box, b: Box): boolean =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** Whether the chart's canvas has anything drawn on it (not a blank box). */
function drawn(page: Page, id: string): Promise<boolean> {
  return page.evaluate((containerId) => {
    const canvas = document.querySelector(`#${containerId} canvas`) as HTMLCanvasElement;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
    return false;
  }, id);
}

/** A batch of 4: 1 stays at the manufacturer, 1 in transit to the distributor, 2 at the pharmacy, 1 dispensed. */
async function spreadBatch(): Promise<Pack[]> {
  const packs = await commission([uniqueSerial(), uniqueSerial(), uniqueSerial(), uniqueSerial()]);
  await ship('manufacturer', 'distributor', packs.slice(0, 2));
  await ship('distributor', 'pharmacy', packs.slice(0, 2));
  await ship('manufacturer', 'distributor', packs.slice(2, 3), false);
  await call('pharmacy', 'POST', `/v1/units/${packs[0].gtin}/${packs[0].serial}/dispense`);
  return packs;
}

describe('the regulator page', () => {
  let packs: Pack[];
  beforeAll(async () => {
    packs = await spreadBatch();
    // A counterfeit scan at the pharmacy: an alert today, once its record reaches the read model.
    const fake = uniqueSerial();
    await call('pharmacy', 'POST', '/v1/verify', { code: elementString({ ...packs[1], serial: fake }) });
    for (let i = 0; i < 60; i++) {
      const { alerts } = await call<{ alerts: { serial: string }[] }>(
        'regulator',
        'GET',
        '/v1/audit/alerts?limit=50',
      );
      if (alerts.some((a) => a.serial === fake)) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  });

  test('the dashboard draws scans and alerts per day and the top alerting places, with the API’s figures', async () => {
    for (const [name, viewport] of VIEWPORTS) {
      const page = await open(viewport);
      await openSignedIn(page, '/regulator.html', 'regulator');
      await page.locator('#places-rows').waitFor();
      const stats = await call<{
        days: { day: string; scans: Record<string, number>; alerts: Record<string, number> }[];
        topLocations: { msp: string; alerts: number }[];
      }>('regulator', 'GET', '/v1/audit/stats?days=14');
      const scans = await chartData(page, 'scans-chart');
      expect(scans.labels).toHaveLength(14);
      expect(scans.datasets.map((d) => d.label)).toEqual(['GENUINE', 'SUSPECT', 'COUNTERFEIT']);
      // Other suites may scan meanwhile: today's counterfeit bar is at least 1 and at most the API's later answer.
      const counterfeitToday = scans.datasets[2].data[13] as number;
      expect(counterfeitToday).toBeGreaterThanOrEqual(1);
      expect(counterfeitToday).toBeLessThanOrEqual(stats.days[13].scans.COUNTERFEIT ?? 0);
      const alerts = await chartData(page, 'alerts-chart');
      expect(alerts.datasets.map((d) => d.label)).toContain('Unknown serial');
      const places = await chartData(page, 'places-chart');
      expect(places.labels.length).toBe(stats.topLocations.length);
      expect(places.labels.some((l) => l[0] === 'High Street Pharmacy')).toBe(true);
      for (const id of ['scans-chart', 'alerts-chart', 'places-chart'])
        expect(await drawn(page, id)).toBe(true);
      expect(await page.locator('#days-rows tbody tr').count()).toBe(14);
      await screenshot(page, `chart-regulator-dashboard-${name}`);
      await screenshotOf(page.locator('#dashboard'), `chart-regulator-dashboard-${name}-detail`);
    }
  });

  test('a batch’s whereabouts as a chart and a table, and a pack’s journey with block numbers', async () => {
    const where = await call<{
      holders: { name: string; gln: string; active: number; inTransit: number; dispensed: number }[];
    }>('regulator', 'GET', `/v1/audit/batches/${packs[0].gtin}/${packs[0].lot}/whereabouts`);
    const { events } = await call<{ events: { blockNumber: number | null }[] }>(
      'regulator',
      'GET',
      `/v1/units/${packs[0].gtin}/${packs[0].serial}/history`,
    );
    for (const [name, viewport] of VIEWPORTS) {
      const page = await open(viewport);
      await openSignedIn(page, '/regulator.html', 'regulator');
      const lookup = page.getByLabel('Code, “GTIN SERIAL”, or “GTIN LOT” for a batch');
      await page.getByLabel('A batch (GTIN and lot)').check();
      await lookup.fill(`${packs[0].gtin} ${packs[0].lot}`);
      await page.getByRole('button', { name: 'Look up' }).click();
      await page.locator('#where-table-rows').waitFor();
      const chart = await chartData(page, 'where-chart');
      expect(chart.labels).toEqual(where.holders.map((r) => [r.name, r.gln]));
      expect(chart.datasets.slice(0, 3).map((d) => d.data)).toEqual([
        where.holders.map((r) => r.active),
        where.holders.map((r) => r.inTransit),
        where.holders.map((r) => r.dispensed),
      ]);
      expect(await page.locator('#where-table-rows tbody tr').count()).toBe(where.holders.length);
      expect(await drawn(page, 'where-chart')).toBe(true);
      await page.locator('#where-chart').scrollIntoViewIfNeeded();
      await screenshot(page, `chart-regulator-whereabouts-${name}`);
      await screenshotOf(page.locator('#batch-view'), `chart-regulator-whereabouts-${name}-detail`);

      await page.getByLabel('Work it out').check();
      await lookup.fill(elementString(packs[0]));
      await page.getByRole('button', { name: 'Look up' }).click();
      await page.locator('#unit-view .timeline').waitFor();
      const journey = await chartData(page, 'journey');
      const points = journey.datasets[0].data as { block: number | null; y: number }[];
      expect(points.map((p) => p.block)).toEqual(events.map((e) => e.blockNumber));
      // Commissioned at the manufacturer, then the distributor, then the pharmacy: three places, in that order.
      expect(Math.max(...points.map((p) => p.y))).toBe(2);
      // Events seconds apart: their block labels never overlap (one without room is left out, the timeline
      // names it); each names one of the pack's blocks, once, and the first event's is always drawn.
      const labels = await blockLabelsOf(page, 'journey');
      const blocks = events.map((e) => `#${e.blockNumber}`);
      expect(labels[0]?.text).toBe(blocks[0]);
      expect(new Set(labels.map((l) => l.text)).size).toBe(labels.length);
      for (const [i, a] of labels.entries()) {
        expect(blocks).toContain(a.text);
        for (const b of labels.slice(i + 1))
          expect({ a, b, overlap: overlap(a, b) }).toMatchObject({ overlap: false });
      }
      expect(await drawn(page, 'journey')).toBe(true);
      await page.locator('#journey').scrollIntoViewIfNeeded();
      await screenshot(page, `chart-regulator-journey-${name}`);
      await screenshotOf(page.locator('#unit-view'), `chart-regulator-journey-${name}-detail`);
    }
  });

  test('in Simplified Chinese, every word of the page comes from the catalogue', async () => {
    const page = await open(DESKTOP, 'zh-CN');
    await page.goto(`${gatewayUrl}/regulator.html`);
    await page.locator('h1', { hasText: '检查' }).waitFor();
    expect(await untranslated(page)).toEqual([]);
    await page.getByLabel('API 密钥', { exact: true }).fill(readApiKeys().regulator);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('#places-rows').waitFor();
    await page.getByLabel('批次（GTIN 和批号）').check();
    await page.locator('#lookup').fill(`${packs[0].gtin} ${packs[0].lot}`);
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await page.locator('#where-table-rows').waitFor();
    await page.getByText('实时推送：开').waitFor();
    // Organisation names and what people typed are data; so are the alerts' reasons typed by users.
    expect(
      await untranslated(
        page,
        '#where-table td:first-child, #places-table td:first-child, #alerts, #status-events',
      ),
    ).toEqual([]);
    expect(await chartData(page, 'scans-chart').then((c) => c.datasets.map((d) => d.label))).toEqual([
      '正品',
      '可疑',
      '假药',
    ]);
    await screenshot(page, 'chart-zh-regulator-desktop');
  });
});

describe('the manufacturer page', () => {
  test('its batches with counts by state, and a recall’s progress, in Simplified Chinese with no English left', async () => {
    const packs = await spreadBatch();
    for (const [name, viewport] of VIEWPORTS) {
      const page = await open(viewport, 'zh-CN');
      await page.goto(`${gatewayUrl}/manufacturer.html`);
      await page.locator('h1', { hasText: '产品、批次与标签' }).waitFor();
      expect(await untranslated(page)).toEqual([]);
      await page.getByLabel('API 密钥', { exact: true }).fill(readApiKeys().manufacturer);
      await page.getByRole('button', { name: '登录' }).click();
      await page.locator('#batches-rows').waitFor();
      const chart = await chartData(page, 'batches-chart');
      expect(chart.datasets.map((d) => d.label)).toEqual([
        '在售',
        '运输中',
        '已调配',
        '销毁、被盗、样品、出口',
      ]);
      expect(await drawn(page, 'batches-chart')).toBe(true);
      // The table's rows are the chart's bars: the same lots, the same active counts.
      const lots = await page.locator('#batches-rows tbody tr td:first-child').allTextContents();
      expect(lots).toEqual(chart.labels);
      await screenshot(page, `chart-zh-manufacturer-batches-${name}`);
      await screenshotOf(
        page.locator('section[aria-labelledby="batches-heading"]'),
        `chart-zh-manufacturer-batches-${name}-detail`,
      );

      await page.locator('#v-gtin').fill(packs[0].gtin);
      await page.locator('#v-lot').fill(packs[0].lot);
      await page.getByRole('button', { name: '显示批次' }).click();
      await page.locator('#where-table-rows').waitFor();
      if (name === 'phone') {
        page.once('dialog', (dialog) => void dialog.accept());
        await page.getByLabel('原因（记录在账本上）').fill('溶出度检验不合格');
        await page.getByRole('button', { name: '召回批次' }).click();
        await page.locator('#status-message', { hasText: '已召回' }).waitFor();
      }
      await page.locator('#recall-progress-text').waitFor();
      // 4 packs: 1 dispensed is out of circulation; 3 are still held (the manufacturer's in transit, the
      // pharmacy's one, the manufacturer's last).
      await expect(page.locator('#recall-progress-text').textContent()).resolves.toBe(
        '共 4 盒中已有 1 盒退出流通；仍有 3 盒在 2 处。',
      );
      expect(await page.locator('#recall-progress-bar').getAttribute('value')).toBe('1');
      expect(await untranslated(page, '#where-table td:first-child')).toEqual([]);
      await page.locator('#recall-progress').scrollIntoViewIfNeeded();
      await screenshot(page, `chart-zh-manufacturer-recall-${name}`);
      await screenshotOf(page.locator('#batch-view'), `chart-zh-manufacturer-recall-${name}-detail`);
    }
    const batch = await call<{ status: string; statusBy: string }>(
      'manufacturer',
      'GET',
      `/v1/batches/${packs[0].gtin}/${packs[0].lot}`,
    );
    expect(batch).toMatchObject({ status: 'RECALLED', statusBy: mspOf('manufacturer') });
  });
});
