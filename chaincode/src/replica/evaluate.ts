import { randomBytes } from 'node:crypto';
import { Context, Contract } from 'fabric-contract-api';
import type { ClientIdentity } from 'fabric-shim-api';
import { DomainError } from '../domain';
import { contracts } from '../index';
import { getBatch } from '../ledger/records';
import { session } from '../ledger/session';
import { countBatch, UnitGroup } from '../ledger/batch-counts';
import { Custody, custodyOf, Holder } from '../ledger/custody';
import { Store } from '../ledger/store';
import { canonicalCopy } from '../ledger/canonical-json';
import { ResultSerializer } from '../ledger/serialize';
import { ReplicaStub } from './replica-stub';
import { WorldStateReader } from './world-state';

/** Who asks: the MSP and certificate attributes the chaincode's access checks read (src/ledger/caller.ts). */
export interface ReplicaCaller {
  mspId: string;
  /** Certificate attributes, e.g. drugtrace.role and drugtrace.gln. */
  attrs: Record<string, string>;
  /** getID's answer: `x509::<subject DN>::<issuer DN>` (the enrolment ID is the subject's CN). */
  id?: string;
}

const RESULTS = new ResultSerializer();

/** Each caller's identity, built once: a caller's MSP, attributes and ID never change (the read model keeps one per user). */
const IDENTITIES = new WeakMap<ReplicaCaller, ClientIdentity>();

/** Only getMSPID, getAttributeValue and getID are read by the contracts. */
function identityOf(caller: ReplicaCaller): ClientIdentity {
  let identity = IDENTITIES.get(caller);
  if (!identity) IDENTITIES.set(caller, (identity = newIdentity(caller)));
  return identity;
}

function newIdentity(caller: ReplicaCaller): ClientIdentity {
  const attr = (name: string): string | null => caller.attrs[name] ?? null;
  return {
    getMSPID: () => caller.mspId,
    getAttributeValue: attr,
    assertAttributeValue: (name: string, value: string) => attr(name) === value,
    getID: () => caller.id ?? `x509::${caller.mspId}`,
    getIDBytes: () => {
      throw new Error('the replica has no certificate bytes');
    },
  } as ClientIdentity;
}

interface TransactionMetadata {
  name: string;
  tag?: string[];
  returns?: unknown;
}

/** fabric-contract-api's annotations keep their metadata through reflect-metadata, which it loads. */
const metadataOf = (target: object): TransactionMetadata[] =>
  ((Reflect as unknown as { getMetadata(key: string, target: object): unknown }).getMetadata(
    'fabric:transactions',
    target,
  ) ?? []) as TransactionMetadata[];

type QueryFunction = (ctx: Context, ...args: string[]) => Promise<unknown>;

interface Query {
  run: QueryFunction;
  /** The result's schema, as the contract's metadata declares it (the serialiser reads it). */
  returns: unknown;
}

/** The contracts' query transactions (`@Transaction(false)`), by contract and transaction name. */
const QUERIES: Map<string, Map<string, Query>> = (() => {
  const byContract = new Map<string, Map<string, Query>>();
  for (const Type of contracts) {
    const contract = new Type() as Contract;
    const metadata = metadataOf(Type.prototype);
    const queries = new Map<string, Query>();
    for (const tx of metadata) {
      if (!tx.tag?.includes('EVALUATE')) continue;
      const fn = (contract as unknown as Record<string, QueryFunction>)[tx.name];
      queries.set(tx.name, { run: fn.bind(contract), returns: tx.returns });
    }
    byContract.set(contract.getName(), queries);
  }
  return byContract;
})();

/** Whether `contract`'s `transaction` is a query the replica can answer. */
export function isQuery(contract: string, transaction: string): boolean {
  return QUERIES.get(contract)?.has(transaction) ?? false;
}

/**
 * Runs a contract's query transaction — its own code, its own access checks — over a replica of the world state,
 * as the caller. Answers what a client of the peer's evaluate reads: the transaction's result as parsed JSON (a
 * contract returning a JSON text or an object), or the contract's DomainError. Submit transactions are refused:
 * they must go to the peers.
 */
export async function evaluateOnReplica(
  state: WorldStateReader,
  caller: ReplicaCaller,
  contract: string,
  transaction: string,
  args: readonly string[],
  now = new Date(),
): Promise<unknown> {
  const query = QUERIES.get(contract)?.get(transaction);
  if (!query) throw new DomainError('INVALID', `${contract}:${transaction} is not a query transaction`);
  return asClientReads(await query.run(contextOver(state, caller, now), ...args), query.returns);
}

/**
 * A query's transaction ID: 64 hex digits like a peer's, unique in this process (a random prefix, then a count).
 * A query writes nothing, so the ID only has to tell its evaluations apart — no random bytes per read.
 */
const TX_ID_PREFIX = randomBytes(16).toString('hex');
let evaluations = 0;
export const replicaTxId = (): string => TX_ID_PREFIX + (evaluations++).toString(16).padStart(32, '0');

/** A query's context: the replica's stub and the caller's identity. */
function contextOver(state: WorldStateReader, caller: ReplicaCaller, now: Date): Context {
  const ctx = new Context();
  ctx.stub = new ReplicaStub(state, replicaTxId(), now).asChaincodeStub();
  ctx.clientIdentity = identityOf(caller);
  return ctx;
}

/**
 * Written as the chaincode writes a result, read as a client reads one (fabric/ledger-client.ts in the gateway).
 * An object is written as its canonical JSON (ResultSerializer): its reading is that JSON's copy, made directly.
 */
function asClientReads(result: unknown, returns: unknown): unknown {
  if (result !== null && typeof result === 'object') return canonicalCopy(result);
  const text = RESULTS.toBuffer(result, returns).toString('utf8');
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

/**
 * `batches:Get` over the replica with the batch's units counted from groups the replica keeps (units sharing a
 * state and holder, counted in its own table) instead of read one by one: the contract's own access check, batch
 * read and count rule (countBatch), without reading a 100,000-pack lot pack by pack. `groups` is asked for only
 * once the caller may read the batch.
 */
export async function batchOnReplica(
  state: WorldStateReader,
  caller: ReplicaCaller,
  gtin: string,
  lot: string,
  groups: () => Promise<Iterable<UnitGroup>>,
  now = new Date(),
): Promise<unknown> {
  const { store } = await session(contextOver(state, caller, now));
  const batch = await getBatch(store, gtin, lot);
  const view = { ...batch, counts: await countBatch(store, await groups()) };
  return asClientReads(view, QUERIES.get('batches')?.get('Get')?.returns);
}

/** The caller of reads that check nobody's access. */
const NOBODY: ReplicaCaller = Object.freeze({ mspId: '', attrs: Object.freeze({}) });

/**
 * Whose custody each item is in, by the contract's own rule (custodyOf: a packed item is its outermost
 * container's), over the replica: for the read model's own tables (whom a recall notice reaches, an
 * organisation's packs). Nobody's identity is read.
 */
export async function custodyOnReplica(
  state: WorldStateReader,
  items: readonly Holder[],
  now = new Date(),
): Promise<Custody[]> {
  const store = new Store(contextOver(state, NOBODY, now));
  const out: Custody[] = [];
  for (const item of items) out.push(await custodyOf(store, item));
  return out;
}
