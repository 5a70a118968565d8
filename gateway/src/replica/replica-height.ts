import { Injectable } from '@nestjs/common';

/**
 * The replica's height as this process knows it (the number of blocks applied), and the reads waiting for it
 * to reach one: a read asking for at least a height, and the gateway's own writes' read-your-writes.
 */
@Injectable()
export class ReplicaHeight {
  #height = 0;
  readonly #waiting = new Set<{ height: number; done: (reached: boolean) => void }>();

  get current(): number {
    return this.#height;
  }

  /** The newest block the replica reflects (-1 before block 0). */
  get block(): number {
    return this.#height - 1;
  }

  advance(height: number): void {
    if (height <= this.#height) return;
    this.#height = height;
    for (const waiter of this.#waiting) if (waiter.height <= height) waiter.done(true);
  }

  /** Whether the replica reaches `height` within `timeoutMs`; answers at once when it already has. */
  reach(height: number, timeoutMs: number): Promise<boolean> {
    if (this.#height >= height) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        height,
        done: (reached: boolean) => {
          clearTimeout(timer);
          this.#waiting.delete(waiter);
          resolve(reached);
        },
      };
      const timer = setTimeout(() => waiter.done(false), timeoutMs);
      this.#waiting.add(waiter);
    });
  }
}
