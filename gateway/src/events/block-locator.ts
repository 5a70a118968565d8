import { Injectable } from '@nestjs/common';
import { common } from '@hyperledger/fabric-protos';
import { LedgerClient } from '../fabric/ledger-client';
import { ReplicaStore } from '../replica/replica-store';

/**
 * Which block committed a transaction. Chaincode cannot see block numbers: the replica knows every valid
 * transaction it has applied; one it has not reached yet is looked up once through the peer's query system
 * chaincode (qscc).
 */
@Injectable()
export class BlockLocator {
  constructor(
    private readonly replica: ReplicaStore,
    private readonly ledger: LedgerClient,
  ) {}

  async blockNumberOf(txId: string): Promise<number | null> {
    const indexed = await this.replica.blockOf(txId);
    if (indexed !== undefined) return indexed;
    try {
      const bytes = await this.ledger
        .network('listener')
        .getContract('qscc')
        .evaluateTransaction('GetBlockByTxID', this.ledger.channel, txId);
      return common.Block.deserializeBinary(bytes).getHeader()?.getNumber() ?? null;
    } catch {
      // Not known yet (or the peer is away): the history still answers, without this block number.
      return null;
    }
  }
}
