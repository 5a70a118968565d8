import { AuthFailures } from './auth-failures';

const T0 = Date.UTC(2026, 10, 30, 9, 0, 0);

describe(AuthFailures.name, () => {
  let sut: AuthFailures;
  beforeEach(() => (sut = new AuthFailures(3, 60_000)));

  it('lets an address try until its failures in the window reach the limit, then until the window ends', () => {
    sut.record('203.0.113.5', T0);
    sut.record('203.0.113.5', T0 + 1_000);
    expect(sut.retryAfter('203.0.113.5', T0 + 2_000)).toBe(0);
    sut.record('203.0.113.5', T0 + 2_000);
    expect(sut.retryAfter('203.0.113.5', T0 + 2_000)).toBe(58);
    expect(sut.retryAfter('203.0.113.5', T0 + 59_500)).toBe(1);
    expect(sut.retryAfter('203.0.113.5', T0 + 60_000)).toBe(0);
  });

  it('starts a fresh window after the last one ended', () => {
    for (let i = 0; i < 3; i++) sut.record('203.0.113.5', T0);
    sut.record('203.0.113.5', T0 + 61_000);
    expect(sut.retryAfter('203.0.113.5', T0 + 61_000)).toBe(0);
  });

  it('keeps addresses apart, and counts an IPv6 /64 as one address', () => {
    for (let i = 0; i < 3; i++) sut.record('203.0.113.5', T0);
    expect(sut.retryAfter('203.0.113.6', T0)).toBe(0);
    sut.record('2001:db8:1:2::1', T0);
    sut.record('2001:db8:1:2::2', T0);
    sut.record('2001:db8:1:2:ffff::9', T0);
    expect(sut.retryAfter('2001:db8:1:2::77', T0)).toBeGreaterThan(0);
    expect(sut.retryAfter('2001:db8:1:3::1', T0)).toBe(0);
  });
});
