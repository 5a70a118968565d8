import { alertCountsOf, daysEnding, scanCountOf, scanVerdictOf } from './daily-stats';
import { assessVerification } from './verification';

describe(scanVerdictOf.name, () => {
  it('reads the verdict back from the reasons a scan recorded, as assessVerification decided it', () => {
    const code = { gtin: '09506000134352', serial: 'X1', lot: 'A1', expiry: '2028-06-30' };
    const unit = {
      lot: 'A1',
      expiry: '2028-06-30',
      state: 'ACTIVE' as const,
      custodian: { msp: 'PharmacyMSP', gln: '9506000030005' },
      inTransit: false,
    };
    const cases = [
      assessVerification({ code, today: '2026-11-30' }),
      assessVerification({ code, product: { gtin: code.gtin }, today: '2026-11-30' }),
      assessVerification({ code, product: { gtin: code.gtin }, unit, today: '2026-11-30' }),
      assessVerification({
        code,
        product: { gtin: code.gtin },
        unit: { ...unit, state: 'DISPENSED' },
        today: '2026-11-30',
      }),
      assessVerification({ code, product: { gtin: code.gtin }, unit, today: '2029-01-01' }),
    ];
    expect(cases.map((c) => c.verdict)).toEqual([
      'COUNTERFEIT',
      'COUNTERFEIT',
      'GENUINE',
      'SUSPECT',
      'SUSPECT',
    ]);
    for (const c of cases) expect(scanVerdictOf(c.reasons)).toBe(c.verdict);
    // Clone evidence alone is an alert on a genuine verdict.
    expect(scanVerdictOf(['CLONE_SUSPECTED'])).toBe('GENUINE');
    expect(scanVerdictOf(['RECALLED', 'CLONE_SUSPECTED'])).toBe('SUSPECT');
  });
});

describe(scanCountOf.name, () => {
  it('counts SCANNED, SCANNER_PROBLEM and ALERT events on their UTC day, nothing else', () => {
    expect(scanCountOf({ type: 'SCANNED', at: '2026-11-30T23:59:59.000Z' })).toEqual({
      day: '2026-11-30',
      metric: 'scan',
      key: 'GENUINE',
      count: 1,
    });
    expect(
      scanCountOf({ type: 'ALERT', at: '2026-12-01T00:00:00.000Z', reasons: ['UNKNOWN_SERIAL'] }),
    ).toMatchObject({
      day: '2026-12-01',
      key: 'COUNTERFEIT',
    });
    expect(
      scanCountOf({ type: 'SCANNER_PROBLEM', at: '2026-12-01T10:00:00Z', reasons: ['LOT_MISMATCH'] }),
    ).toMatchObject({
      key: 'SUSPECT',
    });
    expect(scanCountOf({ type: 'DISPENSED', at: '2026-12-01T10:00:00Z' })).toBeUndefined();
    expect(scanCountOf({ type: 'SCANNED', at: 'not a time' })).toBeUndefined();
  });
});

describe(alertCountsOf.name, () => {
  const alert = {
    at: '2026-11-30T10:00:00.000Z',
    lastSeen: '2026-11-30T10:00:00.000Z',
    count: 1,
    reasons: ['RECALLED', 'CLONE_SUSPECTED'],
    org: 'PharmacyMSP',
    gln: '9506000030005',
  };

  it('adds a new alert once per reason and once at its place', () => {
    expect(alertCountsOf(alert)).toEqual([
      { day: '2026-11-30', metric: 'alert', key: 'RECALLED', count: 1 },
      { day: '2026-11-30', metric: 'alert', key: 'CLONE_SUSPECTED', count: 1 },
      { day: '2026-11-30', metric: 'alertPlace', key: 'PharmacyMSP|9506000030005', count: 1 },
    ]);
  });

  it('adds a repeat counted on an existing alert on the day it was seen, and nothing for a rewrite', () => {
    const repeat = { ...alert, count: 3, lastSeen: '2026-12-01T00:30:00.000Z' };
    expect(alertCountsOf(repeat, { ...alert, count: 2 })).toEqual([
      { day: '2026-12-01', metric: 'alert', key: 'RECALLED', count: 1 },
      { day: '2026-12-01', metric: 'alert', key: 'CLONE_SUSPECTED', count: 1 },
      { day: '2026-12-01', metric: 'alertPlace', key: 'PharmacyMSP|9506000030005', count: 1 },
    ]);
    expect(alertCountsOf(alert, alert)).toEqual([]);
  });
});

describe(daysEnding.name, () => {
  it('lists the days up to the last, oldest first, across a month end', () => {
    expect(daysEnding('2026-12-02', 4)).toEqual(['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02']);
    expect(daysEnding('2026-12-02', 1)).toEqual(['2026-12-02']);
  });
});
