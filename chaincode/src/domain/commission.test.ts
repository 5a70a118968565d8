import fc from 'fast-check';
import {
  assertIdempotencyKey,
  assertSameCommission,
  commissionRequestHash,
  CommissionFields,
} from './commission';

const request: fc.Arbitrary<CommissionFields> = fc.record(
  {
    gtin: fc.string({ minLength: 1, maxLength: 14 }),
    lot: fc.string({ minLength: 1, maxLength: 20 }),
    expiry: fc.string({ maxLength: 10 }),
    manufacturedOn: fc.string({ maxLength: 10 }),
    serials: fc.array(fc.string({ minLength: 1, maxLength: 20 }), { minLength: 1, maxLength: 5 }),
    quantity: fc.integer({ min: 1, max: 1000 }),
  },
  { requiredKeys: ['gtin', 'lot', 'expiry', 'manufacturedOn'] },
);

describe('commissionRequestHash', () => {
  it('is the same for the same fields, whatever their order in the object', () => {
    fc.assert(
      fc.property(request, (r) => {
        const reordered = Object.fromEntries(Object.entries(r).reverse()) as unknown as CommissionFields;
        expect(commissionRequestHash(reordered)).toBe(commissionRequestHash(r));
      }),
    );
  });

  it('differs when any field differs', () => {
    fc.assert(
      fc.property(request, request, (a, b) => {
        const same = commissionRequestHash(a) === commissionRequestHash(b);
        const equal =
          a.gtin === b.gtin &&
          a.lot === b.lot &&
          a.expiry === b.expiry &&
          a.manufacturedOn === b.manufacturedOn &&
          JSON.stringify(a.serials ?? null) === JSON.stringify(b.serials ?? null) &&
          (a.quantity ?? null) === (b.quantity ?? null);
        expect(same).toBe(equal);
      }),
    );
  });
});

describe('assertIdempotencyKey', () => {
  it.each(['a', 'A1B2/page-7', 'x'.repeat(128), '0f8fad5b-d9cb-469f-a165-70867728950e', 'run:1_2.3'])(
    'accepts %j',
    (key) => expect(() => assertIdempotencyKey(key)).not.toThrow(),
  );
  it.each(['', 'x'.repeat(129), 'with space', 'tab\t', 'ü', 'a\u0000b'])('refuses %j as INVALID', (key) =>
    expect(() => assertIdempotencyKey(key)).toThrow(/^INVALID: Idempotency-Key/),
  );
});

describe('assertSameCommission', () => {
  const record = {
    key: 'K',
    requestHash: 'h1',
    txId: 'tx1',
    gtin: 'g',
    lot: 'l',
    unitCount: 1,
    at: '2026-11-30T00:00:00.000Z',
  };
  it('accepts the recorded hash and refuses another, naming the key and the first transaction', () => {
    expect(() => assertSameCommission(record, 'h1')).not.toThrow();
    expect(() => assertSameCommission(record, 'h2')).toThrow(
      /^CONFLICT: Idempotency-Key K was used for another commission request \(transaction tx1\)/,
    );
  });
});
