import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Response } from 'express';
import { Language } from '@drugtrace/chaincode/domain';
import { Public } from '../auth/decorators';
import { Catalogue, catalogue, negotiateLanguage } from './messages';

/** The pages' messages in the language Accept-Language asks for, or the one the page's switch chose (?lang=). */
@ApiExcludeController()
@Public()
@Controller('i18n')
export class I18nController {
  @Get()
  messages(
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Query('lang') lang: unknown,
    @Res({ passthrough: true }) res: Response,
  ): { lang: Language; messages: Catalogue } {
    res.vary('Accept-Language');
    res.setHeader('Cache-Control', 'no-cache');
    const language = negotiateLanguage(acceptLanguage, lang);
    return { lang: language, messages: catalogue(language) };
  }
}
