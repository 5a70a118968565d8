import fc from 'fast-check';
import {
  ACTION_ROLES,
  Actor,
  dispenseRefusal,
  DispensablePack,
  mayDispense,
  mayRevert,
  mayUndoDispense,
  productOwnerRefusal,
  revertRefusal,
  roleRefusal,
  shipmentActionRefusal,
  shipmentReadRefusal,
} from './authority';
import { RevertInput, REVERT_WINDOW_DAYS, REVERSIBLE_STATES } from './state-machines';
import { ROLES, UNIT_STATES } from './types';

const pharmacy: Actor = { msp: 'PharmacyMSP', role: 'PHARMACY' };
const maker: Actor = { msp: 'AcmeMSP', role: 'MANUFACTURER' };
const regulator: Actor = { msp: 'AgencyMSP', role: 'REGULATOR' };

describe(roleRefusal.name, () => {
  it('allows exactly the roles the table names, and says who is refused and what it needs', () => {
    for (const action of Object.keys(ACTION_ROLES) as (keyof typeof ACTION_ROLES)[]) {
      for (const role of ROLES) {
        const refusal = roleRefusal({ msp: 'SomeMSP', role }, action);
        if ((ACTION_ROLES[action] as readonly string[]).includes(role)) expect(refusal).toBeUndefined();
        else
          expect(refusal?.message).toBe(
            `FORBIDDEN: SomeMSP is ${role}; this needs ${ACTION_ROLES[action].join(' or ')}`,
          );
      }
    }
  });
});

describe(dispenseRefusal.name, () => {
  const pack: DispensablePack = {
    gtin: '09506000134352',
    serial: 'S1',
    lot: 'A1B2',
    expiry: '2028-06-30',
    state: 'ACTIVE',
  };
  const today = '2027-01-01';

  it('lets a pharmacy dispense an active pack of a released batch before its expiry (the expiry day included)', () => {
    expect(mayDispense(pharmacy, pack, 'RELEASED', today)).toBe(true);
    expect(mayDispense(pharmacy, { ...pack, expiry: today }, 'RELEASED', today)).toBe(true);
  });

  it('refuses other roles, inactive packs, batches not released and expired packs, each with its code', () => {
    expect(dispenseRefusal(maker, pack, 'RELEASED', today)?.message).toBe(
      'FORBIDDEN: AcmeMSP is MANUFACTURER; this needs PHARMACY',
    );
    expect(dispenseRefusal(pharmacy, { ...pack, state: 'DISPENSED' }, 'RELEASED', today)?.message).toBe(
      'CONFLICT: unit 09506000134352/S1 is DISPENSED',
    );
    expect(dispenseRefusal(pharmacy, pack, 'QUARANTINED', today)?.message).toBe(
      'CONFLICT: batch 09506000134352/A1B2 is QUARANTINED',
    );
    expect(dispenseRefusal(pharmacy, { ...pack, expiry: '2026-12-31' }, 'RELEASED', today)?.message).toBe(
      'CONFLICT: unit 09506000134352/S1 expired on 2026-12-31',
    );
  });

  it('allows nothing but an active pack', () => {
    for (const state of UNIT_STATES)
      expect(mayDispense(pharmacy, { ...pack, state }, 'RELEASED', today)).toBe(state === 'ACTIVE');
  });
});

describe(mayUndoDispense.name, () => {
  it('is a pharmacy and a dispensed pack', () => {
    const pack = { gtin: '09506000134352', serial: 'S1', state: 'DISPENSED' as const };
    expect(mayUndoDispense(pharmacy, pack)).toBe(true);
    expect(mayUndoDispense(regulator, pack)).toBe(false);
    expect(mayUndoDispense(pharmacy, { ...pack, state: 'SAMPLE' })).toBe(false);
  });
});

