import { compareKeys, createCompositeKey } from '@drugtrace/chaincode/replica';
import { peer } from '@hyperledger/fabric-protos';
import { DIALECTS } from '../../test/databases';
import { blockOf, BlockTx } from '../../test/blocks';
import { useReplica } from '../../test/replica-fixture';
import { Queryable } from '../database/database';
import { decodeBlock } from './block-decoder';
import { ReplicaStore } from './replica-store';

jest.setTimeout(60_000);

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));
const at = (n: number) => new Date(Date.UTC(2027, 0, 15, 9, 0, n));

/** What the peer's world state is after each block: the model the replica must equal at every height. */
class Model {
  readonly states: Map<string, string>[] = [new Map()];
  readonly histories = new Map<string, { height: number; txId: string; at: number; value?: string }[]>();

  apply(txs: BlockTx[]): void {
    const height = this.states.length;
    const next = new Map(this.states[height - 1]);
    for (const tx of txs) {
      if ((tx.code ?? 0) !== 0 || (tx.chaincode ?? 'drugtrace') !== 'drugtrace') continue;
      for (const w of tx.writes) {
        if (w.value) next.set(w.key, text(w.value) as string);
        else next.delete(w.key);
        const h = this.histories.get(w.key) ?? [];
        h.push({ height, txId: tx.txId, at: tx.timestamp.getTime(), value: text(w.value) });
        this.histories.set(w.key, h);
      }
    }
    this.states.push(next);
  }

  /** Keys in [start, end) at a height (blocks applied), in the peer's order. */
  range(height: number, start: string, end: string): [string, string][] {
    return [...this.states[height]]
      .filter(([k]) => compareKeys(k, start) >= 0 && compareKeys(k, end) < 0)
      .sort(([a], [b]) => compareKeys(a, b));
  }
}

