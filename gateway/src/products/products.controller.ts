import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Caller } from '../auth/caller';
import { CurrentCaller, Roles } from '../auth/decorators';
import { GtinPipe } from '../common/gs1-params';
import { LedgerClient } from '../fabric/ledger-client';
import { ProductResponse, RegisterProductDto } from './product.dto';

@ApiTags('products')
@ApiBearerAuth()
@Controller('v1/products')
export class ProductsController {
  constructor(private readonly ledger: LedgerClient) {}

  @Post()
  @Roles('MANUFACTURER')
  @ApiCreatedResponse({ type: ProductResponse })
  async register(@CurrentCaller() caller: Caller, @Body() body: RegisterProductDto): Promise<ProductResponse> {
    return (await this.ledger.submit<ProductResponse>(caller, 'products', 'Register', JSON.stringify(body))).result;
  }

  @Get(':gtin')
  @ApiOkResponse({ type: ProductResponse })
  async get(@CurrentCaller() caller: Caller, @Param('gtin', GtinPipe) gtin: string): Promise<ProductResponse> {
    return this.ledger.evaluate<ProductResponse>(caller, 'products', 'Get', gtin);
  }
}
