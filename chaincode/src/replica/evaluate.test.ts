import { REASON_CODES, toElementString } from '../domain';
import { FakeWorldState } from '../testing/fake-world-state';
import { Identity } from '../testing/fake-ledger';
import { Chain, GTIN, GTIN_2, ID, ORG, sscc, user } from '../testing/harness';
import { KEY } from '../ledger/keys';
import { UnitGroup } from '../ledger/batch-counts';
import { createCompositeKey } from '../ledger/composite-key';
import { toJson } from '../ledger/serialize';
import { batchOnReplica, evaluateOnReplica, isQuery, replicaTxId } from './evaluate';
import { ReadOnlyReplicaError, ReplicaStub } from './replica-stub';

const SERIALS = ['S0001', 'S0002', 'S0003', 'S0004', 'S0005', 'S0006', 'S0007'];
const code = (serial: string, lot = 'A1B2', expiry = '2028-06-30', gtin = GTIN) =>
  toElementString({ gtin, lot, expiry, serial }, { parentheses: true });

const callerOf = (who: Identity) => ({
  mspId: who.mspId,
  attrs: who.attrs ?? {},
  id: `x509::/OU=client/CN=${who.name ?? 'user1'}::/CN=ca.${who.mspId.toLowerCase()}`,
});

describe('the contracts’ queries over a replica of the world state', () => {
  let chain: Chain;
  let replica: FakeWorldState;

  /** The peer's answer (the fake ledger's evaluate) and the replica's, as text or as the refusal's message. */
  async function both(who: Identity, contract: string, tx: string, args: string[]) {
    // As a client reads each: JSON (the peer writes keys sorted; equality here ignores key order).
    const run = (p: Promise<unknown>) =>
      p.then(
        (result) => JSON.parse(typeof result === 'string' ? result : JSON.stringify(result)) as unknown,
        (err: Error) => `refused ${err.message}`,
      );
    const onPeer = await run(
      chain.ledger.evaluate(who, (ctx) => {
        const instance = Object.values(chain).find(
          (c) => typeof c === 'object' && c !== null && 'getName' in c && c.getName() === contract,
        ) as Record<string, (...a: unknown[]) => Promise<unknown>>;
        return instance[tx](ctx, ...args);
      }),
    );
    const onReplica = await run(
      evaluateOnReplica(replica, callerOf(who), contract, tx, args, chain.ledger.now()),
    );
    return { onPeer, onReplica };
  }

  beforeEach(async () => {
    chain = await Chain.atPharmacy(SERIALS);
    replica = new FakeWorldState(chain.ledger);
  });

  it('gives the chaincode’s own verdict for every reason Verify can give, to every kind of scanner', async () => {
    const seen = new Set<string>();
    const scanners = [
      ID.pharmacy,
      user('pharmacy', { gln: ORG.pharmacy.glns[1] }),
      ID.pharmacy2,
      ID.distributor,
      ID.resolver,
    ];
    // A second lot of the product, so a pack scanned with the wrong (but real) lot is LOT_MISMATCH.
    await chain.commission({ lot: 'B2C3', serials: ['T0001'] });
    const compareAll = async () => {
      const codes = [
        ...SERIALS.map((s) => code(s)),
        code('S0001', 'ZZ9'),
        code('S0001', 'B2C3'),
        code('S0001', 'A1B2', '2029-01-31'),
        code('NEVER1'),
        code('S0001', 'A1B2', '2028-06-30', GTIN_2),
      ];
      for (const raw of codes)
        for (const who of scanners) {
          const { onPeer, onReplica } = await both(who, 'verification', 'Verify', [raw, '']);
          expect(onReplica).toEqual(onPeer);
          if (typeof onPeer === 'object')
            for (const r of (onPeer as { reasons: string[] }).reasons) seen.add(r);
        }
    };
    await compareAll();
    await chain.ledger.submit(ID.pharmacy, (ctx) => chain.units.Dispense(ctx, GTIN, 'S0001'));
    for (const [serial, state] of [
      ['S0002', 'STOLEN'],
      ['S0003', 'DESTROYED'],
      ['S0004', 'SAMPLE'],
      ['S0005', 'EXPORTED'],
    ])
      await chain.ledger.submit(ID.pharmacy, (ctx) => chain.units.SetState(ctx, GTIN, serial, state, 'test'));
    const shipped = await chain.ship(ID.pharmacy, 'distributor', {
      units: [
        { gtin: GTIN, serial: 'S0006' },
        { gtin: GTIN, serial: 'S0007' },
      ],
    });
    await compareAll();
    // The receiver finds S0007 missing: it stays with the sender, marked missing in transit.
    await chain.submit(ID.distributor, (ctx) =>
      chain.shipments.ReceiveScanned(
        ctx,
        shipped.id,
        JSON.stringify({ scanned: [`(01)${GTIN}(21)S0006`], acceptDiscrepancies: true }),
      ),
    );
    await compareAll();
    await chain.ledger.submit(ID.regulator, (ctx) => chain.batches.Quarantine(ctx, GTIN, 'A1B2', 'test'));
    await compareAll();
    await chain.ledger.submit(ID.regulator, (ctx) => chain.batches.Recall(ctx, GTIN, 'A1B2', 'test'));
    await compareAll();
    chain.ledger.setTime('2028-07-01T00:00:00Z');
    await compareAll();
    // CLONE_SUSPECTED comes from recorded scans (RecordScan), UNEXPECTED_IN_SHIPMENT from receipts' alerts:
    // never from Verify.
    const notFromVerify = ['CLONE_SUSPECTED', 'UNEXPECTED_IN_SHIPMENT'];
    expect([...seen].sort()).toEqual(REASON_CODES.filter((r) => !notFromVerify.includes(r)).sort());
  });

  it('answers every other query as the chaincode does, refusals included', async () => {
    const shipment = await chain.ship(ID.pharmacy, 'distributor', {
      units: [{ gtin: GTIN, serial: 'S0007' }],
    });
    await chain.ledger.submit(ID.pharmacy, (ctx) => chain.verification.RecordScan(ctx, code('NEVER1'), ''));
    const queries: [Identity, string, string, string[]][] = [
      [ID.regulator, 'units', 'Get', [GTIN, 'S0001']],
      [ID.pharmacy, 'units', 'History', [GTIN, 'S0007']],
      [ID.pharmacy, 'units', 'Get', [GTIN, 'NOPE']],
      [ID.distributor, 'batches', 'Get', [GTIN, 'A1B2']],
      [ID.manufacturer, 'batches', 'ListSerials', [GTIN, 'A1B2', '3', '']],
      [ID.distributor, 'batches', 'ListSerials', [GTIN, 'A1B2', '3', '']],
      [ID.pharmacy, 'shipments', 'Get', [shipment.id]],
      [ID.manufacturer, 'shipments', 'Get', [shipment.id]],
      [ID.pharmacy, 'shipments', 'List', ['outgoing', '']],
      [ID.distributor, 'shipments', 'List', ['', '']],
      [ID.regulator, 'audit', 'Alerts', ['10']],
      [ID.pharmacy, 'audit', 'Alerts', ['10']],
      [ID.regulator, 'audit', 'BatchEvents', [GTIN, 'A1B2']],
      [ID.pharmacy, 'registry', 'List', []],
      [ID.outsider, 'products', 'Get', [GTIN]],
      [ID.distributor, 'products', 'Get', [GTIN]],
    ];
    for (const [who, contract, tx, args] of queries) {
      const { onPeer, onReplica } = await both(who, contract, tx, args);
      expect({ query: `${contract}:${tx}`, answer: onReplica }).toEqual({
        query: `${contract}:${tx}`,
        answer: onPeer,
      });
    }
  });

  it('counts a batch from groups of units as the contract counts it unit by unit (packed, shipped, decommissioned)', async () => {
    const pallet = sscc(1);
    await chain.pack(ID.pharmacy, pallet, [
      { gtin: GTIN, serial: 'S0002' },
      { gtin: GTIN, serial: 'S0003' },
    ]);
    await chain.ship(ID.pharmacy, 'distributor', { containers: [pallet] });
    await chain.ledger.submit(ID.pharmacy, (ctx) => chain.units.Dispense(ctx, GTIN, 'S0001'));
    // What the read model keeps: units grouped by state and holder (its SQL GROUP BY), here from the ledger.
    const groups = new Map<string, UnitGroup>();
    for (const serial of SERIALS) {
      const unit = JSON.parse(
        (chain.ledger.read(createCompositeKey(KEY.unit, [GTIN, serial])) as Buffer).toString('utf8'),
      ) as UnitGroup;
      const k = JSON.stringify([unit.state, unit.parent, unit.custodian, unit.shipmentId]);
      const group = groups.get(k) ?? { ...unit, count: 0 };
      group.count++;
      groups.set(k, group);
    }
    const { onPeer } = await both(ID.distributor, 'batches', 'Get', [GTIN, 'A1B2']);
    const onReplica = await batchOnReplica(
      replica,
      callerOf(ID.distributor),
      GTIN,
      'A1B2',
      async () => groups.values(),
      chain.ledger.now(),
    );
    expect(onReplica).toEqual(onPeer);
    expect((onReplica as { counts: { byState: Record<string, number> } }).counts.byState).toEqual({
      ACTIVE: 4,
      DISPENSED: 1,
      IN_TRANSIT: 2,
    });
    let asked = false;
    await expect(
      batchOnReplica(replica, callerOf(ID.outsider), GTIN, 'A1B2', async () => ((asked = true), [])),
    ).rejects.toThrow(/^FORBIDDEN/);
    expect(asked).toBe(false);
  });

  it('reads chunk packs as the chaincode does: verify, get, history, counts, serial pages', async () => {
    const { serials } = await chain.commission({ quantity: 5 });
    await chain.ship(ID.manufacturer, 'distributor', { units: [{ gtin: GTIN, serial: serials[1] }] });
    const queries: [Identity, string, string, string[]][] = [
      ...serials.flatMap((s): [Identity, string, string, string[]][] => [
        [ID.manufacturer, 'verification', 'Verify', [code(s), '']],
        [ID.pharmacy, 'units', 'Get', [GTIN, s]],
        [ID.regulator, 'units', 'History', [GTIN, s]],
      ]),
      [ID.pharmacy, 'verification', 'Verify', [code(serials[0].slice(0, 4) + 'ZZZZZZZZ'), '']],
      [ID.distributor, 'batches', 'Get', [GTIN, 'A1B2']],
      [ID.manufacturer, 'batches', 'ListSerials', [GTIN, 'A1B2', '4', '']],
      [ID.manufacturer, 'batches', 'ListSerials', [GTIN, 'A1B2', '4', 'c:' + serials[0].slice(0, 4) + ':4']],
    ];
    for (const [who, contract, tx, args] of queries) {
      const { onPeer, onReplica } = await both(who, contract, tx, args);
      expect({ query: `${contract}:${tx}(${args.join()})`, answer: onReplica }).toEqual({
        query: `${contract}:${tx}(${args.join()})`,
        answer: onPeer,
      });
    }
  });

  it('pages a batch’s serials with the peer’s bookmarks', async () => {
    const pages: string[] = [];
    for (let bookmark = '', n = 0; n < 5; n++) {
      const { onPeer, onReplica } = await both(ID.manufacturer, 'batches', 'ListSerials', [
        GTIN,
        'A1B2',
        '3',
        bookmark,
      ]);
      expect(onReplica).toEqual(onPeer);
      const page = onReplica as { serials: string[]; bookmark: string };
      pages.push(...page.serials);
      if (!page.bookmark) break;
      bookmark = page.bookmark;
    }
    expect(pages).toEqual(SERIALS);
  });

  it('answers with the bytes a client of the peer reads: the chaincode’s canonical JSON, key order included', async () => {
    const queries: [Identity, string, string, string[]][] = [
      [ID.pharmacy, 'verification', 'Verify', [code('S0001'), '']],
      [ID.pharmacy, 'verification', 'Verify', [code('NEVER1'), '']],
      [ID.resolver, 'verification', 'Verify', [code('S0002', 'ZZ9'), '']],
      [ID.regulator, 'units', 'Get', [GTIN, 'S0003']],
      [ID.pharmacy, 'units', 'History', [GTIN, 'S0001']],
    ];
    for (const [who, contract, tx, args] of queries) {
      const onPeer = await chain.ledger.evaluate(who, (ctx) => {
        const instance = Object.values(chain).find(
          (c) => typeof c === 'object' && c !== null && 'getName' in c && c.getName() === contract,
        ) as Record<string, (...a: unknown[]) => Promise<unknown>>;
        return instance[tx](ctx, ...args);
      });
      const onReplica = await evaluateOnReplica(
        replica,
        callerOf(who),
        contract,
        tx,
        args,
        chain.ledger.now(),
      );
      expect(JSON.stringify(onReplica)).toBe(typeof onPeer === 'string' ? onPeer : toJson(onPeer));
    }
  });

  it('gives each caller its own identity, however often the same caller object asks', async () => {
    const pharmacy = callerOf(ID.pharmacy);
    const outsider = callerOf(ID.outsider);
    for (let round = 0; round < 2; round++) {
      expect(await evaluateOnReplica(replica, pharmacy, 'units', 'Get', [GTIN, 'S0001'])).toMatchObject({
        serial: 'S0001',
      });
      await expect(evaluateOnReplica(replica, outsider, 'units', 'Get', [GTIN, 'S0001'])).rejects.toThrow(
        /^FORBIDDEN/,
      );
    }
  });

  it('names each evaluation with a transaction ID of a peer’s shape, unique in the process', () => {
    const ids = Array.from({ length: 1000 }, replicaTxId);
    expect(ids.every((id) => /^[0-9a-f]{64}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('refuses transactions that write, and writes nothing', async () => {
    const before = chain.ledger.snapshot();
    expect(isQuery('units', 'Dispense')).toBe(false);
    expect(isQuery('units', 'Get')).toBe(true);
    await expect(
      evaluateOnReplica(replica, callerOf(ID.pharmacy), 'units', 'Dispense', [GTIN, 'S0001']),
    ).rejects.toThrow(/^INVALID: units:Dispense is not a query transaction/);
    await expect(evaluateOnReplica(replica, callerOf(ID.pharmacy), 'nope', 'Get', [])).rejects.toThrow(
      /INVALID/,
    );
    const stub = new ReplicaStub(replica, 'tx', new Date()).asChaincodeStub();
    expect(() => stub.putState('k', Buffer.from('v'))).toThrow(ReadOnlyReplicaError);
    expect(() => stub.setEvent('E', Buffer.alloc(0))).toThrow(ReadOnlyReplicaError);
    expect(() => stub.invokeChaincode('other', [], '')).toThrow(ReadOnlyReplicaError);
    expect(chain.ledger.snapshot()).toEqual(before);
  });
});
