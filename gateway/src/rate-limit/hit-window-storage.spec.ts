import { ThrottlerStorageService } from '@nestjs/throttler';
import fc from 'fast-check';
import { HitWindowStorage } from './hit-window-storage';

/** A key's throttler settings, fixed per key as a route's are: ttl, limit, blockDuration (0: no block). */
const KEYS = [
  { key: 'a', ttl: 1000, limit: 3, blockDuration: 2000 },
  { key: 'b', ttl: 5000, limit: 1, blockDuration: 0 },
  { key: 'c', ttl: 2000, limit: 5, blockDuration: 5000 },
] as const;

type Step = { advance: number } | { key: number } | 'sweep';

describe('HitWindowStorage', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('answers every increment as @nestjs/throttler’s own storage does, blocks and windows included', async () => {
    const step = fc.oneof(
      fc.record({ advance: fc.integer({ min: 0, max: 2500 }) }),
      fc.record({ key: fc.integer({ min: 0, max: KEYS.length - 1 }) }),
      fc.constant('sweep' as const),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 120 }), async (steps: Step[]) => {
        const ours = new HitWindowStorage();
        const theirs = new ThrottlerStorageService();
        try {
          for (const s of steps) {
            if (s === 'sweep') {
              ours.forgetIdle();
              (theirs as unknown as { evictIdleRecords(): void }).evictIdleRecords();
              expect(ours.size).toBe(theirs.storage.size);
            } else if ('advance' in s) jest.setSystemTime(Date.now() + s.advance);
            else {
              const { key, ttl, limit, blockDuration } = KEYS[s.key];
              expect(await ours.increment(key, ttl, limit, blockDuration, 'member')).toEqual(
                await theirs.increment(key, ttl, limit, blockDuration, 'member'),
              );
            }
          }
        } finally {
          ours.onApplicationShutdown();
          theirs.onApplicationShutdown();
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a busy key’s live hits exact across compaction: 6,000 hits a millisecond apart', async () => {
    const storage = new HitWindowStorage();
    for (let i = 0; i < 6000; i++) {
      await storage.increment('busy', 2000, 1_000_000, 60_000, 'member');
      jest.setSystemTime(Date.now() + 1);
    }
    // Hits at t0 … t0+5,999 expire at t0+2,000 … t0+7,999 (the front was compacted on the way, at t0+4,001);
    // at t0+6,000 the 1,999 latest live, and this one.
    const record = await storage.increment('busy', 2000, 1_000_000, 60_000, 'member');
    expect(record.totalHits).toBe(2000);
    jest.setSystemTime(Date.now() + 2000);
    expect((await storage.increment('busy', 2000, 1_000_000, 60_000, 'member')).totalHits).toBe(1);
    storage.onApplicationShutdown();
  });
});
