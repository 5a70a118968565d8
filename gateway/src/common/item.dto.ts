import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { Change, ItemRef, Party, UnitRef } from '@drugtrace/chaincode/api';
import { IsGtin, IsSerial, IsSscc } from './gs1.validators';

/** A pack by GTIN and serial. */
export class UnitRefDto implements UnitRef {
  @ApiProperty({ example: '09506000134352' })
  @IsGtin()
  gtin!: string;

  @ApiProperty({ example: 'X7K2M9Q4P1Z8' })
  @IsSerial()
  serial!: string;
}

/** A pack (gtin + serial) or a container (sscc). */
export class ContentRefDto implements ItemRef {
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
export class PartyResponse implements Party {
  @ApiProperty({ example: 'PharmacyMSP' }) msp!: string;
  @ApiProperty({ example: '9506000000003' }) gln!: string;
}

/** The last change of a pack or container. */
export class ChangeResponse implements Change {
  @ApiProperty({ example: 'RECEIVED' }) type!: string;
  @ApiProperty({ example: '2026-11-01T09:00:00.000Z' }) at!: string;
  @ApiProperty({ example: 'PharmacyMSP' }) org!: string;
  @ApiProperty({ example: '9506000000027' }) gln!: string;
  @ApiPropertyOptional() shipmentId?: string;
  @ApiPropertyOptional({ description: 'the container it was packed into or unpacked from' }) sscc?: string;
}