describe.each(DIALECTS)('the replica on %s', (_name, create) => {
  const r = useReplica(create);

  const apply = (number: number, txs: BlockTx[]) =>
    r.db.transaction((tx) => r.replica.applyBlock(tx, decodeBlock(blockOf(number, txs), 'drugtrace')));

  it('applies the writes of valid transactions of its chaincode only, and moves the height past the block', async () => {
    const unit = createCompositeKey('product', ['09506000134352']);
    expect(await apply(0, [])).toBe(true); // a configuration block: nothing of the chaincode's
    expect(
      await apply(1, [
        { txId: 'ok', timestamp: at(1), writes: [{ key: unit, value: bytes('{"state":"ACTIVE"}') }] },
        {
          txId: 'mvcc',
          timestamp: at(2),
          writes: [{ key: unit, value: bytes('{"state":"DISPENSED"}') }],
          code: peer.TxValidationCode.MVCC_READ_CONFLICT,
        },
        {
          txId: 'lifecycle',
          timestamp: at(3),
          writes: [{ key: 'x', value: bytes('y') }],
          chaincode: '_lifecycle',
        },
      ]),
    ).toBe(true);
    expect(await r.replica.height()).toBe(2);
    expect(text(await r.replica.at(2).get(unit))).toBe('{"state":"ACTIVE"}');
    expect(await r.replica.at(2).get('x')).toBeUndefined();
    expect(await r.replica.blockOf('ok')).toBe(1);
    expect(await r.replica.blockOf('mvcc')).toBeUndefined();
    expect(await r.replica.blockOf('lifecycle')).toBeUndefined();
  });

  it('skips a block it has applied (a follower resuming) and refuses one past a gap, changing nothing', async () => {
    const key = createCompositeKey('product', ['1']);
    await apply(0, [{ txId: 'a', timestamp: at(1), writes: [{ key, value: bytes('one') }] }]);
    expect(await apply(0, [{ txId: 'a', timestamp: at(1), writes: [{ key, value: bytes('two') }] }])).toBe(
      false,
    );
    await expect(
      apply(5, [{ txId: 'b', timestamp: at(2), writes: [{ key, value: bytes('three') }] }]),
    ).rejects.toThrow(/at height 1: it cannot apply block 5/);
    expect(await r.replica.height()).toBe(1);
    expect(text(await r.replica.at(1).get(key))).toBe('one');
    expect(await r.replica.at(1).history(key)).toHaveLength(1);
  });

  it('answers every key, range and history exactly as the world state was at any height, while later blocks arrive', async () => {
    const model = new Model();
    // Deterministic pseudo-random writes and deletes over composite keys that share prefixes.
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const keys = [
      ...['S1', 'S2', 'S10', 'Sé', 'S\u{1F600}', 'T1'].map((s) =>
        createCompositeKey('unit', ['09506000134352', s]),
      ),
      createCompositeKey('batchunit', ['09506000134352', 'A1', 'S1']),
      createCompositeKey('batchunit', ['09506000134352', 'A1', 'S2']),
      createCompositeKey('batch', ['09506000134352', 'A1']),
      'plainkey',
    ];
    for (let block = 0; block < 12; block++) {
      const txs: BlockTx[] = Array.from({ length: 1 + random(3) }, (_, t) => ({
        txId: `tx-${block}-${t}`,
        timestamp: at(block * 10 + t),
        code: random(5) === 0 ? peer.TxValidationCode.MVCC_READ_CONFLICT : peer.TxValidationCode.VALID,
        writes: [...new Set(Array.from({ length: 1 + random(4) }, () => keys[random(keys.length)]))].map(
          (key) => (random(4) === 0 ? { key } : { key, value: bytes(`${key.length}@${block}.${t}`) }),
        ),
      }));
      await apply(block, txs);
      model.apply(txs);
    }
    const ranges: [string, string][] = [
      [createCompositeKey('unit', []), createCompositeKey('unit', []) + '\u{10ffff}'],
      [
        createCompositeKey('unit', ['09506000134352']),
        createCompositeKey('unit', ['09506000134352']) + '\u{10ffff}',
      ],
      ['\u0000', '\u{10ffff}'],
      ['\u0001', ''],
    ];
    for (let height = 0; height <= 12; height++) {
      const snapshot = r.replica.at(height);
      for (const key of keys) {
        expect({ height, key, value: text(await snapshot.get(key)) }).toEqual({
          height,
          key,
          value: model.states[height].get(key),
        });
        const history = (await snapshot.history(key)).map((v) => ({
          txId: v.txId,
          at: v.timestamp.getTime(),
          value: v.isDelete ? undefined : text(v.value),
        }));
        const expected = (model.histories.get(key) ?? [])
          .filter((h) => h.height <= height)
          .map(({ txId, at, value }) => ({ txId, at, value }));
        expect(history).toEqual(expected);
      }
      for (const [start, end] of ranges) {
        const stop = end || '\u{10ffff}\u{10ffff}';
        const expected = model.range(height, start, stop);
        const all = (await snapshot.range(start, stop, 1000)).map((kv) => [kv.key, text(kv.value)]);
        expect(all).toEqual(expected);
        const firstTwo = (await snapshot.range(start, stop, 2)).map((kv) => [kv.key, text(kv.value)]);
        expect(firstTwo).toEqual(expected.slice(0, 2));
      }
    }
  });

  it('keeps each pack’s state and holder from the unit documents written, for counting a batch by groups', async () => {
    const unit = (serial: string, extra: Record<string, unknown> = {}) => ({
      key: createCompositeKey('unit', ['09506000134352', serial]),
      value: bytes(
        JSON.stringify({
          gtin: '09506000134352',
          serial,
          lot: 'A1',
          expiry: '2028-06-30',
          state: 'ACTIVE',
          custodian: { msp: 'PharmacyMSP', gln: '9506000020006' },
          ...extra,
        }),
      ),
    });
    await apply(0, [
      {
        txId: 'commission',
        timestamp: at(1),
        writes: [unit('S1'), unit('S2'), unit('S3'), unit('S4', { parent: '106141410000000015' })],
      },
    ]);
    await apply(1, [{ txId: 'dispense', timestamp: at(2), writes: [unit('S1', { state: 'DISPENSED' })] }]);
    await apply(2, [{ txId: 'gone', timestamp: at(3), writes: [{ key: unit('S3').key }] }]);
    const groups = await r.replica.unitGroups('09506000134352', 'A1');
    const custodian = { msp: 'PharmacyMSP', gln: '9506000020006' };
    expect(groups).toHaveLength(3);
    expect(groups).toEqual(
      expect.arrayContaining([
        { state: 'DISPENSED', custodian, count: 1 },
        { state: 'ACTIVE', custodian, count: 1 },
        { state: 'ACTIVE', custodian, parent: '106141410000000015', count: 1 },
      ]),
    );
    expect(await r.replica.unitGroups('09506000134352', 'OTHER')).toEqual([]);
  });

  it('expands a serial chunk into one row per pack, ACTIVE at its commissioner, until the pack’s own key replaces it', async () => {
    const maker = { msp: 'ManufacturerMSP', gln: '9506000000003' };
    const chunk = {
      key: createCompositeKey('serials', ['09506000134352', 'K7QZ']),
      value: bytes(
        JSON.stringify({
          gtin: '09506000134352',
          lot: 'A1',
          expiry: '2028-06-30',
          prefix: 'K7QZ',
          serials: ['K7QZAAAAAAAA', 'K7QZBBBBBBBB', 'K7QZCCCCCCCC'],
          manufacturer: maker.msp,
          gln: maker.gln,
          at: '2026-11-30T00:00:00.000Z',
          txId: 'commission',
        }),
      ),
    };
    await apply(0, [{ txId: 'commission', timestamp: at(1), writes: [chunk] }]);
    expect(await r.replica.unitGroups('09506000134352', 'A1')).toEqual([
      { state: 'ACTIVE', custodian: maker, count: 3 },
    ]);
    const shipped = {
      gtin: '09506000134352',
      serial: 'K7QZBBBBBBBB',
      lot: 'A1',
      expiry: '2028-06-30',
      state: 'ACTIVE',
      custodian: maker,
      shipmentId: 'ship-1',
    };
    await apply(1, [
      {
        txId: 'ship',
        timestamp: at(2),
        writes: [
          {
            key: createCompositeKey('unit', ['09506000134352', 'K7QZBBBBBBBB']),
            value: bytes(JSON.stringify(shipped)),
          },
        ],
      },
    ]);
    expect(await r.replica.unitGroups('09506000134352', 'A1')).toEqual(
      expect.arrayContaining([
        { state: 'ACTIVE', custodian: maker, count: 2 },
        { state: 'ACTIVE', custodian: maker, shipmentId: 'ship-1', count: 1 },
      ]),
    );
    expect((await r.replica.units('09506000134352', 'A1', '', 10)).map((u) => u.serial)).toEqual([
      'K7QZAAAAAAAA',
      'K7QZBBBBBBBB',
      'K7QZCCCCCCCC',
    ]);
    // The chunk's group was counted once for its three packs: the kept counts equal a recount of the rows.
    expect(await r.replica.unitCountDrift()).toEqual([]);
  });

  describe('a chunk of many packs', () => {
    const gtin = '09506000134352';
    const maker = { msp: 'ManufacturerMSP', gln: '9506000000003' };
    /** 1,300 serials: several full statements and a tail of other sizes. */
    const serials = Array.from({ length: 1300 }, (_, i) => `K7QZ${String(i).padStart(8, '0')}`);
    const chunkWrite = (list: string[], lot = 'A1') => ({
      key: createCompositeKey('serials', [gtin, `K7QZ${lot}`]),
      value: bytes(
        JSON.stringify({
          gtin,
          lot,
          expiry: '2028-06-30',
          prefix: 'K7QZ',
          serials: list,
          manufacturer: maker.msp,
          gln: maker.gln,
          at: '2026-11-30T00:00:00.000Z',
          txId: 'commission',
        }),
      ),
    });
    /** Every row of the derived tables, in a fixed order, as plain text (so both dialects compare alike). */
    const derived = async () => ({
      units: await r.db.all(
        `SELECT gtin, serial, lot, state, parent, custodian_msp, custodian_gln, shipment_id FROM replica_units
         ORDER BY gtin, serial`,
      ),
      counts: (
        await r.db.all<Record<string, unknown>>('SELECT * FROM replica_unit_counts ORDER BY gtin, lot, state')
      ).map((row) => ({ ...row, count: Number(row.count) })),
    });
    /** The statements a block's application runs, counted on its transaction. */
    const applyCounting = async (number: number, txs: BlockTx[]) => {
      let statements = 0;
      await r.db.transaction((tx) => {
        const counting: Queryable = {
          all: (sql, params) => (statements++, tx.all(sql, params)),
          get: (sql, params) => (statements++, tx.get(sql, params)),
          run: (sql, params) => (statements++, tx.run(sql, params)),
        };
        return r.replica.applyBlock(counting, decodeBlock(blockOf(number, txs), 'drugtrace'));
      });
      return statements;
    };

    it('writes its packs many rows to a statement: the rows and counts one unit key per pack would give', async () => {
      const statements = await applyCounting(0, [
        { txId: 'commission', timestamp: at(1), writes: [chunkWrite(serials)] },
      ]);
      // 1,300 rows are 512 + 512 + 256 + 16 + 4: five INSERTs, beside the block's few other statements.
      expect(statements).toBeLessThan(20);
      const fromChunk = await derived();
      expect(fromChunk.units).toHaveLength(1300);
      expect(fromChunk.counts).toEqual([
        {
          gtin,
          lot: 'A1',
          state: 'ACTIVE',
          parent: '',
          custodian_msp: maker.msp,
          custodian_gln: maker.gln,
          shipment_id: '',
          count: 1300,
        },
      ]);
      expect(await r.replica.unitCountDrift()).toEqual([]);

      // The same packs written as unit keys, one by one, into an empty replica: the same rows, the same counts.
      await r.db.transaction((tx) => r.replica.clear(tx));
      const unit = (serial: string) => ({
        key: createCompositeKey('unit', [gtin, serial]),
        value: bytes(
          JSON.stringify({
            gtin,
            serial,
            lot: 'A1',
            expiry: '2028-06-30',
            state: 'ACTIVE',
            custodian: maker,
          }),
        ),
      });
      await apply(0, [{ txId: 'units', timestamp: at(1), writes: serials.map(unit) }]);
      expect(await derived()).toEqual(fromChunk);
    });

    it('a serial listed twice is one row, counted once; a chunk of no serials writes nothing', async () => {
      const twice = [...serials.slice(0, 600), ...serials.slice(0, 20)];
      await apply(0, [
        {
          txId: 'commission',
          timestamp: at(1),
          writes: [chunkWrite(twice), chunkWrite([], 'B1')],
        },
      ]);
      expect(await r.replica.height()).toBe(1);
      expect(await r.replica.unitGroups(gtin, 'A1')).toEqual([
        { state: 'ACTIVE', custodian: maker, count: 600 },
      ]);
      expect((await derived()).units).toHaveLength(600);
      expect(await r.replica.unitGroups(gtin, 'B1')).toEqual([]);
      expect(await r.replica.unitCountDrift()).toEqual([]);
    });

    it('a failed block leaves none of the chunk’s rows behind', async () => {
      const block = decodeBlock(
        blockOf(0, [{ txId: 'commission', timestamp: at(1), writes: [chunkWrite(serials)] }]),
        'drugtrace',
      );
      await expect(
        r.db.transaction(async (tx) => {
          await r.replica.applyBlock(tx, block);
          throw new Error('the database went away');
        }),
      ).rejects.toThrow('the database went away');
      expect(await r.replica.height()).toBe(0);
      expect(await derived()).toEqual({ units: [], counts: [] });
    });
  });

  it('keeps a batch’s counts with its unit rows: each write moves one pack between groups; index:verify recounts', async () => {
    const gtin = '09506000134352';
    const pharmacy = { msp: 'PharmacyMSP', gln: '9506000020006' };
    const unit = (serial: string, extra: Record<string, unknown> = {}) => ({
      key: createCompositeKey('unit', [gtin, serial]),
      value: bytes(
        JSON.stringify({
          gtin,
          serial,
          lot: 'C1',
          expiry: '2028-06-30',
          state: 'ACTIVE',
          custodian: pharmacy,
          ...extra,
        }),
      ),
    });
    const serials = Array.from({ length: 50 }, (_, i) => `P${i}`);
    await apply(0, [{ txId: 'commission', timestamp: at(1), writes: serials.map((s) => unit(s)) }]);
    expect(await r.replica.unitGroups(gtin, 'C1')).toEqual([
      { state: 'ACTIVE', custodian: pharmacy, count: 50 },
    ]);
    const wholesaler = { msp: 'DistributorMSP', gln: '9506000010007' };
    await apply(1, [
      {
        txId: 'moves',
        timestamp: at(2),
        writes: [
          unit('P0', { state: 'IN_TRANSIT', shipmentId: 'SH1' }),
          unit('P1', { state: 'IN_TRANSIT', shipmentId: 'SH1' }),
          unit('P2', { custodian: wholesaler }),
          unit('P3'), // rewritten as it was: stays in its group
          { key: unit('P4').key }, // deleted
        ],
      },
    ]);
    // P0 arrives: out of the in-transit group, which then holds one pack.
    await apply(2, [{ txId: 'receive', timestamp: at(3), writes: [unit('P0', { custodian: wholesaler })] }]);
    const groups = await r.replica.unitGroups(gtin, 'C1');
    expect(groups).toHaveLength(3);
    expect(groups).toEqual(
      expect.arrayContaining([
        { state: 'ACTIVE', custodian: pharmacy, count: 46 },
        { state: 'ACTIVE', custodian: wholesaler, count: 2 },
        { state: 'IN_TRANSIT', custodian: pharmacy, shipmentId: 'SH1', count: 1 },
      ]),
    );
    expect(await r.replica.unitCountDrift()).toEqual([]);
    // A kept count that is not the recount is drift, and so is a group with no unit rows.
    await r.db.run(
      "UPDATE replica_unit_counts SET count = 45 WHERE custodian_msp = 'PharmacyMSP' AND state = 'ACTIVE'",
    );
    await r.db.run(
      `INSERT INTO replica_unit_counts (gtin, lot, state, parent, custodian_msp, custodian_gln, shipment_id, count)
       VALUES ('${gtin}', 'C1', 'DISPENSED', '', 'PharmacyMSP', '9506000020006', '', 3)`,
    );
    const drift = await r.replica.unitCountDrift();
    expect(drift).toHaveLength(2);
    expect(drift).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/state=ACTIVE .*custodian_msp=PharmacyMSP .*counted 45, recounted 46$/),
        expect.stringMatching(/state=DISPENSED .*counted 3, recounted 0$/),
      ]),
    );
  });

  it('fills the counts table from the unit rows of a replica built before it, at start-up', async () => {
    const gtin = '09506000134352';
    const custodian = { msp: 'PharmacyMSP', gln: '9506000020006' };
    const writes = ['A', 'B', 'C'].map((serial) => ({
      key: createCompositeKey('unit', [gtin, serial]),
      value: bytes(
        JSON.stringify({ gtin, serial, lot: 'F1', expiry: '2028-06-30', state: 'ACTIVE', custodian }),
      ),
    }));
    await apply(0, [{ txId: 'commission', timestamp: at(1), writes }]);
    // As a database of the version before the table: no table, the replica's schema one step back.
    await r.db.exec('DROP TABLE replica_unit_counts');
    await r.db.run("UPDATE schema_versions SET version = version - 1 WHERE name = 'replica'");
    await new ReplicaStore(r.db).migrate();
    expect(await r.replica.unitGroups(gtin, 'F1')).toEqual([{ state: 'ACTIVE', custodian, count: 3 }]);
    expect(await r.replica.unitCountDrift()).toEqual([]);
  });

  it('records a block’s chaincode events with its writes in one transaction: all or nothing', async () => {
    const key = createCompositeKey('product', ['g']);
    const block = decodeBlock(
      blockOf(0, [
        {
          txId: 'tx-1',
          timestamp: at(1),
          writes: [{ key, value: bytes('v') }],
          event: { name: 'DISPENSED', payload: bytes('{"type":"DISPENSED"}') },
        },
      ]),
      'drugtrace',
    );
    // What the block follower does in one transaction: the block's writes, then its event.
    const record = async (tx: Queryable) => {
      await r.replica.applyBlock(tx, block);
      await r.events.insert(tx, {
        block: 0,
        txId: 'tx-1',
        type: 'DISPENSED',
        payload: { type: 'DISPENSED' },
      });
    };
    await expect(
      r.db.transaction(async (tx) => {
        await record(tx);
        throw new Error('the database went away');
      }),
    ).rejects.toThrow('the database went away');
    expect(await r.replica.height()).toBe(0);
    expect(await r.replica.at(1).get(key)).toBeUndefined();
    expect(await r.events.since(0)).toEqual([]);
    await r.db.transaction(record);
    const recorded = await r.events.since(0);
    // PostgreSQL's sequences do not roll back: positions may have gaps, never repeats.
    expect(recorded).toMatchObject([
      { block: 0, txId: 'tx-1', type: 'DISPENSED', payload: { type: 'DISPENSED' } },
    ]);
    expect(await r.events.lastId()).toBe(recorded[0].id);
    expect(text(await r.replica.at(1).get(key))).toBe('v');
  });
});
