import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { LedgerUnavailableError } from '../fabric/fabric-errors';

const CONCURRENCY = 2;
/** Waits before each retry while the ledger is unreachable: a peer restart or an election takes seconds. */
export const RETRY_DELAYS_MS: readonly number[] = [1_000, 5_000, 15_000, 30_000];
const MAX_PENDING = 10_000;
const DRAIN_TIMEOUT_MS = 20_000;

interface Task {
  run: () => Promise<unknown>;
  /** Tasks with the same key never run at once: they write the same ledger keys, and would only conflict. */
  key: string;
}

/**
 * Records scans (and the alerts they raise) on the ledger off the scan's critical path: the verdict answers at
 * evaluate speed while the transaction commits behind it. A task is retried with back-off while the ledger is
 * unavailable (any other refusal would only repeat); the queue is drained when the
 * application shuts down (before the ledger connections close, which happens in the global Fabric module).
 */
@Injectable()
export class AlertQueue implements OnModuleDestroy {
  readonly #logger = new Logger(AlertQueue.name);
  readonly #pending: Task[] = [];
  readonly #idle: (() => void)[] = [];
  /** Keys of the running tasks. */
  readonly #running = new Set<string>();

  get size(): number {
    return this.#pending.length + this.#running.size;
  }

  push(run: () => Promise<unknown>, key: string): void {
    if (this.#pending.length >= MAX_PENDING) {
      this.#logger.error(`alert queue full (${MAX_PENDING}); an alert was dropped`);
      return;
    }
    this.#pending.push({ run, key });
    this.#pump();
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
      void this.#attempt(task.run).finally(() => {
        this.#running.delete(task.key);
        this.#pump();
        if (this.size === 0) this.#idle.splice(0).forEach((resolve) => resolve());
      });
    }
  }

  async #attempt(task: () => Promise<unknown>): Promise<void> {
    for (let retry = 0; ; retry++) {
      try {
        await task();
        return;
      } catch (err) {
        if (!(err instanceof LedgerUnavailableError) || retry >= RETRY_DELAYS_MS.length) {
          this.#logger.error(`alert not recorded after ${retry + 1} attempt(s): ${(err as Error).message}`);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[retry]));
      }
    }
  }
}
