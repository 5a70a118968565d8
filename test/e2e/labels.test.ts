/**
 * Printable labels and the photo scan through the real gateway: the manufacturer renders a pack's QR code
 * and GS1 DataMatrix, and the same PNG uploaded as a photo gives the pack's verdict.
 */
import { api } from '../support/http';
import { newLot, newSerial } from '../support/ids';
import { getBinary, pngLabel, uploadPhoto } from './label-images';
import { expectAuthRequired, expectForbiddenFor } from './probes';
import { Batch, batchAtPharmacy, commissionBatch, expectProblem, expectStatus, yymmdd } from './supply-chain';

describe('GET /v1/batches/{gtin}/{lot}/labels', () => {
  let batch: Batch;

  beforeAll(async () => {
    batch = await commissionBatch(2);
  });

  it('401 without a key, with an unknown key, with a non-Bearer scheme', async () => {
    await expectAuthRequired('GET', `/v1/batches/${batch.gtin}/${batch.lot}/labels?format=pdf`);
  });

  it('403 for distributor, pharmacy and regulator: labels are printed by the manufacturer only', async () => {
    const path = `/v1/batches/${batch.gtin}/${batch.lot}/labels?format=png&symbology=qr&serial=${batch.serials[0]}`;
    await expectForbiddenFor(['distributor', 'pharmacy', 'regulator'], 'GET', path);
  });

  it('400 for an unknown format or symbology, a PNG without a serial, a serial over 20 characters', async () => {
    const base = `/v1/batches/${batch.gtin}/${batch.lot}/labels`;
    for (const query of [
      'format=gif',
      'symbology=ean13',
      'format=png&symbology=qr',
      `format=svg&serial=${'S'.repeat(21)}`,
      `format=png&serial=${batch.serials[0]}&size=big`,
    ]) {
      const res = await api('GET', `${base}?${query}`, { as: 'manufacturer' });
      expect({ query, status: res.status, code: res.body?.code }).toEqual({
        query,
        status: 400,
        code: 'INVALID',
      });
    }
  });

  it('404 for a serial of another lot of the same product, and for a serial never commissioned', async () => {
    const otherLot = { ...batch, lot: newLot(), serials: [newSerial()] };
    const commission = await api('POST', '/v1/batches', {
      as: 'manufacturer',
      body: {
        gtin: otherLot.gtin,
        lot: otherLot.lot,
        expiry: batch.expiry,
        manufacturedOn: '2026-11-01',
        serials: otherLot.serials,
      },
    });
    expectStatus(commission, 201);
    const path = `/v1/batches/${batch.gtin}/${batch.lot}/labels?format=png`;
    expectProblem(
      await api('GET', `${path}&serial=${otherLot.serials[0]}`, { as: 'manufacturer' }),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await api('GET', `${path}&serial=${newSerial()}`, { as: 'manufacturer' }),
      404,
      'NOT_FOUND',
    );
  });

  it('format=pdf is a printable PDF sheet for the batch', async () => {
    const pdf = await getBinary(`/v1/batches/${batch.gtin}/${batch.lot}/labels?format=pdf`, 'manufacturer');
    expect({ status: pdf.status, contentType: pdf.contentType }).toEqual({
      status: 200,
      contentType: 'application/pdf',
    });
    expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.disposition).toMatch(/^attachment; filename=".+\.pdf"$/);
  });

  it('format=svg is an SVG symbol for one pack, in both symbologies', async () => {
    for (const symbology of ['qr', 'datamatrix']) {
      const svg = await getBinary(
        `/v1/batches/${batch.gtin}/${batch.lot}/labels?format=svg&symbology=${symbology}&serial=${batch.serials[0]}`,
        'manufacturer',
      );
      expect({ status: svg.status, contentType: svg.contentType }).toEqual({
        status: 200,
        contentType: expect.stringMatching(/^image\/svg\+xml/),
      });
      expect(svg.bytes.toString('utf8')).toMatch(/<svg[\s>][\s\S]*<\/svg>\s*$/);
    }
  });

  it('format=png is a PNG symbol for one pack, in both symbologies', async () => {
    const qr = await pngLabel(batch, batch.serials[1], 'qr');
    const dm = await pngLabel(batch, batch.serials[1], 'datamatrix');
    expect(qr.equals(dm)).toBe(false);
  });
});

describe('POST /v1/verify/image', () => {
  let batch: Batch;

  beforeAll(async () => {
    batch = await batchAtPharmacy(1);
  });

  it('401 without a key', async () => {
    const res = await uploadPhoto(await pngLabel(batch, batch.serials[0], 'qr'), null);
    expectProblem(res, 401, 'UNAUTHENTICATED');
  });

  it('400 without the image field; 422 for bytes that are not an image, for a PDF', async () => {
    const png = await pngLabel(batch, batch.serials[0], 'qr');
    expectProblem(await uploadPhoto(png, 'pharmacy', 'image/png', 'photo'), 400, 'INVALID');
    const notAPicture = await uploadPhoto(Buffer.from('not a picture'), 'pharmacy', 'image/png');
    expectProblem(notAPicture, 422, 'UNPROCESSABLE');
    expect(notAPicture.body.detail).toBe('the upload is not a PNG, JPEG, GIF or BMP image');
    const pdf = await getBinary(`/v1/batches/${batch.gtin}/${batch.lot}/labels?format=pdf`, 'manufacturer');
    expectProblem(await uploadPhoto(pdf.bytes, 'pharmacy', 'application/pdf'), 422, 'UNPROCESSABLE');
  });

  it.each(['datamatrix', 'qr'] as const)(
    'the %s PNG label, uploaded at the pharmacy holding the pack, is GENUINE',
    async (symbology) => {
      const res = await uploadPhoto(await pngLabel(batch, batch.serials[0], symbology), 'pharmacy');
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        verdict: 'GENUINE',
        reasons: [],
        code: { gtin: batch.gtin, lot: batch.lot, expiry: batch.expiry, serial: batch.serials[0] },
      });
      if (symbology === 'qr') {
        expect(res.body.scanned).toMatch(
          new RegExp(`/01/${batch.gtin}/10/${batch.lot}/21/${batch.serials[0]}`),
        );
        expect(res.body.scanned).toContain(`17=${yymmdd(batch.expiry)}`);
      } else {
        expect(res.body.scanned).toContain(`01${batch.gtin}`);
        expect(res.body.scanned).toContain(`21${batch.serials[0]}`);
      }
    },
  );

  it('the same label photographed after a dispense gives ALREADY_DISPENSED', async () => {
    const png = await pngLabel(batch, batch.serials[0], 'datamatrix');
    expectStatus(
      await api('POST', `/v1/units/${batch.gtin}/${batch.serials[0]}/dispense`, { as: 'pharmacy' }),
      200,
    );
    const res = await uploadPhoto(png, 'pharmacy');
    expectStatus(res, 200);
    expect(res.body).toMatchObject({ verdict: 'SUSPECT', reasons: ['ALREADY_DISPENSED'] });
  });
});
