import { Controller, Headers, HttpException, HttpStatus, MessageEvent, Query, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import { BlockFollower } from '../replica/block-follower';
import { EventStore, IndexedEvent } from './event-store';
import { EventsQuery } from './events.dto';
import { visibleTo } from './visibility';
import { Caller } from '../auth/caller';
import { CurrentCaller } from '../auth/decorators';

const HEARTBEAT_MS = 15_000;
const REPLAY_PAGE = 500;
/** Open streams one API key may hold at once: a page in a few tabs, not a thousand connections. */
export const MAX_STREAMS_PER_KEY = 5;

const toMessage = (e: IndexedEvent): MessageEvent => ({
  id: String(e.id),
  type: e.type,
  // A notice names the transaction it tells of (its payload's txId); a chaincode event's payload names its own.
  data: { txId: e.txId, ...e.payload, blockNumber: e.block },
});

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/events')
export class EventsController {
  /** Open streams per API key (org/user). */
  readonly #open = new Map<string, number>();

  constructor(
    private readonly store: EventStore,
    private readonly follower: BlockFollower,
  ) {}

  /**
   * Server-sent events of ledger changes the caller may see (see visibleTo), from now on. Each event's id is its
   * position in the index: reconnecting with `Last-Event-ID` replays everything after it, then continues live,
   * without a gap or a repeat. The replay goes a page at a time, yielding to the event loop between pages, while
   * live events wait in a buffer; so a long replay delays no other request.
   */
  @Sse()
  @ApiOkResponse({ description: 'text/event-stream; event type = ledger event type, data = the event' })
  @ApiTooManyRequestsResponse({
    description: `more than ${MAX_STREAMS_PER_KEY} open streams for this API key`,
  })
  stream(
    @CurrentCaller() caller: Caller,
    @Query() query: EventsQuery,
    @Headers('last-event-id') lastEventId?: string,
  ): Observable<MessageEvent> {
    const key = `${caller.org}/${caller.user}`;
    const open = this.#open.get(key) ?? 0;
    if (open >= MAX_STREAMS_PER_KEY)
      throw new HttpException(
        `this API key already has ${MAX_STREAMS_PER_KEY} open event streams; close one first`,
        HttpStatus.TOO_MANY_REQUESTS,
      );
    const types: readonly string[] = query.types ?? [];
    const resumeFrom = /^\d{1,15}$/.test(lastEventId ?? '') ? Number(lastEventId) : this.follower.lastEventId;
    return new Observable<MessageEvent>((subscriber) => {
      this.#open.set(key, (this.#open.get(key) ?? 0) + 1);
      let last = resumeFrom;
      let closed = false;
      const send = (e: IndexedEvent): void => {
        if (e.id <= last) return;
        // Advance past events this caller may not see too, or the replay would read the same page again.
        last = e.id;
        if ((types.length === 0 || types.includes(e.type)) && visibleTo(caller, e))
          subscriber.next(toMessage(e));
      };
      // Live events are buffered while the replay runs, then sent after it; `last` drops what both saw.
      let buffered: IndexedEvent[] | undefined = [];
      const live = this.follower.live.subscribe({
        next: (e) => (buffered ? buffered.push(e) : send(e)),
        complete: () => subscriber.complete(),
      });
      // One page per turn of the event loop: each read is its own await.
      const replay = async (): Promise<void> => {
        for (;;) {
          if (closed) return;
          const page = await this.store.since(last, types, REPLAY_PAGE);
          page.forEach(send);
          if (page.length < REPLAY_PAGE) break;
          await new Promise((resolve) => setImmediate(resolve));
        }
        const waiting = buffered ?? [];
        buffered = undefined;
        waiting.forEach(send);
      };
      replay().catch((err: unknown) => subscriber.error(err));
      const heartbeat = setInterval(() => subscriber.next({ type: 'heartbeat', data: {} }), HEARTBEAT_MS);
      return () => {
        closed = true;
        live.unsubscribe();
        clearInterval(heartbeat);
        const left = (this.#open.get(key) ?? 1) - 1;
        if (left > 0) this.#open.set(key, left);
        else this.#open.delete(key);
      };
    });
  }
}
