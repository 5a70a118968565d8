import request from 'supertest';
import { Database } from '../src/database/database';
import { ReplicaStore } from '../src/replica/replica-store';
import { alert, blockApplier, bytes, created, MVCC, settled, shipment } from './list-fixtures';
import { createTestApp, TestApp } from './test-app';

/** The list routes over the app's own list tables, filled from blocks as the block follower fills them. */
describe('GET /v1/shipments and GET /v1/audit/alerts, paged', () => {
  let sut: TestApp;
  const shipments = [1, 2, 3].map((n) => shipment(n, 'DistributorMSP', 'PharmacyMSP', n));
  const alerts = [1, 2, 3].map((n) =>
    alert(n, String(n).repeat(64), n === 2 ? 'DistributorMSP' : 'PharmacyMSP'),
  );

  beforeAll(async () => {
    sut = await createTestApp();
    const apply = blockApplier(sut.app.get(Database), sut.app.get(ReplicaStore));
    await apply(...shipments.map((s) => ({ writes: created(s) })));
    await apply(
      { writes: settled(shipments[0], 'RECEIVED') },
      ...alerts.map((a) => ({ writes: [{ key: a.key, value: bytes(a.doc) }] })),
    );
    // Not valid: counts for nothing.
    await apply({ writes: settled(shipments[1], 'CANCELLED'), code: MVCC });
  });
  afterAll(() => sut.close());

  it('pages an organisation’s shipments newest first with its counts, each page naming its block', async () => {
    const first = await request(sut.http)
      .get('/v1/shipments?limit=2')
      .set(sut.bearer('distributor'))
      .expect(200);
    expect(first.headers['x-ledger-block']).toBe('2');
    expect(first.body.shipments.map((s: { id: string }) => s.id)).toEqual([shipments[2].id, shipments[1].id]);
    expect(first.body.counts).toEqual({ incoming: {}, outgoing: { IN_TRANSIT: 2, RECEIVED: 1 } });
    const second = await request(sut.http)
      .get(`/v1/shipments?limit=2&cursor=${first.body.next}`)
      .set(sut.bearer('distributor'))
      .expect(200);
    expect(second.body).toEqual({
      shipments: [{ ...shipments[0], status: 'RECEIVED' }],
      counts: first.body.counts,
    });
    const pharmacy = await request(sut.http)
      .get('/v1/shipments?direction=incoming&status=RECEIVED')
      .set(sut.bearer('pharmacy'))
      .expect(200);
    expect(pharmacy.body.shipments.map((s: { id: string }) => s.id)).toEqual([shipments[0].id]);
    expect(sut.ledger.evaluate).not.toHaveBeenCalled();
  });

  it('pages the alerts for the regulator, of one organisation on asking', async () => {
    const all = await request(sut.http)
      .get('/v1/audit/alerts?limit=2')
      .set(sut.bearer('regulator'))
      .expect(200);
    expect(all.body.alerts.map((a: { txId: string }) => a.txId)).toEqual([
      alerts[2].doc.txId,
      alerts[1].doc.txId,
    ]);
    expect(all.headers['x-ledger-block']).toBe('2');
    const rest = await request(sut.http)
      .get(`/v1/audit/alerts?limit=2&cursor=${all.body.next}`)
      .set(sut.bearer('regulator'))
      .expect(200);
    expect(rest.body).toEqual({ alerts: [{ ...alerts[0].doc, count: 1, lastSeen: alerts[0].doc.at }] });
    const pharmacy = await request(sut.http)
      .get('/v1/audit/alerts?org=PharmacyMSP')
      .set(sut.bearer('regulator'))
      .expect(200);
    expect(pharmacy.body.alerts.map((a: { txId: string }) => a.txId)).toEqual([
      alerts[2].doc.txId,
      alerts[0].doc.txId,
    ]);
  });

  it('400 problem+json INVALID naming the field for a bad limit or cursor; 403 for alerts to anyone but the regulator', async () => {
    const next = (await request(sut.http).get('/v1/shipments?limit=1').set(sut.bearer('distributor'))).body
      .next;
    const refused: [string, 'distributor' | 'regulator', string][] = [
      ['/v1/shipments?limit=0', 'distributor', 'limit'],
      ['/v1/shipments?limit=201', 'distributor', 'limit'],
      ['/v1/shipments?limit=1.5', 'distributor', 'limit'],
      ['/v1/shipments?cursor=%25%25', 'distributor', 'cursor'],
      ['/v1/shipments?cursor=', 'distributor', 'cursor'],
      [`/v1/shipments?cursor=${'x'.repeat(513)}`, 'distributor', 'cursor'],
      [`/v1/audit/alerts?cursor=${next}`, 'regulator', 'cursor'],
      ['/v1/audit/alerts?org=', 'regulator', 'org'],
    ];
    for (const [path, as, field] of refused) {
      const res = await request(sut.http).get(path).set(sut.bearer(as));
      expect([path, res.status]).toEqual([path, 400]);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'INVALID', errors: [{ field }] });
    }
    await request(sut.http).get('/v1/audit/alerts').set(sut.bearer('pharmacy')).expect(403);
  });
});
