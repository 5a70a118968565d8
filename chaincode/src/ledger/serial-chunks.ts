import { Context } from 'fabric-contract-api';
import {
  Agent,
  DomainError,
  generateSerials,
  hasGeneratedShape,
  prefixCandidate,
  serialPrefix,
  sortedIncludes,
} from '../domain';
import { UnitGroup } from './batch-counts';
import { setCustodyPolicy } from './endorsement';
import { KEY } from './keys';
import { Batch, SerialChunk, SerialPage, Unit } from './models';
import { chunkUnit, findUnit, putUnit } from './records';
import { Store } from './store';

// Commissioning and reading a batch's serials: generated serials as one chunk key per commissioning page, under a
// prefix that page claims for the GTIN; given serials one unit key each, kept out of every claimed prefix.

/**
 * The prefix a commissioning of generated serials claims: the first candidate derived from its transaction ID that
 * neither a chunk nor a given serial of the GTIN holds. Both reads are in the read set, so a claim or a given
 * serial under the same prefix committed first invalidates this transaction (MVCC), and its retry claims another.
 */
async function claimPrefix(store: Store, gtin: string, seed: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const prefix = prefixCandidate(seed, attempt);
    if (
      !(await store.exists(KEY.serialChunk, [gtin, prefix])) &&
      !(await store.exists(KEY.givenPrefix, [gtin, prefix]))
    )
      return prefix;
  }
}

/**
 * `quantity` generated serials as one chunk: the chunk (manufacturer + regulator policy) and its batch index entry,
 * a handful of keys whatever the quantity.
 */
export async function commissionChunk(
  ctx: Context,
  store: Store,
  batch: Batch,
  by: Agent,
  quantity: number,
): Promise<{ serials: string[]; prefix: string }> {
  const txId = store.txId();
  const prefix = await claimPrefix(store, batch.gtin, txId);
  const chunk: SerialChunk = {
    gtin: batch.gtin,
    lot: batch.lot,
    expiry: batch.expiry,
    prefix,
    serials: generateSerials(txId, prefix, quantity),
    manufacturer: by.msp,
    gln: by.gln,
    user: by.user,
    at: store.now(),
    txId,
  };
  await setCustodyPolicy(ctx, store, await store.put(KEY.serialChunk, [batch.gtin, prefix], chunk), [by.msp]);
  await store.index(KEY.batchChunk, [batch.gtin, batch.lot, prefix]);
  return { serials: chunk.serials, prefix };
}

/**
 * Given serials, one unit key each. One of generated shape must not fall in a claimed prefix (CONFLICT), and
 * marks its prefix taken so no later claim can generate it: the chunk read and the marker write make a
 * concurrent claim of that prefix and this commission invalidate one another's reads, whichever commits first.
 */
export async function commissionGiven(
  ctx: Context,
  store: Store,
  batch: Batch,
  by: Agent,
  serials: string[],
): Promise<string[]> {
  const marked = new Set<string>();
  const at = store.now();
  for (const serial of serials) {
    if (await findUnit(store, batch.gtin, serial))
      throw new DomainError('CONFLICT', `serial ${batch.gtin}/${serial} is already commissioned`);
    if (hasGeneratedShape(serial)) {
      const prefix = serialPrefix(serial);
      if (await store.exists(KEY.serialChunk, [batch.gtin, prefix]))
        throw new DomainError(
          'CONFLICT',
          `serial ${batch.gtin}/${serial} falls in a generated serial range (prefix ${prefix})`,
        );
      if (!marked.has(prefix)) await store.index(KEY.givenPrefix, [batch.gtin, prefix]);
      marked.add(prefix);
    }
    const unit: Unit = {
      gtin: batch.gtin,
      serial,
      lot: batch.lot,
      expiry: batch.expiry,
      state: 'ACTIVE',
      custodian: { msp: by.msp, gln: by.gln },
      last: { type: 'COMMISSIONED', at, org: by.msp, gln: by.gln, user: by.user },
    };
    await putUnit(ctx, store, unit, [by.msp]);
  }
  return serials;
}

