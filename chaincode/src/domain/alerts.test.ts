import fc from 'fast-check';
import {
  ALERT_WINDOW_MS,
  alertFingerprint,
  alertReasons,
  CLONE_WINDOW_MS,
  cloneEvidence,
  Sighting,
  withinAlertWindow,
} from './alerts';
import { REASON_CODES, ReasonCode } from './types';

const NOW = '2027-01-15T10:00:00.000Z';
const ago = (ms: number): string => new Date(Date.parse(NOW) - ms).toISOString();
const here = { msp: 'PharmacyMSP', gln: '9506000030005' };

describe(cloneEvidence.name, () => {
  it('is another organisation’s sighting within the window, newest first', () => {
    const sightings: Sighting[] = [
      { msp: 'DistributorMSP', gln: '9506000010007', at: ago(9 * 60 * 1000) },
      { msp: 'ManufacturerMSP', gln: '9506000020006', at: ago(60 * 1000) },
      { msp: 'PharmacyMSP', gln: '9506000030012', at: ago(1000) },
      { msp: 'RegulatorMSP', gln: '9506000040004', at: ago(CLONE_WINDOW_MS + 1) },
    ];
    expect(cloneEvidence(here, sightings, NOW).map((s) => s.msp)).toEqual([
      'ManufacturerMSP',
      'DistributorMSP',
    ]);
  });

  it('never counts the scanner’s own organisation nor anything outside the window', () => {
    const sighting: fc.Arbitrary<Sighting> = fc.record({
      msp: fc.constantFrom('PharmacyMSP', 'DistributorMSP'),
      gln: fc.constantFrom('9506000030005', '9506000010007'),
      at: fc.integer({ min: 0, max: 2 * CLONE_WINDOW_MS }).map(ago),
    });
    fc.assert(
      fc.property(fc.array(sighting, { maxLength: 6 }), (sightings) => {
        const evidence = cloneEvidence(here, sightings, NOW);
        const expected = sightings.filter(
          (s) => s.msp !== here.msp && Date.parse(NOW) - Date.parse(s.at) <= CLONE_WINDOW_MS,
        );
        return evidence.length === expected.length && evidence.every((s) => expected.includes(s));
      }),
    );
  });
});

describe(alertReasons.name, () => {
  it('adds CLONE_SUSPECTED on evidence, in report order, without duplicates', () => {
    expect(alertReasons([], false)).toEqual([]);
    expect(alertReasons([], true)).toEqual(['CLONE_SUSPECTED']);
    expect(alertReasons(['NOT_IN_CUSTODY', 'EXPIRED'], true)).toEqual([
      'EXPIRED',
      'NOT_IN_CUSTODY',
      'CLONE_SUSPECTED',
    ]);
  });

  it('never invents a reason the verdict did not give, beyond CLONE_SUSPECTED', () => {
    const reasons = fc.uniqueArray(fc.constantFrom(...REASON_CODES));
    fc.assert(
      fc.property(reasons, fc.boolean(), (given, cloned) => {
        const out = alertReasons(given, cloned);
        const expected = new Set<ReasonCode>(cloned ? [...given, 'CLONE_SUSPECTED'] : given);
        return out.length === expected.size && out.every((r) => expected.has(r));
      }),
    );
  });
});

describe(alertFingerprint.name, () => {
  const alert = { gtin: '09506000134352', serial: 'S1', org: 'PharmacyMSP', gln: '9506000030005' };

  it('is the same for the same pack, place and reasons, in any order', () => {
    expect(alertFingerprint({ ...alert, reasons: ['EXPIRED', 'RECALLED'] })).toEqual(
      alertFingerprint({ ...alert, reasons: ['RECALLED', 'EXPIRED'] }),
    );
  });

  it('differs when the place, the pack or the reasons differ', () => {
    const base = alertFingerprint({ ...alert, reasons: ['UNKNOWN_SERIAL'] });
    for (const other of [
      { ...alert, gln: '9506000030012', reasons: ['UNKNOWN_SERIAL'] as ReasonCode[] },
      { ...alert, org: 'PharmacyBMSP', reasons: ['UNKNOWN_SERIAL'] as ReasonCode[] },
      { ...alert, serial: 'S2', reasons: ['UNKNOWN_SERIAL'] as ReasonCode[] },
      { ...alert, reasons: ['UNKNOWN_PRODUCT'] as ReasonCode[] },
    ]) {
      expect(alertFingerprint(other)).not.toEqual(base);
    }
  });
});

describe(withinAlertWindow.name, () => {
  it('takes repeats for an hour from the first occurrence', () => {
    expect(withinAlertWindow(ago(0), NOW)).toBe(true);
    expect(withinAlertWindow(ago(ALERT_WINDOW_MS - 1), NOW)).toBe(true);
    expect(withinAlertWindow(ago(ALERT_WINDOW_MS), NOW)).toBe(false);
  });
});
