import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { CloseableAsyncIterable } from '@hyperledger/fabric-gateway';
import { common } from '@hyperledger/fabric-protos';
import { setTimeout as sleep } from 'node:timers/promises';
import { Subject } from 'rxjs';
import { AppConfig } from '../config/app-config';
import { Database } from '../database/database';
import { EventStore, IndexedEvent } from '../events/event-store';
import { LedgerClient } from '../fabric/ledger-client';
import { BlockApplier } from './block-applier';
import { ReplicaHeight } from './replica-height';
import { ReplicaStore } from './replica-store';

const RETRY_MS = [500, 1000, 2000, 5000];
/** How often a gateway that does not follow blocks (another process of a shared database does) looks for new ones. */
export const POLL_MS = 100;
/** The lease one of the gateways sharing a database holds while it follows blocks. */
export const FOLLOWER_LEASE = 'drugtrace-replica-follower';

/**
 * Follows the channel's full blocks from the listener's peer, from the replica's height on, and applies each
 * in one database transaction: the valid transactions' writes to the replica, their chaincode events to the
 * event index, the height past the block. Then publishes the new events to live subscribers and the new
 * height to waiting reads. Reconnects with back-off when the peer goes away.
 *
 * Of several gateway processes sharing one PostgreSQL database, the one holding FOLLOWER_LEASE follows; the
 * others poll the shared height and events, and take the lease over when its holder goes away.
 */
@Injectable()
export class BlockFollower implements OnApplicationBootstrap, OnModuleDestroy {
  readonly #logger = new Logger(BlockFollower.name);
  readonly live = new Subject<IndexedEvent>();
  readonly #applier: BlockApplier;
  readonly #stop = new AbortController();
  #stream?: CloseableAsyncIterable<common.Block>;
  #running?: Promise<void>;
  #lastEventId = 0;

  constructor(
    config: AppConfig,
    private readonly ledger: LedgerClient,
    private readonly db: Database,
    private readonly replica: ReplicaStore,
    private readonly events: EventStore,
    private readonly height: ReplicaHeight,
  ) {
    this.#applier = new BlockApplier(db, replica, events, config.network.chaincode.name);
  }

  /** The index position of the newest event published: where a live stream "from now" starts. */
  get lastEventId(): number {
    return this.#lastEventId;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.height.advance(await this.replica.height());
    this.#lastEventId = await this.events.lastId();
    this.#running = this.#run();
  }

  async onModuleDestroy(): Promise<void> {
    this.#stop.abort();
    this.#stream?.close();
    await this.#running;
    this.live.complete();
  }

  /** Applies one delivered block (exposed for tests); answers the events it recorded. */
  async apply(block: common.Block): Promise<IndexedEvent[]> {
    const applied = await this.#applier.apply(block);
    this.#publish(applied.events);
    this.height.advance(applied.number + 1);
    return applied.events;
  }

  async #run(): Promise<void> {
    for (let attempt = 0; !this.#stop.signal.aborted;) {
      try {
        if (await this.db.tryLead(FOLLOWER_LEASE)) {
          const network = this.ledger.network('listener');
          this.#stream = await network.getBlockEvents({ startBlock: BigInt(await this.replica.height()) });
          for await (const block of this.#stream) {
            attempt = 0;
            await this.apply(block);
          }
        } else {
          await this.#poll();
          await this.#pause(POLL_MS);
        }
      } catch (err) {
        if (this.#stop.signal.aborted) return;
        this.#logger.warn(`block stream interrupted (${(err as Error).message}); reconnecting`);
        await this.#pause(RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)]);
      }
    }
  }

  /** Catches up with what the following process applied to the shared database. */
  async #poll(): Promise<void> {
    const height = await this.replica.height();
    for (;;) {
      const page = await this.events.since(this.#lastEventId, [], 500);
      this.#publish(page.filter((e) => e.block < height));
      if (page.length < 500 || page.some((e) => e.block >= height)) break;
    }
    this.height.advance(height);
  }

  #publish(events: IndexedEvent[]): void {
    for (const e of events) {
      if (e.id <= this.#lastEventId) continue;
      this.#lastEventId = e.id;
      this.live.next(e);
    }
  }

  #pause(ms: number): Promise<void> {
    return sleep(ms, undefined, { signal: this.#stop.signal }).catch(() => undefined);
  }
}
