import { createHash } from 'node:crypto';
import { DomainError } from './errors';

// Idempotent commissioning. A commission whose outcome is unknown (the gateway's 503 COMMIT_TIMEOUT) is repeated
// with the same idempotency key: the ledger records the key with the request's hash in the transaction that
// commissions, so a repeat answers the first result and writes nothing, and a different request under a key
// already used is refused. A retry that races the first (both endorsed before either committed) writes the same
// key: the validators keep one and invalidate the other (MVCC), whose re-execution then finds the record.

/** What a client may choose as a key: a UUID, a ULID or `<lot>/<page>` all fit. */
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:/-]{1,128}$/;

export function assertIdempotencyKey(key: string): void {
  if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key))
    throw new DomainError('INVALID', 'Idempotency-Key must be 1 to 128 characters of A-Z a-z 0-9 . _ : / -');
}

/** The fields that decide what a commission writes, as the hash sees them. */
export interface CommissionFields {
  gtin: string;
  lot: string;
  expiry: string;
  manufacturedOn: string;
  serials?: readonly string[];
  quantity?: number;
}

/** SHA-256 (hex) of the request's fields in one fixed order: the same request gives the same hash. */
export function commissionRequestHash(request: CommissionFields): string {
  const canonical = JSON.stringify([
    request.gtin,
    request.lot,
    request.expiry,
    request.manufacturedOn,
    request.serials ?? null,
    request.quantity ?? null,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** What the ledger keeps of a commission made under an idempotency key. */
export interface CommissionRecord {
  key: string;
  requestHash: string;
  /** The transaction that commissioned: generated serials derive from it. */
  txId: string;
  gtin: string;
  lot: string;
  unitCount: number;
  at: string;
  /** The serial prefix its generated serials claimed: their chunk answers a repeat. */
  prefix?: string;
}

/** A repeat of a recorded commission is answered from the record; another request under its key is refused. */
export function assertSameCommission(record: CommissionRecord, requestHash: string): void {
  if (record.requestHash !== requestHash)
    throw new DomainError(
      'CONFLICT',
      `Idempotency-Key ${record.key} was used for another commission request (transaction ${record.txId})`,
    );
}
