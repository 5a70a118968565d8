import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Injectable,
  Param,
  PipeTransform,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { BatchAction, DomainError } from '@drugtrace/chaincode/domain';
import { Caller } from '../auth/caller';
import { Allowed, CurrentCaller } from '../auth/decorators';
import { GtinPipe, LotPipe } from '../common/gs1-params';
import {
  BatchListQuery,
  BatchListResponse,
  BatchResponse,
  CommissionBatchDto,
  CommissionResponse,
  MyPacksQuery,
  MyPacksResponse,
  StatusChangeDto,
} from './batch.dto';
import { BatchListsService } from './batch-lists.service';
import { BatchesService } from './batches.service';

const ACTIONS: Readonly<Record<string, BatchAction>> = {
  recall: 'RECALL',
  quarantine: 'QUARANTINE',
  release: 'RELEASE',
};

/** `recall` / `quarantine` / `release` in the path to the batch action; anything else is no such route. */
@Injectable()
class BatchActionPipe implements PipeTransform<string, BatchAction> {
  transform(value: string): BatchAction {
    if (!Object.hasOwn(ACTIONS, value)) throw new DomainError('NOT_FOUND', `no batch action "${value}"`);
    return ACTIONS[value];
  }
}

@ApiTags('batches')
@ApiBearerAuth()
@Controller('v1/batches')
export class BatchesController {
  constructor(
    private readonly batches: BatchesService,
    private readonly lists: BatchListsService,
  ) {}

  /** The manufacturer's own batches with their counts (the regulator: every batch), from the read model. */
  @Get()
  @Allowed('manageBatch')
  @ApiOkResponse({ type: BatchListResponse })
  list(@CurrentCaller() caller: Caller, @Query() query: BatchListQuery): Promise<BatchListResponse> {
    return this.lists.batches(caller, query.limit, query.cursor);
  }

  /** The caller's organisation's packs of the batch, a page at a time: where a RECALL_NOTICE points. */
  @Get(':gtin/:lot/my-packs')
  @ApiOkResponse({ type: MyPacksResponse })
  myPacks(
    @CurrentCaller() caller: Caller,
    @Param('gtin', GtinPipe) gtin: string,
    @Param('lot', LotPipe) lot: string,
    @Query() query: MyPacksQuery,
  ): Promise<MyPacksResponse> {
    return this.lists.myPacks(caller, gtin, lot, query.limit, query.cursor, query.state);
  }

  @Post()
  @Allowed('commission')
  @ApiCreatedResponse({ type: CommissionResponse })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'chosen by the client (1-128 of A-Z a-z 0-9 . _ : / -): a repeat of the same request answers the first ' +
      'result (replayed: true) and writes nothing; another request under the key is 409. Repeat a commission ' +
      'whose answer was 503 COMMIT_TIMEOUT, or a page of a large lot, under its key.',
  })
  commission(
    @CurrentCaller() caller: Caller,
    @Body() body: CommissionBatchDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<CommissionResponse> {
    return this.batches.commission(caller, body, idempotencyKey);
  }

  @Get(':gtin/:lot')
  @ApiOkResponse({ type: BatchResponse })
  get(
    @CurrentCaller() caller: Caller,
    @Param('gtin', GtinPipe) gtin: string,
    @Param('lot', LotPipe) lot: string,
  ): Promise<BatchResponse> {
    return this.batches.get(caller, gtin, lot);
  }

  @Post(':gtin/:lot/:action')
  @HttpCode(200)
  @Allowed('manageBatch')
  @ApiParam({ name: 'action', enum: Object.keys(ACTIONS) })
  @ApiOkResponse({ type: BatchResponse })
  changeStatus(
    @CurrentCaller() caller: Caller,
    @Param('gtin', GtinPipe) gtin: string,
    @Param('lot', LotPipe) lot: string,
    @Param('action', BatchActionPipe) action: BatchAction,
    @Body() body: StatusChangeDto,
  ): Promise<BatchResponse> {
    return this.batches.changeStatus(caller, gtin, lot, action, body.reason);
  }
}
