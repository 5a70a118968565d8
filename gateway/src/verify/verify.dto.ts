import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { ScannedCode, Verification, VerifiedUnit } from '@drugtrace/chaincode/api';
import { REASON_CODES, ReasonCode, UNIT_STATES, UnitState, Verdict } from '@drugtrace/chaincode/domain';
import { BatchResponse } from '../batches/batch.dto';
import { PartyResponse } from '../common/item.dto';
import { ProductResponse } from '../products/product.dto';

export class VerifyDto {
  @ApiProperty({
    example: '(01)09506000134352(17)280630(10)A1B2(21)X7K2M9Q4P1Z8',
    description:
      'the raw scan: Digital Link URI, element string, or DataMatrix/QR payload with GS separators',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(512)
  code!: string;
}

export class ScannedCodeResponse implements ScannedCode {
  @ApiProperty({ example: '09506000134352' }) gtin!: string;
  @ApiPropertyOptional({ example: 'A1B2' }) lot?: string;
  @ApiPropertyOptional({ example: '2028-06-30' }) expiry?: string;
  @ApiProperty({ example: 'X7K2M9Q4P1Z8' }) serial!: string;
}

export class VerifiedUnitResponse implements VerifiedUnit {
  @ApiProperty({ enum: UNIT_STATES }) state!: UnitState;
  @ApiProperty({ type: PartyResponse }) custodian!: PartyResponse;
  @ApiProperty() inTransit!: boolean;
  @ApiProperty({ description: 'the commissioned lot' }) lot!: string;
  @ApiProperty({ description: 'the commissioned expiry' }) expiry!: string;
}

export class VerificationResponse implements Verification {
  @ApiProperty({ enum: ['GENUINE', 'SUSPECT', 'COUNTERFEIT'] }) verdict!: Verdict;
  @ApiProperty({ enum: REASON_CODES, isArray: true }) reasons!: ReasonCode[];
  @ApiProperty({ type: ScannedCodeResponse, description: 'what the code says' }) code!: ScannedCodeResponse;
  @ApiPropertyOptional({ type: ProductResponse }) product?: ProductResponse;
  @ApiPropertyOptional({ type: BatchResponse }) batch?: BatchResponse;
  @ApiPropertyOptional({ type: VerifiedUnitResponse }) unit?: VerifiedUnitResponse;
  @ApiProperty({
    description:
      'the block whose world state the verdict reflects (from the read model; with consistency=ledger, the lowest ' +
      'block the endorsing peer is known to have)',
  })
  asOfBlock!: number;
}

export class VerifyQuery {
  @ApiPropertyOptional({
    enum: ['replica', 'ledger'],
    description: 'ledger: the peer’s endorsed answer (a chaincode evaluate) instead of the read model’s',
  })
  @IsOptional()
  @IsIn(['replica', 'ledger'])
  consistency?: 'replica' | 'ledger';
}

export class ImageVerificationResponse extends VerificationResponse {
  @ApiProperty({ description: 'the text decoded from the image' }) scanned!: string;
}
