import fc from 'fast-check';
import stringifyDeterministic from 'json-stringify-deterministic';
import { canonicalCopy, canonicalJson } from './canonical-json';

/** Documents as the contracts write and answer them: a verification, a unit, a serial chunk, a receipt's claims. */
const DOCUMENTS: unknown[] = [
  {
    verdict: 'SUSPECT',
    reasons: ['LOT_MISMATCH', 'EXPIRED'],
    code: { gtin: '09506000134352', lot: 'ZZ9', expiry: '2028-06-30', serial: 'S0001', otherAis: undefined },
    hints: ['LOT_MISREAD'],
    product: {
      gtin: '09506000134352',
      name: 'Paracétamol 500 mg “tablets”',
      manufacturer: 'ManufacturerMSP',
    },
    batch: { gtin: '09506000134352', lot: 'A1B2', expiry: '2028-06-30', state: 'RECALLED', quantity: 200 },
    unit: { state: 'ACTIVE', custodian: { msp: 'PharmacyMSP', gln: '9506000000010' }, inTransit: false },
  },
  {
    gtin: '09506000134352',
    serial: 'K7QZAAAAAAAA',
    lot: 'A1',
    state: 'IN_TRANSIT',
    custodian: { msp: 'DistributorMSP', gln: '9506000000027' },
    last: {
      type: 'SHIPPED',
      at: new Date(Date.UTC(2026, 10, 30, 12)),
      org: 'DistributorMSP',
      user: 'ana\u0000b',
    },
    parent: undefined,
    shipmentId: 'ship-1',
  },
  {
    gtin: '09506000134352',
    prefix: 'K7QZ',
    serials: Array.from({ length: 300 }, (_, i) => `K7QZ${String(i).padStart(8, '0')}`),
    at: '2026-11-30T00:00:00.000Z',
  },
  {
    verdict: 'GENUINE',
    reasons: [],
    code: { gtin: '09506000134352', serial: '\ud800lone', 10: 'ten', 2: 'two', B: 1, a: 2, é: 3 },
    asOfBlock: null,
    scanner: { msp: 'PharmacyMSP', gln: '9506000000010' },
    at: '2026-12-01T02:00:00.000Z',
    numbers: [0, -0, 1e21, 1.5e-7, NaN, Infinity, -1],
    items: [undefined, () => 1, null, true, [], {}, /a+b/g],
  },
  'text',
  42,
  null,
  [],
];

/** Any value of JSON's kinds, undefined, dates, regular expressions, sparse arrays and null-prototype objects. */
const anyValue = fc.anything({
  withDate: true,
  withNullPrototype: true,
  withSparseArray: true,
  withObjectString: false,
  withBigInt: false,
  withBoxedValues: false,
  withMap: false,
  withSet: false,
  withTypedArray: false,
});

describe(canonicalJson.name, () => {
  it('writes the bytes json-stringify-deterministic wrote for every kind of document the ledger keeps', () => {
    for (const doc of DOCUMENTS) expect(canonicalJson(doc)).toBe(stringifyDeterministic(doc));
  });

  it('property: writes the same bytes as json-stringify-deterministic for any value of JSON’s kinds and undefined', () => {
    fc.assert(
      fc.property(anyValue, (value) => expect(canonicalJson(value)).toBe(stringifyDeterministic(value))),
      { numRuns: 2000 },
    );
  });

  it('sorts keys at every depth and refuses a cycle', () => {
    expect(canonicalJson({ b: { d: 1, c: [{ f: 1, e: 2 }] }, a: 0 })).toBe(
      '{"a":0,"b":{"c":[{"e":2,"f":1}],"d":1}}',
    );
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = { again: cyclic };
    expect(() => canonicalJson(cyclic)).toThrow(TypeError);
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: [shared] })).toBe('{"a":{"x":1},"b":[{"x":1}]}');
  });
});

describe(canonicalCopy.name, () => {
  /** What a client of the peer reads: the canonical JSON parsed. */
  const asRead = (value: unknown) => JSON.parse(canonicalJson(value)) as unknown;

  it('is the canonical JSON read back, member for member and in the same key order, for the ledger’s documents', () => {
    for (const doc of DOCUMENTS) {
      const copied = canonicalCopy(doc);
      expect(copied).toStrictEqual(asRead(doc));
      expect(JSON.stringify(copied)).toBe(JSON.stringify(asRead(doc)));
    }
  });

  it('property: is the canonical JSON read back for any value of JSON’s kinds and undefined', () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        fc.pre(canonicalJson(value) !== undefined);
        const copied = canonicalCopy(value);
        expect(copied).toStrictEqual(asRead(value));
        expect(JSON.stringify(copied)).toBe(JSON.stringify(asRead(value)));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps a "__proto__" member as a member, as JSON.parse does, and refuses a cycle', () => {
    const doc = JSON.parse('{"__proto__":{"polluted":true},"a":1}') as unknown;
    const copied = canonicalCopy(doc) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copied)).toBe(Object.prototype);
    expect(Object.keys(copied)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const cyclic: unknown[] = [];
    cyclic.push({ back: cyclic });
    expect(() => canonicalCopy(cyclic)).toThrow(TypeError);
  });
});
