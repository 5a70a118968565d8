import { BatchStatus, Party, ReasonCode, Role, ShipmentStatus, Sighting, UnitState } from '../domain';

import type { ProductRequest } from './requests';

export type { Party, Sighting } from '../domain';

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
  stateChangedBy?: Party;
  last: Change;
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
  at: string;
  txId: string;
  count: number;
  lastSeen: string;
  /** For CLONE_SUSPECTED: the other organisations' sightings of the serial that make it a clone. */
  sightings?: Sighting[];
}
