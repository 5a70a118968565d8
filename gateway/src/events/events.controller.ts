import { Controller, Headers, MessageEvent, Query, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { concat, filter, from, interval, map, merge, Observable } from 'rxjs';
import { EventIndex, IndexedEvent } from './event-index';

export class EventsQuery {
  @ApiPropertyOptional({ example: 'RECALLED,ALERT', description: 'comma-separated event types' })
  @IsOptional() @IsString() @MaxLength(500)
  types?: string;
}

const HEARTBEAT_MS = 15000;

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/events')
export class EventsController {
  constructor(private readonly index: EventIndex) {}

  /** Server-sent events of ledger changes; reconnecting with Last-Event-ID replays what was missed. */
  @Sse()
  stream(@Query() query: EventsQuery, @Headers('last-event-id') lastEventId?: string): Observable<MessageEvent> {
    const types = (query.types ?? '').split(',').map((t) => t.trim()).filter(Boolean);
    const after = Number.parseInt(lastEventId ?? '0', 10) || 0;
    const wanted = (e: IndexedEvent): boolean => types.length === 0 || types.includes(e.type);
    const replay = this.index.since(after, types);
    const lastReplayed = replay.length ? replay[replay.length - 1].id : after;
    const toMessage = (e: IndexedEvent): MessageEvent => ({ id: String(e.id), type: e.type, data: { ...e.payload, blockNumber: e.block } });
    const live = this.index.live.pipe(filter((e) => e.id > lastReplayed && wanted(e)), map(toMessage));
    const heartbeat = interval(HEARTBEAT_MS).pipe(map((): MessageEvent => ({ type: 'heartbeat', data: {} })));
    return merge(concat(from(replay.map(toMessage)), live), heartbeat);
  }
}
