import { Context } from 'fabric-contract-api';
import { DomainError, hasGeneratedShape, serialPrefix, sortedIncludes } from '../domain';
import { custodyOf } from './custody';
import { setCustodyPolicy } from './endorsement';
import { KEY } from './keys';
import { Batch, Container, HistoryEvent, Org, SerialChunk, Shipment, Unit, UnitView } from './models';
import { Store } from './store';

// The ledger's documents read by key, for every contract: NOT_FOUND when absent.

/**
 * Whether each pack a transaction read had its own unit key. putUnit needs it to know whether its write creates
 * the key; Fabric gives no read-your-own-writes, so a second read would answer the same.
 */
const hadUnitKey = new WeakMap<Store, Map<string, boolean>>();

function hadUnitKeyOf(store: Store): Map<string, boolean> {
  let map = hadUnitKey.get(store);
  if (!map) hadUnitKey.set(store, (map = new Map()));
  return map;
}

/**
 * The chunk each pack findUnit read from its chunk came from, so unitVersions tells its commissioning without
 * reading the chunk again (a unit not found here has its chunk read, so the map only saves reads).
 */
const chunkBehind = new WeakMap<Unit, Readonly<SerialChunk>>();

/**
 * The chunk that holds a generated-shape serial of `gtin`, if any: one point read and a binary search. A chunk is
 * never written again, so it is read shared (a replica parses it once, not on every verify of one of its packs).
 */
export async function chunkOf(
  store: Store,
  gtin: string,
  serial: string,
): Promise<Readonly<SerialChunk> | undefined> {
  if (!hasGeneratedShape(serial)) return undefined;
  const chunk = await store.findShared<SerialChunk>(KEY.serialChunk, [gtin, serialPrefix(serial)]);
  return chunk && sortedIncludes(chunk.serials, serial) ? chunk : undefined;
}

/** A chunk pack as a unit: ACTIVE, held by its commissioner where it was commissioned. */
export function chunkUnit(chunk: SerialChunk, serial: string): Unit {
  return {
    gtin: chunk.gtin,
    serial,
    lot: chunk.lot,
    expiry: chunk.expiry,
    state: 'ACTIVE',
    custodian: { msp: chunk.manufacturer, gln: chunk.gln },
    last: { type: 'COMMISSIONED', at: chunk.at, org: chunk.manufacturer, gln: chunk.gln, user: chunk.user },
  };
}

/**
 * A pack, the one way every reader reads it: its unit key, else its chunk. Undefined when never commissioned.
 * A unit key, once written, is the pack for good (it is never deleted, so a chunk's ACTIVE never shows through).
 */
export async function findUnit(store: Store, gtin: string, serial: string): Promise<Unit | undefined> {
  const unit = await store.find<Unit>(KEY.unit, [gtin, serial]);
  const chunk = unit ? undefined : await chunkOf(store, gtin, serial);
  hadUnitKeyOf(store).set(`${gtin}\u0000${serial}`, unit !== undefined);
  if (unit || !chunk) return unit;
  const pack = chunkUnit(chunk, serial);
  chunkBehind.set(pack, chunk);
  return pack;
}

export async function getUnit(store: Store, gtin: string, serial: string): Promise<Unit> {
  const unit = await findUnit(store, gtin, serial);
  if (!unit)
    throw new DomainError('NOT_FOUND', `unit ${gtin}/${serial} was never commissioned; it does not exist`);
  return unit;
}

/**
 * Every write of a pack: its unit key with a key-level policy naming `holders` and the regulator. A key that did
 * not exist (a given serial's commissioning, a chunk pack's first change) also gets its batch index entry. The
 * chunk itself is only read, never written again: first changes of many packs of one chunk run concurrently
 * (DESIGN.md, "Forging, honestly", says why re-setting its policy would add no protection).
 */
export async function putUnit(ctx: Context, store: Store, unit: Unit, holders: string[]): Promise<void> {
  const id = `${unit.gtin}\u0000${unit.serial}`;
  if (!hadUnitKeyOf(store).has(id)) await findUnit(store, unit.gtin, unit.serial);
  const existed = hadUnitKeyOf(store).get(id)!;
  await setCustodyPolicy(ctx, store, await store.put(KEY.unit, [unit.gtin, unit.serial], unit), holders);
  if (!existed) await store.index(KEY.batchUnit, [unit.gtin, unit.lot, unit.serial]);
}

/**
 * A pack's custody chain from its own records: its chunk's commissioning, if it was a chunk pack, then its unit key's
 * versions. `unit` is the pack as findUnit or getUnit read it: one read from its chunk brings the chunk along.
 */
export async function unitVersions(
  store: Store,
  unit: Unit,
): Promise<{ commissioned?: HistoryEvent; versions: { txId: string; at: string; value?: Unit }[] }> {
  const { gtin, serial } = unit;
  const chunk = chunkBehind.get(unit) ?? (await chunkOf(store, gtin, serial));
  const versions = await store.history<Unit>(KEY.unit, [gtin, serial]);
  if (!chunk) return { versions };
  const { last } = chunkUnit(chunk, serial);
  return { commissioned: { ...last, txId: chunk.txId }, versions };
}

export async function getBatch(store: Store, gtin: string, lot: string): Promise<Batch> {
  return store.get<Batch>(KEY.batch, [gtin, lot], `batch ${gtin}/${lot}`);
}

export async function getContainer(store: Store, sscc: string): Promise<Container> {
  return store.get<Container>(KEY.container, [sscc], `container ${sscc}`);
}

export async function getShipment(store: Store, id: string): Promise<Shipment> {
  return store.get<Shipment>(KEY.shipment, [id], `shipment ${id}`);
}

/** Every admitted organisation. */
export async function listOrgs(store: Store): Promise<Org[]> {
  const orgs: Org[] = [];
  for await (const { value } of store.entries<Org>(KEY.org, [])) orgs.push(value);
  return orgs;
}

/** A unit as clients see it: its effective custodian and whether it is in transit. */
export async function unitView(store: Store, unit: Unit): Promise<UnitView> {
  const custody = await custodyOf(store, unit);
  return {
    ...unit,
    custodian: custody.custodian,
    inTransit: custody.inTransit,
    shipmentId: custody.shipmentId,
    container: custody.top,
  };
}
