import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsNotEmpty,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import {
  Batch,
  BatchCounts,
  CommissionRequest,
  CommissionResult,
  CustodianCount,
} from '@drugtrace/chaincode/api';
import {
  BATCH_STATUSES,
  BatchStatus,
  DEFAULT_BATCHES_PAGE,
  DEFAULT_MY_PACKS_PAGE,
  MAX_BATCHES_PAGE,
  MAX_COMMISSION_BATCH,
  MAX_GENERATED_BATCH,
  MAX_MY_PACKS_PAGE,
  REASON_MAX_LENGTH,
  UNIT_STATES,
  UnitState,
} from '@drugtrace/chaincode/domain';
import { Type } from 'class-transformer';
import { IsGtin, IsLot, IsSerial } from '../common/gs1.validators';
import { PartyResponse } from '../common/item.dto';
import { CursorQuery } from '../common/page.dto';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export class CommissionBatchDto implements CommissionRequest {
  @ApiProperty({ example: '09506000134352' })
  @IsGtin()
  gtin!: string;

  @ApiProperty({ example: 'A1B2', description: 'up to 20 characters of the GS1 character set' })
  @IsLot()
  lot!: string;

  @ApiProperty({ example: '2028-06-30' })
  @Matches(ISO_DATE, { message: 'expiry must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'expiry must be a real calendar date' })
  expiry!: string;

  @ApiProperty({ example: '2026-11-01' })
  @Matches(ISO_DATE, { message: 'manufacturedOn must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'manufacturedOn must be a real calendar date' })
  manufacturedOn!: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['X7K2M9Q4P1Z8'],
    description: 'serials to commission; or quantity',
  })
  @ValidateIf((o: CommissionBatchDto) => o.serials !== undefined || o.quantity === undefined)
  @IsArray({ message: 'give serials (an array) or quantity' })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_COMMISSION_BATCH)
  @IsSerial({ each: true })
  serials?: string[];

  @ApiPropertyOptional({
    example: 1000,
    description: 'how many serials to generate (unpredictable, 12 characters)',
  })
  @ValidateIf((o: CommissionBatchDto) => o.quantity !== undefined)
  @IsInt()
  @Min(1)
  @Max(MAX_GENERATED_BATCH)
  quantity?: number;
}

export class StatusChangeDto {
  @ApiProperty({ example: 'Out-of-specification dissolution results' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(REASON_MAX_LENGTH)
  reason!: string;
}

export class CommissionResponse implements CommissionResult {
  @ApiProperty({ example: '09506000134352' }) gtin!: string;
  @ApiProperty({ example: 'A1B2' }) lot!: string;
  @ApiProperty({ example: '2028-06-30' }) expiry!: string;
  @ApiProperty({ enum: BATCH_STATUSES, example: 'RELEASED' }) status!: BatchStatus;
  @ApiProperty({ example: 1, description: 'units commissioned by this request' }) unitCount!: number;
  @ApiProperty({ type: [String], example: ['X7K2M9Q4P1Z8'] }) serials!: string[];
  @ApiPropertyOptional({
    description:
      'true when an earlier request under the same Idempotency-Key commissioned these; nothing written',
  })
  replayed?: boolean;
}

export class CustodianCountResponse extends PartyResponse implements CustodianCount {
  @ApiProperty({ example: 'ACTIVE' }) state!: string;
  @ApiProperty({ example: 250 }) count!: number;
}

export class BatchCountsResponse implements BatchCounts {
  @ApiProperty({ example: { ACTIVE: 998, DISPENSED: 2 } }) byState!: Record<string, number>;
  @ApiProperty({ type: [CustodianCountResponse] }) byCustodian!: CustodianCountResponse[];
}

export class BatchResponse implements Batch {
  @ApiProperty({ example: '09506000134352' }) gtin!: string;
  @ApiProperty({ example: 'A1B2' }) lot!: string;
  @ApiProperty({ example: '2028-06-30' }) expiry!: string;
  @ApiProperty({ example: '2026-11-01' }) manufacturedOn!: string;
  @ApiProperty({ example: 'ManufacturerMSP' }) manufacturer!: string;
  @ApiProperty({ example: 1000 }) quantity!: number;
  @ApiProperty({ enum: BATCH_STATUSES }) status!: BatchStatus;
  @ApiPropertyOptional() statusReason?: string;
  @ApiPropertyOptional({ example: 'RegulatorMSP' }) statusBy?: string;
  @ApiPropertyOptional() statusAt?: string;
  @ApiProperty({ example: '2026-11-01T09:00:00.000Z' }) createdAt!: string;
  @ApiPropertyOptional({
    type: BatchCountsResponse,
    description: 'units by state and by custodian (GET only)',
  })
  counts?: BatchCountsResponse;
}

/** A page: how many rows, and where the previous page ended. */
function pageQuery(defaultLimit: number, maxLimit: number) {
  class PageQuery extends CursorQuery {
    @ApiPropertyOptional({ default: defaultLimit, minimum: 1, maximum: maxLimit })
    @IsOptional()
    @Type(() => Number)
    @IsInt()
    @Min(1)
    @Max(maxLimit)
    limit?: number;
  }
  return PageQuery;
}

export class BatchListQuery extends pageQuery(DEFAULT_BATCHES_PAGE, MAX_BATCHES_PAGE) {}

export class MyPacksQuery extends pageQuery(DEFAULT_MY_PACKS_PAGE, MAX_MY_PACKS_PAGE) {
  @ApiPropertyOptional({
    enum: UNIT_STATES,
    description: 'only packs in this state (ACTIVE: in circulation)',
  })
  @IsOptional()
  @IsIn(UNIT_STATES)
  state?: UnitState;
}

export class BatchListResponse {
  @ApiProperty({ type: [BatchResponse], description: 'in GTIN and lot order, each with its counts' })
  batches!: BatchResponse[];
  @ApiPropertyOptional({ description: 'the cursor of the next page; absent on the last page' }) next?: string;
  @ApiProperty({ description: 'the block the read model reflects' }) asOfBlock!: number;
}

export class MyPackResponse {
  @ApiProperty({ example: 'X7K2M9Q4P1Z8' }) serial!: string;
  @ApiProperty({ enum: UNIT_STATES }) state!: UnitState;
  @ApiProperty({ example: '9506000010007', description: 'the location holding it' }) gln!: string;
  @ApiProperty({ description: "on its way to another party (still in this organisation's custody)" })
  inTransit!: boolean;
  @ApiPropertyOptional({ description: 'the outermost container it is packed in' }) sscc?: string;
  @ApiPropertyOptional() shipmentId?: string;
}

export class MyPacksResponse {
  @ApiProperty({ example: '09506000134352' }) gtin!: string;
  @ApiProperty({ example: 'A1B2' }) lot!: string;
  @ApiProperty({ enum: BATCH_STATUSES }) status!: BatchStatus;
  @ApiProperty({ example: 'DistributorMSP', description: "the caller's organisation" }) msp!: string;
  @ApiProperty({ type: [MyPackResponse], description: 'in serial order' }) packs!: MyPackResponse[];
  @ApiPropertyOptional({ description: 'the cursor of the next page; absent on the last page' }) next?: string;
  @ApiProperty() asOfBlock!: number;
}
