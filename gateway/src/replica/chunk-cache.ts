import { createCompositeKey, KEY } from '@drugtrace/chaincode/replica';
import { LRUCache } from 'lru-cache';
import { Queryable } from '../database/database';

/** What the cache holds at most: the chunks' JSON bytes (the parsed chunks they keep alive take a few times that). */
export const CHUNK_CACHE_BYTES = 16 * 1024 * 1024;

/** Every serial chunk's key starts so (its object type, then its GTIN and prefix). */
const CHUNK_KEY_START = createCompositeKey(KEY.serialChunk, []);

/** Whether a world-state key is a serial chunk's. */
export const isChunkKey = (key: string): boolean => key.startsWith(CHUNK_KEY_START);

/**
 * Serial chunks' bytes by key and version (the block and transaction that wrote them), least recently read
 * dropped first beyond `maxBytes`. A chunk is written once and read by every verify of one of its packs (~170 KB
 * of JSON for 10,000 serials): handing back the same bytes for the same version skips reading them from the
 * database, and lets the contracts parse them once (Store.findShared). Keyed by version, an entry can never be
 * another version's value, whatever writes the database.
 */
export class ChunkCache {
  readonly #entries: LRUCache<string, Buffer>;

  constructor(maxBytes = CHUNK_CACHE_BYTES) {
    this.#entries = new LRUCache({ maxSize: maxBytes, sizeCalculation: (bytes) => bytes.length });
  }

  /** The bytes the cache holds (for its bound's tests). */
  get size(): number {
    return this.#entries.calculatedSize;
  }

  /**
   * The key's value after block height - 1, as replica_versions has it: the version is found from the table's
   * primary key alone, its bytes read only when the cache does not hold them.
   */
  async read(db: Queryable, key: string, bytesOfKey: Buffer, height: number): Promise<Buffer | undefined> {
    const version = await db.get<{ block: number; tx_num: number }>(
      `SELECT block, tx_num FROM replica_versions WHERE key = ? AND block < ?
       ORDER BY block DESC, tx_num DESC LIMIT 1`,
      [bytesOfKey, height],
    );
    if (!version) return undefined;
    const id = `${key}\u0000${version.block}\u0000${version.tx_num}`;
    const cached = this.#entries.get(id);
    if (cached) return cached;
    const row = await db.get<{ value: Buffer | null }>(
      'SELECT value FROM replica_versions WHERE key = ? AND block = ? AND tx_num = ?',
      [bytesOfKey, version.block, version.tx_num],
    );
    if (!row?.value) return undefined;
    this.#entries.set(id, row.value);
    return row.value;
  }
}
