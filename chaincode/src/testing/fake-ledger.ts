// An in-memory Fabric for unit tests and the benchmark: a committed world state with versions, key
// history and key-level endorsement metadata, and one simulator (stub) per transaction that behaves as a
// peer's does. Not compiled into dist (tsconfig.json excludes src/testing).
//
// What it reproduces, because the contracts depend on it:
// - no read-your-own-writes: getState and range queries read committed state only; writes, deletes,
//   validation parameters and the event are buffered and applied only when the transaction commits;
// - keys ordered as the peer's LevelDB orders them (UTF-8 bytes, i.e. code points), range end exclusive,
//   composite keys with the real U+0000 separators, an empty start key skipping the composite namespace;
// - MVCC: a transaction whose reads (or range results) changed before its commit is invalidated;
// - setEvent: the last call wins; one chaincode event per transaction;
// - per-key history, oldest first, with the transaction's ID and timestamp;
// - the organisations a transaction's key-level policies require to endorse it.

import Long from 'long';
import { Context } from 'fabric-contract-api';
import { KeyEndorsementPolicy } from 'fabric-shim';
import type {
  ChaincodeProposal,
  ChaincodeResponse,
  ChaincodeStub,
  ClientIdentity,
  Iterators,
  SerializedIdentity,
  SplitCompositekey,
  StateQueryResponse,
  Timestamp,
} from 'fabric-shim-api';

import {
  COMPOSITE_NS,
  compareKeys,
  createCompositeKey,
  EMPTY_KEY_SUBSTITUTE,
  lowerBound,
  MAX_RUNE,
  splitCompositeKey,
} from '../ledger/composite-key';

export { compareKeys, createCompositeKey, splitCompositeKey };

/** Who submits: an MSP and the attributes its certificate carries. */
export interface Identity {
  mspId: string;
  attrs?: Record<string, string>;
  /** Common name in the certificate. */
  name?: string;
}

interface Version {
  block: number;
  tx: number;
}

interface Committed {
  value: Buffer;
  version: Version;
}

interface HistoryRecord {
  txId: string;
  seconds: number;
  nanos: number;
  isDelete: boolean;
  value: Buffer;
}

export interface ChaincodeEvent {
  name: string;
  payload: Buffer;
}

/** A committed transaction, as a block listener would see it. */
export interface CommittedTx {
  txId: string;
  block: number;
  timestamp: Date;
  creator: string;
  event?: ChaincodeEvent;
  /** Keys written or deleted (value writes), in write order. */
  writes: string[];
  /** Organisations the keys' committed key-level policies require, sorted. */
  requiredOrgs: string[];
}

/** The outcome of simulating a transaction on one peer, not yet ordered. */
export interface Endorsement<T> {
  readonly txId: string;
  readonly result: T;
  readonly simulation: Simulation;
}

export class MvccConflictError extends Error {
  constructor(
    readonly kind: 'MVCC_READ_CONFLICT' | 'PHANTOM_READ_CONFLICT',
    key: string,
  ) {
    super(`${kind}: ${printable(key)} changed after the transaction read it`);
    this.name = 'MvccConflictError';
  }
}

const printable = (key: string): string => key.split(COMPOSITE_NS).join('␀');

/** Decodes a key-level endorsement policy into its organisations, sorted. */
export function policyOrgs(policy: Uint8Array | undefined): string[] {
  if (!policy || policy.length === 0) return [];
  return new KeyEndorsementPolicy(policy).listOrgs().sort();
}

class ArrayIterator<T> implements Iterators.CommonIterator<T> {
  #index = 0;
  closed = false;

  constructor(private readonly items: readonly T[]) {}

