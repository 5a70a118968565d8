import { Injectable } from '@nestjs/common';
import { Caller } from '../auth/caller';
import { LedgerClient } from '../fabric/ledger-client';
import { ReadModel } from '../replica/read-model';
import { ProductResponse, RegisterProductDto } from './product.dto';

/** Product master data on the ledger; the owner is the calling manufacturer's organisation. */
@Injectable()
export class ProductsService {
  constructor(
    private readonly ledger: LedgerClient,
    private readonly reads: ReadModel,
  ) {}

  register(caller: Caller, product: RegisterProductDto): Promise<ProductResponse> {
    return this.ledger.submit<ProductResponse>(caller, 'products', 'Register', JSON.stringify(product));
  }

  get(caller: Caller, gtin: string): Promise<ProductResponse> {
    return this.reads.evaluate<ProductResponse>(caller, 'products', 'Get', gtin);
  }
}
