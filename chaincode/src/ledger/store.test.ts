import { Context } from 'fabric-contract-api';
import type { ChaincodeStub } from 'fabric-shim-api';
import { createCompositeKey } from './composite-key';
import { deepFreeze } from './serialize';
import { Store } from './store';

const CHUNK = {
  gtin: '09506000134352',
  prefix: 'K7QZ',
  serials: ['K7QZAAAAAAAA', 'K7QZBBBBBBBB'],
  last: { at: 'x' },
};

/** A store over one key whose bytes `bytes()` hands back on every read. */
function storeOver(bytes: () => Uint8Array): Store {
  const ctx = new Context();
  ctx.stub = {
    createCompositeKey,
    getState: async () => bytes(),
  } as unknown as ChaincodeStub;
  return new Store(ctx);
}

describe('Store.findShared', () => {
  it('parses the same bytes once, and shares the document frozen at every depth', async () => {
    const bytes = Buffer.from(JSON.stringify(CHUNK));
    const store = storeOver(() => bytes);
    const first = await store.findShared<typeof CHUNK>('serials', ['09506000134352', 'K7QZ']);
    expect(first).toEqual(CHUNK);
    expect(await store.findShared('serials', ['09506000134352', 'K7QZ'])).toBe(first);
    // Another store (another transaction) reading the same bytes shares it too.
    expect(await storeOver(() => bytes).findShared('serials', ['09506000134352', 'K7QZ'])).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(() => first!.serials.push('K7QZCCCCCCCC')).toThrow(TypeError);
    expect(() => {
      (first!.last as { at: string }).at = 'changed';
    }).toThrow(TypeError);
    expect(first!.serials).toEqual(CHUNK.serials);
  });

  it('parses new bytes anew (a peer hands back new bytes on every read) and finds nothing in empty ones', async () => {
    const store = storeOver(() => Buffer.from(JSON.stringify(CHUNK)));
    const first = await store.findShared('serials', ['09506000134352', 'K7QZ']);
    const second = await store.findShared('serials', ['09506000134352', 'K7QZ']);
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    expect(await storeOver(() => new Uint8Array(0)).findShared('serials', ['x'])).toBeUndefined();
  });
});

describe(deepFreeze.name, () => {
  it('freezes objects and arrays at every depth and leaves the values as they were', () => {
    const doc = { a: [{ b: 1 }, 'c'], d: { e: null } };
    expect(deepFreeze(doc)).toBe(doc);
    expect([doc, doc.a, doc.a[0], doc.d].every((o) => Object.isFrozen(o))).toBe(true);
    expect(doc).toEqual({ a: [{ b: 1 }, 'c'], d: { e: null } });
    expect(deepFreeze('text')).toBe('text');
  });
});
