import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ChaincodeEvent, CloseableAsyncIterable } from '@hyperledger/fabric-gateway';
import { setTimeout as sleep } from 'node:timers/promises';
import { Subject } from 'rxjs';
import { AppConfig } from '../config/app-config';
import { LedgerClient } from '../fabric/ledger-client';
import { EventStore, IndexedEvent } from './event-store';

const RETRY_MS = [500, 1000, 2000, 5000];

/**
 * Follows the DrugTrace chaincode's events (only its namespace: no system chaincode) from the store's
 * checkpoint into the store, and publishes each newly applied event to live subscribers. Reconnects by
 * itself with back-off when the peer goes away.
 */
@Injectable()
export class EventListener implements OnApplicationBootstrap, OnModuleDestroy {
  readonly #logger = new Logger(EventListener.name);
  readonly live = new Subject<IndexedEvent>();
  readonly #decoder = new TextDecoder();
  #stream?: CloseableAsyncIterable<ChaincodeEvent>;
  readonly #stop = new AbortController();
  #following?: Promise<void>;

  constructor(
    private readonly config: AppConfig,
    private readonly ledger: LedgerClient,
    private readonly store: EventStore,
  ) {}

  onApplicationBootstrap(): void {
    this.#following = this.#follow();
  }

  async onModuleDestroy(): Promise<void> {
    this.#stop.abort();
    this.#stream?.close();
    await this.#following;
    this.live.complete();
    this.store.close();
  }

  /** Applies one delivered event; exposed for the checkpoint tests. */
  receive(event: ChaincodeEvent): IndexedEvent | undefined {
    const payload = JSON.parse(this.#decoder.decode(event.payload)) as Record<string, unknown>;
    const row = this.store.apply({
      block: Number(event.blockNumber),
      txId: event.transactionId,
      type: event.eventName,
      payload,
    });
    if (row) this.live.next(row);
    return row;
  }

  async #follow(): Promise<void> {
    for (let attempt = 0; !this.#stop.signal.aborted; attempt++) {
      try {
        const network = this.ledger.network('listener');
        this.#stream = await network.getChaincodeEvents(this.config.network.chaincode.name, {
          startBlock: BigInt(this.store.checkpoint),
        });
        for await (const event of this.#stream) {
          attempt = 0;
          this.receive(event);
        }
      } catch (err) {
        if (this.#stop.signal.aborted) return;
        this.#logger.warn(`event stream interrupted (${(err as Error).message}); reconnecting`);
        await sleep(RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)], undefined, {
          signal: this.#stop.signal,
        }).catch(() => undefined);
      }
    }
  }
}
