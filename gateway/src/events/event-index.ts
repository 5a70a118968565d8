import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ChaincodeEvent, CloseableAsyncIterable } from '@hyperledger/fabric-gateway';
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Subject } from 'rxjs';
import { AppConfig } from '../config/app-config';
import { BlockLocator } from '../fabric/block-locator';
import { LedgerClient } from '../fabric/ledger-client';

export interface IndexedEvent {
  id: number;
  block: number;
  txId: string;
  type: string;
  payload: Record<string, unknown>;
}

const RETRY_MS = [500, 1000, 2000, 5000];

/**
 * The off-chain view: follows the chaincode's events into SQLite. The checkpoint (last block) is written
 * in the same SQLite transaction as the event, and (block, tx) is unique, so a restart re-reads that
 * block without missing or doubling anything. Deleting the file rebuilds the index from block 0.
 */
@Injectable()
export class EventIndex implements OnApplicationBootstrap, OnModuleDestroy {
  readonly #logger = new Logger(EventIndex.name);
  readonly live = new Subject<IndexedEvent>();
  readonly #db: Database.Database;
  readonly #insert: Database.Statement;
  #events?: CloseableAsyncIterable<ChaincodeEvent>;
  #closed = false;

  constructor(
    private readonly config: AppConfig,
    private readonly ledger: LedgerClient,
    private readonly blocks: BlockLocator,
  ) {
    mkdirSync(dirname(config.indexPath), { recursive: true });
    this.#db = new Database(config.indexPath);
    this.#db.pragma('journal_mode = WAL');
    this.#db.exec(`
      CREATE TABLE IF NOT EXISTS events (
        id INTEGER PRIMARY KEY AUTOINCREMENT, block INTEGER NOT NULL, tx_id TEXT NOT NULL, type TEXT NOT NULL,
        at TEXT, payload TEXT NOT NULL, UNIQUE (block, tx_id));
      CREATE INDEX IF NOT EXISTS events_type ON events (type, id);
      CREATE TABLE IF NOT EXISTS checkpoint (id INTEGER PRIMARY KEY CHECK (id = 1), block INTEGER NOT NULL);`);
    this.#insert = this.#db.prepare('INSERT OR IGNORE INTO events (block, tx_id, type, at, payload) VALUES (?, ?, ?, ?, ?)');
  }

  get checkpoint(): number {
    const row = this.#db.prepare('SELECT block FROM checkpoint WHERE id = 1').get() as { block: number } | undefined;
    return row?.block ?? 0;
  }

  /** Applies one event and moves the checkpoint, atomically; returns the new row, or undefined if already applied. */
  apply(block: number, txId: string, type: string, payload: Record<string, unknown>): IndexedEvent | undefined {
    return this.#db.transaction(() => {
      const info = this.#insert.run(block, txId, type, typeof payload.at === 'string' ? payload.at : null, JSON.stringify(payload));
      this.#db.prepare('INSERT INTO checkpoint (id, block) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET block = excluded.block').run(block);
      return info.changes === 1 ? { id: Number(info.lastInsertRowid), block, txId, type, payload } : undefined;
    })();
  }

  /** Events after `afterId`, oldest first, optionally of some types. */
  since(afterId: number, types: string[] = [], limit = 1000): IndexedEvent[] {
    const filter = types.length ? `AND type IN (${types.map(() => '?').join(',')})` : '';
    const rows = this.#db
      .prepare(`SELECT id, block, tx_id AS txId, type, payload FROM events WHERE id > ? ${filter} ORDER BY id LIMIT ?`)
      .all(afterId, ...types, limit) as (Omit<IndexedEvent, 'payload'> & { payload: string })[];
    return rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) as Record<string, unknown> }));
  }

  onApplicationBootstrap(): void {
    void this.#follow();
  }

  onModuleDestroy(): void {
    this.#closed = true;
    this.#events?.close();
    this.live.complete();
    this.#db.close();
  }

  async #follow(): Promise<void> {
    const decoder = new TextDecoder();
    for (let attempt = 0; !this.#closed; attempt++) {
      try {
        const network = this.ledger.network('listener');
        this.#events = await network.getChaincodeEvents(this.config.network.chaincode.name, { startBlock: BigInt(this.checkpoint) });
        for await (const event of this.#events) {
          attempt = 0;
          const block = Number(event.blockNumber);
          this.blocks.remember(event.transactionId, block);
          const payload = JSON.parse(decoder.decode(event.payload)) as Record<string, unknown>;
          const row = this.apply(block, event.transactionId, event.eventName, payload);
          if (row) this.live.next(row);
        }
      } catch (err) {
        if (this.#closed) return;
        this.#logger.warn(`event stream interrupted (${(err as Error).message}); reconnecting`);
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]));
      }
    }
  }
}
