import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import type { ReceiptClaims } from './receipts.service';

export class ReceiptDto {
  @ApiProperty({ description: 'a receipt as a verify answer carries it: a compact JWS' })
  @IsString()
  @MinLength(1)
  @MaxLength(8192)
  receipt!: string;
}

export class ReceiptCheckResponse {
  @ApiProperty() valid!: boolean;
  @ApiPropertyOptional({ description: 'the key that signed it', example: 'PharmacyMSP-20261130T172200Z' })
  kid?: string;
  @ApiPropertyOptional({ description: 'the organisation that answered and signed', example: 'PharmacyMSP' })
  signer?: string;
  @ApiPropertyOptional({
    description: 'what was answered: {verdict, reasons, code, asOfBlock, scanner, at, txId?}',
  })
  claims?: ReceiptClaims;
  @ApiPropertyOptional({ description: 'why it does not check' }) reason?: string;
}
