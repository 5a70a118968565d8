import fc from 'fast-check';
import { CommissionResult, SerialChunk, SerialPage, UnitHistory, Verification } from '../api';
import { DomainError, prefixCandidate, serialPrefix } from '../domain';
import { KEY } from '../ledger/keys';
import {
  createCompositeKey,
  Endorsement,
  MvccConflictError,
  policyOrgs,
  splitCompositeKey,
} from '../testing/fake-ledger';
import { Chain, expectRefused, GTIN, GTIN_2, ID, ORG } from '../testing/harness';

// Generated serials stored as one chunk key per commissioning page (ledger/serial-chunks.ts, ledger/records.ts).

const BODY = { gtin: GTIN, lot: 'A1B2', expiry: '2028-06-30', manufacturedOn: '2026-11-01' };
const MAKER = { msp: 'ManufacturerMSP', gln: ORG.manufacturer.glns[0] };

const chunkKey = (prefix: string, gtin = GTIN) => createCompositeKey(KEY.serialChunk, [gtin, prefix]);
const chunkOf = (chain: Chain, prefix: string, gtin = GTIN): SerialChunk | undefined => {
  const bytes = chain.ledger.read(chunkKey(prefix, gtin));
  return bytes && (JSON.parse(bytes.toString('utf8')) as SerialChunk);
};
const typesWritten = (chain: Chain): string[] =>
  [...new Set(chain.ledger.lastTx!.writes.map((k) => splitCompositeKey(k).objectType))].sort();

/** The fake ledger's transaction IDs count up: the ID `n` endorsements after `txId`. */
const txIdAfter = (txId: string, n: number): string =>
  (parseInt(txId.slice(0, 16), 16) + n).toString(16).padStart(16, '0').repeat(4);

const verify = (chain: Chain, serial: string, gtin = GTIN) =>
  chain.evaluate<Verification>(ID.manufacturer, (ctx) =>
    chain.verification.Verify(ctx, `(01)${gtin}(17)280630(10)A1B2(21)${serial}`, ''),
  );
const history = (chain: Chain, serial: string) =>
  chain.evaluate<UnitHistory>(ID.regulator, (ctx) => chain.units.History(ctx, GTIN, serial));
const counts = async (chain: Chain, lot = 'A1B2') =>
  (
    await chain.evaluate<{ counts: { byState: Record<string, number>; byCustodian: unknown[] } }>(
      ID.regulator,
      (ctx) => chain.batches.Get(ctx, GTIN, lot),
    )
  ).counts;
const allSerials = async (chain: Chain, lot = 'A1B2', pageSize = 3): Promise<string[]> => {
  const out: string[] = [];
  let bookmark = '';
  do {
    const page = await chain.evaluate<SerialPage>(ID.manufacturer, (ctx) =>
      chain.batches.ListSerials(ctx, GTIN, lot, String(pageSize), bookmark),
    );
    out.push(...page.serials);
    bookmark = page.bookmark;
  } while (bookmark);
  return out;
};
const dispense = (chain: Chain, serial: string) =>
  chain.submit(ID.pharmacy, (ctx) => chain.units.Dispense(ctx, GTIN, serial));

/** Brute force: each serial's state and holder, read one by one as units:Get answers. */
async function countedOneByOne(chain: Chain, serials: string[]) {
  const byState: Record<string, number> = {};
  for (const s of serials) {
    const u = await chain.unit(GTIN, s);
    const state = u.inTransit && u.state === 'ACTIVE' ? 'IN_TRANSIT' : u.state;
    byState[state] = (byState[state] ?? 0) + 1;
  }
  return byState;
}

