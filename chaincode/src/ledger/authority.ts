import { batchAuthorityRefusal, DomainError } from '../domain';
import { Caller } from './caller';
import { Batch } from './models';

/** A domain refusal ("who may") as the chaincode's FORBIDDEN error; nothing when the rule allows. */
export function refuseIf(refusal: string | undefined): void {
  if (refusal !== undefined) throw new DomainError('FORBIDDEN', refusal);
}

/** The batch's manufacturer or the regulator. */
export function assertBatchAuthority(caller: Caller, batch: Batch): void {
  refuseIf(batchAuthorityRefusal(caller, batch));
}
