import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { UnitRefDto } from '../common/item.dto';

export class CreateShipmentDto {
  @ApiProperty({ example: 'DistributorMSP', description: 'receiving organisation (MSP ID)' })
  @IsString() @IsNotEmpty() @MaxLength(64)
  to!: string;

  @ApiProperty({ example: '9506000010007', description: 'receiving location (GLN)' })
  @Matches(/^\d{13}$/, { message: 'toGln must be 13 digits' })
  toGln!: string;

  @ApiPropertyOptional({ type: [UnitRefDto] })
  @IsOptional() @IsArray() @ArrayMaxSize(1000) @ValidateNested({ each: true }) @Type(() => UnitRefDto)
  units?: UnitRefDto[];

  @ApiPropertyOptional({ type: [String], example: ['106141410000000019'] })
  @IsOptional() @IsArray() @ArrayMaxSize(1000) @Matches(/^\d{18}$/, { each: true, message: 'each container must be an 18-digit SSCC' })
  containers?: string[];
}

export class ListShipmentsQuery {
  @ApiPropertyOptional({ enum: ['incoming', 'outgoing'] })
  @IsOptional() @IsIn(['incoming', 'outgoing'])
  direction?: string;

  @ApiPropertyOptional({ enum: ['IN_TRANSIT', 'RECEIVED', 'REJECTED', 'CANCELLED'] })
  @IsOptional() @IsIn(['IN_TRANSIT', 'RECEIVED', 'REJECTED', 'CANCELLED'])
  status?: string;
}

export class RejectShipmentDto {
  @ApiProperty({ example: 'damaged in transit' })
  @IsString() @IsNotEmpty() @MaxLength(500)
  reason!: string;
}
