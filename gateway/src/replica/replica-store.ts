import {
  chunkUnit,
  KEY,
  KeyVersion,
  SerialChunk,
  splitCompositeKey,
  Unit,
  UnitGroup,
  WorldStateReader,
} from '@drugtrace/chaincode/replica';
import { Database, Queryable, SqlValue } from '../database/database';
import { DecodedBlock } from './block-decoder';
import { ChunkCache, isChunkKey } from './chunk-cache';
import { insertRows } from './insert-rows';
import { ListTables } from './lists/list-tables';
import { ReadTables } from './read-tables';

/** One pack's row: its state and holder as its own key says (custodyOnReplica reads a packed one's container). */
export interface UnitRow extends Omit<UnitGroup, 'count'> {
  serial: string;
}

const utf8 = new TextEncoder();
const text = new TextDecoder();
const bytesOf = (key: string): Buffer => Buffer.from(utf8.encode(key));

interface StateRow {
  key: Buffer;
  value: Buffer | null;
  block: number;
}

/** A pack's group in replica_unit_counts: what its count is kept under ('' for no parent, no shipment). */
interface CountGroup {
  lot: string;
  state: UnitGroup['state'];
  parent: string;
  msp: string;
  gln: string;
  shipmentId: string;
}
const COUNT_COLUMNS = ['lot', 'state', 'parent', 'msp', 'gln', 'shipmentId'] as const;

/** The group a pack is counted in. */
const countGroupOf = (unit: Unit): CountGroup => ({
  lot: unit.lot,
  state: unit.state,
  parent: unit.parent ?? '',
  msp: unit.custodian.msp,
  gln: unit.custodian.gln,
  shipmentId: unit.shipmentId ?? '',
});

/** replica_units counted by batch, state and holder: the columns of replica_unit_counts, in its order. */
const UNIT_RECOUNT = `SELECT gtin, lot, state, COALESCE(parent, '') AS parent, custodian_msp, custodian_gln,
  COALESCE(shipment_id, '') AS shipment_id, COUNT(*) AS count
  FROM replica_units GROUP BY gtin, lot, state, COALESCE(parent, ''), custodian_msp, custodian_gln,
    COALESCE(shipment_id, '')`;

/** replica_units' columns, as insertRows writes them. */
const UNIT_ROWS =
  'replica_units (gtin, serial, lot, state, parent, custodian_msp, custodian_gln, shipment_id)';
/** A pack that has a row already gets the new one (its own unit key's, a chunk's). */
const UNIT_UPSERT = `ON CONFLICT (gtin, serial) DO UPDATE SET lot = excluded.lot, state = excluded.state,
  parent = excluded.parent, custodian_msp = excluded.custodian_msp, custodian_gln = excluded.custodian_gln,
  shipment_id = excluded.shipment_id`;

/** One pack row's parameters, in UNIT_ROWS' column order (NULL for no parent, no shipment). */
const unitRowValues = (gtin: string, serial: string, g: CountGroup): SqlValue[] => [
  gtin,
  serial,
  g.lot,
  g.state,
  g.parent || null,
  g.msp,
  g.gln,
  g.shipmentId || null,
];

/** Rows fetched per step of a range scan. */
const RANGE_STEP = 500;

/**
 * The replica of the chaincode's world state, built from the committed blocks' write sets: `replica_state`
 * holds each key's latest value (a deleted key as a row without value), `replica_versions` every version with
 * its block, transaction and time (the key history the contracts read). Keys are stored as their UTF-8 bytes,
 * so they sort as the peer's LevelDB sorts them. The height (the next block to apply) moves in the same
 * transaction as the block's writes: the replica is always exactly the world state after a whole block.
 */
export class ReplicaStore {
  /** The list pages' tables, kept from the same writes. */
  readonly lists: ListTables;
  /** The aggregate tables kept with the replica (daily figures, the list of batches). */
  readonly tables: ReadTables;
  /** Serial chunks read by verifies, shared by every snapshot. */
  readonly #chunks = new ChunkCache();

  constructor(private readonly db: Database) {
    this.lists = new ListTables(db);
    this.tables = new ReadTables(db);
  }

