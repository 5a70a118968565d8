import { Logger } from '@nestjs/common';
import { CloseableAsyncIterable, Network } from '@hyperledger/fabric-gateway';
import { common, peer } from '@hyperledger/fabric-protos';
import { setTimeout as sleep } from 'node:timers/promises';

/** If the block listener has not shown the wanted block after this long, the peer is asked directly. */
export const PROBE_AFTER_MS = 100;
/** Deadline of one GetChainInfo query: a peer that does not answer by then is taken as down. */
export const PROBE_TIMEOUT_MS = 1000;
const RELISTEN_MS = [250, 1000, 2000, 5000];

/** How a wait for a peer ended. */
export type CatchUp = 'current' | 'caught-up' | 'timeout' | 'unreachable';

/**
 * What the gateway knows of one peer's ledger height (blocks committed: the last block number + 1). A
 * filtered-block listener on the peer keeps it current at the cost of a few bytes per block; when the
 * listener is not (yet) delivering or lags, the peer's query system chaincode (qscc GetChainInfo) is asked,
 * once at a time however many callers wait. Both report a block only after the peer has committed it to its
 * state database, so a height reached here means an evaluation or endorsement on the peer sees the block.
 */
export class PeerHeight {
  readonly #logger = new Logger(PeerHeight.name);
  readonly #waiters = new Set<() => void>();
  readonly #stop = new AbortController();
  #height = 0n;
  #stream?: CloseableAsyncIterable<peer.FilteredBlock>;
  #live = false;
  #probing?: Promise<boolean>;
  readonly #listening: Promise<void>;

  constructor(
    readonly endpoint: string,
    private readonly network: Network,
  ) {
    this.#listening = this.#listen();
  }

  /** A lower bound of the peer's height. */
  get height(): bigint {
    return this.#height;
  }

  /** The peer is known to have committed every block below `height`. */
  advance(height: bigint): void {
    if (height <= this.#height) return;
    this.#height = height;
    for (const wake of this.#waiters) wake();
  }

  /**
   * Waits until the peer's height reaches `target`, at most `maxWaitMs`. Returns at once when it is known
   * to be there, and gives up at once when the peer does not answer (the caller's own call then fails or
   * succeeds on its own; nobody else waits on this peer).
   */
  async reach(target: bigint, maxWaitMs: number): Promise<CatchUp> {
    if (this.#height >= target) return 'current';
    const deadline = Date.now() + maxWaitMs;
    let ask = !this.#live || this.#height === 0n;
    while (this.#height < target) {
      const left = deadline - Date.now();
      if (left <= 0 || this.#stop.signal.aborted) return 'timeout';
      if (ask) {
        if (!(await this.#probe(Math.min(left, PROBE_TIMEOUT_MS)))) return 'unreachable';
        ask = false;
      } else {
        ask = !(await this.#advanced(Math.min(left, PROBE_AFTER_MS)));
      }
    }
    return 'caught-up';
  }

  /** Stops the listener and releases every waiter; resolves when the listener has ended. */
  async close(): Promise<void> {
    this.#stop.abort();
    this.#stream?.close();
    for (const wake of this.#waiters) wake();
    await this.#listening;
  }

  /** Whether the height advanced within `ms`. */
  #advanced(ms: number): Promise<boolean> {
    const from = this.#height;
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(wake);
        resolve(this.#height > from);
      };
      const timer = setTimeout(wake, ms);
      this.#waiters.add(wake);
    });
  }

  /** Asks the peer its height; false when it did not answer. One query in flight per peer. */
  #probe(timeoutMs: number): Promise<boolean> {
    this.#probing ??= this.#queryHeight(timeoutMs).finally(() => (this.#probing = undefined));
    return this.#probing;
  }

  async #queryHeight(timeoutMs: number): Promise<boolean> {
    try {
      const bytes = await this.network
        .getContract('qscc')
        .newProposal('GetChainInfo', { arguments: [this.network.getName()] })
        .evaluate({ deadline: Date.now() + timeoutMs });
      this.advance(BigInt(common.BlockchainInfo.deserializeBinary(bytes).getHeight()));
      return true;
    } catch (err) {
      this.#logger.debug(`peer ${this.endpoint} did not report its height: ${(err as Error).message}`);
      return false;
    }
  }

  /** Follows the peer's filtered blocks from the next unseen one, reconnecting with back-off. */
  async #listen(): Promise<void> {
    for (let attempt = 0; !this.#stop.signal.aborted; attempt++) {
      try {
        this.#stream = await this.network.getFilteredBlockEvents(
          this.#height > 0n ? { startBlock: this.#height } : {},
        );
        if (this.#stop.signal.aborted) this.#stream.close();
        this.#live = true;
        for await (const block of this.#stream) {
          attempt = 0;
          this.advance(BigInt(block.getNumber()) + 1n);
        }
      } catch (err) {
        if (this.#stop.signal.aborted) break;
        this.#logger.debug(`block listener on ${this.endpoint} interrupted: ${(err as Error).message}`);
      } finally {
        this.#live = false;
      }
      await sleep(RELISTEN_MS[Math.min(attempt, RELISTEN_MS.length - 1)], undefined, {
        signal: this.#stop.signal,
      }).catch(() => undefined);
    }
  }
}
