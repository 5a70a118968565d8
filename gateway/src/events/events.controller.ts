import { Controller, Headers, MessageEvent, Query, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import { EventListener } from './event-listener';
import { EventStore, IndexedEvent } from './event-store';
import { EventsQuery } from './events.dto';
import { visibleTo } from './visibility';
import { Caller } from '../auth/caller';
import { CurrentCaller } from '../auth/decorators';

const HEARTBEAT_MS = 15_000;
const REPLAY_PAGE = 500;

const toMessage = (e: IndexedEvent): MessageEvent => ({
  id: String(e.id),
  type: e.type,
  data: { ...e.payload, txId: e.txId, blockNumber: e.block },
});

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/events')
export class EventsController {
  constructor(
    private readonly store: EventStore,
    private readonly listener: EventListener,
  ) {}

  /**
   * Server-sent events of ledger changes the caller may see (see visibleTo). Each event's id is its position in the index: reconnecting with
   * `Last-Event-ID` replays everything after it, then continues live, without a gap or a repeat.
   */
  @Sse()
  @ApiOkResponse({ description: 'text/event-stream; event type = ledger event type, data = the event' })
  stream(
    @CurrentCaller() caller: Caller,
    @Query() query: EventsQuery,
    @Headers('last-event-id') lastEventId?: string,
  ): Observable<MessageEvent> {
    const types: readonly string[] = query.types ?? [];
    const resumeFrom = /^\d{1,15}$/.test(lastEventId ?? '') ? Number(lastEventId) : 0;
    return new Observable<MessageEvent>((subscriber) => {
      let last = resumeFrom;
      const send = (e: IndexedEvent): void => {
        if (e.id <= last) return;
        // Advance past events this caller may not see too, or the replay would read the same page again.
        last = e.id;
        if ((types.length === 0 || types.includes(e.type)) && visibleTo(caller, e))
          subscriber.next(toMessage(e));
      };
      // Replay and subscription happen in one synchronous step, so no event can fall between them.
      for (let page = this.store.since(last, types, REPLAY_PAGE); page.length > 0;) {
        page.forEach(send);
        page = this.store.since(last, types, REPLAY_PAGE);
      }
      const live = this.listener.live.subscribe({ next: send, complete: () => subscriber.complete() });
      const heartbeat = setInterval(() => subscriber.next({ type: 'heartbeat', data: {} }), HEARTBEAT_MS);
      return () => {
        live.unsubscribe();
        clearInterval(heartbeat);
      };
    });
  }
}
