import { join } from 'node:path';
import request from 'supertest';
import { MAX_GOODS_PER_MOVE } from '@drugtrace/chaincode/domain';
import { pngHeader } from './fixtures/images';
import { createTestApp, TestApp } from './test-app';

const SSCC = '106141410000000019';
const slowDecodeWorker = {
  filename: join(__dirname, 'fixtures', 'slow-decode-worker.ts'),
  execArgv: ['--require', join(__dirname, 'ts-worker.js')],
};

/** Every app here is closed after its describe block. */
const apps: TestApp[] = [];
async function app(...args: Parameters<typeof createTestApp>): Promise<TestApp> {
  const made = await createTestApp(...args);
  apps.push(made);
  return made;
}
afterAll(() => Promise.all(apps.map((a) => a.close())));

describe('security headers', () => {
  let sut: TestApp;
  beforeAll(async () => (sut = await app()));

  it.each(['/', '/manufacturer.html', '/docs', '/v1/me', '/health', '/01/09506000134352/21/X1'])(
    '%s carries the CSP, no framing, nosniff and no referrer',
    async (path) => {
      const res = await request(sut.http).get(path).set(sut.bearer('pharmacy'));
      const csp = res.headers['content-security-policy'];
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-powered-by']).toBeUndefined();
    },
  );
});

describe('request bodies', () => {
  let sut: TestApp;
  beforeAll(async () => (sut = await app()));

  it('400, not 500, for JSON nested 10,000 levels deep; nothing reaches the ledger', async () => {
    const res = await request(sut.http)
      .post('/v1/verify')
      .set(sut.bearer('pharmacy'))
      .set('Content-Type', 'application/json')
      .send('{"code":'.repeat(10_000) + '1' + '}'.repeat(10_000))
      .expect(400);
    expect(res.body).toMatchObject({
      code: 'INVALID',
      detail: 'the body nests arrays and objects deeper than 32 levels',
    });
    expect(sut.ledger.evaluate).not.toHaveBeenCalled();
  });

  it('415 for a JSON body in another charset than UTF-8', async () => {
    const res = await request(sut.http)
      .post('/v1/verify')
      .set(sut.bearer('pharmacy'))
      .set('Content-Type', 'application/json; charset=utf-16le')
      .send(Buffer.from('{"code":"x"}', 'utf16le'))
      .expect(415);
    expect(res.body.detail).toBe('JSON bodies must be UTF-8');
  });

  it('an array over its limit is refused before its items are built or validated: one short error', async () => {
    const contents = Array.from({ length: 60_000 }, () => ({ gtin: 'x' }));
    const started = Date.now();
    const res = await request(sut.http)
      .post('/v1/containers')
      .set(sut.bearer('distributor'))
      .send({ sscc: SSCC, contents })
      .expect(400);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(res.body).toMatchObject({
      code: 'INVALID',
      detail: `contents: contents must contain no more than ${MAX_GOODS_PER_MOVE} elements`,
      errors: [
        {
          field: 'contents',
          messages: [`contents must contain no more than ${MAX_GOODS_PER_MOVE} elements`],
        },
      ],
    });
    expect(res.text.length).toBeLessThan(1_000);
    expect(sut.ledger.submit).not.toHaveBeenCalled();
  });

  it('lists 20 field errors and counts the rest', async () => {
    const contents = Array.from({ length: MAX_GOODS_PER_MOVE }, () => ({ gtin: 'x' }));
    const res = await request(sut.http)
      .post('/v1/containers')
      .set(sut.bearer('distributor'))
      .send({ sscc: SSCC, contents })
      .expect(400);
    expect(res.body.errors).toHaveLength(20);
    expect(res.body.errors[0]).toEqual({
      field: 'contents.0.gtin',
      messages: [expect.stringMatching(/GTIN-14/)],
    });
    expect(res.body.errorsOmitted).toBe(MAX_GOODS_PER_MOVE - 20);
    expect(res.body.detail).toMatch(new RegExp(`; and ${MAX_GOODS_PER_MOVE - 20} more field error\\(s\\)$`));
    expect(res.text.length).toBeLessThan(5_000);
    expect(sut.ledger.submit).not.toHaveBeenCalled();
  });

  it('a shipment of more packs and containers together than one move carries: 400, nothing sent', async () => {
    const half = MAX_GOODS_PER_MOVE / 2;
    const units = Array.from({ length: half + 1 }, (_, i) => ({
      gtin: '09506000134352',
      serial: `S${i}`,
    }));
    const containers = Array.from({ length: half }, () => SSCC);
    const res = await request(sut.http)
      .post('/v1/shipments')
      .set(sut.bearer('distributor'))
      .send({ to: 'PharmacyMSP', toGln: '9506000000022', units, containers })
      .expect(400);
    expect(res.body.errors).toEqual([
      {
        field: 'containers',
        messages: [`units and containers together must be at most ${MAX_GOODS_PER_MOVE}`],
      },
    ]);
    expect(sut.ledger.submit).not.toHaveBeenCalled();
  });

  it('413 for a body over 1 MB', async () => {
    const res = await request(sut.http)
      .post('/v1/verify')
      .set(sut.bearer('pharmacy'))
      .send({ code: 'x'.repeat(1_100_000) })
      .expect(413);
    expect(res.body.code).toBe('TOO_LARGE');
  });
});

