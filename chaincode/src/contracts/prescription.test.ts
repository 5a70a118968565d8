import { DispenseResult, MAX_PRESCRIPTION_PACKS } from '../api';
import { Chain, expectRefused, GTIN, ID, ORG, user } from '../testing/harness';

// Prescription dispense (units.DispenseMany): every listed pack or none.
describe('DispenseMany', () => {
  let chain: Chain;
  const packs = (...serials: string[]) => serials.map((serial) => ({ gtin: GTIN, serial }));
  const dispenseMany = (units: unknown, who = ID.pharmacy) =>
    chain.submit<DispenseResult>(who, (ctx) => chain.units.DispenseMany(ctx, JSON.stringify({ units })));

  beforeEach(async () => {
    chain = await Chain.atPharmacy(['S0001', 'S0002', 'S0003']);
  });

  it('dispenses every listed pack in one transaction, each under the holder + regulator policy', async () => {
    const txs = chain.ledger.transactions.length;
    const { units } = await dispenseMany(packs('S0001', 'S0002'));
    expect(chain.ledger.transactions.length).toBe(txs + 1);
    expect(units.map((u) => [u.serial, u.state])).toEqual([
      ['S0001', 'DISPENSED'],
      ['S0002', 'DISPENSED'],
    ]);
    for (const serial of ['S0001', 'S0002']) {
      expect((await chain.unit(GTIN, serial)).state).toBe('DISPENSED');
      expect(chain.unitPolicy(GTIN, serial)).toEqual(['PharmacyMSP', 'RegulatorMSP']);
    }
    expect((await chain.unit(GTIN, 'S0003')).state).toBe('ACTIVE');
    expect(chain.ledger.lastTx?.requiredOrgs).toEqual(['PharmacyMSP', 'RegulatorMSP']);
    expect(chain.lastEvent()).toMatchObject({
      name: 'DISPENSED',
      payload: { type: 'DISPENSED', org: 'PharmacyMSP', serialCount: 2, status: 'DISPENSED' },
    });
  });

  it('dispenses nothing when one pack is already dispensed, naming that pack', async () => {
    await chain.submit(ID.pharmacy, (ctx) => chain.units.Dispense(ctx, GTIN, 'S0002'));
    await expectRefused(
      chain,
      () => dispenseMany(packs('S0001', 'S0002', 'S0003')),
      'CONFLICT',
      new RegExp(`unit ${GTIN}/S0002 is DISPENSED`),
    );
    expect((await chain.unit(GTIN, 'S0001')).state).toBe('ACTIVE');
  });

  it('dispenses nothing when a pack was never commissioned, naming it', async () => {
    await expectRefused(
      chain,
      () => dispenseMany(packs('S0001', 'NOPE1')),
      'CONFLICT',
      new RegExp(`pack ${GTIN}/NOPE1 was never commissioned`),
    );
  });

  it('refuses packs another pharmacy holds, and packs held at another of its locations', async () => {
    await expectRefused(
      chain,
      () => dispenseMany(packs('S0001'), ID.pharmacy2),
      'CONFLICT',
      /held by PharmacyMSP/,
    );
    const otherBranch = user('pharmacy', { gln: ORG.pharmacy.glns[1] });
    await expectRefused(
      chain,
      () => dispenseMany(packs('S0001'), otherBranch),
      'CONFLICT',
      new RegExp(`held at ${ORG.pharmacy.glns[0]}, not at ${ORG.pharmacy.glns[1]}`),
    );
  });

  it('refuses an empty list, a pack listed twice, more than the limit, and a non-pharmacy', async () => {
    await expectRefused(chain, () => dispenseMany([]), 'INVALID', /at least one pack/);
    await expectRefused(chain, () => dispenseMany(packs('S0001', 'S0001')), 'INVALID', /listed twice/);
    const tooMany = Array.from({ length: MAX_PRESCRIPTION_PACKS + 1 }, (_, i) => `X${i}`);
    await expectRefused(
      chain,
      () => dispenseMany(packs(...tooMany)),
      'INVALID',
      new RegExp(`at most ${MAX_PRESCRIPTION_PACKS}`),
    );
    await expectRefused(chain, () => dispenseMany('nope'), 'INVALID', /must be an array/);
    await expectRefused(chain, () => dispenseMany(packs('S0001'), ID.distributor), 'FORBIDDEN');
  });
});
