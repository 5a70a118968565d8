import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Caller } from '../auth/caller';
import { Allowed, CurrentCaller } from '../auth/decorators';
import { GtinPipe } from '../common/gs1-params';
import { ProductResponse, RegisterProductDto } from './product.dto';
import { ProductsService } from './products.service';

@ApiTags('products')
@ApiBearerAuth()
@Controller('v1/products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Post()
  @Allowed('registerProduct')
  @ApiCreatedResponse({ type: ProductResponse })
  register(@CurrentCaller() caller: Caller, @Body() body: RegisterProductDto): Promise<ProductResponse> {
    return this.products.register(caller, body);
  }

  @Get(':gtin')
  @ApiOkResponse({ type: ProductResponse })
  get(@CurrentCaller() caller: Caller, @Param('gtin', GtinPipe) gtin: string): Promise<ProductResponse> {
    return this.products.get(caller, gtin);
  }
}
