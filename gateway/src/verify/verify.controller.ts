import { Body, Controller, HttpCode, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { DomainError } from '@drugtrace/chaincode/domain';
import { Caller } from '../auth/caller';
import { CurrentCaller } from '../auth/decorators';
import { ImageDecoder } from './image-decoder';
import { VerifyService } from './verify.service';

export class VerifyDto {
  @ApiProperty({ example: '(01)09506000134352(17)280630(10)A1B2(21)X7K2M9Q4P1Z8', description: 'the raw scan in any GS1 form' })
  @IsString() @MinLength(1) @MaxLength(512)
  code!: string;
}

const MAX_IMAGE_BYTES = 8 * 1024 * 1024;

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
  @ApiOkResponse({ description: 'verdict: GENUINE, SUSPECT or COUNTERFEIT, with reasons' })
  async verify(@CurrentCaller() caller: Caller, @Body() body: VerifyDto): Promise<unknown> {
    return this.verifier.verify(caller, body.code);
  }

  @Post('image')
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { image: { type: 'string', format: 'binary' } } } })
  @UseInterceptors(FileInterceptor('image', { limits: { fileSize: MAX_IMAGE_BYTES, files: 1 } }))
  async verifyImage(@CurrentCaller() caller: Caller, @UploadedFile() image?: { buffer: Buffer; mimetype: string }): Promise<unknown> {
    if (!image) throw new DomainError('INVALID', 'send the photo as multipart field "image"');
    const code = await this.decoder.decode(image.buffer);
    return { ...(await this.verifier.verify(caller, code)), scanned: code };
  }
}
