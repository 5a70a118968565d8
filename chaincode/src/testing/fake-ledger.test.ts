import { KeyEndorsementPolicy } from 'fabric-shim';
import { ChaincodeStub } from 'fabric-shim-api';
import {
  compareKeys,
  createCompositeKey,
  FakeLedger,
  MvccConflictError,
  policyOrgs,
  splitCompositeKey,
} from './fake-ledger';

const alice = { mspId: 'Org1MSP', attrs: { 'drugtrace.role': 'PHARMACY' } };
const text = (b: Uint8Array): string => Buffer.from(b).toString('utf8');
const put = (stub: ChaincodeStub, key: string, value: string): Promise<void> =>
  stub.putState(key, Buffer.from(value));

async function keysOf(it: AsyncIterable<{ key: string }>): Promise<string[]> {
  const out: string[] = [];
  for await (const kv of it) out.push(kv.key);
  return out;
}

describe(FakeLedger.name, () => {
  let sut: FakeLedger;
  beforeEach(() => {
    sut = new FakeLedger({ start: new Date('2027-03-01T12:00:00.000Z') });
  });

  it('gives no read-your-own-writes inside a transaction, and applies writes on commit', async () => {
    const seen = await sut.submit(alice, async (ctx) => {
      await put(ctx.stub, 'k', 'v1');
      return (await ctx.stub.getState('k')).length;
    });
    expect(seen).toBe(0);
    expect(sut.read('k')?.toString()).toBe('v1');
    const next = await sut.submit(alice, async (ctx) => {
      await put(ctx.stub, 'k', 'v2');
      return text(await ctx.stub.getState('k'));
    });
    expect(next).toBe('v1');
  });

  it('hides the transaction’s own writes and deletes from range queries', async () => {
    await sut.submit(alice, async (ctx) => put(ctx.stub, 'a', '1'));
    const keys = await sut.submit(alice, async (ctx) => {
      await put(ctx.stub, 'b', '2');
      await ctx.stub.deleteState('a');
      return keysOf(ctx.stub.getStateByRange('', ''));
    });
    expect(keys).toEqual(['a']);
    expect(sut.read('a')).toBeUndefined();
  });

  it('writes nothing when the chaincode throws', async () => {
    await expect(
      sut.submit(alice, async (ctx) => {
        await put(ctx.stub, 'x', '1');
        throw new Error('CONFLICT: no');
      }),
    ).rejects.toThrow('CONFLICT: no');
    expect(sut.size).toBe(0);
    expect(sut.transactions).toHaveLength(0);
  });

  it('evaluates without committing', async () => {
    await sut.evaluate(alice, async (ctx) => put(ctx.stub, 'q', '1'));
    expect(sut.read('q')).toBeUndefined();
  });

  it('honours range bounds (start inclusive, end exclusive) in code-point order', async () => {
    const keys = ['b', 'a', 'ab', 'b\u00ff', 'c', '\uffff', '\u{1f600}', 'B'];
    await sut.submit(alice, async (ctx) => {
      for (const k of keys) await put(ctx.stub, k, k);
    });
    const all = await sut.evaluate(alice, (ctx) => keysOf(ctx.stub.getStateByRange('', '')));
    expect(all).toEqual(['B', 'a', 'ab', 'b', 'b\u00ff', 'c', '\uffff', '\u{1f600}']);
    const some = await sut.evaluate(alice, (ctx) => keysOf(ctx.stub.getStateByRange('ab', 'c')));
    expect(some).toEqual(['ab', 'b', 'b\u00ff']);
  });

  it('keeps composite keys out of simple-key range queries and refuses a composite start key', async () => {
    await sut.submit(alice, async (ctx) => {
      await put(ctx.stub, ctx.stub.createCompositeKey('unit', ['g', 's']), '1');
      await put(ctx.stub, 'plain', '2');
    });
    expect(await sut.evaluate(alice, (ctx) => keysOf(ctx.stub.getStateByRange('', '')))).toEqual(['plain']);
    await expect(
      sut.evaluate(alice, async (ctx) => ctx.stub.getStateByRange('\u0000unit', '')),
    ).rejects.toThrow(/null character/);
  });

  it('answers partial composite key queries with exactly the keys under the prefix, in order', async () => {
    await sut.submit(alice, async (ctx) => {
      const k = (...a: string[]): string => ctx.stub.createCompositeKey('unit', a);
      for (const key of [k('g2', 's1'), k('g1', 's2'), k('g1', 's1'), k('g1x', 's0'), k('g10', 's9')])
        await put(ctx.stub, key, '1');
      await put(ctx.stub, ctx.stub.createCompositeKey('unitx', ['g1', 's1']), '1');
    });
    const attrs = await sut.evaluate(alice, async (ctx) =>
      (await keysOf(ctx.stub.getStateByPartialCompositeKey('unit', ['g1']))).map(
        (k) => ctx.stub.splitCompositeKey(k).attributes,
      ),
    );
    expect(attrs).toEqual([
      ['g1', 's1'],
      ['g1', 's2'],
    ]);
  });

  it('pages with a bookmark that is the next key, and an empty bookmark at the end', async () => {
    await sut.submit(alice, async (ctx) => {
      for (let i = 0; i < 5; i++) await put(ctx.stub, ctx.stub.createCompositeKey('n', [String(i)]), '1');
    });
    const page = (bookmark: string): Promise<{ n: number; bookmark: string }> =>
      sut.evaluate(alice, async (ctx) => {
        const { iterator, metadata } = await ctx.stub.getStateByPartialCompositeKeyWithPagination(
          'n',
          [],
          2,
          bookmark,
        );
        let n = 0;
        for (let r = await iterator.next(); !r.done; r = await iterator.next()) n++;
        return { n, bookmark: metadata.bookmark };
      });
    const first = await page('');
    expect(first).toEqual({ n: 2, bookmark: createCompositeKey('n', ['2']) });
    const second = await page(first.bookmark);
    const third = await page(second.bookmark);
    expect(third).toEqual({ n: 1, bookmark: '' });
  });

  it('refuses writes in a transaction that ran a paginated query (as the peer does)', async () => {
    await expect(
      sut.submit(alice, async (ctx) => {
        await ctx.stub.getStateByPartialCompositeKeyWithPagination('n', [], 2, '');
        await put(ctx.stub, 'k', '1');
      }),
    ).rejects.toThrow(/paginated/);
  });

  it('creates and splits composite keys in the shim’s U+0000 format and validates attributes', () => {
    const key = createCompositeKey('unit', ['09506000134352', 'X7K2']);
    expect(key).toBe('\u0000unit\u000009506000134352\u0000X7K2\u0000');
    expect(splitCompositeKey(key)).toEqual({ objectType: 'unit', attributes: ['09506000134352', 'X7K2'] });
    expect(() => createCompositeKey('unit', [''])).toThrow(/non-zero length/);
    expect(() => createCompositeKey('', [])).toThrow(/non-zero length/);
  });

  it('orders keys like LevelDB (UTF-8 bytes), not like UTF-16 code units', () => {
    expect('\u{1f600}' < '\uffff').toBe(true); // JS order
    expect(compareKeys('\u{1f600}', '\uffff')).toBeGreaterThan(0); // byte order
    expect(compareKeys('a', 'ab')).toBeLessThan(0);
    expect(compareKeys('abc', 'abc')).toBe(0);
  });

  it('keeps the history of each key newest first, like Fabric v2+, with tx IDs, timestamps and deletes', async () => {
    const t1 = await sut.endorse(alice, async (ctx) => put(ctx.stub, 'h', '1'));
    sut.commit(t1);
    await sut.submit(alice, async (ctx) => put(ctx.stub, 'other', '1'));
    await sut.submit(alice, async (ctx) => ctx.stub.deleteState('h'));
    const history = await sut.evaluate(alice, async (ctx) => {
      const out: { txId: string; isDelete: boolean; value: string; seconds: number }[] = [];
      for await (const m of ctx.stub.getHistoryForKey('h')) {
        out.push({
          txId: m.txId,
          isDelete: m.isDelete,
          value: text(m.value),
          seconds: Number(m.timestamp.seconds),
        });
      }
      return out;
    });
    expect(history).toHaveLength(2);
    expect(history[0]).toMatchObject({ isDelete: true, value: '' });
    expect(history[1]).toMatchObject({
      txId: t1.txId,
      isDelete: false,
      value: '1',
      seconds: Date.parse('2027-03-01T12:00:00Z') / 1000,
    });
  });

  it('stamps transactions with a controllable clock that ticks between them', async () => {
    const stamp = (): Promise<string> =>
      sut.submit(alice, async (ctx) => ctx.stub.getDateTimestamp().toISOString());
    expect(await stamp()).toBe('2027-03-01T12:00:00.000Z');
    expect(await stamp()).toBe('2027-03-01T12:00:01.000Z');
    sut.advanceDays(10);
    expect(await stamp()).toBe('2027-03-11T12:00:02.000Z');
    const seconds = await sut.evaluate(alice, async (ctx) => Number(ctx.stub.getTxTimestamp().seconds));
    expect(seconds).toBe(Date.parse('2027-03-11T12:00:03.000Z') / 1000);
  });

  it('gives each transaction its own ID', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add(await sut.submit(alice, async (ctx) => ctx.stub.getTxID()));
    expect(ids.size).toBe(5);
  });

  it('keeps only the last event of a transaction and rejects an unnamed one', async () => {
    await sut.submit(alice, async (ctx) => {
      ctx.stub.setEvent('FIRST', Buffer.from('1'));
      ctx.stub.setEvent('SECOND', Buffer.from('2'));
    });
    expect(sut.lastTx?.event?.name).toBe('SECOND');
    expect(sut.lastTx?.event?.payload.toString()).toBe('2');
    await expect(sut.submit(alice, async (ctx) => ctx.stub.setEvent('', Buffer.alloc(0)))).rejects.toThrow(
      /non-empty/,
    );
  });

  it('stores key-level endorsement policies on commit and reports who must endorse the next change', async () => {
    const policy = new KeyEndorsementPolicy();
    policy.addOrgs('PEER', 'Org1MSP', 'Org2MSP');
    const before = await sut.submit(alice, async (ctx) => {
      await put(ctx.stub, 'goods', '1');
      await ctx.stub.setStateValidationParameter('goods', policy.getPolicy());
      return (await ctx.stub.getStateValidationParameter('goods')).length;
    });
    expect(before).toBe(0);
    expect(policyOrgs(sut.validationParameter('goods'))).toEqual(['Org1MSP', 'Org2MSP']);
    expect(sut.lastTx?.requiredOrgs).toEqual([]);
    await sut.submit(alice, async (ctx) => put(ctx.stub, 'goods', '2'));
    expect(sut.lastTx?.requiredOrgs).toEqual(['Org1MSP', 'Org2MSP']);
    expect(policyOrgs(sut.validationParameter('goods'))).toEqual(['Org1MSP', 'Org2MSP']); // kept by a value-only write
    const read = await sut.evaluate(alice, async (ctx) =>
      policyOrgs(await ctx.stub.getStateValidationParameter('goods')),
    );
    expect(read).toEqual(['Org1MSP', 'Org2MSP']);
  });

  it('invalidates a transaction whose read key changed before it committed (MVCC)', async () => {
    await sut.submit(alice, async (ctx) => put(ctx.stub, 'pack', 'ACTIVE'));
    const dispense = async (ctx: { stub: ChaincodeStub }): Promise<void> => {
      if (text(await ctx.stub.getState('pack')) !== 'ACTIVE') throw new Error('CONFLICT: gone');
      await put(ctx.stub, 'pack', 'DISPENSED');
    };
    const a = await sut.endorse(alice, dispense);
    const b = await sut.endorse({ mspId: 'Org2MSP' }, dispense);
    sut.commit(a);
    expect(() => sut.commit(b)).toThrow(MvccConflictError);
    expect(sut.transactions).toHaveLength(2);
  });

  it('invalidates a transaction whose range query would now return other keys (phantom read)', async () => {
    const count = await sut.endorse(alice, async (ctx) => {
      const n = (await keysOf(ctx.stub.getStateByPartialCompositeKey('org', []))).length;
      await put(ctx.stub, 'count', String(n));
    });
    await sut.submit(alice, async (ctx) => put(ctx.stub, ctx.stub.createCompositeKey('org', ['x']), '1'));
    expect(() => sut.commit(count)).toThrow(/PHANTOM_READ_CONFLICT/);
  });

  it('exposes the caller’s MSP and certificate attributes through the client identity', async () => {
    const seen = await sut.evaluate(alice, async (ctx) => ({
      msp: ctx.clientIdentity.getMSPID(),
      role: ctx.clientIdentity.getAttributeValue('drugtrace.role'),
      gln: ctx.clientIdentity.getAttributeValue('drugtrace.gln'),
      asserted: ctx.clientIdentity.assertAttributeValue('drugtrace.role', 'PHARMACY'),
      creator: ctx.stub.getCreator().mspid,
    }));
    expect(seen).toEqual({ msp: 'Org1MSP', role: 'PHARMACY', gln: null, asserted: true, creator: 'Org1MSP' });
  });
});
