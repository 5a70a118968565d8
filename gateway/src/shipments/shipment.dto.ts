import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
  ValidationArguments,
} from 'class-validator';
import {
  ManifestItem,
  MAX_GOODS_PER_MOVE,
  ReceiptRequest,
  Shipment,
  ShipmentManifest,
  ShipmentRequest,
  ShipmentTerms,
  TermsDocument,
} from '@drugtrace/chaincode/api';
import {
  MAX_SHIPMENT_LIST,
  ReceiptReport,
  REASON_MAX_LENGTH,
  SHIPMENT_STATUSES,
  ShipmentStatus,
} from '@drugtrace/chaincode/domain';
import { IsGln, IsSscc } from '../common/gs1.validators';
import { PartyResponse, UnitRefDto } from '../common/item.dto';
import { CursorQuery } from '../common/page.dto';

/** Packs and containers together: a shipment moves at most MAX_GOODS_PER_MOVE items, as the chaincode allows. */
function WithinGoodsLimit(): PropertyDecorator {
  return ValidateBy({
    name: 'withinGoodsLimit',
    validator: {
      validate: (_: unknown, args?: ValidationArguments): boolean => {
        const { units, containers } = args?.object as CreateShipmentDto;
        const count = (list: unknown): number => (Array.isArray(list) ? list.length : 0);
        return count(units) + count(containers) <= MAX_GOODS_PER_MOVE;
      },
      defaultMessage: () => `units and containers together must be at most ${MAX_GOODS_PER_MOVE}`,
    },
  });
}

