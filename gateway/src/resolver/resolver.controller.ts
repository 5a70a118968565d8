import { Controller, Get, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { KeyOptional, Public } from '../auth/decorators';
import { VerificationResponse } from '../verify/verify.dto';
import { VerifyService } from '../verify/verify.service';
import { PublicVerification } from './public-verification';
import { ResolverErrorFilter, scannedUrl, wantsJson } from './resolver-error.filter';
import { pageLanguage, renderVerdictPage } from './verdict-page';
import { isVerificationRequest, VrsService } from './vrs.service';

/**
 * What anyone may learn about a pack: the verdict and what is printed on it. Where a pack is now (custodian,
 * GLN), who changed its batch and why, and batch sizes are for members only.
 */
function publicView(result: VerificationResponse): PublicVerification {
  const { verdict, reasons, code, product, batch, hints, regimes, receipt } = result;
  return {
    verdict,
    reasons,
    code,
    hints,
    regimes,
    receipt,
    product: product && {
      gtin: product.gtin,
      name: product.name,
      genericName: product.genericName,
      strength: product.strength,
      dosageForm: product.dosageForm,
      manufacturer: product.manufacturer,
    },
    batch: batch && { status: batch.status, expiry: batch.expiry },
  };
}

/**
 * The GS1 Digital Link resolver: anyone (a patient's phone camera) checks a pack without an account,
 * through the gateway's own resolver identity. HTML for browsers, JSON for `Accept: application/json`, errors
 * included (a malformed code, the rate limit); rate-limited per client address (RESOLVER_RATE_LIMIT a minute,
 * the address behind TRUST_PROXY's proxies), by the global RateLimitGuard.
 */
@ApiExcludeController()
@Public()
@UseFilters(ResolverErrorFilter)
@Controller('01/:gtin')
export class ResolverController {
  constructor(
    private readonly verifier: VerifyService,
    private readonly vrs: VrsService,
  ) {}

  /** A DSCSA verification request (linkType=gs1:verificationService) is a member's, with its API key. */
  @KeyOptional()
  @Get(['10/:lot/21/:serial', '21/:serial'])
  async resolve(@Req() req: Request, @Res() res: Response): Promise<void> {
    // The link exactly as scanned, parsed by the same code as every other scan (order, percent-encoding, ?17=),
    // so an error's position counts from the start of the URL the patient's phone opened.
    if (isVerificationRequest(req)) {
      res.json(await this.vrs.respond(req, scannedUrl(req)));
      return;
    }
    const result = await this.verifier.verify('resolver', scannedUrl(req));
    res.vary('Accept').vary('Accept-Language');
    if (wantsJson(req)) res.json(publicView(result));
    else res.type('html').send(renderVerdictPage(result, pageLanguage(req)));
  }
}
