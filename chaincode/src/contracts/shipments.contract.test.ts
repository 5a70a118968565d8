import { KEY } from '../ledger/keys';
import { createCompositeKey } from '../testing/fake-ledger';
import { Shipment } from '../api';
import { Chain, expectRefused, GTIN, ID, ORG, sscc } from '../testing/harness';
import { ShipmentsContract } from './shipments.contract';

const u = (serial: string) => ({ gtin: GTIN, serial });
const PALLET = sscc(9);

describe(ShipmentsContract.name, () => {
  let chain: Chain;
  beforeEach(async () => {
    chain = await Chain.withStock(['S1', 'S2', 'S3']);
  });
  const close =
    (who: typeof ID.manufacturer, action: 'Receive' | 'Reject' | 'Cancel', id: string, reason = 'damaged') =>
    () =>
      chain.submit<Shipment>(who, (ctx) =>
        action === 'Reject' ? chain.shipments.Reject(ctx, id, reason) : chain.shipments[action](ctx, id),
      );

  describe('Create', () => {
    it('ships units in transit to the receiver, with an ID from the transaction, emits SHIPPED', async () => {
      const shipment = await chain.ship(ID.manufacturer, 'distributor', { units: [u('S1'), u('S2')] });
      expect(shipment).toMatchObject({
        id: chain.ledger.lastTx?.txId,
        status: 'IN_TRANSIT',
        from: { msp: 'ManufacturerMSP', gln: ORG.manufacturer.glns[0] },
        to: { msp: 'DistributorMSP', gln: ORG.distributor.glns[0] },
        units: [u('S1'), u('S2')],
        containers: [],
      });
      expect(await chain.unit(GTIN, 'S1')).toMatchObject({
        inTransit: true,
        shipmentId: shipment.id,
        custodian: { msp: 'ManufacturerMSP' },
      });
      expect(chain.lastEvent()).toMatchObject({
        name: 'SHIPPED',
        payload: { shipmentId: shipment.id, serialCount: 2, to: { msp: 'DistributorMSP' } },
      });
    });

    it('makes both sender and receiver endorse changes to goods in transit (key-level policy)', async () => {
      await chain.ship(ID.manufacturer, 'distributor', { units: [u('S1')] });
      expect(chain.ledger.lastTx?.requiredOrgs).toEqual(['ManufacturerMSP', 'RegulatorMSP']);
      expect(chain.unitPolicy(GTIN, 'S1')).toEqual(['DistributorMSP', 'ManufacturerMSP', 'RegulatorMSP']);
    });

    it('ships a pallet and everything inside it by writing only the pallet’s key', async () => {
      await chain.pack(ID.manufacturer, sscc(1), [u('S1')]);
      await chain.pack(ID.manufacturer, PALLET, [{ sscc: sscc(1) }, u('S2')]);
      const shipment = await chain.ship(ID.manufacturer, 'pharmacy', { containers: [PALLET] });
      for (const serial of ['S1', 'S2'])
        expect(await chain.unit(GTIN, serial)).toMatchObject({ inTransit: true, shipmentId: shipment.id });
      const writes = chain.ledger.lastTx?.writes ?? [];
      expect(writes).toContain(createCompositeKey(KEY.container, [PALLET]));
      expect(writes).not.toContain(createCompositeKey(KEY.unit, [GTIN, 'S1']));
      expect(writes).not.toContain(createCompositeKey(KEY.container, [sscc(1)]));
      expect(chain.containerPolicy(PALLET)).toEqual(['ManufacturerMSP', 'PharmacyMSP', 'RegulatorMSP']);
    });

    it('refuses goods the caller does not hold', async () => {
      await expectRefused(
        chain,
        () => chain.ship(ID.distributor, 'pharmacy', { units: [u('S1')] }),
        'CONFLICT',
        /held by ManufacturerMSP/,
      );
    });

    it('refuses re-shipping goods in transit, by the sender or the receiver', async () => {
      await chain.ship(ID.manufacturer, 'distributor', { units: [u('S1')] });
      await expectRefused(
        chain,
        () => chain.ship(ID.manufacturer, 'pharmacy', { units: [u('S1')] }),
        'CONFLICT',
        /in transit/,
      );
      await expectRefused(
        chain,
        () => chain.ship(ID.distributor, 'pharmacy', { units: [u('S1')] }),
        'CONFLICT',
        /held by ManufacturerMSP/,
      );
    });

    it('refuses a packed unit on its own, a dispensed or destroyed pack', async () => {
      await chain.pack(ID.manufacturer, sscc(1), [u('S1')]);
      await expectRefused(
        chain,
        () => chain.ship(ID.manufacturer, 'distributor', { units: [u('S1')] }),
        'CONFLICT',
        /move the container/,
      );
      await chain.submit(ID.manufacturer, (ctx) => chain.units.SetState(ctx, GTIN, 'S2', 'DESTROYED', 'x'));
      await expectRefused(
        chain,
        () => chain.ship(ID.manufacturer, 'distributor', { units: [u('S2')] }),
        'CONFLICT',
        /is DESTROYED/,
      );
    });

    it('refuses a receiver that is the sender, not admitted, or not at that GLN, and an empty shipment', async () => {
      await expectRefused(
        chain,
        () => chain.ship(ID.manufacturer, 'manufacturer', { units: [u('S1')] }),
        'INVALID',
        /another organisation/,
      );
      const stranger = () =>
        chain.submit(ID.manufacturer, (ctx) =>
          chain.shipments.Create(
            ctx,
            JSON.stringify({ to: 'StrangerMSP', toGln: ORG.pharmacy.glns[0], units: [u('S1')] }),
          ),
        );
      await expectRefused(chain, stranger, 'NOT_FOUND', /not admitted/);
      await expectRefused(
        chain,
        () => chain.ship(ID.manufacturer, 'distributor', { units: [u('S1')] }, ORG.pharmacy.glns[0]),
        'INVALID',
        /not a location of DistributorMSP/,
      );
      await expectRefused(
        chain,
        () => chain.ship(ID.manufacturer, 'distributor', { units: [u('S1')] }, '1234567890123'),
        'INVALID',
      );
      await expectRefused(
        chain,
        () => chain.ship(ID.manufacturer, 'distributor', {}),
        'INVALID',
        /nothing listed/,
      );
    });
  });

  describe('Receive', () => {
    let shipment: Shipment;
    beforeEach(async () => {
      shipment = await chain.ship(ID.manufacturer, 'distributor', { units: [u('S1'), u('S2')] });
    });

    it('moves custody to the receiver, policy to the receiver and the regulator, emits RECEIVED', async () => {
      const received = await close(ID.distributor, 'Receive', shipment.id)();
      expect(received).toMatchObject({ id: shipment.id, status: 'RECEIVED' });
      expect(await chain.unit(GTIN, 'S1')).toMatchObject({
        inTransit: false,
        custodian: { msp: 'DistributorMSP', gln: ORG.distributor.glns[0] },
      });
      expect(chain.unitPolicy(GTIN, 'S1')).toEqual(['DistributorMSP', 'RegulatorMSP']);
      expect(chain.ledger.lastTx?.requiredOrgs).toEqual([
        'DistributorMSP',
        'ManufacturerMSP',
        'RegulatorMSP',
      ]);
      expect(chain.lastEvent()).toMatchObject({
        name: 'RECEIVED',
        payload: { shipmentId: shipment.id, org: 'DistributorMSP', serialCount: 2 },
      });
    });

    it('refuses the sender and a third party', async () => {
      await expectRefused(
        chain,
        close(ID.manufacturer, 'Receive', shipment.id),
        'FORBIDDEN',
        /only the receiver \(DistributorMSP\)/,
      );
      await expectRefused(chain, close(ID.pharmacy, 'Receive', shipment.id), 'FORBIDDEN');
    });

    it('refuses receiving twice, and an unknown shipment', async () => {
      await close(ID.distributor, 'Receive', shipment.id)();
      await expectRefused(
        chain,
        close(ID.distributor, 'Receive', shipment.id),
        'CONFLICT',
        /already RECEIVED/,
      );
      await expectRefused(chain, close(ID.distributor, 'Receive', 'nope'), 'NOT_FOUND');
    });

    it('hands a received pallet’s contents to the receiver', async () => {
      await chain.pack(ID.manufacturer, PALLET, [u('S3')]);
      const pallet = await chain.ship(ID.manufacturer, 'pharmacy', { containers: [PALLET] });
      await close(ID.pharmacy, 'Receive', pallet.id)();
      expect(await chain.unit(GTIN, 'S3')).toMatchObject({
        inTransit: false,
        custodian: { msp: 'PharmacyMSP' },
      });
      expect(chain.containerPolicy(PALLET)).toEqual(['PharmacyMSP', 'RegulatorMSP']);
    });
  });

  describe('Reject and Cancel', () => {
    let shipment: Shipment;
    beforeEach(async () => {
      shipment = await chain.ship(ID.manufacturer, 'distributor', { units: [u('S1')] });
    });

    it('returns custody to the sender when the receiver rejects, with the reason', async () => {
      const rejected = await close(ID.distributor, 'Reject', shipment.id, 'seal broken')();
      expect(rejected).toMatchObject({ status: 'REJECTED', reason: 'seal broken' });
      expect(await chain.unit(GTIN, 'S1')).toMatchObject({
        inTransit: false,
        custodian: { msp: 'ManufacturerMSP' },
      });
      expect(chain.unitPolicy(GTIN, 'S1')).toEqual(['ManufacturerMSP', 'RegulatorMSP']);
      expect(chain.lastEvent()?.name).toBe('REJECTED');
    });

    it('refuses a rejection by the sender or without a reason', async () => {
      await expectRefused(chain, close(ID.manufacturer, 'Reject', shipment.id), 'FORBIDDEN');
      await expectRefused(
        chain,
        close(ID.distributor, 'Reject', shipment.id, ''),
        'INVALID',
        /reason is required/,
      );
    });

    it('lets only the sender cancel, before receipt', async () => {
      await expectRefused(
        chain,
        close(ID.distributor, 'Cancel', shipment.id),
        'FORBIDDEN',
        /only the sender/,
      );
      const cancelled = await close(ID.manufacturer, 'Cancel', shipment.id)();
      expect(cancelled.status).toBe('CANCELLED');
      expect(chain.lastEvent()?.name).toBe('CANCELLED');
      expect(await chain.unit(GTIN, 'S1')).toMatchObject({
        inTransit: false,
        custodian: { msp: 'ManufacturerMSP' },
      });
      const again = await chain.ship(ID.manufacturer, 'distributor', { units: [u('S1')] });
      await close(ID.distributor, 'Receive', again.id)();
      await expectRefused(chain, close(ID.manufacturer, 'Cancel', again.id), 'CONFLICT', /already RECEIVED/);
    });
  });

  describe('Get and List', () => {
    it('shows a shipment to its parties and the regulator only', async () => {
      const shipment = await chain.ship(ID.manufacturer, 'distributor', { units: [u('S1')] });
      for (const who of [ID.manufacturer, ID.distributor, ID.regulator]) {
        await expect(chain.evaluate(who, (ctx) => chain.shipments.Get(ctx, shipment.id))).resolves.toEqual(
          shipment,
        );
      }
      await expectRefused(
        chain,
        () => chain.evaluate(ID.pharmacy, (ctx) => chain.shipments.Get(ctx, shipment.id)),
        'FORBIDDEN',
      );
    });

    it('lists an organisation’s shipments by direction and status, newest first', async () => {
      const first = await chain.ship(ID.manufacturer, 'distributor', { units: [u('S1')] });
      const second = await chain.ship(ID.manufacturer, 'distributor', { units: [u('S2')] });
      await chain.receive(ID.distributor, first.id);
      const list = (who: typeof ID.manufacturer, direction: string, status: string) =>
        chain.evaluate<Shipment[]>(who, (ctx) => chain.shipments.List(ctx, direction, status));
      expect((await list(ID.manufacturer, 'outgoing', '')).map((s) => s.id)).toEqual([second.id, first.id]);
      expect(await list(ID.manufacturer, 'incoming', '')).toEqual([]);
      expect((await list(ID.distributor, 'incoming', 'IN_TRANSIT')).map((s) => s.id)).toEqual([second.id]);
      expect((await list(ID.distributor, '', 'RECEIVED')).map((s) => s.id)).toEqual([first.id]);
      await expectRefused(chain, () => list(ID.distributor, 'sideways', ''), 'INVALID');
      await expectRefused(chain, () => list(ID.distributor, '', 'LOST'), 'INVALID');
    });
  });
});