describe(revertRefusal.name, () => {
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
    expect(revertRefusal(base)).toBeUndefined();
    expect(revertRefusal({ ...base, now: '2027-03-11T10:00:00.000Z' })).toBeUndefined(); // exactly 10 days
  });

  it('refuses after 10 days', () => {
    expect(revertRefusal({ ...base, now: '2027-03-11T10:00:00.001Z' })?.message).toMatch(
      'CONFLICT: more than 10 days since the pack was DISPENSED',
    );
  });

  it('refuses another organisation, or the same organisation at another location', () => {
    expect(revertRefusal({ ...base, caller: { msp: 'PharmacyBMSP', gln: pharmacy.gln } })?.message).toMatch(
      /^FORBIDDEN: /,
    );
    expect(revertRefusal({ ...base, caller: { ...pharmacy, gln: '9506000020014' } })?.message).toMatch(
      /^FORBIDDEN: /,
    );
  });

  it('refuses expired packs, recalled batches, stolen or destroyed packs and packs without a record', () => {
    expect(revertRefusal({ ...base, expiry: '2027-03-04' })?.message).toMatch(
      'CONFLICT: the pack has expired',
    );
    expect(revertRefusal({ ...base, batchStatus: 'RECALLED' })?.message).toMatch(
      'CONFLICT: the batch is recalled',
    );
    expect(revertRefusal({ ...base, state: 'STOLEN' })?.message).toMatch(
      'CONFLICT: a STOLEN pack cannot be reverted to ACTIVE',
    );
    expect(revertRefusal({ ...base, state: 'DESTROYED' })?.message).toMatch(/cannot be reverted/);
    expect(revertRefusal({ ...base, changedAt: undefined })?.message).toMatch(
      'CONFLICT: the pack has no decommissioning record',
    );
  });
});

describe('revert windows', () => {
  const place = { msp: 'PharmacyMSP', gln: '9506000020007' };
  const at = (state: RevertInput['state'], days: number): RevertInput => ({
    state,
    changedAt: '2027-03-01T00:00:00.000Z',
    changedBy: place,
    caller: place,
    now: new Date(Date.parse('2027-03-01T00:00:00.000Z') + days * 86_400_000 + 1).toISOString(),
    expiry: '2030-01-01',
    batchStatus: 'RELEASED',
  });

  it('reads each revertible state its own window, named in the refusal', () => {
    for (const state of REVERSIBLE_STATES) {
      const days = REVERT_WINDOW_DAYS[state as keyof typeof REVERT_WINDOW_DAYS];
      expect(mayRevert(at(state, days - 1))).toBe(true);
      expect(revertRefusal(at(state, days))?.message).toBe(
        `CONFLICT: more than ${days} days since the pack was ${state}`,
      );
    }
  });

  it('never reverts a state without a window', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...UNIT_STATES.filter((s) => !REVERSIBLE_STATES.includes(s))),
        (state) => !mayRevert(at(state, 0)),
      ),
    );
  });
});

describe('shipment parties', () => {
  const shipment = { id: 'tx1', from: { msp: 'AcmeMSP', gln: '1' }, to: { msp: 'PharmacyMSP', gln: '2' } };

  it('lets the sender cancel and the receiver receive or reject, nobody else', () => {
    expect(shipmentActionRefusal(maker, shipment, 'CANCEL')).toBeUndefined();
    expect(shipmentActionRefusal(pharmacy, shipment, 'RECEIVE')).toBeUndefined();
    expect(shipmentActionRefusal(pharmacy, shipment, 'REJECT')).toBeUndefined();
    expect(shipmentActionRefusal(pharmacy, shipment, 'CANCEL')?.message).toBe(
      'FORBIDDEN: only the sender (AcmeMSP) may cancel shipment tx1',
    );
    expect(shipmentActionRefusal(maker, shipment, 'RECEIVE')?.message).toBe(
      'FORBIDDEN: only the receiver (PharmacyMSP) may receive shipment tx1',
    );
  });

  it('lets the two parties and the regulator read it', () => {
    expect(shipmentReadRefusal(maker, shipment)).toBeUndefined();
    expect(shipmentReadRefusal(regulator, shipment)).toBeUndefined();
    expect(shipmentReadRefusal({ msp: 'OtherMSP', role: 'DISTRIBUTOR' }, shipment)?.code).toBe('FORBIDDEN');
  });
});

describe(productOwnerRefusal.name, () => {
  it('lets a manufacturer commission its own products only', () => {
    expect(productOwnerRefusal(maker, { gtin: 'G', manufacturer: 'AcmeMSP' })).toBeUndefined();
    expect(productOwnerRefusal(maker, { gtin: 'G', manufacturer: 'OtherMSP' })?.message).toBe(
      'FORBIDDEN: product G belongs to OtherMSP',
    );
    expect(productOwnerRefusal(regulator, { gtin: 'G', manufacturer: 'AgencyMSP' })?.code).toBe('FORBIDDEN');
  });
});
