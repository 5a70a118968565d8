/**
 * The ledger rules a red-team report broke, through the real gateway and network: each abuse that used to
 * succeed is refused now, and what it would have changed is checked unchanged.
 */
import { Alert } from '@drugtrace/chaincode/api';
import { connectAs, json, regulatorKey } from '../support/fabric';
import { api } from '../support/http';
import { newSerial, newSscc, newSsccUnder } from '../support/ids';
import { gatewayUrl } from '../support/paths';
import { pngLabel, uploadPhoto } from './label-images';
import {
  Batch,
  commissionBatch,
  elementString,
  expectProblem,
  expectStatus,
  glnOf,
  moveUnits,
  mspOf,
  seenBy,
} from './supply-chain';

/** The gateway's default SCAN_RECORD_RATE_LIMIT: ledger writes one API key's scans may cause a minute. */
const SCAN_RECORD_BUDGET = 60;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function alerts(): Promise<Alert[]> {
  const res = await api<{ alerts: Alert[] }>('GET', '/v1/audit/alerts?limit=1000', { as: 'regulator' });
  expectStatus(res, 200);
  return res.body.alerts;
}

/** Polls `probe` until it answers, or fails after the timeout. */
async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

/**
 * The regulator's alerts once everything recorded before now has committed: a counterfeit scan (always an
 * alert) is recorded last, and the feed is read once it shows.
 */
async function alertsAfterEarlierWrites(marker: Batch): Promise<Alert[]> {
  const fake = newSerial();
  const scan = await api('POST', '/v1/verify', {
    as: 'distributor',
    body: { code: elementString(marker, fake) },
  });
  expect(scan.body).toMatchObject({ verdict: 'COUNTERFEIT' });
  await until('the marker alert', async () =>
    (await alerts()).some((a) => a.serial === fake) ? true : undefined,
  );
  return alerts();
}

