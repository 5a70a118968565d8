import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { REASON_CODES } from '@drugtrace/chaincode/domain';

export class AlertsQuery {
  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class AlertResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ example: '09506000134352' }) gtin!: string;
  @ApiProperty({ example: 'X7K2M9Q4P1Z8' }) serial!: string;
  @ApiPropertyOptional({ example: 'A1B2' }) lot?: string;
  @ApiProperty({ enum: REASON_CODES, isArray: true }) reasons!: string[];
  @ApiProperty({ example: 'PharmacyMSP', description: 'who scanned' }) org!: string;
  @ApiProperty({ example: '9506000000027' }) gln!: string;
  @ApiProperty() at!: string;
  @ApiProperty() txId!: string;
}

export class AlertsResponse {
  @ApiProperty({ type: [AlertResponse], description: 'newest first' }) alerts!: AlertResponse[];
}