  async migrate(): Promise<void> {
    const { bytes, bigint } = this.db.types;
    await this.db.migrate('replica', [
      `CREATE TABLE replica_state (key ${bytes} PRIMARY KEY, value ${bytes}, block ${bigint} NOT NULL);
       CREATE TABLE replica_versions (
         key ${bytes} NOT NULL, block ${bigint} NOT NULL, tx_num INTEGER NOT NULL, tx_id TEXT NOT NULL,
         at ${bigint} NOT NULL, value ${bytes}, PRIMARY KEY (key, block, tx_num));
       CREATE TABLE replica_transactions (tx_id TEXT PRIMARY KEY, block ${bigint} NOT NULL);
       CREATE TABLE replica_height (id INTEGER PRIMARY KEY CHECK (id = 1), height ${bigint} NOT NULL);
       CREATE TABLE replica_units (
         gtin TEXT NOT NULL, serial TEXT NOT NULL, lot TEXT NOT NULL, state TEXT NOT NULL, parent TEXT,
         custodian_msp TEXT NOT NULL, custodian_gln TEXT NOT NULL, shipment_id TEXT, PRIMARY KEY (gtin, serial));
       CREATE INDEX replica_units_batch
         ON replica_units (gtin, lot, state, parent, custodian_msp, custodian_gln, shipment_id);
       INSERT INTO replica_height (id, height) VALUES (1, 0)`,
      // A batch's counts by state and holder, kept with the unit rows ('' for no parent, no shipment, so the
      // key has no NULL); a replica built before the table gets it filled from its unit rows here.
      `CREATE TABLE replica_unit_counts (
         gtin TEXT NOT NULL, lot TEXT NOT NULL, state TEXT NOT NULL, parent TEXT NOT NULL, custodian_msp TEXT NOT NULL,
         custodian_gln TEXT NOT NULL, shipment_id TEXT NOT NULL, count ${bigint} NOT NULL,
         PRIMARY KEY (gtin, lot, state, parent, custodian_msp, custodian_gln, shipment_id));
       ${UNIT_RECOUNT.replace('SELECT', 'INSERT INTO replica_unit_counts SELECT')}`,
    ]);
    await this.lists.migrate();
    await this.tables.migrate();
    await this.db.transaction((tx) => this.lists.backfill(tx));
  }

  /** Empties the replica and every table derived from it, back to height 0 (a rebuild applies every block again). */
  async clear(tx: Queryable): Promise<void> {
    for (const table of [
      'replica_state',
      'replica_versions',
      'replica_transactions',
      'replica_units',
      'replica_unit_counts',
    ])
      await tx.run(`DELETE FROM ${table}`);
    await this.lists.clear(tx);
    await this.tables.clear(tx);
    await tx.run('UPDATE replica_height SET height = 0 WHERE id = 1');
  }

  /** How many blocks the replica has applied: it reflects the ledger up to block height - 1. */
  async height(): Promise<number> {
    return (
      (await this.db.get<{ height: number }>('SELECT height FROM replica_height WHERE id = 1'))?.height ?? 0
    );
  }

  /**
   * Applies one block's writes within the caller's transaction (with whatever else must move with it) and moves
   * the height past it. A block already applied (a follower resumed at it) is skipped: false.
   */
  async applyBlock(tx: Queryable, block: DecodedBlock): Promise<boolean> {
    // Moving the height first takes the row's lock: of two followers racing, one applies the block.
    const moved = await tx.run('UPDATE replica_height SET height = ? WHERE id = 1 AND height = ?', [
      block.number + 1,
      block.number,
    ]);
    if (moved === 0) {
      const current =
        (await tx.get<{ height: number }>('SELECT height FROM replica_height WHERE id = 1'))?.height ?? 0;
      if (block.number < current) return false;
      throw new Error(`the replica is at height ${current}: it cannot apply block ${block.number}`);
    }
    // Each key's latest value and every version go in after the block's projections, many rows to a statement; a
    // projection reads a key's value until now here first (a key an earlier transaction of the block wrote).
    const latest = new Map<string, Buffer | null>();
    const versions: SqlValue[][] = [];
    for (const t of block.transactions) {
      for (const write of t.writes) {
        const value = write.value ? Buffer.from(write.value) : null;
        await this.#project(tx, write.key, value, latest);
        latest.set(write.key, value);
        versions.push([bytesOf(write.key), block.number, t.index, t.txId, t.timestamp.getTime(), value]);
        await this.lists.project(tx, write.key, value);
      }
    }
    await insertRows(
      tx,
      'replica_transactions (tx_id, block)',
      [...new Set(block.transactions.map((t) => t.txId))].map((txId) => [txId, block.number]),
      'ON CONFLICT (tx_id) DO NOTHING',
    );
    await insertRows(
      tx,
      'replica_state (key, value, block)',
      [...latest].map(([key, value]) => [bytesOf(key), value, block.number]),
      'ON CONFLICT (key) DO UPDATE SET value = excluded.value, block = excluded.block',
    );
    await insertRows(tx, 'replica_versions (key, block, tx_num, tx_id, at, value)', versions);
    return true;
  }

