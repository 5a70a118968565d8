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
  ValidateBy,
  ValidateNested,
  ValidationArguments,
} from 'class-validator';
import { MAX_GOODS_PER_MOVE, Shipment, ShipmentRequest } from '@drugtrace/chaincode/api';
import { REASON_MAX_LENGTH, SHIPMENT_STATUSES, ShipmentStatus } from '@drugtrace/chaincode/domain';
import { IsGln, IsSscc } from '../common/gs1.validators';
import { PartyResponse, UnitRefDto } from '../common/item.dto';

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
  @MaxLength(REASON_MAX_LENGTH)
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
