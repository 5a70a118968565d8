import type { ChaincodeStub, Iterators, SplitCompositekey, Timestamp } from 'fabric-shim-api';
import { compareKeys, createCompositeKey, MAX_RUNE, splitCompositeKey } from '../ledger/composite-key';
import { WorldStateReader } from './world-state';

/** An iterator over fetched results, in the shape the shim's iterators have. */
class ListIterator<T> {
  #index = 0;

  constructor(private readonly items: readonly T[]) {}

  async next(): Promise<Iterators.NextResult<T>> {
    if (this.#index < this.items.length) return { value: this.items[this.#index++], done: false };
    return { value: undefined as unknown as T, done: true };
  }

  async close(): Promise<void> {}
}

/** Seconds as a plain number, as the shim hands history timestamps over (the contracts read Number(seconds)). */
const timestampOf = (ms: number): Timestamp =>
  ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 }) as unknown as Timestamp;

/** Thrown by every stub method a read may not use: the replica answers queries, never transactions. */
export class ReadOnlyReplicaError extends Error {
  constructor(method: string) {
    super(`${method} is not available on the read-only replica: submit the transaction to the peers`);
    this.name = 'ReadOnlyReplicaError';
  }
}

/**
 * The part of fabric-shim's ChaincodeStub the contracts' query transactions use (see src/ledger/store.ts),
 * answered from a replica of the world state instead of a peer: so a query runs the contract's own code —
 * the same verdict, the same custody walk — over the replica. Writes throw. Like an evaluate on a peer, the
 * transaction's time is the time of the query.
 */
export class ReplicaStub {
  constructor(
    private readonly state: WorldStateReader,
    private readonly txId: string,
    private readonly now: Date,
  ) {}

  getTxID(): string {
    return this.txId;
  }

  getTxTimestamp(): Timestamp {
    return timestampOf(this.now.getTime());
  }

  getDateTimestamp(): Date {
    return new Date(this.now.getTime());
  }

  async getState(key: string): Promise<Uint8Array> {
    return (await this.state.get(key)) ?? new Uint8Array(0);
  }

  createCompositeKey(objectType: string, attributes: string[]): string {
    return createCompositeKey(objectType, attributes);
  }

  splitCompositeKey(compositeKey: string): SplitCompositekey {
    return splitCompositeKey(compositeKey);
  }

  async getStateByPartialCompositeKey(
    objectType: string,
    attributes: string[],
  ): Promise<Iterators.StateQueryIterator> {
    const start = createCompositeKey(objectType, attributes);
    const kvs = await this.state.range(start, start + MAX_RUNE, Number.MAX_SAFE_INTEGER);
    return new ListIterator(kvs.map((kv) => ({ namespace: '', ...kv }))) as Iterators.StateQueryIterator;
  }

  /** Pages as the peer's LevelDB pages them: the bookmark is the key the next page starts at. */
  async getStateByPartialCompositeKeyWithPagination(
    objectType: string,
    attributes: string[],
    pageSize: number,
    bookmark?: string,
  ): Promise<{
    iterator: Iterators.StateQueryIterator;
    metadata: { fetchedRecordsCount: number; bookmark: string };
  }> {
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new Error('pageSize must be a positive integer');
    const start = createCompositeKey(objectType, attributes);
    const from = bookmark && compareKeys(bookmark, start) > 0 ? bookmark : start;
    const kvs = await this.state.range(from, start + MAX_RUNE, pageSize + 1);
    const page = kvs.slice(0, pageSize);
    return {
      iterator: new ListIterator(
        page.map((kv) => ({ namespace: '', ...kv })),
      ) as Iterators.StateQueryIterator,
      metadata: {
        fetchedRecordsCount: page.length,
        bookmark: kvs.length > pageSize ? kvs[pageSize].key : '',
      },
    };
  }

  /** Newest first, as Fabric v2+ iterates a key's history; timestamps as the shim hands them over. */
  async getHistoryForKey(key: string): Promise<Iterators.HistoryQueryIterator> {
    const versions = await this.state.history(key);
    const mods = versions.reverse().map((v) => {
      return {
        txId: v.txId,
        isDelete: v.isDelete,
        value: v.value,
        timestamp: timestampOf(v.timestamp.getTime()),
      };
    });
    return new ListIterator(mods) as Iterators.HistoryQueryIterator;
  }

  putState(): never {
    throw new ReadOnlyReplicaError('putState');
  }

  deleteState(): never {
    throw new ReadOnlyReplicaError('deleteState');
  }

  setStateValidationParameter(): never {
    throw new ReadOnlyReplicaError('setStateValidationParameter');
  }

  setEvent(): never {
    throw new ReadOnlyReplicaError('setEvent');
  }

  /** As a ChaincodeStub for a contract's Context: the methods queries do not use throw when called. */
  asChaincodeStub(): ChaincodeStub {
    return new Proxy(this, {
      get: (target, property, receiver) => {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (value !== undefined || typeof property !== 'string') return value;
        return () => {
          throw new ReadOnlyReplicaError(property);
        };
      },
    }) as unknown as ChaincodeStub;
  }
}
