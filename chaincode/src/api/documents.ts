import {
  Agent,
  BatchStatus,
  Party,
  ReasonCode,
  ReceiptReport,
  Role,
  ShipmentStatus,
  Sighting,
  UnitState,
} from '../domain';

import type { ProductRequest } from './requests';

export type {
  Agent,
  ManifestItem,
  Party,
  ReceiptReport,
  Sighting,
  ShipmentTerms,
  TermsDocument,
} from '../domain';

// The ledger's documents as clients receive them. The chaincode's decorated classes (ledger/models.ts)
// implement these, so the contract metadata and the gateway read one shape.

export interface Org {
  mspId: string;
  role: Role;
  name: string;
  glns: string[];
  /** GS1 company prefixes licensed to it: SSCCs carrying one are its own (see domain/sscc-ownership.ts). */
  companyPrefixes?: string[];
  admittedAt: string;
  admittedBy: string;
}

/** A product as registered: the request's master data, its owner and when. */
export interface Product extends ProductRequest {
  manufacturer: string;
  registeredAt: string;
}

export interface Batch {
  gtin: string;
  lot: string;
  expiry: string;
  manufacturedOn: string;
  manufacturer: string;
  quantity: number;
  status: BatchStatus;
  statusReason?: string;
  statusBy?: string;
  statusAt?: string;
  createdAt: string;
}

/** The last change of a unit or container, kept in its value so key history reads as a custody chain. */
export interface Change {
  type: string;
  at: string;
  org: string;
  gln: string;
  /** The person (enrolment ID); absent on changes made before people were named. */
  user?: string;
  shipmentId?: string;
  sscc?: string;
}

export interface Unit {
  gtin: string;
  serial: string;
  lot: string;
  expiry: string;
  state: UnitState;
  /** Own custodian; while packed the outermost container's custodian applies. */
  custodian: Party;
  parent?: string;
  shipmentId?: string;
  stateChangedAt?: string;
  stateChangedBy?: Agent;
  /** The shipment its receiver reported it missing from; it stays with the sender (see domain/manifest.ts). */
  missingInTransit?: string;
  last: Change;
}

/**
 * The generated serials of one commissioning page under the prefix it claimed (`serials/<gtin>/<prefix>`): written
 * once, never rewritten. Each of its packs is ACTIVE at `manufacturer`/`gln` until its own unit key is written.
 */
export interface SerialChunk {
  gtin: string;
  lot: string;
  expiry: string;
  prefix: string;
  /** Sorted. */
  serials: string[];
  manufacturer: string;
  gln: string;
  user?: string;
  at: string;
  txId: string;
}

export interface Container {
  sscc: string;
  custodian: Party;
  parent?: string;
  shipmentId?: string;
  packed: boolean;
  /** Container levels from here down: 1 for a case of packs, 2 for a pallet of cases. Absent means 1. */
  levels?: number;
  /** Whose SSCC this is: the company whose prefix it carries, else its first packer; only it packs it again. */
  owner?: string;
  /** The shipment its receiver reported it missing from; it stays with the sender. */
  missingInTransit?: string;
  last: Change;
}

/** A pack ({gtin, serial}) or a container ({sscc}) inside a container. */
export interface ItemRef {
  gtin?: string;
  serial?: string;
  sscc?: string;
}

export interface UnitRef {
  gtin: string;
  serial: string;
}

export interface Shipment {
  id: string;
  from: Party;
  to: Party;
  status: ShipmentStatus;
  units: UnitRef[];
  containers: string[];
  createdAt: string;
  updatedAt: string;
  reason?: string;
  /** A receipt against a scan of the goods: what was expected, scanned, missing and unexpected. */
  receipt?: ReceiptReport;
  /** SHA-256 of the commercial terms kept in the two organisations' private data (domain/terms.ts). */
  termsHash?: string;
  /** The terms record (RecordTerms) whose private data holds them. */
  termsId?: string;
}

/**
 * What a scan found wrong, in the chaincode's own words. `at` and `txId` are the first occurrence; repeats of
 * the same alert from the same place within the window raise `count` and `lastSeen` instead of a new alert.
 */
export interface Alert {
  id: string;
  gtin: string;
  serial: string;
  lot?: string;
  reasons: ReasonCode[];
  org: string;
  gln: string;
  /** The person who scanned first (enrolment ID). */
  user?: string;
  at: string;
  txId: string;
  count: number;
  lastSeen: string;
  /** For CLONE_SUSPECTED: the other organisations' sightings of the serial that make it a clone. */
  sightings?: Sighting[];
  /** MISSING_IN_TRANSIT and UNEXPECTED_IN_SHIPMENT: the shipment, and the case when a whole one (gtin and serial empty). */
  shipmentId?: string;
  sscc?: string;
}
