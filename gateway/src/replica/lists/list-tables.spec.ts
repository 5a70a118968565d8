import { BadRequestException } from '@nestjs/common';
import { DIALECTS, TestDatabase } from '../../../test/databases';
import { Database } from '../../database/database';
import { ReplicaStore } from '../replica-store';
import { checkLists } from './list-check';
import { encodeCursor } from './list-cursor';
import { ListQueries, Page } from './list-queries';
import {
  alert,
  blockApplier,
  bytes,
  created,
  id,
  MVCC,
  settled,
  shipment,
  time,
} from '../../../test/list-fixtures';

jest.setTimeout(60_000);

/** Every page of a list, following `next`. */
async function allPages<T>(
  first: (cursor?: string) => Promise<Page<T>>,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await first(cursor);
    items.push(...page.items);
    cursor = page.next;
    pages++;
  } while (cursor);
  return { items, pages };
}

describe.each(DIALECTS)('the list tables on %s', (_name, create) => {
  let server: TestDatabase;
  let db: Database;
  let replica: ReplicaStore;
  let lists: ListQueries;
  let apply: ReturnType<typeof blockApplier>;

  beforeEach(async () => {
    server = await create();
    db = server.open();
    replica = new ReplicaStore(db);
    lists = new ListQueries(db);
    await replica.migrate();
    apply = blockApplier(db, replica);
  });

  afterEach(async () => {
    await db.close();
    await server.drop();
  });

  it('lists a shipment for its sender and its receiver with counts, and an invalid transaction changes nothing', async () => {
    const s = shipment(1, 'DistributorMSP', 'PharmacyMSP', 1);
    await apply({ writes: created(s) });
    // Block 1: a receipt that lost an MVCC conflict, and a shipment whose creation was invalidated.
    const ghost = shipment(2, 'DistributorMSP', 'PharmacyMSP', 2);
    await apply({ writes: settled(s, 'RECEIVED'), code: MVCC }, { writes: created(ghost), code: MVCC });

    const out = await lists.shipmentsWithCounts('DistributorMSP', { limit: 10 });
    expect(out.items).toEqual([s]);
    expect(out.height).toBe(2);
    expect(out.counts).toEqual({ incoming: {}, outgoing: { IN_TRANSIT: 1 } });
    const pharmacy = await lists.shipmentsWithCounts('PharmacyMSP', { direction: 'incoming', limit: 10 });
    expect(pharmacy.items.map((x) => x.id)).toEqual([s.id]);
    expect(pharmacy.counts).toEqual({ incoming: { IN_TRANSIT: 1 }, outgoing: {} });
    expect((await lists.shipments('PharmacyMSP', { direction: 'outgoing', limit: 10 })).items).toEqual([]);
    expect((await lists.shipments('ManufacturerMSP', { limit: 10 })).items).toEqual([]);

    // The valid receipt moves the status and the counts, on both sides.
    await apply({ writes: settled(s, 'RECEIVED') });
    expect((await lists.shipmentCounts('PharmacyMSP')).counts).toEqual({
      incoming: { RECEIVED: 1 },
      outgoing: {},
    });
    expect((await lists.shipmentCounts('DistributorMSP')).counts).toEqual({
      incoming: {},
      outgoing: { RECEIVED: 1 },
    });
    expect((await lists.shipments('DistributorMSP', { status: 'IN_TRANSIT', limit: 10 })).items).toEqual([]);
    expect((await lists.shipments('DistributorMSP', { status: 'RECEIVED', limit: 10 })).items).toEqual([
      { ...s, status: 'RECEIVED' },
    ]);
    expect((await checkLists(db, replica)).drift).toEqual([]);
  });

  it('pages newest first, then by id, through every shipment once, whatever the page size', async () => {
    // Minutes repeat so that ties on creation time are ordered by id.
    const all = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5].map((minute, n) =>
      shipment(
        n + 1,
        n % 3 ? 'DistributorMSP' : 'PharmacyMSP',
        n % 3 ? 'PharmacyMSP' : 'DistributorMSP',
        minute,
      ),
    );
    await apply(...all.slice(0, 6).map((s) => ({ writes: created(s) })));
    await apply(...all.slice(6).map((s) => ({ writes: created(s) })));
    // The order shipments:List sorts in.
    const expected = [...all].sort(
      (a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id),
    );
    for (const limit of [1, 2, 3, 4, 11, 50]) {
      const { items, pages } = await allPages((cursor) =>
        lists.shipments('DistributorMSP', { limit, cursor }),
      );
      expect(items.map((s) => s.id)).toEqual(expected.map((s) => s.id));
      expect(pages).toBe(Math.max(1, Math.ceil(all.length / limit)));
    }
    const incoming = await allPages((cursor) =>
      lists.shipments('DistributorMSP', { direction: 'incoming', limit: 2, cursor }),
    );
    expect(incoming.items.map((s) => s.id)).toEqual(
      expected.filter((s) => s.to.msp === 'DistributorMSP').map((s) => s.id),
    );
  });

  it('a page after new shipments arrive starts exactly after the last one the client saw', async () => {
    const first = [1, 2, 3].map((n) => shipment(n, 'DistributorMSP', 'PharmacyMSP', n));
    await apply(...first.map((s) => ({ writes: created(s) })));
    const page1 = await lists.shipments('DistributorMSP', { limit: 2 });
    expect(page1.items.map((s) => s.id)).toEqual([id(3), id(2)]);
    await apply({ writes: created(shipment(4, 'DistributorMSP', 'PharmacyMSP', 4)) });
    const page2 = await lists.shipments('DistributorMSP', { limit: 2, cursor: page1.next });
    expect(page2.items.map((s) => s.id)).toEqual([id(1)]);
    expect(page2.next).toBeUndefined();
    expect(page2.height).toBe(2);
  });

  it('lists alerts newest first, of everyone or of one organisation; a repeat counts on its row; an invalid one is absent', async () => {
    const a = alert(1, 'a'.repeat(64), 'PharmacyMSP');
    const b = alert(2, 'b'.repeat(64), 'DistributorMSP');
    const c = alert(3, 'c'.repeat(64), 'PharmacyMSP');
    const invalid = alert(4, 'd'.repeat(64), 'PharmacyMSP');
    await apply(
      { writes: [{ key: a.key, value: bytes(a.doc) }] },
      { writes: [{ key: b.key, value: bytes(b.doc) }] },
    );
    await apply(
      { writes: [{ key: c.key, value: bytes(c.doc) }] },
      { writes: [{ key: invalid.key, value: bytes(invalid.doc) }], code: MVCC },
    );
    // An alert recorded before repeats were counted reads as one occurrence, as audit:Alerts reads it.
    const read = (doc: typeof a.doc) => ({ count: 1, lastSeen: doc.at, ...doc });
    const everyone = await allPages((cursor) => lists.alerts({ limit: 2, cursor }));
    expect(everyone.items).toEqual([read(c.doc), read(b.doc), read(a.doc)]);
    expect(everyone.pages).toBe(2);
    const pharmacy = await allPages((cursor) => lists.alerts({ org: 'PharmacyMSP', limit: 1, cursor }));
    expect(pharmacy.items.map((x) => x.txId)).toEqual([c.doc.txId, a.doc.txId]);

    const repeated = alert(1, 'a'.repeat(64), 'PharmacyMSP', 2);
    await apply({ writes: [{ key: repeated.key, value: bytes(repeated.doc) }] });
    const after = await lists.alerts({ limit: 10 });
    expect(after.items.map((x) => [x.txId, x.count])).toEqual([
      [c.doc.txId, 1],
      [b.doc.txId, 1],
      [a.doc.txId, 2],
    ]);
    expect(await checkLists(db, replica)).toMatchObject({ alertRows: 3, drift: [] });
  });

  it("lists each of a receipt's discrepancy alerts (keyed by transaction and number) in the chaincode's key order", async () => {
    const txId = 'e'.repeat(64);
    const missing = alert(5, txId, 'DistributorMSP', undefined, 0);
    const unexpected = alert(5, txId, 'DistributorMSP', undefined, 1);
    const scan = alert(5, 'f'.repeat(64), 'PharmacyMSP');
    await apply({
      writes: [missing, unexpected, scan].map((a) => ({ key: a.key, value: bytes(a.doc) })),
    });
    const listed = await allPages((cursor) => lists.alerts({ limit: 1, cursor }));
    expect(listed.items.map((x) => x.txId)).toEqual([txId, txId, scan.doc.txId]);
    expect(listed.pages).toBe(3);
    expect(await checkLists(db, replica)).toMatchObject({ alertRows: 3, drift: [] });
  });

  it('refuses a cursor it did not give, or one of another list, as a 400 on the cursor field', async () => {
    for (const cursor of [
      'not a cursor!',
      'e30',
      encodeCursor('alerts', ['1', 'x']),
      encodeCursor('shipments', ['yesterday', id(1)]),
      Buffer.from('[1,2,3]').toString('base64url'),
    ]) {
      const refusal = await lists.shipments('DistributorMSP', { limit: 1, cursor }).catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(BadRequestException);
      expect((refusal as BadRequestException).getResponse()).toMatchObject({ errors: [{ field: 'cursor' }] });
    }
    for (const cursor of [encodeCursor('shipments', [time(1), id(1)]), encodeCursor('alerts', ['12', 'x'])])
      await expect(lists.alerts({ limit: 1, cursor })).rejects.toThrow(BadRequestException);
    // A cursor this list gave is taken.
    expect(await lists.alerts({ limit: 1, cursor: encodeCursor('alerts', ['1'.repeat(13), 'x']) })).toEqual({
      items: [],
      height: 0,
    });
  });

  it('index:verify finds a derived row that is wrong, missing or extra, and a count that is off', async () => {
    const s = shipment(1, 'DistributorMSP', 'PharmacyMSP', 1);
    const a = alert(1, 'a'.repeat(64), 'PharmacyMSP');
    await apply({ writes: [...created(s), { key: a.key, value: bytes(a.doc) }] });
    expect(await checkLists(db, replica)).toEqual({ height: 1, shipmentRows: 2, alertRows: 1, drift: [] });

    await db.run("UPDATE list_shipments SET status = 'RECEIVED' WHERE direction = 'incoming'");
    await db.run("UPDATE list_shipment_counts SET n = 5 WHERE direction = 'outgoing'");
    await db.run('DELETE FROM list_alerts');
    const { drift } = await checkLists(db, replica);
    expect(drift).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^shipment row missing from the derived table: PharmacyMSP\|incoming\|0+1\|IN_TRANSIT/,
        ),
        expect.stringMatching(
          /^shipment row in the derived table, not in the replica: PharmacyMSP\|incoming\|0+1\|RECEIVED/,
        ),
        expect.stringMatching(
          /^shipment count in the derived table, not in the replica: DistributorMSP\|outgoing\|IN_TRANSIT\|5/,
        ),
        expect.stringMatching(/^alert row missing from the derived table: /),
      ]),
    );
    expect(drift).toHaveLength(5);
  });

  it('a replica that followed blocks before the tables existed fills them when it starts', async () => {
    const s = shipment(1, 'DistributorMSP', 'PharmacyMSP', 1);
    const a = alert(1, 'a'.repeat(64), 'PharmacyMSP');
    await apply({ writes: [...created(s), { key: a.key, value: bytes(a.doc) }] });
    await apply({ writes: settled(s, 'RECEIVED') });
    // As a gateway upgraded from before the lists: the replica holds them, the tables do not.
    await db.transaction(async (t) => {
      for (const table of ['list_shipments', 'list_shipment_counts', 'list_alerts'])
        await t.run(`DELETE FROM ${table}`);
    });
    expect((await checkLists(db, replica)).drift).toHaveLength(5);

    await replica.migrate();
    expect(await checkLists(db, replica)).toEqual({ height: 2, shipmentRows: 2, alertRows: 1, drift: [] });
    expect((await lists.shipmentCounts('PharmacyMSP')).counts).toEqual({
      incoming: { RECEIVED: 1 },
      outgoing: {},
    });
    // Starting again changes nothing.
    await replica.migrate();
    expect((await lists.shipments('PharmacyMSP', { limit: 10 })).items).toEqual([
      { ...s, status: 'RECEIVED' },
    ]);
  });

  it('a rebuild empties the derived tables with the replica', async () => {
    await apply({ writes: created(shipment(1, 'DistributorMSP', 'PharmacyMSP', 1)) });
    await db.transaction((t) => replica.clear(t));
    expect(await replica.height()).toBe(0);
    expect(await lists.shipmentsWithCounts('DistributorMSP', { limit: 5 })).toEqual({
      items: [],
      height: 0,
      counts: { incoming: {}, outgoing: {} },
    });
  });
});
