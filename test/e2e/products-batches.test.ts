/**
 * Product master data, batch commissioning and batch status through the real gateway: who may call each
 * route (401/403), what a malformed body gets (400 problem, never 500), and the happy path on the ledger.
 */
import { api } from '../support/http';
import { newGtin, newLot, newSerial } from '../support/ids';
import {
  expectAuthRequired,
  expectForbiddenFor,
  expectOddBodiesRefused,
  withWrongCheckDigit,
} from './probes';
import { commissionBatch, expectProblem, expectStatus, productBody, registerProduct } from './supply-chain';

const batchBody = (gtin: string, over: Record<string, unknown> = {}): Record<string, unknown> => ({
  gtin,
  lot: newLot(),
  expiry: '2028-06-30',
  manufacturedOn: '2026-11-01',
  serials: [newSerial()],
  ...over,
});

/** The field-level errors of a 400 problem name this field. */
function expectFieldError(res: { body: { errors?: { field: string }[] } }, field: string): void {
  expect(res.body.errors?.map((e) => e.field)).toContain(field);
}

describe('POST /v1/products', () => {
  it('401 without a key, with an unknown key, with a non-Bearer scheme', async () => {
    await expectAuthRequired('POST', '/v1/products', productBody(newGtin()));
  });

  it('403 for pharmacy, distributor and regulator, and nothing is registered', async () => {
    const gtin = newGtin();
    await expectForbiddenFor(
      ['pharmacy', 'distributor', 'regulator'],
      'POST',
      '/v1/products',
      productBody(gtin),
    );
    expectProblem(await api('GET', `/v1/products/${gtin}`, { as: 'regulator' }), 404, 'NOT_FOUND');
  });

  it('400 naming the field: wrong GTIN check digit, unknown field, missing field, wrong type', async () => {
    const gtin = newGtin();
    const badGtin = await api('POST', '/v1/products', {
      as: 'manufacturer',
      body: productBody(withWrongCheckDigit(gtin)),
    });
    expectProblem(badGtin, 400, 'INVALID');
    expectFieldError(badGtin, 'gtin');

    const unknown = await api('POST', '/v1/products', {
      as: 'manufacturer',
      body: { ...productBody(gtin), owner: 'PharmacyMSP' },
    });
    expectProblem(unknown, 400, 'INVALID');
    expectFieldError(unknown, 'owner');

    const withoutName: Record<string, unknown> = productBody(gtin);
    delete withoutName.name;
    const missing = await api('POST', '/v1/products', { as: 'manufacturer', body: withoutName });
    expectProblem(missing, 400, 'INVALID');
    expectFieldError(missing, 'name');

    const wrongType = await api('POST', '/v1/products', {
      as: 'manufacturer',
      body: { ...productBody(gtin), strength: 500 },
    });
    expectProblem(wrongType, 400, 'INVALID');
    expectFieldError(wrongType, 'strength');

    expectProblem(await api('GET', `/v1/products/${gtin}`, { as: 'manufacturer' }), 404, 'NOT_FOUND');
  });

  it('400 for invalid JSON, and no odd body ever yields a 5xx', async () => {
    const res = await api('POST', '/v1/products', { as: 'manufacturer', body: '{"gtin":' });
    expectProblem(res, 400, 'INVALID');
    await expectOddBodiesRefused('manufacturer', 'POST', '/v1/products');
  });

  it('201 registers the product, readable by every member; a second registration is 409', async () => {
    const gtin = newGtin();
    const res = await api('POST', '/v1/products', { as: 'manufacturer', body: productBody(gtin) });
    expectStatus(res, 201);
    expect(res.body).toMatchObject({ ...productBody(gtin), manufacturer: 'ManufacturerMSP' });
    const read = await api('GET', `/v1/products/${gtin}`, { as: 'pharmacy' });
    expectStatus(read, 200);
    expect(read.body).toMatchObject(productBody(gtin));
    const again = await api('POST', '/v1/products', { as: 'manufacturer', body: productBody(gtin) });
    expectProblem(again, 409, 'CONFLICT');
  });
});

