import { BatchResponse } from '../batches/batch.dto';
import { ProductResponse } from '../products/product.dto';
import { VerificationResponse } from '../verify/verify.dto';

/** The resolver's answer to anyone: the verdict and what is printed on the pack, nothing about where it is. */
export interface PublicVerification extends Pick<
  VerificationResponse,
  'verdict' | 'reasons' | 'code' | 'hints' | 'regimes' | 'receipt'
> {
  product?: Pick<
    ProductResponse,
    'gtin' | 'name' | 'genericName' | 'strength' | 'dosageForm' | 'manufacturer'
  >;
  batch?: Pick<BatchResponse, 'status' | 'expiry'>;
}
