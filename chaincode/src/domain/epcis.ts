import { createHash } from 'node:crypto';
import { EventType, LedgerEvent } from './types';

const ID = 'https://id.gs1.org';
const CBV = 'https://ref.gs1.org/cbv';

interface Mapping {
  eventType: 'ObjectEvent' | 'AggregationEvent';
  action: 'ADD' | 'OBSERVE' | 'DELETE';
  bizStep: string;
  disposition?: string;
}

// Core Business Vocabulary 2.0 business steps and dispositions for each ledger event type.
const MAPPINGS: Record<EventType, Mapping> = {
  COMMISSIONED: { eventType: 'ObjectEvent', action: 'ADD', bizStep: 'commissioning', disposition: 'active' },
  PACKED: { eventType: 'AggregationEvent', action: 'ADD', bizStep: 'packing', disposition: 'in_progress' },
  UNPACKED: {
    eventType: 'AggregationEvent',
    action: 'DELETE',
    bizStep: 'unpacking',
    disposition: 'in_progress',
  },
  SHIPPED: { eventType: 'ObjectEvent', action: 'OBSERVE', bizStep: 'shipping', disposition: 'in_transit' },
  RECEIVED: { eventType: 'ObjectEvent', action: 'OBSERVE', bizStep: 'receiving', disposition: 'in_progress' },
  REJECTED: { eventType: 'ObjectEvent', action: 'OBSERVE', bizStep: 'receiving', disposition: 'rejected' },
  CANCELLED: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'void_shipping',
    disposition: 'in_progress',
  },
  DISPENSED: { eventType: 'ObjectEvent', action: 'OBSERVE', bizStep: 'dispensing', disposition: 'dispensed' },
  DISPENSE_UNDONE: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'dispensing',
    disposition: 'active',
  },
  STATUS_CHANGED: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'decommissioning',
    disposition: 'inactive',
  },
  RECALLED: { eventType: 'ObjectEvent', action: 'OBSERVE', bizStep: 'holding', disposition: 'recalled' },
  QUARANTINED: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'holding',
    disposition: 'non_sellable_other',
  },
  RELEASED: { eventType: 'ObjectEvent', action: 'OBSERVE', bizStep: 'holding', disposition: 'active' },
  ALERT: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'inspecting',
    disposition: 'needs_replacement',
  },
  SCANNED: { eventType: 'ObjectEvent', action: 'OBSERVE', bizStep: 'inspecting' },
  SCANNER_PROBLEM: { eventType: 'ObjectEvent', action: 'OBSERVE', bizStep: 'inspecting' },
  PRODUCT_REGISTERED: { eventType: 'ObjectEvent', action: 'OBSERVE', bizStep: 'commissioning' },
  ORG_ADMITTED: { eventType: 'ObjectEvent', action: 'OBSERVE', bizStep: 'inspecting' },
};

const sgtin = (gtin: string, serial: string): string => `${ID}/01/${gtin}/21/${encodeURIComponent(serial)}`;

function epcsOf(event: LedgerEvent): { epcList: string[]; quantityList: object[] } {
  const serials = event.serials ?? (event.serial ? [event.serial] : []);
  const epcList = event.gtin ? serials.map((s) => sgtin(event.gtin as string, s)) : [];
  if (event.sscc) epcList.push(`${ID}/00/${event.sscc}`);
  // Counted, not listed, when the ledger event only says how many packs a lot had (e.g. a recall).
  const quantityList =
    epcList.length === 0 && event.gtin && event.lot
      ? [
          {
            epcClass: `${ID}/01/${event.gtin}/10/${encodeURIComponent(event.lot)}`,
            quantity: event.serialCount ?? 0,
          },
        ]
      : [];
  return { epcList, quantityList };
}

/** One EPCIS 2.0 event; its eventID is a hash of the ledger event, so repeated exports agree. */
export function toEpcisEvent(event: LedgerEvent): Record<string, unknown> {
  const mapping = MAPPINGS[event.type];
  const { epcList, quantityList } = epcsOf(event);
  const hash = createHash('sha256')
    .update(`${event.txId}:${event.type}:${event.sscc ?? ''}:${event.serial ?? ''}`)
    .digest('hex');
  const location = { id: `${ID}/414/${event.gln}` };
  const out: Record<string, unknown> = {
    type: mapping.eventType,
    eventID: `ni:///sha-256;${hash}?ver=CBV2.0`,
    eventTime: event.at,
    eventTimeZoneOffset: '+00:00',
    action: mapping.action,
    bizStep: `${CBV}/BizStep-${mapping.bizStep}`,
    readPoint: location,
    bizLocation: location,
    'drugtrace:txId': event.txId,
    'drugtrace:org': event.org,
  };
  if (event.user) out['drugtrace:user'] = event.user;
  if (mapping.disposition) out.disposition = `${CBV}/Disp-${mapping.disposition}`;
  if (mapping.eventType === 'AggregationEvent' && event.sscc) {
    out.parentID = `${ID}/00/${event.sscc}`;
    out.childEPCs = epcList.filter((e) => !e.includes('/00/'));
  } else {
    if (epcList.length) out.epcList = epcList;
    if (quantityList.length) out.quantityList = quantityList;
  }
  if (event.reasons?.length) out['drugtrace:reasons'] = event.reasons;
  if (event.shipmentId)
    out.bizTransactionList = [
      { type: `${CBV}/BTT-desadv`, bizTransaction: `urn:drugtrace:shipment:${event.shipmentId}` },
    ];
  return out;
}

/** An EPCISDocument (JSON-LD) with the events of one batch, oldest first. */
export function toEpcisDocument(
  events: LedgerEvent[],
  opts: { gtin: string; lot: string; createdAt: string },
): object {
  return {
    '@context': [
      'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
      { drugtrace: 'https://drugtrace.example/epcis/' },
    ],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: opts.createdAt,
    'drugtrace:batch': { gtin: opts.gtin, lot: opts.lot },
    epcisBody: { eventList: [...events].sort((a, b) => a.at.localeCompare(b.at)).map(toEpcisEvent) },
  };
}
