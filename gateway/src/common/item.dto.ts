import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsGtin, IsSerial, IsSscc } from './gs1.validators';

/** A pack by GTIN and serial. */
export class UnitRefDto {
  @ApiProperty({ example: '09506000134352' })
  @IsGtin()
  gtin!: string;

  @ApiProperty({ example: 'X7K2M9Q4P1Z8' })
  @IsSerial()
  serial!: string;
}

/** A pack (gtin + serial) or a container (sscc). */
export class ContentRefDto {
  @ApiPropertyOptional({ example: '09506000134352' })
  @IsOptional()
  @IsGtin()
  gtin?: string;

  @ApiPropertyOptional({ example: 'X7K2M9Q4P1Z8' })
  @IsOptional()
  @IsSerial()
  serial?: string;

  @ApiPropertyOptional({ example: '106141410000000019' })
  @IsOptional()
  @IsSscc()
  sscc?: string;
}

/** An organisation and one of its locations. */
export class PartyResponse {
  @ApiProperty({ example: 'PharmacyMSP' }) msp!: string;
  @ApiProperty({ example: '9506000000003' }) gln!: string;
}
