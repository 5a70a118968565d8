import { Chain, expectRefused, GTIN, ID } from '../testing/harness';
import { ProductsContract } from './products.contract';

const amoxicillin = {
  gtin: GTIN,
  name: 'Amoxicillin 500 mg capsules',
  genericName: 'amoxicillin',
  strength: '500 mg',
  dosageForm: 'capsule',
  marketingAuthorization: 'H20190001',
};

describe(ProductsContract.name, () => {
  let chain: Chain;
  beforeEach(async () => {
    chain = new Chain();
    await chain.seed();
  });
  const register =
    (who = ID.manufacturer, product: object = amoxicillin) =>
    () =>
      chain.submit(who, (ctx) => chain.products.Register(ctx, JSON.stringify(product)));

  it('registers a product owned by the calling manufacturer', async () => {
    const product = await register()();
    expect(product).toEqual({
      ...amoxicillin,
      manufacturer: 'ManufacturerMSP',
      registeredAt: '2027-01-15T09:00:01.000Z',
    });
    expect(chain.lastEvent()).toMatchObject({
      name: 'PRODUCT_REGISTERED',
      payload: { gtin: GTIN, org: 'ManufacturerMSP' },
    });
    await expect(chain.evaluate(ID.pharmacy, (ctx) => chain.products.Get(ctx, GTIN))).resolves.toEqual(
      product,
    );
  });

  it('refuses every role but manufacturer', async () => {
    await expectRefused(
      chain,
      register(ID.pharmacy),
      'FORBIDDEN',
      /PharmacyMSP is PHARMACY; this needs MANUFACTURER/,
    );
    await expectRefused(chain, register(ID.distributor), 'FORBIDDEN');
    await expectRefused(chain, register(ID.regulator), 'FORBIDDEN');
  });

  it('refuses a GTIN registered before, even by another manufacturer', async () => {
    await register()();
    await expectRefused(chain, register(ID.manufacturer2), 'CONFLICT', /already registered/);
  });

  it('refuses an invalid GTIN and missing fields', async () => {
    await expectRefused(
      chain,
      register(ID.manufacturer, { ...amoxicillin, gtin: '09506000134353' }),
      'INVALID',
      /check digit/,
    );
    await expectRefused(
      chain,
      register(ID.manufacturer, { ...amoxicillin, name: '  ' }),
      'INVALID',
      /name is required/,
    );
    await expectRefused(
      chain,
      register(ID.manufacturer, { ...amoxicillin, strength: 'x'.repeat(101) }),
      'INVALID',
      /longer than 100/,
    );
    await expectRefused(
      chain,
      () => chain.submit(ID.manufacturer, (ctx) => chain.products.Register(ctx, '[1')),
      'INVALID',
    );
  });

  it('answers NOT_FOUND for an unknown GTIN', async () => {
    await expectRefused(
      chain,
      () => chain.evaluate(ID.pharmacy, (ctx) => chain.products.Get(ctx, GTIN)),
      'NOT_FOUND',
      /product 09506000134352 does not exist/,
    );
  });
});
