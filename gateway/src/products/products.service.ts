import { Injectable } from '@nestjs/common';
import { Caller } from '../auth/caller';
import { LedgerClient } from '../fabric/ledger-client';
import { ProductResponse, RegisterProductDto } from './product.dto';

/** Product master data on the ledger; the owner is the calling manufacturer's organisation. */
@Injectable()
export class ProductsService {
  constructor(private readonly ledger: LedgerClient) {}

  register(caller: Caller, product: RegisterProductDto): Promise<ProductResponse> {
    return this.ledger.submit<ProductResponse>(caller, 'products', 'Register', JSON.stringify(product));
  }

  get(caller: Caller, gtin: string): Promise<ProductResponse> {
    return this.ledger.evaluate<ProductResponse>(caller, 'products', 'Get', gtin);
  }
}
