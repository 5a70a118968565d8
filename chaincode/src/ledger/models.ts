import { Object as DataType, Property } from 'fabric-contract-api';
import * as api from '../api';
import {
  BatchStatus,
  EventType,
  LedgerEvent,
  ReasonCode,
  Role,
  ScanHint,
  ShipmentStatus,
  UnitState,
  Verdict,
} from '../domain';

// The ledger's documents and the transactions' results, as the contract metadata describes them. Each class
// implements its type in the contract API (api/), so the metadata, the chaincode and the gateway read one
// shape. Documents are stored as deterministic JSON of these shapes.

@DataType()
export class Party implements api.Party {
  @Property() msp!: string;
  @Property() gln!: string;
}

/** Who acted: a place and the person (enrolment ID; absent on records made before people were named). */
@DataType()
export class Agent extends Party implements api.Agent {
  @Property() user?: string;
}

@DataType()
export class Org implements api.Org {
  @Property() mspId!: string;
  @Property() role!: Role;
  @Property() name!: string;
  @Property('glns', 'string[]') glns!: string[];
  @Property('companyPrefixes', 'string[]') companyPrefixes?: string[];
  @Property() admittedAt!: string;
  @Property() admittedBy!: string;
}

@DataType()
export class Product implements api.Product {
  @Property() gtin!: string;
  @Property() name!: string;
  @Property() genericName!: string;
  @Property() strength!: string;
  @Property() dosageForm!: string;
  @Property() marketingAuthorization!: string;
  @Property() manufacturer!: string;
  @Property() registeredAt!: string;
}

@DataType()
export class Batch implements api.Batch {
  @Property() gtin!: string;
  @Property() lot!: string;
  @Property() expiry!: string;
  @Property() manufacturedOn!: string;
  @Property() manufacturer!: string;
  @Property() quantity!: number;
  @Property() status!: BatchStatus;
  @Property() statusReason?: string;
  @Property() statusBy?: string;
  @Property() statusAt?: string;
  @Property() createdAt!: string;
}

@DataType()
export class Change implements api.Change {
  @Property() type!: string;
  @Property() at!: string;
  @Property() org!: string;
  @Property() gln!: string;
  @Property() user?: string;
  @Property() shipmentId?: string;
  @Property() sscc?: string;
}

@DataType()
export class Unit implements api.Unit {
  @Property() gtin!: string;
  @Property() serial!: string;
  @Property() lot!: string;
  @Property() expiry!: string;
  @Property() state!: UnitState;
  @Property('custodian', 'Party') custodian!: Party;
  @Property() parent?: string;
  @Property() shipmentId?: string;
  @Property() stateChangedAt?: string;
  @Property('stateChangedBy', 'Agent') stateChangedBy?: Agent;
  @Property() missingInTransit?: string;
  @Property('last', 'Change') last!: Change;
}

@DataType()
export class SerialChunk implements api.SerialChunk {
  @Property() gtin!: string;
  @Property() lot!: string;
  @Property() expiry!: string;
  @Property() prefix!: string;
  @Property('serials', 'string[]') serials!: string[];
  @Property() manufacturer!: string;
  @Property() gln!: string;
  @Property() user?: string;
  @Property() at!: string;
  @Property() txId!: string;
}

@DataType()
export class Container implements api.Container {
  @Property() sscc!: string;
  @Property('custodian', 'Party') custodian!: Party;
  @Property() parent?: string;
  @Property() shipmentId?: string;
  @Property() packed!: boolean;
  @Property() levels?: number;
  @Property() owner?: string;
  @Property() missingInTransit?: string;
  @Property('last', 'Change') last!: Change;
}

@DataType()
export class ItemRef implements api.ItemRef {
  @Property() gtin?: string;
  @Property() serial?: string;
  @Property() sscc?: string;
}

@DataType()
export class UnitRef implements api.UnitRef {
  @Property() gtin!: string;
  @Property() serial!: string;
}

@DataType()
export class ReceiptReport implements api.ReceiptReport {
  @Property() expected!: number;
  @Property() scanned!: number;
  @Property('missing', 'string[]') missing!: string[];
  @Property('unexpected', 'string[]') unexpected!: string[];
}

@DataType()
export class Shipment implements api.Shipment {
  @Property() id!: string;
  @Property('from', 'Party') from!: Party;
  @Property('to', 'Party') to!: Party;
  @Property() status!: ShipmentStatus;
  @Property('units', 'UnitRef[]') units!: UnitRef[];
  @Property('containers', 'string[]') containers!: string[];
  @Property() createdAt!: string;
  @Property() updatedAt!: string;
  @Property() reason?: string;
  @Property('receipt', 'ReceiptReport') receipt?: ReceiptReport;
  @Property() termsHash?: string;
  @Property() termsId?: string;
}

@DataType()
export class TermsDocument implements api.TermsDocument {
  @Property() purchaseOrder!: string;
  @Property() invoice!: string;
  @Property() unitPrice!: string;
  @Property() currency!: string;
  @Property() salt!: string;
}

@DataType()
export class TermsRecord implements api.TermsRecord {
  @Property() id!: string;
  @Property() termsHash!: string;
}

@DataType()
export class Sighting implements api.Sighting {
  @Property() msp!: string;
  @Property() gln!: string;
  @Property() at!: string;
}

