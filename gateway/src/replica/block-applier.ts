import { common } from '@hyperledger/fabric-protos';
import { Database } from '../database/database';
import { EventStore, IndexedEvent } from '../events/event-store';
import { decodeBlock } from './block-decoder';
import { ReplicaStore } from './replica-store';

/** What applying one block did. */
export interface Applied {
  /** The block's number; the replica's height is now number + 1 (or was already past it). */
  number: number;
  /** The chaincode events recorded (none when the block had been applied before). */
  events: IndexedEvent[];
  /** Keys written or deleted. */
  writes: number;
}

/**
 * Applies a full block in one database transaction: the valid transactions' writes to the replica, their
 * chaincode events to the event index, the height past the block. The block follower and the rebuild share it.
 */
export class BlockApplier {
  readonly #decoder = new TextDecoder();

  constructor(
    private readonly db: Database,
    private readonly replica: ReplicaStore,
    private readonly events: EventStore,
    private readonly chaincode: string,
  ) {}

  async apply(block: common.Block): Promise<Applied> {
    const decoded = decodeBlock(block, this.chaincode);
    const writes = decoded.transactions.reduce((n, t) => n + t.writes.length, 0);
    const events = await this.db.transaction(async (tx) => {
      if (!(await this.replica.applyBlock(tx, decoded))) return undefined;
      const rows: IndexedEvent[] = [];
      for (const t of decoded.transactions) {
        if (!t.event) continue;
        const payload = JSON.parse(this.#decoder.decode(t.event.payload)) as Record<string, unknown>;
        const row = await this.events.insert(tx, {
          block: decoded.number,
          txId: t.txId,
          type: t.event.name,
          payload,
        });
        if (row) rows.push(row);
      }
      return rows;
    });
    return { number: decoded.number, events: events ?? [], writes: events ? writes : 0 };
  }
}
