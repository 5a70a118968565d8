import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class SetUnitStateDto {
  @ApiProperty({ enum: ['ACTIVE', 'DESTROYED', 'STOLEN', 'SAMPLE', 'EXPORTED'] })
  @IsIn(['ACTIVE', 'DESTROYED', 'STOLEN', 'SAMPLE', 'EXPORTED'])
  state!: string;

  @ApiProperty({ example: 'damaged at the counter' })
  @IsString() @IsNotEmpty() @MaxLength(500)
  reason!: string;
}

export class HistoryEventResponse {
  @ApiProperty({ example: 'COMMISSIONED' }) type!: string;
  @ApiProperty() at!: string;
  @ApiProperty({ example: 'ManufacturerMSP' }) org!: string;
  @ApiProperty() gln!: string;
  @ApiProperty() txId!: string;
  @ApiProperty({ nullable: true }) blockNumber!: number | null;
}

export class HistoryResponse {
  @ApiProperty({ type: [HistoryEventResponse] }) events!: HistoryEventResponse[];
}
