import { HttpException, MessageEvent } from '@nestjs/common';
import { Subject, Subscription } from 'rxjs';
import { Caller } from '../auth/caller';
import { EventListener } from './event-listener';
import { EventStore, IndexedEvent } from './event-store';
import { EventsController, MAX_STREAMS_PER_KEY } from './events.controller';

const regulator: Caller = {
  org: 'regulator',
  user: 'user1',
  mspId: 'RegulatorMSP',
  role: 'REGULATOR',
  gln: '9506000040004',
  admin: false,
  certPath: '/nowhere/cert.pem',
  keyPath: '/nowhere/key.pem',
};

const nextTick = () => new Promise((resolve) => setImmediate(resolve));

describe(EventsController.name, () => {
  let store: EventStore;
  let live: Subject<IndexedEvent>;
  let sut: EventsController;
  let block = 0;
  const subscriptions: Subscription[] = [];

  /** Applies an event to the index and publishes it, as the block listener does. */
  const commit = (type = 'RECALLED'): IndexedEvent => {
    block++;
    const event = store.apply({ block, txId: `tx${block}`, type, payload: { type, org: 'RegulatorMSP' } })!;
    live.next(event);
    return event;
  };

  const open = (lastEventId?: string, caller: Caller = regulator) => {
    const received: MessageEvent[] = [];
    const subscription = sut.stream(caller, {}, lastEventId).subscribe((m) => received.push(m));
    subscriptions.push(subscription);
    return { received, ids: () => received.map((m) => Number(m.id)), subscription };
  };

  beforeEach(() => {
    store = new EventStore(':memory:');
    live = new Subject<IndexedEvent>();
    sut = new EventsController(store, { live } as unknown as EventListener);
    block = 0;
  });
  afterEach(() => {
    for (const s of subscriptions.splice(0)) s.unsubscribe();
    store.close();
  });

  it('starts from now without Last-Event-ID: what happened before is not replayed', async () => {
    for (let i = 0; i < 3; i++) commit();
    const stream = open();
    await nextTick();
    expect(stream.received).toEqual([]);
    const recall = commit();
    expect(stream.ids()).toEqual([recall.id]);
  });

  it('replays after Last-Event-ID a page at a time, then goes live without a gap or a repeat', async () => {
    for (let i = 0; i < 1200; i++) commit();
    const stream = open('100');
    // The first page goes at once; the rest after the event loop has had its turn.
    expect(stream.received).toHaveLength(500);
    const during = commit(); // arrives while the replay is still running
    for (let i = 0; i < 5; i++) await nextTick();
    const after = commit();
    const expected = Array.from({ length: 1100 }, (_, i) => 101 + i).concat(during.id, after.id);
    expect(stream.ids()).toEqual(expected);
  });

  it(`refuses a stream beyond ${MAX_STREAMS_PER_KEY} open ones for one API key (429), and accepts one again after a close`, () => {
    const streams = Array.from({ length: MAX_STREAMS_PER_KEY }, () => open());
    let refused: unknown;
    try {
      open();
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(HttpException);
    expect((refused as HttpException).getStatus()).toBe(429);
    // Another key is not affected.
    expect(() => open(undefined, { ...regulator, user: 'inspector2' })).not.toThrow();
    streams[0].subscription.unsubscribe();
    expect(() => open()).not.toThrow();
  });
});