/** The gateway's drugtrace_scan_records_total counters (GET /metrics, loopback only). */
async function scanRecordCounts(): Promise<{ queued: number; rateLimited: number }> {
  const text = await (await fetch(`${gatewayUrl}/metrics`)).text();
  const count = (outcome: string) =>
    Number(
      new RegExp(`^drugtrace_scan_records_total\\{outcome="${outcome}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0,
    );
  return { queued: count('queued'), rateLimited: count('rate_limited') };
}

describe('finding 4: a quarantine or recall the regulator ordered is the regulator’s to lift', () => {
  it('403 for the manufacturer releasing or recalling it, held until the regulator releases; its own quarantine it lifts', async () => {
    const b = await commissionBatch(1);
    const path = `/v1/batches/${b.gtin}/${b.lot}`;
    expectStatus(
      await api('POST', `${path}/quarantine`, { as: 'regulator', body: { reason: 'inspection' } }),
      200,
    );
    for (const action of ['release', 'recall']) {
      const res = await api('POST', `${path}/${action}`, {
        as: 'manufacturer',
        body: { reason: 'we disagree' },
      });
      expectProblem(res, 403, 'FORBIDDEN');
      expect(res.body.detail).toBe(
        `batch ${b.gtin}/${b.lot} was QUARANTINED by the regulator; only the regulator may change its status`,
      );
    }
    const held = await api('GET', path, { as: 'manufacturer' });
    expect(held.body).toMatchObject({
      status: 'QUARANTINED',
      statusBy: mspOf('regulator'),
      statusReason: 'inspection',
    });
    const scan = await api('POST', '/v1/verify', {
      as: 'manufacturer',
      body: { code: elementString(b, b.serials[0]) },
    });
    expect(scan.body.reasons).toContain('QUARANTINED');

    const release = await api('POST', `${path}/release`, { as: 'regulator', body: { reason: 'cleared' } });
    expectStatus(release, 200);
    expect(release.body.status).toBe('RELEASED');

    // Its own quarantine, the manufacturer lifts itself.
    expectStatus(
      await api('POST', `${path}/quarantine`, { as: 'manufacturer', body: { reason: 'check' } }),
      200,
    );
    const own = await api('POST', `${path}/release`, { as: 'manufacturer', body: { reason: 'checked' } });
    expectStatus(own, 200);
    expect(own.body).toMatchObject({ status: 'RELEASED', statusBy: mspOf('manufacturer') });
  });
});

describe('finding 5: alerts rest on the chaincode’s own evidence, once per place and hour, within a budget', () => {
  let marker: Batch;
  beforeAll(async () => {
    marker = await commissionBatch(1);
  });

  it('a member cannot submit an alert with reasons of its choosing; its scans carry the chaincode’s verdict', async () => {
    const b = await commissionBatch(2); // at the manufacturer: the pharmacy never held these packs
    const [forged, scanned] = b.serials;
    const pharmacy = connectAs('pharmacy');
    try {
      await expect(
        pharmacy
          .contract('audit')
          .submitTransaction(
            'RaiseAlert',
            b.gtin,
            forged,
            JSON.stringify(['STOLEN', 'RECALLED', 'CLONE_SUSPECTED']),
            glnOf('pharmacy'),
          ),
      ).rejects.toThrow();
    } finally {
      pharmacy.close();
    }
    const scan = await api('POST', '/v1/verify', {
      as: 'pharmacy',
      body: { code: elementString(b, scanned) },
    });
    expect(scan.body).toMatchObject({ verdict: 'SUSPECT', reasons: ['NOT_IN_CUSTODY'] });

    const all = await alertsAfterEarlierWrites(marker);
    expect(all.filter((a) => a.serial === forged)).toEqual([]);
    expect(all.filter((a) => a.serial === scanned)).toEqual([
      expect.objectContaining({
        gtin: b.gtin,
        reasons: ['NOT_IN_CUSTODY'],
        org: mspOf('pharmacy'),
        count: 1,
      }),
    ]);
  });

  it('80 scans of one unknown code are one alert with a count; scans past the API key’s budget are not recorded', async () => {
    const serial = newSerial();
    const code = elementString(marker, serial);
    const before = await scanRecordCounts();
    const started = Date.now();
    for (let round = 0; round < 8; round++) {
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => api('POST', '/v1/verify', { as: 'regulator', body: { code } })),
      );
      for (const res of answers)
        expect(res.body).toMatchObject({ verdict: 'COUNTERFEIT', reasons: ['UNKNOWN_SERIAL'] });
    }
    const seconds = (Date.now() - started) / 1000;
    const after = await scanRecordCounts();
    const queued = after.queued - before.queued;
    const refused = after.rateLimited - before.rateLimited;

    // Every queued record commits (one at a time: they count on the same alert); the feed then shows them.
    const mine = await until(
      `${queued} occurrences of the alert`,
      async () => {
        const found = (await alerts()).filter((a) => a.serial === serial);
        return found.reduce((n, a) => n + (a.count ?? 1), 0) >= Math.max(queued, 1) ? found : undefined;
      },
      120_000,
    );
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ reasons: ['UNKNOWN_SERIAL'], org: mspOf('regulator'), count: queued });
    expect(mine[0].lastSeen > mine[0].at).toBe(true);

    // The budget: a token bucket of SCAN_RECORD_BUDGET a minute, refilled while the scans ran.
    expect(queued + refused).toBe(80);
    expect(queued).toBeLessThanOrEqual(SCAN_RECORD_BUDGET + Math.ceil(seconds) + 1);
    expect(refused).toBeGreaterThan(0);

    // The feed is still newest first (by first occurrence).
    const times = (await alerts()).map((a) => a.at);
    expect([...times].sort().reverse()).toEqual(times);
  });
});

describe('finding 6: an SSCC is its owner’s to pack', () => {
  let b: Batch;
  let makerPrefix: string;
  const unit = (serial: string) => ({ gtin: b.gtin, serial });

  beforeAll(async () => {
    b = await commissionBatch(4);
    await moveUnits(b, b.serials.slice(2), 'manufacturer', 'distributor');
    const regulator = connectAs(regulatorKey());
    try {
      const org = json<{ companyPrefixes?: string[] }>(
        await regulator.contract('registry').evaluateTransaction('Get', mspOf('manufacturer')),
      );
      makerPrefix = (org.companyPrefixes ?? [])[0];
    } finally {
      regulator.close();
    }
    expect(makerPrefix).toMatch(/^\d{4,12}$/);
  });

  /** Packs one of the manufacturer's packs into `sscc`, then unpacks it, at the manufacturer. */
  async function packedAndUnpackedByManufacturer(sscc: string, serial: string): Promise<void> {
    expectStatus(
      await api('POST', '/v1/containers', { as: 'manufacturer', body: { sscc, contents: [unit(serial)] } }),
      201,
    );
    // The case's key needs the regulator's endorsement too: its peer must have the case first.
    await seenBy('regulator', `/v1/containers/${sscc}`, (res) => res.status === 200);
    expectStatus(await api('DELETE', `/v1/containers/${sscc}`, { as: 'manufacturer' }), 200);
    await seenBy('distributor', `/v1/containers/${sscc}`, (res) => res.body?.packed === false);
  }

  it('403 for another company packing an SSCC under the manufacturer’s prefix once unpacked; custody stays', async () => {
    const sscc = newSsccUnder(makerPrefix);
    await packedAndUnpackedByManufacturer(sscc, b.serials[0]);
    const res = await api('POST', '/v1/containers', {
      as: 'distributor',
      body: { sscc, contents: [unit(b.serials[2])] },
    });
    expectProblem(res, 403, 'FORBIDDEN');
    expect(res.body.detail).toBe(
      `SSCC ${sscc} carries the GS1 company prefix of ${mspOf('manufacturer')}; only ${mspOf('manufacturer')} may pack it`,
    );
    const container = await api('GET', `/v1/containers/${sscc}`, { as: 'regulator' });
    expect(container.body).toMatchObject({
      packed: false,
      custodian: { msp: mspOf('manufacturer') },
      contents: [],
    });
    const pack = await api('GET', `/v1/units/${b.gtin}/${b.serials[2]}`, { as: 'distributor' });
    expect(pack.body.parent).toBeUndefined();
  });

  it('403 for a fresh SSCC under another company’s prefix; nothing is created', async () => {
    const sscc = newSsccUnder(makerPrefix);
    const res = await api('POST', '/v1/containers', {
      as: 'distributor',
      body: { sscc, contents: [unit(b.serials[3])] },
    });
    expectProblem(res, 403, 'FORBIDDEN');
    expectProblem(await api('GET', `/v1/containers/${sscc}`, { as: 'regulator' }), 404, 'NOT_FOUND');
  });

  it('an SSCC under no known prefix is its first packer’s: 403 for another company, 201 for the owner again', async () => {
    const sscc = newSscc();
    await packedAndUnpackedByManufacturer(sscc, b.serials[0]);
    const res = await api('POST', '/v1/containers', {
      as: 'distributor',
      body: { sscc, contents: [unit(b.serials[2])] },
    });
    expectProblem(res, 403, 'FORBIDDEN');
    expect(res.body.detail).toMatch(/belongs to ManufacturerMSP, which packed it first/);
    const again = await api('POST', '/v1/containers', {
      as: 'manufacturer',
      body: { sscc, contents: [unit(b.serials[1])] },
    });
    expectStatus(again, 201);
    expect(again.body).toMatchObject({
      packed: true,
      custodian: { msp: mspOf('manufacturer') },
      owner: mspOf('manufacturer'),
    });
  });
});

describe('finding 8: a lot that looks like an element string, L(21)Z', () => {
  let b: Batch;
  beforeAll(async () => {
    b = await commissionBatch(1, '2028-06-30', { lot: 'L(21)Z' });
  });

  it('its DataMatrix and QR PNG labels render and decode back to that lot', async () => {
    const serial = b.serials[0];
    for (const symbology of ['datamatrix', 'qr'] as const) {
      const res = await uploadPhoto(await pngLabel(b, serial, symbology), 'manufacturer');
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        verdict: 'GENUINE',
        reasons: [],
        code: { gtin: b.gtin, lot: 'L(21)Z', expiry: b.expiry, serial },
      });
      expect(res.body.scanned).toContain(
        symbology === 'datamatrix' ? `10L(21)Z\u001d21${serial}` : `/10/L(21)Z/21/${serial}`,
      );
    }
  });
});
