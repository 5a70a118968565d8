import { DomainError } from './errors';
import { BatchStatus, Party, ShipmentStatus, UnitState } from './types';

export type BatchAction = 'RECALL' | 'QUARANTINE' | 'RELEASE';

/** RECALLED is final: a recalled batch never returns to the market. */
export function nextBatchStatus(from: BatchStatus, action: BatchAction): BatchStatus {
  if (from === 'RECALLED')
    throw new DomainError('CONFLICT', 'the batch is recalled; its status can no longer change');
  const to: BatchStatus =
    action === 'RECALL' ? 'RECALLED' : action === 'QUARANTINE' ? 'QUARANTINED' : 'RELEASED';
  if (to === from) throw new DomainError('CONFLICT', `the batch is already ${from}`);
  return to;
}

/** Inactive states a custodian may set directly (dispensing has its own transaction). */
export const SETTABLE_STATES: readonly UnitState[] = ['DESTROYED', 'STOLEN', 'SAMPLE', 'EXPORTED'];

/**
 * How many days after a pack was decommissioned its decommissioning may be reverted to ACTIVE, per revertible
 * state; stolen and destroyed packs never return. EU FMD (Delegated Regulation 2016/161, Art. 13) sets ten
 * days for each: undoing a dispense, taking back a sample, reverting an export are three rules that agree.
 */
export const REVERT_WINDOW_DAYS = { DISPENSED: 10, SAMPLE: 10, EXPORTED: 10 } as const satisfies Partial<
  Record<UnitState, number>
>;
export const REVERSIBLE_STATES = Object.keys(REVERT_WINDOW_DAYS) as readonly UnitState[];

export function assertUnitTransition(from: UnitState, to: UnitState): void {
  if (from === to) throw new DomainError('CONFLICT', `the pack is already ${from}`);
  if (from === 'ACTIVE') return;
  if (to === 'ACTIVE' && REVERSIBLE_STATES.includes(from)) return;
  throw new DomainError('CONFLICT', `a ${from} pack cannot become ${to}`);
}

/** What the revert rule (authority.ts revertRefusal) reads. */
export interface RevertInput {
  state: UnitState;
  changedAt?: string;
  changedBy?: Party;
  caller: Party;
  now: string;
  expiry: string;
  batchStatus: BatchStatus;
}

export type ShipmentAction = 'RECEIVE' | 'REJECT' | 'CANCEL';

export function nextShipmentStatus(from: ShipmentStatus, action: ShipmentAction): ShipmentStatus {
  if (from !== 'IN_TRANSIT') throw new DomainError('CONFLICT', `the shipment is already ${from}`);
  return action === 'RECEIVE' ? 'RECEIVED' : action === 'REJECT' ? 'REJECTED' : 'CANCELLED';
}