describe('POST /v1/batches', () => {
  let gtin: string;

  beforeAll(async () => {
    gtin = await registerProduct();
  });

  it('401 without a key, with an unknown key, with a non-Bearer scheme', async () => {
    await expectAuthRequired('POST', '/v1/batches', batchBody(gtin));
  });

  it('403 for pharmacy, distributor and regulator, and no batch is commissioned', async () => {
    const body = batchBody(gtin);
    await expectForbiddenFor(['pharmacy', 'distributor', 'regulator'], 'POST', '/v1/batches', body);
    const read = await api('GET', `/v1/batches/${gtin}/${body.lot}`, { as: 'regulator' });
    expectProblem(read, 404, 'NOT_FOUND');
  });

  it('400 naming the field for each malformed body', async () => {
    const cases: [string, Record<string, unknown>][] = [
      ['gtin', batchBody(withWrongCheckDigit(gtin))],
      ['lot', batchBody(gtin, { lot: 'L'.repeat(21) })],
      ['expiry', batchBody(gtin, { expiry: '2028-02-30' })],
      ['manufacturedOn', batchBody(gtin, { manufacturedOn: 20261101 })],
      ['serials', batchBody(gtin, { serials: ['S'.repeat(21)] })],
      ['serials', batchBody(gtin, { serials: 'S1' })],
      ['quantity', { ...batchBody(gtin), serials: undefined, quantity: '3' }],
      ['colour', batchBody(gtin, { colour: 'red' })],
    ];
    for (const [field, body] of cases) {
      const res = await api('POST', '/v1/batches', { as: 'manufacturer', body });
      expectProblem(res, 400, 'INVALID');
      expectFieldError(res, field);
    }
    const noExpiry = batchBody(gtin);
    delete noExpiry.expiry;
    const missing = await api('POST', '/v1/batches', { as: 'manufacturer', body: noExpiry });
    expectProblem(missing, 400, 'INVALID');
    expectFieldError(missing, 'expiry');
  });

  it('400 for invalid JSON, and no odd body ever yields a 5xx', async () => {
    expectProblem(await api('POST', '/v1/batches', { as: 'manufacturer', body: '{,}' }), 400, 'INVALID');
    await expectOddBodiesRefused('manufacturer', 'POST', '/v1/batches');
  });

  it('404 for a product that was never registered', async () => {
    const res = await api('POST', '/v1/batches', { as: 'manufacturer', body: batchBody(newGtin()) });
    expectProblem(res, 404, 'NOT_FOUND');
  });

  it('201 with quantity generates unpredictable serials of 12+ characters', async () => {
    const body = { ...batchBody(gtin), serials: undefined, quantity: 5 };
    const res = await api<{ serials: string[]; unitCount: number; status: string }>('POST', '/v1/batches', {
      as: 'manufacturer',
      body,
    });
    expectStatus(res, 201);
    expect(res.body).toMatchObject({ status: 'RELEASED', unitCount: 5 });
    expect(new Set(res.body.serials).size).toBe(5);
    for (const serial of res.body.serials) expect(serial).toMatch(/^[0-9A-Za-z]{12,20}$/);
  });

  it('409 for a serial already commissioned, and the refused batch records nothing', async () => {
    const b = await commissionBatch(1);
    const lot = newLot();
    const res = await api('POST', '/v1/batches', {
      as: 'manufacturer',
      body: batchBody(b.gtin, { lot, serials: [newSerial(), b.serials[0]] }),
    });
    expectProblem(res, 409, 'CONFLICT');
    expectProblem(await api('GET', `/v1/batches/${b.gtin}/${lot}`, { as: 'manufacturer' }), 404, 'NOT_FOUND');
  });
});

