import fc from 'fast-check';
import {
  assertCanRevert,
  assertUnitTransition,
  nextBatchStatus,
  nextShipmentStatus,
  RevertInput,
  REVERSIBLE_STATES,
  SETTABLE_STATES,
} from './state-machines';
import { BATCH_STATUSES, SHIPMENT_STATUSES, UNIT_STATES } from './types';

describe(nextBatchStatus.name, () => {
  it('moves a released batch to recalled or quarantined, and back to released', () => {
    expect(nextBatchStatus('RELEASED', 'RECALL')).toBe('RECALLED');
    expect(nextBatchStatus('RELEASED', 'QUARANTINE')).toBe('QUARANTINED');
    expect(nextBatchStatus('QUARANTINED', 'RELEASE')).toBe('RELEASED');
    expect(nextBatchStatus('QUARANTINED', 'RECALL')).toBe('RECALLED');
  });

  it('never lets a recalled batch change again', () => {
    for (const action of ['RECALL', 'QUARANTINE', 'RELEASE'] as const) {
      expect(() => nextBatchStatus('RECALLED', action)).toThrow(/^CONFLICT: the batch is recalled/);
    }
  });

  it('refuses a no-op change', () => {
    expect(() => nextBatchStatus('RELEASED', 'RELEASE')).toThrow('CONFLICT: the batch is already RELEASED');
    expect(() => nextBatchStatus('QUARANTINED', 'QUARANTINE')).toThrow(
      'CONFLICT: the batch is already QUARANTINED',
    );
  });

  it('always lands in a batch status', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...BATCH_STATUSES),
        fc.constantFrom('RECALL', 'QUARANTINE', 'RELEASE') as fc.Arbitrary<'RECALL'>,
        (from, action) => {
          try {
            expect(BATCH_STATUSES).toContain(nextBatchStatus(from, action));
          } catch (e) {
            expect((e as Error).message).toMatch(/^CONFLICT: /);
          }
        },
      ),
    );
  });
});

describe(assertUnitTransition.name, () => {
  it('lets an active pack go to any inactive state', () => {
    for (const to of UNIT_STATES.filter((s) => s !== 'ACTIVE'))
      expect(() => assertUnitTransition('ACTIVE', to)).not.toThrow();
  });

  it('lets only dispensed, sample and exported packs return to active', () => {
    for (const from of UNIT_STATES.filter((s) => s !== 'ACTIVE')) {
      const revert = (): void => assertUnitTransition(from, 'ACTIVE');
      if (REVERSIBLE_STATES.includes(from)) expect(revert).not.toThrow();
      else expect(revert).toThrow(`CONFLICT: a ${from} pack cannot become ACTIVE`);
    }
  });

  it('refuses moving between inactive states and staying put', () => {
    expect(() => assertUnitTransition('DISPENSED', 'DESTROYED')).toThrow(
      'CONFLICT: a DISPENSED pack cannot become DESTROYED',
    );
    expect(() => assertUnitTransition('STOLEN', 'STOLEN')).toThrow('CONFLICT: the pack is already STOLEN');
  });

  it('does not offer DISPENSED as a directly settable state', () => {
    expect(SETTABLE_STATES).not.toContain('DISPENSED');
    expect(SETTABLE_STATES).not.toContain('ACTIVE');
  });
});

describe(assertCanRevert.name, () => {
  const pharmacy = { msp: 'PharmacyMSP', gln: '9506000020007' };
  const base: RevertInput = {
    state: 'DISPENSED',
    changedAt: '2027-03-01T10:00:00.000Z',
    changedBy: pharmacy,
    caller: pharmacy,
    now: '2027-03-05T10:00:00.000Z',
    expiry: '2028-06-30',
    batchStatus: 'RELEASED',
  };

  it('allows the same organisation and place within 10 days', () => {
    expect(() => assertCanRevert(base)).not.toThrow();
    expect(() => assertCanRevert({ ...base, now: '2027-03-11T10:00:00.000Z' })).not.toThrow(); // exactly 10 days
  });

  it('refuses another person of the same place (NMVS_NC_PCK_21); a record naming nobody goes by place', () => {
    const alice = { ...pharmacy, user: 'alice' };
    expect(() => assertCanRevert({ ...base, changedBy: alice, caller: alice })).not.toThrow();
    expect(() =>
      assertCanRevert({ ...base, changedBy: alice, caller: { ...pharmacy, user: 'bob' } }),
    ).toThrow('FORBIDDEN: NMVS_NC_PCK_21 undo attempted by a different user: alice set DISPENSED, not bob');
    expect(() => assertCanRevert({ ...base, changedBy: pharmacy, caller: alice })).not.toThrow();
  });

  it('refuses after 10 days', () => {
    expect(() => assertCanRevert({ ...base, now: '2027-03-11T10:00:00.001Z' })).toThrow(
      'CONFLICT: more than 10 days since the pack was DISPENSED',
    );
  });

  it('refuses another organisation, or the same organisation at another location', () => {
    expect(() => assertCanRevert({ ...base, caller: { msp: 'PharmacyBMSP', gln: pharmacy.gln } })).toThrow(
      /^FORBIDDEN: /,
    );
    expect(() => assertCanRevert({ ...base, caller: { ...pharmacy, gln: '9506000020014' } })).toThrow(
      /^FORBIDDEN: /,
    );
  });

  it('refuses expired packs, recalled batches, stolen or destroyed packs and packs without a record', () => {
    expect(() => assertCanRevert({ ...base, expiry: '2027-03-04' })).toThrow(
      'CONFLICT: the pack has expired',
    );
    expect(() => assertCanRevert({ ...base, batchStatus: 'RECALLED' })).toThrow(
      'CONFLICT: the batch is recalled',
    );
    expect(() => assertCanRevert({ ...base, state: 'STOLEN' })).toThrow(
      'CONFLICT: a STOLEN pack cannot be reverted to ACTIVE',
    );
    expect(() => assertCanRevert({ ...base, state: 'DESTROYED' })).toThrow(/cannot be reverted/);
    expect(() => assertCanRevert({ ...base, changedAt: undefined })).toThrow(
      'CONFLICT: the pack has no decommissioning record',
    );
  });
});

describe(nextShipmentStatus.name, () => {
  it('closes an in-transit shipment once', () => {
    expect(nextShipmentStatus('IN_TRANSIT', 'RECEIVE')).toBe('RECEIVED');
    expect(nextShipmentStatus('IN_TRANSIT', 'REJECT')).toBe('REJECTED');
    expect(nextShipmentStatus('IN_TRANSIT', 'CANCEL')).toBe('CANCELLED');
    for (const from of SHIPMENT_STATUSES.filter((s) => s !== 'IN_TRANSIT')) {
      expect(() => nextShipmentStatus(from, 'RECEIVE')).toThrow(`CONFLICT: the shipment is already ${from}`);
    }
  });
});
