import type { Actor } from './authority';
import { DomainError } from './errors';
import { BatchStatus, Role } from './types';

/** What the "who may" rules of a batch read. */
export interface BatchAuthorityView {
  gtin: string;
  lot: string;
  manufacturer: string;
  status: BatchStatus;
  /** The role of the organisation that set the current status; absent while the batch has its first status. */
  statusByRole?: Role;
}

/** Statuses that, once the regulator has set them, only the regulator may change. */
export const REGULATOR_HELD_STATUSES: readonly BatchStatus[] = ['QUARANTINED', 'RECALLED'];

/** The batch's own manufacturer and the regulator manage a batch (status, serial list, event trail). */
export function isBatchAuthority(actor: Actor, batch: Pick<BatchAuthorityView, 'manufacturer'>): boolean {
  return actor.role === 'REGULATOR' || (actor.role === 'MANUFACTURER' && actor.msp === batch.manufacturer);
}

/** Why `actor` may not manage the batch, or undefined when it may. */
export function batchAuthorityRefusal(
  actor: Actor,
  batch: Pick<BatchAuthorityView, 'gtin' | 'lot' | 'manufacturer'>,
): DomainError | undefined {
  if (isBatchAuthority(actor, batch)) return undefined;
  return new DomainError(
    'FORBIDDEN',
    `only ${batch.manufacturer} or the regulator may manage batch ${batch.gtin}/${batch.lot}`,
  );
}

/**
 * Why `actor` may not change the batch's status, or undefined when it may: a batch authority may, except
 * that a quarantine or recall the regulator ordered is the regulator's to lift (a manufacturer releasing
 * its own batch from the regulator's quarantine would void the regulator's decision).
 */
export function batchStatusRefusal(actor: Actor, batch: BatchAuthorityView): DomainError | undefined {
  const refusal = batchAuthorityRefusal(actor, batch);
  if (refusal) return refusal;
  if (
    actor.role !== 'REGULATOR' &&
    batch.statusByRole === 'REGULATOR' &&
    REGULATOR_HELD_STATUSES.includes(batch.status)
  ) {
    return new DomainError(
      'FORBIDDEN',
      `batch ${batch.gtin}/${batch.lot} was ${batch.status} by the regulator; only the regulator may change its status`,
    );
  }
  return undefined;
}

export function mayChangeBatchStatus(actor: Actor, batch: BatchAuthorityView): boolean {
  return batchStatusRefusal(actor, batch) === undefined;
}
