import { Controller, Get, Injectable, Param, PipeTransform } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@drugtrace/chaincode/domain';
import { Caller } from '../auth/caller';
import { CurrentCaller } from '../auth/decorators';
import { TransactionStatusResponse } from './transaction.dto';
import { TransactionsService } from './transactions.service';

/** Fabric transaction IDs are SHA-256 hashes: 64 lowercase hexadecimal characters. */
@Injectable()
class TxIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^[0-9a-f]{64}$/.test(value))
      throw new DomainError('INVALID', 'a transaction id is 64 lowercase hexadecimal characters');
    return value;
  }
}

@ApiTags('transactions')
@ApiBearerAuth()
@Controller('v1/transactions')
export class TransactionsController {
  constructor(private readonly transactions: TransactionsService) {}

  /** Any member: a write answered 503 COMMIT_TIMEOUT names its txId, and this says whether it committed. */
  @Get(':txId')
  @ApiOkResponse({ type: TransactionStatusResponse })
  get(
    @CurrentCaller() caller: Caller,
    @Param('txId', TxIdPipe) txId: string,
  ): Promise<TransactionStatusResponse> {
    return this.transactions.status(caller, txId);
  }
}