/** Commercial terms: private to sender and receiver (domain/terms.ts checks them again in the chaincode). */
export class ShipmentTermsDto implements ShipmentTerms {
  @ApiProperty({ example: 'PO-2027-0042' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  purchaseOrder!: string;

  @ApiProperty({ example: 'INV-2027-0042' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  invoice!: string;

  @ApiProperty({ example: '12.50', description: 'decimal amount as text' })
  @IsString()
  @Matches(/^\d{1,12}(\.\d{1,6})?$/, { message: 'unitPrice must be a decimal amount such as 12.50' })
  unitPrice!: string;

  @ApiProperty({ example: 'EUR', description: 'ISO 4217' })
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as EUR' })
  currency!: string;
}

/** A terms document as its sender and receiver hold it: the terms and the salt of their hash. */
export class TermsDocumentDto extends ShipmentTermsDto implements TermsDocument {
  @ApiProperty({ example: '0123456789abcdef0123456789abcdef', description: 'hashed with the terms' })
  @IsString()
  @Matches(/^[0-9a-f]{32}$/, { message: 'salt must be 32 hexadecimal characters' })
  salt!: string;
}

export class TermsCheckResponse {
  @ApiProperty({ description: 'whether the document hashes to the shipment’s termsHash' }) matches!: boolean;
  @ApiProperty() termsHash!: string;
}

export class CreateShipmentDto implements Omit<ShipmentRequest, 'termsId'> {
  @ApiProperty({ example: 'DistributorMSP', description: 'receiving organisation (MSP ID)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  to!: string;

  @ApiProperty({ example: '9506000010007', description: 'receiving location (GLN)' })
  @IsGln()
  toGln!: string;

  @ApiPropertyOptional({ type: [UnitRefDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_GOODS_PER_MOVE)
  @ValidateNested({ each: true })
  @Type(() => UnitRefDto)
  units?: UnitRefDto[];

  @ApiPropertyOptional({ type: [String], example: ['106141410000000019'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_GOODS_PER_MOVE)
  @WithinGoodsLimit()
  @IsSscc({ each: true })
  containers?: string[];

  @ApiPropertyOptional({
    type: ShipmentTermsDto,
    description: 'kept in the two organisations’ private data; the channel holds only termsHash',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => ShipmentTermsDto)
  terms?: ShipmentTermsDto;
}

export class ListShipmentsQuery extends CursorQuery {
  @ApiPropertyOptional({ enum: ['incoming', 'outgoing'], description: 'both when omitted' })
  @IsOptional()
  @IsIn(['incoming', 'outgoing'])
  direction?: 'incoming' | 'outgoing';

  @ApiPropertyOptional({ enum: SHIPMENT_STATUSES })
  @IsOptional()
  @IsIn(SHIPMENT_STATUSES)
  status?: ShipmentStatus;

  @ApiPropertyOptional({ default: MAX_SHIPMENT_LIST, minimum: 1, maximum: MAX_SHIPMENT_LIST })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_SHIPMENT_LIST)
  limit?: number;
}

export class RejectShipmentDto {
  @ApiProperty({ example: 'damaged in transit' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(REASON_MAX_LENGTH)
  reason!: string;
}

export class ReceiveShipmentDto implements Partial<ReceiptRequest> {
  @ApiPropertyOptional({
    type: [String],
    example: ['(00)106141410000000019', '(01)09506000134352(21)X7K2M9Q4P1Z8'],
    description: 'SSCCs and pack codes scanned at receipt, in any GS1 form; omitted: receive without a check',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_GOODS_PER_MOVE)
  @IsString({ each: true })
  @MaxLength(512, { each: true })
  scanned?: string[];

  @ApiPropertyOptional({ description: 'receive what was scanned even though it differs from the shipment' })
  @IsOptional()
  @IsBoolean()
  acceptDiscrepancies?: boolean;
}

export class ReceiptReportResponse implements ReceiptReport {
  @ApiProperty({ description: 'packs the shipment holds, containers expanded' }) expected!: number;
  @ApiProperty({ description: 'of those, packs scanned (themselves or in a scanned case)' }) scanned!: number;
  @ApiProperty({
    type: [String],
    description: 'codes not scanned; a case none of whose packs was scanned is one code',
  })
  missing!: string[];
  @ApiProperty({ type: [String], description: 'scanned codes the shipment does not hold' })
  unexpected!: string[];
}

export class ManifestItemResponse implements ManifestItem {
  @ApiProperty({ example: '(00)106141410000000019', description: '(00)<sscc> or (01)<gtin>(21)<serial>' })
  code!: string;
  @ApiPropertyOptional({ type: () => [ManifestItemResponse] }) contents?: ManifestItemResponse[];
}

export class ShipmentManifestResponse implements ShipmentManifest {
  @ApiProperty() id!: string;
  @ApiProperty({ type: [ManifestItemResponse] }) items!: ManifestItemResponse[];
}

export class ShipmentResponse implements Shipment {
  @ApiProperty({ description: 'the creating transaction ID' }) id!: string;
  @ApiProperty({ enum: SHIPMENT_STATUSES }) status!: ShipmentStatus;
  @ApiProperty({ type: PartyResponse }) from!: PartyResponse;
  @ApiProperty({ type: PartyResponse }) to!: PartyResponse;
  @ApiProperty({ type: [UnitRefDto] }) units!: UnitRefDto[];
  @ApiProperty({ type: [String] }) containers!: string[];
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiPropertyOptional() reason?: string;
  @ApiPropertyOptional({ type: ReceiptReportResponse, description: 'a receipt against a scan' })
  receipt?: ReceiptReportResponse;
  @ApiPropertyOptional({ description: 'SHA-256 (hex) of the terms document, salt included' })
  termsHash?: string;
  @ApiPropertyOptional({ description: 'the private terms record' }) termsId?: string;
  @ApiPropertyOptional({ type: TermsDocumentDto, description: 'for the sender and the receiver only' })
  terms?: TermsDocumentDto;
}

const COUNTS_EXAMPLE = { IN_TRANSIT: 2, RECEIVED: 40 };

/** The organisation's shipments by status, whatever the page and its filters. */
export class ShipmentCountsResponse {
  @ApiProperty({ example: COUNTS_EXAMPLE, description: 'as receiver, by status' })
  incoming!: Partial<Record<ShipmentStatus, number>>;
  @ApiProperty({ example: COUNTS_EXAMPLE, description: 'as sender, by status' })
  outgoing!: Partial<Record<ShipmentStatus, number>>;
}

export class ShipmentListResponse {
  @ApiProperty({ type: [ShipmentResponse], description: 'newest first' }) shipments!: ShipmentResponse[];
  @ApiPropertyOptional({ description: 'the cursor of the next page (`?cursor=`); absent on the last page' })
  next?: string;
  @ApiProperty({ type: ShipmentCountsResponse }) counts!: ShipmentCountsResponse;
}