  async next(): Promise<Iterators.NextResult<T>> {
    if (this.closed) throw new Error('iterator is closed');
    if (this.#index < this.items.length) return { value: this.items[this.#index++], done: false };
    return { value: undefined as unknown as T, done: true };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** A promise of an iterator that is also async-iterable, as the shim returns. */
function iterable<T, R>(
  items: readonly T[],
  wrap: (it: ArrayIterator<T>) => R,
): Promise<R> & AsyncIterable<T> {
  const promise = Promise.resolve(wrap(new ArrayIterator(items))) as Promise<R> & AsyncIterable<T>;
  promise[Symbol.asyncIterator] = async function* () {
    yield* items;
  };
  return promise;
}

export class FakeClientIdentity implements ClientIdentity {
  constructor(private readonly identity: Identity) {}

  getMSPID(): string {
    return this.identity.mspId;
  }

  getAttributeValue(attrName: string): string | null {
    return this.identity.attrs?.[attrName] ?? null;
  }

  assertAttributeValue(attrName: string, attrValue: string): boolean {
    return this.getAttributeValue(attrName) === attrValue;
  }

  getID(): string {
    const cn = this.identity.name ?? 'user1';
    return `x509::/OU=client/CN=${cn}::/CN=ca.${this.identity.mspId.toLowerCase()}`;
  }

  getIDBytes(): Uint8Array {
    return Buffer.from(`-----BEGIN CERTIFICATE-----\nfake ${this.getID()}\n-----END CERTIFICATE-----\n`);
  }
}

/** Everything one transaction did, buffered until commit. */
export class Simulation {
  readonly reads = new Map<string, Version | undefined>();
  readonly ranges: { start: string; end: string; seen: { key: string; version: Version }[] }[] = [];
  readonly writes = new Map<string, Buffer | null>();
  readonly metadata = new Map<string, Buffer>();
  /** Private data writes, by collection then key. */
  readonly privateWrites = new Map<string, Map<string, Buffer>>();
  event?: ChaincodeEvent;
  paginated = false;

  constructor(
    readonly txId: string,
    readonly timestamp: Date,
    readonly identity: Identity,
    readonly transient = new Map<string, Uint8Array>(),
  ) {}
}

export class FakeStub implements ChaincodeStub {
  constructor(
    private readonly ledger: FakeLedger,
    readonly sim: Simulation,
    private readonly args: string[] = [],
  ) {}

  getArgs(): string[] {
    return [...this.args];
  }

  getStringArgs(): string[] {
    return [...this.args];
  }

  getFunctionAndParameters(): { params: string[]; fcn: string } {
    return { fcn: this.args[0] ?? '', params: this.args.slice(1) };
  }

  getTxID(): string {
    return this.sim.txId;
  }

  getChannelID(): string {
    return this.ledger.channel;
  }

  getCreator(): SerializedIdentity {
    return {
      mspid: this.sim.identity.mspId,
      idBytes: new FakeClientIdentity(this.sim.identity).getIDBytes(),
    };
  }

  getMspID(): string {
    // The peer's local MSP: in these tests every org runs its own peer, and the submitter's endorses first.
    return this.sim.identity.mspId;
  }

  getTransient(): Map<string, Uint8Array> {
    return new Map(this.sim.transient);
  }

  getSignedProposal(): ChaincodeProposal.SignedProposal {
    throw new Error('getSignedProposal is not supported by the fake stub');
  }

  getTxTimestamp(): Timestamp {
    const ms = this.sim.timestamp.getTime();
    return { seconds: Long.fromNumber(Math.floor(ms / 1000), true), nanos: (ms % 1000) * 1_000_000 };
  }

  getDateTimestamp(): Date {
    return new Date(this.sim.timestamp.getTime());
  }

  getBinding(): string {
    return '';
  }

  async getState(key: string): Promise<Uint8Array> {
    this.#assertKey(key);
    const entry = this.ledger.committed(key);
    this.ledger.stateReads.set(key, (this.ledger.stateReads.get(key) ?? 0) + 1);
    if (!this.sim.reads.has(key)) this.sim.reads.set(key, entry?.version);
    return entry ? Buffer.from(entry.value) : Buffer.alloc(0);
  }

  async putState(key: string, value: Uint8Array): Promise<void> {
    this.#assertKey(key);
    this.#assertWritable();
    if (!(value instanceof Uint8Array)) throw new Error(`value of ${printable(key)} must be bytes`);
    this.sim.writes.set(key, Buffer.from(value));
  }

  async deleteState(key: string): Promise<void> {
    this.#assertKey(key);
    this.#assertWritable();
    this.sim.writes.set(key, null);
  }

  async setStateValidationParameter(key: string, ep: Uint8Array): Promise<void> {
    this.#assertKey(key);
    this.#assertWritable();
    this.sim.metadata.set(key, Buffer.from(ep));
  }

  async getStateValidationParameter(key: string): Promise<Uint8Array> {
    this.#assertKey(key);
    const policy = this.ledger.validationParameter(key);
    return policy ? Buffer.from(policy) : Buffer.alloc(0);
  }

  getStateByRange(
    startKey: string,
    endKey: string,
  ): Promise<Iterators.StateQueryIterator> & AsyncIterable<Iterators.KV> {
    const start = startKey || EMPTY_KEY_SUBSTITUTE;
    this.#assertSimpleKeys(start, endKey);
    return iterable(this.#range(start, endKey, Infinity).kvs, (it) => it);
  }

  getStateByRangeWithPagination(
    startKey: string,
    endKey: string,
    pageSize: number,
    bookmark?: string,
  ): Promise<StateQueryResponse<Iterators.StateQueryIterator>> & AsyncIterable<Iterators.KV> {
    const start = startKey || EMPTY_KEY_SUBSTITUTE;
    this.#assertSimpleKeys(start, endKey);
    return this.#paged(start, endKey, pageSize, bookmark);
  }

  getStateByPartialCompositeKey(
    objectType: string,
    attributes: string[],
  ): Promise<Iterators.StateQueryIterator> & AsyncIterable<Iterators.KV> {
    const start = this.createCompositeKey(objectType, attributes);
    return iterable(this.#range(start, start + MAX_RUNE, Infinity).kvs, (it) => it);
  }

  getStateByPartialCompositeKeyWithPagination(
    objectType: string,
    attributes: string[],
    pageSize: number,
    bookmark?: string,
  ): Promise<StateQueryResponse<Iterators.StateQueryIterator>> & AsyncIterable<Iterators.KV> {
    const start = this.createCompositeKey(objectType, attributes);
    return this.#paged(start, start + MAX_RUNE, pageSize, bookmark);
  }

  getQueryResult(): Promise<Iterators.StateQueryIterator> & AsyncIterable<Iterators.KV> {
    throw new Error('rich queries need CouchDB; the fake stub (like LevelDB) does not support them');
  }

  getQueryResultWithPagination(): Promise<StateQueryResponse<Iterators.StateQueryIterator>> &
    AsyncIterable<Iterators.KV> {
    throw new Error('rich queries need CouchDB; the fake stub (like LevelDB) does not support them');
  }

  getHistoryForKey(
    key: string,
  ): Promise<Iterators.HistoryQueryIterator> & AsyncIterable<Iterators.KeyModification> {
    this.#assertKey(key);
    // Like Fabric v2+: newest first, in block and transaction order.
    const mods: Iterators.KeyModification[] = [...this.ledger.historyOf(key)].reverse().map((h) => ({
      txId: h.txId,
      isDelete: h.isDelete,
      value: Buffer.from(h.value),
      // The shim hands history timestamps over as plain protobuf objects (numbers), unlike getTxTimestamp.
      timestamp: { seconds: h.seconds, nanos: h.nanos } as unknown as Timestamp,
    }));
    return iterable(mods, (it) => it);
  }

  async invokeChaincode(): Promise<ChaincodeResponse> {
    throw new Error('invokeChaincode is not supported by the fake stub');
  }

  setEvent(name: string, payload: Uint8Array): void {
    if (typeof name !== 'string' || name === '') throw new Error('Event name must be a non-empty string');
    this.sim.event = { name, payload: Buffer.from(payload) };
  }

  createCompositeKey(objectType: string, attributes: string[]): string {
    return createCompositeKey(objectType, attributes);
  }

  splitCompositeKey(compositeKey: string): SplitCompositekey {
    return splitCompositeKey(compositeKey);
  }

  /**
   * Implicit organisation collections only (`_implicit_org_<MSP>`), as Fabric keeps them: a peer holds its own
   * organisation's, so a read of another's fails as it would on a peer that is not a member.
   */
  async getPrivateData(collection: string, key: string): Promise<Uint8Array> {
    if (collection !== `_implicit_org_${this.getMspID()}`)
      throw new Error(`peer of ${this.getMspID()} holds no private data of collection ${collection}`);
    return this.ledger.privateData(collection, key) ?? Buffer.alloc(0);
  }

  getPrivateDataHash(): Promise<Uint8Array> {
    return this.#noPrivateData();
  }

  async putPrivateData(collection: string, key: string, value: Uint8Array): Promise<void> {
    this.#assertWritable();
    if (!collection.startsWith('_implicit_org_')) throw new Error(`unknown collection ${collection}`);
    const writes = this.sim.privateWrites.get(collection) ?? new Map<string, Buffer>();
    writes.set(key, Buffer.from(value));
    this.sim.privateWrites.set(collection, writes);
  }

  deletePrivateData(): Promise<void> {
    return this.#noPrivateData();
  }

  purgePrivateData(): Promise<void> {
    return this.#noPrivateData();
  }

  setPrivateDataValidationParameter(): Promise<void> {
    return this.#noPrivateData();
  }

  getPrivateDataValidationParameter(): Promise<Uint8Array> {
    return this.#noPrivateData();
  }

  getPrivateDataByRange(): Promise<Iterators.StateQueryIterator> & AsyncIterable<Iterators.KV> {
    throw new Error('private data is not used by DrugTrace');
  }

  getPrivateDataByPartialCompositeKey(): Promise<Iterators.StateQueryIterator> & AsyncIterable<Iterators.KV> {
    throw new Error('private data is not used by DrugTrace');
  }

  getPrivateDataQueryResult(): Promise<Iterators.StateQueryIterator> & AsyncIterable<Iterators.KV> {
    throw new Error('private data is not used by DrugTrace');
  }

  #noPrivateData<T>(): Promise<T> {
    return Promise.reject(new Error('private data is not used by DrugTrace'));
  }

  #paged(
    start: string,
    end: string,
    pageSize: number,
    bookmark: string | undefined,
  ): Promise<StateQueryResponse<Iterators.StateQueryIterator>> & AsyncIterable<Iterators.KV> {
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new Error('pageSize must be a positive integer');
    if (this.sim.writes.size > 0 || this.sim.metadata.size > 0) {
      throw new Error('paginated queries are not supported in transactions that write');
    }
    this.sim.paginated = true;
    const from = bookmark && compareKeys(bookmark, start) > 0 ? bookmark : start;
    const { kvs, next } = this.#range(from, end, pageSize);
    return iterable(kvs, (iterator) => ({
      iterator,
      metadata: { fetchedRecordsCount: kvs.length, bookmark: next },
    }));
  }

  /** Committed keys in [start, end) (end '' = unbounded), at most `limit`, and the key after the last. */
  #range(start: string, end: string, limit: number): { kvs: Iterators.KV[]; next: string } {
    const keys = this.ledger.keysInRange(start, end, limit + 1);
    const page = keys.slice(0, limit);
    const seen = page.map((key) => ({ key, version: (this.ledger.committed(key) as Committed).version }));
    this.sim.ranges.push({ start, end, seen: limit === Infinity ? seen : [] });
    const kvs = page.map((key) => ({
      namespace: this.ledger.chaincode,
      key,
      value: Buffer.from((this.ledger.committed(key) as Committed).value),
    }));
    return { kvs, next: keys.length > limit ? keys[limit] : '' };
  }

  #assertKey(key: string): void {
    if (typeof key !== 'string' || key.length === 0) throw new Error('key must not be an empty string');
  }

  #assertSimpleKeys(...keys: string[]): void {
    for (const key of keys) {
      if (key && key[0] === COMPOSITE_NS) {
        throw new Error(`first character of the key [${key}] contains a null character which is not allowed`);
      }
    }
  }

