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
 * EU FMD (Delegated Regulation 2016/161, Art. 13): a decommissioned pack may be reverted to ACTIVE only
 * by the same party at the same place within 10 days, and never when it was decommissioned as stolen
 * or destroyed.
 */
export const REVERSIBLE_STATES: readonly UnitState[] = ['DISPENSED', 'SAMPLE', 'EXPORTED'];
export const UNDO_DISPENSE_WINDOW_DAYS = 10;
const WINDOW_MS = UNDO_DISPENSE_WINDOW_DAYS * 24 * 60 * 60 * 1000;

export function assertUnitTransition(from: UnitState, to: UnitState): void {
  if (from === to) throw new DomainError('CONFLICT', `the pack is already ${from}`, 'STATUS_ALREADY_SET');
  if (from === 'ACTIVE') return;
  if (to === 'ACTIVE' && REVERSIBLE_STATES.includes(from)) return;
  throw new DomainError('CONFLICT', `a ${from} pack cannot become ${to}`);
}

export interface RevertInput {
  state: UnitState;
  changedAt?: string;
  changedBy?: Party;
  caller: Party;
  now: string;
  expiry: string;
  batchStatus: BatchStatus;
}

export function assertCanRevert(input: RevertInput): void {
  const { state, changedAt, changedBy, caller, now, expiry, batchStatus } = input;
  if (!REVERSIBLE_STATES.includes(state))
    throw new DomainError('CONFLICT', `a ${state} pack cannot be reverted to ACTIVE`);
  if (!changedBy || !changedAt) throw new DomainError('CONFLICT', 'the pack has no decommissioning record');
  if (changedBy.msp !== caller.msp || changedBy.gln !== caller.gln) {
    throw new DomainError(
      'FORBIDDEN',
      'only the organisation and location that decommissioned the pack may revert it',
      'UNDO_OTHER_PARTY',
    );
  }
  if (Date.parse(now) - Date.parse(changedAt) > WINDOW_MS) {
    throw new DomainError(
      'CONFLICT',
      `more than ${UNDO_DISPENSE_WINDOW_DAYS} days since the pack was ${state}`,
      'UNDO_WINDOW_PASSED',
    );
  }
  if (expiry < now.slice(0, 10)) throw new DomainError('CONFLICT', 'the pack has expired');
  if (batchStatus === 'RECALLED') throw new DomainError('CONFLICT', 'the batch is recalled');
}

export type ShipmentAction = 'RECEIVE' | 'REJECT' | 'CANCEL';

export function nextShipmentStatus(from: ShipmentStatus, action: ShipmentAction): ShipmentStatus {
  if (from !== 'IN_TRANSIT') throw new DomainError('CONFLICT', `the shipment is already ${from}`);
  return action === 'RECEIVE' ? 'RECEIVED' : action === 'REJECT' ? 'REJECTED' : 'CANCELLED';
}
