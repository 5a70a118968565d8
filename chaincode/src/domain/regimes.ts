import { REASON_CODES, ReasonCode } from './types';

// What a verdict means in the two regulatory regimes a verifier may work under: the EU FMD national system's
// return codes (NMVS) and the US DSCSA verification answer (the GS1 lightweight verification message). One
// table over every verdict reason and one over every decommissioning refusal: a new reason or refusal does not
// compile until it has its codes.

export const EU_RETURN_CODES = [
  'NMVS_SUCCESS',
  'NMVS_NC_PC_01',
  'NMVS_NC_PC_02',
  'NMVS_FE_LOT_03',
  'NMVS_FE_LOT_12',
  'NMVS_FE_LOT_13',
  'NMVS_NC_PCK_22',
  'NMVS_NC_PCK_19',
  'NMVS_NC_PCK_20',
  'NMVS_NC_PCK_21',
  'NMVS_NC_PCK_06',
] as const;
export type EuReturnCode = (typeof EU_RETURN_CODES)[number];

export const DSCSA_FAILURE_REASONS = [
  'No_match_GTIN_Serial',
  'No_match_GTIN_Serial_Lot',
  'No_match_GTIN_Serial_Expiry',
  'No_match_GTIN_Serial_Lot_Expiry',
] as const;
export type DscsaFailureReason = (typeof DSCSA_FAILURE_REASONS)[number];

/** In order of precedence: the first that applies is reported. */
export const DSCSA_ADDITIONAL_INFO = ['Illegitimate', 'Suspect', 'Recalled', 'Expired'] as const;
export type DscsaAdditionalInfo = (typeof DSCSA_ADDITIONAL_INFO)[number];

export interface Regimes {
  eu: { returnCode: EuReturnCode; alert: boolean };
  us: {
    verified: boolean;
    verificationFailureReason?: DscsaFailureReason;
    additionalInfo?: DscsaAdditionalInfo;
  };
}

/** What part of the product identifier a reason says does not match (DSCSA), if any. */
type Mismatch = 'SERIAL' | 'LOT' | 'EXPIRY';

interface ReasonRegimes {
  /** The NMVS return code a verification with this reason shows; NMVS_SUCCESS when NMVS has none for it. */
  eu: EuReturnCode;
  /** Whether NMVS raises an alert (a potential falsification to investigate). */
  alert: boolean;
  /** Whether the DSCSA answer may still say "verified" (the identifier matched). */
  verified: boolean;
  mismatch?: Mismatch;
  additionalInfo?: DscsaAdditionalInfo;
}

/** The one mapping of verdict reasons to both regimes. */
export const REASON_REGIMES: Readonly<Record<ReasonCode, ReasonRegimes>> = {
  UNKNOWN_PRODUCT: { eu: 'NMVS_NC_PC_01', alert: true, verified: false, mismatch: 'SERIAL' },
  UNKNOWN_SERIAL: { eu: 'NMVS_NC_PC_02', alert: true, verified: false, mismatch: 'SERIAL' },
  UNKNOWN_BATCH: { eu: 'NMVS_FE_LOT_03', alert: true, verified: false, mismatch: 'LOT' },
  LOT_MISMATCH: { eu: 'NMVS_FE_LOT_13', alert: true, verified: false, mismatch: 'LOT' },
  EXPIRY_MISMATCH: { eu: 'NMVS_FE_LOT_12', alert: true, verified: false, mismatch: 'EXPIRY' },
  EXPIRED: { eu: 'NMVS_SUCCESS', alert: false, verified: true, additionalInfo: 'Expired' },
  RECALLED: { eu: 'NMVS_SUCCESS', alert: false, verified: true, additionalInfo: 'Recalled' },
  QUARANTINED: { eu: 'NMVS_SUCCESS', alert: false, verified: true, additionalInfo: 'Suspect' },
  ALREADY_DISPENSED: { eu: 'NMVS_NC_PCK_22', alert: false, verified: false, additionalInfo: 'Suspect' },
  DESTROYED: { eu: 'NMVS_NC_PCK_22', alert: false, verified: false, additionalInfo: 'Suspect' },
  STOLEN: { eu: 'NMVS_NC_PCK_22', alert: true, verified: false, additionalInfo: 'Illegitimate' },
  SAMPLE: { eu: 'NMVS_NC_PCK_22', alert: false, verified: false, additionalInfo: 'Suspect' },
  EXPORTED: { eu: 'NMVS_NC_PCK_22', alert: false, verified: false, additionalInfo: 'Suspect' },
  IN_TRANSIT: { eu: 'NMVS_SUCCESS', alert: false, verified: true },
  NOT_IN_CUSTODY: { eu: 'NMVS_SUCCESS', alert: false, verified: true },
  CLONE_SUSPECTED: { eu: 'NMVS_SUCCESS', alert: true, verified: false, additionalInfo: 'Suspect' },
  // The identifier matches a real pack, but its custody is in doubt: a possible diversion to investigate.
  MISSING_IN_TRANSIT: { eu: 'NMVS_SUCCESS', alert: true, verified: true, additionalInfo: 'Suspect' },
  UNEXPECTED_IN_SHIPMENT: { eu: 'NMVS_SUCCESS', alert: true, verified: true, additionalInfo: 'Suspect' },
};

