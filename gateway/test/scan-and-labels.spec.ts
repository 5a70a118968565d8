import { parseCode } from '@drugtrace/chaincode/domain';
import request from 'supertest';
import { LabelRenderer } from '../src/labels/label-renderer';
import { AlertQueue } from '../src/verify/alert-queue';
import { ImageDecoder } from '../src/verify/image-decoder';
import { createTestApp, TestApp } from './test-app';

const GTIN = '09506000134352';
const PACK = { gtin: GTIN, lot: 'A1B2', expiry: '2028-06-30', serial: 'X7K2M9Q4P1Z8' };
const BATCH = {
  gtin: GTIN,
  lot: 'A1B2',
  expiry: '2028-06-30',
  manufacturer: 'ManufacturerMSP',
  quantity: 2,
  status: 'RELEASED',
};
const verdict = (over: object = {}) => ({
  verdict: 'GENUINE',
  reasons: [],
  code: { gtin: GTIN, lot: 'A1B2', expiry: '2028-06-30', serial: PACK.serial },
  unit: {
    state: 'ACTIVE',
    custodian: { msp: 'PharmacyMSP', gln: '9506000000027' },
    inTransit: false,
    lot: 'A1B2',
    expiry: '2028-06-30',
  },
  ...over,
});

describe('scanning, labels and the public resolver', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await createTestApp({ RESOLVER_RATE_LIMIT: '3' });
  });
  afterAll(() => sut.close());
  beforeEach(() => jest.clearAllMocks());

  describe('POST /v1/verify', () => {
    it('400 naming the AI and the position of a malformed code, without a ledger call', async () => {
      const res = await request(sut.http)
        .post('/v1/verify')
        .set(sut.bearer('pharmacy'))
        .send({ code: `(01)${GTIN}(17)281331(10)A1B2(21)X7K2` })
        .expect(400);
      expect(res.body).toMatchObject({ code: 'INVALID', ai: '17', position: 22 });
      expect(sut.ledger.evaluate).not.toHaveBeenCalled();
    });

    it('400 for a wrong GTIN check digit, pointing at the check digit', async () => {
      const res = await request(sut.http)
        .post('/v1/verify')
        .set(sut.bearer('pharmacy'))
        .send({ code: '(01)09506000134353(21)X7K2' })
        .expect(400);
      expect(res.body).toMatchObject({
        ai: '01',
        position: 17,
        detail: expect.stringContaining('check digit'),
      });
    });

    it('400 for an unknown field next to the code', async () => {
      await request(sut.http)
        .post('/v1/verify')
        .set(sut.bearer('pharmacy'))
        .send({ code: PACK.serial, gln: '1' })
        .expect(400);
    });

    it("answers the ledger's verdict, evaluated as the scanning pharmacy at its GLN", async () => {
      sut.ledger.evaluate.mockResolvedValue(verdict());
      const code = `]d201${GTIN}17280630\u001d10A1B2\u001d21${PACK.serial}`;
      const res = await request(sut.http)
        .post('/v1/verify')
        .set(sut.bearer('pharmacy'))
        .send({ code })
        .expect(200);
      expect(res.body.verdict).toBe('GENUINE');
      expect(sut.ledger.evaluate).toHaveBeenCalledWith(
        expect.objectContaining({ mspId: 'PharmacyMSP' }),
        'verification',
        'Verify',
        code,
        '9506000000027',
      );
    });

    it('records a non-genuine scan as an alert on the ledger, signed by the scanner', async () => {
      sut.ledger.evaluate.mockResolvedValue(verdict({ verdict: 'SUSPECT', reasons: ['ALREADY_DISPENSED'] }));
      sut.ledger.submit.mockResolvedValue({});
      const code = `(01)${GTIN}(21)${PACK.serial}`;
      await request(sut.http).post('/v1/verify').set(sut.bearer('pharmacy')).send({ code }).expect(200);
      await sut.app.get(AlertQueue).drain();
      expect(sut.ledger.submit).toHaveBeenCalledWith(
        expect.objectContaining({ mspId: 'PharmacyMSP' }),
        'verification',
        'RecordScan',
        code,
        '9506000000027',
      );
    });

    it('records a known pack’s first scan at a place (its sighting), not the repeats', async () => {
      sut.ledger.evaluate.mockResolvedValue(verdict());
      sut.ledger.submit.mockResolvedValue({});
      const code = `(01)${GTIN}(21)FRESH1`;
      for (let i = 0; i < 3; i++)
        await request(sut.http).post('/v1/verify').set(sut.bearer('distributor')).send({ code }).expect(200);
      await sut.app.get(AlertQueue).drain();
      const records = sut.ledger.submit.mock.calls.filter((c) => c[1] === 'verification');
      expect(records).toEqual([
        [
          expect.objectContaining({ mspId: 'DistributorMSP' }),
          'verification',
          'RecordScan',
          code,
          '9506000010007',
        ],
      ]);
    });

    it('records nothing for a genuine scan of a pack the ledger does not know', async () => {
      sut.ledger.evaluate.mockResolvedValue({ ...verdict(), unit: undefined });
      await request(sut.http)
        .post('/v1/verify')
        .set(sut.bearer('distributor'))
        .send({ code: `(01)${GTIN}(21)FRESH2` })
        .expect(200);
      await sut.app.get(AlertQueue).drain();
      expect(sut.ledger.submit).not.toHaveBeenCalled();
    });
  });

  describe('scan records are rate-limited per API key', () => {
    let limited: TestApp;
    beforeAll(async () => {
      limited = await createTestApp({ SCAN_RECORD_RATE_LIMIT: '3' });
    });
    afterAll(() => limited.close());

    it('answers every verdict, but records only the key’s budget, and counts the rest', async () => {
      limited.ledger.evaluate.mockResolvedValue(
        verdict({ verdict: 'COUNTERFEIT', reasons: ['UNKNOWN_SERIAL'], unit: undefined }),
      );
      limited.ledger.submit.mockResolvedValue({});
      for (let i = 0; i < 5; i++) {
        const res = await request(limited.http)
          .post('/v1/verify')
          .set(limited.bearer('pharmacy'))
          .send({ code: `(01)${GTIN}(21)FAKE${i}` })
          .expect(200);
        expect(res.body.verdict).toBe('COUNTERFEIT');
      }
      // Another key has its own budget.
      await request(limited.http)
        .post('/v1/verify')
        .set(limited.bearer('distributor'))
        .send({ code: `(01)${GTIN}(21)FAKE9` })
        .expect(200);
      await limited.app.get(AlertQueue).drain();
      const recorded = limited.ledger.submit.mock.calls.map(
        (c) => `${(c[0] as { mspId: string }).mspId} ${c[3]}`,
      );
      expect(recorded.sort()).toEqual([
        `DistributorMSP (01)${GTIN}(21)FAKE9`,
        `PharmacyMSP (01)${GTIN}(21)FAKE0`,
        `PharmacyMSP (01)${GTIN}(21)FAKE1`,
        `PharmacyMSP (01)${GTIN}(21)FAKE2`,
      ]);
      const metrics = await request(limited.http).get('/metrics').expect(200);
      expect(metrics.text).toMatch(/drugtrace_scan_records_total\{outcome="rate_limited"\} 2\b/);
      expect(metrics.text).toMatch(/drugtrace_scan_records_total\{outcome="queued"\} 4\b/);
    });
  });

  describe('labels decode back and verify', () => {
    let decoder: ImageDecoder;
    beforeAll(() => (decoder = sut.app.get(ImageDecoder)));

    it.each(['qr', 'datamatrix'] as const)('a %s PNG decodes to the same pack', async (symbology) => {
      const renderer = sut.app.get(LabelRenderer);
      const scanned = await decoder.decode(await renderer.png(PACK, symbology));
      const parsed = parseCode(scanned);
      expect(parsed).toMatchObject(PACK);
      expect(parsed.form).toBe(symbology === 'qr' ? 'digital-link' : 'raw');
      if (symbology === 'qr') expect(scanned.startsWith('https://scan.example/01/')).toBe(true);
    });

    it.each(['qr', 'datamatrix'] as const)(
      'a %s PNG of a lot or serial that looks like AIs decodes to the same pack',
      async (symbology) => {
        const renderer = sut.app.get(LabelRenderer);
        for (const [lot, serial] of [
          ['L(21)Z', 'X7K2'],
          ['(10)', ')('],
          [`A%B&'"*+,-./:;<=>?_`, 'S(21)1'],
        ]) {
          const pack = { ...PACK, lot, serial };
          expect(parseCode(await decoder.decode(await renderer.png(pack, symbology)))).toMatchObject(pack);
        }
      },
    );

    it('GET …/labels?format=png renders the pack, and POST /v1/verify/image reads it back', async () => {
      sut.ledger.evaluate.mockImplementation(async (_who, contract: string, tx: string) => {
        if (contract === 'batches' && tx === 'Get') return BATCH;
        if (contract === 'units' && tx === 'Get') return { ...PACK, state: 'ACTIVE' };
        if (contract === 'verification') return verdict();
        throw new Error(`unexpected ${contract}.${tx}`);
      });
      const label = await request(sut.http)
        .get(`/v1/batches/${GTIN}/A1B2/labels?format=png&symbology=datamatrix&serial=${PACK.serial}`)
        .set(sut.bearer('manufacturer'))
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200)
        .expect('Content-Type', 'image/png');
      const res = await request(sut.http)
        .post('/v1/verify/image')
        .set(sut.bearer('manufacturer'))
        .attach('image', label.body as Buffer, 'label.png')
        .expect(200);
      expect(res.body.verdict).toBe('GENUINE');
      expect(parseCode(res.body.scanned)).toMatchObject(PACK);
    });

    it('an SVG and a PDF sheet for the batch', async () => {
      sut.ledger.evaluate.mockImplementation(async (_who, contract: string, tx: string) => {
        if (tx === 'Get' && contract === 'batches') return BATCH;
        if (tx === 'Get' && contract === 'units') return { ...PACK };
        if (tx === 'ListSerials') return { serials: [PACK.serial, 'SECOND1'], bookmark: '' };
        throw new Error(`unexpected ${contract}.${tx}`);
      });
      const svg = await request(sut.http)
        .get(`/v1/batches/${GTIN}/A1B2/labels?format=svg&symbology=qr&serial=${PACK.serial}`)
        .set(sut.bearer('manufacturer'))
        .expect(200);
      expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
      const pdf = await request(sut.http)
        .get(`/v1/batches/${GTIN}/A1B2/labels`)
        .set(sut.bearer('manufacturer'))
        .expect(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(
        Buffer.from(pdf.body as Buffer)
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');
    });

    it("403 for another manufacturer's batch", async () => {
      sut.ledger.evaluate.mockResolvedValue({ ...BATCH, manufacturer: 'OtherPharmaMSP' });
      const res = await request(sut.http)
        .get(`/v1/batches/${GTIN}/A1B2/labels`)
        .set(sut.bearer('manufacturer'))
        .expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
    });

    it('422 for bytes that are no image', async () => {
      const res = await request(sut.http)
        .post('/v1/verify/image')
        .set(sut.bearer('pharmacy'))
        .attach('image', Buffer.from('not an image'), 'x.png')
        .expect(422);
      expect(res.body.code).toBe('UNPROCESSABLE');
      expect(sut.ledger.evaluate).not.toHaveBeenCalled();
    });
  });

  describe('GET /01/:gtin/10/:lot/21/:serial (public resolver)', () => {
    const link = `/01/${GTIN}/10/A1B2/21/${PACK.serial}?17=280630`;

    it('JSON for Accept: application/json, evaluated as the resolver identity, no key needed', async () => {
      sut.ledger.evaluate.mockResolvedValue(verdict());
      const res = await request(sut.http)
        .get(link)
        .set('Host', 'id.example')
        .set('Accept', 'application/json')
        .expect(200);
      expect(res.body.verdict).toBe('GENUINE');
      // Anyone may learn the verdict and what is printed on the pack, not where the pack is.
      expect(res.body.unit).toBeUndefined();
      expect(JSON.stringify(res.body)).not.toContain('PharmacyMSP');
      expect(sut.ledger.evaluate).toHaveBeenCalledWith(
        'resolver',
        'verification',
        'Verify',
        `http://id.example${link}`,
        '',
      );
      expect(sut.ledger.submit).not.toHaveBeenCalled();
    });

    it('an HTML verdict page for a browser, with ledger text escaped', async () => {
      sut.ledger.evaluate.mockResolvedValue(
        verdict({ verdict: 'SUSPECT', reasons: ['RECALLED'], product: { name: '<script>x</script>' } }),
      );
      const res = await request(sut.http)
        .get(link)
        .set('Accept', 'text/html,application/xhtml+xml')
        .expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain('This batch has been recalled');
      expect(res.text).not.toContain('<script>x</script>');
    });

    it('429 with Retry-After past the rate limit', async () => {
      sut.ledger.evaluate.mockResolvedValue(verdict());
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await request(sut.http).get(link).set('Accept', 'application/json')).status);
      expect(statuses).toContain(429);
      const limited = await request(sut.http).get(link).set('Accept', 'application/json').expect(429);
      expect(limited.body.code).toBe('RATE_LIMITED');
      expect(limited.headers['retry-after']).toBeDefined();
    });
  });
});
