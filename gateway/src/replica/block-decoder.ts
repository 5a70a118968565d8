import { common, ledger, peer } from '@hyperledger/fabric-protos';

/** One key written by a transaction: its new value, or a delete. */
export interface KeyWrite {
  key: string;
  /** undefined: the key was deleted. */
  value?: Uint8Array;
}

/** A valid transaction of the chaincode, as the replica applies it. */
export interface ValidTransaction {
  txId: string;
  /** Position in the block. */
  index: number;
  /** The transaction's (proposal's) time. */
  timestamp: Date;
  /** The chaincode's public writes, in write-set order (private data and its hashes are not read). */
  writes: KeyWrite[];
  /** The chaincode event, when the transaction set one. */
  event?: { name: string; payload: Uint8Array };
}

export interface DecodedBlock {
  number: number;
  transactions: ValidTransaction[];
}

const VALID = peer.TxValidationCode.VALID;

const timestampOf = (ts: { getSeconds(): number; getNanos(): number } | undefined): Date =>
  new Date(ts ? ts.getSeconds() * 1000 + Math.floor(ts.getNanos() / 1e6) : 0);

/**
 * The world-state writes and events of a full block's valid endorser transactions in one chaincode namespace,
 * in block order. Invalid transactions (MVCC conflicts, endorsement failures, duplicates) changed nothing on
 * the peer and are skipped here, by the validation codes the committing peer wrote into the block's metadata.
 */
export function decodeBlock(block: common.Block, chaincode: string): DecodedBlock {
  const number = Number(block.getHeader()?.getNumber() ?? 0);
  const filter = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER];
  const transactions: ValidTransaction[] = [];
  block
    .getData()
    ?.getDataList_asU8()
    .forEach((bytes, index) => {
      if (!filter || filter[index] !== VALID) return;
      const payload = common.Payload.deserializeBinary(
        common.Envelope.deserializeBinary(bytes).getPayload_asU8(),
      );
      const channelHeader = common.ChannelHeader.deserializeBinary(
        payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array(),
      );
      if (channelHeader.getType() !== common.HeaderType.ENDORSER_TRANSACTION) return;
      const tx = decodeTransaction(payload.getData_asU8(), chaincode);
      if (!tx) return;
      transactions.push({
        txId: channelHeader.getTxId(),
        index,
        timestamp: timestampOf(channelHeader.getTimestamp()),
        ...tx,
      });
    });
  return { number, transactions };
}

function decodeTransaction(
  bytes: Uint8Array,
  chaincode: string,
): Pick<ValidTransaction, 'writes' | 'event'> | undefined {
  const writes: KeyWrite[] = [];
  let event: ValidTransaction['event'];
  let touched = false;
  for (const action of peer.Transaction.deserializeBinary(bytes).getActionsList()) {
    const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
    const responsePayload = actionPayload.getAction()?.getProposalResponsePayload_asU8();
    if (!responsePayload) continue;
    const chaincodeAction = peer.ChaincodeAction.deserializeBinary(
      peer.ProposalResponsePayload.deserializeBinary(responsePayload).getExtension_asU8(),
    );
    const rwset = ledger.rwset.TxReadWriteSet.deserializeBinary(chaincodeAction.getResults_asU8());
    for (const ns of rwset.getNsRwsetList()) {
      if (ns.getNamespace() !== chaincode) continue;
      touched = true;
      for (const write of ledger.rwset.kvrwset.KVRWSet.deserializeBinary(
        ns.getRwset_asU8(),
      ).getWritesList()) {
        writes.push(
          write.getIsDelete()
            ? { key: write.getKey() }
            : { key: write.getKey(), value: write.getValue_asU8() },
        );
      }
    }
    const eventBytes = chaincodeAction.getEvents_asU8();
    if (eventBytes.length > 0) {
      const chaincodeEvent = peer.ChaincodeEvent.deserializeBinary(eventBytes);
      if (chaincodeEvent.getChaincodeId() === chaincode && chaincodeEvent.getEventName()) {
        touched = true;
        event = { name: chaincodeEvent.getEventName(), payload: chaincodeEvent.getPayload_asU8() };
      }
    }
  }
  return touched ? { writes, event } : undefined;
}
