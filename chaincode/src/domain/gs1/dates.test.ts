import fc from 'fast-check';
import { expiryArb } from '../../testing/arbitraries';
import { assertIsoDate, expiryFromYymmdd, isoFromYymmdd, yymmddFromIso } from './dates';

describe(isoFromYymmdd.name, () => {
  it('reads YYMMDD as a date in 2000-2099', () => {
    expect(isoFromYymmdd('271231')).toEqual({ iso: '2027-12-31' });
    expect(isoFromYymmdd('000101')).toEqual({ iso: '2000-01-01' });
    expect(isoFromYymmdd('991231')).toEqual({ iso: '2099-12-31' });
  });

  it('reads DD=00 as the last day of the month', () => {
    expect(isoFromYymmdd('240200').iso).toBe('2024-02-29');
    expect(isoFromYymmdd('250200').iso).toBe('2025-02-28');
    expect(isoFromYymmdd('000200').iso).toBe('2000-02-29'); // 2000 is a leap year
    expect(isoFromYymmdd('270600').iso).toBe('2027-06-30');
  });

  it('says why a date is impossible', () => {
    expect(isoFromYymmdd('271301').reason).toBe('month 13 is not a month');
    expect(isoFromYymmdd('270001').reason).toBe('month 00 is not a month');
    expect(isoFromYymmdd('270431').reason).toBe('day 31 does not exist in 2027-04');
    expect(isoFromYymmdd('270229').reason).toBe('day 29 does not exist in 2027-02');
    expect(isoFromYymmdd('2712').reason).toMatch(/6 digits/);
  });

  it('round-trips with yymmddFromIso for every calendar date', () => {
    fc.assert(fc.property(expiryArb, (iso) => expect(isoFromYymmdd(yymmddFromIso(iso)).iso).toBe(iso)));
  });
});

describe(expiryFromYymmdd.name, () => {
  it('throws INVALID with the reason', () => {
    expect(expiryFromYymmdd('280200')).toBe('2028-02-29');
    expect(() => expiryFromYymmdd('281301')).toThrow('INVALID: month 13 is not a month');
  });
});

describe(assertIsoDate.name, () => {
  it('accepts calendar dates and names the field otherwise', () => {
    expect(() => assertIsoDate('2028-02-29', 'expiry')).not.toThrow();
    expect(() => assertIsoDate('2027-02-29', 'expiry')).toThrow(
      'INVALID: expiry 2027-02-29 is not a calendar date',
    );
    expect(() => assertIsoDate('28-02-01', 'expiry')).toThrow(/must be an ISO date/);
    expect(() => assertIsoDate('2028-2-1')).toThrow(/must be an ISO date/);
    expect(() => assertIsoDate('1999-12-31', 'expiry')).toThrow(/must be in 2000-2099/);
  });
});
