import fc from 'fast-check';
import { assessVerification, VerificationInput } from './verification';
import { REASON_CODES, UNIT_STATES } from './types';

const pharmacy = { msp: 'PharmacyMSP', gln: '9506000020007' };
const genuine: VerificationInput = {
  code: { gtin: '09506000134352', lot: 'A1B2', expiry: '2028-06-30', serial: 'X7K2' },
  product: { gtin: '09506000134352' },
  batch: { lot: 'A1B2', expiry: '2028-06-30', status: 'RELEASED' },
  unit: { lot: 'A1B2', expiry: '2028-06-30', state: 'ACTIVE', custodian: pharmacy, inTransit: false },
  scanner: { ...pharmacy, role: 'PHARMACY' },
  today: '2027-03-01',
};

describe(assessVerification.name, () => {
  it('is GENUINE only when no reason applies', () => {
    expect(assessVerification(genuine)).toEqual({ verdict: 'GENUINE', reasons: [] });
  });

  it('calls an unknown product or serial COUNTERFEIT', () => {
    expect(assessVerification({ ...genuine, product: undefined })).toEqual({
      verdict: 'COUNTERFEIT',
      reasons: ['UNKNOWN_PRODUCT'],
    });
    expect(assessVerification({ ...genuine, unit: undefined, batch: undefined })).toEqual({
      verdict: 'COUNTERFEIT',
      reasons: ['UNKNOWN_SERIAL'],
    });
  });

  it('flags a printed lot or expiry that differs from the commissioned one', () => {
    expect(assessVerification({ ...genuine, code: { ...genuine.code, lot: 'ZZZ' } }).reasons).toEqual([
      'LOT_MISMATCH',
    ]);
    expect(
      assessVerification({ ...genuine, code: { ...genuine.code, expiry: '2029-01-31' } }).reasons,
    ).toEqual(['EXPIRY_MISMATCH']);
    expect(
      assessVerification({ ...genuine, code: { gtin: genuine.code.gtin, serial: 'X7K2' } }).verdict,
    ).toBe('GENUINE');
  });

  it('flags a pack past expiry, but not on its expiry day', () => {
    expect(assessVerification({ ...genuine, today: '2028-07-01' }).reasons).toEqual(['EXPIRED']);
    expect(assessVerification({ ...genuine, today: '2028-06-30' }).verdict).toBe('GENUINE');
  });

  it('flags recalled and quarantined batches', () => {
    expect(
      assessVerification({ ...genuine, batch: { ...genuine.batch!, status: 'RECALLED' } }).reasons,
    ).toEqual(['RECALLED']);
    expect(
      assessVerification({ ...genuine, batch: { ...genuine.batch!, status: 'QUARANTINED' } }).reasons,
    ).toEqual(['QUARANTINED']);
  });

  it('gives each inactive state its own reason', () => {
    const reasonOf = {
      DISPENSED: 'ALREADY_DISPENSED',
      DESTROYED: 'DESTROYED',
      STOLEN: 'STOLEN',
      SAMPLE: 'SAMPLE',
      EXPORTED: 'EXPORTED',
    } as const;
    for (const [state, reason] of Object.entries(reasonOf)) {
      const result = assessVerification({
        ...genuine,
        unit: { ...genuine.unit!, state: state as keyof typeof reasonOf },
      });
      expect(result).toEqual({ verdict: 'SUSPECT', reasons: [reason] });
    }
  });

  it('flags goods in transit, and does not also call them out of custody', () => {
    const inTransit = {
      ...genuine.unit!,
      inTransit: true,
      custodian: { msp: 'DistributorMSP', gln: '9506000010007' },
    };
    expect(assessVerification({ ...genuine, unit: inTransit }).reasons).toEqual(['IN_TRANSIT']);
  });

  it('flags a pharmacy scanning a pack the ledger places elsewhere (diversion)', () => {
    const elsewhere = { ...genuine.unit!, custodian: { msp: 'PharmacyBMSP', gln: '9506000030004' } };
    expect(assessVerification({ ...genuine, unit: elsewhere }).reasons).toEqual(['NOT_IN_CUSTODY']);
    const otherBranch = { ...genuine.unit!, custodian: { ...pharmacy, gln: '9506000020014' } };
    expect(assessVerification({ ...genuine, unit: otherBranch }).reasons).toEqual(['NOT_IN_CUSTODY']);
  });

  it('makes no custody check for distributors, regulators or anonymous scans', () => {
    const elsewhere = { ...genuine.unit!, custodian: { msp: 'ManufacturerMSP', gln: '9506000000003' } };
    expect(
      assessVerification({
        ...genuine,
        unit: elsewhere,
        scanner: { msp: 'DistributorMSP', role: 'DISTRIBUTOR' },
      }).verdict,
    ).toBe('GENUINE');
    expect(
      assessVerification({ ...genuine, unit: elsewhere, scanner: { msp: 'RegulatorMSP', role: 'REGULATOR' } })
        .verdict,
    ).toBe('GENUINE');
    expect(assessVerification({ ...genuine, unit: elsewhere, scanner: undefined }).verdict).toBe('GENUINE');
  });

  it('reports several reasons in the documented order, always SUSPECT', () => {
    const result = assessVerification({
      ...genuine,
      code: { ...genuine.code, lot: 'X' },
      batch: { ...genuine.batch!, status: 'RECALLED' },
      unit: { ...genuine.unit!, state: 'DISPENSED' },
      today: '2029-01-01',
    });
    expect(result).toEqual({
      verdict: 'SUSPECT',
      reasons: ['LOT_MISMATCH', 'EXPIRED', 'RECALLED', 'ALREADY_DISPENSED'],
    });
  });

  it('for any facts: GENUINE iff no reasons, reasons ordered and unique', () => {
    const arb = fc.record({
      lot: fc.constantFrom('A1B2', 'OTHER'),
      state: fc.constantFrom(...UNIT_STATES),
      status: fc.constantFrom('RELEASED', 'QUARANTINED', 'RECALLED') as fc.Arbitrary<'RELEASED'>,
      inTransit: fc.boolean(),
      holder: fc.constantFrom('PharmacyMSP', 'PharmacyBMSP'),
      today: fc.constantFrom('2027-01-01', '2030-01-01'),
    });
    fc.assert(
      fc.property(arb, (f) => {
        const result = assessVerification({
          ...genuine,
          code: { ...genuine.code, lot: f.lot },
          batch: { ...genuine.batch!, status: f.status },
          unit: {
            ...genuine.unit!,
            state: f.state,
            inTransit: f.inTransit,
            custodian: { msp: f.holder, gln: pharmacy.gln },
          },
          today: f.today,
        });
        expect(result.verdict === 'GENUINE').toBe(result.reasons.length === 0);
        expect(result.verdict).not.toBe('COUNTERFEIT');
        const indices = result.reasons.map((r) => REASON_CODES.indexOf(r));
        expect(indices).toEqual([...indices].sort((a, b) => a - b));
        expect(new Set(result.reasons).size).toBe(result.reasons.length);
      }),
    );
  });
});
