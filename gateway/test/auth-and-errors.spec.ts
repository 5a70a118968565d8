import { DomainError } from '@drugtrace/chaincode/domain';
import request from 'supertest';
import { LedgerUnavailableError } from '../src/fabric/fabric-errors';
import { createTestApp, TestApp } from './test-app';

const PRODUCT = {
  gtin: '09506000134352',
  name: 'Amoxicillin 500 mg capsules',
  genericName: 'amoxicillin',
  strength: '500 mg',
  dosageForm: 'capsule',
  marketingAuthorization: 'H20190001',
};

describe('API keys, roles and problem+json errors', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await createTestApp();
  });
  afterAll(() => sut.close());
  beforeEach(() => jest.clearAllMocks());

  describe('GET /v1/me', () => {
    it("names the key's person, organisation, role and location without calling the ledger", async () => {
      const res = await request(sut.http).get('/v1/me').set(sut.bearer('pharmacy')).expect(200);
      expect(res.body).toEqual({
        org: 'pharmacy',
        mspId: 'PharmacyMSP',
        role: 'PHARMACY',
        gln: expect.any(String),
        user: 'pharmacy-user1',
        admin: true,
      });
      expect(sut.ledger.evaluate).not.toHaveBeenCalled();
    });

    it('401 without a key', async () => {
      const res = await request(sut.http).get('/v1/me').expect(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('POST /v1/products', () => {
    it('401 without a key, and the ledger is not called', async () => {
      const res = await request(sut.http).post('/v1/products').send(PRODUCT).expect(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', instance: '/v1/products' });
      expect(sut.ledger.submit).not.toHaveBeenCalled();
    });

    it('401 with an unknown key', async () => {
      const res = await request(sut.http)
        .post('/v1/products')
        .set('Authorization', 'Bearer not-a-key-of-anyone-at-all')
        .send(PRODUCT)
        .expect(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
      expect(sut.ledger.submit).not.toHaveBeenCalled();
    });

    it('403 for a pharmacy: only manufacturers register products', async () => {
      const res = await request(sut.http)
        .post('/v1/products')
        .set(sut.bearer('pharmacy'))
        .send(PRODUCT)
        .expect(403);
      expect(res.body).toMatchObject({ code: 'FORBIDDEN', status: 403 });
      expect(sut.ledger.submit).not.toHaveBeenCalled();
    });

    it('400 naming the unknown field', async () => {
      const res = await request(sut.http)
        .post('/v1/products')
        .set(sut.bearer('manufacturer'))
        .send({ ...PRODUCT, owner: 'SomeoneElseMSP' })
        .expect(400);
      expect(res.body.code).toBe('INVALID');
      expect(res.body.errors).toEqual([{ field: 'owner', messages: ['property owner should not exist'] }]);
      expect(sut.ledger.submit).not.toHaveBeenCalled();
    });

    it('400 for a GTIN with a wrong check digit', async () => {
      const res = await request(sut.http)
        .post('/v1/products')
        .set(sut.bearer('manufacturer'))
        .send({ ...PRODUCT, gtin: '09506000134353' })
        .expect(400);
      expect(res.body.errors).toEqual([
        { field: 'gtin', messages: [expect.stringContaining('check digit')] },
      ]);
      expect(sut.ledger.submit).not.toHaveBeenCalled();
    });

    it('201 signed as the calling manufacturer', async () => {
      const stored = {
        ...PRODUCT,
        manufacturer: 'ManufacturerMSP',
        registeredAt: '2026-11-01T09:00:00.000Z',
      };
      sut.ledger.submit.mockResolvedValue(stored);
      const res = await request(sut.http)
        .post('/v1/products')
        .set(sut.bearer('manufacturer'))
        .send(PRODUCT)
        .expect(201);
      expect(res.body).toEqual(stored);
      expect(sut.ledger.submit).toHaveBeenCalledWith(
        expect.objectContaining({
          org: 'manufacturer',
          mspId: 'ManufacturerMSP',
          user: 'manufacturer-user1',
        }),
        'products',
        'Register',
        JSON.stringify(PRODUCT),
      );
    });

    it('400 for a body that is not JSON, without parser internals', async () => {
      const res = await request(sut.http)
        .post('/v1/products')
        .set(sut.bearer('manufacturer'))
        .set('Content-Type', 'application/json')
        .send('{"gtin": ')
        .expect(400);
      expect(res.body).toMatchObject({ status: 400, code: 'INVALID', detail: 'the body is not valid JSON' });
      expect(res.text).not.toMatch(/at \w+ \(|node_modules|SyntaxError|body-parser|Unexpected|JSON input/);
      expect(sut.ledger.submit).not.toHaveBeenCalled();
    });

    it('400 for a body that is not JSON carries the request ID, given or generated', async () => {
      const given = await request(sut.http)
        .post('/v1/verify')
        .set(sut.bearer('pharmacy'))
        .set('Content-Type', 'application/json')
        .set('X-Request-Id', 'req-bad-json')
        .send('{"code":')
        .expect(400);
      expect(given.body).toMatchObject({ detail: 'the body is not valid JSON', requestId: 'req-bad-json' });
      expect(given.headers['x-request-id']).toBe('req-bad-json');
      const generated = await request(sut.http)
        .post('/v1/verify')
        .set(sut.bearer('pharmacy'))
        .set('Content-Type', 'application/json')
        .send('{"code":')
        .expect(400);
      expect(generated.body.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(generated.headers['x-request-id']).toBe(generated.body.requestId);
      expect(sut.ledger.evaluate).not.toHaveBeenCalled();
    });

    it('413 for a body over the limit', async () => {
      const res = await request(sut.http)
        .post('/v1/products')
        .set(sut.bearer('manufacturer'))
        .send({ ...PRODUCT, name: 'x'.repeat(1_100_000) })
        .expect(413);
      expect(res.body.code).toBe('TOO_LARGE');
    });
  });

  describe('chaincode and network errors through GET /v1/products/:gtin', () => {
    it.each([
      { code: 'NOT_FOUND', status: 404, detail: 'product 09506000134352 is not registered' },
      { code: 'FORBIDDEN', status: 403, detail: 'organisation X is not admitted' },
      { code: 'CONFLICT', status: 409, detail: 'unit 09506000134352/X7K2 is DISPENSED' },
      { code: 'INVALID', status: 400, detail: 'GTIN must be 14 digits' },
    ] as const)('chaincode $code -> $status', async ({ code, status, detail }) => {
      const error = new DomainError(code, detail);
      sut.ledger.evaluate.mockRejectedValue(error);
      const res = await request(sut.http)
        .get('/v1/products/09506000134352')
        .set(sut.bearer('pharmacy'))
        .expect(status);
      expect(res.body).toMatchObject({ status, code, detail: error.detail });
    });

    it('503 with Retry-After when the network is away', async () => {
      sut.ledger.evaluate.mockRejectedValue(new LedgerUnavailableError());
      const res = await request(sut.http)
        .get('/v1/products/09506000134352')
        .set(sut.bearer('pharmacy'))
        .expect(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body.code).toBe('UNAVAILABLE');
    });

    it('500 without the message or stack of an unexpected error', async () => {
      sut.ledger.evaluate.mockRejectedValue(
        new TypeError('Cannot read properties of undefined (secret internals)'),
      );
      const res = await request(sut.http)
        .get('/v1/products/09506000134352')
        .set(sut.bearer('pharmacy'))
        .expect(500);
      expect(res.body).toMatchObject({ code: 'INTERNAL', detail: 'an unexpected error occurred' });
      expect(res.text).not.toMatch(/secret internals|TypeError|\.ts:\d+/);
    });

    it('400 for a malformed GTIN in the path, before any ledger call', async () => {
      const res = await request(sut.http).get('/v1/products/12345').set(sut.bearer('pharmacy')).expect(400);
      expect(res.body.detail).toMatch(/GTIN/);
      expect(sut.ledger.evaluate).not.toHaveBeenCalled();
    });
  });

  it('404 problem for an unknown route', async () => {
    const res = await request(sut.http).get('/v1/nothing-here').set(sut.bearer('pharmacy')).expect(404);
    expect(res.body.code).toBe('NOT_FOUND');
  });

  it('echoes a request ID for log correlation', async () => {
    const res = await request(sut.http).get('/v1/products/12345').set('X-Request-Id', 'req-42').expect(401);
    expect(res.headers['x-request-id']).toBe('req-42');
    expect(res.body.requestId).toBe('req-42');
  });
});
