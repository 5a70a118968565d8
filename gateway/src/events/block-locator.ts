import { Injectable } from '@nestjs/common';
import { common } from '@hyperledger/fabric-protos';
import { LedgerClient } from '../fabric/ledger-client';
import { EventStore } from './event-store';

/**
 * Which block committed a transaction. Chaincode cannot see block numbers: the event index knows every
 * transaction it has applied; one it has not reached yet is looked up once through the peer's query
 * system chaincode (qscc).
 */
@Injectable()
export class BlockLocator {
  constructor(
    private readonly store: EventStore,
    private readonly ledger: LedgerClient,
  ) {}

  async blockNumberOf(txId: string): Promise<number | null> {
    const indexed = this.store.blockOf(txId);
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
