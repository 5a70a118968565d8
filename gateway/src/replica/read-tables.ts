import {
  AlertRecordLike,
  alertCountsOf,
  DailyCount,
  DailyMetric,
  LedgerEvent,
  SCAN_EVENT_TYPES,
  scanCountOf,
} from '@drugtrace/chaincode/domain';
import { Batch, createCompositeKey, KEY } from '@drugtrace/chaincode/replica';
import { Database, Queryable } from '../database/database';
import { EventStore } from '../events/event-store';

/** One batch as the list of batches shows it (its counts are read through the contract). */
export interface BatchRow {
  gtin: string;
  lot: string;
  manufacturer: string;
  status: string;
  expiry: string;
  quantity: number;
  createdAt: string;
}

/** One day's figure of one metric. */
export interface DailyRow {
  day: string;
  metric: DailyMetric;
  key: string;
  count: number;
}

/**
 * The read model's aggregate tables, kept from the blocks in the same database transaction as the replica and
 * its height (ReplicaStore.applyBlock): `replica_daily` (scans by verdict, alert occurrences by reason and by
 * place, per UTC day) and `replica_batches` (every batch, by manufacturer: the manufacturer page's list).
 */
export class ReadTables {
  constructor(private readonly db: Database) {}

  async migrate(): Promise<void> {
    const { bigint } = this.db.types;
    await this.db.migrate('read-tables', [
      `CREATE TABLE replica_daily (
         day TEXT NOT NULL, metric TEXT NOT NULL, key TEXT NOT NULL, count ${bigint} NOT NULL,
         PRIMARY KEY (day, metric, key));
       CREATE TABLE replica_batches (
         gtin TEXT NOT NULL, lot TEXT NOT NULL, manufacturer TEXT NOT NULL, status TEXT NOT NULL,
         expiry TEXT NOT NULL, quantity ${bigint} NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (gtin, lot));
       CREATE INDEX replica_batches_maker ON replica_batches (manufacturer, gtin, lot)`,
    ]);
  }

