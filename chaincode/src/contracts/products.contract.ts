import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { ContractOf, ProductRequest, ProductsApi } from '../api';
import { assertGtin, DomainError, refuse, roleRefusal } from '../domain';
import { emit } from '../ledger/events';
import { KEY } from '../ledger/keys';
import { Product } from '../ledger/models';
import { parseJson, requireText, session } from '../ledger/session';

@Info({ title: 'Products', description: 'Product master data by GTIN, owned by its manufacturer' })
export class ProductsContract extends Contract implements ContractOf<ProductsApi, Context> {
  constructor() {
    super('products');
  }

  @Transaction()
  @Returns('Product')
  async Register(ctx: Context, productJson: string): Promise<Product> {
    const { store, caller } = await session(ctx);
    refuse(roleRefusal(caller, 'registerProduct'));
    const input = parseJson<Partial<ProductRequest>>(productJson, 'product');
    const gtin = requireText(input.gtin, 'gtin', 14);
    assertGtin(gtin);
    const product: Product = {
      gtin,
      name: requireText(input.name, 'name'),
      genericName: requireText(input.genericName, 'genericName'),
      strength: requireText(input.strength, 'strength', 100),
      dosageForm: requireText(input.dosageForm, 'dosageForm', 100),
      marketingAuthorization: requireText(input.marketingAuthorization, 'marketingAuthorization', 100),
      manufacturer: caller.msp,
      registeredAt: store.now(),
    };
    if (await store.exists(KEY.product, [gtin]))
      throw new DomainError('CONFLICT', `product ${gtin} is already registered`);
    await store.put(KEY.product, [gtin], product);
    emit(ctx, {
      type: 'PRODUCT_REGISTERED',
      at: product.registeredAt,
      org: caller.msp,
      gln: caller.gln,
      txId: store.txId(),
      gtin,
    });
    return product;
  }

  @Transaction(false)
  @Returns('Product')
  async Get(ctx: Context, gtin: string): Promise<Product> {
    const { store } = await session(ctx);
    return store.get<Product>(KEY.product, [gtin], `product ${gtin}`);
  }
}
