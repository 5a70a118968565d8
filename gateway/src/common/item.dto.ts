import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** A pack by GTIN and serial. */
export class UnitRefDto {
  @ApiProperty({ example: '09506000134352' })
  @Matches(/^\d{14}$/, { message: 'gtin must be 14 digits' })
  gtin!: string;

  @ApiProperty({ example: 'X7K2M9Q4P1Z8' })
  @IsString() @MaxLength(20)
  serial!: string;
}

/** A pack (gtin + serial) or a container (sscc). */
export class ContentRefDto {
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{14}$/, { message: 'gtin must be 14 digits' }) gtin?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20) serial?: string;
  @ApiPropertyOptional({ example: '106141410000000019' }) @IsOptional() @Matches(/^\d{18}$/, { message: 'sscc must be 18 digits' }) sscc?: string;
}
