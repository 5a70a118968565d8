// The limits the chaincode enforces and the gateway and pages check first: one copy of each.

/** A reason given for a recall, quarantine, release, rejection or unit state change. */
export const REASON_MAX_LENGTH = 500;

/** Goods moved by one shipment or packed into one container: packs and containers together. */
export const MAX_GOODS_PER_MOVE = 1000;

/** Alerts read at once. */
export const MAX_ALERTS_PER_READ = 1000;
export const DEFAULT_ALERTS_PER_READ = 100;

/** Serials per page of a batch's serial list. */
export const MAX_SERIAL_PAGE = 10000;

/** Shipments a list answers, newest first. */
export const MAX_SHIPMENT_LIST = 200;
