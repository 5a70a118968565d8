import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { Shipment, ShipmentRequest } from '@drugtrace/chaincode/api';
import { SHIPMENT_STATUSES, ShipmentStatus } from '@drugtrace/chaincode/domain';
import { IsGln, IsSscc } from '../common/gs1.validators';
import { PartyResponse, UnitRefDto } from '../common/item.dto';

export const MAX_SHIPMENT_ITEMS = 1000;

export class CreateShipmentDto implements ShipmentRequest {
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
  @ArrayMaxSize(MAX_SHIPMENT_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => UnitRefDto)
  units?: UnitRefDto[];

  @ApiPropertyOptional({ type: [String], example: ['106141410000000019'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_SHIPMENT_ITEMS)
  @IsSscc({ each: true })
  containers?: string[];
}

export class ListShipmentsQuery {
  @ApiPropertyOptional({ enum: ['incoming', 'outgoing'], description: 'both when omitted' })
  @IsOptional()
  @IsIn(['incoming', 'outgoing'])
  direction?: 'incoming' | 'outgoing';

  @ApiPropertyOptional({ enum: SHIPMENT_STATUSES })
  @IsOptional()
  @IsIn(SHIPMENT_STATUSES)
  status?: ShipmentStatus;
}

export class RejectShipmentDto {
  @ApiProperty({ example: 'damaged in transit' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason!: string;
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
}

export class ShipmentListResponse {
  @ApiProperty({ type: [ShipmentResponse] }) shipments!: ShipmentResponse[];
}
