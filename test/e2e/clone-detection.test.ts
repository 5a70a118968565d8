/**
 * Clone detection (SPEC §5) through the real gateway and network: one serial scanned at two places within the
 * gateway's window is a cloned code, recorded once as a CLONE_SUSPECTED alert the regulator sees; the same
 * place scanning a pack again is not. The alert is committed behind the scan (the gateway's alert queue), so
 * the test reads the regulator's feed until a marker alert, raised after the scans under test, has arrived.
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
    expect(await scan(b, serial, 'distributor')).toEqual(
      expect.objectContaining({ verdict: 'GENUINE', reasons: [] }),
    );

    const first = cloneAlertsFor(await alertsAfterEarlierScans(), b, serial);
    expect(first).toEqual([
      expect.objectContaining({
        gtin: b.gtin,
        serial,
        reasons: [CLONE],
        // Raised by the scan that made the serial suspect: the second place.
        org: mspOf('distributor'),
        gln: glnOf('distributor'),
        txId: expect.stringMatching(/^[0-9a-f]{64}$/),
      }),
    ]);

    // Scanned again at both places, and at a third, within the window: still one alert.
    await scan(b, serial, 'distributor');
    await scan(b, serial, 'pharmacy');
    await scan(b, serial, 'manufacturer');
    const again = cloneAlertsFor(await alertsAfterEarlierScans(), b, serial);
    expect(again.map((a) => a.txId)).toEqual([first[0].txId]);
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
