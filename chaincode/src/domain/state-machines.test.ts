import fc from 'fast-check';
import {
  assertUnitTransition,
  nextBatchStatus,
  nextShipmentStatus,
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