  #assertWritable(): void {
    if (this.sim.paginated) throw new Error('paginated queries are not supported in transactions that write');
  }
}

/** A context as fabric-contract-api builds it for one transaction. */
export function contextFor(stub: ChaincodeStub, identity: ClientIdentity): Context {
  const ctx = new Context();
  ctx.stub = stub;
  ctx.clientIdentity = identity;
  return ctx;
}

export interface FakeLedgerOptions {
  /** Time of the first transaction. */
  start?: Date;
  /** How far the clock moves after each submitted transaction, so consecutive ones differ in time. */
  tickMs?: number;
  channel?: string;
  chaincode?: string;
}

/** The committed world state of one channel, and the clock transactions are stamped with. */
export class FakeLedger {
  readonly channel: string;
  readonly chaincode: string;
  readonly transactions: CommittedTx[] = [];
  /** How many times transactions read each key with getState, evaluations included: tests count a contract's reads. */
  readonly stateReads = new Map<string, number>();
  #state = new Map<string, Committed>();
  #sorted: string[] = [];
  #policies = new Map<string, Buffer>();
  #private = new Map<string, Map<string, Buffer>>();
  #history = new Map<string, HistoryRecord[]>();
  #clock: number;
  readonly #tick: number;
  #txCount = 0;
  #block = 0;

