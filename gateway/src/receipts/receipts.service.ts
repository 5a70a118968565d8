import { Injectable, OnModuleInit } from '@nestjs/common';
import bwipjs from 'bwip-js';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { AppConfig } from '../config/app-config';
import { PublicJwk, ReceiptKeyRing } from './receipt-keys';

/** What a receipt attests: the verdict as answered, from which ledger height, to whom, when, and its record. */
export interface ReceiptClaims {
  verdict: string;
  reasons: string[];
  code: Record<string, unknown>;
  /** The newest block the answering peer is known to have committed when it answered. */
  asOfBlock: number | null;
  /** Who scanned (undefined for the public resolver: nobody known). */
  scanner: { msp: string; gln: string } | null;
  at: string;
  /** The transaction that records this scan on the ledger, when it is recorded. */
  txId?: string;
}

export type ReceiptCheck =
  { valid: true; kid: string; signer: string; claims: ReceiptClaims } | { valid: false; reason: string };

type Jose = typeof import('jose', { with: { 'resolution-mode': 'import' } });
/**
 * jose is published as ES modules only and the gateway is CommonJS: Node (20.19 and later) requires ES modules
 * natively; the unit tests' loader gets jose compiled to CommonJS (jest.config.js).
 */
const jose = createRequire(__filename)('jose') as Jose;
const encoder = new TextEncoder();

/**
 * Signed verification receipts: a compact JWS (ES256) by the answering organisation's key over what it
 * answered, so a pharmacy can prove later what it was told. Anyone checks one with the published keys
 * (GET /.well-known/jwks.json) or asks POST /v1/receipts/verify.
 */
@Injectable()
export class ReceiptsService implements OnModuleInit {
  readonly #keys: ReceiptKeyRing;
  /** The signing keys as WebCrypto keys, by key ID (imported once at start-up). */
  readonly #signing = new Map<string, CryptoKey>();

  constructor(config: AppConfig) {
    this.#keys = ReceiptKeyRing.load(
      join(config.home, 'state', 'receipt-keys'),
      Object.values(config.network.orgs).map((o) => o.mspId),
    );
  }

  async onModuleInit(): Promise<void> {
    for (const { kid, privateKey } of this.#keys.signingKeys()) {
      const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
      this.#signing.set(kid, await jose.importPKCS8(pem, 'ES256'));
    }
  }

  jwks(): { keys: PublicJwk[] } {
    return { keys: this.#keys.publicJwks() };
  }

  async sign(msp: string, claims: ReceiptClaims): Promise<string> {
    const { kid } = this.#keys.signingKey(msp);
    return new jose.CompactSign(encoder.encode(JSON.stringify(claims)))
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'drugtrace-receipt+jws' })
      .sign(this.#signing.get(kid) as CryptoKey);
  }

  async check(receipt: string): Promise<ReceiptCheck> {
    const keySet = jose.createLocalJWKSet(this.jwks());
    try {
      const { payload, protectedHeader } = await jose.compactVerify(receipt, keySet, {
        algorithms: ['ES256'],
      });
      const kid = protectedHeader.kid as string;
      return {
        valid: true,
        kid,
        signer: kid.slice(0, kid.lastIndexOf('-')),
        claims: JSON.parse(new TextDecoder().decode(payload)) as ReceiptClaims,
      };
    } catch (err) {
      return { valid: false, reason: reasonOf(err) };
    }
  }

  /** The receipt as a QR code (SVG), for a phone or a printout. */
  qrSvg(receipt: string): string {
    return bwipjs.toSVG({ bcid: 'qrcode', text: receipt, scale: 2 });
  }
}

function reasonOf(err: unknown): string {
  const code = (err as { code?: string }).code;
  if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') return 'the signature does not match the receipt';
  if (code === 'ERR_JWKS_NO_MATCHING_KEY') return 'no published key has this receipt’s key ID';
  return 'not a DrugTrace receipt (a compact JWS signed with ES256)';
}
