import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReceiptKeyRing } from './receipt-keys';

const pem = (curve = 'prime256v1'): string =>
  generateKeyPairSync('ec', { namedCurve: curve })
    .privateKey.export({ format: 'pem', type: 'pkcs8' })
    .toString();

function keyDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'receipt-keys-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe(ReceiptKeyRing.name, () => {
  it('signs with each organisation’s newest key and publishes every key (rotation by kid)', () => {
    const dir = keyDir({
      'PharmacyMSP-20261101T000000Z.pem': pem(),
      'PharmacyMSP-20261130T120000Z.pem': pem(),
      'RegulatorMSP-20261101T000000Z.pem': pem(),
      'README.txt': 'not a key',
    });
    const ring = ReceiptKeyRing.load(dir, ['PharmacyMSP', 'RegulatorMSP']);
    expect(ring.signingKey('PharmacyMSP').kid).toBe('PharmacyMSP-20261130T120000Z');
    expect(ring.signingKey('RegulatorMSP').kid).toBe('RegulatorMSP-20261101T000000Z');
    const jwks = ring.publicJwks();
    expect(jwks.map((k) => k.kid)).toEqual([
      'PharmacyMSP-20261101T000000Z',
      'PharmacyMSP-20261130T120000Z',
      'RegulatorMSP-20261101T000000Z',
    ]);
    for (const jwk of jwks) {
      expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
      expect(jwk).not.toHaveProperty('d');
    }
  });

  it('refuses to start without a key for every organisation, or with a key of another curve', () => {
    const dir = keyDir({ 'PharmacyMSP-20261101T000000Z.pem': pem() });
    expect(() => ReceiptKeyRing.load(dir, ['PharmacyMSP', 'RegulatorMSP'])).toThrow(
      /no receipt signing key for RegulatorMSP/,
    );
    expect(() => ReceiptKeyRing.load(join(dir, 'missing'), [])).toThrow(/gateway.sh start generates them/);
    const wrong = keyDir({ 'PharmacyMSP-20261101T000000Z.pem': pem('secp384r1') });
    expect(() => ReceiptKeyRing.load(wrong, ['PharmacyMSP'])).toThrow(/not a P-256 key/);
  });
});
