import { Body, Controller, Get, Header, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/decorators';
import { ReceiptCheckResponse, ReceiptDto } from './receipts.dto';
import { ReceiptsService } from './receipts.service';

@ApiTags('receipts')
@Controller()
export class ReceiptsController {
  constructor(private readonly receipts: ReceiptsService) {}

  /** The public keys receipts are signed with, by key ID; rotated keys stay listed. */
  @Public()
  @Get('.well-known/jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  jwks(): ReturnType<ReceiptsService['jwks']> {
    return this.receipts.jwks();
  }

  @ApiBearerAuth()
  @Post('v1/receipts/verify')
  @HttpCode(200)
  @ApiOkResponse({ type: ReceiptCheckResponse })
  verify(@Body() body: ReceiptDto): Promise<ReceiptCheckResponse> {
    return this.receipts.check(body.receipt);
  }

  @ApiBearerAuth()
  @Post('v1/receipts/qr')
  @HttpCode(200)
  @ApiProduces('image/svg+xml')
  @Header('Content-Type', 'image/svg+xml')
  qr(@Body() body: ReceiptDto): string {
    return this.receipts.qrSvg(body.receipt);
  }
}
