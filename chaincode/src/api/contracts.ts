import { ShipmentStatus } from '../domain';
import { Org, Product, Batch, Container, Shipment } from './documents';
import {
  OrgRequest,
  ProductRequest,
  CommissionRequest,
  PackRequest,
  PrescriptionRequest,
  ShipmentRequest,
} from './requests';
import {
  AlertList,
  BatchEventList,
  BatchView,
  CommissionResult,
  ContainerView,
  DispenseResult,
  PackResult,
  ScanRecord,
  SerialPage,
  UnitHistory,
  UnitView,
  Verification,
} from './results';
import { ContractSpec, Read, Write } from './transactions';

// Every contract of the DrugTrace chaincode: its transactions, their arguments and results. The chaincode's
// contract classes implement these (ContractOf); the gateway calls them through ClientOf.

export interface RegistryApi {
  /** Bootstraps an empty registry once, by the regulator listed in it. */
  Seed: Write<[orgs: OrgRequest[]], Org[]>;
  Admit: Write<[org: OrgRequest], Org>;
  Get: Read<[mspId: string], Org>;
  List: Read<[], Org[]>;
}

export interface ProductsApi {
  Register: Write<[product: ProductRequest], Product>;
  Get: Read<[gtin: string], Product>;
}

export interface BatchesApi {
  Commission: Write<[request: CommissionRequest], CommissionResult>;
  Get: Read<[gtin: string, lot: string], BatchView>;
  /** `pageSize` as a decimal integer; `bookmark` empty for the first page. */
  ListSerials: Read<[gtin: string, lot: string, pageSize: string, bookmark: string], SerialPage>;
  Recall: Write<[gtin: string, lot: string, reason: string], Batch>;
  Quarantine: Write<[gtin: string, lot: string, reason: string], Batch>;
  Release: Write<[gtin: string, lot: string, reason: string], Batch>;
}

export interface UnitsApi {
  Get: Read<[gtin: string, serial: string], UnitView>;
  History: Read<[gtin: string, serial: string], UnitHistory>;
  Dispense: Write<[gtin: string, serial: string], UnitView>;
  /** A prescription: every pack, or none (CONFLICT naming the pack that blocked it). */
  DispenseMany: Write<[request: PrescriptionRequest], DispenseResult>;
  UndoDispense: Write<[gtin: string, serial: string], UnitView>;
  /** `state` ACTIVE reverts a revertible state; otherwise one of SETTABLE_STATES. */
  SetState: Write<[gtin: string, serial: string, state: string, reason: string], UnitView>;
}

export interface ContainersApi {
  Pack: Write<[request: PackRequest], PackResult>;
  Unpack: Write<[sscc: string], Container>;
  Get: Read<[sscc: string], ContainerView>;
}

export interface ShipmentsApi {
  Create: Write<[request: ShipmentRequest], Shipment>;
  Receive: Write<[id: string], Shipment>;
  Reject: Write<[id: string, reason: string], Shipment>;
  Cancel: Write<[id: string], Shipment>;
  Get: Read<[id: string], Shipment>;
  /** The caller's shipments, newest first; each filter empty for all. */
  List: Read<[direction: 'incoming' | 'outgoing' | '', status: ShipmentStatus | ''], Shipment[]>;
}

export interface VerificationApi {
  /** `scannerGln` empty for the caller's own (or the anonymous resolver). */
  Verify: Read<[code: string, scannerGln: string], Verification>;
  RecordScan: Write<[code: string, scannerGln: string], ScanRecord>;
}

export interface AuditApi {
  /** `limit` as a decimal integer, empty for the default. */
  Alerts: Read<[limit: string], AlertList>;
  BatchEvents: Read<[gtin: string, lot: string], BatchEventList>;
}

export const REGISTRY: ContractSpec<RegistryApi> = {
  name: 'registry',
  writes: { Seed: true, Admit: true, Get: false, List: false },
};
export const PRODUCTS: ContractSpec<ProductsApi> = {
  name: 'products',
  writes: { Register: true, Get: false },
};
export const BATCHES: ContractSpec<BatchesApi> = {
  name: 'batches',
  writes: { Commission: true, Get: false, ListSerials: false, Recall: true, Quarantine: true, Release: true },
};
export const UNITS: ContractSpec<UnitsApi> = {
  name: 'units',
  writes: {
    Get: false,
    History: false,
    Dispense: true,
    DispenseMany: true,
    UndoDispense: true,
    SetState: true,
  },
};
export const CONTAINERS: ContractSpec<ContainersApi> = {
  name: 'containers',
  writes: { Pack: true, Unpack: true, Get: false },
};
export const SHIPMENTS: ContractSpec<ShipmentsApi> = {
  name: 'shipments',
  writes: { Create: true, Receive: true, Reject: true, Cancel: true, Get: false, List: false },
};
export const VERIFICATION: ContractSpec<VerificationApi> = {
  name: 'verification',
  writes: { Verify: false, RecordScan: true },
};
export const AUDIT: ContractSpec<AuditApi> = {
  name: 'audit',
  writes: { Alerts: false, BatchEvents: false },
};