/** A batch's chunks in prefix order, from `from` on. */
async function* chunksOf(store: Store, gtin: string, lot: string, from = ''): AsyncGenerator<SerialChunk> {
  for await (const { attrs } of store.entries(KEY.batchChunk, [gtin, lot])) {
    if (attrs[2] < from) continue;
    yield await store.get<SerialChunk>(KEY.serialChunk, [gtin, attrs[2]], `serial chunk ${gtin}/${attrs[2]}`);
  }
}

/** The prefixes of a batch's chunks (index keys only). */
async function chunkPrefixes(store: Store, gtin: string, lot: string): Promise<Set<string>> {
  const prefixes = new Set<string>();
  for await (const { attrs } of store.entries(KEY.batchChunk, [gtin, lot])) prefixes.add(attrs[2]);
  return prefixes;
}

/** Whether a serial listed in a batch's unit index is one of its chunk packs (materialized). */
const inChunks = (prefixes: ReadonlySet<string>, serial: string): boolean =>
  hasGeneratedShape(serial) && prefixes.has(serialPrefix(serial));

/**
 * A batch's packs as countBatch reads them: each unit key one by one, and each chunk's packs that have none yet
 * as one group (ACTIVE at the commissioner), so a chunk costs one read whatever its size.
 */
export async function* batchUnits(store: Store, gtin: string, lot: string): AsyncGenerator<UnitGroup> {
  const chunks = new Map<string, { chunk: SerialChunk; materialized: number }>();
  for await (const chunk of chunksOf(store, gtin, lot)) chunks.set(chunk.prefix, { chunk, materialized: 0 });
  for await (const { attrs } of store.entries(KEY.batchUnit, [gtin, lot])) {
    const serial = attrs[2];
    const unit = await store.get<Unit>(KEY.unit, [gtin, serial], `unit ${gtin}/${serial}`);
    // A given serial never falls in a claimed prefix (commissionGiven), so a listed serial under one is a chunk pack.
    const of = hasGeneratedShape(serial) ? chunks.get(serialPrefix(serial)) : undefined;
    if (of && sortedIncludes(of.chunk.serials, serial)) of.materialized++;
    yield { ...unit, count: 1 };
  }
  for (const { chunk, materialized } of chunks.values()) {
    const count = chunk.serials.length - materialized;
    if (count > 0) yield { ...chunkUnit(chunk, ''), count };
  }
}

const CHUNK_BOOKMARK = /^c:([A-Z2-9]*):(\d+)$/;

/**
 * One page of a batch's serials: its chunks' serials in prefix order, then its given serials (the unit index
 * without the chunk packs it lists once they changed). The bookmark says where: `c:<prefix>:<offset>` in the
 * chunks, `u:<Fabric bookmark>` in the given serials, '' when done. A page is full unless it is the last.
 */
export async function serialsPage(
  store: Store,
  gtin: string,
  lot: string,
  pageSize: number,
  bookmark: string,
): Promise<SerialPage> {
  const serials: string[] = [];
  let given: string | undefined = bookmark.startsWith('u:') ? bookmark.slice(2) : undefined;
  if (given === undefined) {
    const at = bookmark === '' ? ['', '', '0'] : CHUNK_BOOKMARK.exec(bookmark);
    if (!at) throw new DomainError('INVALID', 'bookmark is not one this list gave');
    for await (const chunk of chunksOf(store, gtin, lot, at[1])) {
      const start = chunk.prefix === at[1] ? Number(at[2]) : 0;
      const end = Math.min(chunk.serials.length, start + pageSize - serials.length);
      serials.push(...chunk.serials.slice(start, end));
      if (serials.length === pageSize) return { serials, bookmark: `c:${chunk.prefix}:${end}` };
    }
    given = '';
  }
  const prefixes = await chunkPrefixes(store, gtin, lot);
  while (serials.length < pageSize) {
    const page = await store.page(KEY.batchUnit, [gtin, lot], pageSize - serials.length, given);
    serials.push(...page.attrs.map((a) => a[2]).filter((s) => !inChunks(prefixes, s)));
    if (!page.bookmark) return { serials, bookmark: '' };
    given = page.bookmark;
  }
  return { serials, bookmark: `u:${given}` };
}