  /**
   * Derived tables, kept from the same writes: a unit's state and holder (one row per pack) for counting a batch
   * with one grouped query. The values are the chaincode's own documents (models.ts); `block` holds the values the
   * block's earlier writes gave their keys, not yet in replica_state.
   */
  async #project(
    tx: Queryable,
    key: string,
    value: Buffer | null,
    block: ReadonlyMap<string, Buffer | null>,
  ): Promise<void> {
    const { objectType, attributes } = splitCompositeKey(key);
    if (objectType === KEY.alert || objectType === KEY.batch) {
      return this.tables.project(tx, objectType, value, await this.#valueUntilNow(tx, key, block));
    }
    if (objectType === KEY.serialChunk && value) {
      // A chunk is written once: each of its packs is a row, as the chaincode reads it (chunkUnit), until the pack's
      // own unit key replaces its row.
      const chunk = JSON.parse(value.toString('utf8')) as Partial<SerialChunk>;
      if (!chunk.gtin || !Array.isArray(chunk.serials)) return;
      return this.#putChunkRows(tx, chunk as SerialChunk);
    }
    if (objectType !== KEY.unit) return;
    if (!value) {
      const [gtin, serial] = attributes;
      await this.#deleteUnitRow(tx, gtin, serial);
      return;
    }
    const unit = JSON.parse(value.toString('utf8')) as Partial<Unit>;
    // Every unit the chaincode writes is a whole Unit; anything else must not stop the replica following blocks.
    if (!unit.gtin || !unit.serial || !unit.lot || !unit.state || !unit.custodian) return;
    await this.#putUnitRow(tx, unit as Unit);
  }

  /** A key's value before this write: an earlier write's of the same block, else the replica's row. */
  async #valueUntilNow(
    tx: Queryable,
    key: string,
    block: ReadonlyMap<string, Buffer | null>,
  ): Promise<Buffer | null> {
    if (block.has(key)) return block.get(key) ?? null;
    const row = await tx.get<{ value: Buffer | null }>('SELECT value FROM replica_state WHERE key = ?', [
      bytesOf(key),
    ]);
    return row?.value ?? null;
  }

  /**
   * A chunk's pack rows. Its packs are new (no unit key precedes its chunk: given serials never fall in a claimed
   * prefix), so their rows are written without looking up an old group, many to a statement, and their one group is
   * counted once. A serial listed twice is one pack (one row, counted once), as the chaincode reads it; PostgreSQL
   * would also refuse one INSERT that writes a row twice.
   */
  async #putChunkRows(tx: Queryable, chunk: SerialChunk): Promise<void> {
    const serials = [...new Set(chunk.serials.filter((s): s is string => typeof s === 'string'))];
    if (!serials.length) return;
    const group = countGroupOf(chunkUnit(chunk, ''));
    await insertRows(
      tx,
      UNIT_ROWS,
      serials.map((serial) => unitRowValues(chunk.gtin, serial, group)),
      UNIT_UPSERT,
    );
    await this.#count(tx, chunk.gtin, group, serials.length);
  }

  /**
   * A pack's row from its unit key: the write of replica_units that moves the pack's count from its old group to
   * its new one in replica_unit_counts in the same transaction.
   */
  async #putUnitRow(tx: Queryable, unit: Unit): Promise<void> {
    const group = countGroupOf(unit);
    const before = await this.#groupOf(tx, unit.gtin, unit.serial);
    await insertRows(tx, UNIT_ROWS, [unitRowValues(unit.gtin, unit.serial, group)], UNIT_UPSERT);
    if (before && COUNT_COLUMNS.every((c) => before[c] === group[c])) return;
    if (before) await this.#count(tx, unit.gtin, before, -1);
    await this.#count(tx, unit.gtin, group, 1);
  }

  /** A pack's row deleted (its unit key deleted), and its count with it. */
  async #deleteUnitRow(tx: Queryable, gtin: string, serial: string): Promise<void> {
    const before = await this.#groupOf(tx, gtin, serial);
    if (!before) return;
    await tx.run('DELETE FROM replica_units WHERE gtin = ? AND serial = ?', [gtin, serial]);
    await this.#count(tx, gtin, before, -1);
  }

  async #groupOf(tx: Queryable, gtin: string, serial: string): Promise<CountGroup | undefined> {
    return tx.get<CountGroup>(
      `SELECT lot, state, COALESCE(parent, '') AS parent, custodian_msp AS msp, custodian_gln AS gln,
         COALESCE(shipment_id, '') AS "shipmentId"
       FROM replica_units WHERE gtin = ? AND serial = ?`,
      [gtin, serial],
    );
  }

  /** Adds `delta` to a group's count; a group counted down to nothing goes. */
  async #count(tx: Queryable, gtin: string, g: CountGroup, delta: number): Promise<void> {
    const key = [gtin, g.lot, g.state, g.parent, g.msp, g.gln, g.shipmentId];
    await tx.run(
      `INSERT INTO replica_unit_counts (gtin, lot, state, parent, custodian_msp, custodian_gln, shipment_id, count)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (gtin, lot, state, parent, custodian_msp, custodian_gln, shipment_id)
       DO UPDATE SET count = replica_unit_counts.count + excluded.count`,
      [...key, delta],
    );
    if (delta < 0)
      await tx.run(
        `DELETE FROM replica_unit_counts WHERE gtin = ? AND lot = ? AND state = ? AND parent = ? AND custodian_msp = ?
           AND custodian_gln = ? AND shipment_id = ? AND count <= 0`,
        key,
      );
  }

  /**
   * A batch's units grouped by state and holder, as the latest block applied left them (the table is not kept
   * per height): what batchOnReplica counts from.
   */
  async unitGroups(gtin: string, lot: string, q: Queryable = this.db): Promise<UnitGroup[]> {
    const rows = await q.all<{
      state: UnitGroup['state'];
      parent: string | null;
      msp: string;
      gln: string;
      shipmentId: string | null;
      count: number;
    }>(
      `SELECT state, parent, custodian_msp AS msp, custodian_gln AS gln, shipment_id AS "shipmentId", count
       FROM replica_unit_counts WHERE gtin = ? AND lot = ?`,
      [gtin, lot],
    );
    return rows.map((r) => ({
      state: r.state,
      custodian: { msp: r.msp, gln: r.gln },
      ...(r.parent ? { parent: r.parent } : {}),
      ...(r.shipmentId ? { shipmentId: r.shipmentId } : {}),
      count: Number(r.count),
    }));
  }

  /**
   * Where replica_unit_counts differs from a recount of replica_units (index:verify): one line per group whose
   * kept count is not the recount, none when they agree.
   */
  async unitCountDrift(): Promise<string[]> {
    // One statement, so both sides are read at one moment while blocks are applied.
    const columns = 'gtin, lot, state, parent, custodian_msp, custodian_gln, shipment_id';
    const rows = await this.db.all<Record<string, string | number>>(
      `SELECT ${columns}, SUM(kept) AS kept, SUM(recounted) AS recounted FROM (
         SELECT ${columns}, count AS kept, 0 AS recounted FROM replica_unit_counts
         UNION ALL
         SELECT ${columns}, 0 AS kept, count AS recounted FROM (${UNIT_RECOUNT}) AS r
       ) AS c GROUP BY ${columns} HAVING SUM(kept) <> SUM(recounted)`,
    );
    return rows.map(
      (r) =>
        `${columns
          .split(', ')
          .map((c) => `${c}=${r[c]}`)
          .join(' ')}: counted ${r.kept}, recounted ${r.recounted}`,
    );
  }

  /** A batch's units after serial `after`, in serial order: the rows custody is read from (my-packs). */
  async units(gtin: string, lot: string, after: string, limit: number): Promise<UnitRow[]> {
    const rows = await this.db.all<{
      serial: string;
      state: UnitGroup['state'];
      parent: string | null;
      msp: string;
      gln: string;
      shipmentId: string | null;
    }>(
      `SELECT serial, state, parent, custodian_msp AS msp, custodian_gln AS gln, shipment_id AS "shipmentId"
       FROM replica_units WHERE gtin = ? AND lot = ? AND serial > ? ORDER BY serial LIMIT ?`,
      [gtin, lot, after, limit],
    );
    return rows.map((r) => ({
      serial: r.serial,
      state: r.state,
      custodian: { msp: r.msp, gln: r.gln },
      ...(r.parent === null ? {} : { parent: r.parent }),
      ...(r.shipmentId === null ? {} : { shipmentId: r.shipmentId }),
    }));
  }

  /** The block a transaction committed in, when the replica has applied it. */
  async blockOf(txId: string): Promise<number | undefined> {
    return (
      await this.db.get<{ block: number }>('SELECT block FROM replica_transactions WHERE tx_id = ?', [txId])
    )?.block;
  }

  /** The world state as it was after block height - 1, however far the replica has moved on since. */
  at(height: number, q: Queryable = this.db): WorldStateReader {
    return new ReplicaSnapshot(q, height, this.#chunks);
  }
}