  constructor(options: FakeLedgerOptions = {}) {
    this.#clock = (options.start ?? new Date('2027-01-15T09:00:00.000Z')).getTime();
    this.#tick = options.tickMs ?? 1000;
    this.channel = options.channel ?? 'drugtrace';
    this.chaincode = options.chaincode ?? 'drugtrace';
  }

  // ---- clock

  now(): Date {
    return new Date(this.#clock);
  }

  setTime(at: Date | string): void {
    this.#clock = new Date(at).getTime();
  }

  advance(ms: number): void {
    this.#clock += ms;
  }

  advanceDays(days: number): void {
    this.advance(days * 24 * 60 * 60 * 1000);
  }

  // ---- transactions

  /** Simulates `fn` as one transaction (endorsement only; nothing is written). */
  async endorse<T>(
    identity: Identity,
    fn: (ctx: Context) => Promise<T>,
    args: string[] = [],
    transient: Record<string, string> = {},
  ): Promise<Endorsement<T>> {
    const txId = this.#nextTxId();
    const data = new Map(Object.entries(transient).map(([k, v]) => [k, Buffer.from(v, 'utf8')]));
    const sim = new Simulation(txId, this.now(), identity, data);
    const stub = new FakeStub(this, sim, args);
    const result = await fn(contextFor(stub, new FakeClientIdentity(identity)));
    return { txId, result, simulation: sim };
  }

  /** Orders and validates an endorsed transaction, then applies its writes; MVCC conflicts throw. */
  commit<T>(endorsement: Endorsement<T>): CommittedTx {
    const sim = endorsement.simulation;
    for (const [key, version] of sim.reads) {
      if (!sameVersion(this.#state.get(key)?.version, version))
        throw new MvccConflictError('MVCC_READ_CONFLICT', key);
    }
    for (const range of sim.ranges) {
      const now = this.keysInRange(range.start, range.end, Infinity);
      if (now.length !== range.seen.length) throw new MvccConflictError('PHANTOM_READ_CONFLICT', range.start);
      range.seen.forEach(({ key, version }, i) => {
        if (now[i] !== key || !sameVersion(this.#state.get(key)?.version, version)) {
          throw new MvccConflictError('PHANTOM_READ_CONFLICT', key);
        }
      });
    }
    const touched = new Set([...sim.writes.keys(), ...sim.metadata.keys()]);
    const required = new Set<string>();
    for (const key of touched) for (const org of policyOrgs(this.#policies.get(key))) required.add(org);

    const block = ++this.#block;
    const version: Version = { block, tx: 0 };
    const ms = sim.timestamp.getTime();
    const added: string[] = [];
    const removed = new Set<string>();
    for (const [key, value] of sim.writes) {
      const existed = this.#state.has(key);
      const history = this.#history.get(key) ?? [];
      const at = { txId: sim.txId, seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 };
      if (value === null) {
        if (!existed) continue;
        this.#state.delete(key);
        this.#policies.delete(key);
        removed.add(key);
        history.push({ ...at, isDelete: true, value: Buffer.alloc(0) });
      } else {
        this.#state.set(key, { value, version });
        if (!existed) added.push(key);
        history.push({ ...at, isDelete: false, value });
      }
      this.#history.set(key, history);
    }
    for (const [collection, writes] of sim.privateWrites) {
      const stored = this.#private.get(collection) ?? new Map<string, Buffer>();
      for (const [key, value] of writes) stored.set(key, value);
      this.#private.set(collection, stored);
    }
    for (const [key, policy] of sim.metadata) {
      // Metadata lives with the value: a key that does not exist after the write set keeps none.
      if (this.#state.has(key)) this.#policies.set(key, policy);
    }
    this.#reindex(added, removed);
    const tx: CommittedTx = {
      txId: sim.txId,
      block,
      timestamp: sim.timestamp,
      creator: sim.identity.mspId,
      event: sim.event,
      writes: [...sim.writes.keys()],
      requiredOrgs: [...required].sort(),
    };
    this.transactions.push(tx);
    this.advance(this.#tick);
    return tx;
  }

  /** Endorse then commit: the result, or the chaincode's error with nothing written. */
  async submit<T>(
    identity: Identity,
    fn: (ctx: Context) => Promise<T>,
    transient: Record<string, string> = {},
  ): Promise<T> {
    const endorsement = await this.endorse(identity, fn, [], transient);
    this.commit(endorsement);
    return endorsement.result;
  }

  /** A query: simulated, never committed. */
  async evaluate<T>(identity: Identity, fn: (ctx: Context) => Promise<T>): Promise<T> {
    return (await this.endorse(identity, fn)).result;
  }

  get lastTx(): CommittedTx | undefined {
    return this.transactions[this.transactions.length - 1];
  }

  // ---- committed state, read by stubs and by tests

  committed(key: string): Committed | undefined {
    return this.#state.get(key);
  }

  read(key: string): Buffer | undefined {
    return this.#state.get(key)?.value;
  }

  /** A committed private data value (the channel itself keeps none of it). */
  privateData(collection: string, key: string): Buffer | undefined {
    return this.#private.get(collection)?.get(key);
  }

  validationParameter(key: string): Buffer | undefined {
    return this.#policies.get(key);
  }

  historyOf(key: string): readonly HistoryRecord[] {
    return this.#history.get(key) ?? [];
  }

  get size(): number {
    return this.#state.size;
  }

  /** Every committed key and value in key order: a snapshot tests compare before and after. */
  snapshot(): Map<string, string> {
    const out = new Map<string, string>();
    for (const key of this.#sorted) {
      const policy = this.#policies.get(key);
      out.set(
        key,
        this.#state.get(key)?.value.toString('base64') + (policy ? `|${policy.toString('base64')}` : ''),
      );
    }
    return out;
  }

  keysInRange(start: string, end: string, limit: number): string[] {
    const out: string[] = [];
    for (let i = lowerBound(this.#sorted, start); i < this.#sorted.length && out.length < limit; i++) {
      const key = this.#sorted[i];
      if (end !== '' && compareKeys(key, end) >= 0) break;
      out.push(key);
    }
    return out;
  }

  /** Seeds committed state directly (as if an earlier block wrote it). */
  preload(entries: Iterable<[string, Uint8Array]>): void {
    const added: string[] = [];
    const version: Version = { block: ++this.#block, tx: 0 };
    for (const [key, value] of entries) {
      if (!this.#state.has(key)) added.push(key);
      this.#state.set(key, { value: Buffer.from(value), version });
    }
    this.#reindex(added, new Set());
  }

  #reindex(added: string[], removed: Set<string>): void {
    const kept = removed.size ? this.#sorted.filter((k) => !removed.has(k)) : this.#sorted;
    if (added.length === 0) {
      this.#sorted = kept;
      return;
    }
    added.sort(compareKeys);
    const merged: string[] = new Array(kept.length + added.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < kept.length && j < added.length)
      merged[k++] = compareKeys(kept[i], added[j]) < 0 ? kept[i++] : added[j++];
    while (i < kept.length) merged[k++] = kept[i++];
    while (j < added.length) merged[k++] = added[j++];
    this.#sorted = merged;
  }

  #nextTxId(): string {
    const n = ++this.#txCount;
    // 64 hex characters, like a real transaction ID, distinct and ordered by creation.
    return n.toString(16).padStart(16, '0').repeat(4);
  }
}

function sameVersion(a: Version | undefined, b: Version | undefined): boolean {
  return a === b || (!!a && !!b && a.block === b.block && a.tx === b.tx);
}
