import fc from 'fast-check';
import { Actor } from './authority';
import {
  BatchAuthorityView,
  batchStatusRefusal,
  isBatchAuthority,
  mayChangeBatchStatus,
  REGULATOR_HELD_STATUSES,
} from './batch-authority';
import { BATCH_STATUSES, ROLES } from './types';

const batch = (over: Partial<BatchAuthorityView> = {}): BatchAuthorityView => ({
  gtin: '09506000134352',
  lot: 'A1B2',
  manufacturer: 'AcmeMSP',
  status: 'RELEASED',
  ...over,
});
const maker: Actor = { msp: 'AcmeMSP', role: 'MANUFACTURER' };
const regulator: Actor = { msp: 'AgencyMSP', role: 'REGULATOR' };

const mspArb = fc.constantFrom('AcmeMSP', 'OtherMSP', 'AgencyMSP');
const actorArb: fc.Arbitrary<Actor> = fc.record({ msp: mspArb, role: fc.constantFrom(...ROLES) });
const batchArb: fc.Arbitrary<BatchAuthorityView> = fc.record(
  {
    gtin: fc.constant('09506000134352'),
    lot: fc.constant('A1B2'),
    manufacturer: mspArb,
    status: fc.constantFrom(...BATCH_STATUSES),
    statusByRole: fc.constantFrom(...ROLES),
  },
  { requiredKeys: ['gtin', 'lot', 'manufacturer', 'status'] },
);

describe(mayChangeBatchStatus.name, () => {
  it('lets the manufacturer lift its own quarantine, but not the regulator’s', () => {
    expect(mayChangeBatchStatus(maker, batch({ status: 'QUARANTINED', statusByRole: 'MANUFACTURER' }))).toBe(
      true,
    );
    expect(
      batchStatusRefusal(maker, batch({ status: 'QUARANTINED', statusByRole: 'REGULATOR' }))?.detail,
    ).toBe(
      'batch 09506000134352/A1B2 was QUARANTINED by the regulator; only the regulator may change its status',
    );
    expect(mayChangeBatchStatus(maker, batch({ status: 'RECALLED', statusByRole: 'REGULATOR' }))).toBe(false);
  });

  it('lets the manufacturer act on a batch the regulator released', () => {
    expect(mayChangeBatchStatus(maker, batch({ status: 'RELEASED', statusByRole: 'REGULATOR' }))).toBe(true);
  });

  it('refuses other organisations whatever the status', () => {
    expect(batchStatusRefusal({ msp: 'OtherMSP', role: 'MANUFACTURER' }, batch())?.detail).toBe(
      'only AcmeMSP or the regulator may manage batch 09506000134352/A1B2',
    );
    expect(mayChangeBatchStatus({ msp: 'AcmeMSP', role: 'PHARMACY' }, batch())).toBe(false);
  });

  it('always lets the regulator', () => {
    fc.assert(fc.property(batchArb, (b) => mayChangeBatchStatus(regulator, b)));
  });

  it('never lets anyone but the regulator change a status the regulator held', () => {
    fc.assert(
      fc.property(actorArb, batchArb, fc.constantFrom(...REGULATOR_HELD_STATUSES), (actor, b, status) => {
        const held = { ...b, status, statusByRole: 'REGULATOR' as const };
        return mayChangeBatchStatus(actor, held) === (actor.role === 'REGULATOR');
      }),
    );
  });

  it('is, outside a regulator’s hold, exactly the batch authority', () => {
    fc.assert(
      fc.property(actorArb, batchArb, (actor, b) => {
        fc.pre(!(b.statusByRole === 'REGULATOR' && REGULATOR_HELD_STATUSES.includes(b.status)));
        return mayChangeBatchStatus(actor, b) === isBatchAuthority(actor, b);
      }),
    );
  });
});

describe(isBatchAuthority.name, () => {
  it('is the regulator or the batch’s own manufacturer', () => {
    fc.assert(
      fc.property(actorArb, mspArb, (actor, manufacturer) => {
        const expected =
          actor.role === 'REGULATOR' || (actor.role === 'MANUFACTURER' && actor.msp === manufacturer);
        return isBatchAuthority(actor, { manufacturer }) === expected;
      }),
    );
  });
});
