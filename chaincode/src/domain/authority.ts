import { DomainError } from './errors';
import { REVERT_WINDOW_DAYS, RevertInput } from './state-machines';
import { BatchStatus, Party, Role, UnitState } from './types';

// "Who may": pure predicates the chaincode enforces, the gateway's guards check first and the pages use to
// offer an action. A rule answers why it refuses (a DomainError with its stable code), or undefined.

/** Who acts: an organisation (MSP ID) and its role in the registry. */
export interface Actor {
  msp: string;
  role: Role;
}

/** The roles that may take each role-gated action; the other rules of the action come on top. */
export const ACTION_ROLES = {
  admitOrganisation: ['REGULATOR'],
  registerProduct: ['MANUFACTURER'],
  commission: ['MANUFACTURER'],
  printLabels: ['MANUFACTURER'],
  /** Status, serial list and event trail of a batch: its own manufacturer or the regulator (batch-authority.ts). */
  manageBatch: ['MANUFACTURER', 'REGULATOR'],
  /** Dispensing a pack and undoing it. */
  dispense: ['PHARMACY'],
  readAlerts: ['REGULATOR'],
} as const satisfies Record<string, readonly Role[]>;
export type RoleGatedAction = keyof typeof ACTION_ROLES;

export function roleRefusal(actor: Actor, action: RoleGatedAction): DomainError | undefined {
  const roles: readonly Role[] = ACTION_ROLES[action];
  if (roles.includes(actor.role)) return undefined;
  return new DomainError('FORBIDDEN', `${actor.msp} is ${actor.role}; this needs ${roles.join(' or ')}`);
}

/** What the dispense rules read of a pack. */
export interface DispensablePack {
  gtin: string;
  serial: string;
  lot: string;
  expiry: string;
  state: UnitState;
}

/**
 * A pharmacy dispenses an active pack of a released batch that has not expired (`today` an ISO date); that
 * it holds the pack is the custody rule the ledger checks on top.
 */
export function dispenseRefusal(
  actor: Actor,
  pack: DispensablePack,
  batchStatus: BatchStatus,
  today: string,
): DomainError | undefined {
  const name = `unit ${pack.gtin}/${pack.serial}`;
  return (
    roleRefusal(actor, 'dispense') ??
    (pack.state !== 'ACTIVE' ? new DomainError('CONFLICT', `${name} is ${pack.state}`) : undefined) ??
    (batchStatus !== 'RELEASED'
      ? new DomainError('CONFLICT', `batch ${pack.gtin}/${pack.lot} is ${batchStatus}`)
      : undefined) ??
    (pack.expiry < today ? new DomainError('CONFLICT', `${name} expired on ${pack.expiry}`) : undefined)
  );
}

export const mayDispense = (...args: Parameters<typeof dispenseRefusal>): boolean =>
  dispenseRefusal(...args) === undefined;

/** Undoing a dispense: a pharmacy, a dispensed pack, then the revert rule (revertRefusal). */
export function undoDispenseRefusal(
  actor: Actor,
  pack: Pick<DispensablePack, 'gtin' | 'serial' | 'state'>,
): DomainError | undefined {
  return (
    roleRefusal(actor, 'dispense') ??
    (pack.state !== 'DISPENSED'
      ? new DomainError('CONFLICT', `unit ${pack.gtin}/${pack.serial} is ${pack.state}, not DISPENSED`)
      : undefined)
  );
}

export const mayUndoDispense = (...args: Parameters<typeof undoDispenseRefusal>): boolean =>
  undoDispenseRefusal(...args) === undefined;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Back to ACTIVE: only a revertible state, only by the organisation and location that set it, within that
 * state's window (REVERT_WINDOW_DAYS), never once the pack has expired or its batch is recalled.
 */
export function revertRefusal(input: RevertInput): DomainError | undefined {
  const { state, changedAt, changedBy, caller, now, expiry, batchStatus } = input;
  const days = (REVERT_WINDOW_DAYS as Partial<Record<UnitState, number>>)[state];
  if (days === undefined) return new DomainError('CONFLICT', `a ${state} pack cannot be reverted to ACTIVE`);
  if (!changedBy || !changedAt) return new DomainError('CONFLICT', 'the pack has no decommissioning record');
  if (changedBy.msp !== caller.msp || changedBy.gln !== caller.gln) {
    return new DomainError(
      'FORBIDDEN',
      'only the organisation and location that decommissioned the pack may revert it',
    );
  }
  if (Date.parse(now) - Date.parse(changedAt) > days * DAY_MS)
    return new DomainError('CONFLICT', `more than ${days} days since the pack was ${state}`);
  if (expiry < now.slice(0, 10)) return new DomainError('CONFLICT', 'the pack has expired');
  if (batchStatus === 'RECALLED') return new DomainError('CONFLICT', 'the batch is recalled');
  return undefined;
}

export const mayRevert = (input: RevertInput): boolean => revertRefusal(input) === undefined;

/** The sender cancels a shipment in transit; the receiver receives or rejects it. */
export function shipmentActionRefusal(
  actor: Pick<Actor, 'msp'>,
  shipment: { id: string; from: Party; to: Party },
  action: 'RECEIVE' | 'REJECT' | 'CANCEL',
): DomainError | undefined {
  const [who, party] = action === 'CANCEL' ? ['sender', shipment.from.msp] : ['receiver', shipment.to.msp];
  if (actor.msp === party) return undefined;
  return new DomainError(
    'FORBIDDEN',
    `only the ${who} (${party}) may ${action.toLowerCase()} shipment ${shipment.id}`,
  );
}

/** A shipment is read by its two parties and the regulator. */
export function shipmentReadRefusal(
  actor: Actor,
  shipment: { id: string; from: Party; to: Party },
): DomainError | undefined {
  if ([shipment.from.msp, shipment.to.msp].includes(actor.msp) || actor.role === 'REGULATOR')
    return undefined;
  return new DomainError('FORBIDDEN', `shipment ${shipment.id} is between other organisations`);
}

/** A manufacturer commissions packs of its own products only. */
export function productOwnerRefusal(
  actor: Actor,
  product: { gtin: string; manufacturer: string },
): DomainError | undefined {
  return (
    roleRefusal(actor, 'commission') ??
    (product.manufacturer !== actor.msp
      ? new DomainError('FORBIDDEN', `product ${product.gtin} belongs to ${product.manufacturer}`)
      : undefined)
  );
}

/** Throws the refusal, if any: how the chaincode applies a rule. */
export function refuse(refusal: DomainError | undefined): void {
  if (refusal) throw refusal;
}
