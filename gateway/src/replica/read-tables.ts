import { AlertRecordLike, alertCountsOf, DailyCount, DailyMetric } from '@drugtrace/chaincode/domain';
import { Batch, KEY } from '@drugtrace/chaincode/replica';
import { Database, Queryable } from '../database/database';

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
