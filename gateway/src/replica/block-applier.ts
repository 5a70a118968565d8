import { common } from '@hyperledger/fabric-protos';
import {
  LedgerEvent,
  myPacksPath,
  NOTICE_STATUSES,
  RECALL_NOTICE,
  recallNoticesOf,
  scanCountOf,
} from '@drugtrace/chaincode/domain';
import { custodyOnReplica } from '@drugtrace/chaincode/replica';
import { Database, Queryable } from '../database/database';
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
 * chaincode events to the event index (with a RECALL_NOTICE to each holder of a batch recalled or quarantined),
 * each recorded scan to the day's figures, the height past the block. The block follower and the rebuild share it.
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
        const scan = scanCountOf(payload as unknown as LedgerEvent);
        if (scan) await this.replica.tables.addDaily(tx, [scan]);
        if (NOTICE_STATUSES.includes(t.event.name))
          rows.push(...(await this.#notices(tx, decoded.number, t.txId, payload as unknown as LedgerEvent)));
      }
      return rows;
    });
    return { number: decoded.number, events: events ?? [], writes: events ? writes : 0 };
  }

  /**
   * A batch status change's notices: each organisation whose custody (by the contract's rule, as this block left
   * it) holds packs of the batch still in circulation hears its own count and where to list them. One event row
   * per organisation, keyed by the status change's transaction and the organisation.
   */
  async #notices(tx: Queryable, block: number, txId: string, change: LedgerEvent): Promise<IndexedEvent[]> {
    if (!change.gtin || !change.lot) return [];
    const groups = await this.replica.unitGroups(change.gtin, change.lot, tx);
    const custody = await custodyOnReplica(this.replica.at(block + 1, tx), groups);
    const notices = recallNoticesOf(
      groups.map((g, i) => ({
        msp: custody[i].custodian.msp,
        state: custody[i].inTransit && g.state === 'ACTIVE' ? 'IN_TRANSIT' : g.state,
        count: g.count,
      })),
    );
    const rows: IndexedEvent[] = [];
    for (const { msp, count } of notices) {
      const row = await this.events.insert(tx, {
        block,
        txId: `${txId}#${msp}`,
        type: RECALL_NOTICE,
        payload: {
          type: RECALL_NOTICE,
          at: change.at,
          org: msp,
          gtin: change.gtin,
          lot: change.lot,
          status: change.type,
          ...(change.reason ? { reason: change.reason } : {}),
          by: change.org,
          count,
          myPacks: myPacksPath(change.gtin, change.lot),
          txId,
        },
      });
      if (row) rows.push(row);
    }
    return rows;
  }
}
