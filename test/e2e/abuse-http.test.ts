/**
 * The gateway under abuse over HTTP (red-team report, issue 13): decompression-bomb photos, heavy photos,
 * amplifying and deeply nested bodies — each refused with a clear problem while /health keeps answering within
 * 1 s — security headers on every page, /metrics for loopback only, and the rate limits. The shared gateway
 * runs with its defaults; the limits that need a proxy in front or small numbers to reach are checked on a
 * second gateway this file starts on the same network (its own home and index, its own port) and stops.
 */
import { MAX_GOODS_PER_MOVE } from '@drugtrace/chaincode/domain';
import { ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiResponse } from '../support/http';
import { newGtin, newSerial, newSscc } from '../support/ids';
import { drugtraceHome, gatewayUrl, readApiKeys, repoRoot } from '../support/paths';
import { blankPng, finderPatternPng } from '../support/png';
import { expectProblem } from './supply-chain';

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  ms: number;
}

/** One request to `base`, its answer read whole, timed. */
async function call(base: string, path: string, init: RequestInit = {}): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(base + path, { ...init, signal: AbortSignal.timeout(60_000) });
  const text = await res.text();
  let body: Answer['body'] = {};
  try {
    body = JSON.parse(text);
  } catch {
    // HTML or Prometheus text
  }
  return { status: res.status, headers: res.headers, text, body, ms: performance.now() - started };
}

const bearer = (org: string) => ({ authorization: `Bearer ${readApiKeys()[org]}` });

/** POST /v1/verify/image with `bytes` as the multipart field `image`, as the pharmacy. */
function uploadPhoto(base: string, bytes: Buffer): Promise<Answer> {
  const form = new FormData();
  form.append('image', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), 'photo.png');
  return call(base, '/v1/verify/image', { method: 'POST', headers: bearer('pharmacy'), body: form });
}

const postJson = (base: string, path: string, body: string, as = 'distributor') =>
  call(base, path, { method: 'POST', headers: { ...bearer(as), 'content-type': 'application/json' }, body });

const asApiResponse = (a: Answer): ApiResponse => ({ status: a.status, headers: a.headers, body: a.body });

/**
 * Runs `abuse` while polling /health every 100 ms, each poll allowed 1 s; returns the abuse's result and every
 * poll's status and time (a poll that got no answer in 1 s counts as status 0).
 */
async function withHealthPolled<T>(
  abuse: () => Promise<T>,
): Promise<{ result: T; polls: { status: number; ms: number }[] }> {
  const polls: { status: number; ms: number }[] = [];
  let done = false;
  const poller = (async () => {
    while (!done) {
      const started = performance.now();
      const status = await fetch(`${gatewayUrl}/health`, { signal: AbortSignal.timeout(1_000) }).then(
        async (res) => (await res.arrayBuffer(), res.status),
        () => 0,
      );
      polls.push({ status, ms: Math.round(performance.now() - started) });
      await sleep(100);
    }
  })();
  try {
    return { result: await abuse(), polls };
  } finally {
    done = true;
    await poller;
  }
}

/** Every poll answered 200 within 1 s, and there were enough to have watched the whole abuse. */
function expectAlwaysHealthy(polls: { status: number; ms: number }[], atLeast: number): void {
  expect(polls.length).toBeGreaterThanOrEqual(atLeast);
  expect(polls.filter((p) => p.status !== 200 || p.ms >= 1_000)).toEqual([]);
}