describe('POST /v1/verify/image limits', () => {
  const upload = (sut: TestApp, bytes: Buffer) =>
    request(sut.http)
      .post('/v1/verify/image')
      .set(sut.bearer('pharmacy'))
      .attach('image', bytes, 'photo.png');

  it('413 for a PNG declaring 10,000 × 10,000 pixels, refused from its header at once', async () => {
    const sut = await app();
    const started = Date.now();
    const res = await upload(sut, pngHeader(10_000, 10_000)).expect(413);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(res.body).toMatchObject({
      code: 'TOO_LARGE',
      detail: 'the PNG image is 10000 × 10000 pixels; at most 16,000,000 pixels (16 megapixels) are decoded',
    });
    expect(sut.ledger.evaluate).not.toHaveBeenCalled();
  });

  it('413 for a file over 8 MB', async () => {
    const sut = await app();
    const res = await upload(sut, Buffer.alloc(8 * 1024 * 1024 + 1)).expect(413);
    expect(res.body.code).toBe('TOO_LARGE');
  });

  it('422 when decoding takes longer than the limit, the event loop free meanwhile', async () => {
    const sut = await app({ IMAGE_DECODE_TIMEOUT_MS: '300' }, slowDecodeWorker);
    const pending = upload(sut, pngHeader(100, 100));
    const health = await request(sut.http).get('/health').expect(200);
    expect(health.body.status).toBe('ok');
    const res = await pending.expect(422);
    expect(res.body).toMatchObject({
      code: 'UNPROCESSABLE',
      detail: 'the PNG image could not be decoded within 0.3 s',
    });
    expect(sut.ledger.evaluate).not.toHaveBeenCalled();
    // The bound is generous for starting the app and its worker pool on a loaded machine, not a timing goal.
  }, 20_000);

  it('503 BUSY with Retry-After when every worker is busy and the queue is full', async () => {
    const sut = await app({ IMAGE_DECODE_WORKERS: '1', IMAGE_DECODE_QUEUE: '1' }, slowDecodeWorker);
    const first = upload(sut, pngHeader(100, 100)).then((r) => r);
    const second = upload(sut, pngHeader(100, 100)).then((r) => r);
    // Both are in the pool (one running, one waiting) once the third is refused.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const third = await upload(sut, pngHeader(100, 100)).expect(503);
    expect(third.body).toMatchObject({
      code: 'BUSY',
      detail: 'every image decoder is busy; try again in a few seconds',
    });
    expect(third.headers['retry-after']).toBe('5');
    // The slow worker finds no code in either.
    expect((await first).status).toBe(422);
    expect((await second).status).toBe(422);
  }, 20_000);
});

