import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';
import { EVENT_TYPES, RECALL_NOTICE } from '@drugtrace/chaincode/domain';

/** The ledger's event types, and the gateway's own notices. */
const STREAM_TYPES: readonly string[] = [...EVENT_TYPES, RECALL_NOTICE];

export class EventsQuery {
  @ApiPropertyOptional({
    type: String,
    example: 'RECALLED,ALERT,RECEIVED,RECALL_NOTICE',
    description: 'comma-separated ledger event types',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',') : value))
  @IsIn(STREAM_TYPES, { each: true, message: `types must be among ${STREAM_TYPES.join(', ')}` })
  types?: string[];
}
