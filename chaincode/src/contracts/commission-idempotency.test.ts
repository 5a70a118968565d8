import fc from 'fast-check';
import { CommissionResult, SerialPage } from '../api';
import { KEY } from '../ledger/keys';
import { createCompositeKey, MvccConflictError, policyOrgs } from '../testing/fake-ledger';
import { Chain, expectRefused, GTIN, ID } from '../testing/harness';

const BODY = { gtin: GTIN, lot: 'A1B2', expiry: '2028-06-30', manufacturedOn: '2026-11-01' };

const serialsOf = async (chain: Chain, lot = 'A1B2'): Promise<string[]> =>
  (
    await chain.evaluate<SerialPage>(ID.manufacturer, (ctx) =>
      chain.batches.ListSerials(ctx, GTIN, lot, '10000', ''),
    )
  ).serials;

const quantityOf = async (chain: Chain, lot = 'A1B2'): Promise<number> =>
  (await chain.evaluate<{ quantity: number }>(ID.regulator, (ctx) => chain.batches.Get(ctx, GTIN, lot)))
    .quantity;

/** Endorses a commission without committing it: what a client whose answer timed out has in flight. */
const endorseCommission = (chain: Chain, body: Record<string, unknown>) =>
  chain.ledger.endorse(ID.manufacturer, (ctx) => chain.batches.Commission(ctx, JSON.stringify(body)));

describe('batches:Commission under an idempotency key', () => {
  let chain: Chain;
  beforeEach(async () => {
    chain = new Chain();
    await chain.seed();
    await chain.registerProduct();
  });

  it('answers a repeat with the first result (generated serials too) and writes nothing', async () => {
    const first = await chain.commission({ quantity: 25, idempotencyKey: 'line-7/2026-11-30/001' });
    const txs = chain.ledger.transactions.length;
    const again = await chain.commission({ quantity: 25, idempotencyKey: 'line-7/2026-11-30/001' });
    expect(again).toEqual({ ...first, replayed: true });
    expect(first.replayed).toBeUndefined();
    expect(chain.ledger.transactions).toHaveLength(txs + 1);
    expect(chain.ledger.lastTx?.writes).toEqual([]);
    expect(chain.ledger.lastTx?.event).toBeUndefined();
    expect(await quantityOf(chain)).toBe(25);
    expect((await serialsOf(chain)).sort()).toEqual([...first.serials].sort());
  });

  it('refuses another request under a used key (CONFLICT naming the key) and writes nothing', async () => {
    await chain.commission({ quantity: 5, idempotencyKey: 'K-1' });
    await expectRefused(
      chain,
      () => chain.commission({ quantity: 6, idempotencyKey: 'K-1' }),
      'CONFLICT',
      /Idempotency-Key K-1 was used for another commission request/,
    );
    await expectRefused(
      chain,
      () => chain.commission({ quantity: 5, lot: 'OTHER', idempotencyKey: 'K-1' }),
      'CONFLICT',
    );
    expect(await quantityOf(chain)).toBe(5);
  });

  it.each(['', 'has space', 'x'.repeat(129), 'ümlaut'])('refuses the key %j as INVALID', async (key) => {
    await expectRefused(
      chain,
      () => chain.commission({ quantity: 1, idempotencyKey: key }),
      'INVALID',
      /Idempotency-Key/,
    );
  });

  it('scopes keys per organisation and protects the record with manufacturer + regulator', async () => {
    await chain.commission({ serials: ['S1'], idempotencyKey: 'K-2' });
    const key = createCompositeKey(KEY.commission, ['ManufacturerMSP', 'K-2']);
    expect(policyOrgs(chain.ledger.validationParameter(key))).toEqual(['ManufacturerMSP', 'RegulatorMSP']);
  });

  it('keeps one of two racing copies: the other is invalidated and its re-execution replays', async () => {
    const body = { ...BODY, quantity: 10, idempotencyKey: 'race' };
    const a = await endorseCommission(chain, body);
    const b = await endorseCommission(chain, body);
    expect(a.result.serials).not.toEqual(b.result.serials);
    chain.ledger.commit(a);
    expect(() => chain.ledger.commit(b)).toThrow(MvccConflictError);
    const retried = await chain.commission(body);
    expect(retried).toEqual({ ...a.result, replayed: true });
    expect(await quantityOf(chain)).toBe(10);
  });

  it('without a key, a repeat by quantity commissions again (the behaviour keys exist for)', async () => {
    await chain.commission({ quantity: 3 });
    await chain.commission({ quantity: 3 });
    expect(await quantityOf(chain)).toBe(6);
  });

  it('property: any interleaving of pages, timed-out repeats and races leaves each page once, no serial twice', async () => {
    // A page is (key, quantity); a step sends one page normally, or endorses it twice before committing either
    // (a client that repeated before the first answer came back), or repeats a page already sent.
    const step = fc.record({
      page: fc.integer({ min: 0, max: 5 }),
      kind: fc.constantFrom('send' as const, 'race' as const, 'repeat' as const),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        const c = new Chain();
        await c.seed();
        await c.registerProduct();
        const first = new Map<number, CommissionResult>();
        const bodyOf = (page: number) => ({
          ...BODY,
          quantity: page + 1,
          idempotencyKey: `lot/page-${page}`,
        });
        for (const { page, kind } of steps) {
          const body = bodyOf(page);
          let result: CommissionResult;
          if (kind === 'race') {
            const x = await endorseCommission(c, body);
            const y = await endorseCommission(c, body);
            c.ledger.commit(x);
            try {
              c.ledger.commit(y);
            } catch (e) {
              if (!(e instanceof MvccConflictError)) throw e;
            }
            result = await c.commission(body);
          } else {
            result = await c.commission(body);
          }
          const before = first.get(page);
          if (before) expect(result.serials).toEqual(before.serials);
          else first.set(page, result);
        }
        const listed = await serialsOf(c);
        const expected = [...first.values()].flatMap((r) => r.serials);
        expect(new Set(listed).size).toBe(listed.length);
        expect([...listed].sort()).toEqual([...expected].sort());
        expect(await quantityOf(c)).toBe(expected.length);
      }),
      { numRuns: 40 },
    );
  });
});
