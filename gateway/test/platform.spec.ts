import { Caller } from '../src/auth/caller';
import { MessageEvent } from '@nestjs/common';
import request from 'supertest';
import { EventStore } from '../src/events/event-store';
import { EventsController } from '../src/events/events.controller';
import { BlockFollower } from '../src/replica/block-follower';
import { AlertQueue } from '../src/verify/alert-queue';
import { createTestApp, recordEvent, recordTransaction, TestApp } from './test-app';

describe('health, docs, metrics, audit, history and events', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await createTestApp();
  });
  afterAll(() => sut.close());
  beforeEach(() => jest.clearAllMocks());

  it('GET /health: 200 when the peer answers, 503 problem with Retry-After when not', async () => {
    await request(sut.http).get('/health').expect(200);
    sut.ledger.peerReachable.mockResolvedValueOnce(false);
    const res = await request(sut.http).get('/health').expect(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body.code).toBe('UNAVAILABLE');
  });

  it('GET /docs-json documents every /v1 route with bearer auth', async () => {
    const res = await request(sut.http).get('/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/products',
        '/v1/batches/{gtin}/{lot}/labels',
        '/v1/verify/image',
        '/v1/units/{gtin}/{serial}/history',
        '/v1/shipments/{id}/receive',
        '/v1/audit/alerts',
        '/v1/events',
      ]),
    );
    expect(res.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('GET /metrics exposes request and Fabric latency histograms', async () => {
    const res = await request(sut.http).get('/metrics').expect(200);
    expect(res.text).toContain('drugtrace_http_request_duration_seconds');
    expect(res.text).toContain('drugtrace_fabric_call_duration_seconds');
  });

  describe('GET /v1/audit/alerts', () => {
    it('403 for a manufacturer', async () => {
      await request(sut.http).get('/v1/audit/alerts').set(sut.bearer('manufacturer')).expect(403);
      expect(sut.ledger.evaluate).not.toHaveBeenCalled();
    });

    it('400 for a limit out of range', async () => {
      const res = await request(sut.http)
        .get('/v1/audit/alerts?limit=5000')
        .set(sut.bearer('regulator'))
        .expect(400);
      expect(res.body.errors[0].field).toBe('limit');
    });
  });

  it('GET /v1/units/:gtin/:serial/history adds block numbers from the replica', async () => {
    await recordTransaction(sut.app, 'tx-commission', 41);
    sut.ledger.evaluate.mockResolvedValue({
      events: [
        {
          type: 'COMMISSIONED',
          at: '2026-11-01T09:00:00.000Z',
          org: 'ManufacturerMSP',
          gln: '9506000000003',
          txId: 'tx-commission',
        },
        {
          type: 'SHIPPED',
          at: '2026-11-02T09:00:00.000Z',
          org: 'ManufacturerMSP',
          gln: '9506000000003',
          txId: 'tx-not-indexed',
        },
      ],
    });
    const res = await request(sut.http)
      .get('/v1/units/09506000134352/X7K2/history')
      .set(sut.bearer('pharmacy'))
      .expect(200);
    expect(res.body.events.map((e: { blockNumber: number | null }) => e.blockNumber)).toEqual([41, null]);
  });

  it('POST /v1/batches/:gtin/:lot/:action: 404 for an unknown action, 403 for a distributor', async () => {
    const body = { reason: 'test' };
    await request(sut.http)
      .post('/v1/batches/09506000134352/A1/explode')
      .set(sut.bearer('regulator'))
      .send(body)
      .expect(404);
    await request(sut.http)
      .post('/v1/batches/09506000134352/A1/recall')
      .set(sut.bearer('distributor'))
      .send(body)
      .expect(403);
    expect(sut.ledger.submit).not.toHaveBeenCalled();
    sut.ledger.submit.mockResolvedValue({ status: 'RECALLED' });
    await request(sut.http)
      .post('/v1/batches/09506000134352/A1/recall')
      .set(sut.bearer('regulator'))
      .send(body)
      .expect(200);
    expect(sut.ledger.submit).toHaveBeenCalledWith(
      expect.objectContaining({ role: 'REGULATOR' }),
      'batches',
      'Recall',
      '09506000134352',
      'A1',
      'test',
    );
  });

  it('POST /v1/batches: 400 when neither serials nor quantity is given', async () => {
    const res = await request(sut.http)
      .post('/v1/batches')
      .set(sut.bearer('manufacturer'))
      .send({ gtin: '09506000134352', lot: 'A1', expiry: '2028-02-30', manufacturedOn: '2026-01-01' })
      .expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['expiry', 'serials']);
  });

  it('GET /v1/events: 401 without a key', async () => {
    await request(sut.http).get('/v1/events').expect(401);
  });

  describe(`${EventsController.name} (SSE)`, () => {
    const PHARMACY: Caller = {
      org: 'pharmacy',
      mspId: 'PharmacyMSP',
      role: 'PHARMACY',
      gln: '9506000030005',
      user: 'user1',
      admin: false,
      certPath: '/nowhere/cert.pem',
      keyPath: '/nowhere/key.pem',
    };
    it('sends a member only what concerns it; recalls to everyone, everything to the regulator', async () => {
      const store = sut.app.get(EventStore);
      const events = [
        { txId: 'tx-c', type: 'COMMISSIONED', payload: { org: 'ManufacturerMSP', serials: ['S1'] } },
        {
          txId: 'tx-s',
          type: 'SHIPPED',
          payload: { org: 'DistributorMSP', to: { msp: 'PharmacyMSP', gln: 'g' } },
        },
        {
          txId: 'tx-x',
          type: 'RECEIVED',
          payload: { org: 'DistributorMSP', from: { msp: 'ManufacturerMSP', gln: 'g' } },
        },
        { txId: 'tx-a', type: 'ALERT', payload: { org: 'DistributorMSP', reasons: ['UNKNOWN_SERIAL'] } },
        { txId: 'tx-r', type: 'RECALLED', payload: { org: 'RegulatorMSP' } },
      ];
      const first = await store.lastId();
      for (const [i, e] of events.entries()) await recordEvent(sut.app, { block: 900 + i, ...e });
      const replay = async (caller: Caller): Promise<string[]> => {
        const seen: string[] = [];
        const subscription = sut.app
          .get(EventsController)
          .stream(caller, {}, String(first))
          .subscribe((m) => seen.push(String((m.data as { txId: string }).txId)));
        for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
        subscription.unsubscribe();
        return seen;
      };
      expect(await replay(PHARMACY)).toEqual(['tx-s', 'tx-r']);
      expect(
        await replay({ ...PHARMACY, org: 'regulator', mspId: 'RegulatorMSP', role: 'REGULATOR' }),
      ).toEqual(events.map((e) => e.txId));
    });

    it('replays after Last-Event-ID, then goes live, without repeating an event', async () => {
      const listener = sut.app.get(BlockFollower);
      const a = await recordEvent(sut.app, {
        block: 50,
        txId: 'tx-r1',
        type: 'RECALLED',
        payload: { type: 'RECALLED' },
      });
      const b = await recordEvent(sut.app, {
        block: 51,
        txId: 'tx-r2',
        type: 'RECALLED',
        payload: { type: 'RECALLED' },
      });
      expect(a && b).toBeTruthy();
      const received: MessageEvent[] = [];
      const subscription = sut.app
        .get(EventsController)
        .stream(PHARMACY, { types: ['RECALLED'] }, String(a!.id))
        .subscribe((m) => received.push(m));
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
      const c = (await recordEvent(sut.app, {
        block: 52,
        txId: 'tx-r3',
        type: 'RECALLED',
        payload: { type: 'RECALLED' },
      }))!;
      listener.live.next(c);
      listener.live.next(b!); // a late duplicate from the listener is not sent again
      subscription.unsubscribe();
      expect(received.map((m) => m.id)).toEqual([String(b!.id), String(c.id)]);
      expect(received[0].data).toMatchObject({ txId: 'tx-r2', blockNumber: 51 });
    });
  });
});

describe('graceful shutdown', () => {
  it('flushes queued alerts before the Fabric connections close', async () => {
    const sut = await createTestApp();
    const order: string[] = [];
    let finish: () => void = () => undefined;
    sut.ledger.submit.mockImplementation(
      () => new Promise<void>((resolve) => (finish = () => (order.push('alert submitted'), resolve()))),
    );
    sut.ledger.onModuleDestroy.mockImplementation(() => order.push('ledger closed'));
    const write = { txId: 't', submit: () => sut.ledger.submit() };
    const caller = { org: 'pharmacy', user: 'user1' } as Caller;
    sut.app.get(AlertQueue).push({ key: 'a pack', caller, first: write, prepare: () => write });
    const closing = sut.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    finish();
    await closing;
    expect(order).toEqual(['alert submitted', 'ledger closed']);
  });
});
