import { Object as DataType, Property } from 'fabric-contract-api';
import { Agent, BatchStatus, Party, ReasonCode, Role, ShipmentStatus, UnitState } from '../domain';

// The ledger's documents. The decorators describe them in the contract metadata; values are stored
// as deterministic JSON of these shapes.

@DataType()
export class Org {
  @Property() mspId = '';
  @Property() role: Role = 'PHARMACY';
  @Property() name = '';
  @Property('glns', 'string[]') glns: string[] = [];
  /** GS1 company prefixes licensed to it: SSCCs carrying one are its own (see domain/sscc-ownership.ts). */
  @Property('companyPrefixes', 'string[]') companyPrefixes?: string[];
  @Property() admittedAt = '';
  @Property() admittedBy = '';
}

@DataType()
export class Product {
  @Property() gtin = '';
  @Property() name = '';
  @Property() genericName = '';
  @Property() strength = '';
  @Property() dosageForm = '';
  @Property() marketingAuthorization = '';
  @Property() manufacturer = '';
  @Property() registeredAt = '';
}

@DataType()
export class Batch {
  @Property() gtin = '';
  @Property() lot = '';
  @Property() expiry = '';
  @Property() manufacturedOn = '';
  @Property() manufacturer = '';
  @Property() quantity = 0;
  @Property() status: BatchStatus = 'RELEASED';
  @Property() statusReason?: string;
  @Property() statusBy?: string;
  @Property() statusAt?: string;
  @Property() createdAt = '';
}

/** The last change of a unit or container, kept in its value so key history reads as a custody chain. */
export interface Change {
  type: string;
  at: string;
  org: string;
  gln: string;
  /** The person (enrolment ID). */
  user?: string;
  shipmentId?: string;
  sscc?: string;
}

@DataType()
export class Unit {
  @Property() gtin = '';
  @Property() serial = '';
  @Property() lot = '';
  @Property() expiry = '';
  @Property() state: UnitState = 'ACTIVE';
  /** Own custodian; while packed the outermost container's custodian applies. */
  @Property() custodian: Party = { msp: '', gln: '' };
  @Property() parent?: string;
  @Property() shipmentId?: string;
  @Property() stateChangedAt?: string;
  @Property() stateChangedBy?: Agent;
  @Property() last: Change = { type: '', at: '', org: '', gln: '' };
}

@DataType()
export class Container {
  @Property() sscc = '';
  @Property() custodian: Party = { msp: '', gln: '' };
  @Property() parent?: string;
  @Property() shipmentId?: string;
  @Property() packed = true;
  /** Container levels from here down: 1 for a case of packs, 2 for a pallet of cases. Absent means 1. */
  @Property() levels?: number;
  /** Whose SSCC this is: the company whose prefix it carries, else its first packer; only it packs it again. */
  @Property() owner?: string;
  @Property() last: Change = { type: '', at: '', org: '', gln: '' };
}

export interface ItemRef {
  gtin?: string;
  serial?: string;
  sscc?: string;
}

@DataType()
export class Shipment {
  @Property() id = '';
  @Property() from: Party = { msp: '', gln: '' };
  @Property() to: Party = { msp: '', gln: '' };
  @Property() status: ShipmentStatus = 'IN_TRANSIT';
  @Property('units', 'object[]') units: { gtin: string; serial: string }[] = [];
  @Property('containers', 'string[]') containers: string[] = [];
  @Property() createdAt = '';
  @Property() updatedAt = '';
  @Property() reason?: string;
}

/** A scan that raised an alert (one per place in the window) or made one a clone. */
@DataType()
export class Sighting {
  @Property() msp = '';
  @Property() gln = '';
  @Property() at = '';
}

/**
 * What a scan found wrong, in the chaincode's own words. `at` and `txId` are the first occurrence; repeats of
 * the same alert from the same place within the window raise `count` and `lastSeen` instead of a new alert.
 */
@DataType()
export class Alert {
  @Property() id = '';
  @Property() gtin = '';
  @Property() serial = '';
  @Property() lot?: string;
  @Property('reasons', 'string[]') reasons: ReasonCode[] = [];
  @Property() org = '';
  @Property() gln = '';
  /** Who scanned first (enrolment ID). */
  @Property() user?: string;
  @Property() at = '';
  @Property() txId = '';
  @Property() count = 1;
  @Property() lastSeen = '';
  /** For CLONE_SUSPECTED: the other organisations' sightings of the serial that make it a clone. */
  @Property('sightings', 'Sighting[]') sightings?: Sighting[];
}
