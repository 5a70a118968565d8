/**
 * What regulators and operators see through the real gateway: the alert feed, the server-sent event stream
 * of ledger changes (live and resumed with Last-Event-ID), health, the OpenAPI document and metrics.
 */
import { EventStream, SseEvent } from '../support/event-stream';
import { api } from '../support/http';
import { newSerial } from '../support/ids';
import { expectAuthRequired, expectForbiddenFor } from './probes';
import { Batch, commissionBatch, elementString, expectProblem, expectStatus, mspOf } from './supply-chain';

const isRecallOf =
  (b: Batch) =>
  (e: SseEvent): boolean =>
    e.event === 'RECALLED' && e.data.gtin === b.gtin && e.data.lot === b.lot;

async function recall(b: Batch): Promise<void> {
  const res = await api('POST', `/v1/batches/${b.gtin}/${b.lot}/recall`, {
    as: 'regulator',
    body: { reason: 'falsified packs found' },
  });
  expectStatus(res, 200);
}

describe('GET /v1/audit/alerts', () => {
  it('401 without a key, with an unknown key, with a non-Bearer scheme', async () => {
    await expectAuthRequired('GET', '/v1/audit/alerts');
  });

  it('403 for manufacturer, distributor and pharmacy', async () => {
    await expectForbiddenFor(['manufacturer', 'distributor', 'pharmacy'], 'GET', '/v1/audit/alerts');
  });

  it('400 for a limit that is not an integer in 1..1000', async () => {
    for (const limit of ['abc', '0', '1001', '2.5']) {
      expectProblem(await api('GET', `/v1/audit/alerts?limit=${limit}`, { as: 'regulator' }), 400, 'INVALID');
    }
  });

  it('200 for the regulator: a counterfeit scan appears, newest first, with who scanned', async () => {
    const b = await commissionBatch(1);
    const fake = newSerial();
    const scan = await api('POST', '/v1/verify', {
      as: 'distributor',
      body: { code: elementString(b, fake) },
    });
    expect(scan.body).toMatchObject({ verdict: 'COUNTERFEIT', reasons: ['UNKNOWN_SERIAL'] });
    let alerts: { serial: string; at: string }[] = [];
    for (let i = 0; i < 60 && !alerts.some((a) => a.serial === fake); i++) {
      await new Promise((r) => setTimeout(r, 500));
      const res = await api('GET', '/v1/audit/alerts?limit=50', { as: 'regulator' });
      expectStatus(res, 200);
      alerts = res.body.alerts;
    }
    expect(alerts.find((a) => a.serial === fake)).toMatchObject({
      gtin: b.gtin,
      reasons: ['UNKNOWN_SERIAL'],
      org: mspOf('distributor'),
      txId: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(alerts.length).toBeLessThanOrEqual(50);
    const times = alerts.map((a) => a.at);
    expect([...times].sort().reverse()).toEqual(times);
  });
});

describe('GET /v1/events', () => {
  const streams: EventStream[] = [];
  const stream = (): EventStream => {
    const s = new EventStream();
    streams.push(s);
    return s;
  };
  afterEach(() => streams.splice(0).forEach((s) => s.close()));

  it('401 without a key, with an unknown key, with a non-Bearer scheme', async () => {
    await expectAuthRequired('GET', '/v1/events');
  });

  it('400 for an unknown event type in ?types=', async () => {
    expectProblem(await api('GET', '/v1/events?types=RECALLED,BOGUS', { as: 'pharmacy' }), 400, 'INVALID');
  });

  let firstRecall: SseEvent;

  it('delivers a RECALLED event to a connected member after a recall', async () => {
    const b = await commissionBatch(1);
    const live = await stream().open('?types=RECALLED', 'pharmacy');
    expect({ status: live.status, contentType: live.contentType }).toEqual({
      status: 200,
      contentType: expect.stringMatching(/^text\/event-stream/),
    });
    await recall(b);
    firstRecall = await live.until(isRecallOf(b));
    expect(firstRecall).toMatchObject({
      id: expect.stringMatching(/^\d+$/),
      data: { gtin: b.gtin, lot: b.lot, status: 'RECALLED', org: mspOf('regulator') },
    });
    expect(firstRecall.data.txId).toMatch(/^[0-9a-f]{64}$/);
    expect(live.seen.every((e) => e.event === 'RECALLED')).toBe(true);
  });

  it('resumes after Last-Event-ID: the recall made while disconnected, nothing at or before that id', async () => {
    expect(firstRecall?.id).toBeDefined();
    const b = await commissionBatch(1);
    await recall(b);
    const resumed = await stream().open('?types=RECALLED', 'distributor', firstRecall.id);
    expectStatus({ status: resumed.status, body: resumed.contentType }, 200);
    const missed = await resumed.until(isRecallOf(b));
    const ids = resumed.seen.map((e) => Number(e.id));
    expect(ids.every((id) => id > Number(firstRecall.id))).toBe(true);
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);
    expect(resumed.seen.some((e) => e.id === firstRecall.id)).toBe(false);
    expect(Number(missed.id)).toBeGreaterThan(Number(firstRecall.id));
  });
});

describe('GET /health', () => {
  it('answers without a key: up, and the peer reachable', async () => {
    const res = await api('GET', '/health', { as: null });
    expectStatus(res, 200);
    expect(res.body).toMatchObject({ status: 'ok', info: { peer: { status: 'up' } } });
  });
});

describe('GET /docs-json', () => {
  it('is an OpenAPI 3 document listing the /v1 routes with bearer authentication', async () => {
    const res = await api('GET', '/docs-json', { as: null });
    expectStatus(res, 200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/products',
        '/v1/batches',
        '/v1/batches/{gtin}/{lot}/labels',
        '/v1/shipments',
        '/v1/shipments/{id}/receive',
        '/v1/shipments/{id}/reject',
        '/v1/shipments/{id}/cancel',
        '/v1/verify',
        '/v1/verify/image',
        '/v1/units/{gtin}/{serial}/dispense',
        '/v1/units/{gtin}/{serial}/history',
        '/v1/audit/alerts',
        '/v1/events',
      ]),
    );
    expect(JSON.stringify(res.body.components?.securitySchemes)).toContain('bearer');
  });
});

describe('GET /metrics', () => {
  it('is Prometheus text with request and Fabric call histograms', async () => {
    await api('GET', '/health', { as: null });
    const res = await api<string>('GET', '/metrics', { as: null });
    expectStatus(res, 200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.body).toMatch(/^# TYPE drugtrace_http_request_duration_seconds histogram$/m);
    expect(res.body).toMatch(/^drugtrace_http_request_duration_seconds_count\{.*\} \d+$/m);
    expect(res.body).toMatch(/^# TYPE drugtrace_fabric_call_duration_seconds histogram$/m);
  });
});
