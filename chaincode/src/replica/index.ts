// A replica of the world state answering the contracts' query transactions (the gateway's read model).
import './quiet-logging';
export { batchOnReplica, custodyOnReplica, evaluateOnReplica, isQuery, ReplicaCaller } from './evaluate';
export type { Custody, Holder } from '../ledger/custody';
export { UnitGroup } from '../ledger/batch-counts';
export { ReadOnlyReplicaError, ReplicaStub } from './replica-stub';
export { KeyVersion, WorldStateReader } from './world-state';
export { compareKeys, createCompositeKey, splitCompositeKey } from '../ledger/composite-key';
export { KEY } from '../ledger/keys';
export { chunkUnit } from '../ledger/records';
export type * from '../ledger/models';
