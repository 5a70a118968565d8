import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import {
  DispenseResult,
  HistoryEvent,
  MAX_PRESCRIPTION_PACKS,
  PrescriptionRequest,
  UnitHistory,
  UnitView,
} from '@drugtrace/chaincode/api';
import {
  EVENT_TYPES,
  REASON_MAX_LENGTH,
  SETTABLE_STATES,
  UNIT_STATES,
  UnitState,
} from '@drugtrace/chaincode/domain';
import { ChangeResponse, PartyResponse, UnitRefDto } from '../common/item.dto';

const TARGET_STATES = ['ACTIVE', ...SETTABLE_STATES];

export class SetUnitStateDto {
  @ApiProperty({ enum: TARGET_STATES, description: 'ACTIVE only to revert a reversible state' })
  @IsIn(TARGET_STATES)
  state!: string;

  @ApiProperty({ example: 'damaged at the counter' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(REASON_MAX_LENGTH)
  reason!: string;
}

export class UnitResponse implements UnitView {
  @ApiProperty({ example: '09506000134352' }) gtin!: string;
  @ApiProperty({ example: 'X7K2M9Q4P1Z8' }) serial!: string;
  @ApiProperty({ example: 'A1B2' }) lot!: string;
  @ApiProperty({ example: '2028-06-30' }) expiry!: string;
  @ApiProperty({ enum: UNIT_STATES }) state!: UnitState;
  @ApiProperty({
    type: PartyResponse,
    description: 'effective custodian (the outermost container’s when packed)',
  })
  custodian!: PartyResponse;
  @ApiProperty() inTransit!: boolean;
  @ApiPropertyOptional() shipmentId?: string;
  @ApiPropertyOptional({ description: 'SSCC of the outermost container, when packed' }) container?: string;
  @ApiPropertyOptional({ description: 'SSCC of the container it is packed in' }) parent?: string;
  @ApiPropertyOptional({ description: 'when its state last changed' }) stateChangedAt?: string;
  @ApiPropertyOptional({ type: PartyResponse, description: 'who last changed its state' })
  stateChangedBy?: PartyResponse;
  @ApiProperty({ type: ChangeResponse, description: 'its last change' }) last!: ChangeResponse;
}

export class HistoryEventResponse implements HistoryEvent {
  @ApiProperty({ enum: EVENT_TYPES }) type!: string;
  @ApiProperty({ example: '2026-11-01T09:00:00.000Z' }) at!: string;
  @ApiProperty({ example: 'ManufacturerMSP' }) org!: string;
  @ApiProperty({ example: '9506000000003' }) gln!: string;
  @ApiProperty() txId!: string;
  @ApiProperty({ nullable: true, type: Number, description: 'null until the gateway has seen the block' })
  blockNumber!: number | null;
  @ApiPropertyOptional({ description: 'the container it travelled in' }) sscc?: string;
  @ApiPropertyOptional() shipmentId?: string;
}

export class HistoryResponse implements UnitHistory {
  @ApiProperty({ type: [HistoryEventResponse], description: 'oldest first' }) events!: HistoryEventResponse[];
}

/** A prescription: packs the pharmacy holds at its location, dispensed together or not at all. */
export class DispenseUnitsDto implements PrescriptionRequest {
  @ApiProperty({ type: [UnitRefDto], maxItems: MAX_PRESCRIPTION_PACKS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PRESCRIPTION_PACKS)
  @ValidateNested({ each: true })
  @Type(() => UnitRefDto)
  units!: UnitRefDto[];
}

export class DispenseUnitsResponse implements DispenseResult {
  @ApiProperty({ type: [UnitResponse], description: 'every pack, DISPENSED, in the order listed' })
  units!: UnitResponse[];
}
