import { Injectable } from '@nestjs/common';
import { TokenBucket } from 'limiter';
import { AppConfig } from '../config/app-config';

/**
 * The budget of ledger writes each API key's scans may cause (records and the alerts they raise): a token
 * bucket of SCAN_RECORD_RATE_LIMIT, refilled continuously over a minute, so one key flooding scans cannot
 * flood the ledger, and a key that paused has its budget back a little at a time.
 */
@Injectable()
export class ScanRecordLimiter {
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #perMinute: number;

  constructor(config: AppConfig) {
    this.#perMinute = config.scanRecordRateLimitPerMinute;
  }

  /** Spends one write of the key's budget; false when the budget is spent. */
  take(key: string): boolean {
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket({
        bucketSize: this.#perMinute,
        tokensPerInterval: this.#perMinute,
        interval: 'minute',
      });
      // A new bucket starts empty; a key's first minute gets the whole budget.
      bucket.content = this.#perMinute;
      this.#buckets.set(key, bucket);
    }
    return bucket.tryRemoveTokens(1);
  }
}
