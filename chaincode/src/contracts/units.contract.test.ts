import { UnitView } from '../api';
import { Chain, expectRefused, GTIN, ID, ORG, sscc, user } from '../testing/harness';
import { UnitsContract } from './units.contract';

const S1 = { gtin: GTIN, serial: 'S0001' };

describe(UnitsContract.name, () => {
  let chain: Chain;
  const dispense =
    (who = ID.pharmacy, serial = S1.serial) =>
    () =>
      chain.submit<UnitView>(who, (ctx) => chain.units.Dispense(ctx, GTIN, serial));
  const undo =
    (who = ID.pharmacy, serial = S1.serial) =>
    () =>
      chain.submit<UnitView>(who, (ctx) => chain.units.UndoDispense(ctx, GTIN, serial));
  const setState =
    (who: typeof ID.pharmacy, state: string, reason = 'reason', serial = S1.serial) =>
    () =>
      chain.submit<UnitView>(who, (ctx) => chain.units.SetState(ctx, GTIN, serial, state, reason));

  describe('Dispense', () => {
    beforeEach(async () => {
      chain = await Chain.atPharmacy();
    });

    it('dispenses a pack the pharmacy holds, records who and when, emits DISPENSED', async () => {
      const unit = await dispense()();
      expect(unit).toMatchObject({ gtin: GTIN, serial: S1.serial, state: 'DISPENSED', inTransit: false });
      expect(unit.stateChangedBy).toEqual({ msp: 'PharmacyMSP', gln: ORG.pharmacy.glns[0] });
      expect(unit.stateChangedAt).toBe(chain.ledger.lastTx?.timestamp.toISOString());
      expect(chain.lastEvent()).toMatchObject({
        name: 'DISPENSED',
        payload: { type: 'DISPENSED', gtin: GTIN, serial: S1.serial, lot: 'A1B2', status: 'DISPENSED' },
      });
      expect(chain.unitPolicy(GTIN, S1.serial)).toEqual(['PharmacyMSP', 'RegulatorMSP']);
      expect(chain.ledger.lastTx?.requiredOrgs).toEqual(['PharmacyMSP', 'RegulatorMSP']);
    });

    it('refuses a distributor, a manufacturer and a regulator (role)', async () => {
      await expectRefused(
        chain,
        dispense(ID.distributor),
        'FORBIDDEN',
        /DistributorMSP is DISTRIBUTOR; this needs PHARMACY/,
      );
      await expectRefused(chain, dispense(ID.manufacturer), 'FORBIDDEN');
      await expectRefused(chain, dispense(ID.regulator), 'FORBIDDEN');
    });

    it('refuses a pharmacy that does not hold the pack', async () => {
      await expectRefused(chain, dispense(ID.pharmacy2), 'CONFLICT', /held by PharmacyMSP, not PharmacyBMSP/);
    });

    it('refuses dispensing twice', async () => {
      await dispense()();
      await expectRefused(chain, dispense(), 'CONFLICT', /is DISPENSED/);
    });

    it('lets exactly one of two concurrent dispenses commit (MVCC)', async () => {
      const tx = (ctx: Parameters<UnitsContract['Dispense']>[0]) =>
        chain.units.Dispense(ctx, GTIN, S1.serial);
      const a = await chain.ledger.endorse(ID.pharmacy, tx);
      const b = await chain.ledger.endorse(user('pharmacy', { gln: ORG.pharmacy.glns[1] }), tx);
      chain.ledger.commit(a);
      expect(() => chain.ledger.commit(b)).toThrow(/MVCC_READ_CONFLICT/);
      expect((await chain.unit(GTIN, S1.serial)).stateChangedBy?.gln).toBe(ORG.pharmacy.glns[0]);
    });

    it('refuses packs of a recalled or quarantined batch', async () => {
      await chain.submit(ID.regulator, (ctx) => chain.batches.Quarantine(ctx, GTIN, 'A1B2', 'check'));
      await expectRefused(chain, dispense(), 'CONFLICT', /is QUARANTINED/);
      await chain.submit(ID.regulator, (ctx) => chain.batches.Recall(ctx, GTIN, 'A1B2', 'contamination'));
      await expectRefused(chain, dispense(), 'CONFLICT', /is RECALLED/);
    });

    it('refuses an expired pack', async () => {
      chain.ledger.setTime('2028-07-01T08:00:00Z');
      await expectRefused(chain, dispense(), 'CONFLICT', /expired on 2028-06-30/);
    });

    it('refuses a pack that was never commissioned', async () => {
      await expectRefused(chain, dispense(ID.pharmacy, 'NOPE'), 'NOT_FOUND', /was never commissioned/);
    });
  });

  describe('Dispense in transit', () => {
    it('refuses goods in transit to the pharmacy, and goods the pharmacy is sending back', async () => {
      chain = await Chain.withStock();
      await chain.ship(ID.manufacturer, 'pharmacy', { units: [S1] });
      await expectRefused(chain, dispense(), 'CONFLICT', /held by ManufacturerMSP/);
      chain = await Chain.atPharmacy();
      await chain.ship(ID.pharmacy, 'distributor', { units: [S1] });
      await expectRefused(chain, dispense(), 'CONFLICT', /in transit/);
    });
  });

  describe('Dispense from a case', () => {
    it('takes the pack out of its case; the packer’s key policy must endorse that', async () => {
      chain = await Chain.withStock();
      const code = sscc(1);
      await chain.pack(ID.manufacturer, code, [S1, { gtin: GTIN, serial: 'S0002' }]);
      const shipment = await chain.ship(ID.manufacturer, 'pharmacy', { containers: [code] });
      await chain.receive(ID.pharmacy, shipment.id);
      const unit = await dispense()();
      expect(unit).toMatchObject({ state: 'DISPENSED', custodian: { msp: 'PharmacyMSP' } });
      expect(unit.parent).toBeUndefined();
      expect(chain.ledger.lastTx?.requiredOrgs).toEqual(['ManufacturerMSP', 'RegulatorMSP']);
      const container = await chain.evaluate<{ contents: object[] }>(ID.pharmacy, (ctx) =>
        chain.containers.Get(ctx, code),
      );
      expect(container.contents).toEqual([{ gtin: GTIN, serial: 'S0002' }]);
    });
  });

  describe('UndoDispense', () => {
    beforeEach(async () => {
      chain = await Chain.atPharmacy();
      await dispense()();
    });

    it('lets the same pharmacy at the same place revert within 10 days', async () => {
      chain.ledger.advanceDays(9);
      const unit = await undo()();
      expect(unit.state).toBe('ACTIVE');
      expect(chain.lastEvent()).toMatchObject({
        name: 'DISPENSE_UNDONE',
        payload: { status: 'ACTIVE', serial: S1.serial },
      });
    });

    it('refuses another pharmacy organisation, and the same one at another location', async () => {
      await expectRefused(chain, undo(ID.pharmacy2), 'FORBIDDEN', /only the organisation and location/);
      await expectRefused(chain, undo(user('pharmacy', { gln: ORG.pharmacy.glns[1] })), 'FORBIDDEN');
    });

    it('refuses after 10 days', async () => {
      chain.ledger.advanceDays(10);
      chain.ledger.advance(60_000);
      await expectRefused(chain, undo(), 'CONFLICT', /more than 10 days/);
    });

    it('refuses other roles and packs that are not dispensed', async () => {
      await expectRefused(chain, undo(ID.distributor), 'FORBIDDEN');
      await expectRefused(chain, undo(ID.pharmacy, 'S0002'), 'CONFLICT', /is ACTIVE, not DISPENSED/);
    });

    it('refuses when the batch was recalled meanwhile', async () => {
      await chain.submit(ID.manufacturer, (ctx) => chain.batches.Recall(ctx, GTIN, 'A1B2', 'contamination'));
      await expectRefused(chain, undo(), 'CONFLICT', /recalled/);
    });
  });

  describe('SetState', () => {
    beforeEach(async () => {
      chain = await Chain.withStock();
    });

    it('lets the custodian decommission a pack as destroyed, stolen, sample or exported', async () => {
      for (const [serial, state] of [
        ['S0001', 'DESTROYED'],
        ['S0002', 'STOLEN'],
        ['S0003', 'SAMPLE'],
      ]) {
        await expect(setState(ID.manufacturer, state, 'why', serial)()).resolves.toMatchObject({ state });
        expect(chain.lastEvent()).toMatchObject({
          name: 'STATUS_CHANGED',
          payload: { status: state, reason: 'why' },
        });
      }
    });

    it('refuses anyone but the custodian', async () => {
      await expectRefused(
        chain,
        setState(ID.distributor, 'DESTROYED'),
        'CONFLICT',
        /held by ManufacturerMSP/,
      );
      await expectRefused(chain, setState(ID.regulator, 'STOLEN'), 'CONFLICT', /held by ManufacturerMSP/);
    });

    it('refuses DISPENSED, unknown states, a missing reason, and inactive-to-inactive', async () => {
      await expectRefused(
        chain,
        setState(ID.manufacturer, 'DISPENSED'),
        'INVALID',
        /state must be ACTIVE or one of/,
      );
      await expectRefused(chain, setState(ID.manufacturer, 'LOST'), 'INVALID');
      await expectRefused(chain, setState(ID.manufacturer, 'DESTROYED', ''), 'INVALID', /reason is required/);
      await setState(ID.manufacturer, 'DESTROYED')();
      await expectRefused(
        chain,
        setState(ID.manufacturer, 'EXPORTED'),
        'CONFLICT',
        /a DESTROYED pack cannot become EXPORTED/,
      );
    });

    it('reverts a sample to active within 10 days; never a stolen or destroyed pack (EU FMD Art. 13)', async () => {
      await setState(ID.manufacturer, 'SAMPLE')();
      await expect(setState(ID.manufacturer, 'ACTIVE')()).resolves.toMatchObject({ state: 'ACTIVE' });
      await setState(ID.manufacturer, 'STOLEN', 'r', 'S0002')();
      await expectRefused(
        chain,
        setState(ID.manufacturer, 'ACTIVE', 'found', 'S0002'),
        'CONFLICT',
        /a STOLEN pack cannot be reverted/,
      );
    });

    it('sends a dispensed pack to UndoDispense', async () => {
      chain = await Chain.atPharmacy();
      await dispense()();
      await expectRefused(chain, setState(ID.pharmacy, 'ACTIVE'), 'CONFLICT', /use UndoDispense/);
    });
  });

  describe('Get and History', () => {
    it('shows the effective custodian of a packed unit and its container', async () => {
      chain = await Chain.withStock();
      await chain.pack(ID.manufacturer, sscc(7), [S1]);
      const shipment = await chain.ship(ID.manufacturer, 'distributor', { containers: [sscc(7)] });
      const unit = await chain.unit(GTIN, S1.serial, ID.pharmacy);
      expect(unit).toMatchObject({
        parent: sscc(7),
        container: sscc(7),
        inTransit: true,
        shipmentId: shipment.id,
        custodian: { msp: 'ManufacturerMSP' },
      });
    });

    it('tells the custody chain oldest first, moves of the containers it travelled in included', async () => {
      chain = await Chain.withStock();
      const code = sscc(3);
      await chain.pack(ID.manufacturer, code, [S1]);
      const toDistributor = await chain.ship(ID.manufacturer, 'distributor', { containers: [code] });
      await chain.receive(ID.distributor, toDistributor.id);
      await chain.submit(ID.distributor, (ctx) => chain.containers.Unpack(ctx, code));
      const toPharmacy = await chain.ship(ID.distributor, 'pharmacy', { units: [S1] });
      await chain.receive(ID.pharmacy, toPharmacy.id);
      await dispense()();
      const history = await chain.evaluate<{
        events: { type: string; org: string; txId: string; at: string; sscc?: string; shipmentId?: string }[];
      }>(ID.regulator, (ctx) => chain.units.History(ctx, GTIN, S1.serial));
      expect(history.events.map((e) => `${e.type}@${e.org}`)).toEqual([
        'COMMISSIONED@ManufacturerMSP',
        'PACKED@ManufacturerMSP',
        'SHIPPED@ManufacturerMSP',
        'RECEIVED@DistributorMSP',
        'UNPACKED@DistributorMSP',
        'SHIPPED@DistributorMSP',
        'RECEIVED@PharmacyMSP',
        'DISPENSED@PharmacyMSP',
      ]);
      expect(history.events[2]).toMatchObject({ sscc: code, shipmentId: toDistributor.id });
      expect(new Set(history.events.map((e) => e.txId)).size).toBe(8);
      const times = history.events.map((e) => e.at);
      expect(times).toEqual([...times].sort());
    });

    it('answers NOT_FOUND for an unknown pack', async () => {
      chain = await Chain.withStock();
      await expectRefused(
        chain,
        () => chain.evaluate(ID.pharmacy, (ctx) => chain.units.History(ctx, GTIN, 'NOPE')),
        'NOT_FOUND',
      );
    });
  });
});
