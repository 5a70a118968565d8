import { Role } from '../domain';
import { ItemRef, UnitRef } from './documents';

// The JSON bodies of the transactions that take one. The chaincode validates every field; these are the
// shapes clients send.

export interface OrgRequest {
  mspId: string;
  role: Role;
  glns: string[];
  name: string;
  companyPrefixes?: string[];
}

export interface ProductRequest {
  gtin: string;
  name: string;
  genericName: string;
  strength: string;
  dosageForm: string;
  marketingAuthorization: string;
}

/** Either `serials` to commission or a `quantity` of serials the chaincode generates. */
export interface CommissionRequest {
  gtin: string;
  lot: string;
  expiry: string;
  manufacturedOn: string;
  serials?: string[];
  quantity?: number;
  /**
   * Chosen by the client (REST header `Idempotency-Key`): a repeat of the same request under the same key answers
   * the first result and writes nothing; another request under it is refused (CONFLICT).
   */
  idempotencyKey?: string;
}

export interface PackRequest {
  sscc: string;
  contents: ItemRef[];
}

/** A prescription: packs held at the caller's location, dispensed together or not at all. */
export interface PrescriptionRequest {
  units: UnitRef[];
}

export interface ShipmentRequest {
  /** The receiving organisation (MSP ID) and location. */
  to: string;
  toGln: string;
  units?: UnitRef[];
  containers?: string[];
  /** Commercial terms recorded first by RecordTerms (private to the two organisations): their record's ID. */
  termsId?: string;
}

/** A receipt against the manifest: the codes scanned (SSCCs or pack codes), and whether to accept a mismatch. */
export interface ReceiptRequest {
  scanned: string[];
  acceptDiscrepancies?: boolean;
}
