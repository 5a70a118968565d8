import { Alert, createCompositeKey, KEY, Shipment, splitCompositeKey } from '@drugtrace/chaincode/replica';
import { Database, Queryable } from '../../database/database';

/** A shipment as an organisation lists it: as sender (`outgoing`) or receiver (`incoming`). */
export type Direction = 'incoming' | 'outgoing';

/**
 * Where a shipment sorts in its lists, ascending: newest first (inverted milliseconds, as the chaincode keys
 * alerts), then by id, as `shipments:List` orders them. One column, so a page is one index range.
 */
export function shipmentSortKey(createdAt: string, id: string): string {
  return `${String(9_999_999_999_999 - Date.parse(createdAt)).padStart(13, '0')}:${id}`;
}

/**
 * An alert key's row: [inverted milliseconds, the rest]. A scan's alert is keyed [inverted, txId]; the alerts a
 * receipt raises are keyed [inverted, txId, n], one per discrepancy, joined here by a space, which sorts before
 * every hex digit, so rows keep the chaincode's key order.
 */
export function alertRowOf(attributes: string[]): [inverted: string, txId: string] | undefined {
  if (attributes.length !== 2 && attributes.length !== 3) return undefined;
  return [attributes[0], attributes.slice(1).join(' ')];
}

/** The derived tables, emptied by a rebuild with the replica they come from. */
const LIST_TABLES = ['list_shipments', 'list_shipment_counts', 'list_alerts'] as const;

/**
 * The list pages' tables, derived from the same write sets as the replica, in the same database transaction:
 * `list_shipments` (one row per organisation and direction: the shipment as written, its status and creation
 * time as the key the list sorts by), `list_shipment_counts` (shipments per organisation, direction and status)
 * and `list_alerts` (one row per alert, with the organisation that scanned). They hold the latest block applied,
 * as `replica_units` does; a read takes them with the height in one statement (list-queries.ts).
 */
export class ListTables {
  constructor(private readonly db: Database) {}

  async migrate(): Promise<void> {
    const { bytes, bigint } = this.db.types;
    await this.db.migrate('lists', [
      `CREATE TABLE list_shipments (
         msp TEXT NOT NULL, direction TEXT NOT NULL, id TEXT NOT NULL, status TEXT NOT NULL,
         created_at TEXT NOT NULL, doc ${bytes} NOT NULL, PRIMARY KEY (msp, direction, id));
       CREATE INDEX list_shipments_newest ON list_shipments (msp, created_at, id);
       CREATE INDEX list_shipments_direction ON list_shipments (msp, direction, created_at, id);
       CREATE TABLE list_shipment_counts (
         msp TEXT NOT NULL, direction TEXT NOT NULL, status TEXT NOT NULL, n ${bigint} NOT NULL,
         PRIMARY KEY (msp, direction, status));
       CREATE TABLE list_alerts (
         inverted TEXT NOT NULL, tx_id TEXT NOT NULL, org TEXT NOT NULL, doc ${bytes} NOT NULL,
         PRIMARY KEY (inverted, tx_id));
       CREATE INDEX list_alerts_org ON list_alerts (org, inverted, tx_id)`,
      // Shipments sorted by one key (a page is one index range), found by id; every table emptied, so that
      // `backfill` fills them all again from the replica.
      `DROP TABLE list_shipments;
       CREATE TABLE list_shipments (
         msp TEXT NOT NULL, direction TEXT NOT NULL, id TEXT NOT NULL, status TEXT NOT NULL,
         sort TEXT NOT NULL, doc ${bytes} NOT NULL, PRIMARY KEY (msp, direction, id));
       CREATE INDEX list_shipments_id ON list_shipments (id);
       CREATE INDEX list_shipments_all ON list_shipments (msp, sort);
       CREATE INDEX list_shipments_direction ON list_shipments (msp, direction, sort);
       CREATE INDEX list_shipments_status ON list_shipments (msp, status, sort);
       CREATE INDEX list_shipments_both ON list_shipments (msp, direction, status, sort);
       DELETE FROM list_shipment_counts;
       DELETE FROM list_alerts`,
    ]);
  }