@DataType()
export class Alert implements api.Alert {
  @Property() id!: string;
  @Property() gtin!: string;
  @Property() serial!: string;
  @Property() lot?: string;
  @Property('reasons', 'string[]') reasons!: ReasonCode[];
  @Property() org!: string;
  @Property() gln!: string;
  @Property() user?: string;
  @Property() at!: string;
  @Property() txId!: string;
  @Property() count!: number;
  @Property() lastSeen!: string;
  @Property('sightings', 'Sighting[]') sightings?: Sighting[];
  @Property() shipmentId?: string;
  @Property() sscc?: string;
}

// ---- results

@DataType()
export class UnitView extends Unit implements api.UnitView {
  @Property() inTransit!: boolean;
  @Property() container?: string;
}

@DataType()
export class HistoryEvent implements api.HistoryEvent {
  @Property() type!: string;
  @Property() at!: string;
  @Property() org!: string;
  @Property() gln!: string;
  @Property() user?: string;
  @Property() txId!: string;
  @Property() sscc?: string;
  @Property() shipmentId?: string;
}

@DataType()
export class DispenseResult implements api.DispenseResult {
  @Property('units', 'UnitView[]') units!: UnitView[];
}

@DataType()
export class UnitHistory implements api.UnitHistory {
  @Property('events', 'HistoryEvent[]') events!: HistoryEvent[];
}

@DataType()
export class CommissionResult implements api.CommissionResult {
  @Property() gtin!: string;
  @Property() lot!: string;
  @Property() expiry!: string;
  @Property() status!: BatchStatus;
  @Property() unitCount!: number;
  @Property('serials', 'string[]') serials!: string[];
  @Property() replayed?: boolean;
}

@DataType()
export class CustodianCount extends Party implements api.CustodianCount {
  @Property() state!: string;
  @Property() count!: number;
}

@DataType()
export class BatchCounts implements api.BatchCounts {
  @Property('byState', 'Map<string, number>') byState!: Record<string, number>;
  @Property('byCustodian', 'CustodianCount[]') byCustodian!: CustodianCount[];
}

@DataType()
export class BatchView extends Batch implements api.BatchView {
  @Property('counts', 'BatchCounts') counts!: BatchCounts;
}

@DataType()
export class SerialPage implements api.SerialPage {
  @Property('serials', 'string[]') serials!: string[];
  @Property() bookmark!: string;
}

@DataType()
export class PackResult extends Container implements api.PackResult {
  @Property('contents', 'ItemRef[]') contents!: ItemRef[];
}

@DataType()
export class ContainerView extends Container implements api.ContainerView {
  @Property() inTransit!: boolean;
  @Property('contents', 'ItemRef[]') contents!: ItemRef[];
}

@DataType()
export class ScannedCode implements api.ScannedCode {
  @Property() gtin!: string;
  @Property() serial!: string;
  @Property() lot?: string;
  @Property() expiry?: string;
  @Property('otherAis', 'Map<string, string>') otherAis?: Record<string, string>;
}

@DataType()
export class VerifiedUnit implements api.VerifiedUnit {
  @Property() state!: UnitState;
  @Property('custodian', 'Party') custodian!: Party;
  @Property() inTransit!: boolean;
  @Property() lot!: string;
  @Property() expiry!: string;
}

@DataType()
export class Verification implements api.Verification {
  @Property() verdict!: Verdict;
  @Property('reasons', 'string[]') reasons!: ReasonCode[];
  @Property('code', 'ScannedCode') code!: ScannedCode;
  @Property('hints', 'string[]') hints?: ScanHint[];
  @Property('product', 'Product') product?: Product;
  @Property('batch', 'Batch') batch?: Batch;
  @Property('unit', 'VerifiedUnit') unit?: VerifiedUnit;
}

@DataType()
export class ScanRecord extends Verification implements api.ScanRecord {
  @Property() alertId?: string;
  @Property('alert', 'Alert') alert?: Alert;
}

@DataType()
export class AlertList implements api.AlertList {
  @Property('alerts', 'Alert[]') alerts!: Alert[];
}

/** One event of a batch's trail, as the chaincode emits and records it (the domain's LedgerEvent). */
@DataType()
export class BatchEvent implements LedgerEvent {
  @Property() type!: EventType;
  @Property() at!: string;
  @Property() org!: string;
  @Property() gln!: string;
  @Property() user?: string;
  @Property() txId!: string;
  @Property() gtin?: string;
  @Property() lot?: string;
  @Property() serial?: string;
  @Property('serials', 'string[]') serials?: string[];
  @Property() serialCount?: number;
  @Property() sscc?: string;
  @Property() shipmentId?: string;
  @Property('from', 'Party') from?: Party;
  @Property('to', 'Party') to?: Party;
  @Property('reasons', 'string[]') reasons?: ReasonCode[];
  @Property('hints', 'string[]') hints?: ScanHint[];
  @Property() alertId?: string;
  @Property() count?: number;
  @Property() status?: string;
  @Property() reason?: string;
}

@DataType()
export class BatchEventList implements api.BatchEventList {
  @Property('events', 'BatchEvent[]') events!: BatchEvent[];
}

@DataType()
export class ManifestItem implements api.ManifestItem {
  @Property() code!: string;
  @Property('contents', 'ManifestItem[]') contents?: ManifestItem[];
}

@DataType()
export class ShipmentManifest implements api.ShipmentManifest {
  @Property() id!: string;
  @Property('items', 'ManifestItem[]') items!: ManifestItem[];
}
