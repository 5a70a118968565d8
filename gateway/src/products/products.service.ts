import { Injectable } from '@nestjs/common';
import { Caller } from '../auth/caller';
import { Ledger } from '../fabric/ledger';
import { ProductResponse, RegisterProductDto } from './product.dto';

/** Product master data on the ledger; the owner is the calling manufacturer's organisation. */
@Injectable()
export class ProductsService {
  constructor(private readonly ledger: Ledger) {}

  register(caller: Caller, product: RegisterProductDto): Promise<ProductResponse> {
    return this.ledger.products.register(caller, product);
  }

  get(caller: Caller, gtin: string): Promise<ProductResponse> {
    return this.ledger.products.get(caller, gtin);
  }
}