/** Why a dispense or its undo is refused, as the chaincode reports it (see DomainError's `refusal`). */
export const REFUSALS = [
  'STATUS_ALREADY_SET',
  'PACK_INACTIVE',
  'UNDO_WINDOW_PASSED',
  'UNDO_OTHER_PARTY',
  'UNDO_STATUS_MISMATCH',
] as const;
export type Refusal = (typeof REFUSALS)[number];

/** The NMVS return code of each refusal. */
export const REFUSAL_RETURN_CODES: Readonly<Record<Refusal, EuReturnCode>> = {
  STATUS_ALREADY_SET: 'NMVS_NC_PCK_19',
  PACK_INACTIVE: 'NMVS_NC_PCK_22',
  UNDO_WINDOW_PASSED: 'NMVS_NC_PCK_20',
  UNDO_OTHER_PARTY: 'NMVS_NC_PCK_21',
  UNDO_STATUS_MISMATCH: 'NMVS_NC_PCK_06',
};

const FAILURE_OF: Record<string, DscsaFailureReason> = {
  SERIAL: 'No_match_GTIN_Serial',
  LOT: 'No_match_GTIN_Serial_Lot',
  EXPIRY: 'No_match_GTIN_Serial_Expiry',
  'LOT+EXPIRY': 'No_match_GTIN_Serial_Lot_Expiry',
};

/**
 * Both regimes' answers for a verdict's reasons. EU: the return code of the first reason (in report order)
 * that has one, an alert if any reason raises one. US: verified unless a reason says otherwise; a serial
 * mismatch outranks lot and expiry (nothing else is compared when the serial is unknown); the additional
 * information of highest precedence.
 */
export function regimesOf(reasons: readonly ReasonCode[]): Regimes {
  const entries = REASON_CODES.filter((r) => reasons.includes(r)).map((r) => REASON_REGIMES[r]);
  const returnCode = entries.find((e) => e.eu !== 'NMVS_SUCCESS')?.eu ?? 'NMVS_SUCCESS';
  const mismatches = new Set(entries.flatMap((e) => (e.mismatch ? [e.mismatch] : [])));
  const failure = mismatches.has('SERIAL')
    ? FAILURE_OF.SERIAL
    : FAILURE_OF[(['LOT', 'EXPIRY'] as const).filter((m) => mismatches.has(m)).join('+')];
  const additionalInfo = DSCSA_ADDITIONAL_INFO.find((info) => entries.some((e) => e.additionalInfo === info));
  return {
    eu: { returnCode, alert: entries.some((e) => e.alert) },
    us: {
      verified: entries.every((e) => e.verified),
      ...(failure ? { verificationFailureReason: failure } : {}),
      ...(additionalInfo ? { additionalInfo } : {}),
    },
  };
}