/** The shared gateway's resident memory, from its pid file. */
function gatewayRssMb(): number {
  const pid = readFileSync(join(drugtraceHome, 'gateway', 'gateway.pid'), 'utf8').trim();
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

describe('photos that are small to send and huge to decode (shared gateway, default limits)', () => {
  // Made up front: seconds of this process's CPU between requests would let idle keep-alive sockets expire
  // under the client's feet.
  let bombs: Buffer[];
  let heavy: Buffer;
  beforeAll(async () => {
    bombs = await Promise.all([1, 2, 3, 4, 5, 6].map(() => blankPng(10_000, 10_000)));
    bombs.push(await blankPng(20_000, 20_000));
    // 16 megapixels of finder-like squares: seconds of decoding each, and no code in it.
    heavy = finderPatternPng(4000, 4000);
  }, 60_000);

  it('six 10,000 × 10,000 PNGs (97 KB each) and one of 20,000 × 20,000 in parallel: 413 from the header, /health answering within 1 s, memory not kept', async () => {
    expect(bombs[0].length).toBeLessThan(120_000);
    const rssBefore = gatewayRssMb();

    const { result, polls } = await withHealthPolled(async () => {
      await sleep(300);
      const answers = await Promise.all(bombs.map((bomb) => uploadPhoto(gatewayUrl, bomb)));
      await sleep(1_000);
      return answers;
    });

    for (const [i, answer] of result.entries()) {
      expectProblem(asApiResponse(answer), 413, 'TOO_LARGE');
      const side = i < 6 ? 10_000 : 20_000;
      expect(answer.body.detail).toBe(
        `the PNG image is ${side} × ${side} pixels; at most 16,000,000 pixels (16 megapixels) are decoded`,
      );
      expect(answer.ms).toBeLessThan(5_000);
    }
    expectAlwaysHealthy(polls, 8);
    // Decoding one of them took 400 MB that stayed; refused from the header, they cost next to nothing.
    expect(gatewayRssMb() - rssBefore).toBeLessThan(150);
  });

  it('heavy photos under the pixel limit are decoded off the event loop, a few at a time: 422 (no code), 503 BUSY past the queue', async () => {
    const { result, polls } = await withHealthPolled(() =>
      Promise.all(Array.from({ length: 8 }, () => uploadPhoto(gatewayUrl, heavy))),
    );

    const refused = result.filter((a) => a.status === 503);
    const decoded = result.filter((a) => a.status === 422);
    expect(refused.length + decoded.length).toBe(8);
    // At most 2 workers and 4 waiting by default: 8 at once overflow the queue.
    expect(refused.length).toBeGreaterThanOrEqual(2);
    for (const answer of refused) {
      expectProblem(asApiResponse(answer), 503, 'BUSY');
      expect(answer.body.detail).toBe('every image decoder is busy; try again in a few seconds');
      expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
    }
    expect(decoded.length).toBeGreaterThanOrEqual(1);
    for (const answer of decoded) {
      expectProblem(asApiResponse(answer), 422, 'UNPROCESSABLE');
      expect(answer.body.detail).toMatch(
        /^(no QR code or DataMatrix found in the image|the PNG image could not be decoded within 5 s)$/,
      );
    }
    expectAlwaysHealthy(polls, 5);
  });

  it('bytes that are no image of a known format: 422 without decoding', async () => {
    const answer = await uploadPhoto(gatewayUrl, Buffer.from('%PDF-1.7\n not a photo'));
    expectProblem(asApiResponse(answer), 422, 'UNPROCESSABLE');
    expect(answer.body.detail).toBe('the upload is not a PNG, JPEG, GIF or BMP image');
  });
});

describe('bodies that amplify or nest (shared gateway)', () => {
  it('60,000 container items in 780 KB: a short 400 at once, not megabytes of errors; /health answering within 1 s', async () => {
    const body = JSON.stringify({
      sscc: newSscc(),
      contents: Array.from({ length: 60_000 }, () => ({ gtin: 'x' })),
    });
    expect(body.length).toBeGreaterThan(700_000);
    expect(body.length).toBeLessThan(1_000_000);
    const { result: answers, polls } = await withHealthPolled(async () => {
      await sleep(200);
      const sent = await Promise.all([1, 2, 3, 4].map(() => postJson(gatewayUrl, '/v1/containers', body)));
      await sleep(200);
      return sent;
    });
    for (const answer of answers) {
      expectProblem(asApiResponse(answer), 400, 'INVALID');
      expect(answer.body.errors).toEqual([
        {
          field: 'contents',
          messages: [`contents must contain no more than ${MAX_GOODS_PER_MOVE} elements`],
        },
      ]);
      expect(answer.text.length).toBeLessThan(2_000);
    }
    expectAlwaysHealthy(polls, 3);
  });

  it('1,000 invalid items (within the limit): 20 field errors listed, the rest counted', async () => {
    const contents = Array.from({ length: MAX_GOODS_PER_MOVE }, () => ({ gtin: 'x1', serial: newSerial() }));
    const answer = await postJson(
      gatewayUrl,
      '/v1/containers',
      JSON.stringify({ sscc: newSscc(), contents }),
    );
    expectProblem(asApiResponse(answer), 400, 'INVALID');
    expect(answer.body.errors).toHaveLength(20);
    expect(answer.body.errors[0].field).toBe('contents.0.gtin');
    expect(answer.body.errorsOmitted).toBe(MAX_GOODS_PER_MOVE - 20);
    expect(answer.text.length).toBeLessThan(5_000);
  });

  it.each([10_000, 100_000])('JSON nested %i levels deep: 400, not 500', async (levels) => {
    const body = '{"code":'.repeat(levels) + '"x"' + '}'.repeat(levels);
    const { result: answer, polls } = await withHealthPolled(() =>
      postJson(gatewayUrl, '/v1/verify', body, 'pharmacy'),
    );
    expectProblem(asApiResponse(answer), 400, 'INVALID');
    expect(answer.body.detail).toBe('the body nests arrays and objects deeper than 32 levels');
    expectAlwaysHealthy(polls, 1);
  });

  it('still: 413 for a body over 1 MB; no stack trace, path or parser words in any refusal', async () => {
    const tooLarge = await postJson(
      gatewayUrl,
      '/v1/verify',
      JSON.stringify({ code: 'x'.repeat(1_100_000) }),
      'pharmacy',
    );
    expectProblem(asApiResponse(tooLarge), 413, 'TOO_LARGE');
    const refusals = [
      tooLarge,
      await postJson(gatewayUrl, '/v1/verify', '{"code":', 'pharmacy'),
      await postJson(gatewayUrl, '/v1/verify', '['.repeat(50_000), 'pharmacy'),
      await uploadPhoto(gatewayUrl, Buffer.from('GIF89a')),
    ];
    expect(refusals.map((a) => a.status)).toEqual([413, 400, 400, 422]);
    for (const answer of refusals) {
      expect(answer.text).not.toMatch(
        /\s+at\s+\S+\s+\(|\/work\/|node_modules|\.ts:\d+|SyntaxError|RangeError/,
      );
    }
  });
});

describe('security headers (shared gateway)', () => {
  const link = `/01/${newGtin()}/10/A1/21/${newSerial()}?17=280630`;

  it.each([
    '/',
    '/manufacturer.html',
    '/shipments.html',
    '/regulator.html',
    '/docs',
    link,
    '/health',
    '/v1/me',
  ])('%s: a CSP the pages work under, no framing, nosniff, no referrer', async (path) => {
    const answer = await call(gatewayUrl, path, { headers: { ...bearer('pharmacy'), accept: 'text/html' } });
    expect(answer.status).toBe(200);
    const csp = answer.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).toContain("script-src-attr 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(answer.headers.get('x-frame-options')).toBe('DENY');
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('/metrics answers the loopback scraper', async () => {
    const answer = await call(gatewayUrl, '/metrics');
    expect(answer.status).toBe(200);
    expect(answer.text).toMatch(/^# TYPE drugtrace_http_request_duration_seconds histogram$/m);
  });
});

/** A free TCP port on loopback, as the OS hands one out. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('behind a trusted proxy, with small limits (a second gateway on the same network)', () => {
  const METRICS_TOKEN = `metrics-${newSerial()}-${newSerial()}`;
  let home: string;
  let child: ChildProcess;
  let base: string;
  let log = '';
  const from = (address: string, headers: Record<string, string> = {}) => ({
    headers: { 'x-forwarded-for': address, ...headers },
  });

  beforeAll(async () => {
    // Its own home (index), the same network and keys.
    home = mkdtempSync(join(tmpdir(), 'drugtrace-abuse-'));
    for (const file of ['network.json', 'api-keys.json'])
      copyFileSync(join(drugtraceHome, file), join(home, file));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, [join(repoRoot, 'gateway', 'dist', 'main.js')], {
      env: {
        ...process.env,
        DRUGTRACE_HOME: home,
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'warn',
        TRUST_PROXY: 'loopback',
        METRICS_TOKEN,
        API_RATE_LIMIT: '5',
        AUTH_FAILURE_LIMIT: '3',
        RESOLVER_RATE_LIMIT: '3',
        IMAGE_DECODE_TIMEOUT_MS: '300',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    const deadline = Date.now() + 60_000;
    for (;;) {
      const up = await fetch(`${base}/health`, { signal: AbortSignal.timeout(2_000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`the second gateway did not come up: ${log}`);
      await sleep(500);
    }
  }, 90_000);

  afterAll(async () => {
    if (child?.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(30_000, undefined, { ref: false })]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(home, { recursive: true, force: true });
  }, 60_000);

  it('/metrics: 403 for a client the proxy names, unless it presents METRICS_TOKEN; the local scraper passes', async () => {
    const refused = await call(base, '/metrics', from('203.0.113.9'));
    expectProblem(asApiResponse(refused), 403, 'FORBIDDEN');
    expect(refused.text).not.toContain('drugtrace_');
    const wrong = await call(
      base,
      '/metrics',
      from('203.0.113.9', { authorization: `Bearer ${METRICS_TOKEN}x` }),
    );
    expect(wrong.status).toBe(403);
    const token = await call(
      base,
      '/metrics',
      from('203.0.113.9', { authorization: `Bearer ${METRICS_TOKEN}` }),
    );
    expect(token.status).toBe(200);
    expect(token.text).toContain('drugtrace_http_request_duration_seconds');
    expect((await call(base, '/metrics')).status).toBe(200);
  });

  it('each API key has its own limit: the sixth request in a minute is 429 with Retry-After, another key passes', async () => {
    for (let i = 0; i < 5; i++)
      expect((await call(base, '/v1/me', { headers: bearer('pharmacy') })).status).toBe(200);
    const limited = await call(base, '/v1/me', { headers: bearer('pharmacy') });
    expectProblem(asApiResponse(limited), 429, 'RATE_LIMITED');
    expect(limited.body.detail).toMatch(/^too many requests from this API key: at most 5 in 60 s/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await call(base, '/v1/me', { headers: bearer('distributor') })).status).toBe(200);
  });

  it('unknown API keys: after 3 from one client, 429 for its key attempts (a valid key too); its neighbour behind the proxy passes', async () => {
    for (let i = 0; i < 3; i++) {
      const guess = await call(
        base,
        '/v1/me',
        from('203.0.113.7', { authorization: `Bearer guess-${i}-${newSerial()}` }),
      );
      expectProblem(asApiResponse(guess), 401, 'UNAUTHENTICATED');
    }
    const blocked = await call(
      base,
      '/v1/me',
      from('203.0.113.7', { authorization: `Bearer guess-4-${newSerial()}` }),
    );
    expectProblem(asApiResponse(blocked), 429, 'RATE_LIMITED');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await call(base, '/v1/me', from('203.0.113.7', bearer('regulator')))).status).toBe(429);
    expect((await call(base, '/v1/me', from('203.0.113.8', bearer('regulator')))).status).toBe(200);
  });

  it('the public resolver counts each client the proxy names, not the proxy', async () => {
    const resolve = (address: string) =>
      call(base, `/01/${newGtin()}/21/${newSerial()}`, from(address, { accept: 'application/json' }));
    for (let i = 0; i < 3; i++) expect((await resolve('198.51.100.1')).status).toBe(200);
    const limited = await resolve('198.51.100.1');
    expectProblem(asApiResponse(limited), 429, 'RATE_LIMITED');
    expect(limited.body.detail).toMatch(/^too many requests from this address: at most 3 in 60 s/);
    expect((await resolve('198.51.100.2')).status).toBe(200);
  });

  it('a photo that takes longer than IMAGE_DECODE_TIMEOUT_MS to decode: 422, and the decoder serves the next one', async () => {
    const [heavy, light] = [finderPatternPng(4000, 4000), finderPatternPng(210, 210)];
    const slow = await uploadPhoto(base, heavy);
    expectProblem(asApiResponse(slow), 422, 'UNPROCESSABLE');
    expect(slow.body.detail).toBe('the PNG image could not be decoded within 0.3 s');
    // The timed-out worker was replaced; the new one first loads the decoder, which on a busy machine can
    // itself take longer than this test's 0.3 s limit. The pool is not wedged if a later photo is decoded.
    let next = await uploadPhoto(base, light);
    for (let i = 0; i < 5 && next.body.detail !== 'no QR code or DataMatrix found in the image'; i++)
      next = await uploadPhoto(base, light);
    expectProblem(asApiResponse(next), 422, 'UNPROCESSABLE');
    expect(next.body.detail).toBe('no QR code or DataMatrix found in the image');
  });
});
