import { generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { lowS, nodeP256Signer } from './signer';

const HALF_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n / 2n;

/** s of a DER ECDSA signature. */
function sOf(der: Buffer): bigint {
  const sAt = 4 + der[3];
  return BigInt('0x' + der.subarray(sAt + 2, sAt + 2 + der[sAt + 1]).toString('hex'));
}

describe('nodeP256Signer', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const verifies = (message: Buffer, signature: Buffer): boolean =>
    verify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, signature);

  it('signs the SHA-256 of the message, always with a low s, verifiable by anyone', async () => {
    const signer = nodeP256Signer(privateKey)!;
    for (let i = 0; i < 64; i++) {
      const message = randomBytes(200);
      const signature = Buffer.from(await signer(message));
      expect(sOf(signature) <= HALF_ORDER).toBe(true);
      expect(verifies(message, signature)).toBe(true);
    }
  });

  it('turns a high s into n - s, which still verifies, and keeps a low s as it is', () => {
    const message = Buffer.from('proposal');
    const signatures = Array.from({ length: 64 }, () =>
      sign('sha256', message, { key: privateKey, dsaEncoding: 'der' }),
    );
    const high = signatures.find((s) => sOf(s) > HALF_ORDER)!;
    const low = signatures.find((s) => sOf(s) <= HALF_ORDER)!;
    expect(sOf(lowS(high)) <= HALF_ORDER).toBe(true);
    expect(verifies(message, lowS(high))).toBe(true);
    expect(lowS(low)).toBe(low);
  });

  it('declines other key types (fabric-gateway signs those itself)', () => {
    expect(nodeP256Signer(generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey)).toBeUndefined();
    expect(nodeP256Signer(generateKeyPairSync('ed25519').privateKey)).toBeUndefined();
  });
});