describe('serial chunks', () => {
  let chain: Chain;
  beforeEach(async () => {
    chain = new Chain();
    await chain.seed();
    await chain.registerProduct();
  });

  it('commissions a generated page as a handful of keys: chunk, its index entry, batch, batch event, record', async () => {
    const result = await chain.commission({ quantity: 500, idempotencyKey: 'page-1' });
    expect(typesWritten(chain)).toEqual([
      KEY.batch,
      KEY.batchChunk,
      KEY.batchEvent,
      KEY.commission,
      KEY.serialChunk,
    ]);
    expect(chain.ledger.lastTx!.writes).toHaveLength(5);
    const prefix = serialPrefix(result.serials[0]);
    for (const s of result.serials) expect(s).toMatch(new RegExp(`^${prefix}[A-HJ-NP-Z2-9]{8}$`));
    expect([...result.serials].sort()).toEqual(result.serials);
    expect(chunkOf(chain, prefix)).toEqual({
      gtin: GTIN,
      lot: 'A1B2',
      expiry: '2028-06-30',
      prefix,
      serials: result.serials,
      manufacturer: 'ManufacturerMSP',
      gln: MAKER.gln,
      user: 'manufacturer-user',
      at: expect.any(String),
      txId: chain.ledger.lastTx!.txId,
    });
    expect(policyOrgs(chain.ledger.validationParameter(chunkKey(prefix)))).toEqual([
      'ManufacturerMSP',
      'RegulatorMSP',
    ]);
    expect(chain.ledger.read(createCompositeKey(KEY.unit, [GTIN, result.serials[0]]))).toBeUndefined();
    // A repeat under the key answers the chunk's serials and writes nothing.
    expect(await chain.commission({ quantity: 500, idempotencyKey: 'page-1' })).toEqual({
      ...result,
      replayed: true,
    });
  });

  it('reads a chunk pack as ACTIVE at the commissioner: units:Get, verify GENUINE, counts', async () => {
    const { serials } = await chain.commission({ quantity: 20 });
    const unit = await chain.unit(GTIN, serials[7]);
    expect(unit).toMatchObject({ serial: serials[7], state: 'ACTIVE', custodian: MAKER, inTransit: false });
    expect(unit.last).toMatchObject({
      type: 'COMMISSIONED',
      org: 'ManufacturerMSP',
      user: 'manufacturer-user',
    });
    expect(await verify(chain, serials[7])).toMatchObject({ verdict: 'GENUINE' });
    expect(await counts(chain)).toEqual({
      byState: { ACTIVE: 20 },
      byCustodian: [{ ...MAKER, state: 'ACTIVE', count: 20 }],
    });
  });

  it('answers UNKNOWN_SERIAL / NOT_FOUND for a serial under a claimed prefix that was never generated', async () => {
    const { serials } = await chain.commission({ quantity: 20 });
    const missing = serialPrefix(serials[0]) + 'ZZZZZZZZ';
    expect(serials).not.toContain(missing);
    expect(await verify(chain, missing)).toMatchObject({
      verdict: 'COUNTERFEIT',
      reasons: ['UNKNOWN_SERIAL'],
    });
    await expect(chain.unit(GTIN, missing)).rejects.toThrow(/^NOT_FOUND: unit .* was never commissioned/);
    // The same serial of another product is another pack: the chunk is per GTIN.
    await chain.registerProduct(GTIN_2);
    expect(await verify(chain, serials[0], GTIN_2)).toMatchObject({ reasons: ['UNKNOWN_SERIAL'] });
  });

  it('refuses a given serial in a generated range, and keeps given generated-shape serials out of later claims', async () => {
    const { serials } = await chain.commission({ quantity: 5 });
    const inRange = serialPrefix(serials[0]) + 'AAAAAAAA';
    await expectRefused(
      chain,
      () => chain.commission({ serials: ['S-1', inRange], lot: 'OTHER' }),
      'CONFLICT',
      new RegExp(`serial ${GTIN}/${inRange} falls in a generated serial range`),
    );
    await expectRefused(
      chain,
      () => chain.commission({ serials: [serials[2]] }),
      'CONFLICT',
      /is already commissioned/,
    );
    // The next generated commission is two endorsements away: take its first prefix with a given serial first.
    const probe = await chain.ledger.endorse(ID.regulator, async () => 'probe');
    const claimTx = txIdAfter(probe.txId, 2);
    const taken = prefixCandidate(claimTx, 0);
    await chain.commission({ serials: [`${taken}AAAAAAAA`] });
    expect(chain.ledger.read(createCompositeKey(KEY.givenPrefix, [GTIN, taken]))).toBeDefined();
    const next = await chain.commission({ quantity: 3 });
    expect(chain.ledger.lastTx!.txId).toBe(claimTx);
    expect(serialPrefix(next.serials[0])).toBe(prefixCandidate(claimTx, 1));
  });

  it('invalidates a claim when a given serial under its prefix commits first (MVCC), and the retry claims another', async () => {
    const claim = await chain.ledger.endorse(ID.manufacturer, (ctx) =>
      chain.batches.Commission(ctx, JSON.stringify({ ...BODY, quantity: 4 })),
    );
    const prefix = serialPrefix(claim.result.serials[0]);
    await chain.commission({ serials: [`${prefix}AAAAAAAA`], lot: 'L2' });
    expect(() => chain.ledger.commit(claim)).toThrow(MvccConflictError);
    expect(chunkOf(chain, prefix)).toBeUndefined();
    const retried = await chain.commission({ quantity: 4 });
    expect(serialPrefix(retried.serials[0])).not.toBe(prefix);
  });

  it('materializes a chunk pack at its first change: unit key and batch index entry; the chunk is only read', async () => {
    const { serials } = await chain.commission({ quantity: 10 });
    const prefix = serialPrefix(serials[0]);
    const before = chain.ledger.read(chunkKey(prefix));
    await chain.ship(ID.manufacturer, 'distributor', { units: [{ gtin: GTIN, serial: serials[3] }] });
    const tx = chain.ledger.lastTx!;
    expect(tx.writes).toContain(createCompositeKey(KEY.unit, [GTIN, serials[3]]));
    expect(tx.writes).toContain(createCompositeKey(KEY.batchUnit, [GTIN, 'A1B2', serials[3]]));
    expect(tx.writes).not.toContain(chunkKey(prefix));
    // Neither its value nor its policy is written again: first changes of one chunk's packs do not conflict.
    expect(tx.requiredOrgs).toEqual([]);
    expect(chain.ledger.read(chunkKey(prefix))).toEqual(before);
    expect(policyOrgs(chain.ledger.validationParameter(chunkKey(prefix)))).toEqual([
      'ManufacturerMSP',
      'RegulatorMSP',
    ]);
    expect(chain.unitPolicy(GTIN, serials[3])).toEqual(['DistributorMSP', 'ManufacturerMSP', 'RegulatorMSP']);
    expect(await counts(chain)).toEqual({
      byState: { ACTIVE: 9, IN_TRANSIT: 1 },
      byCustodian: [
        { ...MAKER, state: 'ACTIVE', count: 9 },
        { ...MAKER, state: 'IN_TRANSIT', count: 1 },
      ],
    });
  });

  it('keeps a chunk pack’s history exact and never revives it after a dispense', async () => {
    const { serials } = await chain.commission({ quantity: 6 });
    const commissionTx = chain.ledger.lastTx!.txId;
    const units = [{ gtin: GTIN, serial: serials[1] }];
    await chain.receive(ID.distributor, (await chain.ship(ID.manufacturer, 'distributor', { units })).id);
    await chain.receive(ID.pharmacy, (await chain.ship(ID.distributor, 'pharmacy', { units })).id);
    await dispense(chain, serials[1]);
    const { events } = await history(chain, serials[1]);
    expect(events.map((e) => [e.type, e.org])).toEqual([
      ['COMMISSIONED', 'ManufacturerMSP'],
      ['SHIPPED', 'ManufacturerMSP'],
      ['RECEIVED', 'DistributorMSP'],
      ['SHIPPED', 'DistributorMSP'],
      ['RECEIVED', 'PharmacyMSP'],
      ['DISPENSED', 'PharmacyMSP'],
    ]);
    expect(events[0].txId).toBe(commissionTx);
    expect((await history(chain, serials[2])).events).toEqual([events[0]]);
    expect(await chain.unit(GTIN, serials[1])).toMatchObject({ state: 'DISPENSED' });
    expect(await verify(chain, serials[1])).toMatchObject({
      verdict: 'SUSPECT',
      reasons: ['ALREADY_DISPENSED'],
    });
    await expectRefused(chain, () => dispense(chain, serials[1]), 'CONFLICT');
    expect(await counts(chain)).toMatchObject({ byState: { ACTIVE: 5, DISPENSED: 1 } });
  });

  it('units:History reads a chunk pack’s chunk and unit key once each, whether the pack changed or not', async () => {
    const { serials } = await chain.commission({ quantity: 6 });
    const prefix = serialPrefix(serials[0]);
    await chain.receive(
      ID.distributor,
      (await chain.ship(ID.manufacturer, 'distributor', { units: [{ gtin: GTIN, serial: serials[1] }] })).id,
    );
    const readsOf = async (serial: string) => {
      chain.ledger.stateReads.clear();
      const { events } = await history(chain, serial);
      const reads = (key: string) => chain.ledger.stateReads.get(key) ?? 0;
      return {
        types: events.map((e) => e.type),
        chunk: reads(chunkKey(prefix)),
        unit: reads(createCompositeKey(KEY.unit, [GTIN, serial])),
      };
    };
    // Never changed: read from its chunk, whose commissioning History tells without reading it again.
    expect(await readsOf(serials[2])).toEqual({ types: ['COMMISSIONED'], chunk: 1, unit: 1 });
    // Changed: its own key, and its chunk for the commissioning.
    expect(await readsOf(serials[1])).toEqual({
      types: ['COMMISSIONED', 'SHIPPED', 'RECEIVED'],
      chunk: 1,
      unit: 1,
    });
  });

  it('lists a lot’s serials over chunks then given serials, each once, in pages of any size', async () => {
    const a = await chain.commission({ quantity: 4 });
    await chain.commission({ serials: ['G-1', 'G-2'] });
    const b = await chain.commission({ quantity: 3 });
    await chain.ship(ID.manufacturer, 'distributor', { units: [{ gtin: GTIN, serial: a.serials[0] }] });
    const expected = [...a.serials, ...b.serials, 'G-1', 'G-2'].sort();
    for (const size of [1, 2, 3, 4, 100])
      expect((await allSerials(chain, 'A1B2', size)).sort()).toEqual(expected);
    await expect(
      chain.evaluate(ID.manufacturer, (ctx) => chain.batches.ListSerials(ctx, GTIN, 'A1B2', '2', 'junk')),
    ).rejects.toThrow(/^INVALID: bookmark/);
  });

  it('refuses a change of a chunk pack by an organisation that does not hold it, with nothing written', async () => {
    // Custody of a chunk pack is the chunk's commissioner's until its own key says otherwise.
    const { serials } = await chain.commission({ quantity: 2 });
    await expectRefused(
      chain,
      () => chain.ship(ID.distributor, 'pharmacy', { units: [{ gtin: GTIN, serial: serials[0] }] }),
      'CONFLICT',
      /held by ManufacturerMSP/,
    );
  });

  it('property: serials stay unique per GTIN across interleaved, racing generated and given commissions', async () => {
    // Steps endorse commissions (generated, or given serials aimed at prefixes other commissions claimed) and
    // commit pending endorsements in any order; an endorsement the ledger moved past is invalidated (MVCC).
    const step = fc.oneof(
      fc.record({
        kind: fc.constant('gen' as const),
        lot: fc.constantFrom('L1', 'L2'),
        n: fc.integer({ min: 1, max: 6 }),
      }),
      fc.record({
        kind: fc.constant('given' as const),
        lot: fc.constantFrom('L1', 'L2', 'L3'),
        aim: fc.nat(),
        tail: fc.constantFrom('AAAAAAAA', 'BBBBBBBB'),
        fresh: fc.boolean(),
      }),
      fc.record({ kind: fc.constant('commit' as const), pick: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), async (steps) => {
        const c = new Chain();
        await c.seed();
        await c.registerProduct();
        const pending: Endorsement<CommissionResult>[] = [];
        const seen: string[] = [];
        const committed = new Map<string, string[]>();
        const endorse = async (body: object) => {
          try {
            const e = await c.ledger.endorse(ID.manufacturer, (ctx) =>
              c.batches.Commission(ctx, JSON.stringify(body)),
            );
            pending.push(e);
            seen.push(...e.result.serials);
          } catch (err) {
            if (!(err instanceof DomainError) || err.code !== 'CONFLICT') throw err;
          }
        };
        const commit = (i: number) => {
          const [e] = pending.splice(i, 1);
          try {
            c.ledger.commit(e);
          } catch (err) {
            if (!(err instanceof MvccConflictError)) throw err;
            return;
          }
          const lot = e.result.lot;
          committed.set(lot, [...(committed.get(lot) ?? []), ...e.result.serials]);
        };
        for (const s of steps) {
          if (s.kind === 'gen') await endorse({ ...BODY, lot: s.lot, quantity: s.n });
          else if (s.kind === 'given') {
            const target = seen.length > 0 && !s.fresh ? serialPrefix(seen[s.aim % seen.length]) : 'Q9Q9';
            await endorse({ ...BODY, lot: s.lot, serials: [target + s.tail, `P-${s.aim % 5}`] });
          } else if (pending.length > 0) commit(s.pick % pending.length);
        }
        while (pending.length > 0) commit(0);
        const all = [...committed.values()].flat();
        expect(new Set(all).size).toBe(all.length);
        for (const [lot, serials] of committed) {
          expect((await allSerials(c, lot, 4)).sort()).toEqual([...serials].sort());
          for (const s of serials) expect(await c.unit(GTIN, s)).toMatchObject({ lot, state: 'ACTIVE' });
        }
        // No given serial lies under a chunk's prefix.
        for (const s of all.filter((x) => /^[A-Z2-9]{12}$/.test(x))) {
          const chunk = chunkOf(c, serialPrefix(s));
          if (chunk) expect(chunk.serials).toContain(s);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('property: never-commissioned serials verify UNKNOWN_SERIAL, chunk packs GENUINE', async () => {
    const { serials } = await chain.commission({ quantity: 50 });
    const prefix = serialPrefix(serials[0]);
    await fc.assert(
      fc.asyncProperty(
        fc.string({
          unit: fc.constantFrom(...'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'),
          minLength: 8,
          maxLength: 8,
        }),
        fc.boolean(),
        async (tail, underPrefix) => {
          const serial = (underPrefix ? prefix : 'ZZ22') + tail;
          const result = await verify(chain, serial);
          if (serials.includes(serial)) expect(result.verdict).toBe('GENUINE');
          else expect(result).toMatchObject({ verdict: 'COUNTERFEIT', reasons: ['UNKNOWN_SERIAL'] });
        },
      ),
      { numRuns: 200 },
    );
    for (const s of serials.slice(0, 5)) expect((await verify(chain, s)).verdict).toBe('GENUINE');
  });

  it('property: after any moves of chunk packs, each history is the chunk’s COMMISSIONED then its own changes, dispensed packs stay dispensed, counts equal one-by-one reads, the chunk keeps manufacturer + regulator', async () => {
    const move = fc.record({
      pack: fc.nat({ max: 7 }),
      action: fc.constantFrom('toPharmacy', 'dispense', 'undo'),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(move, { maxLength: 10 }), async (moves) => {
        const c = new Chain();
        await c.seed();
        await c.registerProduct();
        const { serials } = await c.commission({ quantity: 8 });
        const commissionTx = c.ledger.lastTx!.txId;
        const chunkBefore = c.ledger.read(chunkKey(serialPrefix(serials[0])));
        const expected = new Map<string, string[]>(serials.map((s) => [s, ['COMMISSIONED']]));
        const dispensed = new Set<string>();
        for (const { pack, action } of moves) {
          const serial = serials[pack];
          const trail = expected.get(serial)!;
          const units = [{ gtin: GTIN, serial }];
          if (action === 'toPharmacy' && trail.length === 1) {
            await c.receive(ID.pharmacy, (await c.ship(ID.manufacturer, 'pharmacy', { units })).id);
            trail.push('SHIPPED', 'RECEIVED');
          } else if (action === 'dispense' && trail.length > 1 && !dispensed.has(serial)) {
            await c.submit(ID.pharmacy, (ctx) => c.units.Dispense(ctx, GTIN, serial));
            trail.push('DISPENSED');
            dispensed.add(serial);
          } else if (action === 'undo' && dispensed.has(serial)) {
            await c.submit(ID.pharmacy, (ctx) => c.units.UndoDispense(ctx, GTIN, serial));
            trail.push('DISPENSE_UNDONE');
            dispensed.delete(serial);
          } else if (action === 'dispense' && trail.length === 1) {
            // Not at the pharmacy: refused, nothing written, the pack stays at the manufacturer.
            await expectRefused(
              c,
              () => c.submit(ID.pharmacy, (ctx) => c.units.Dispense(ctx, GTIN, serial)),
              'CONFLICT',
            );
          }
        }
        for (const serial of serials) {
          const { events } = await c.evaluate<UnitHistory>(ID.regulator, (ctx) =>
            c.units.History(ctx, GTIN, serial),
          );
          expect(events.map((e) => e.type)).toEqual(expected.get(serial));
          expect(events[0].txId).toBe(commissionTx);
          const unit = await c.unit(GTIN, serial);
          expect(unit.state).toBe(dispensed.has(serial) ? 'DISPENSED' : 'ACTIVE');
        }
        const byState = await countedOneByOne(c, serials);
        expect((await counts(c)).byState).toEqual(byState);
        const prefix = serialPrefix(serials[0]);
        expect(c.ledger.read(chunkKey(prefix))).toEqual(chunkBefore);
        expect(policyOrgs(c.ledger.validationParameter(chunkKey(prefix)))).toEqual([
          'ManufacturerMSP',
          'RegulatorMSP',
        ]);
      }),
      { numRuns: 40 },
    );
  });
});
