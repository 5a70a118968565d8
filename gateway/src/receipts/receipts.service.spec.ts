import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig } from '../config/app-config';
import { ReceiptClaims, ReceiptsService } from './receipts.service';

const CLAIMS: ReceiptClaims = {
  verdict: 'GENUINE',
  reasons: [],
  code: { gtin: '09506000134352', serial: 'X7K2' },
  asOfBlock: 41,
  scanner: { msp: 'PharmacyMSP', gln: '9506000030005' },
  at: '2026-11-30T12:00:00.000Z',
  txId: 'a'.repeat(64),
};

function addKey(home: string, kid: string): void {
  const dir = join(home, 'state', 'receipt-keys');
  mkdirSync(dir, { recursive: true });
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  writeFileSync(join(dir, `${kid}.pem`), privateKey.export({ type: 'pkcs8', format: 'pem' }));
}

function service(home: string): ReceiptsService {
  const config = { home, network: { orgs: { pharmacy: { mspId: 'PharmacyMSP' } } } } as unknown as AppConfig;
  return new ReceiptsService(config);
}

describe(ReceiptsService.name, () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'receipts-'));
    addKey(home, 'PharmacyMSP-20261101T000000Z');
  });

  it('signs a compact ES256 JWS with the organisation’s key and checks it back', async () => {
    const receipts = service(home);
    const jws = await receipts.sign('PharmacyMSP', CLAIMS);
    const header = JSON.parse(Buffer.from(jws.split('.')[0], 'base64url').toString());
    expect(header).toEqual({
      alg: 'ES256',
      kid: 'PharmacyMSP-20261101T000000Z',
      typ: 'drugtrace-receipt+jws',
    });
    await expect(receipts.check(jws)).resolves.toEqual({
      valid: true,
      kid: 'PharmacyMSP-20261101T000000Z',
      signer: 'PharmacyMSP',
      claims: CLAIMS,
    });
  });

  it('signs exactly the bytes it always signed: the header, then the claims as compact JSON in their order', async () => {
    const receipts = service(home);
    // A verification as the read model answers it (keys sorted, as the chaincode writes them) and a public scan.
    const suspect: ReceiptClaims = {
      verdict: 'SUSPECT',
      reasons: ['LOT_MISMATCH', 'EXPIRED'],
      code: { expiry: '2028-06-30', gtin: '09506000134352', lot: 'ZZ9', serial: 'K7QZ2345ABCD' },
      asOfBlock: null,
      scanner: null,
      at: '2026-12-01T02:30:00.000Z',
    };
    const expected: [ReceiptClaims, string][] = [
      [
        CLAIMS,
        '{"verdict":"GENUINE","reasons":[],"code":{"gtin":"09506000134352","serial":"X7K2"},"asOfBlock":41,' +
          '"scanner":{"msp":"PharmacyMSP","gln":"9506000030005"},"at":"2026-11-30T12:00:00.000Z",' +
          `"txId":"${'a'.repeat(64)}"}`,
      ],
      [
        suspect,
        '{"verdict":"SUSPECT","reasons":["LOT_MISMATCH","EXPIRED"],"code":{"expiry":"2028-06-30",' +
          '"gtin":"09506000134352","lot":"ZZ9","serial":"K7QZ2345ABCD"},"asOfBlock":null,"scanner":null,' +
          '"at":"2026-12-01T02:30:00.000Z"}',
      ],
    ];
    const publicKey = createPublicKey(
      readFileSync(join(home, 'state', 'receipt-keys', 'PharmacyMSP-20261101T000000Z.pem')),
    );
    for (const [claims, payload] of expected) {
      const [header, body, signature] = (await receipts.sign('PharmacyMSP', claims)).split('.');
      expect(Buffer.from(header, 'base64url').toString()).toBe(
        '{"alg":"ES256","kid":"PharmacyMSP-20261101T000000Z","typ":"drugtrace-receipt+jws"}',
      );
      expect(Buffer.from(body, 'base64url').toString()).toBe(payload);
      const signed = Buffer.from(`${header}.${body}`);
      const sig = Buffer.from(signature, 'base64url');
      expect(sig).toHaveLength(64); // ES256: r‖s
      expect(verify('sha256', signed, { key: publicKey, dsaEncoding: 'ieee-p1363' }, sig)).toBe(true);
    }
  });

  it('refuses a receipt changed in any one character, and what is no receipt', async () => {
    const receipts = service(home);
    const jws = await receipts.sign('PharmacyMSP', CLAIMS);
    for (let i = 0; i < jws.length; i += 7) {
      if (jws[i] === '.') continue;
      const tampered = jws.slice(0, i) + (jws[i] === 'A' ? 'B' : 'A') + jws.slice(i + 1);
      await expect(receipts.check(tampered)).resolves.toMatchObject({ valid: false });
    }
    await expect(receipts.check('a.b.c')).resolves.toMatchObject({
      valid: false,
      reason: expect.any(String),
    });
  });

  it('after a rotation signs with the newer key and still checks receipts of the older one', async () => {
    const old = await service(home).sign('PharmacyMSP', CLAIMS);
    addKey(home, 'PharmacyMSP-20261130T120000Z');
    const rotated = service(home);
    const fresh = await rotated.sign('PharmacyMSP', CLAIMS);
    await expect(rotated.check(fresh)).resolves.toMatchObject({
      valid: true,
      kid: 'PharmacyMSP-20261130T120000Z',
    });
    await expect(rotated.check(old)).resolves.toMatchObject({
      valid: true,
      kid: 'PharmacyMSP-20261101T000000Z',
    });
    expect(rotated.jwks().keys.map((k) => k.kid)).toEqual([
      'PharmacyMSP-20261101T000000Z',
      'PharmacyMSP-20261130T120000Z',
    ]);
  });

  it('answers that no published key has a receipt’s kid', async () => {
    const other = mkdtempSync(join(tmpdir(), 'receipts-'));
    addKey(other, 'PharmacyMSP-20261201T000000Z');
    const foreign = await service(other).sign('PharmacyMSP', CLAIMS);
    await expect(service(home).check(foreign)).resolves.toEqual({
      valid: false,
      reason: 'no published key has this receipt’s key ID',
    });
  });
});
