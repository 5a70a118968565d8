import { LedgerEvent, PackCode, Party, ReasonCode, ScanHint, UnitState, Verdict } from '../domain';
import { Alert, Batch, Container, ItemRef, ManifestItem, Product, Unit } from './documents';

// What the transactions answer, beyond the documents themselves.

/** A unit as clients see it: the effective custodian (the outermost container's when packed). */
export interface UnitView extends Unit {
  inTransit: boolean;
  /** SSCC of the outermost container, when packed. */
  container?: string;
}

/** One step of a pack's custody chain: its own changes and the moves of the containers it travelled in. */
export interface HistoryEvent {
  type: string;
  at: string;
  org: string;
  gln: string;
  /** The person who acted (enrolment ID). */
  user?: string;
  txId: string;
  sscc?: string;
  shipmentId?: string;
}

/** Every pack of a prescription, dispensed, in the order listed. */
export interface DispenseResult {
  units: UnitView[];
}

export interface UnitHistory {
  /** Oldest first. */
  events: HistoryEvent[];
}

export interface CommissionResult {
  gtin: string;
  lot: string;
  expiry: string;
  status: Batch['status'];
  /** Units commissioned by this request. */
  unitCount: number;
  serials: string[];
  /** True when an earlier transaction under the same idempotency key commissioned these (nothing written now). */
  replayed?: boolean;
}

export interface CustodianCount extends Party {
  state: string;
  count: number;
}

export interface BatchCounts {
  byState: Record<string, number>;
  byCustodian: CustodianCount[];
}

export interface BatchView extends Batch {
  counts: BatchCounts;
}

export interface SerialPage {
  serials: string[];
  /** Empty on the last page. */
  bookmark: string;
}

/** A container as packed: its record and the items the request listed. */
export interface PackResult extends Container {
  contents: ItemRef[];
}

export interface ContainerView extends Container {
  inTransit: boolean;
  contents: ItemRef[];
}

/** What a scanned code says: its pack fields, and every other GS1 AI it carries. */
export type ScannedCode = Required<Pick<PackCode, 'gtin' | 'serial'>> &
  Pick<PackCode, 'lot' | 'expiry'> & { otherAis?: Record<string, string> };

/** The unit as a verification shows it. */
export interface VerifiedUnit {
  state: UnitState;
  custodian: Party;
  inTransit: boolean;
  /** The commissioned lot and expiry. */
  lot: string;
  expiry: string;
}

/** The verdict (README, "Verification") and the ledger's facts it rests on. */
export interface Verification {
  verdict: Verdict;
  reasons: ReasonCode[];
  code: ScannedCode;
  /** The scanner faults that explain a verdict that is not GENUINE. */
  hints?: ScanHint[];
  product?: Product;
  batch?: Batch;
  unit?: VerifiedUnit;
}

/** A recorded scan: the verification, and the alert it raised or counted on when it is not genuine. */
export interface ScanRecord extends Verification {
  alertId?: string;
  alert?: Alert;
}

export interface AlertList {
  alerts: Alert[];
}

export interface BatchEventList {
  events: LedgerEvent[];
}

/** A shipment's goods expanded: each pack and container by the code it is scanned as, containers with contents. */
export interface ShipmentManifest {
  id: string;
  items: ManifestItem[];
}

/** Commercial terms recorded privately for a shipment still to be created: the record and the hash. */
export interface TermsRecord {
  id: string;
  termsHash: string;
}
