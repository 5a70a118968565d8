import { alertAsRead, ShipmentStatus } from '@drugtrace/chaincode/domain';
import { Alert, Shipment } from '@drugtrace/chaincode/replica';
import { Database, SqlValue } from '../../database/database';
import { CursorKeys, decodeCursor, encodeCursor, ListName } from './list-cursor';
import { Direction } from './list-tables';

/** One page of a list, the cursor of the next when there is more, and the replica height it was read at. */
export interface Page<T> {
  items: T[];
  next?: string;
  height: number;
}

/** Shipments per direction and status. */
export type ShipmentCounts = Record<Direction, Partial<Record<ShipmentStatus, number>>>;

export interface ShipmentPageQuery {
  direction?: Direction;
  status?: ShipmentStatus;
  limit: number;
  cursor?: string;
}

export interface AlertPageQuery {
  /** Alerts raised by this organisation's scans only. */
  org?: string;
  limit: number;
  cursor?: string;
}

/** Reads the heights of a page and its counts agree on at most this many times before answering anyway. */
const SAME_HEIGHT_ATTEMPTS = 5;

/**
 * The list pages' reads over the derived tables (list-tables.ts), keyset-paged: a page is the rows after the
 * cursor's sort key, one indexed range each. Each statement reads the replica's height with its rows, so a
 * page reports exactly the block it reflects.
 */
export class ListQueries {
  constructor(private readonly db: Database) {}

  /** An organisation's shipments, newest first (then by id), as `shipments:List` orders them. */
  async shipments(msp: string, query: ShipmentPageQuery): Promise<Page<Shipment>> {
    const where = ['msp = ?'];
    const params: SqlValue[] = [msp];
    if (query.direction) {
      where.push('direction = ?');
      params.push(query.direction);
    }
    if (query.status) {
      where.push('status = ?');
      params.push(query.status);
    }
    if (query.cursor) {
      const [createdAt, id] = decodeCursor('shipments', query.cursor);
      where.push('(created_at < ? OR (created_at = ? AND id > ?))');
      params.push(createdAt, createdAt, id);
    }
    return this.#page('shipments', query.limit, {
      table: 'list_shipments',
      where: where.join(' AND '),
      params,
      keys: ['created_at', 'id'],
      order: (p) => `${p}created_at DESC, ${p}id`,
      read: (doc) => doc as Shipment,
    });
  }

  /** An organisation's shipment counts by direction and status, with the height they reflect. */
  async shipmentCounts(msp: string): Promise<{ counts: ShipmentCounts; height: number }> {
    const rows = await this.db.all<{
      height: number;
      direction: Direction | null;
      status: ShipmentStatus;
      n: number;
    }>(
      `SELECT h.height AS height, c.direction AS direction, c.status AS status, c.n AS n
       FROM replica_height h LEFT JOIN list_shipment_counts c ON c.msp = ? WHERE h.id = 1`,
      [msp],
    );
    const counts: ShipmentCounts = { incoming: {}, outgoing: {} };
    for (const r of rows) if (r.direction) counts[r.direction][r.status] = Number(r.n);
    return { counts, height: Number(rows[0]?.height ?? 0) };
  }

  /** A page of shipments and the organisation's counts, both at one height. */
  async shipmentsWithCounts(
    msp: string,
    query: ShipmentPageQuery,
  ): Promise<Page<Shipment> & { counts: ShipmentCounts }> {
    for (let attempt = 1; ; attempt++) {
      const page = await this.shipments(msp, query);
      const { counts, height } = await this.shipmentCounts(msp);
      // A block applied between the two statements: read both again (the page's height is reported).
      if (height === page.height || attempt >= SAME_HEIGHT_ATTEMPTS) return { ...page, counts };
    }
  }

  /** Alerts, newest first (the chaincode's key order), of every organisation or of one. */
  async alerts(query: AlertPageQuery): Promise<Page<Alert>> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (query.org) {
      where.push('org = ?');
      params.push(query.org);
    }
    if (query.cursor) {
      const [inverted, txId] = decodeCursor('alerts', query.cursor);
      where.push('(inverted > ? OR (inverted = ? AND tx_id > ?))');
      params.push(inverted, inverted, txId);
    }
    return this.#page('alerts', query.limit, {
      table: 'list_alerts',
      where: where.join(' AND ') || '1 = 1',
      params,
      keys: ['inverted', 'tx_id'],
      order: (p) => `${p}inverted, ${p}tx_id`,
      read: (doc) => alertAsRead(doc as Alert),
    });
  }

  /** `limit` rows after the cursor and the height, in one statement; one more row says whether there is a next. */
  async #page<L extends ListName, T>(
    list: L,
    limit: number,
    q: {
      table: string;
      where: string;
      params: SqlValue[];
      keys: [string, string];
      /** The ORDER BY, its columns prefixed. */
      order: (prefix: string) => string;
      read: (doc: unknown) => T;
    },
  ): Promise<Page<T>> {
    const [k1, k2] = q.keys;
    const rows = await this.db.all<{ height: number; doc: Buffer | null; k1: string; k2: string }>(
      `SELECT h.height AS height, p.doc AS doc, p.${k1} AS k1, p.${k2} AS k2
       FROM replica_height h LEFT JOIN (
         SELECT doc, ${k1}, ${k2} FROM ${q.table} WHERE ${q.where} ORDER BY ${q.order('')} LIMIT ?
       ) p ON 1 = 1
       WHERE h.id = 1 ORDER BY ${q.order('p.')}`,
      [...q.params, limit + 1],
    );
    const found = rows.filter((r) => r.doc !== null);
    const items = found.slice(0, limit).map((r) => q.read(JSON.parse(Buffer.from(r.doc!).toString('utf8'))));
    const last = found[limit - 1];
    return {
      items,
      height: Number(rows[0]?.height ?? 0),
      ...(found.length > limit && { next: encodeCursor(list, [last.k1, last.k2] as CursorKeys[L]) }),
    };
  }
}
