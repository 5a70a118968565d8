import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';

const CONCURRENCY = 2;
const ATTEMPTS = 3;
const DRAIN_TIMEOUT_MS = 20000;

/**
 * Records alerts on the ledger off the scan's critical path: the verdict answers at evaluate speed while
 * the alert transaction commits behind it. Retried a few times; drained on graceful shutdown.
 */
@Injectable()
export class AlertQueue implements BeforeApplicationShutdown {
  readonly #logger = new Logger(AlertQueue.name);
  readonly #pending: (() => Promise<unknown>)[] = [];
  #running = 0;
  #idle: (() => void)[] = [];

  get size(): number {
    return this.#pending.length + this.#running;
  }

  push(task: () => Promise<unknown>): void {
    this.#pending.push(task);
    this.#pump();
  }

  /** Resolves when every queued alert has been submitted (or given up on), or after the timeout. */
  async drain(timeoutMs = DRAIN_TIMEOUT_MS): Promise<void> {
    if (this.size === 0) return;
    await Promise.race([new Promise<void>((resolve) => this.#idle.push(resolve)), new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.drain();
  }

  #pump(): void {
    while (this.#running < CONCURRENCY && this.#pending.length > 0) {
      const task = this.#pending.shift() as () => Promise<unknown>;
      this.#running++;
      void this.#attempt(task).finally(() => {
        this.#running--;
        this.#pump();
        if (this.size === 0) this.#idle.splice(0).forEach((resolve) => resolve());
      });
    }
  }

  async #attempt(task: () => Promise<unknown>): Promise<void> {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        await task();
        return;
      } catch (err) {
        if (attempt === ATTEMPTS) this.#logger.error(`alert not recorded after ${ATTEMPTS} attempts: ${(err as Error).message}`);
      }
    }
  }
}