  /**
   * Fills the tables when both are empty, from what the database already holds, to the figures the blocks would
   * have added up to: a replica that was following blocks before these tables existed (a gateway upgraded) shows
   * its batches and figures without `npm run index:rebuild`. Batches from the replica's batch keys; alert figures
   * from every version of each alert key in the order the blocks wrote them (each version against the one before,
   * as `project` counts); scan figures from the recorded events. Takes the height's row lock first, so the block
   * follower waits and the tables start from exactly the replica's height (as ListTables.backfill does).
   */
  async backfill(events: EventStore): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('UPDATE replica_height SET height = height WHERE id = 1');
      const filled = await tx.get(
        'SELECT 1 AS x FROM replica_daily UNION ALL SELECT 1 AS x FROM replica_batches LIMIT 1',
      );
      if (filled) return;
      const batches = await tx.all<{ value: Buffer }>(
        'SELECT value FROM replica_state WHERE key >= ? AND key < ? AND value IS NOT NULL',
        rangeOf(KEY.batch),
      );
      for (const { value } of batches) await this.project(tx, KEY.batch, Buffer.from(value), null);
      let previous: { key: Buffer; value: Buffer | null } | undefined;
      for await (const version of alertVersions(tx)) {
        const before = previous?.key.equals(version.key) ? previous.value : null;
        await this.project(tx, KEY.alert, version.value, before);
        previous = version;
      }
      let after = 0;
      for (;;) {
        const page = await events.since(after, SCAN_EVENT_TYPES, PAGE, tx);
        if (!page.length) break;
        for (const e of page) {
          const scan = scanCountOf(e.payload as unknown as LedgerEvent);
          if (scan) await this.addDaily(tx, [scan]);
        }
        after = page[page.length - 1].id;
      }
    });
  }

  /** Empties the tables (a rebuild applies every block again: the figures add up from nothing). */
  async clear(tx: Queryable): Promise<void> {
    for (const table of ['replica_daily', 'replica_batches']) await tx.run(`DELETE FROM ${table}`);
  }

  /**
   * A key's write, before the replica's row changes (`before` is its value until now): an alert record adds its
   * new occurrences to the day's figures; a batch record is the batch's row.
   */
  async project(
    tx: Queryable,
    objectType: string,
    value: Buffer | null,
    before: Buffer | null,
  ): Promise<void> {
    if (!value) return;
    if (objectType === KEY.alert) {
      const after = JSON.parse(value.toString('utf8')) as AlertRecordLike;
      const previous = before ? (JSON.parse(before.toString('utf8')) as AlertRecordLike) : undefined;
      await this.addDaily(tx, alertCountsOf(after, previous));
    } else if (objectType === KEY.batch) {
      const b = JSON.parse(value.toString('utf8')) as Partial<Batch>;
      if (!b.gtin || !b.lot || !b.manufacturer || !b.status) return;
      await tx.run(
        `INSERT INTO replica_batches (gtin, lot, manufacturer, status, expiry, quantity, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (gtin, lot) DO UPDATE SET manufacturer = excluded.manufacturer, status = excluded.status,
           expiry = excluded.expiry, quantity = excluded.quantity, created_at = excluded.created_at`,
        [b.gtin, b.lot, b.manufacturer, b.status, b.expiry ?? '', b.quantity ?? 0, b.createdAt ?? ''],
      );
    }
  }

  async addDaily(tx: Queryable, counts: readonly DailyCount[]): Promise<void> {
    for (const c of counts)
      await tx.run(
        `INSERT INTO replica_daily (day, metric, key, count) VALUES (?, ?, ?, ?)
         ON CONFLICT (day, metric, key) DO UPDATE SET count = replica_daily.count + excluded.count`,
        [c.day, c.metric, c.key, c.count],
      );
  }

  /** Every figure from day `from` to day `to`, both included. */
  async daily(from: string, to: string): Promise<DailyRow[]> {
    const rows = await this.db.all<DailyRow>(
      'SELECT day, metric, key, count FROM replica_daily WHERE day >= ? AND day <= ? ORDER BY day, metric, key',
      [from, to],
    );
    return rows.map((r) => ({ ...r, count: Number(r.count) }));
  }

  /** Batches after (gtin, lot) in key order, one manufacturer's or everyone's. */
  async batches(
    manufacturer: string | undefined,
    after: [string, string] | undefined,
    limit: number,
  ): Promise<BatchRow[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (manufacturer) {
      where.push('manufacturer = ?');
      params.push(manufacturer);
    }
    if (after) {
      where.push('(gtin > ? OR (gtin = ? AND lot > ?))');
      params.push(after[0], after[0], after[1]);
    }
    const rows = await this.db.all<BatchRow>(
      `SELECT gtin, lot, manufacturer, status, expiry, quantity, created_at AS "createdAt" FROM replica_batches
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY gtin, lot LIMIT ?`,
      [...params, limit],
    );
    return rows.map((r) => ({ ...r, quantity: Number(r.quantity) }));
  }
}

/** The keys of one type: [first, past the last] as the replica stores keys (UTF-8 bytes). */
function rangeOf(objectType: string): [Buffer, Buffer] {
  const start = createCompositeKey(objectType, []);
  return [Buffer.from(start), Buffer.from(start + '\u{10ffff}')];
}

/** Rows read per step of a backfill. */
const PAGE = 1000;

/** Every version of every alert key, in key order and each key's versions oldest first, a page at a time. */
async function* alertVersions(tx: Queryable): AsyncGenerator<{ key: Buffer; value: Buffer | null }> {
  const [start, end] = rangeOf(KEY.alert);
  let after: [Buffer, number, number] = [start, -1, -1];
  for (;;) {
    const [key, block, txNum] = after;
    const rows = await tx.all<{ key: Buffer; value: Buffer | null; block: number; tx_num: number }>(
      `SELECT key, value, block, tx_num FROM replica_versions
       WHERE (key > ? OR (key = ? AND (block > ? OR (block = ? AND tx_num > ?)))) AND key < ?
       ORDER BY key, block, tx_num LIMIT ?`,
      [key, key, block, block, txNum, end, PAGE],
    );
    for (const row of rows) yield { key: Buffer.from(row.key), value: row.value && Buffer.from(row.value) };
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1];
    after = [Buffer.from(last.key), Number(last.block), Number(last.tx_num)];
  }
}
