import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { ScannedCode, Verification, VerifiedUnit } from '@drugtrace/chaincode/api';
import {
  DSCSA_ADDITIONAL_INFO,
  DSCSA_FAILURE_REASONS,
  EU_RETURN_CODES,
  REASON_CODES,
  ReasonCode,
  SCAN_HINTS,
  ScanHint,
  UNIT_STATES,
  UnitState,
  Verdict,
} from '@drugtrace/chaincode/domain';
import { BatchResponse } from '../batches/batch.dto';
import { PartyResponse } from '../common/item.dto';
import { ProductResponse } from '../products/product.dto';

/** The longest scan a verify accepts, in characters. */
export const MAX_CODE_LENGTH = 512;

export class VerifyDto {
  @ApiProperty({
    example: '(01)09506000134352(17)280630(10)A1B2(21)X7K2M9Q4P1Z8',
    description:
      'the raw scan: Digital Link URI, element string, or DataMatrix/QR payload with GS separators',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_CODE_LENGTH)
  code!: string;
}

export class ScannedCodeResponse implements ScannedCode {
  @ApiProperty({ example: '09506000134352' }) gtin!: string;
  @ApiPropertyOptional({ example: 'A1B2' }) lot?: string;
  @ApiPropertyOptional({ example: '2028-06-30' }) expiry?: string;
  @ApiProperty({ example: 'X7K2M9Q4P1Z8' }) serial!: string;
  @ApiPropertyOptional({
    description: 'every other GS1 AI the code carries, validated, by AI',
    example: { '3103': '001250', '99': 'INT-7' },
  })
  otherAis?: Record<string, string>;
}

export class HintResponse {
  @ApiProperty({ enum: SCAN_HINTS }) code!: ScanHint;
  @ApiProperty({ description: 'what to do, in a plain sentence' }) text!: string;
}

export class EuRegimeResponse {
  @ApiProperty({ enum: EU_RETURN_CODES, description: 'the EU FMD national system’s return code' })
  returnCode!: string;
  @ApiProperty({ description: 'whether the national system would raise an alert' }) alert!: boolean;
}

export class UsRegimeResponse {
  @ApiProperty({ description: 'the DSCSA answer: the product identifier matched' }) verified!: boolean;
  @ApiPropertyOptional({ enum: DSCSA_FAILURE_REASONS }) verificationFailureReason?: string;
  @ApiPropertyOptional({ enum: DSCSA_ADDITIONAL_INFO }) additionalInfo?: string;
}

export class RegimesResponse {
  @ApiProperty({ type: EuRegimeResponse }) eu!: EuRegimeResponse;
  @ApiProperty({ type: UsRegimeResponse }) us!: UsRegimeResponse;
}

export class VerifiedUnitResponse implements VerifiedUnit {
  @ApiProperty({ enum: UNIT_STATES }) state!: UnitState;
  @ApiProperty({ type: PartyResponse }) custodian!: PartyResponse;
  @ApiProperty() inTransit!: boolean;
  @ApiProperty({ description: 'the commissioned lot' }) lot!: string;
  @ApiProperty({ description: 'the commissioned expiry' }) expiry!: string;
}

/** The chaincode's verification, with the hints in words, both regimes' codes and the signed receipt. */
export class VerificationResponse implements Omit<Verification, 'hints'> {
  @ApiProperty({ enum: ['GENUINE', 'SUSPECT', 'COUNTERFEIT'] }) verdict!: Verdict;
  @ApiProperty({ enum: REASON_CODES, isArray: true }) reasons!: ReasonCode[];
  @ApiProperty({ type: ScannedCodeResponse, description: 'what the code says' }) code!: ScannedCodeResponse;
  @ApiPropertyOptional({ type: ProductResponse }) product?: ProductResponse;
  @ApiPropertyOptional({ type: BatchResponse }) batch?: BatchResponse;
  @ApiPropertyOptional({ type: VerifiedUnitResponse }) unit?: VerifiedUnitResponse;
  @ApiPropertyOptional({
    type: HintResponse,
    isArray: true,
    description: 'scanner set-up faults that explain a bad verdict (such a scan raises no alert)',
  })
  hints?: HintResponse[];
  @ApiProperty({ type: RegimesResponse, description: 'the verdict in EU FMD and US DSCSA terms' })
  regimes!: RegimesResponse;
  @ApiProperty({
    description:
      'compact JWS (ES256) by the answering organisation over {verdict, reasons, code, asOfBlock, scanner, at, txId?}; keys at /.well-known/jwks.json',
  })
  receipt!: string;
  @ApiPropertyOptional({
    description: 'the transaction recording this scan on the ledger, when it is recorded',
  })
  txId?: string;
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
