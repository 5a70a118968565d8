import { LedgerEvent } from '../domain';
import { Chain, expectRefused, GTIN, ID, ORG } from '../testing/harness';
import { AuditContract } from './audit.contract';

interface AlertJson {
  id: string;
  gtin: string;
  serial: string;
  reasons: string[];
  org: string;
  gln: string;
  at: string;
  txId: string;
}

describe(AuditContract.name, () => {
  let chain: Chain;
  beforeEach(async () => {
    chain = await Chain.withStock(['S1', 'S2']);
  });
  const raise =
    (who = ID.distributor, reasons = '["CLONE_SUSPECTED"]', gln = '', gtin = GTIN) =>
    () =>
      chain.submit<AlertJson>(who, (ctx) => chain.audit.RaiseAlert(ctx, gtin, 'S1', reasons, gln));
  const alerts = (who = ID.regulator, limit = '') =>
    chain.evaluate<{ alerts: AlertJson[] }>(who, (ctx) => chain.audit.Alerts(ctx, limit));

  describe('RaiseAlert', () => {
    it('records an alert from any member, at the caller’s GLN by default', async () => {
      const alert = await raise()();
      expect(alert).toMatchObject({
        gtin: GTIN,
        serial: 'S1',
        reasons: ['CLONE_SUSPECTED'],
        org: 'DistributorMSP',
        gln: ORG.distributor.glns[0],
        id: alert.txId,
      });
      expect(chain.lastEvent()).toMatchObject({ name: 'ALERT', payload: { reasons: ['CLONE_SUSPECTED'] } });
    });

    it('refuses unknown reasons, a malformed GTIN or GLN, and non-members', async () => {
      await expectRefused(chain, raise(ID.distributor, '["NO_SUCH_REASON"]'), 'INVALID', /reasons must be/);
      await expectRefused(chain, raise(ID.distributor, '[]'), 'INVALID');
      await expectRefused(chain, raise(ID.distributor, 'nope'), 'INVALID', /JSON array/);
      await expectRefused(chain, raise(ID.distributor, '["STOLEN"]', '9506000000000'), 'INVALID', /GLN/);
      await expectRefused(chain, raise(ID.distributor, '["STOLEN"]', '', '123'), 'INVALID', /GTIN/);
      await expectRefused(chain, raise(ID.outsider), 'FORBIDDEN');
    });

    it('refuses another organisation’s GLN and a serial outside the GS1 character set', async () => {
      await expectRefused(
        chain,
        raise(ID.distributor, '["STOLEN"]', ORG.pharmacy.glns[0]),
        'FORBIDDEN',
        /is not a location of DistributorMSP/,
      );
      await expectRefused(
        chain,
        () =>
          chain.submit(ID.distributor, (ctx) =>
            chain.audit.RaiseAlert(ctx, GTIN, 'Jane Doe', '["STOLEN"]', ''),
          ),
        'INVALID',
      );
    });
  });

  describe('Alerts', () => {
    it('lists alerts newest first, up to the limit, for the regulator', async () => {
      const first = await raise()();
      const second = await raise(ID.pharmacy, '["NOT_IN_CUSTODY"]')();
      const third = await raise(ID.manufacturer, '["STOLEN"]')();
      expect((await alerts()).alerts.map((a) => a.id)).toEqual([third.id, second.id, first.id]);
      expect((await alerts(ID.regulator, '2')).alerts.map((a) => a.id)).toEqual([third.id, second.id]);
    });

    it('refuses everyone but the regulator, and a bad limit', async () => {
      await expectRefused(chain, () => alerts(ID.pharmacy), 'FORBIDDEN');
      await expectRefused(chain, () => alerts(ID.regulator, '5000'), 'INVALID');
    });
  });

  describe('BatchEvents', () => {
    it('tells a batch’s story oldest first, each batch seeing its own packs move', async () => {
      const shipment = await chain.ship(ID.manufacturer, 'distributor', {
        units: [{ gtin: GTIN, serial: 'S1' }],
      });
      await chain.receive(ID.distributor, shipment.id);
      await chain.submit(ID.manufacturer, (ctx) => chain.batches.Quarantine(ctx, GTIN, 'A1B2', 'check'));
      const { events } = await chain.evaluate<{ events: LedgerEvent[] }>(ID.regulator, (ctx) =>
        chain.audit.BatchEvents(ctx, GTIN, 'A1B2'),
      );
      expect(events.map((e) => e.type)).toEqual(['COMMISSIONED', 'SHIPPED', 'RECEIVED', 'QUARANTINED']);
      expect(events[1]).toMatchObject({ serials: ['S1'], serialCount: 1, shipmentId: shipment.id });
      const own = await chain.evaluate<{ events: LedgerEvent[] }>(ID.manufacturer, (ctx) =>
        chain.audit.BatchEvents(ctx, GTIN, 'A1B2'),
      );
      expect(own.events).toEqual(events);
    });

    it('refuses distributors, pharmacies and other manufacturers', async () => {
      for (const who of [ID.distributor, ID.pharmacy, ID.manufacturer2]) {
        await expectRefused(
          chain,
          () => chain.evaluate(who, (ctx) => chain.audit.BatchEvents(ctx, GTIN, 'A1B2')),
          'FORBIDDEN',
        );
      }
    });
  });
});