describe('GET /metrics', () => {
  const TOKEN = 'scrape-token-0123456789';
  let sut: TestApp;
  beforeAll(async () => (sut = await app({ TRUST_PROXY: 'loopback', METRICS_TOKEN: TOKEN })));

  it('answers a loopback caller', async () => {
    await request(sut.http).get('/metrics').expect(200);
  });

  it('403 for a client a trusted proxy names, unless it presents the metrics token', async () => {
    const refused = await request(sut.http).get('/metrics').set('X-Forwarded-For', '203.0.113.9').expect(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    expect(refused.text).not.toContain('drugtrace_');
    await request(sut.http)
      .get('/metrics')
      .set('X-Forwarded-For', '203.0.113.9')
      .set('Authorization', 'Bearer not-the-token-0000000')
      .expect(403);
    const allowed = await request(sut.http)
      .get('/metrics')
      .set('X-Forwarded-For', '203.0.113.9')
      .set('Authorization', `Bearer ${TOKEN}`)
      .expect(200);
    expect(allowed.text).toContain('drugtrace_http_request_duration_seconds');
  });

  it('a forwarded address proves nothing when no proxy is trusted (the default)', async () => {
    const plain = await app({ METRICS_TOKEN: TOKEN });
    // The TCP peer is loopback here; what a client claims does not change that.
    await request(plain.http).get('/metrics').set('X-Forwarded-For', '203.0.113.9').expect(200);
  });
});

describe('rate limits', () => {
  it('limits each API key on its own: past API_RATE_LIMIT a minute, 429 with Retry-After', async () => {
    const sut = await app({ API_RATE_LIMIT: '3' });
    for (let i = 0; i < 3; i++) await request(sut.http).get('/v1/me').set(sut.bearer('pharmacy')).expect(200);
    const limited = await request(sut.http).get('/v1/me').set(sut.bearer('pharmacy')).expect(429);
    expect(limited.body).toMatchObject({ code: 'RATE_LIMITED' });
    expect(limited.body.detail).toMatch(/^too many requests from this API key: at most 3 in 60 s/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(50);
    await request(sut.http).get('/v1/me').set(sut.bearer('distributor')).expect(200);
    // Public routes are not counted against a key, nor the health check against an address.
    for (let i = 0; i < 5; i++) await request(sut.http).get('/health').expect(200);
  });

  it('limits unknown API keys per client address: then even a valid key from there waits', async () => {
    const sut = await app({ AUTH_FAILURE_LIMIT: '3', TRUST_PROXY: 'loopback' });
    const from = (address: string) => ({ 'X-Forwarded-For': address });
    for (let i = 0; i < 3; i++) {
      await request(sut.http)
        .get('/v1/me')
        .set(from('203.0.113.7'))
        .set('Authorization', `Bearer guess-${i}-0000000000000000`)
        .expect(401);
    }
    const guess = await request(sut.http)
      .get('/v1/me')
      .set(from('203.0.113.7'))
      .set('Authorization', 'Bearer guess-4-0000000000000000')
      .expect(429);
    expect(guess.body.detail).toMatch(/^too many unknown API keys from this address; try again in \d+ s$/);
    expect(Number(guess.headers['retry-after'])).toBeGreaterThan(50);
    await request(sut.http).get('/v1/me').set(from('203.0.113.7')).set(sut.bearer('pharmacy')).expect(429);
    // Another client behind the same proxy is not affected, nor is a request without a key.
    await request(sut.http).get('/v1/me').set(from('203.0.113.8')).set(sut.bearer('pharmacy')).expect(200);
    await request(sut.http).get('/v1/me').set(from('203.0.113.7')).expect(401);
  });

  it('limits the public resolver per client address, as the trusted proxy names it', async () => {
    const sut = await app({ RESOLVER_RATE_LIMIT: '2', TRUST_PROXY: 'loopback' });
    sut.ledger.evaluate.mockResolvedValue({
      verdict: 'GENUINE',
      reasons: [],
      code: { gtin: '09506000134352', serial: 'X1' },
    });
    const resolve = (address: string) =>
      request(sut.http)
        .get('/01/09506000134352/21/X1')
        .set('Accept', 'application/json')
        .set('X-Forwarded-For', address);
    await resolve('198.51.100.1').expect(200);
    await resolve('198.51.100.1').expect(200);
    const limited = await resolve('198.51.100.1').expect(429);
    expect(limited.body.detail).toMatch(/^too many requests from this address: at most 2 in 60 s/);
    await resolve('198.51.100.2').expect(200);
  });
});
