import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDateString, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export const MAX_COMMISSION = 20000;

export class CommissionBatchDto {
  @ApiProperty({ example: '09506000134352' })
  @Matches(/^\d{14}$/, { message: 'gtin must be 14 digits' })
  gtin!: string;

  @ApiProperty({ example: 'A1B2', description: 'up to 20 characters of the GS1 character set' })
  @IsString() @IsNotEmpty() @MaxLength(20)
  lot!: string;

  @ApiProperty({ example: '2028-06-30' })
  @IsDateString({ strict: true }) @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'expiry must be YYYY-MM-DD' })
  expiry!: string;

  @ApiProperty({ example: '2026-11-01' })
  @IsDateString({ strict: true }) @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'manufacturedOn must be YYYY-MM-DD' })
  manufacturedOn!: string;

  @ApiPropertyOptional({ type: [String], example: ['X7K2M9Q4P1Z8'], description: 'serials to commission; or give quantity' })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_COMMISSION) @IsString({ each: true }) @MaxLength(20, { each: true })
  serials?: string[];

  @ApiPropertyOptional({ example: 1000, description: 'how many serials to generate (unpredictable, 12 characters)' })
  @IsOptional() @IsInt() @Min(1) @Max(MAX_COMMISSION)
  quantity?: number;
}

export class CommissionResponse {
  @ApiProperty() gtin!: string;
  @ApiProperty() lot!: string;
  @ApiProperty() expiry!: string;
  @ApiProperty({ example: 'RELEASED' }) status!: string;
  @ApiProperty() unitCount!: number;
  @ApiProperty({ type: [String] }) serials!: string[];
}

export class StatusChangeDto {
  @ApiProperty({ example: 'Out-of-specification dissolution results' })
  @IsString() @IsNotEmpty() @MaxLength(500)
  reason!: string;
}

export class BatchResponse {
  @ApiProperty() gtin!: string;
  @ApiProperty() lot!: string;
  @ApiProperty() expiry!: string;
  @ApiProperty() manufacturedOn!: string;
  @ApiProperty() manufacturer!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty({ enum: ['RELEASED', 'QUARANTINED', 'RECALLED'] }) status!: string;
  @ApiPropertyOptional() statusReason?: string;
  @ApiPropertyOptional({ description: 'units by state and by custodian' }) counts?: {
    byState: Record<string, number>;
    byCustodian: { msp: string; gln: string; state: string; count: number }[];
  };
}
