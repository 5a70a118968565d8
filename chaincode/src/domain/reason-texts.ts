import { ReasonCode } from './types';

/**
 * Each verdict reason in words a patient, pharmacist or inspector can act on: the one table behind the
 * scan page and the public resolver's verdict page. A Record over every ReasonCode, so a new reason does
 * not compile until it has its words.
 */
export const REASON_TEXT: Readonly<Record<ReasonCode, string>> = {
  UNKNOWN_PRODUCT: 'This product (GTIN) was never registered by any manufacturer. It may be counterfeit.',
  UNKNOWN_SERIAL: 'No pack with this serial number was ever made. It may be counterfeit.',
  UNKNOWN_BATCH: 'No batch with the number printed on this pack was ever made of this product.',
  LOT_MISMATCH: 'The batch number printed on the pack does not match the manufacturer’s record.',
  EXPIRY_MISMATCH: 'The expiry date printed on the pack does not match the manufacturer’s record.',
  EXPIRED: 'This pack is past its expiry date.',
  RECALLED: 'This batch has been recalled. Do not use or supply it.',
  QUARANTINED: 'This batch is on hold (quarantined) while it is investigated. Do not use or supply it.',
  ALREADY_DISPENSED: 'This pack was already dispensed. Seeing it again means the code may be a copy.',
  DESTROYED: 'This pack was reported destroyed.',
  STOLEN: 'This pack was reported stolen.',
  SAMPLE: 'This pack was taken as a sample.',
  EXPORTED: 'This pack was exported out of this market.',
  IN_TRANSIT: 'This pack is still in transit between companies: nobody has received it yet.',
  NOT_IN_CUSTODY: 'The records place this pack at another organisation or location, not here.',
  CLONE_SUSPECTED:
    'The same code was scanned in several places in a short time: the code may have been copied.',
};

/** The words for a reason; a code this version does not know (a newer ledger's) is shown as it is. */
export function reasonText(code: string): string {
  return Object.hasOwn(REASON_TEXT, code) ? REASON_TEXT[code as ReasonCode] : code;
}
