import { Caller } from '../auth/caller';
import { IndexedEvent } from './event-store';

/** What every member must hear at once: a batch recalled, held or released, a product registered. */
const BROADCAST: ReadonlySet<string> = new Set(['RECALLED', 'QUARANTINED', 'RELEASED', 'PRODUCT_REGISTERED']);

const mspOf = (party: unknown): string | undefined =>
  typeof party === 'object' && party !== null ? String((party as { msp?: unknown }).msp) : undefined;

/**
 * Whether a member may see a ledger event on the stream. The regulator sees everything; batch status
 * changes go to all; any other event (commissioned serials, shipments, dispenses, alerts) only to the
 * organisations it concerns: the one that acted and a shipment's sender and receiver.
 */
export function visibleTo(caller: Caller, event: IndexedEvent): boolean {
  if (caller.role === 'REGULATOR' || BROADCAST.has(event.type)) return true;
  const { org, from, to } = event.payload;
  return [org, mspOf(from), mspOf(to)].includes(caller.mspId);
}
