// Composite-key object types, in one place. Index keys (value: one zero byte) lead with the attribute
// that is range-queried.
export const KEY = {
  org: 'org',
  product: 'product',
  batch: 'batch',
  unit: 'unit',
  /** gtin, lot, serial → index of a batch's unit keys (given serials, and chunk packs once materialized) */
  batchUnit: 'batchunit',
  /** gtin, prefix → the generated serials of one commissioning (SerialChunk); its existence claims the prefix */
  serialChunk: 'serials',
  /** gtin, lot, prefix → index of a batch's chunks */
  batchChunk: 'batchchunk',
  /** gtin, prefix → a given serial of generated shape took this prefix: no chunk may claim it */
  givenPrefix: 'givenprefix',
  /** msp, idempotency key → the commission made under it (CommissionRecord) */
  commission: 'commission',
  container: 'container',
  /** sscc, 'u'|'c', gtin+serial | sscc → index of a container's contents */
  content: 'content',
  shipment: 'shipment',
  /** msp, 'in'|'out', shipment id → index of an organisation's shipments */
  shipmentByOrg: 'shipidx',
  /** inverted time, tx id → alerts newest first */
  alert: 'alert',
  /** gtin, serial, msp, gln, reasons → the key of the latest alert with that fingerprint (de-duplication) */
  alertRef: 'alertref',
  /** gtin, serial, msp, gln → where and when a place last scanned a pack (clone evidence) */
  sighting: 'sighting',
  /** gtin, lot, time, tx id, n → a batch's events */
  batchEvent: 'bevent',
  /** terms record id → {from, to, termsHash, shipmentId?}: the public half of a shipment's private terms */
  terms: 'terms',
  /** sscc, time, tx id → a container's events */
  containerEvent: 'cevent',
} as const;

export const INDEX_VALUE = new Uint8Array([0]);