  /**
   * Fills empty tables from the replica's latest state: a replica that was following blocks before these tables
   * existed (a gateway upgraded) lists what it already holds. Takes the height's row lock first, so the block
   * follower waits and the tables start from exactly the replica's height.
   */
  async backfill(tx: Queryable): Promise<void> {
    await tx.run('UPDATE replica_height SET height = height WHERE id = 1');
    const filled = await tx.get(
      'SELECT 1 AS x FROM list_shipments UNION ALL SELECT 1 AS x FROM list_alerts LIMIT 1',
    );
    if (filled) return;
    for (const type of [KEY.shipment, KEY.alert]) {
      const start = createCompositeKey(type, []);
      const rows = await tx.all<{ key: Buffer; value: Buffer }>(
        'SELECT key, value FROM replica_state WHERE key >= ? AND key < ? AND value IS NOT NULL ORDER BY key',
        [Buffer.from(start), Buffer.from(start + '\u{10ffff}')],
      );
      for (const row of rows)
        await this.project(tx, Buffer.from(row.key).toString('utf8'), Buffer.from(row.value));
    }
  }

  /** Keeps the tables in step with one write of a valid transaction (value null: the key was deleted). */
  async project(tx: Queryable, key: string, value: Buffer | null): Promise<void> {
    const { objectType, attributes } = splitCompositeKey(key);
    if (objectType === KEY.shipment && attributes.length === 1)
      await this.#shipment(tx, attributes[0], value);
    else if (objectType === KEY.alert) {
      const row = alertRowOf(attributes);
      if (row) await this.#alert(tx, row, value);
    }
  }

  /** Empties the tables (a rebuild applies every block again). */
  async clear(tx: Queryable): Promise<void> {
    for (const table of LIST_TABLES) await tx.run(`DELETE FROM ${table}`);
  }

  async #shipment(tx: Queryable, id: string, value: Buffer | null): Promise<void> {
    const shipment = value && parse<Shipment>(value);
    // The chaincode indexes a shipment under its sender (out) and its receiver (in), once, at creation.
    const parties: [string, Direction][] =
      shipment?.from?.msp && shipment.to?.msp
        ? [
            [shipment.from.msp, 'outgoing'],
            [shipment.to.msp, 'incoming'],
          ]
        : [];
    const before = await tx.all<{ msp: string; direction: Direction; status: string }>(
      'SELECT msp, direction, status FROM list_shipments WHERE id = ?',
      [id],
    );
    for (const row of before) {
      await tx.run('DELETE FROM list_shipments WHERE msp = ? AND direction = ? AND id = ?', [
        row.msp,
        row.direction,
        id,
      ]);
      await count(tx, row.msp, row.direction, row.status, -1);
    }
    // Every shipment the chaincode writes is whole; anything else must not stop the replica following blocks.
    if (!shipment?.status || !shipment.createdAt) return;
    for (const [msp, direction] of parties) {
      await tx.run(
        'INSERT INTO list_shipments (msp, direction, id, status, sort, doc) VALUES (?, ?, ?, ?, ?, ?)',
        [msp, direction, id, shipment.status, shipmentSortKey(shipment.createdAt, id), value],
      );
      await count(tx, msp, direction, shipment.status, +1);
    }
  }

  async #alert(tx: Queryable, [inverted, txId]: string[], value: Buffer | null): Promise<void> {
    const alert = value && parse<Alert>(value);
    if (!value || !alert?.org) {
      await tx.run('DELETE FROM list_alerts WHERE inverted = ? AND tx_id = ?', [inverted, txId]);
      return;
    }
    await tx.run(
      `INSERT INTO list_alerts (inverted, tx_id, org, doc) VALUES (?, ?, ?, ?)
       ON CONFLICT (inverted, tx_id) DO UPDATE SET org = excluded.org, doc = excluded.doc`,
      [inverted, txId, alert.org, value],
    );
  }
}

/** Adds `delta` to a count, dropping it at zero. */
async function count(tx: Queryable, msp: string, direction: Direction, status: string, delta: number) {
  await tx.run(
    `INSERT INTO list_shipment_counts (msp, direction, status, n) VALUES (?, ?, ?, ?)
     ON CONFLICT (msp, direction, status) DO UPDATE SET n = list_shipment_counts.n + excluded.n`,
    [msp, direction, status, delta],
  );
  await tx.run('DELETE FROM list_shipment_counts WHERE msp = ? AND direction = ? AND status = ? AND n <= 0', [
    msp,
    direction,
    status,
  ]);
}

function parse<T>(value: Buffer): Partial<T> | undefined {
  try {
    const doc = JSON.parse(value.toString('utf8')) as unknown;
    return typeof doc === 'object' && doc !== null ? (doc as Partial<T>) : undefined;
  } catch {
    return undefined;
  }
}
