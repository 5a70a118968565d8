import { DomainError, Party } from '../domain';
import { KEY } from './keys';
import { Container, Unit } from './models';
import { Store } from './store';

export interface Custody {
  custodian: Party;
  inTransit: boolean;
  shipmentId?: string;
  /** The outermost container, when packed. */
  top?: string;
  /** The shipment it (or its outermost container) was reported missing from. */
  missingInTransit?: string;
}

/** How deep containers may nest (pack, case, pallet, … ); Pack refuses deeper, so custody is always readable. */
export const MAX_NESTING = 8;

/** What custody is read from: a unit or container, or a group of units that share these (the read model's). */
export type Holder = Pick<Unit | Container, 'custodian' | 'parent' | 'shipmentId' | 'missingInTransit'>;

/**
 * Packed goods travel with their container: the custodian of a unit or container inside another is the
 * outermost container's. That keeps shipping a pallet O(1) in keys written, whatever it holds.
 */
export async function custodyOf(store: Store, item: Holder): Promise<Custody> {
  let current: Holder = item;
  let top: string | undefined;
  let missingInTransit = item.missingInTransit;
  for (let depth = 0; current.parent; depth++) {
    if (depth >= MAX_NESTING) throw new DomainError('CONFLICT', 'containers nested too deep');
    top = current.parent;
    current = await store.get<Container>(KEY.container, [current.parent], `container ${current.parent}`);
    missingInTransit ??= current.missingInTransit;
  }
  return {
    custodian: current.custodian,
    inTransit: !!current.shipmentId,
    shipmentId: current.shipmentId,
    top,
    missingInTransit,
  };
}

/**
 * The caller's organisation must hold the goods, and they must not be in transit. Holding is a state of
 * the ledger, not a permission: both refusals are CONFLICT (409), as the API lists "not the custodian" (README, "Dependency choices").
 */
export function assertHolds(
  holder: { custodian: Party; shipmentId?: string },
  msp: string,
  what: string,
): void {
  if (holder.custodian.msp !== msp)
    throw new DomainError('CONFLICT', `${what} is held by ${holder.custodian.msp}, not ${msp}`);
  if (holder.shipmentId)
    throw new DomainError('CONFLICT', `${what} is in transit (shipment ${holder.shipmentId})`);
}
