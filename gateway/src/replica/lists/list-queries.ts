import { alertAsRead, SHIPMENT_STATUSES, ShipmentStatus } from '@drugtrace/chaincode/domain';
import { Alert, Shipment } from '@drugtrace/chaincode/replica';
import { Database, SqlValue } from '../../database/database';
import { CursorKeys, decodeCursor, encodeCursor, ListName } from './list-cursor';
import { Direction, shipmentSortKey } from './list-tables';

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
      where.push('sort > ?');
      params.push(shipmentSortKey(...decodeCursor('shipments', query.cursor)));
    }
    return this.#page('shipments', query.limit, {
      table: 'list_shipments',
      where: where.join(' AND '),
      params,
      order: ['sort'],
      read: (doc) => doc as Shipment,
      cursor: (_row, shipment) => [shipment.createdAt, shipment.id],
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
    // In the statuses' own order (a shipment's life), for the pages that show them as they come.
    for (const status of SHIPMENT_STATUSES)
      for (const r of rows) if (r.direction && r.status === status) counts[r.direction][status] = Number(r.n);
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
      where.push('(inverted, tx_id) > (?, ?)');
      params.push(...decodeCursor('alerts', query.cursor));
    }
    return this.#page('alerts', query.limit, {
      table: 'list_alerts',
      where: where.join(' AND ') || '1 = 1',
      params,
      order: ['inverted', 'tx_id'],
      read: (doc) => alertAsRead(doc as Alert),
      cursor: (row) => [row.inverted, row.tx_id],
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
      /** The columns the list sorts by, ascending (an index's). */
      order: string[];
      read: (doc: unknown) => T;
      /** The sort key a `next` cursor carries: the last row's. */
      cursor: (row: Record<string, string>, item: T) => CursorKeys[L];
    },
  ): Promise<Page<T>> {
    const columns = q.order.join(', ');
    const rows = await this.db.all<Record<string, string> & { height: number; doc: Buffer | null }>(
      `SELECT h.height AS height, p.*
       FROM replica_height h LEFT JOIN (
         SELECT doc, ${columns} FROM ${q.table} WHERE ${q.where} ORDER BY ${columns} LIMIT ?
       ) p ON 1 = 1
       WHERE h.id = 1 ORDER BY ${q.order.map((c) => `p.${c}`).join(', ')}`,
      [...q.params, limit + 1],
    );
    const found = rows.filter((r) => r.doc !== null);
    const items = found.slice(0, limit).map((r) => q.read(JSON.parse(Buffer.from(r.doc!).toString('utf8'))));
    return {
      items,
      height: Number(rows[0]?.height ?? 0),
      ...(found.length > limit && {
        next: encodeCursor(list, q.cursor(found[limit - 1], items[limit - 1])),
      }),
    };
  }
}
