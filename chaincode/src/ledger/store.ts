import { Context } from 'fabric-contract-api';
import { DomainError } from '../domain';
import { INDEX_VALUE } from './keys';
import { deepFreeze, fromBytes, toBytes } from './serialize';

/** Documents parsed by findShared, by the bytes they were parsed from (gone with those bytes). */
const SHARED = new WeakMap<Uint8Array, unknown>();

/** Typed access to world state through composite keys. Fabric gives no read-your-own-writes, nor does this. */
export class Store {
  constructor(private readonly ctx: Context) {}

  key(type: string, attrs: string[]): string {
    return this.ctx.stub.createCompositeKey(type, attrs);
  }

  async find<T>(type: string, attrs: string[]): Promise<T | undefined> {
    const bytes = await this.ctx.stub.getState(this.key(type, attrs));
    return bytes && bytes.length > 0 ? fromBytes<T>(bytes) : undefined;
  }

  /**
   * A document written once and never changed (a serial chunk: ~170 KB of JSON for 10,000 serials), parsed once
   * per bytes object the stub hands back and shared, frozen, by every reader of those bytes. A peer hands back
   * new bytes for every read; the replica the same bytes for the same version of a chunk (its chunk cache).
   */
  async findShared<T>(type: string, attrs: string[]): Promise<Readonly<T> | undefined> {
    const bytes = await this.ctx.stub.getState(this.key(type, attrs));
    if (!bytes || bytes.length === 0) return undefined;
    let value = SHARED.get(bytes) as T | undefined;
    if (value === undefined) SHARED.set(bytes, (value = deepFreeze(fromBytes<T>(bytes))));
    return value;
  }

  async get<T>(type: string, attrs: string[], what: string): Promise<T> {
    const value = await this.find<T>(type, attrs);
    if (value === undefined) throw new DomainError('NOT_FOUND', `${what} does not exist`);
    return value;
  }

  async exists(type: string, attrs: string[]): Promise<boolean> {
    const bytes = await this.ctx.stub.getState(this.key(type, attrs));
    return !!bytes && bytes.length > 0;
  }

  async put(type: string, attrs: string[], value: unknown): Promise<string> {
    const key = this.key(type, attrs);
    await this.ctx.stub.putState(key, toBytes(value));
    return key;
  }

  async index(type: string, attrs: string[]): Promise<void> {
    await this.ctx.stub.putState(this.key(type, attrs), INDEX_VALUE);
  }

  async remove(type: string, attrs: string[]): Promise<void> {
    await this.ctx.stub.deleteState(this.key(type, attrs));
  }

  /** Entries under a partial composite key, in key order: attributes after the partial ones, and the value. */
  async *entries<T>(type: string, partial: string[]): AsyncGenerator<{ attrs: string[]; value: T }> {
    const iterator = await this.ctx.stub.getStateByPartialCompositeKey(type, partial);
    try {
      for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
        const { attributes } = this.ctx.stub.splitCompositeKey(r.value.key);
        const value =
          r.value.value.length === 1 && r.value.value[0] === 0
            ? (undefined as T)
            : fromBytes<T>(r.value.value);
        yield { attrs: attributes, value };
      }
    } finally {
      await iterator.close();
    }
  }

  /** Whether anything is stored under a partial composite key (reads at most one entry). */
  async any(type: string, partial: string[]): Promise<boolean> {
    for await (const entry of this.entries(type, partial)) return entry !== undefined;
    return false;
  }

  /** One page of keys under a partial composite key, with the bookmark of the next page ('' when done). */
  async page(
    type: string,
    partial: string[],
    pageSize: number,
    bookmark: string,
  ): Promise<{ attrs: string[][]; bookmark: string }> {
    const { iterator, metadata } = await this.ctx.stub.getStateByPartialCompositeKeyWithPagination(
      type,
      partial,
      pageSize,
      bookmark,
    );
    const attrs: string[][] = [];
    try {
      for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
        attrs.push(this.ctx.stub.splitCompositeKey(r.value.key).attributes);
      }
    } finally {
      await iterator.close();
    }
    return { attrs, bookmark: attrs.length < pageSize ? '' : metadata.bookmark };
  }

  /** A key's versions, oldest first (Fabric v2+ iterates history newest first, by block and tx order). */
  async history<T>(type: string, attrs: string[]): Promise<{ txId: string; at: string; value?: T }[]> {
    const iterator = await this.ctx.stub.getHistoryForKey(this.key(type, attrs));
    const out: { txId: string; at: string; value?: T }[] = [];
    try {
      for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
        const m = r.value;
        const seconds = Number(m.timestamp.seconds);
        const at = new Date(seconds * 1000 + Math.floor(m.timestamp.nanos / 1e6)).toISOString();
        out.push({ txId: m.txId, at, value: m.isDelete ? undefined : fromBytes<T>(m.value) });
      }
    } finally {
      await iterator.close();
    }
    return out.reverse();
  }

  /** The transaction's time (same on every endorsing peer). */
  now(): string {
    const ts = this.ctx.stub.getTxTimestamp();
    return new Date(Number(ts.seconds) * 1000 + Math.floor(ts.nanos / 1e6)).toISOString();
  }

  txId(): string {
    return this.ctx.stub.getTxID();
  }
}
