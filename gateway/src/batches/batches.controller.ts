import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@drugtrace/chaincode/domain';
import { Caller } from '../auth/caller';
import { CurrentCaller, Roles } from '../auth/decorators';
import { GtinPipe, LotPipe } from '../common/gs1-params';
import { LedgerClient } from '../fabric/ledger-client';
import { BatchResponse, CommissionBatchDto, CommissionResponse, StatusChangeDto } from './batch.dto';

@ApiTags('batches')
@ApiBearerAuth()
@Controller('v1/batches')
export class BatchesController {
  constructor(private readonly ledger: LedgerClient) {}

  @Post()
  @Roles('MANUFACTURER')
  @ApiCreatedResponse({ type: CommissionResponse })
  async commission(@CurrentCaller() caller: Caller, @Body() body: CommissionBatchDto): Promise<CommissionResponse> {
    if ((body.serials === undefined) === (body.quantity === undefined)) throw new DomainError('INVALID', 'give either serials or quantity');
    return (await this.ledger.submit<CommissionResponse>(caller, 'batches', 'Commission', JSON.stringify(body))).result;
  }

  @Get(':gtin/:lot')
  @ApiOkResponse({ type: BatchResponse })
  async get(@CurrentCaller() caller: Caller, @Param('gtin', GtinPipe) gtin: string, @Param('lot', LotPipe) lot: string): Promise<BatchResponse> {
    return this.ledger.evaluate<BatchResponse>(caller, 'batches', 'Get', gtin, lot);
  }

  @Post(':gtin/:lot/recall')
  @HttpCode(200)
  @Roles('MANUFACTURER', 'REGULATOR')
  @ApiOkResponse({ type: BatchResponse })
  async recall(@CurrentCaller() caller: Caller, @Param('gtin', GtinPipe) gtin: string, @Param('lot', LotPipe) lot: string, @Body() body: StatusChangeDto): Promise<BatchResponse> {
    return this.#changeStatus(caller, gtin, lot, 'Recall', body.reason);
  }

  @Post(':gtin/:lot/quarantine')
  @HttpCode(200)
  @Roles('MANUFACTURER', 'REGULATOR')
  @ApiOkResponse({ type: BatchResponse })
  async quarantine(@CurrentCaller() caller: Caller, @Param('gtin', GtinPipe) gtin: string, @Param('lot', LotPipe) lot: string, @Body() body: StatusChangeDto): Promise<BatchResponse> {
    return this.#changeStatus(caller, gtin, lot, 'Quarantine', body.reason);
  }

  @Post(':gtin/:lot/release')
  @HttpCode(200)
  @Roles('MANUFACTURER', 'REGULATOR')
  @ApiOkResponse({ type: BatchResponse })
  async release(@CurrentCaller() caller: Caller, @Param('gtin', GtinPipe) gtin: string, @Param('lot', LotPipe) lot: string, @Body() body: StatusChangeDto): Promise<BatchResponse> {
    return this.#changeStatus(caller, gtin, lot, 'Release', body.reason);
  }

  async #changeStatus(caller: Caller, gtin: string, lot: string, tx: 'Recall' | 'Quarantine' | 'Release', reason: string): Promise<BatchResponse> {
    return (await this.ledger.submit<BatchResponse>(caller, 'batches', tx, gtin, lot, reason)).result;
  }
}
