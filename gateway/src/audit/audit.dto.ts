import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { Alert, AlertList, Sighting } from '@drugtrace/chaincode/api';
import {
  DEFAULT_ALERTS_PER_READ,
  MAX_ALERTS_PER_READ,
  REASON_CODES,
  ReasonCode,
} from '@drugtrace/chaincode/domain';

export class AlertsQuery {
  @ApiPropertyOptional({ default: DEFAULT_ALERTS_PER_READ, minimum: 1, maximum: MAX_ALERTS_PER_READ })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_ALERTS_PER_READ)
  limit?: number;
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
}

export class AlertsResponse implements AlertList {
  @ApiProperty({ type: [AlertResponse], description: 'newest first (by first occurrence)' })
  alerts!: AlertResponse[];
}
