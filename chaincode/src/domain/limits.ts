// The limits the chaincode enforces and the gateway and pages check first: one copy of each.

/**
 * Given serials per commissioning request: each is a unit key with its own policy and index entry, so this is what
 * endorses and commits well within the gateway's write deadline (WRITE_TIMEOUT_MS 20 s, endorsement 15 s) on the
 * 2-core reference machine shared with other work — measured 1,000 in 3.4–5.5 s, 2,000 in 6.1–12.1 s, 4,000 in
 * 17 s (endorsement 15.5 s). Larger lots take several requests (the same lot and expiry append to the batch).
 */
export const MAX_COMMISSION_BATCH = 1000;

/**
 * Generated serials per commissioning request (`quantity`): one chunk key whatever the count (ledger/serial-chunks.ts),
 * so the bound is the chunk's size (~15 bytes a serial in the value, again in the answer) rather than keys.
 * See docs/DESIGN.md, "Serial sets in chunks", for the measurement behind it.
 */
export const MAX_GENERATED_BATCH = 10000;

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

/** Packs one prescription dispense may carry: what one pharmacy hands over at once, with room to spare. */
export const MAX_PRESCRIPTION_PACKS = 100;

/** Packs one page of an organisation's packs of a batch answers (my-packs). */
export const MAX_MY_PACKS_PAGE = 500;
export const DEFAULT_MY_PACKS_PAGE = 100;

/** Batches one page of the list of batches answers, each with its counts. */
export const MAX_BATCHES_PAGE = 50;
export const DEFAULT_BATCHES_PAGE = 20;
