import { HttpException, HttpStatus, Injectable, UnauthorizedException } from '@nestjs/common';
import { assertGln, DomainError } from '@drugtrace/chaincode/domain';
import { Request } from 'express';
import { Caller } from '../auth/caller';
import { AppConfig } from '../config/app-config';
import { VerifyService } from '../verify/verify.service';

/**
 * The link types that ask a Digital Link for its verification service: the GS1 Web Vocabulary term
 * gs1:verificationService by its IRI and the equivalent IRIs the vocabulary lists, and the bare
 * `verificationService` that the lightweight messaging standard's requests carry.
 */
const VERIFICATION_LINK_TYPES = new Set([
  'gs1:verificationService',
  'verificationService',
  'https://ref.gs1.org/voc/verificationService',
  'https://gs1.org/voc/verificationService',
  'https://www.gs1.org/voc/verificationService',
]);
/** The context the lightweight messaging standard defines for DSCSA saleable returns: the one question answered here. */
const CONTEXT = 'dscsaSaleableReturn';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The response message of the GS1 Lightweight Messaging Standard for Verification of Product Identifiers. */
export interface VerificationMessage {
  corrUUID: string;
  verificationTimestamp: string;
  responderGLN: string;
  data: { verified: boolean; verificationFailureReason?: string; additionalInfo?: string };
}

export const isVerificationRequest = (req: Request): boolean =>
  typeof req.query.linkType === 'string' && VERIFICATION_LINK_TYPES.has(req.query.linkType);

/** One query parameter, once, as text. */
function param(req: Request, name: string): string {
  const value = req.query[name];
  if (typeof value !== 'string' || value === '')
    throw new DomainError('INVALID', `the verification request needs one "${name}" query parameter`);
  return value;
}

/**
 * A DSCSA Verification Router Service responder: a wholesaler's VRS client asks the pack's Digital Link with
 * linkType=gs1:verificationService, the context of its question (dscsaSaleableReturn), its GLN (reqGLN)
 * and a correlation UUID (corrUUID), authenticated with its API key. The answer is the verdict in DSCSA terms,
 * on behalf of the product's manufacturer (responderGLN). Errors carry the standard's HTTP statuses: 400 a
 * malformed request, 401 no or an unknown key, 403 a requestor GLN that is not the caller's, 404 a GTIN no
 * manufacturer on this network registered.
 */
@Injectable()
export class VrsService {
  constructor(
    private readonly verifier: VerifyService,
    private readonly config: AppConfig,
  ) {}

  async respond(req: Request & { caller?: Caller }, scanned: string): Promise<VerificationMessage> {
    const caller = req.caller;
    if (!caller)
      throw new UnauthorizedException('a verification request needs "Authorization: Bearer <API key>"');
    const context = param(req, 'context');
    if (context !== CONTEXT)
      throw new DomainError('INVALID', `context "${context}" is not a verification context (${CONTEXT})`);
    const reqGLN = param(req, 'reqGLN');
    assertGln(reqGLN);
    const corrUUID = param(req, 'corrUUID');
    if (!UUID.test(corrUUID)) throw new DomainError('INVALID', 'corrUUID must be a UUID');
    // The requestor asks from one of its own locations; the chaincode refuses any other (403).
    const result = await this.verifier.verify({ ...caller, gln: reqGLN }, scanned);
    if (result.reasons.includes('UNKNOWN_PRODUCT'))
      throw new HttpException(
        `no manufacturer on this network registered GTIN ${result.code.gtin}`,
        HttpStatus.NOT_FOUND,
      );
    return {
      corrUUID,
      verificationTimestamp: new Date().toISOString(),
      responderGLN: this.#glnOf(result.product?.manufacturer),
      data: { ...result.regimes.us },
    };
  }

  /** The manufacturer's GLN: the organisation the answer is given for. */
  #glnOf(msp: string | undefined): string {
    const org = Object.values(this.config.network.orgs).find((o) => o.mspId === msp);
    const gln = org?.glns[0];
    if (!gln)
      throw new DomainError('NOT_FOUND', `the product's manufacturer ${msp} has no GLN in this network`);
    return gln;
  }
}
