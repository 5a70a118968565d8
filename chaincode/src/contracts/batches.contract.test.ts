import { LedgerEvent, MAX_COMMISSION_BATCH, MAX_GENERATED_BATCH } from '../domain';
import { KEY } from '../ledger/keys';
import { createCompositeKey } from '../testing/fake-ledger';
import { CommissionResult } from '../api';
import { Chain, expectRefused, GTIN, GTIN_2, ID, ORG } from '../testing/harness';
import { BatchesContract } from './batches.contract';

interface BatchJson {
  gtin: string;
  lot: string;
  expiry: string;
  manufacturer: string;
  quantity: number;
  status: string;
  statusReason?: string;
  statusBy?: string;
  counts: {
    byState: Record<string, number>;
    byCustodian: { msp: string; gln: string; state: string; count: number }[];
  };
}

describe(BatchesContract.name, () => {
  let chain: Chain;
  beforeEach(async () => {
    chain = new Chain();
    await chain.seed();
    await chain.registerProduct();
  });

  describe('Commission', () => {
    it('commissions given serials at the manufacturer, with the documented result', async () => {
      const result = await chain.commission({ serials: ['X7K2M9Q4P1Z8', 'S-2'] });
      expect(result).toEqual({
        gtin: GTIN,
        lot: 'A1B2',
        expiry: '2028-06-30',
        status: 'RELEASED',
        unitCount: 2,
        serials: ['X7K2M9Q4P1Z8', 'S-2'],
      });
      const unit = await chain.unit(GTIN, 'S-2');
      expect(unit).toMatchObject({ state: 'ACTIVE', lot: 'A1B2', expiry: '2028-06-30', inTransit: false });
      expect(unit.custodian).toEqual({ msp: 'ManufacturerMSP', gln: ORG.manufacturer.glns[0] });
    });

    it('sets each new unit’s key-level endorsement policy to the manufacturer and the regulator', async () => {
      await chain.commission({ serials: ['S1', 'S2'] });
      expect(chain.unitPolicy(GTIN, 'S1')).toEqual(['ManufacturerMSP', 'RegulatorMSP']);
      expect(chain.unitPolicy(GTIN, 'S2')).toEqual(['ManufacturerMSP', 'RegulatorMSP']);
    });

    it('emits one COMMISSIONED event with the count and serials', async () => {
      await chain.commission({ serials: ['S1', 'S2', 'S3'] });
      expect(chain.lastEvent()).toMatchObject({
        name: 'COMMISSIONED',
        payload: {
          type: 'COMMISSIONED',
          gtin: GTIN,
          lot: 'A1B2',
          serialCount: 3,
          serials: ['S1', 'S2', 'S3'],
          org: 'ManufacturerMSP',
        },
      });
      expect(chain.lastEvent()?.payload.txId).toBe(chain.ledger.lastTx?.txId);
    });

    it('generates unpredictable 12-character serials for a quantity, the same on every endorsing peer', async () => {
      const result = await chain.commission({ quantity: 25 });
      expect(result.unitCount).toBe(25);
      expect(new Set(result.serials).size).toBe(25);
      for (const s of result.serials) expect(s).toMatch(/^[A-HJ-NP-Z2-9]{12}$/);
      const twin = new Chain();
      await twin.seed();
      await twin.registerProduct();
      expect((await twin.commission({ quantity: 25 })).serials).toEqual(result.serials);
    });

    it('appends serials to an existing batch of the same manufacturer and expiry', async () => {
      await chain.commission({ serials: ['S1'] });
      const more = await chain.commission({ serials: ['S2', 'S3'] });
      expect(more.unitCount).toBe(2);
      const batch = await chain.evaluate<BatchJson>(ID.pharmacy, (ctx) =>
        chain.batches.Get(ctx, GTIN, 'A1B2'),
      );
      expect(batch.quantity).toBe(3);
    });

    it('refuses any role but manufacturer, and a manufacturer that does not own the product', async () => {
      const commission =
        (who = ID.pharmacy) =>
        () =>
          chain.commission({ serials: ['S1'] }, who);
      await expectRefused(chain, commission(ID.pharmacy), 'FORBIDDEN', /this needs MANUFACTURER/);
      await expectRefused(chain, commission(ID.distributor), 'FORBIDDEN');
      await expectRefused(chain, commission(ID.regulator), 'FORBIDDEN');
      await expectRefused(chain, commission(ID.manufacturer2), 'FORBIDDEN', /belongs to ManufacturerMSP/);
      await expectRefused(chain, commission(ID.outsider), 'FORBIDDEN', /not admitted/);
    });

    it('refuses a serial that was already commissioned, with nothing written', async () => {
      await chain.commission({ serials: ['S1', 'S2'] });
      await expectRefused(
        chain,
        () => chain.commission({ serials: ['S3', 'S2'] }),
        'CONFLICT',
        /serial 09506000134352\/S2 is already commissioned/,
      );
      await expectRefused(chain, () => chain.commission({ serials: ['S2'], lot: 'OTHER' }), 'CONFLICT');
    });

    it('refuses a serial twice in one request', async () => {
      await expectRefused(
        chain,
        () => chain.commission({ serials: ['S1', 'S1'] }),
        'CONFLICT',
        /appears twice/,
      );
    });

    it('refuses malformed requests', async () => {
      await expectRefused(
        chain,
        () => chain.commission({ serials: ['S1'], quantity: 1 }),
        'INVALID',
        /not both/,
      );
      await expectRefused(chain, () => chain.commission({ serials: [] }), 'INVALID');
      await expectRefused(
        chain,
        () => chain.commission({ quantity: 0 }),
        'INVALID',
        /quantity must be an integer/,
      );
      await expectRefused(
        chain,
        () => chain.commission({ quantity: MAX_GENERATED_BATCH + 1 }),
        'INVALID',
        new RegExp(`quantity must be an integer in 1\\.\\.${MAX_GENERATED_BATCH}`),
      );
      await expectRefused(
        chain,
        () =>
          chain.commission({ serials: Array.from({ length: MAX_COMMISSION_BATCH + 1 }, (_, i) => `Q${i}`) }),
        'INVALID',
        new RegExp(`at most ${MAX_COMMISSION_BATCH} serials per request`),
      );
      await expectRefused(chain, () => chain.commission({}), 'INVALID');
      await expectRefused(
        chain,
        () => chain.commission({ serials: ['has space'] }),
        'INVALID',
        /GS1 character set/,
      );
      await expectRefused(chain, () => chain.commission({ serials: ['S'.repeat(21)] }), 'INVALID');
      await expectRefused(chain, () => chain.commission({ serials: ['S1'], lot: 'L~1' }), 'INVALID');
      await expectRefused(
        chain,
        () => chain.commission({ serials: ['S1'], expiry: '2028-02-30' }),
        'INVALID',
        /expiry/,
      );
      await expectRefused(
        chain,
        () => chain.commission({ serials: ['S1'], manufacturedOn: '2029-01-01' }),
        'INVALID',
        /after expiry/,
      );
      await expectRefused(chain, () => chain.commission({ serials: ['S1'], gtin: GTIN_2 }), 'NOT_FOUND');
    });

    it('refuses adding to a batch with another expiry, or to a recalled batch', async () => {
      await chain.commission({ serials: ['S1'] });
      await expectRefused(
        chain,
        () => chain.commission({ serials: ['S2'], expiry: '2029-01-31' }),
        'CONFLICT',
        /another manufacturer or expiry/,
      );
      await chain.submit(ID.regulator, (ctx) => chain.batches.Recall(ctx, GTIN, 'A1B2', 'contamination'));
      await expectRefused(chain, () => chain.commission({ serials: ['S2'] }), 'CONFLICT', /is recalled/);
    });
  });

  describe('Get', () => {
    it('counts units by state and by custodian, in transit included', async () => {
      await chain.commission({ serials: ['S1', 'S2', 'S3', 'S4'] });
      await chain.ship(ID.manufacturer, 'distributor', { units: [{ gtin: GTIN, serial: 'S1' }] });
      const received = await chain.ship(ID.manufacturer, 'distributor', {
        units: [{ gtin: GTIN, serial: 'S2' }],
      });
      await chain.receive(ID.distributor, received.id);
      await chain.submit(ID.manufacturer, (ctx) =>
        chain.units.SetState(ctx, GTIN, 'S4', 'DESTROYED', 'damaged'),
      );
      const batch = await chain.evaluate<BatchJson>(ID.pharmacy, (ctx) =>
        chain.batches.Get(ctx, GTIN, 'A1B2'),
      );
      expect(batch).toMatchObject({
        gtin: GTIN,
        lot: 'A1B2',
        status: 'RELEASED',
        quantity: 4,
        manufacturer: 'ManufacturerMSP',
      });
      expect(batch.counts.byState).toEqual({ IN_TRANSIT: 1, ACTIVE: 2, DESTROYED: 1 });
      const [m, d] = [ORG.manufacturer.glns[0], ORG.distributor.glns[0]];
      expect(batch.counts.byCustodian).toEqual([
        { msp: 'DistributorMSP', gln: d, state: 'ACTIVE', count: 1 },
        { msp: 'ManufacturerMSP', gln: m, state: 'ACTIVE', count: 1 },
        { msp: 'ManufacturerMSP', gln: m, state: 'DESTROYED', count: 1 },
        { msp: 'ManufacturerMSP', gln: m, state: 'IN_TRANSIT', count: 1 },
      ]);
    });

    it('answers NOT_FOUND for an unknown batch', async () => {
      await expectRefused(
        chain,
        () => chain.evaluate(ID.pharmacy, (ctx) => chain.batches.Get(ctx, GTIN, 'NOPE')),
        'NOT_FOUND',
      );
    });
  });

  describe('ListSerials', () => {
    it('pages through a batch’s serials in key order with a bookmark', async () => {
      await chain.commission({ serials: ['S5', 'S1', 'S4', 'S2', 'S3'] });
      const page = (bookmark: string) =>
        chain.evaluate<{ serials: string[]; bookmark: string }>(ID.manufacturer, (ctx) =>
          chain.batches.ListSerials(ctx, GTIN, 'A1B2', '2', bookmark),
        );
      const first = await page('');
      expect(first.serials).toEqual(['S1', 'S2']);
      const second = await page(first.bookmark);
      expect(second.serials).toEqual(['S3', 'S4']);
      const third = await page(second.bookmark);
      expect(third).toEqual({ serials: ['S5'], bookmark: '' });
    });

    it('refuses a page size out of range', async () => {
      await chain.commission({ serials: ['S1'] });
      await expectRefused(
        chain,
        () => chain.evaluate(ID.manufacturer, (ctx) => chain.batches.ListSerials(ctx, GTIN, 'A1B2', '0', '')),
        'INVALID',
      );
    });

    it('refuses anyone but the batch’s manufacturer and the regulator', async () => {
      await chain.commission({ serials: ['S1'] });
      const list = (who: typeof ID.manufacturer) => () =>
        chain.evaluate(who, (ctx) => chain.batches.ListSerials(ctx, GTIN, 'A1B2', '10', ''));
      for (const who of [ID.distributor, ID.pharmacy]) {
        await expectRefused(chain, list(who), 'FORBIDDEN', /only ManufacturerMSP or the regulator/);
      }
      await expect(list(ID.regulator)()).resolves.toEqual({ serials: ['S1'], bookmark: '' });
    });
  });

  describe('Recall / Quarantine / Release', () => {
    beforeEach(() => chain.commission({ serials: ['S1', 'S2'] }));
    const change =
      (who: typeof ID.manufacturer, action: 'Recall' | 'Quarantine' | 'Release', reason = 'a reason') =>
      () =>
        chain.submit<BatchJson>(who, (ctx) => chain.batches[action](ctx, GTIN, 'A1B2', reason));

    it('lets the batch’s manufacturer recall it, recording reason and who, with a RECALLED event', async () => {
      const batch = await change(ID.manufacturer, 'Recall', 'contamination')();
      expect(batch).toMatchObject({
        status: 'RECALLED',
        statusReason: 'contamination',
        statusBy: 'ManufacturerMSP',
      });
      expect(chain.lastEvent()).toMatchObject({
        name: 'RECALLED',
        payload: { gtin: GTIN, lot: 'A1B2', serialCount: 2, status: 'RECALLED', reason: 'contamination' },
      });
    });

    it('lets the regulator quarantine and release a batch', async () => {
      await expect(change(ID.regulator, 'Quarantine')()).resolves.toMatchObject({
        status: 'QUARANTINED',
        statusBy: 'RegulatorMSP',
      });
      expect(chain.lastEvent()?.name).toBe('QUARANTINED');
      await expect(change(ID.regulator, 'Release')()).resolves.toMatchObject({ status: 'RELEASED' });
      expect(chain.lastEvent()?.name).toBe('RELEASED');
    });

    it('leaves a quarantine or recall the regulator ordered to the regulator alone', async () => {
      await change(ID.regulator, 'Quarantine')();
      for (const action of ['Release', 'Recall'] as const) {
        await expectRefused(
          chain,
          change(ID.manufacturer, action),
          'FORBIDDEN',
          /was QUARANTINED by the regulator; only the regulator may change its status/,
        );
      }
      await expect(change(ID.regulator, 'Release')()).resolves.toMatchObject({ status: 'RELEASED' });
      // Released by the regulator: the manufacturer manages its batch again.
      await expect(change(ID.manufacturer, 'Quarantine')()).resolves.toMatchObject({ status: 'QUARANTINED' });
      await expect(change(ID.manufacturer, 'Release')()).resolves.toMatchObject({
        status: 'RELEASED',
        statusBy: 'ManufacturerMSP',
      });
      await change(ID.regulator, 'Recall')();
      await expectRefused(
        chain,
        change(ID.manufacturer, 'Release'),
        'FORBIDDEN',
        /RECALLED by the regulator/,
      );
    });

    it('refuses distributors, pharmacies and other manufacturers', async () => {
      await expectRefused(
        chain,
        change(ID.distributor, 'Recall'),
        'FORBIDDEN',
        /only ManufacturerMSP or the regulator/,
      );
      await expectRefused(chain, change(ID.pharmacy, 'Quarantine'), 'FORBIDDEN');
      await expectRefused(chain, change(ID.manufacturer2, 'Recall'), 'FORBIDDEN');
    });

    it('never changes a recalled batch again, and refuses no-op changes and a missing reason', async () => {
      await change(ID.manufacturer, 'Recall')();
      await expectRefused(chain, change(ID.regulator, 'Release'), 'CONFLICT', /recalled/);
      await expectRefused(chain, change(ID.regulator, 'Recall'), 'CONFLICT');
      const other = new Chain();
      await other.seed();
      await other.registerProduct();
      await other.commission({ serials: ['S1'] });
      await expectRefused(
        other,
        () => other.submit(ID.regulator, (ctx) => other.batches.Release(ctx, GTIN, 'A1B2', 'x')),
        'CONFLICT',
        /already RELEASED/,
      );
      await expectRefused(
        other,
        () => other.submit(ID.regulator, (ctx) => other.batches.Recall(ctx, GTIN, 'A1B2', '')),
        'INVALID',
        /reason is required/,
      );
    });

    it('records the status change in the batch’s event trail', async () => {
      await change(ID.manufacturer, 'Recall', 'contamination')();
      const key = createCompositeKey(KEY.batchEvent, [GTIN, 'A1B2']);
      const trail = chain.ledger
        .keysInRange(key, key + '\u{10ffff}', Infinity)
        .map((k) => JSON.parse((chain.ledger.read(k) as Buffer).toString()) as LedgerEvent);
      expect(trail.map((e) => e.type)).toEqual(['COMMISSIONED', 'RECALLED']);
    });
  });

  it('commissions MAX_COMMISSION_BATCH serials in one transaction', async () => {
    const serials = Array.from({ length: MAX_COMMISSION_BATCH }, (_, i) => `P${String(i).padStart(6, '0')}`);
    const result: CommissionResult = await chain.commission({ serials });
    expect(result.unitCount).toBe(MAX_COMMISSION_BATCH);
    const event = chain.lastEvent()?.payload;
    expect(event?.serialCount).toBe(MAX_COMMISSION_BATCH);
    expect(event?.serials).toEqual(serials); // up to 1,000 the event lists every serial
  });

  it('commissions MAX_GENERATED_BATCH generated serials as one chunk; the event lists the first 1,000', async () => {
    const result: CommissionResult = await chain.commission({ quantity: MAX_GENERATED_BATCH });
    expect(result.unitCount).toBe(MAX_GENERATED_BATCH);
    expect(new Set(result.serials).size).toBe(MAX_GENERATED_BATCH);
    expect(chain.ledger.lastTx?.writes).toHaveLength(4);
    const event = chain.lastEvent()?.payload;
    expect(event?.serialCount).toBe(MAX_GENERATED_BATCH);
    expect(event?.serials).toEqual(result.serials.slice(0, 1000));
  });
});
