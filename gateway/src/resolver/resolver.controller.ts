import { Controller, Get, Headers, Param, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Throttle, ThrottlerGuard } from '@nestjs/throttler';
import { Request, Response } from 'express';
import { Public } from '../auth/decorators';
import { VerifyService } from '../verify/verify.service';
import { renderVerdictPage } from './verdict-page';

const PER_MINUTE = Number(process.env.RESOLVER_RATE_LIMIT ?? 60);

/**
 * The GS1 Digital Link resolver: anyone (a patient's phone camera) checks a pack without an account.
 * HTML for browsers, JSON for `Accept: application/json`; rate-limited per client address.
 */
@ApiExcludeController()
@Public()
@UseGuards(ThrottlerGuard)
@Throttle({ default: { limit: PER_MINUTE, ttl: 60_000 } })
@Controller('01/:gtin')
export class ResolverController {
  constructor(private readonly verifier: VerifyService) {}

  @Get(['10/:lot/21/:serial', '21/:serial'])
  async resolve(
    @Param('gtin') _gtin: string,
    @Headers('accept') accept: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
    @Query('17') _expiry?: string,
  ): Promise<void> {
    // Parse the link exactly as scanned, so the resolver and the scanner agree on every form.
    const link = `https://resolver.local${req.originalUrl}`;
    const result = await this.verifier.verify('resolver', link);
    if ((accept ?? '').includes('application/json') && !(accept ?? '').includes('text/html')) {
      res.json(result);
      return;
    }
    res.type('text/html').send(renderVerdictPage(result));
  }
}
