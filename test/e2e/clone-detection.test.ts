/**
 * Clone detection through the real gateway and network: one serial scanned by two organisations within the
 * window is a cloned code. The chaincode finds it from the sightings scans leave on the ledger, and records a
 * CLONE_SUSPECTED alert at the place whose scan made it a clone, naming the other sighting; the same place
 * scanning a pack again is not. The alert is committed behind the scan (the gateway's queue), so the test
 * reads the regulator's feed until a marker alert, raised after the scans under test, has arrived.
 */
import { api, Role } from '../support/http';
import { newSerial } from '../support/ids';
import {
  Batch,
  batchAtPharmacy,
  commissionBatch,
  elementString,
  expectStatus,
  glnOf,
  mspOf,
} from './supply-chain';

interface Alert {
  gtin: string;
  serial: string;
  reasons: string[];
  org: string;
  gln?: string;
  at: string;
  txId: string;
  count: number;
  sightings?: { msp: string; gln: string; at: string }[];
}

const CLONE = 'CLONE_SUSPECTED';

async function scan(b: Batch, serial: string, as: Role): Promise<{ verdict: string; reasons: string[] }> {
  const res = await api<{ verdict: string; reasons: string[] }>('POST', '/v1/verify', {
    as,
    body: { code: elementString(b, serial) },
  });
  expectStatus(res, 200);
  return res.body;
}

async function alerts(): Promise<Alert[]> {
  const res = await api<{ alerts: Alert[] }>('GET', '/v1/audit/alerts?limit=1000', { as: 'regulator' });
  expectStatus(res, 200);
  return res.body.alerts;
}

/**
 * The regulator's alerts once every alert queued before now has had its chance: a counterfeit scan (always an
 * alert) is queued last, and the feed is read until it shows, then once more after a few blocks' time.
 */
async function alertsAfterEarlierScans(): Promise<Alert[]> {
  const marker = await commissionBatch(1);
  const fake = newSerial();
  expect(await scan(marker, fake, 'distributor')).toMatchObject({ verdict: 'COUNTERFEIT' });
  const deadline = Date.now() + 30_000;
  while (!(await alerts()).some((a) => a.serial === fake)) {
    if (Date.now() > deadline) throw new Error(`the marker alert for ${marker.gtin}/${fake} never arrived`);
    await new Promise((r) => setTimeout(r, 250));
  }
  await new Promise((r) => setTimeout(r, 3_000));
  return alerts();
}

const cloneAlertsFor = (all: Alert[], b: Batch, serial: string): Alert[] =>
  all.filter((a) => a.gtin === b.gtin && a.serial === serial && a.reasons.includes(CLONE));

describe('clone detection: POST /v1/verify → GET /v1/audit/alerts', () => {
  let b: Batch;

  beforeAll(async () => {
    b = await batchAtPharmacy(2);
  });

  it('a genuine pack scanned at the pharmacy, then at the distributor, is one CLONE_SUSPECTED alert', async () => {
    const serial = b.serials[0];
    // Each scan on its own is genuine: the pack is in the pharmacy's custody and the distributor is no pharmacy.
    expect(await scan(b, serial, 'pharmacy')).toEqual(
      expect.objectContaining({ verdict: 'GENUINE', reasons: [] }),
    );
    // The pharmacy's sighting must be on the ledger before the distributor's scan is checked against it.
    await alertsAfterEarlierScans();
    expect(await scan(b, serial, 'distributor')).toEqual(
      expect.objectContaining({ verdict: 'GENUINE', reasons: [] }),
    );

    const first = cloneAlertsFor(await alertsAfterEarlierScans(), b, serial);
    expect(first).toEqual([
      expect.objectContaining({
        gtin: b.gtin,
        serial,
        reasons: [CLONE],
        // Raised by the scan that made the serial suspect: the second place, naming the first.
        org: mspOf('distributor'),
        gln: glnOf('distributor'),
        txId: expect.stringMatching(/^[0-9a-f]{64}$/),
        count: 1,
        sightings: [expect.objectContaining({ msp: mspOf('pharmacy'), gln: glnOf('pharmacy') })],
      }),
    ]);

    // Scanned again at both places within the window: the ledger already has both sightings, still one alert.
    await scan(b, serial, 'distributor');
    await scan(b, serial, 'pharmacy');
    const again = cloneAlertsFor(await alertsAfterEarlierScans(), b, serial);
    expect(again.map((a) => [a.txId, a.count])).toEqual([[first[0].txId, 1]]);

    // A third organisation finding the same serial is one more place the clone turned up: its own alert.
    await scan(b, serial, 'manufacturer');
    const third = cloneAlertsFor(await alertsAfterEarlierScans(), b, serial).filter(
      (a) => a.org === mspOf('manufacturer'),
    );
    expect(third).toHaveLength(1);
    expect(third[0].sightings?.map((s) => s.msp).sort()).toEqual(
      [mspOf('distributor'), mspOf('pharmacy')].sort(),
    );
  });

  it('a pack scanned twice at the same place raises no alert at all', async () => {
    const serial = b.serials[1];
    for (let i = 0; i < 3; i++) {
      expect(await scan(b, serial, 'pharmacy')).toEqual(
        expect.objectContaining({ verdict: 'GENUINE', reasons: [] }),
      );
    }
    const all = await alertsAfterEarlierScans();
    expect(all.filter((a) => a.gtin === b.gtin && a.serial === serial)).toEqual([]);
  });
});
