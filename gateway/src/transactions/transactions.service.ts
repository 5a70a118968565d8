import { Injectable } from '@nestjs/common';
import { StatusCode } from '@hyperledger/fabric-gateway';
import { Caller } from '../auth/caller';
import { validationCodeName } from '../fabric/fabric-errors';
import { LedgerClient } from '../fabric/ledger-client';
import { TransactionStatusResponse } from './transaction.dto';

/** How long the caller's peer may wait for a commit it has not seen before the answer is UNKNOWN. */
export const STATUS_WAIT_MS = 1000;

/** Whether a transaction committed, as the caller's own peer knows it: for a write answered COMMIT_TIMEOUT. */
@Injectable()
export class TransactionsService {
  constructor(private readonly ledger: LedgerClient) {}

  async status(caller: Caller, txId: string): Promise<TransactionStatusResponse> {
    const committed = await this.ledger.transactionStatus(caller, txId, STATUS_WAIT_MS);
    if (!committed) return { txId, status: 'UNKNOWN' };
    return {
      txId,
      status: committed.code === StatusCode.VALID ? 'COMMITTED' : 'INVALID',
      blockNumber: Number(committed.blockNumber),
      validationCode: validationCodeName(committed.code),
    };
  }
}
