import { Body, Controller, HttpCode, Post, Query, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { DomainError } from '@drugtrace/chaincode/domain';
import { Caller } from '../auth/caller';
import { CurrentCaller } from '../auth/decorators';
import { ImageDecoder } from './image-decoder';
import { ImageVerificationResponse, VerificationResponse, VerifyDto, VerifyQuery } from './verify.dto';
import { VerifyService } from './verify.service';

@ApiTags('verify')
@ApiBearerAuth()
@Controller('v1/verify')
export class VerifyController {
  constructor(
    private readonly verifier: VerifyService,
    private readonly decoder: ImageDecoder,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOkResponse({ type: VerificationResponse })
  verify(
    @CurrentCaller() caller: Caller,
    @Body() body: VerifyDto,
    @Query() query: VerifyQuery,
  ): Promise<VerificationResponse> {
    return this.verifier.verify(caller, body.code, query.consistency);
  }

  @Post('image')
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['image'],
      properties: { image: { type: 'string', format: 'binary' } },
    },
  })
  @ApiOkResponse({ type: ImageVerificationResponse })
  @ApiPayloadTooLargeResponse({
    description: 'TOO_LARGE: over 8 MB, or more pixels than the gateway decodes',
  })
  @ApiUnprocessableEntityResponse({
    description: 'UNPROCESSABLE: not a PNG, JPEG, GIF or BMP image, no code in it, or too slow to decode',
  })
  @ApiServiceUnavailableResponse({ description: 'BUSY: every image decoder is busy (Retry-After)' })
  @UseInterceptors(FileInterceptor('image'))
  async verifyImage(
    @CurrentCaller() caller: Caller,
    @UploadedFile() image?: { buffer: Buffer },
  ): Promise<ImageVerificationResponse> {
    if (!image) throw new DomainError('INVALID', 'send the photo as the multipart field "image"');
    const scanned = await this.decoder.decode(image.buffer);
    return { ...(await this.verifier.verify(caller, scanned)), scanned };
  }
}
