// The vocabulary of the ledger, shared by the chaincode and the gateway.
import type { ScanHint } from './hints';

export const ROLES = ['MANUFACTURER', 'DISTRIBUTOR', 'PHARMACY', 'REGULATOR'] as const;
export type Role = (typeof ROLES)[number];

export const UNIT_STATES = ['ACTIVE', 'DISPENSED', 'DESTROYED', 'STOLEN', 'SAMPLE', 'EXPORTED'] as const;
export type UnitState = (typeof UNIT_STATES)[number];

export const BATCH_STATUSES = ['RELEASED', 'QUARANTINED', 'RECALLED'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

export const SHIPMENT_STATUSES = ['IN_TRANSIT', 'RECEIVED', 'REJECTED', 'CANCELLED'] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

export type Verdict = 'GENUINE' | 'SUSPECT' | 'COUNTERFEIT';

/** In the order reasons are reported. */
export const REASON_CODES = [
  'UNKNOWN_PRODUCT',
  'UNKNOWN_SERIAL',
  'UNKNOWN_BATCH',
  'LOT_MISMATCH',
  'EXPIRY_MISMATCH',
  'EXPIRED',
  'RECALLED',
  'QUARANTINED',
  'ALREADY_DISPENSED',
  'DESTROYED',
  'STOLEN',
  'SAMPLE',
  'EXPORTED',
  'IN_TRANSIT',
  'NOT_IN_CUSTODY',
  'CLONE_SUSPECTED',
  // A receipt against the manifest (domain/manifest.ts): what the receiver did not find, or did not expect.
  'MISSING_IN_TRANSIT',
  'UNEXPECTED_IN_SHIPMENT',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export const EVENT_TYPES = [
  'COMMISSIONED',
  'PACKED',
  'UNPACKED',
  'SHIPPED',
  'RECEIVED',
  'REJECTED',
  'CANCELLED',
  'DISPENSED',
  'DISPENSE_UNDONE',
  'STATUS_CHANGED',
  'RECALLED',
  'QUARANTINED',
  'RELEASED',
  'ALERT',
  'SCANNED',
  'SCANNER_PROBLEM',
  'PRODUCT_REGISTERED',
  'ORG_ADMITTED',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** A custodian or actor: organisation (MSP ID) and location (GLN). */
export interface Party {
  msp: string;
  gln: string;
}

/** Who acted: organisation, location and the person (enrolment ID; absent on records made before users). */
export interface Agent extends Party {
  user?: string;
}

/** What a pack's code says. `expiry` is an ISO date (YYYY-MM-DD), DD=00 already resolved to month end. */
export interface PackCode {
  gtin: string;
  lot?: string;
  expiry?: string;
  serial?: string;
}

export interface ParsedCode extends PackCode {
  sscc?: string;
  form: 'digital-link' | 'element-string' | 'raw';
  /** Every other AI the code carries, by AI, as scanned (validated, not used by the verdict). */
  otherAis?: Record<string, string>;
}

/** One state change as the ledger records it and the chaincode emits it. */
export interface LedgerEvent {
  type: EventType;
  at: string;
  org: string;
  gln: string;
  /** The person who acted (enrolment ID). */
  user?: string;
  txId: string;
  gtin?: string;
  lot?: string;
  serial?: string;
  serials?: string[];
  serialCount?: number;
  sscc?: string;
  shipmentId?: string;
  /** A shipment's two parties, so each can follow it (the actor is `org`). */
  from?: Party;
  to?: Party;
  reasons?: ReasonCode[];
  /** SCANNER_PROBLEM: the scanner set-up faults that explain a scan's verdict. */
  hints?: ScanHint[];
  /** ALERT: the alert this occurrence counts on (its first transaction) and how many occurrences it has. */
  alertId?: string;
  count?: number;
  status?: string;
  reason?: string;
}
