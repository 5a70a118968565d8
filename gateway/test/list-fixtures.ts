import { createCompositeKey } from '@drugtrace/chaincode/replica';
import { peer } from '@hyperledger/fabric-protos';
import { Database } from '../src/database/database';
import { decodeBlock } from '../src/replica/block-decoder';
import { ReplicaStore } from '../src/replica/replica-store';
import { blockOf, BlockTx } from './blocks';

// Shipments and alerts as the chaincode writes them, for the list tables' tests.

export const bytes = (doc: unknown) => new TextEncoder().encode(JSON.stringify(doc));
export const MVCC = peer.TxValidationCode.MVCC_READ_CONFLICT;
export const id = (n: number) => n.toString(16).padStart(64, '0');
export const time = (minute: number) => new Date(Date.UTC(2027, 0, 15, 9, minute)).toISOString();

export interface ShipmentDoc {
  id: string;
  from: { msp: string; gln: string };
  to: { msp: string; gln: string };
  status: string;
  createdAt: string;
  units: unknown[];
  containers: string[];
}

export function shipment(
  n: number,
  from: string,
  to: string,
  minute: number,
  status = 'IN_TRANSIT',
): ShipmentDoc {
  return {
    id: id(n),
    from: { msp: from, gln: '9506000010007' },
    to: { msp: to, gln: '9506000030005' },
    status,
    createdAt: time(minute),
    units: [{ gtin: '09506000134352', serial: `S${n}` }],
    containers: [],
  };
}

/** A shipment's writes as `shipments:Create` makes them: the document and the two index keys. */
export const created = (s: ShipmentDoc): BlockTx['writes'] => [
  { key: createCompositeKey('shipment', [s.id]), value: bytes(s) },
  { key: createCompositeKey('shipidx', [s.from.msp, 'out', s.id]), value: new Uint8Array([0]) },
  { key: createCompositeKey('shipidx', [s.to.msp, 'in', s.id]), value: new Uint8Array([0]) },
];

/** A settled shipment's write (receive, reject, cancel). */
export const settled = (s: ShipmentDoc, status: string): BlockTx['writes'] => [
  { key: createCompositeKey('shipment', [s.id]), value: bytes({ ...s, status }) },
];

/** An alert's key (inverted milliseconds, tx id: newest first) and document; `count` as a repeat writes it. */
/** An alert record; `n` keys it as one of a receipt's discrepancy alerts ([inverted, txId, n]). */
export function alert(minute: number, txId: string, org: string, count?: number, n?: number) {
  const at = time(minute);
  const inverted = String(9_999_999_999_999 - Date.parse(at)).padStart(13, '0');
  const doc = {
    id: txId,
    gtin: '09506000134352',
    serial: txId,
    reasons: ['UNKNOWN_SERIAL'],
    org,
    gln: '1',
    at,
    txId,
  };
  return {
    key: createCompositeKey(
      'alert',
      n === undefined ? [inverted, txId] : [inverted, txId, String(n).padStart(4, '0')],
    ),
    doc: count ? { ...doc, count, lastSeen: at } : doc,
  };
}

/** Applies blocks to a replica as its follower does: `apply(...txs)` is the next block, each tx its writes and code. */
export function blockApplier(db: Database, replica: ReplicaStore) {
  let block = 0;
  let tx = 0;
  return (...txs: { writes: BlockTx['writes']; code?: number }[]) =>
    db.transaction((t) =>
      replica.applyBlock(
        t,
        decodeBlock(
          blockOf(
            block++,
            txs.map((x) => ({ txId: `tx${++tx}`, timestamp: new Date(), ...x })),
          ),
          'drugtrace',
        ),
      ),
    );
}
