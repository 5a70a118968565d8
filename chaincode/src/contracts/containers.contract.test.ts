import { MAX_NESTING } from '../ledger/custody';
import { KEY } from '../ledger/keys';
import { createCompositeKey } from '../testing/fake-ledger';
import { Chain, expectRefused, GTIN, ID, ORG, sscc, ssccUnder } from '../testing/harness';
import { ContainersContract } from './containers.contract';

const u = (serial: string) => ({ gtin: GTIN, serial });
const CASE_A = sscc(1);
const CASE_B = sscc(2);
const PALLET = sscc(9);

interface ContainerJson {
  sscc: string;
  packed: boolean;
  parent?: string;
  custodian: { msp: string; gln: string };
  inTransit?: boolean;
  contents: ({ gtin: string; serial: string } | { sscc: string })[];
}

describe(ContainersContract.name, () => {
  let chain: Chain;
  beforeEach(async () => {
    chain = await Chain.withStock(['S1', 'S2', 'S3', 'S4', 'S5']);
  });
  const get = (code: string) =>
    chain.evaluate<ContainerJson>(ID.regulator, (ctx) => chain.containers.Get(ctx, code));
  const pack = (who: typeof ID.manufacturer, code: string, contents: object[]) => () =>
    chain.submit<ContainerJson>(who, (ctx) =>
      chain.containers.Pack(ctx, JSON.stringify({ sscc: code, contents })),
    );
  const unpack = (who: typeof ID.manufacturer, code: string) => () =>
    chain.submit<ContainerJson>(who, (ctx) => chain.containers.Unpack(ctx, code));

  describe('Pack', () => {
    it('packs units the caller holds into a case, emits PACKED', async () => {
      const result = await pack(ID.manufacturer, CASE_A, [u('S1'), u('S2')])();
      expect(result).toMatchObject({
        sscc: CASE_A,
        packed: true,
        custodian: { msp: 'ManufacturerMSP' },
        contents: [u('S1'), u('S2')],
      });
      expect(chain.lastEvent()).toMatchObject({ name: 'PACKED', payload: { sscc: CASE_A, serialCount: 2 } });
      expect((await chain.unit(GTIN, 'S1')).parent).toBe(CASE_A);
      expect((await get(CASE_A)).contents).toEqual([u('S1'), u('S2')]);
      expect(chain.containerPolicy(CASE_A)).toEqual(['ManufacturerMSP', 'RegulatorMSP']);
    });

    it('nests cases in a pallet; a unit’s custody is the outermost container’s', async () => {
      await pack(ID.manufacturer, CASE_A, [u('S1'), u('S2')])();
      await pack(ID.manufacturer, CASE_B, [u('S3')])();
      await pack(ID.manufacturer, PALLET, [{ sscc: CASE_A }, { sscc: CASE_B }, u('S4')])();
      expect((await get(PALLET)).contents).toEqual([{ sscc: CASE_A }, { sscc: CASE_B }, u('S4')]);
      expect((await get(CASE_A)).parent).toBe(PALLET);
      expect(await chain.unit(GTIN, 'S1')).toMatchObject({ parent: CASE_A, container: PALLET });
    });

    it('refuses to nest containers deeper than custody can be read, and keeps the last good level', async () => {
      await pack(ID.manufacturer, sscc(100), [u('S1')])();
      for (let level = 2; level <= MAX_NESTING; level++) {
        await pack(ID.manufacturer, sscc(100 + level - 1), [{ sscc: sscc(100 + level - 2) }])();
      }
      const top = sscc(100 + MAX_NESTING - 1);
      await expectRefused(
        chain,
        pack(ID.manufacturer, sscc(200), [{ sscc: top }]),
        'INVALID',
        new RegExp(`at most ${MAX_NESTING} levels deep`),
      );
      expect(await chain.unit(GTIN, 'S1')).toMatchObject({ container: top });
      const scan = await chain.evaluate<{ verdict: string }>(ID.manufacturer, (ctx) =>
        chain.verification.Verify(ctx, `(01)${GTIN}(21)S1`, ''),
      );
      expect(scan.verdict).toBe('GENUINE');
    });

    it('refuses goods the caller does not hold', async () => {
      await expectRefused(
        chain,
        pack(ID.distributor, CASE_A, [u('S1')]),
        'CONFLICT',
        /held by ManufacturerMSP, not DistributorMSP/,
      );
    });

    it('refuses a unit already in another container, and a case inside a pallet', async () => {
      await pack(ID.manufacturer, CASE_A, [u('S1')])();
      await expectRefused(chain, pack(ID.manufacturer, CASE_B, [u('S1')]), 'CONFLICT', /packed in container/);
      await pack(ID.manufacturer, PALLET, [{ sscc: CASE_A }])();
      await expectRefused(
        chain,
        pack(ID.manufacturer, CASE_B, [{ sscc: CASE_A }]),
        'CONFLICT',
        /is inside container/,
      );
    });

    it('refuses an SSCC that is already packed, and a container inside itself', async () => {
      await pack(ID.manufacturer, CASE_A, [u('S1')])();
      await expectRefused(chain, pack(ID.manufacturer, CASE_A, [u('S2')]), 'CONFLICT', /already packed/);
      await expectRefused(
        chain,
        pack(ID.manufacturer, CASE_B, [{ sscc: CASE_B }]),
        'INVALID',
        /cannot contain itself/,
      );
    });

    it('refuses inactive units, goods in transit and malformed contents', async () => {
      await chain.submit(ID.manufacturer, (ctx) =>
        chain.units.SetState(ctx, GTIN, 'S5', 'DESTROYED', 'broken'),
      );
      await expectRefused(chain, pack(ID.manufacturer, CASE_A, [u('S5')]), 'CONFLICT', /is DESTROYED/);
      await chain.ship(ID.manufacturer, 'distributor', { units: [u('S4')] });
      await expectRefused(chain, pack(ID.manufacturer, CASE_A, [u('S4')]), 'CONFLICT', /in transit/);
      await expectRefused(
        chain,
        pack(ID.manufacturer, '106141410000000010', [u('S1')]),
        'INVALID',
        /check digit/,
      );
      await expectRefused(
        chain,
        pack(ID.manufacturer, CASE_A, [u('S1'), u('S1')]),
        'INVALID',
        /listed twice/,
      );
      await expectRefused(chain, pack(ID.manufacturer, CASE_A, []), 'INVALID', /nothing listed/);
      await expectRefused(chain, pack(ID.manufacturer, CASE_A, [{ serial: 'S1' }]), 'INVALID');
      await expectRefused(chain, pack(ID.manufacturer, CASE_A, [u('NOPE')]), 'NOT_FOUND');
    });
  });

  describe('Unpack', () => {
    beforeEach(async () => {
      await pack(ID.manufacturer, CASE_A, [u('S1'), u('S2')])();
      await pack(ID.manufacturer, PALLET, [{ sscc: CASE_A }, u('S3')])();
    });

    it('frees the contents to the container’s custodian after it moved, emits UNPACKED', async () => {
      const shipment = await chain.ship(ID.manufacturer, 'distributor', { containers: [PALLET] });
      await chain.receive(ID.distributor, shipment.id);
      const result = await unpack(ID.distributor, PALLET)();
      expect(result).toMatchObject({ sscc: PALLET, packed: false });
      expect(chain.lastEvent()).toMatchObject({
        name: 'UNPACKED',
        payload: { sscc: PALLET, serialCount: 1 },
      });
      const caseA = await get(CASE_A);
      expect(caseA).toMatchObject({ custodian: { msp: 'DistributorMSP' }, contents: [u('S1'), u('S2')] });
      expect(caseA.parent).toBeUndefined();
      expect(await chain.unit(GTIN, 'S3')).toMatchObject({ custodian: { msp: 'DistributorMSP' } });
      expect((await chain.unit(GTIN, 'S3')).parent).toBeUndefined();
      expect(chain.unitPolicy(GTIN, 'S3')).toEqual(['DistributorMSP', 'RegulatorMSP']);
      expect((await get(PALLET)).contents).toEqual([]);
    });

    it('refuses anyone but the custodian', async () => {
      await expectRefused(chain, unpack(ID.distributor, PALLET), 'CONFLICT', /held by ManufacturerMSP/);
    });

    it('refuses a container inside another, one already unpacked, and one in transit', async () => {
      await expectRefused(chain, unpack(ID.manufacturer, CASE_A), 'CONFLICT', /unpack that first/);
      await chain.ship(ID.manufacturer, 'distributor', { containers: [PALLET] });
      await expectRefused(chain, unpack(ID.manufacturer, PALLET), 'CONFLICT', /in transit/);
      const other = await Chain.withStock(['S1']);
      await other.pack(ID.manufacturer, CASE_B, [u('S1')]);
      await other.submit(ID.manufacturer, (ctx) => other.containers.Unpack(ctx, CASE_B));
      await expectRefused(
        other,
        () => other.submit(ID.manufacturer, (ctx) => other.containers.Unpack(ctx, CASE_B)),
        'CONFLICT',
        /already unpacked/,
      );
    });

    it('lets an unpacked SSCC be packed again', async () => {
      await unpack(ID.manufacturer, PALLET)();
      await expect(pack(ID.manufacturer, PALLET, [u('S3')])()).resolves.toMatchObject({ packed: true });
    });

    it('removes every content index entry', async () => {
      await unpack(ID.manufacturer, PALLET)();
      const prefix = createCompositeKey(KEY.content, [PALLET]);
      expect(chain.ledger.keysInRange(prefix, prefix + '\u{10ffff}', Infinity)).toEqual([]);
    });
  });

  describe('who an SSCC belongs to', () => {
    const MAKER_CASE = ssccUnder(ORG.manufacturer.companyPrefixes[0], 7);
    const DISTRIBUTOR_CASE = ssccUnder(ORG.distributor.companyPrefixes[0], 7);

    /** Packs S1 and S2 at the manufacturer, ships the case to the distributor, who receives and unpacks it. */
    async function unpackedAtDistributor(code: string): Promise<void> {
      await pack(ID.manufacturer, code, [u('S1'), u('S2')])();
      const shipment = await chain.ship(ID.manufacturer, 'distributor', { containers: [code] });
      await chain.receive(ID.distributor, shipment.id);
      await unpack(ID.distributor, code)();
    }

    it('records the company whose prefix the SSCC carries, else the first packer, as its owner', async () => {
      await pack(ID.manufacturer, MAKER_CASE, [u('S1')])();
      await pack(ID.manufacturer, CASE_A, [u('S2')])();
      expect(await get(MAKER_CASE)).toMatchObject({ owner: 'ManufacturerMSP' });
      expect(await get(CASE_A)).toMatchObject({ owner: 'ManufacturerMSP' });
    });

    it('refuses a fresh SSCC under another company’s prefix', async () => {
      await expectRefused(
        chain,
        pack(ID.manufacturer, DISTRIBUTOR_CASE, [u('S1')]),
        'FORBIDDEN',
        /carries the GS1 company prefix of DistributorMSP; only DistributorMSP may pack it/,
      );
    });

    it('refuses to repack another company’s unpacked SSCC, whose custody stays where it was', async () => {
      await unpackedAtDistributor(MAKER_CASE);
      await expectRefused(
        chain,
        pack(ID.distributor, MAKER_CASE, [u('S1')]),
        'FORBIDDEN',
        /prefix of ManufacturerMSP/,
      );
      expect(await get(MAKER_CASE)).toMatchObject({ packed: false, owner: 'ManufacturerMSP' });
      expect((await chain.unit(GTIN, 'S1')).parent).toBeUndefined();
    });

    it('refuses another organisation the SSCC its owner unpacked at home: custody does not move', async () => {
      await pack(ID.manufacturer, CASE_A, [u('S1')])();
      await unpack(ID.manufacturer, CASE_A)();
      const shipment = await chain.ship(ID.manufacturer, 'distributor', { units: [u('S3')] });
      await chain.receive(ID.distributor, shipment.id);
      await expectRefused(
        chain,
        pack(ID.distributor, CASE_A, [u('S3')]),
        'FORBIDDEN',
        /only ManufacturerMSP/,
      );
      expect(await get(CASE_A)).toMatchObject({ packed: false, custodian: { msp: 'ManufacturerMSP' } });
      expect(chain.containerPolicy(CASE_A)).toEqual(['ManufacturerMSP', 'RegulatorMSP']);
    });

    it('refuses to repack an SSCC without a known prefix that someone else packed first', async () => {
      await unpackedAtDistributor(CASE_A);
      await expectRefused(
        chain,
        pack(ID.distributor, CASE_A, [u('S1')]),
        'FORBIDDEN',
        /belongs to ManufacturerMSP, which packed it first/,
      );
    });

    it('lets the owner reuse its SSCC once it holds goods again', async () => {
      await unpackedAtDistributor(CASE_A);
      const back = await chain.ship(ID.distributor, 'manufacturer', { units: [u('S1')] });
      await chain.receive(ID.manufacturer, back.id);
      await expect(pack(ID.manufacturer, CASE_A, [u('S1')])()).resolves.toMatchObject({
        packed: true,
        custodian: { msp: 'ManufacturerMSP' },
      });
      expect(await get(CASE_A)).toMatchObject({ owner: 'ManufacturerMSP' });
    });

    it('lets a company pack SSCCs under its own prefix', async () => {
      const shipment = await chain.ship(ID.manufacturer, 'distributor', { units: [u('S3')] });
      await chain.receive(ID.distributor, shipment.id);
      await expect(pack(ID.distributor, DISTRIBUTOR_CASE, [u('S3')])()).resolves.toMatchObject({
        owner: 'DistributorMSP',
      });
    });
  });

  it('answers NOT_FOUND for an unknown container', async () => {
    await expectRefused(chain, () => get(sscc(404)), 'NOT_FOUND', /container .* does not exist/);
  });
});
