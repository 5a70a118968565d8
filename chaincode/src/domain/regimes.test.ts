import { REASON_CODES, ReasonCode } from './types';
import { DomainError, refusalOf } from './errors';
import { REFUSALS, REFUSAL_RETURN_CODES, regimesOf, Regimes } from './regimes';

/** What each reason alone answers in both regimes. */
const EXPECTED: Record<ReasonCode, Regimes> = {
  UNKNOWN_PRODUCT: {
    eu: { returnCode: 'NMVS_NC_PC_01', alert: true },
    us: { verified: false, verificationFailureReason: 'No_match_GTIN_Serial' },
  },
  UNKNOWN_SERIAL: {
    eu: { returnCode: 'NMVS_NC_PC_02', alert: true },
    us: { verified: false, verificationFailureReason: 'No_match_GTIN_Serial' },
  },
  UNKNOWN_BATCH: {
    eu: { returnCode: 'NMVS_FE_LOT_03', alert: true },
    us: { verified: false, verificationFailureReason: 'No_match_GTIN_Serial_Lot' },
  },
  LOT_MISMATCH: {
    eu: { returnCode: 'NMVS_FE_LOT_13', alert: true },
    us: { verified: false, verificationFailureReason: 'No_match_GTIN_Serial_Lot' },
  },
  EXPIRY_MISMATCH: {
    eu: { returnCode: 'NMVS_FE_LOT_12', alert: true },
    us: { verified: false, verificationFailureReason: 'No_match_GTIN_Serial_Expiry' },
  },
  EXPIRED: {
    eu: { returnCode: 'NMVS_SUCCESS', alert: false },
    us: { verified: true, additionalInfo: 'Expired' },
  },
  RECALLED: {
    eu: { returnCode: 'NMVS_SUCCESS', alert: false },
    us: { verified: true, additionalInfo: 'Recalled' },
  },
  QUARANTINED: {
    eu: { returnCode: 'NMVS_SUCCESS', alert: false },
    us: { verified: true, additionalInfo: 'Suspect' },
  },
  ALREADY_DISPENSED: {
    eu: { returnCode: 'NMVS_NC_PCK_22', alert: false },
    us: { verified: false, additionalInfo: 'Suspect' },
  },
  DESTROYED: {
    eu: { returnCode: 'NMVS_NC_PCK_22', alert: false },
    us: { verified: false, additionalInfo: 'Suspect' },
  },
  STOLEN: {
    eu: { returnCode: 'NMVS_NC_PCK_22', alert: true },
    us: { verified: false, additionalInfo: 'Illegitimate' },
  },
  SAMPLE: {
    eu: { returnCode: 'NMVS_NC_PCK_22', alert: false },
    us: { verified: false, additionalInfo: 'Suspect' },
  },
  EXPORTED: {
    eu: { returnCode: 'NMVS_NC_PCK_22', alert: false },
    us: { verified: false, additionalInfo: 'Suspect' },
  },
  IN_TRANSIT: { eu: { returnCode: 'NMVS_SUCCESS', alert: false }, us: { verified: true } },
  NOT_IN_CUSTODY: { eu: { returnCode: 'NMVS_SUCCESS', alert: false }, us: { verified: true } },
  CLONE_SUSPECTED: {
    eu: { returnCode: 'NMVS_SUCCESS', alert: true },
    us: { verified: false, additionalInfo: 'Suspect' },
  },
  MISSING_IN_TRANSIT: {
    eu: { returnCode: 'NMVS_SUCCESS', alert: true },
    us: { verified: true, additionalInfo: 'Suspect' },
  },
  UNEXPECTED_IN_SHIPMENT: {
    eu: { returnCode: 'NMVS_SUCCESS', alert: true },
    us: { verified: true, additionalInfo: 'Suspect' },
  },
};

describe(regimesOf.name, () => {
  it('answers NMVS_SUCCESS and verified for a genuine pack (no reasons)', () => {
    expect(regimesOf([])).toEqual({
      eu: { returnCode: 'NMVS_SUCCESS', alert: false },
      us: { verified: true },
    });
  });

  it.each(REASON_CODES.map((r) => [r]))('maps %s in both regimes', (reason) => {
    expect(regimesOf([reason])).toEqual(EXPECTED[reason]);
  });

  it('combines a lot and an expiry mismatch into No_match_GTIN_Serial_Lot_Expiry, the first EU code first', () => {
    expect(regimesOf(['LOT_MISMATCH', 'EXPIRY_MISMATCH'])).toEqual({
      eu: { returnCode: 'NMVS_FE_LOT_13', alert: true },
      us: { verified: false, verificationFailureReason: 'No_match_GTIN_Serial_Lot_Expiry' },
    });
    expect(regimesOf(['UNKNOWN_BATCH', 'EXPIRY_MISMATCH']).us.verificationFailureReason).toBe(
      'No_match_GTIN_Serial_Lot_Expiry',
    );
  });

  it('reports the additional information of highest precedence, and NMVS codes in report order', () => {
    expect(regimesOf(['EXPIRED', 'RECALLED', 'STOLEN'])).toEqual({
      eu: { returnCode: 'NMVS_NC_PCK_22', alert: true },
      us: { verified: false, additionalInfo: 'Illegitimate' },
    });
    // The order the reasons are given in does not matter; report order does.
    expect(regimesOf(['EXPIRY_MISMATCH', 'ALREADY_DISPENSED', 'LOT_MISMATCH']).eu.returnCode).toBe(
      'NMVS_FE_LOT_13',
    );
  });
});

describe('refusals', () => {
  it.each([
    ['STATUS_ALREADY_SET', 'NMVS_NC_PCK_19'],
    ['PACK_INACTIVE', 'NMVS_NC_PCK_22'],
    ['UNDO_WINDOW_PASSED', 'NMVS_NC_PCK_20'],
    ['UNDO_OTHER_PARTY', 'NMVS_NC_PCK_21'],
    ['UNDO_STATUS_MISMATCH', 'NMVS_NC_PCK_06'],
  ] as const)('%s is %s', (refusal, code) => {
    expect(REFUSAL_RETURN_CODES[refusal]).toBe(code);
  });

  it('travels at the end of the message and is read back from the detail', () => {
    for (const refusal of REFUSALS) {
      const error = new DomainError('CONFLICT', 'unit 1/2 is DISPENSED', refusal);
      expect(error.message).toBe(`CONFLICT: unit 1/2 is DISPENSED [${refusal}]`);
      expect(refusalOf(error.message.slice('CONFLICT: '.length))).toEqual({
        detail: 'unit 1/2 is DISPENSED',
        refusal,
      });
    }
    expect(refusalOf('unit 1/2 is DISPENSED [SOMETHING_ELSE]')).toEqual({
      detail: 'unit 1/2 is DISPENSED [SOMETHING_ELSE]',
    });
  });
});
