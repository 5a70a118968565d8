import { Role } from './http';
import { gatewayUrl, readApiKeys } from './paths';

export interface SseEvent {
  id?: string;
  event?: string;
  data: Record<string, unknown>;
}

/** One GET /v1/events connection read from fetch's body stream; always closed through its AbortController. */
export class EventStream {
  readonly seen: SseEvent[] = [];
  readonly #abort = new AbortController();
  #buffer = '';
  #reader?: ReadableStreamDefaultReader<Uint8Array>;
  #decoder = new TextDecoder();
  status = 0;
  contentType = '';

  async open(query: string, as: Role, lastEventId?: string): Promise<this> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${readApiKeys()[as]}`,
      accept: 'text/event-stream',
    };
    if (lastEventId) headers['last-event-id'] = lastEventId;
    const res = await fetch(`${gatewayUrl}/v1/events${query}`, { headers, signal: this.#abort.signal });
    this.status = res.status;
    this.contentType = res.headers.get('content-type') ?? '';
    this.#reader = res.body?.getReader();
    return this;
  }

  /** Reads until an event matches, or fails after the timeout (and closes the stream). */
  async until(match: (e: SseEvent) => boolean, timeoutMs = 30_000): Promise<SseEvent> {
    const timer = setTimeout(() => this.#abort.abort(), timeoutMs);
    try {
      for (;;) {
        const found = this.seen.find(match);
        if (found) return found;
        const chunk = await this.#reader?.read();
        if (!chunk || chunk.done) throw new Error('the event stream ended');
        this.#buffer += this.#decoder.decode(chunk.value, { stream: true });
        const blocks = this.#buffer.split(/\r?\n\r?\n/);
        this.#buffer = blocks.pop() ?? '';
        for (const block of blocks) this.#parse(block);
      }
    } catch (e) {
      throw new Error(`no matching event within ${timeoutMs} ms (${this.seen.length} seen): ${String(e)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.#abort.abort();
  }

  #parse(block: string): void {
    const event: SseEvent = { data: {} };
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      const [, field, value] = /^([^:]*):? ?(.*)$/.exec(line) ?? [];
      if (field === 'id') event.id = value;
      else if (field === 'event') event.event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length === 0) return;
    event.data = JSON.parse(data.join('\n')) as Record<string, unknown>;
    this.seen.push(event);
  }
}