describe('POST /v1/batches/{gtin}/{lot}/recall', () => {
  const reason = { reason: 'Out-of-specification dissolution test' };

  it('401 without a key, with an unknown key, with a non-Bearer scheme', async () => {
    const b = await commissionBatch(1);
    await expectAuthRequired('POST', `/v1/batches/${b.gtin}/${b.lot}/recall`, reason);
  });

  it('403 for pharmacy and distributor, and the batch stays RELEASED', async () => {
    const b = await commissionBatch(1);
    const path = `/v1/batches/${b.gtin}/${b.lot}/recall`;
    await expectForbiddenFor(['pharmacy', 'distributor'], 'POST', path, reason);
    const read = await api('GET', `/v1/batches/${b.gtin}/${b.lot}`, { as: 'regulator' });
    expect(read.body.status).toBe('RELEASED');
  });

  it('400 for a missing or empty reason, an unknown field, a malformed GTIN in the path', async () => {
    const b = await commissionBatch(1);
    const path = `/v1/batches/${b.gtin}/${b.lot}/recall`;
    expectProblem(await api('POST', path, { as: 'regulator', body: {} }), 400, 'INVALID');
    expectProblem(await api('POST', path, { as: 'regulator', body: { reason: '' } }), 400, 'INVALID');
    const extra = await api('POST', path, { as: 'regulator', body: { ...reason, force: true } });
    expectProblem(extra, 400, 'INVALID');
    const badPath = `/v1/batches/${withWrongCheckDigit(b.gtin)}/${b.lot}/recall`;
    expectProblem(await api('POST', badPath, { as: 'regulator', body: reason }), 400, 'INVALID');
    await expectOddBodiesRefused('regulator', 'POST', path);
    const read = await api('GET', `/v1/batches/${b.gtin}/${b.lot}`, { as: 'regulator' });
    expect(read.body.status).toBe('RELEASED');
  });

  it('404 for a batch that does not exist', async () => {
    const gtin = await registerProduct();
    const res = await api('POST', `/v1/batches/${gtin}/${newLot()}/recall`, {
      as: 'regulator',
      body: reason,
    });
    expectProblem(res, 404, 'NOT_FOUND');
  });

  it('200 for the batch manufacturer, recording who and why; RECALLED is final (409 after)', async () => {
    const b = await commissionBatch(1);
    const path = `/v1/batches/${b.gtin}/${b.lot}`;
    const res = await api('POST', `${path}/recall`, { as: 'manufacturer', body: reason });
    expectStatus(res, 200);
    expect(res.body).toMatchObject({
      status: 'RECALLED',
      statusReason: reason.reason,
      statusBy: 'ManufacturerMSP',
    });
    const release = await api('POST', `${path}/release`, { as: 'regulator', body: { reason: 'mistake' } });
    expectProblem(release, 409, 'CONFLICT');
    expect((await api('GET', path, { as: 'pharmacy' })).body.status).toBe('RECALLED');
  });

  it('200 for the regulator', async () => {
    const b = await commissionBatch(1);
    const res = await api('POST', `/v1/batches/${b.gtin}/${b.lot}/recall`, { as: 'regulator', body: reason });
    expectStatus(res, 200);
    expect(res.body).toMatchObject({ status: 'RECALLED', statusBy: 'RegulatorMSP' });
  });
});

describe('POST /v1/batches/{gtin}/{lot}/quarantine and /release', () => {
  it('403 for pharmacy and distributor on both', async () => {
    const b = await commissionBatch(1);
    const body = { reason: 'temperature excursion' };
    await expectForbiddenFor(
      ['pharmacy', 'distributor'],
      'POST',
      `/v1/batches/${b.gtin}/${b.lot}/quarantine`,
      body,
    );
    await expectForbiddenFor(
      ['pharmacy', 'distributor'],
      'POST',
      `/v1/batches/${b.gtin}/${b.lot}/release`,
      body,
    );
  });

  it('404 for an action that does not exist', async () => {
    const b = await commissionBatch(1);
    const res = await api('POST', `/v1/batches/${b.gtin}/${b.lot}/destroy`, {
      as: 'regulator',
      body: { reason: 'x' },
    });
    expectProblem(res, 404, 'NOT_FOUND');
  });

  it('200 quarantine then release, each by whoever held the batch: the regulator, or the manufacturer', async () => {
    const b = await commissionBatch(1);
    const path = `/v1/batches/${b.gtin}/${b.lot}`;
    const hold = await api('POST', `${path}/quarantine`, { as: 'regulator', body: { reason: 'inspection' } });
    expectStatus(hold, 200);
    expect(hold.body.status).toBe('QUARANTINED');
    const release = await api('POST', `${path}/release`, { as: 'regulator', body: { reason: 'cleared' } });
    expectStatus(release, 200);
    expect(release.body.status).toBe('RELEASED');
    const own = await api('POST', `${path}/quarantine`, { as: 'manufacturer', body: { reason: 'check' } });
    expectStatus(own, 200);
    const lift = await api('POST', `${path}/release`, { as: 'manufacturer', body: { reason: 'checked' } });
    expectStatus(lift, 200);
    expect(lift.body).toMatchObject({ status: 'RELEASED', statusBy: 'ManufacturerMSP' });
  });
});
