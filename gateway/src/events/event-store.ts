import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

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

/**
 * The off-chain view in SQLite: one row per chaincode event, and the checkpoint (the block to resume
 * from and the transactions of it already applied) written in the same SQLite transaction as the row.
 * Fabric delivers a block's events again when the listener resumes from that block; (block, tx) is
 * unique, so nothing is applied twice and nothing after the checkpoint is skipped. Deleting the file
 * rebuilds the index from block 0.
 */
export class EventStore {
  readonly #db: Database.Database;
  readonly #insert: Database.Statement<[number, string, string, string | null, string]>;
  readonly #checkpoint: Database.Statement<[number]>;
  readonly #readCheckpoint: Database.Statement<[], { block: number }>;
  readonly #blockOf: Database.Statement<[string], { block: number }>;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.exec(`
      CREATE TABLE IF NOT EXISTS events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        block INTEGER NOT NULL,
        tx_id TEXT NOT NULL,
        type TEXT NOT NULL,
        at TEXT,
        payload TEXT NOT NULL,
        UNIQUE (block, tx_id));
      CREATE INDEX IF NOT EXISTS events_type ON events (type, id);
      CREATE INDEX IF NOT EXISTS events_tx ON events (tx_id);
      CREATE TABLE IF NOT EXISTS checkpoint (id INTEGER PRIMARY KEY CHECK (id = 1), block INTEGER NOT NULL);`);
    this.#insert = this.#db.prepare<[number, string, string, string | null, string]>(
      'INSERT OR IGNORE INTO events (block, tx_id, type, at, payload) VALUES (?, ?, ?, ?, ?)',
    );
    this.#checkpoint = this.#db.prepare<[number]>(
      'INSERT INTO checkpoint (id, block) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET block = MAX(block, excluded.block)',
    );
    this.#readCheckpoint = this.#db.prepare<[], { block: number }>(
      'SELECT block FROM checkpoint WHERE id = 1',
    );
    this.#blockOf = this.#db.prepare<[string], { block: number }>(
      'SELECT block FROM events WHERE tx_id = ? LIMIT 1',
    );
  }

  /** The block the listener resumes from. */
  get checkpoint(): number {
    return this.#readCheckpoint.get()?.block ?? 0;
  }

  /** Applies one event and moves the checkpoint atomically; undefined when it was applied before. */
  apply(event: IncomingEvent): IndexedEvent | undefined {
    return this.#db.transaction((): IndexedEvent | undefined => {
      const at = typeof event.payload.at === 'string' ? event.payload.at : null;
      const info = this.#insert.run(event.block, event.txId, event.type, at, JSON.stringify(event.payload));
      this.#checkpoint.run(event.block);
      return info.changes === 1 ? { id: Number(info.lastInsertRowid), ...event } : undefined;
    })();
  }

  /** Events after index position `afterId`, oldest first, optionally only some types. */
  since(afterId: number, types: readonly string[] = [], limit = 1000): IndexedEvent[] {
    const filter = types.length ? `AND type IN (${types.map(() => '?').join(',')})` : '';
    const rows = this.#db
      .prepare(
        `SELECT id, block, tx_id AS txId, type, payload FROM events WHERE id > ? ${filter} ORDER BY id LIMIT ?`,
      )
      .all(afterId, ...types, limit) as (Omit<IndexedEvent, 'payload'> & { payload: string })[];
    return rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) as Record<string, unknown> }));
  }

  /** The index position of the newest event (0 when there is none): where a stream "from now" starts. */
  lastId(): number {
    const row = this.#db.prepare('SELECT MAX(id) AS id FROM events').get() as { id: number | null };
    return row.id ?? 0;
  }

  /** The block that committed a transaction, when the index has seen it. */
  blockOf(txId: string): number | undefined {
    return this.#blockOf.get(txId)?.block;
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}
