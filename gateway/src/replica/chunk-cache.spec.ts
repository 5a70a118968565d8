import { createCompositeKey, KEY } from '@drugtrace/chaincode/replica';
import { DIALECTS } from '../../test/databases';
import { blockOf, BlockTx } from '../../test/blocks';
import { useReplica } from '../../test/replica-fixture';
import { Queryable, SqlValue } from '../database/database';
import { decodeBlock } from './block-decoder';
import { ChunkCache, isChunkKey } from './chunk-cache';

jest.setTimeout(60_000);

const GTIN = '09506000134352';
const keyOf = (prefix: string) => createCompositeKey(KEY.serialChunk, [GTIN, prefix]);
const at = (n: number) => new Date(Date.UTC(2027, 0, 15, 9, 0, n));
const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));

/** A chunk document of `count` serials under `prefix` (as the chaincode writes one), as its bytes. */
function chunk(prefix: string, count: number, lot = 'A1'): Uint8Array {
  const serials = Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(8, '0')}`);
  return new TextEncoder().encode(
    JSON.stringify({
      gtin: GTIN,
      lot,
      expiry: '2028-06-30',
      prefix,
      serials,
      manufacturer: 'ManufacturerMSP',
      gln: '9506000000003',
      at: '2026-11-30T00:00:00.000Z',
      txId: `commission-${prefix}`,
    }),
  );
}

/** A Queryable over `db` that counts the statements reading a value (what the cache saves). */
function counting(db: Queryable): { q: Queryable; valueReads: () => number } {
  let reads = 0;
  const q: Queryable = {
    all: (sql, params) => db.all(sql, params),
    run: (sql, params) => db.run(sql, params),
    get: <T>(sql: string, params?: readonly SqlValue[]) => {
      if (/SELECT value/.test(sql)) reads++;
      return db.get<T>(sql, params);
    },
  };
  return { q, valueReads: () => reads };
}

describe('isChunkKey', () => {
  it('tells a serial chunk’s key from every other key', () => {
    expect(isChunkKey(keyOf('K7QZ'))).toBe(true);
    expect(isChunkKey(createCompositeKey(KEY.unit, [GTIN, 'K7QZAAAAAAAA']))).toBe(false);
    expect(isChunkKey(createCompositeKey(KEY.batchChunk, [GTIN, 'A1', 'K7QZ']))).toBe(false);
    expect(isChunkKey('serials')).toBe(false);
  });
});

describe.each(DIALECTS)('the replica’s serial chunk cache on %s', (_name, create) => {
  const r = useReplica(create);
  const apply = (number: number, txs: BlockTx[]) =>
    r.db.transaction((tx) => r.replica.applyBlock(tx, decodeBlock(blockOf(number, txs), 'drugtrace')));

  it('hands back the same bytes for the same version of a chunk, read from the database once', async () => {
    const key = keyOf('K7QZ');
    const value = chunk('K7QZ', 1000);
    await apply(0, [{ txId: 'commission', timestamp: at(1), writes: [{ key, value }] }]);
    const cache = new ChunkCache();
    const { q, valueReads } = counting(r.db);
    const first = await cache.read(q, key, Buffer.from(key), 1);
    const second = await cache.read(q, key, Buffer.from(key), 1);
    expect(text(first)).toBe(text(value));
    expect(second).toBe(first);
    expect(valueReads()).toBe(1);
    expect(cache.size).toBe(value.length);
    // Through the replica's snapshots too: the same bytes at every height after the chunk's block.
    const viaSnapshot = await r.replica.at(1).get(key);
    expect(text(viaSnapshot)).toBe(text(value));
    expect(await r.replica.at(1).get(key)).toBe(viaSnapshot);
  });

  it('answers each height with the version it had, never another version’s cached bytes', async () => {
    const key = keyOf('K7QZ');
    const v1 = chunk('K7QZ', 3);
    const v2 = chunk('K7QZ', 3, 'B2'); // never written by the chaincode, but the cache must not assume it
    await apply(0, [
      { txId: 'other', timestamp: at(1), writes: [{ key: keyOf('AAAA'), value: chunk('AAAA', 1) }] },
    ]);
    await apply(1, [{ txId: 'commission', timestamp: at(2), writes: [{ key, value: v1 }] }]);
    // Read (and cached) before the later versions exist.
    expect(text(await r.replica.at(2).get(key))).toBe(text(v1));
    await apply(2, [{ txId: 'rewrite', timestamp: at(3), writes: [{ key, value: v2 }] }]);
    await apply(3, [{ txId: 'delete', timestamp: at(4), writes: [{ key }] }]);
    expect(await r.replica.at(1).get(key)).toBeUndefined(); // before its block
    expect(text(await r.replica.at(2).get(key))).toBe(text(v1));
    expect(text(await r.replica.at(3).get(key))).toBe(text(v2));
    expect(await r.replica.at(4).get(key)).toBeUndefined(); // deleted
    expect(text(await r.replica.at(3).get(key))).toBe(text(v2));
  });

  it('holds at most its bound in bytes, dropping the least recently read chunk first', async () => {
    const [a, b, c, big] = ['AAAA', 'BBBB', 'CCCC', 'DDDD'].map(keyOf);
    const values = {
      [a]: chunk('AAAA', 10),
      [b]: chunk('BBBB', 10),
      [c]: chunk('CCCC', 10),
      [big]: chunk('DDDD', 100),
    };
    await apply(0, [
      {
        txId: 'commission',
        timestamp: at(1),
        writes: Object.entries(values).map(([key, value]) => ({ key, value })),
      },
    ]);
    const one = values[a].length;
    const cache = new ChunkCache(Math.floor(2.5 * one));
    const { q, valueReads } = counting(r.db);
    const read = (key: string) => cache.read(q, key, Buffer.from(key), 1);
    const first = await read(a);
    await read(b);
    expect(cache.size).toBe(2 * one);
    await read(a); // a is now the most recently read: b goes when c comes
    await read(c);
    expect(cache.size).toBe(2 * one);
    expect(valueReads()).toBe(3);
    expect(await read(a)).toBe(first);
    expect(valueReads()).toBe(3);
    expect(text(await read(b))).toBe(text(values[b])); // dropped: read again
    expect(valueReads()).toBe(4);
    // A chunk larger than the whole bound is answered but not kept, and keeps nothing else out.
    expect(text(await read(big))).toBe(text(values[big]));
    expect(cache.size).toBeLessThanOrEqual(Math.floor(2.5 * one));
    expect(text(await read(big))).toBe(text(values[big]));
    expect(valueReads()).toBe(6);
  });
});
