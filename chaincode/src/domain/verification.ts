import { BatchStatus, PackCode, Party, REASON_CODES, ReasonCode, Role, UnitState, Verdict } from './types';

export interface VerificationInput {
  code: PackCode;
  product?: { gtin: string };
  batch?: { lot: string; expiry: string; status: BatchStatus };
  /** Whether the lot printed on the pack is a batch of this product at all (when it differs from the pack's). */
  scannedLotExists?: boolean;
  unit?: {
    lot: string;
    expiry: string;
    state: UnitState;
    custodian: Party;
    inTransit: boolean;
    /** Reported missing from a shipment by its receiver. */
    missing?: boolean;
  };
  /** Undefined for an anonymous scan (the public resolver): no custody check. */
  scanner?: { msp: string; role: Role | 'RESOLVER'; gln?: string };
  /** ISO date of the transaction. */
  today: string;
}

export interface Assessment {
  verdict: Verdict;
  reasons: ReasonCode[];
}

const STATE_REASON: Partial<Record<UnitState, ReasonCode>> = {
  DISPENSED: 'ALREADY_DISPENSED',
  DESTROYED: 'DESTROYED',
  STOLEN: 'STOLEN',
  SAMPLE: 'SAMPLE',
  EXPORTED: 'EXPORTED',
};

/** The anti-counterfeit verdict: GENUINE only when no reason applies. */
export function assessVerification(input: VerificationInput): Assessment {
  const { code, product, batch, unit, scanner, today } = input;
  if (!product) return { verdict: 'COUNTERFEIT', reasons: ['UNKNOWN_PRODUCT'] };
  if (!unit) return { verdict: 'COUNTERFEIT', reasons: ['UNKNOWN_SERIAL'] };
  const reasons = new Set<ReasonCode>();
  if (code.lot !== undefined && code.lot !== unit.lot)
    reasons.add(input.scannedLotExists === false ? 'UNKNOWN_BATCH' : 'LOT_MISMATCH');
  if (code.expiry !== undefined && code.expiry !== unit.expiry) reasons.add('EXPIRY_MISMATCH');
  if (unit.expiry < today) reasons.add('EXPIRED');
  if (batch?.status === 'RECALLED') reasons.add('RECALLED');
  if (batch?.status === 'QUARANTINED') reasons.add('QUARANTINED');
  const stateReason = STATE_REASON[unit.state];
  if (stateReason) reasons.add(stateReason);
  if (unit.inTransit) reasons.add('IN_TRANSIT');
  if (unit.missing) reasons.add('MISSING_IN_TRANSIT');
  if (
    scanner?.role === 'PHARMACY' &&
    unit.state === 'ACTIVE' &&
    !unit.inTransit &&
    !holds(scanner, unit.custodian)
  ) {
    reasons.add('NOT_IN_CUSTODY');
  }
  const ordered = REASON_CODES.filter((r) => reasons.has(r));
  return { verdict: ordered.length === 0 ? 'GENUINE' : 'SUSPECT', reasons: ordered };
}

function holds(scanner: { msp: string; gln?: string }, custodian: Party): boolean {
  return scanner.msp === custodian.msp && (scanner.gln === undefined || scanner.gln === custodian.gln);
}
