/**
 * A pack's whole life through the real gateway and the real Fabric network: commissioned, packed in a
 * case, shipped to the distributor and on to the pharmacy, verified, dispensed, undone, recalled.
 */
import { api } from '../support/http';
import { newSerial, newSscc } from '../support/ids';
import { Batch, commissionBatch, elementString, expectStatus, glnOf, mspOf } from './supply-chain';

describe('a pack from manufacturer to patient', () => {
  let batch: Batch;
  let pack: string;
  let code: string;
  const caseSscc = newSscc();
  const shipments: string[] = [];

  beforeAll(async () => {
    batch = await commissionBatch(4);
    pack = batch.serials[0];
    code = elementString(batch, pack);
  });

  it('POST /v1/batches commissions the given serials and reports the batch', async () => {
    const res = await api('GET', `/v1/batches/${batch.gtin}/${batch.lot}`, { as: 'regulator' });
    expectStatus(res, 200);
    expect(res.body).toMatchObject({ gtin: batch.gtin, lot: batch.lot, status: 'RELEASED' });
    expect(res.body.counts.byState).toEqual({ ACTIVE: 4 });
  });

  it('POST /v1/containers packs units into a case held by the manufacturer', async () => {
    const res = await api('POST', '/v1/containers', {
      as: 'manufacturer',
      body: {
        sscc: caseSscc,
        contents: batch.serials.slice(0, 3).map((serial) => ({ gtin: batch.gtin, serial })),
      },
    });
    expectStatus(res, 201);
    const unit = await api('GET', `/v1/units/${batch.gtin}/${pack}`, { as: 'manufacturer' });
    expect(unit.body.parent).toBe(caseSscc);
  });

  it('POST /v1/shipments ships the case; its packs are IN_TRANSIT until received', async () => {
    const ship = await api('POST', '/v1/shipments', {
      as: 'manufacturer',
      body: { to: mspOf('distributor'), toGln: glnOf('distributor'), containers: [caseSscc] },
    });
    expectStatus(ship, 201);
    expect(ship.body).toMatchObject({
      status: 'IN_TRANSIT',
      from: { msp: mspOf('manufacturer') },
      to: { msp: mspOf('distributor'), gln: glnOf('distributor') },
    });
    shipments.push(ship.body.id);

    const scan = await api('POST', '/v1/verify', { as: 'distributor', body: { code } });
    expect(scan.body.reasons).toContain('IN_TRANSIT');

    const again = await api('POST', '/v1/shipments', {
      as: 'manufacturer',
      body: { to: mspOf('pharmacy'), toGln: glnOf('pharmacy'), containers: [caseSscc] },
    });
    expectStatus(again, 409);
  });

  it('GET /v1/shipments lists the shipment as incoming for the receiver', async () => {
    const res = await api<{ shipments: { id: string }[] } | { id: string }[]>(
      'GET',
      '/v1/shipments?direction=incoming&status=IN_TRANSIT',
      { as: 'distributor' },
    );
    expectStatus(res, 200);
    const list = Array.isArray(res.body) ? res.body : res.body.shipments;
    expect(list.map((s) => s.id)).toContain(shipments[0]);
  });

  it('POST /v1/shipments/{id}/receive moves custody of everything in the case', async () => {
    const wrong = await api('POST', `/v1/shipments/${shipments[0]}/receive`, { as: 'pharmacy' });
    expectStatus(wrong, 403);
    const res = await api('POST', `/v1/shipments/${shipments[0]}/receive`, { as: 'distributor' });
    expectStatus(res, 200);
    expect(res.body.status).toBe('RECEIVED');
    const twice = await api('POST', `/v1/shipments/${shipments[0]}/receive`, { as: 'distributor' });
    expectStatus(twice, 409);
    const unit = await api('GET', `/v1/units/${batch.gtin}/${pack}`, { as: 'distributor' });
    expect(unit.body.custodian).toEqual({ msp: mspOf('distributor'), gln: glnOf('distributor') });
  });

  it('the distributor unpacks the case and ships the packs to the pharmacy', async () => {
    const unpack = await api('DELETE', `/v1/containers/${caseSscc}`, { as: 'distributor' });
    expectStatus(unpack, 200);
    const ship = await api('POST', '/v1/shipments', {
      as: 'distributor',
      body: {
        to: mspOf('pharmacy'),
        toGln: glnOf('pharmacy'),
        units: batch.serials.slice(0, 3).map((serial) => ({ gtin: batch.gtin, serial })),
      },
    });
    expectStatus(ship, 201);
    const receive = await api('POST', `/v1/shipments/${ship.body.id}/receive`, { as: 'pharmacy' });
    expectStatus(receive, 200);
  });

  it('POST /v1/verify at the pharmacy holding the pack: GENUINE', async () => {
    const res = await api('POST', '/v1/verify', { as: 'pharmacy', body: { code } });
    expectStatus(res, 200);
    expect(res.body).toMatchObject({
      verdict: 'GENUINE',
      reasons: [],
      code: { gtin: batch.gtin, lot: batch.lot, expiry: batch.expiry, serial: pack },
      unit: { state: 'ACTIVE', custodian: { msp: mspOf('pharmacy'), gln: glnOf('pharmacy') } },
    });
    expect(res.body.product.name).toBe('Amoxicillin 500 mg capsules');
  });

  it('POST /v1/units/{gtin}/{serial}/dispense, then the pack is ALREADY_DISPENSED', async () => {
    const res = await api('POST', `/v1/units/${batch.gtin}/${pack}/dispense`, { as: 'pharmacy' });
    expectStatus(res, 200);
    expect(res.body).toMatchObject({ gtin: batch.gtin, serial: pack, state: 'DISPENSED' });

    const scan = await api('POST', '/v1/verify', { as: 'pharmacy', body: { code } });
    expect(scan.body.verdict).toBe('SUSPECT');
    expect(scan.body.reasons).toContain('ALREADY_DISPENSED');

    const twice = await api('POST', `/v1/units/${batch.gtin}/${pack}/dispense`, { as: 'pharmacy' });
    expectStatus(twice, 409);
    expect(twice.body.code).toBe('CONFLICT');
  });

  it('POST /v1/units/{gtin}/{serial}/undo-dispense puts the pack back in the supply chain', async () => {
    const res = await api('POST', `/v1/units/${batch.gtin}/${pack}/undo-dispense`, { as: 'pharmacy' });
    expectStatus(res, 200);
    expect(res.body.state).toBe('ACTIVE');
    const scan = await api('POST', '/v1/verify', { as: 'pharmacy', body: { code } });
    expect(scan.body.verdict).toBe('GENUINE');
  });

  it('POST /v1/batches/{gtin}/{lot}/recall: every pack of the batch is RECALLED', async () => {
    const res = await api('POST', `/v1/batches/${batch.gtin}/${batch.lot}/recall`, {
      as: 'regulator',
      body: { reason: 'Out-of-specification dissolution test' },
    });
    expectStatus(res, 200);
    expect(res.body.status).toBe('RECALLED');
    const scan = await api('POST', '/v1/verify', { as: 'pharmacy', body: { code } });
    expect(scan.body.verdict).toBe('SUSPECT');
    expect(scan.body.reasons).toContain('RECALLED');
    const dispense = await api('POST', `/v1/units/${batch.gtin}/${batch.serials[1]}/dispense`, {
      as: 'pharmacy',
    });
    expectStatus(dispense, 409);
  });

  it('GET /v1/units/{gtin}/{serial}/history gives the custody chain, oldest first, with blocks', async () => {
    const res = await api<{ events: { type: string; org: string; txId: string; blockNumber: number }[] }>(
      'GET',
      `/v1/units/${batch.gtin}/${pack}/history`,
      { as: 'regulator' },
    );
    expectStatus(res, 200);
    const types = res.body.events.map((e) => e.type);
    expect(types.slice(0, 8)).toEqual([
      'COMMISSIONED',
      'PACKED',
      'SHIPPED',
      'RECEIVED',
      'UNPACKED',
      'SHIPPED',
      'RECEIVED',
      'DISPENSED',
    ]);
    expect(types).toContain('DISPENSE_UNDONE');
    const blocks = res.body.events.map((e) => e.blockNumber);
    expect(blocks.every((n) => Number.isInteger(n) && n > 0)).toBe(true);
    expect([...blocks].sort((a, b) => a - b)).toEqual(blocks);
    expect(res.body.events.every((e) => /^[0-9a-f]{64}$/.test(e.txId))).toBe(true);
  });

  it('GET /v1/audit/batches/{gtin}/{lot}/epcis exports the batch as EPCIS 2.0 JSON-LD', async () => {
    const res = await api('GET', `/v1/audit/batches/${batch.gtin}/${batch.lot}/epcis`, { as: 'regulator' });
    expectStatus(res, 200);
    expect(JSON.stringify(res.body['@context'])).toContain('epcis');
    const events = res.body.epcisBody?.eventList ?? res.body.eventList;
    expect(events.length).toBeGreaterThanOrEqual(8);
    const forbidden = await api('GET', `/v1/audit/batches/${batch.gtin}/${batch.lot}/epcis`, {
      as: 'pharmacy',
    });
    expectStatus(forbidden, 403);
  });

  it('the public Digital Link resolver answers without an account', async () => {
    const path = `/01/${batch.gtin}/10/${batch.lot}/21/${batch.serials[3]}?17=${batch.expiry.slice(2).replace(/-/g, '')}`;
    const json = await api('GET', path, { as: null, headers: { accept: 'application/json' } });
    expectStatus(json, 200);
    expect(json.body.verdict).toBe('SUSPECT');
    expect(json.body.reasons).toEqual(['RECALLED']);
    const html = await api<string>('GET', path, { as: null, headers: { accept: 'text/html' } });
    expectStatus(html, 200);
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(html.body).toContain('Amoxicillin');
  });

  it('a scan of a never-commissioned serial is COUNTERFEIT and reaches the regulator as an alert', async () => {
    const fake = newSerial();
    const res = await api('POST', '/v1/verify', {
      as: 'pharmacy',
      body: { code: elementString(batch, fake) },
    });
    expect(res.body).toMatchObject({ verdict: 'COUNTERFEIT', reasons: ['UNKNOWN_SERIAL'] });
    let alerts: { serial: string; reasons: string[]; org: string }[] = [];
    for (let i = 0; i < 40 && !alerts.some((a) => a.serial === fake); i++) {
      await new Promise((r) => setTimeout(r, 500));
      alerts = (await api('GET', '/v1/audit/alerts', { as: 'regulator' })).body.alerts;
    }
    expect(alerts.find((a) => a.serial === fake)).toMatchObject({
      gtin: batch.gtin,
      reasons: ['UNKNOWN_SERIAL'],
      org: mspOf('pharmacy'),
    });
  });
});
