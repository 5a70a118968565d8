import { LedgerEvent } from '../domain';
import { Chain, expectRefused, GTIN, ID, ORG } from '../testing/harness';
import { AuditContract } from './audit.contract';
import type { Alert } from '../ledger/models';

describe(AuditContract.name, () => {
  let chain: Chain;
  beforeEach(async () => {
    chain = await Chain.withStock(['S1', 'S2']);
  });
  /** A scan of a serial never commissioned: the chaincode's own COUNTERFEIT verdict raises the alert. */
  const counterfeitScan = (who = ID.distributor, serial = 'FAKE1') =>
    chain
      .submit<{ alert: Alert }>(who, (ctx) =>
        chain.verification.RecordScan(ctx, `(01)${GTIN}(21)${serial}`, ''),
      )
      .then((r) => r.alert);
  const alerts = (who = ID.regulator, limit = '') =>
    chain.evaluate<{ alerts: Alert[] }>(who, (ctx) => chain.audit.Alerts(ctx, limit));

  it('has no transaction through which a member writes an alert’s reasons', () => {
    const transactions = Object.getOwnPropertyNames(AuditContract.prototype).filter(
      (n) => n !== 'constructor',
    );
    expect(transactions.sort()).toEqual(['Alerts', 'BatchEvents']);
  });

  describe('Alerts', () => {
    it('lists alerts newest first, up to the limit, for the regulator, each with its count', async () => {
      const first = await counterfeitScan(ID.distributor, 'FAKE1');
      const second = await counterfeitScan(ID.pharmacy, 'FAKE2');
      const third = await counterfeitScan(ID.manufacturer, 'FAKE3');
      const listed = (await alerts()).alerts;
      expect(listed.map((a) => a.id)).toEqual([third.id, second.id, first.id]);
      expect(listed[2]).toMatchObject({
        gtin: GTIN,
        serial: 'FAKE1',
        reasons: ['UNKNOWN_SERIAL'],
        org: 'DistributorMSP',
        gln: ORG.distributor.glns[0],
        count: 1,
        lastSeen: first.at,
      });
      expect((await alerts(ID.regulator, '2')).alerts.map((a) => a.id)).toEqual([third.id, second.id]);
    });

    it('shows a repeated alert once, where it was first raised, with its count and last occurrence', async () => {
      const first = await counterfeitScan(ID.distributor, 'FAKE1');
      const other = await counterfeitScan(ID.pharmacy, 'FAKE2');
      const repeat = await counterfeitScan(ID.distributor, 'FAKE1');
      const listed = (await alerts()).alerts;
      expect(listed.map((a) => a.id)).toEqual([other.id, first.id]);
      expect(listed[1]).toMatchObject({ count: 2, at: first.at, lastSeen: repeat.lastSeen });
      expect(repeat.lastSeen > first.at).toBe(true);
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
