import { KEY } from '../ledger/keys';
import { createCompositeKey } from '../testing/fake-ledger';
import { AlertList, Shipment, ShipmentManifest, TermsDocument, TermsRecord } from '../api';
import { termsHash } from '../domain';
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

  describe('Manifest and ReceiveScanned', () => {
    const CASE = sscc(1);
    const pack = (serial: string) => `(01)${GTIN}(21)${serial}`;
    let shipment: Shipment;
    beforeEach(async () => {
      // A pallet holding a case of S1 and S2, and the loose pack S3.
      await chain.pack(ID.manufacturer, CASE, [u('S1'), u('S2')]);
      await chain.pack(ID.manufacturer, PALLET, [{ sscc: CASE }]);
      shipment = await chain.ship(ID.manufacturer, 'distributor', { units: [u('S3')], containers: [PALLET] });
    });
    const receive = (scanned: string[], acceptDiscrepancies?: boolean) => () =>
      chain.submit<Shipment>(ID.distributor, (ctx) =>
        chain.shipments.ReceiveScanned(ctx, shipment.id, JSON.stringify({ scanned, acceptDiscrepancies })),
      );

    it('expands the shipment’s containers for its parties and the regulator, not for others', async () => {
      const manifest = await chain.evaluate<ShipmentManifest>(ID.distributor, (ctx) =>
        chain.shipments.Manifest(ctx, shipment.id),
      );
      expect(manifest).toEqual({
        id: shipment.id,
        items: [
          { code: pack('S3') },
          {
            code: `(00)${PALLET}`,
            contents: [{ code: `(00)${CASE}`, contents: [{ code: pack('S1') }, { code: pack('S2') }] }],
          },
        ],
      });
      await expectRefused(
        chain,
        () => chain.evaluate(ID.pharmacy, (ctx) => chain.shipments.Manifest(ctx, shipment.id)),
        'FORBIDDEN',
      );
    });

    it('receives a scan that matches (a case scanned whole, a pack by its Digital Link) as Receive does', async () => {
      const received = await receive([CASE, `https://id.example/01/${GTIN}/21/S3`])();
      expect(received).toMatchObject({
        status: 'RECEIVED',
        receipt: { expected: 3, scanned: 3, missing: [], unexpected: [] },
      });
      expect(await chain.unit(GTIN, 'S1')).toMatchObject({
        inTransit: false,
        custodian: { msp: 'DistributorMSP' },
      });
      expect(chain.lastEvent()?.name).toBe('RECEIVED');
    });

    it('refuses a mismatch unless accepted, and changes nothing', async () => {
      await expectRefused(chain, receive([pack('S1'), pack('S3')]), 'CONFLICT', /1 missing, 0 unexpected/);
      await expectRefused(chain, receive(['not a code']), 'INVALID');
      await expectRefused(
        chain,
        () =>
          chain.submit(ID.pharmacy, (ctx) =>
            chain.shipments.ReceiveScanned(ctx, shipment.id, '{"scanned":[]}'),
          ),
        'FORBIDDEN',
      );
    });

    it('accepting: scanned received, missing stays with the sender marked missing, alerts for the regulator', async () => {
      const stray = `(01)${GTIN}(21)S9`;
      const received = await receive([pack('S1'), pack('S3'), stray], true)();
      expect(received.receipt).toEqual({
        expected: 3,
        scanned: 2,
        missing: [pack('S2')],
        unexpected: [stray],
      });
      expect(await chain.unit(GTIN, 'S1')).toMatchObject({
        custodian: { msp: 'DistributorMSP' },
        container: PALLET,
      });
      const s2 = await chain.unit(GTIN, 'S2');
      expect(s2).toMatchObject({
        inTransit: false,
        custodian: { msp: 'ManufacturerMSP' },
        missingInTransit: shipment.id,
      });
      expect(s2.parent).toBeUndefined();
      expect(chain.unitPolicy(GTIN, 'S2')).toEqual(['ManufacturerMSP', 'RegulatorMSP']);
      const case1 = await chain.evaluate<{ contents: unknown[] }>(ID.distributor, (ctx) =>
        chain.containers.Get(ctx, CASE),
      );
      expect(case1.contents).toEqual([u('S1')]);
      const { alerts } = await chain.evaluate<AlertList>(ID.regulator, (ctx) => chain.audit.Alerts(ctx, ''));
      expect(alerts.map((a) => [a.reasons, a.gtin, a.serial, a.shipmentId])).toEqual(
        expect.arrayContaining([
          [['MISSING_IN_TRANSIT'], GTIN, 'S2', shipment.id],
          [['UNEXPECTED_IN_SHIPMENT'], GTIN, 'S9', shipment.id],
        ]),
      );
      const verdict = await chain.evaluate<{ reasons: string[] }>(ID.regulator, (ctx) =>
        chain.verification.Verify(ctx, pack('S2'), ''),
      );
      expect(verdict.reasons).toContain('MISSING_IN_TRANSIT');
      // Found again and shipped on: no longer marked missing.
      await chain.ship(ID.manufacturer, 'distributor', { units: [u('S2')] });
      expect((await chain.unit(GTIN, 'S2')).missingInTransit).toBeUndefined();
    });

    it('a whole pallet left unscanned stays with the sender as one missing code', async () => {
      const received = await receive([pack('S3')], true)();
      expect(received.receipt).toMatchObject({ scanned: 1, missing: [`(00)${PALLET}`] });
      expect(await chain.unit(GTIN, 'S1')).toMatchObject({
        custodian: { msp: 'ManufacturerMSP' },
        inTransit: false,
      });
      expect(await chain.unit(GTIN, 'S3')).toMatchObject({ custodian: { msp: 'DistributorMSP' } });
    });
  });

  describe('commercial terms in private data', () => {
    const terms: TermsDocument = {
      purchaseOrder: 'PO-4711-ACME',
      invoice: 'INV-2027-0042',
      unitPrice: '12.50',
      currency: 'EUR',
      salt: '0123456789abcdef0123456789abcdef',
    };
    /** `doc` null: no transient data at all. */
    const record = (who = ID.manufacturer, to = 'DistributorMSP', doc: unknown = terms) =>
      chain.submit<TermsRecord>(
        who,
        (ctx) => chain.shipments.RecordTerms(ctx, to),
        doc === null ? {} : { terms: doc },
      );
    const shipWithTerms = (termsId: string, who = ID.manufacturer, serial = 'S1') =>
      chain.submit<Shipment>(who, (ctx) =>
        chain.shipments.Create(
          ctx,
          JSON.stringify({
            to: 'DistributorMSP',
            toGln: ORG.distributor.glns[0],
            units: [u(serial)],
            termsId,
          }),
        ),
      );

    it('keeps the terms in both parties’ implicit collections and only their hash on the channel', async () => {
      const recorded = await record();
      expect(recorded.termsHash).toBe(termsHash(terms));
      const shipment = await shipWithTerms(recorded.id);
      expect(shipment).toMatchObject({ termsHash: termsHash(terms), termsId: recorded.id });
      const key = createCompositeKey(KEY.terms, [recorded.id]);
      for (const msp of ['ManufacturerMSP', 'DistributorMSP'])
        expect(JSON.parse(String(chain.ledger.privateData(`_implicit_org_${msp}`, key)))).toEqual(terms);
      expect(chain.ledger.privateData('_implicit_org_RegulatorMSP', key)).toBeUndefined();
      const channel = [...chain.ledger.snapshot().values()].map((v) =>
        Buffer.from(v.split('|')[0], 'base64').toString(),
      );
      expect(channel.some((v) => v.includes('PO-4711-ACME'))).toBe(false);
      expect(channel.some((v) => v.includes(termsHash(terms)))).toBe(true);
    });

    it('shows the terms to the sender and the receiver, from their own private data, and to no one else', async () => {
      const shipment = await shipWithTerms((await record()).id);
      for (const who of [ID.manufacturer, ID.distributor])
        expect(await chain.evaluate(who, (ctx) => chain.shipments.Terms(ctx, shipment.id))).toEqual(terms);
      for (const who of [ID.regulator, ID.pharmacy])
        await expectRefused(
          chain,
          () => chain.evaluate(who, (ctx) => chain.shipments.Terms(ctx, shipment.id)),
          'FORBIDDEN',
        );
      const plain = await chain.ship(ID.manufacturer, 'distributor', { units: [u('S2')] });
      await expectRefused(
        chain,
        () => chain.evaluate(ID.distributor, (ctx) => chain.shipments.Terms(ctx, plain.id)),
        'NOT_FOUND',
      );
    });

    it('refuses terms missing, malformed or to oneself, and terms recorded for another pair or taken', async () => {
      await expectRefused(
        chain,
        () => record(ID.manufacturer, 'DistributorMSP', null),
        'INVALID',
        /transient/,
      );
      await expectRefused(
        chain,
        () => record(ID.manufacturer, 'DistributorMSP', { ...terms, currency: 'euro' }),
        'INVALID',
        /currency/,
      );
      await expectRefused(
        chain,
        () => record(ID.manufacturer, 'DistributorMSP', { ...terms, unitPrice: 12.5 }),
        'INVALID',
        /unitPrice/,
      );
      await expectRefused(chain, () => record(ID.manufacturer, 'ManufacturerMSP'), 'INVALID');
      await expectRefused(chain, () => record(ID.manufacturer, 'StrangerMSP'), 'NOT_FOUND');
      const forPharmacy = await record(ID.manufacturer, 'PharmacyMSP');
      await expectRefused(chain, () => shipWithTerms(forPharmacy.id), 'FORBIDDEN', /not recorded/);
      const recorded = await record();
      await shipWithTerms(recorded.id);
      await expectRefused(
        chain,
        () => shipWithTerms(recorded.id, ID.manufacturer, 'S2'),
        'CONFLICT',
        /belong to shipment/,
      );
      await expectRefused(chain, () => shipWithTerms('nope', ID.manufacturer, 'S2'), 'NOT_FOUND');
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
