import { common, ledger, peer } from '@hyperledger/fabric-protos';
// google-protobuf ships JavaScript only; fabric-protos builds its timestamps from this class.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Timestamp } = require('google-protobuf/google/protobuf/timestamp_pb') as {
  Timestamp: new () => { setSeconds(s: number): void; setNanos(n: number): void };
};

/** A transaction as a test puts it into a block. */
export interface BlockTx {
  txId: string;
  timestamp: Date;
  writes: { key: string; value?: Uint8Array }[];
  event?: { name: string; payload: Uint8Array };
  /** The namespace written (default drugtrace). */
  chaincode?: string;
  /** The committing peer's validation code (default VALID). */
  code?: number;
}

function envelopeOf(tx: BlockTx): Uint8Array {
  const chaincode = tx.chaincode ?? 'drugtrace';
  const kv = new ledger.rwset.kvrwset.KVRWSet();
  kv.setWritesList(
    tx.writes.map((w) => {
      const write = new ledger.rwset.kvrwset.KVWrite();
      write.setKey(w.key);
      if (w.value) write.setValue(w.value);
      else write.setIsDelete(true);
      return write;
    }),
  );
  const ns = new ledger.rwset.NsReadWriteSet();
  ns.setNamespace(chaincode);
  ns.setRwset(kv.serializeBinary());
  const rwset = new ledger.rwset.TxReadWriteSet();
  rwset.setNsRwsetList([ns]);
  const action = new peer.ChaincodeAction();
  action.setResults(rwset.serializeBinary());
  if (tx.event) {
    const event = new peer.ChaincodeEvent();
    event.setChaincodeId(chaincode);
    event.setTxId(tx.txId);
    event.setEventName(tx.event.name);
    event.setPayload(tx.event.payload);
    action.setEvents(event.serializeBinary());
  }
  const responsePayload = new peer.ProposalResponsePayload();
  responsePayload.setExtension$(action.serializeBinary());
  const endorsed = new peer.ChaincodeEndorsedAction();
  endorsed.setProposalResponsePayload(responsePayload.serializeBinary());
  const actionPayload = new peer.ChaincodeActionPayload();
  actionPayload.setAction(endorsed);
  const txAction = new peer.TransactionAction();
  txAction.setPayload(actionPayload.serializeBinary());
  const transaction = new peer.Transaction();
  transaction.setActionsList([txAction]);

  const timestamp = new Timestamp();
  timestamp.setSeconds(Math.floor(tx.timestamp.getTime() / 1000));
  timestamp.setNanos((tx.timestamp.getTime() % 1000) * 1_000_000);
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
  channelHeader.setTxId(tx.txId);
  channelHeader.setChannelId('drugtrace');
  channelHeader.setTimestamp(timestamp as never);
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(transaction.serializeBinary());
  const envelope = new common.Envelope();
  envelope.setPayload(payload.serializeBinary());
  return envelope.serializeBinary();
}

/** A full block as a peer delivers it, with its transactions' validation codes in the metadata. */
export function blockOf(number: number, txs: BlockTx[]): common.Block {
  const header = new common.BlockHeader();
  header.setNumber(number);
  const data = new common.BlockData();
  data.setDataList(txs.map(envelopeOf));
  const metadata = new common.BlockMetadata();
  const entries: Uint8Array[] = [
    new Uint8Array(),
    new Uint8Array(),
    new Uint8Array(),
    new Uint8Array(),
    new Uint8Array(),
  ];
  entries[common.BlockMetadataIndex.TRANSACTIONS_FILTER] = Uint8Array.from(
    txs.map((t) => t.code ?? peer.TxValidationCode.VALID),
  );
  metadata.setMetadataList(entries);
  const block = new common.Block();
  block.setHeader(header);
  block.setData(data);
  block.setMetadata(metadata);
  return block;
}
