import { Injectable } from '@nestjs/common';
import bwipjs from 'bwip-js';
import { KeyObject, sign } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AppConfig } from '../config/app-config';
import { PublicJwk, ReceiptKeyRing } from './receipt-keys';

/** `crypto.sign` with a callback: the signature is computed on the libuv thread pool. */
const signAsync = promisify(sign);

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

const base64url = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

/**
 * Signed verification receipts: a compact JWS (ES256) by the answering organisation's key over what it
 * answered, so a pharmacy can prove later what it was told. Anyone checks one with the published keys
 * (GET /.well-known/jwks.json) or asks POST /v1/receipts/verify.
 */
@Injectable()
export class ReceiptsService {
  readonly #keys: ReceiptKeyRing;
  /** Each organisation's signing key and its protected header (naming the key), encoded once. */
  readonly #signers = new Map<string, { header: string; key: KeyObject }>();

  constructor(config: AppConfig) {
    this.#keys = ReceiptKeyRing.load(
      join(config.home, 'state', 'receipt-keys'),
      Object.values(config.network.orgs).map((o) => o.mspId),
    );
    for (const { kid, msp, privateKey } of this.#keys.signingKeys()) {
      const header = base64url(JSON.stringify({ alg: 'ES256', kid, typ: 'drugtrace-receipt+jws' }));
      this.#signers.set(msp, { header, key: privateKey });
    }
  }

  jwks(): { keys: PublicJwk[] } {
    return { keys: this.#keys.publicJwks() };
  }

  /**
   * The compact JWS (RFC 7515 §7.1) of `claims`, signed with OpenSSL on the libuv thread pool: one ES256
   * signature per verify, which costs ~50 µs of CPU here, and the main thread's part of an asynchronous
   * `crypto.sign` is ~10 µs (docs/SCALE.md, the verify lane). jose over WebCrypto cost twice the signature on the
   * main thread. ES256's signature is r‖s, 32 bytes each (RFC 7518 §3.4): ieee-p1363.
   */
  async sign(msp: string, claims: ReceiptClaims): Promise<string> {
    const signer = this.#signers.get(msp);
    if (!signer) throw new Error(`no receipt signing key for ${msp}: gateway.sh start generates them`);
    const input = `${signer.header}.${base64url(JSON.stringify(claims))}`;
    const signature = await signAsync('sha256', Buffer.from(input), {
      key: signer.key,
      dsaEncoding: 'ieee-p1363',
    });
    return `${input}.${signature.toString('base64url')}`;
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
