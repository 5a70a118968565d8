import { AppConfig } from '../config/app-config';
import { ScanRecordLimiter } from './scan-record-limiter';

const PER_MINUTE = 6;

describe(ScanRecordLimiter.name, () => {
  let sut: ScanRecordLimiter;
  beforeEach(() => {
    jest.useFakeTimers();
    sut = new ScanRecordLimiter({ scanRecordRateLimitPerMinute: PER_MINUTE } as AppConfig);
  });
  afterEach(() => jest.useRealTimers());

  const takes = (key: string, n: number): boolean[] => Array.from({ length: n }, () => sut.take(key));

  it('grants a key its whole budget at once, then nothing', () => {
    expect(takes('pharmacy/user1', PER_MINUTE + 2)).toEqual([
      ...Array<boolean>(PER_MINUTE).fill(true),
      false,
      false,
    ]);
  });

  it('gives a spent budget back a little at a time: one write per minute / budget', () => {
    takes('pharmacy/user1', PER_MINUTE);
    jest.advanceTimersByTime(60_000 / PER_MINUTE - 1);
    expect(sut.take('pharmacy/user1')).toBe(false);
    jest.advanceTimersByTime(1);
    expect(takes('pharmacy/user1', 2)).toEqual([true, false]);
    jest.advanceTimersByTime(10 * 60_000);
    expect(takes('pharmacy/user1', PER_MINUTE + 1).filter(Boolean)).toHaveLength(PER_MINUTE);
  });

  it('keeps each API key’s budget its own', () => {
    takes('pharmacy/user1', PER_MINUTE);
    expect(sut.take('pharmacy/user1')).toBe(false);
    expect(sut.take('distributor/user1')).toBe(true);
  });
});
