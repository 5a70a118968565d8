import { Signer } from '@hyperledger/fabric-gateway';
import { KeyObject, sign } from 'node:crypto';

/** Order of the P-256 group: Fabric accepts an ECDSA signature only with s in the lower half of it. */
const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

const readInt = (der: Buffer, at: number): { value: bigint; next: number } => {
  if (der[at] !== 0x02) throw new Error('not a DER ECDSA signature');
  const length = der[at + 1];
  const bytes = der.subarray(at + 2, at + 2 + length);
  return { value: BigInt('0x' + (bytes.toString('hex') || '0')), next: at + 2 + length };
};

const encodeInt = (n: bigint): Buffer => {
  let hex = n.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  let bytes = Buffer.from(hex, 'hex');
  if (bytes[0] & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
};

/** The same signature with s in the lower half of the group order (what Fabric's validators require). */
export function lowS(der: Buffer): Buffer {
  const r = readInt(der, 2);
  const s = readInt(der, r.next);
  if (s.value <= P256_ORDER / 2n) return der;
  const body = Buffer.concat([encodeInt(r.value), encodeInt(P256_ORDER - s.value)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

/**
 * An ECDSA P-256 signer on Node's OpenSSL, for `connect({ hash: hash.none, signer })`: it gets the whole message
 * and signs its SHA-256, as Fabric verifies it. fabric-gateway's own signer computes ECDSA in JavaScript, which
 * measured 20× slower per signature here, and the gateway signs three times per write (proposal, transaction,
 * commit-status request). Undefined for another key type: then fabric-gateway's signer is used.
 */
export function nodeP256Signer(key: KeyObject): Signer | undefined {
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
    return undefined;
  return async (message) => lowS(sign('sha256', message, { key, dsaEncoding: 'der' }));
}
