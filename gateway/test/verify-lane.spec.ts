import { PinoLogger } from 'nestjs-pino';
import { storage } from 'nestjs-pino/storage';
import request from 'supertest';
import { ApiKeyGuard } from '../src/auth/api-key.guard';
import { RateLimitGuard } from '../src/rate-limit/rate-limit.guard';
import { VerifyController } from '../src/verify/verify.controller';
import { isPlainVerifyBody, VerifyLane } from '../src/verify/verify-lane';
import { createTestApp, TestApp } from './test-app';

const GTIN = '09506000134352';
const CODE = `(01)${GTIN}(17)280630(10)A1B2(21)X7K2M9Q4P1Z8`;
const GENUINE = {
  verdict: 'GENUINE',
  reasons: [],
  code: { gtin: GTIN, lot: 'A1B2', expiry: '2028-06-30', serial: 'X7K2M9Q4P1Z8' },
};
// `?consistency=replica` is the same read with a query string: the router serves it, not the lane.
const ROUTED = '/v1/verify?consistency=replica';

const apps: TestApp[] = [];
async function app(env: Record<string, string> = {}): Promise<TestApp> {
  const made = await createTestApp(env);
  apps.push(made);
  made.ledger.evaluate.mockResolvedValue(GENUINE);
  return made;
}
afterAll(() => Promise.all(apps.map((a) => a.close())));

/** An answer without what differs between two scans: the receipt's time and signature, the date, the ID. */
function comparable(res: request.Response) {
  const { receipt, ...body } = res.body as { receipt: string };
  const [header, payload] = receipt.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  delete claims.at;
  const signed = { header, claims };
  const headers = Object.keys(res.headers)
    .filter((h) => !['date', 'x-request-id', 'content-length', 'x-ratelimit-remaining-member'].includes(h))
    .sort()
    .map((h) => `${h}: ${h === 'x-ratelimit-reset-member' ? '' : String(res.headers[h])}`);
  return { status: res.status, body, signed, headers };
}

describe('which bodies the verify lane serves', () => {
  it.each([[{ code: CODE }], [{ code: 'x' }], [{ code: 'A'.repeat(512) }], [{ code: `]d2\x1d01${GTIN}` }]])(
    'serves %j',
    (body) => expect(isPlainVerifyBody(body)).toBe(true),
  );

  it.each([
    [{ code: CODE, extra: 1 }],
    [{ code: '' }],
    [{ code: 'A'.repeat(513) }],
    [{ code: 42 }],
    [{ code: 'Ünïcode' }],
    [{}],
    [[{ code: CODE }]],
    [null],
    ['code'],
    [undefined],
  ])('leaves %j to the validation pipe', (body) => expect(isPlainVerifyBody(body)).toBe(false));
});

describe('what the lane applies', () => {
  it('every global guard of the application, in its order, and nothing the route declares', async () => {
    const sut = await app();
    // Nest keeps the APP_GUARD instances in its application config; the lane must run exactly those.
    const global = (
      sut.app as unknown as { config: { getGlobalGuards(): unknown[] } }
    ).config.getGlobalGuards();
    expect(global.map((g) => (g as object).constructor.name)).toEqual(['ApiKeyGuard', 'RateLimitGuard']);
    expect(global).toEqual([sut.app.get(ApiKeyGuard), sut.app.get(RateLimitGuard)]);
  });

  it('refuses to start for a route that declares its own guard', () => {
    class Extra {
      canActivate = () => true;
    }
    Reflect.defineMetadata('__guards__', [Extra], VerifyController.prototype.verify);
    try {
      expect(() => new VerifyLane({} as VerifyController, [] as never)).toThrow(/declares __guards__/);
    } finally {
      Reflect.deleteMetadata('__guards__', VerifyController.prototype.verify);
    }
  });
});

