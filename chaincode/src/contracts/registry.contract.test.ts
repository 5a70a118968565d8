import { toJson } from '../ledger/serialize';
import { Chain, expectRefused, ID, ORG, resultJson, user, withCheckDigit } from '../testing/harness';
import { RegistryContract } from './registry.contract';

interface OrgJson {
  mspId: string;
  role: string;
  glns: string[];
  name: string;
  admittedAt: string;
  admittedBy: string;
}

describe(RegistryContract.name, () => {
  let chain: Chain;
  const seedJson = JSON.stringify([ORG.regulator, ORG.manufacturer, ORG.pharmacy]);
  beforeEach(() => {
    chain = new Chain();
  });

  describe('Seed', () => {
    it('admits every listed organisation once, by the regulator named in the seed', async () => {
      const orgs = await chain.submit<OrgJson[]>(ID.regulator, (ctx) => chain.registry.Seed(ctx, seedJson));
      expect(orgs.map((o) => o.mspId)).toEqual(['RegulatorMSP', 'ManufacturerMSP', 'PharmacyMSP']);
      expect(orgs[1]).toMatchObject({
        role: 'MANUFACTURER',
        glns: ORG.manufacturer.glns,
        admittedBy: 'RegulatorMSP',
      });
      expect(chain.lastEvent()).toMatchObject({
        name: 'ORG_ADMITTED',
        payload: { type: 'ORG_ADMITTED', org: 'RegulatorMSP', serialCount: 3 },
      });
      const listed = await chain.evaluate<OrgJson[]>(ID.pharmacy, (ctx) => chain.registry.List(ctx));
      expect(listed.map((o) => o.mspId).sort()).toEqual(['ManufacturerMSP', 'PharmacyMSP', 'RegulatorMSP']);
    });

    it('refuses an identity whose certificate does not say REGULATOR', async () => {
      await expectRefused(
        chain,
        () => chain.submit(ID.manufacturer, (ctx) => chain.registry.Seed(ctx, seedJson)),
        'FORBIDDEN',
      );
      await expectRefused(
        chain,
        () => chain.submit(user('regulator', { noAttrs: true }), (ctx) => chain.registry.Seed(ctx, seedJson)),
        'FORBIDDEN',
      );
    });

    it('refuses a seed that does not list the caller as REGULATOR', async () => {
      const seed = JSON.stringify([ORG.manufacturer, ORG.pharmacy]);
      await expectRefused(
        chain,
        () => chain.submit(ID.regulator, (ctx) => chain.registry.Seed(ctx, seed)),
        'FORBIDDEN',
        /must itself be listed/,
      );
    });

    it('refuses a second seed', async () => {
      await chain.seed();
      await expectRefused(
        chain,
        () => chain.submit(ID.regulator, (ctx) => chain.registry.Seed(ctx, seedJson)),
        'CONFLICT',
        /already seeded/,
      );
    });

    it('refuses malformed organisations', async () => {
      const seed =
        (orgs: unknown): (() => Promise<unknown>) =>
        () =>
          chain.submit(ID.regulator, (ctx) => chain.registry.Seed(ctx, JSON.stringify(orgs)));
      await expectRefused(
        chain,
        seed([ORG.regulator, { ...ORG.pharmacy, glns: ['9506000020001'] }]),
        'INVALID',
        /GLN 9506000020001 has a wrong check digit/,
      );
      await expectRefused(
        chain,
        seed([ORG.regulator, { ...ORG.pharmacy, role: 'WHOLESALER' }]),
        'INVALID',
        /role must be one of/,
      );
      await expectRefused(chain, seed([ORG.regulator, { ...ORG.pharmacy, glns: [] }]), 'INVALID');
      await expectRefused(
        chain,
        seed([ORG.regulator, { ...ORG.pharmacy, companyPrefixes: ['950'] }]),
        'INVALID',
        /company prefix is 4 to 12 digits, not "950"/,
      );
      await expectRefused(
        chain,
        seed([ORG.regulator, { ...ORG.pharmacy, companyPrefixes: '9506000' }]),
        'INVALID',
        /companyPrefixes must be an array/,
      );
      await expectRefused(
        chain,
        seed([ORG.regulator, ORG.manufacturer, { ...ORG.pharmacy, companyPrefixes: ['95060000'] }]),
        'CONFLICT',
        /prefix 950600000 of ManufacturerMSP overlaps 95060000 of PharmacyMSP/,
      );
      await expectRefused(chain, seed([]), 'INVALID');
      await expectRefused(
        chain,
        () => chain.submit(ID.regulator, (ctx) => chain.registry.Seed(ctx, 'not json')),
        'INVALID',
      );
    });
  });

  describe('Admit', () => {
    beforeEach(() => chain.seed(['regulator', 'manufacturer', 'pharmacy']));
    const newcomer = {
      mspId: 'Pharmacy2MSP',
      role: 'PHARMACY',
      name: 'New Pharmacy',
      glns: [withCheckDigit('950600004000')],
    };

    it('lets the regulator admit an organisation', async () => {
      const org = await chain.submit<OrgJson>(ID.regulator, (ctx) =>
        chain.registry.Admit(ctx, JSON.stringify(newcomer)),
      );
      expect(org).toMatchObject({ ...newcomer, admittedBy: 'RegulatorMSP' });
      expect(chain.lastEvent()?.name).toBe('ORG_ADMITTED');
      const read = await chain.evaluate<OrgJson>(ID.pharmacy, (ctx) =>
        chain.registry.Get(ctx, 'Pharmacy2MSP'),
      );
      expect(read).toEqual(org);
    });

    it('records the organisation’s GS1 company prefixes, and refuses one that overlaps another’s', async () => {
      const withPrefix = { ...newcomer, companyPrefixes: ['950600004'] };
      const org = await chain.submit<OrgJson>(ID.regulator, (ctx) =>
        chain.registry.Admit(ctx, JSON.stringify(withPrefix)),
      );
      expect(org).toMatchObject({ companyPrefixes: ['950600004'] });
      await expectRefused(
        chain,
        () =>
          chain.submit(ID.regulator, (ctx) =>
            chain.registry.Admit(ctx, JSON.stringify({ ...ORG.pharmacy2, companyPrefixes: ['9506000040'] })),
          ),
        'CONFLICT',
        /prefix 950600004 of Pharmacy2MSP overlaps 9506000040 of PharmacyBMSP/,
      );
      // Re-admitting the same organisation with its own prefix is no overlap.
      await expect(
        chain.submit(ID.regulator, (ctx) => chain.registry.Admit(ctx, JSON.stringify(withPrefix))),
      ).resolves.toMatchObject({ companyPrefixes: ['950600004'] });
    });

    it('refuses anyone but the regulator, and organisations not admitted at all', async () => {
      const admit =
        (who = ID.manufacturer) =>
        () =>
          chain.submit(who, (ctx) => chain.registry.Admit(ctx, JSON.stringify(newcomer)));
      await expectRefused(
        chain,
        admit(ID.manufacturer),
        'FORBIDDEN',
        /ManufacturerMSP is MANUFACTURER; this needs REGULATOR/,
      );
      await expectRefused(chain, admit(ID.outsider), 'FORBIDDEN', /StrangerMSP is not admitted/);
    });
  });

  describe('caller resolution', () => {
    beforeEach(() => chain.seed(['regulator', 'manufacturer', 'pharmacy']));
    const list = (who: Parameters<Chain['evaluate']>[0]) => () =>
      chain.evaluate(who, (ctx) => chain.registry.List(ctx));

    it('refuses a certificate role that disagrees with the organisation’s registry entry', async () => {
      await expectRefused(
        chain,
        list(user('pharmacy', { role: 'MANUFACTURER' })),
        'FORBIDDEN',
        /certificate role MANUFACTURER/,
      );
    });

    it('refuses a GLN that is not one of the organisation’s locations', async () => {
      await expectRefused(
        chain,
        list(user('pharmacy', { gln: ORG.manufacturer.glns[0] })),
        'FORBIDDEN',
        /is not a location of PharmacyMSP/,
      );
    });

    it('refuses a certificate without the drugtrace attributes: an org admin acts for nobody', async () => {
      await expectRefused(
        chain,
        list(user('pharmacy', { noAttrs: true })),
        'FORBIDDEN',
        /certificate role \(none\) does not match PharmacyMSP's role PHARMACY/,
      );
    });

    it('answers NOT_FOUND for an unknown organisation', async () => {
      await expectRefused(
        chain,
        () => chain.evaluate(ID.pharmacy, (ctx) => chain.registry.Get(ctx, 'NopeMSP')),
        'NOT_FOUND',
      );
    });
  });

  it('returns and stores deterministic JSON (keys sorted at every depth)', async () => {
    const raw = resultJson(
      await chain.ledger.submit(ID.regulator, (ctx) => chain.registry.Seed(ctx, seedJson)),
    );
    expect(raw).toBe(toJson(JSON.parse(raw)));
    expect(raw.indexOf('"admittedAt"')).toBeLessThan(raw.indexOf('"mspId"'));
    for (const value of chain.ledger.snapshot().values()) {
      const json = Buffer.from(value.split('|')[0], 'base64').toString('utf8');
      expect(json).toBe(toJson(JSON.parse(json)));
    }
  });
});
