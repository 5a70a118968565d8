import { Database, Queryable } from '../database/database';

export interface IndexedEvent {
  /** Position in the index: the SSE event id clients resume from. */
  id: number;
  block: number;
  txId: string;
  type: string;
  payload: Record<string, unknown>;
}

export interface IncomingEvent {
  block: number;
  txId: string;
  type: string;
  payload: Record<string, unknown>;
}

interface EventRow {
  id: number;
  block: number;
  txId: string;
  type: string;
  payload: string;
}

const toEvent = (r: EventRow): IndexedEvent => ({
  ...r,
  payload: JSON.parse(r.payload) as Record<string, unknown>,
});

/**
 * The chaincode events of valid transactions, one row each, in the gateway's database: written by the block
 * follower in the same transaction as the block's writes to the replica (see replica/block-follower.ts), so the
 * events, the replica and its height never disagree. (block, tx) is unique: nothing is recorded twice.
 */
export class EventStore {
  constructor(private readonly db: Database) {}

  async migrate(): Promise<void> {
    const { serialKey, bigint } = this.db.types;
    await this.db.migrate('events', [
      `CREATE TABLE events (
         id ${serialKey}, block ${bigint} NOT NULL, tx_id TEXT NOT NULL, type TEXT NOT NULL, at TEXT,
         payload TEXT NOT NULL, UNIQUE (block, tx_id));
       CREATE INDEX events_type ON events (type, id);
       CREATE INDEX events_tx ON events (tx_id)`,
    ]);
  }

  /** Records one event within the block's transaction; undefined when it was recorded before. */
  async insert(tx: Queryable, event: IncomingEvent): Promise<IndexedEvent | undefined> {
    const at = typeof event.payload.at === 'string' ? event.payload.at : null;
    const row = await tx.get<{ id: number }>(
      `INSERT INTO events (block, tx_id, type, at, payload) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (block, tx_id) DO NOTHING RETURNING id`,
      [event.block, event.txId, event.type, at, JSON.stringify(event.payload)],
    );
    return row ? { id: Number(row.id), ...event } : undefined;
  }

  /** Events after index position `afterId`, oldest first, optionally only some types (`q`: within a transaction). */
  async since(
    afterId: number,
    types: readonly string[] = [],
    limit = 1000,
    q: Queryable = this.db,
  ): Promise<IndexedEvent[]> {
    const filter = types.length ? `AND type IN (${types.map(() => '?').join(',')})` : '';
    const rows = await q.all<EventRow>(
      `SELECT id, block, tx_id AS "txId", type, payload FROM events WHERE id > ? ${filter} ORDER BY id LIMIT ?`,
      [afterId, ...types, limit],
    );
    return rows.map(toEvent);
  }

  /** The index position of the newest event (0 when there is none): where a stream "from now" starts. */
  async lastId(): Promise<number> {
    const row = await this.db.get<{ id: number | null }>('SELECT MAX(id) AS id FROM events');
    return Number(row?.id ?? 0);
  }
}