describe('POST /v1/verify through the lane and through the router', () => {
  it('answers the same verdict, receipt and headers either way', async () => {
    const sut = await app();
    const lane = await request(sut.http).post('/v1/verify').set(sut.bearer('pharmacy')).send({ code: CODE });
    const routed = await request(sut.http).post(ROUTED).set(sut.bearer('pharmacy')).send({ code: CODE });
    expect(lane.status).toBe(200);
    expect(lane.body).toMatchObject({ verdict: 'GENUINE', regimes: expect.any(Object) });
    expect(comparable(lane)).toEqual(comparable(routed));
    expect(lane.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(lane.headers['content-security-policy']).toContain("default-src 'self'");
    // Both were evaluated as the scanning pharmacy at its GLN.
    expect(sut.ledger.evaluate.mock.calls[0]).toEqual(sut.ledger.evaluate.mock.calls[1]);
  });

  it('leaves a body the pipe must judge to the router: an unknown field is its 400', async () => {
    const sut = await app();
    const res = await request(sut.http)
      .post('/v1/verify')
      .set(sut.bearer('pharmacy'))
      .send({ code: CODE, lot: 'A1B2' })
      .expect(400);
    expect(res.body).toMatchObject({ code: 'INVALID' });
    expect(JSON.stringify(res.body)).toContain('lot');
    expect(sut.ledger.evaluate).not.toHaveBeenCalled();
  });

  it('refuses through the problem filter: no key, an unknown key, a bad X-Min-Block, a malformed code', async () => {
    const sut = await app();
    const post = () => request(sut.http).post('/v1/verify').send({ code: CODE });
    const noKey = await post().expect(401);
    expect(noKey.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(noKey.body).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    await post().set('Authorization', 'Bearer made-up-0000000000000000').expect(401);
    const bad = await post().set(sut.bearer('pharmacy')).set('X-Min-Block', '-1').expect(400);
    expect(bad.body.detail).toBe('X-Min-Block must be a block number (a non-negative integer)');
    const malformed = await request(sut.http)
      .post('/v1/verify')
      .set(sut.bearer('pharmacy'))
      .send({ code: `(01)${GTIN}(17)281331(10)A1B2(21)X7K2` })
      .expect(400);
    expect(malformed.body).toMatchObject({ code: 'INVALID', ai: '17', position: 22 });
    expect(sut.ledger.evaluate).not.toHaveBeenCalled();
  });

  it('shares the route’s rate limit with the router: the key’s fourth request of three is 429', async () => {
    const sut = await app({ API_RATE_LIMIT: '3' });
    const lane = () => request(sut.http).post('/v1/verify').set(sut.bearer('pharmacy')).send({ code: CODE });
    expect((await lane().expect(200)).headers['x-ratelimit-remaining-member']).toBe('2');
    await request(sut.http).post(ROUTED).set(sut.bearer('pharmacy')).send({ code: CODE }).expect(200);
    expect((await lane().expect(200)).headers['x-ratelimit-remaining-member']).toBe('0');
    const limited = await lane().expect(429);
    expect(limited.body.detail).toMatch(/^too many requests from this API key: at most 3 in 60 s/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(50);
    expect(sut.ledger.evaluate).toHaveBeenCalledTimes(3);
  });

  it('counts each unknown key once, with the router: the address waits after AUTH_FAILURE_LIMIT', async () => {
    const sut = await app({ AUTH_FAILURE_LIMIT: '3' });
    const guess = (i: number) => ({ Authorization: `Bearer guess-${i}-0000000000000000` });
    for (let i = 0; i < 3; i++)
      await request(sut.http).post('/v1/verify').set(guess(i)).send({ code: CODE }).expect(401);
    // The fourth unknown key, on another route, meets the count the lane kept.
    const waited = await request(sut.http).get('/v1/me').set(guess(4)).expect(429);
    expect(waited.body.detail).toMatch(/^too many unknown API keys from this address/);
    await request(sut.http).post('/v1/verify').set(sut.bearer('pharmacy')).send({ code: CODE }).expect(429);
    expect(sut.ledger.evaluate).not.toHaveBeenCalled();
  });

  it('times the lane’s answers under the route’s own label', async () => {
    const sut = await app();
    await request(sut.http).post('/v1/verify').set(sut.bearer('pharmacy')).send({ code: CODE }).expect(200);
    const metrics = await request(sut.http).get('/metrics').expect(200);
    expect(metrics.text).toMatch(
      /drugtrace_http_request_duration_seconds_count\{[^}]*route="\/v1\/verify"[^}]*status="200"[^}]*\} 1/,
    );
  });
  describe('its log', () => {
    /** The request loggers the lane makes (PinoLogger.root's children), each recording its lines. */
    function loggers() {
      const made: {
        bindings: Record<string, unknown>;
        lines: [Record<string, unknown>, string][];
        logger: unknown;
      }[] = [];
      type Parent = { child: (bindings: Record<string, unknown>) => unknown };
      const spy = jest.spyOn(PinoLogger.root as unknown as Parent, 'child').mockImplementation((bindings) => {
        const lines: [Record<string, unknown>, string][] = [];
        const logger = {
          info: (obj: Record<string, unknown>, msg: string) => lines.push([obj, msg]),
        };
        made.push({ bindings, lines, logger });
        return logger;
      });
      return { made, restore: () => spy.mockRestore() };
    }

    it('logs one line per answer on a logger bound to the request, which the services log through', async () => {
      const sut = await app();
      const { made, restore } = loggers();
      let during: unknown;
      sut.ledger.evaluate.mockImplementation(async () => {
        during = storage.getStore()?.logger;
        return GENUINE;
      });
      try {
        const res = await request(sut.http)
          .post('/v1/verify')
          .set(sut.bearer('pharmacy'))
          .send({ code: CODE });
        expect(res.status).toBe(200);
        await new Promise((resolve) => setImmediate(resolve));
        expect(made).toHaveLength(1);
        const [{ bindings, lines, logger }] = made;
        expect((bindings.req as { id: unknown }).id).toBe(res.headers['x-request-id']);
        expect(lines).toEqual([
          [expect.objectContaining({ responseTime: expect.any(Number) }), 'request completed'],
        ]);
        expect(during).toBe(logger);
      } finally {
        restore();
      }
    });

    it('logs "request aborted" when the client goes away before the answer', async () => {
      const sut = await app();
      const { made, restore } = loggers();
      let answer!: (value: unknown) => void;
      sut.ledger.evaluate.mockImplementation(() => new Promise((resolve) => (answer = resolve)));
      try {
        await expect(
          request(sut.http).post('/v1/verify').set(sut.bearer('pharmacy')).send({ code: CODE }).timeout(200),
        ).rejects.toThrow(/timeout/i);
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(made).toHaveLength(1);
        expect(made[0].lines.map(([, msg]) => msg)).toEqual(['request aborted']);
        answer(GENUINE);
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(made[0].lines).toHaveLength(1); // one line per request, whatever comes after
      } finally {
        restore();
      }
    });
  });
});
