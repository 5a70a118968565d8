import { normalizeIp } from '@nestjs/throttler';

/** Sources tracked at most; the one whose window started first is forgotten first. */
export const MAX_TRACKED_SOURCES = 100_000;
/** IPv6 clients are counted by /64 network, as the rate limiter does: one host holds a whole /64. */
const IPV6_PREFIX = 64;

interface Window {
  failures: number;
  endsAt: number;
}

/**
 * Counts unknown API keys per client address in fixed windows, so no one can guess keys at the rate the
 * gateway answers: past `limit` failures in a window, the address waits for the window's end.
 */
export class AuthFailures {
  readonly #windows = new Map<string, Window>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Seconds `address` must wait before presenting a key again; 0 when it may. */
  retryAfter(address: string, now = Date.now()): number {
    const window = this.#windows.get(normalizeIp(address, IPV6_PREFIX));
    if (!window || window.endsAt <= now || window.failures < this.limit) return 0;
    return Math.ceil((window.endsAt - now) / 1000);
  }

  record(address: string, now = Date.now()): void {
    const source = normalizeIp(address, IPV6_PREFIX);
    let window = this.#windows.get(source);
    if (!window || window.endsAt <= now) {
      this.#windows.delete(source);
      window = { failures: 0, endsAt: now + this.windowMs };
      this.#windows.set(source, window);
      if (this.#windows.size > MAX_TRACKED_SOURCES)
        this.#windows.delete(this.#windows.keys().next().value as string);
    }
    window.failures++;
  }
}
