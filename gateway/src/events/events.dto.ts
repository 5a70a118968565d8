import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';
import { EVENT_TYPES, EventType } from '@drugtrace/chaincode/domain';

export class EventsQuery {
  @ApiPropertyOptional({
    type: String,
    example: 'RECALLED,ALERT,RECEIVED',
    description: 'comma-separated ledger event types',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',') : value))
  @IsIn(EVENT_TYPES, { each: true, message: `types must be among ${EVENT_TYPES.join(', ')}` })
  types?: EventType[];
}
