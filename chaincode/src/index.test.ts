import { Contract } from 'fabric-contract-api';
import { EVENT_TYPES } from './domain';
import { contracts } from './index';
import { Chain, GTIN, ID, ORG, resultJson, sscc } from './testing/harness';

/** A whole supply chain, the same on every call: commission, pack, ship, receive, unpack, dispense, recall, scan. */
async function story(chain: Chain): Promise<string[]> {
  const results: string[] = [];
  const run = async (who: typeof ID.manufacturer, tx: Parameters<Chain['ledger']['submit']>[1]) => {
    results.push(resultJson(await chain.ledger.submit(who, tx)));
  };
  await chain.seed();
  await chain.registerProduct();
  await run(ID.manufacturer, (ctx) =>
    chain.batches.Commission(
      ctx,
      JSON.stringify({
        gtin: GTIN,
        lot: 'L1',
        expiry: '2028-06-30',
        manufacturedOn: '2026-11-01',
        quantity: 4,
      }),
    ),
  );
  const serials = (JSON.parse(results[0]) as { serials: string[] }).serials;
  const units = serials.map((serial) => ({ gtin: GTIN, serial }));
  await run(ID.manufacturer, (ctx) =>
    chain.containers.Pack(ctx, JSON.stringify({ sscc: sscc(5), contents: units.slice(0, 2) })),
  );
  await run(ID.manufacturer, (ctx) =>
    chain.shipments.Create(
      ctx,
      JSON.stringify({
        to: 'PharmacyMSP',
        toGln: ORG.pharmacy.glns[0],
        units: units.slice(2),
        containers: [sscc(5)],
      }),
    ),
  );
  const shipmentId = (JSON.parse(results[2]) as { id: string }).id;
  await run(ID.pharmacy, (ctx) => chain.shipments.Receive(ctx, shipmentId));
  await run(ID.pharmacy, (ctx) => chain.containers.Unpack(ctx, sscc(5)));
  await run(ID.pharmacy, (ctx) => chain.units.Dispense(ctx, GTIN, serials[0]));
  await run(ID.manufacturer, (ctx) => chain.batches.Recall(ctx, GTIN, 'L1', 'contamination'));
  await run(ID.pharmacy, (ctx) =>
    chain.verification.RecordScan(ctx, `(01)${GTIN}(10)L1(21)${serials[1]}`, ''),
  );
  return results;
}

describe('DrugTrace chaincode', () => {
  it('exports every contract under a distinct name for fabric-chaincode-node', () => {
    const names = contracts.map((C) => (new C() as Contract).getName());
    expect(names).toEqual([
      'registry',
      'products',
      'batches',
      'units',
      'containers',
      'shipments',
      'verification',
      'audit',
    ]);
  });

  it('is deterministic: two peers running the same transactions produce identical results and world state', async () => {
    const [peerA, peerB] = [new Chain(), new Chain()];
    const [a, b] = [await story(peerA), await story(peerB)];
    expect(a).toEqual(b);
    expect(peerA.ledger.snapshot()).toEqual(peerB.ledger.snapshot());
  });

  it('emits exactly one known event per state-changing transaction, named by its type, payload with the tx ID', async () => {
    const chain = new Chain();
    await story(chain);
    for (const tx of chain.ledger.transactions) {
      expect(tx.event).toBeDefined();
      const event = tx.event as { name: string; payload: Buffer };
      expect(EVENT_TYPES).toContain(event.name);
      const payload = JSON.parse(event.payload.toString()) as { type: string; txId: string; at: string };
      expect(payload.type).toBe(event.name);
      expect(payload.txId).toBe(tx.txId);
      expect(payload.at).toBe(tx.timestamp.toISOString());
    }
    expect(chain.ledger.transactions.map((t) => t.event?.name)).toEqual([
      'ORG_ADMITTED',
      'PRODUCT_REGISTERED',
      'COMMISSIONED',
      'PACKED',
      'SHIPPED',
      'RECEIVED',
      'UNPACKED',
      'DISPENSED',
      'RECALLED',
      'ALERT',
    ]);
  });

  it('stores nothing but deterministic JSON or the one-byte index value', async () => {
    const chain = new Chain();
    await story(chain);
    for (const [key, value] of chain.ledger.snapshot()) {
      const bytes = Buffer.from(value.split('|')[0], 'base64');
      if (bytes.length === 1 && bytes[0] === 0) continue;
      const text = bytes.toString('utf8');
      const sorted = (v: unknown): unknown =>
        Array.isArray(v)
          ? v.map(sorted)
          : v && typeof v === 'object'
            ? Object.fromEntries(
                Object.entries(v)
                  .sort(([x], [y]) => (x < y ? -1 : 1))
                  .map(([k, w]) => [k, sorted(w)]),
              )
            : v;
      expect({ key, text }).toEqual({ key, text: JSON.stringify(sorted(JSON.parse(text))) });
    }
  });
});
