import { batchAuthorityRefusal, refuse } from '../domain';
import { Caller } from './caller';
import { Batch } from './models';

/** The batch's manufacturer or the regulator. */
export function assertBatchAuthority(caller: Caller, batch: Batch): void {
  refuse(batchAuthorityRefusal(caller, batch));
}