/** Reads at one height: the latest row when it is old enough, else the version the key had then. */
class ReplicaSnapshot implements WorldStateReader {
  constructor(
    private readonly db: Queryable,
    private readonly height: number,
    private readonly chunks: ChunkCache,
  ) {}

  async get(key: string): Promise<Uint8Array | undefined> {
    const k = bytesOf(key);
    if (isChunkKey(key)) return this.chunks.read(this.db, key, k, this.height);
    const row = await this.db.get<StateRow>('SELECT value, block FROM replica_state WHERE key = ?', [k]);
    if (!row) return undefined;
    if (row.block < this.height) return row.value ?? undefined;
    return this.#versionAt(k);
  }

  async range(start: string, end: string, limit: number): Promise<{ key: string; value: Uint8Array }[]> {
    const out: { key: string; value: Uint8Array }[] = [];
    const endKey = bytesOf(end);
    let from = bytesOf(start);
    let inclusive = true;
    while (out.length < limit) {
      const step = Math.min(RANGE_STEP, limit - out.length + 16);
      const rows = await this.db.all<StateRow>(
        `SELECT key, value, block FROM replica_state WHERE key ${inclusive ? '>=' : '>'} ? AND key < ? ORDER BY key LIMIT ?`,
        [from, endKey, step],
      );
      for (const row of rows) {
        const value = row.block < this.height ? row.value : await this.#versionAt(row.key);
        if (value && out.length < limit) out.push({ key: text.decode(row.key), value });
      }
      if (rows.length < step) break;
      from = rows[rows.length - 1].key;
      inclusive = false;
    }
    return out;
  }

  async history(key: string): Promise<KeyVersion[]> {
    const rows = await this.db.all<{ tx_id: string; at: number; value: Buffer | null }>(
      'SELECT tx_id, at, value FROM replica_versions WHERE key = ? AND block < ? ORDER BY block, tx_num',
      [bytesOf(key), this.height],
    );
    return rows.map((r) => ({
      txId: r.tx_id,
      timestamp: new Date(r.at),
      isDelete: r.value === null,
      value: r.value ?? new Uint8Array(0),
    }));
  }

  async #versionAt(key: Buffer): Promise<Buffer | undefined> {
    const row = await this.db.get<{ value: Buffer | null }>(
      'SELECT value FROM replica_versions WHERE key = ? AND block < ? ORDER BY block DESC, tx_num DESC LIMIT 1',
      [key, this.height],
    );
    return row?.value ?? undefined;
  }
}
