import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { Alert, AlertList, Sighting } from '@drugtrace/chaincode/api';
import {
  BATCH_STATUSES,
  BatchStatus,
  DEFAULT_ALERTS_PER_READ,
  Holder,
  MAX_ALERTS_PER_READ,
  REASON_CODES,
  ReasonCode,
  Whereabouts,
} from '@drugtrace/chaincode/domain';
import { CursorQuery } from '../common/page.dto';

export class AlertsQuery extends CursorQuery {
  @ApiPropertyOptional({ default: DEFAULT_ALERTS_PER_READ, minimum: 1, maximum: MAX_ALERTS_PER_READ })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_ALERTS_PER_READ)
  limit?: number;

  @ApiPropertyOptional({ example: 'PharmacyMSP', description: 'only alerts from this organisation’s scans' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  org?: string;
}

export class SightingResponse implements Sighting {
  @ApiProperty({ example: 'DistributorMSP' }) msp!: string;
  @ApiProperty({ example: '9506000010007' }) gln!: string;
  @ApiProperty({ description: 'when that place last scanned the pack' }) at!: string;
}

export class AlertResponse implements Alert {
  @ApiProperty() id!: string;
  @ApiProperty({ example: '09506000134352' }) gtin!: string;
  @ApiProperty({ example: 'X7K2M9Q4P1Z8' }) serial!: string;
  @ApiPropertyOptional({ example: 'A1B2' }) lot?: string;
  @ApiProperty({ enum: REASON_CODES, isArray: true }) reasons!: ReasonCode[];
  @ApiProperty({ example: 'PharmacyMSP', description: 'who scanned' }) org!: string;
  @ApiProperty({ example: '9506000000027' }) gln!: string;
  @ApiPropertyOptional({ example: 'alice', description: 'the person who scanned first (enrolment ID)' })
  user?: string;
  @ApiProperty({ description: 'first occurrence' }) at!: string;
  @ApiProperty({ description: 'the transaction of the first occurrence' }) txId!: string;
  @ApiProperty({
    example: 1,
    description: 'occurrences: identical alerts from one place within an hour of the first are one alert',
  })
  count!: number;
  @ApiProperty({ description: 'last occurrence' }) lastSeen!: string;
  @ApiPropertyOptional({
    type: [SightingResponse],
    description: 'CLONE_SUSPECTED: the other organisations’ scans of the same serial that make it a clone',
  })
  sightings?: SightingResponse[];
  @ApiPropertyOptional({ description: 'MISSING_IN_TRANSIT, UNEXPECTED_IN_SHIPMENT: the shipment received' })
  shipmentId?: string;
  @ApiPropertyOptional({
    description: 'a whole case or pallet missing or unexpected (gtin and serial empty)',
  })
  sscc?: string;
}

export class AlertsResponse implements AlertList {
  @ApiProperty({ type: [AlertResponse], description: 'newest first (by first occurrence)' })
  alerts!: AlertResponse[];
  @ApiPropertyOptional({ description: 'the cursor of the next page (`?cursor=`); absent on the last page' })
  next?: string;
}

export class HolderResponse implements Holder {
  @ApiProperty({ example: 'PharmacyMSP' }) msp!: string;
  @ApiProperty({ example: '9506000030005' }) gln!: string;
  @ApiProperty({ example: 'High Street Pharmacy' }) name!: string;
  @ApiProperty({ description: 'packs held there, active' }) active!: number;
  @ApiProperty({ description: 'active packs on their way, counted at the sender' }) inTransit!: number;
  @ApiProperty() dispensed!: number;
  @ApiProperty({ description: 'destroyed, stolen, sampled or exported there' }) other!: number;
}

export class WhereaboutsResponse implements Whereabouts {
  @ApiProperty() gtin!: string;
  @ApiProperty() lot!: string;
  @ApiProperty({ enum: BATCH_STATUSES }) status!: BatchStatus;
  @ApiProperty({ description: 'packs of the batch' }) total!: number;
  @ApiProperty({ example: { ACTIVE: 80, IN_TRANSIT: 10, DISPENSED: 10 } }) byState!: Record<string, number>;
  @ApiProperty({ type: [HolderResponse], description: 'most packs still in circulation first' })
  holders!: HolderResponse[];
  @ApiProperty({ description: 'the block the gateway had indexed when the counts were read' })
  asOfBlock!: number;
}
