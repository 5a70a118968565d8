import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Caller } from '../auth/caller';
import { CommitUnknownError, LedgerUnavailableError } from '../fabric/fabric-errors';
import { PreparedWrite } from '../fabric/ledger';
import { MetricsService } from '../metrics/metrics.service';
import { TransactionsService } from '../transactions/transactions.service';

const CONCURRENCY = 2;
/** Waits before each retry while the ledger is unreachable: a peer restart or an election takes seconds. */
export const RETRY_DELAYS_MS: readonly number[] = [1_000, 5_000, 15_000, 30_000];
const MAX_PENDING = 10_000;
const DRAIN_TIMEOUT_MS = 20_000;

/** A scan record to write: its first transaction (prepared, so its ID is known), and how to make another. */
export interface AlertWrite {
  /** Writes with the same key never run at once: they write the same ledger keys, and would only conflict. */
  key: string;
  /** Who signs it, and who asks whether a transaction of it committed. */
  caller: Caller;
  first: PreparedWrite<unknown>;
  /** A new transaction of the same write, for when the last one is known to have written nothing. */
  prepare: () => PreparedWrite<unknown>;
}

/**
 * Records scans (and the alerts they raise) on the ledger off the scan's critical path: the verdict answers at
 * evaluate speed while the transaction commits behind it. A write is retried with back-off while the ledger is
 * unavailable (any other refusal would only repeat). A transaction whose outcome is unknown (COMMIT_TIMEOUT) may
 * still commit: it is asked after (GET /v1/transactions/{txId}'s check) before anything is sent again, and a new
 * transaction goes only once it is known invalid, so an alert's count never takes one scan twice. The queue is
 * drained when the application shuts down (before the ledger connections close, in the global Fabric module).
 */
@Injectable()
export class AlertQueue implements OnModuleDestroy {
  readonly #logger = new Logger(AlertQueue.name);
  readonly #pending: AlertWrite[] = [];
  readonly #idle: (() => void)[] = [];
  /** Keys of the running tasks. */
  readonly #running = new Set<string>();

  constructor(
    private readonly transactions: TransactionsService,
    private readonly metrics: MetricsService,
  ) {}

  get size(): number {
    return this.#pending.length + this.#running.size;
  }

  push(write: AlertWrite): void {
    if (this.#pending.length >= MAX_PENDING) {
      this.#logger.error(`alert queue full (${MAX_PENDING}); an alert was dropped`);
      return;
    }
    this.#pending.push(write);
    this.#pump();
    this.metrics.scanRecordsPending.set(this.size);
  }

  /** Resolves when every queued alert has been submitted (or given up on), or after the timeout. */
  async drain(timeoutMs = DRAIN_TIMEOUT_MS): Promise<void> {
    if (this.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => this.#idle.push(resolve)),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
    if (this.size > 0) this.#logger.error(`${this.size} alert(s) not recorded before shutdown`);
  }

  async onModuleDestroy(): Promise<void> {
    await this.drain();
  }

  #pump(): void {
    while (this.#running.size < CONCURRENCY) {
      const next = this.#pending.findIndex((t) => !this.#running.has(t.key));
      if (next < 0) return;
      const [task] = this.#pending.splice(next, 1);
      this.#running.add(task.key);
      void this.#attempt(task).finally(() => {
        this.#running.delete(task.key);
        this.#pump();
        this.metrics.scanRecordsPending.set(this.size);
        if (this.size === 0) this.#idle.splice(0).forEach((resolve) => resolve());
      });
    }
  }

  async #attempt(task: AlertWrite): Promise<void> {
    let write = task.first;
    /** A transaction sent whose outcome is not known yet: nothing is sent again until it is. */
    let unsure: string | undefined;
    for (let retry = 0; ; retry++) {
      try {
        if (unsure) {
          const { status } = await this.transactions.status(task.caller, unsure);
          if (status === 'COMMITTED') return;
          if (status === 'UNKNOWN') throw new CommitUnknownError(unsure, 'has not committed yet');
          // INVALID: it wrote nothing; a new transaction re-runs the chaincode's checks on the current state.
          unsure = undefined;
          write = task.prepare();
        }
        await write.submit();
        return;
      } catch (err) {
        if (err instanceof CommitUnknownError) unsure = err.txId;
        // Nothing of the last transaction was written: the next attempt is a new one (the prepared one may
        // already stand invalid on the ledger, which refuses its ID twice).
        else if (!unsure) write = task.prepare();
        if (!(err instanceof LedgerUnavailableError) || retry >= RETRY_DELAYS_MS.length) {
          const pending = unsure ? ` (transaction ${unsure} may still commit)` : '';
          this.#logger.error(
            `alert not recorded after ${retry + 1} attempt(s)${pending}: ${(err as Error).message}`,
          );
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[retry]));
      }
    }
  }
}
