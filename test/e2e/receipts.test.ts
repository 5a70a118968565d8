/**
 * Receiving against the manifest through the real gateway: a scan that matches receives; one that does not
 * is a 409 with the report and changes nothing; accepted, what was scanned is received, what is missing
 * stays with the sender marked missing in transit, and the regulator gets an alert per missing or
 * unexpected code.
 */
import { api } from '../support/http';
import { newSerial, newSscc } from '../support/ids';
import { Batch, commissionBatch, expectProblem, expectStatus, glnOf, mspOf, seenBy } from './supply-chain';

const pack = (b: Batch, serial: string) => `(01)${b.gtin}(21)${serial}`;

/** A case of the first two packs and the third loose, shipped manufacturer → distributor. */
async function shipCaseAndPack(b: Batch): Promise<{ id: string; sscc: string }> {
  const sscc = newSscc();
  const packed = await api('POST', '/v1/containers', {
    as: 'manufacturer',
    body: { sscc, contents: b.serials.slice(0, 2).map((serial) => ({ gtin: b.gtin, serial })) },
  });
  expectStatus(packed, 201);
  const ship = await api<{ id: string }>('POST', '/v1/shipments', {
    as: 'manufacturer',
    body: {
      to: mspOf('distributor'),
      toGln: glnOf('distributor'),
      units: [{ gtin: b.gtin, serial: b.serials[2] }],
      containers: [sscc],
    },
  });
  expectStatus(ship, 201);
  await seenBy('distributor', `/v1/shipments/${ship.body.id}`, (res) => res.status === 200);
  return { id: ship.body.id, sscc };
}

async function unit(b: Batch, serial: string) {
  const res = await api('GET', `/v1/units/${b.gtin}/${serial}`, { as: 'regulator' });
  expectStatus(res, 200);
  return res.body;
}

describe('POST /v1/shipments/{id}/receive with a scan', () => {
  it('shows the manifest: the case expanded to its packs', async () => {
    const b = await commissionBatch(3);
    const { id, sscc } = await shipCaseAndPack(b);
    const res = await api('GET', `/v1/shipments/${id}/manifest`, { as: 'distributor' });
    expectStatus(res, 200);
    expect(res.body).toEqual({
      id,
      items: [
        { code: pack(b, b.serials[2]) },
        {
          code: `(00)${sscc}`,
          contents: expect.arrayContaining([
            { code: pack(b, b.serials[0]) },
            { code: pack(b, b.serials[1]) },
          ]),
        },
      ],
    });
    expectProblem(await api('GET', `/v1/shipments/${id}/manifest`, { as: 'pharmacy' }), 403, 'FORBIDDEN');
  });

  it('receives when the scan matches (the case by its SSCC, the pack by its label)', async () => {
    const b = await commissionBatch(3);
    const { id, sscc } = await shipCaseAndPack(b);
    const res = await api('POST', `/v1/shipments/${id}/receive`, {
      as: 'distributor',
      body: { scanned: [`(00)${sscc}`, `(01)${b.gtin}(17)280630(10)${b.lot}(21)${b.serials[2]}`] },
    });
    expectStatus(res, 200);
    expect(res.body).toMatchObject({
      status: 'RECEIVED',
      receipt: { expected: 3, scanned: 3, missing: [], unexpected: [] },
    });
    expect(await unit(b, b.serials[0])).toMatchObject({ custodian: { msp: mspOf('distributor') } });
  });

  it('409 with the report on a mismatch, and nothing changes; 400 for an unreadable code', async () => {
    const b = await commissionBatch(3);
    const { id } = await shipCaseAndPack(b);
    const stray = pack(b, newSerial());
    const res = await api('POST', `/v1/shipments/${id}/receive`, {
      as: 'distributor',
      body: { scanned: [pack(b, b.serials[0]), pack(b, b.serials[2]), stray] },
    });
    expectProblem(res, 409, 'CONFLICT');
    expect(res.body.report).toEqual({
      expected: 3,
      scanned: 2,
      missing: [pack(b, b.serials[1])],
      unexpected: [stray],
    });
    const bad = await api('POST', `/v1/shipments/${id}/receive`, {
      as: 'distributor',
      body: { scanned: ['not a code'] },
    });
    expectProblem(bad, 400, 'INVALID');
    const typed = await api('POST', `/v1/shipments/${id}/receive`, {
      as: 'distributor',
      body: { scanned: 'all', acceptDiscrepancies: 'yes' },
    });
    expectProblem(typed, 400, 'INVALID');
    const shipment = await api('GET', `/v1/shipments/${id}`, { as: 'distributor' });
    expect(shipment.body).toMatchObject({ status: 'IN_TRANSIT' });
    expect(shipment.body.receipt).toBeUndefined();
    for (const serial of b.serials) expect(await unit(b, serial)).toMatchObject({ inTransit: true });
  });

  it('accepting: scanned received, missing left with the sender marked missing, alerts to the regulator', async () => {
    const b = await commissionBatch(3);
    const { id, sscc } = await shipCaseAndPack(b);
    const stray = pack(b, newSerial());
    const res = await api('POST', `/v1/shipments/${id}/receive`, {
      as: 'distributor',
      body: { scanned: [pack(b, b.serials[0]), pack(b, b.serials[2]), stray], acceptDiscrepancies: true },
    });
    expectStatus(res, 200);
    expect(res.body).toMatchObject({
      status: 'RECEIVED',
      receipt: { expected: 3, scanned: 2, missing: [pack(b, b.serials[1])], unexpected: [stray] },
    });
    expect(await unit(b, b.serials[0])).toMatchObject({
      custodian: { msp: mspOf('distributor') },
      inTransit: false,
      container: sscc,
    });
    const missing = await unit(b, b.serials[1]);
    expect(missing).toMatchObject({
      custodian: { msp: mspOf('manufacturer') },
      inTransit: false,
      missingInTransit: id,
    });
    expect(missing.parent).toBeUndefined();
    const alerts = await api<{ alerts: { reasons: string[]; serial: string; shipmentId?: string }[] }>(
      'GET',
      '/v1/audit/alerts?limit=200',
      { as: 'regulator' },
    );
    expectStatus(alerts, 200);
    const mine = alerts.body.alerts.filter((a) => a.shipmentId === id).map((a) => [a.reasons, a.serial]);
    expect(mine).toEqual(
      expect.arrayContaining([
        [['MISSING_IN_TRANSIT'], b.serials[1]],
        [['UNEXPECTED_IN_SHIPMENT'], stray.split('(21)')[1]],
      ]),
    );
    expect(mine).toHaveLength(2);
    const verify = await api('POST', '/v1/verify', {
      as: 'manufacturer',
      body: { code: pack(b, b.serials[1]) },
    });
    expectStatus(verify, 200);
    expect(verify.body.reasons).toContain('MISSING_IN_TRANSIT');
    // Receiving again is refused: the shipment settled once.
    expectProblem(
      await api('POST', `/v1/shipments/${id}/receive`, { as: 'distributor', body: { scanned: [] } }),
      409,
      'CONFLICT',
    );
  });
});
