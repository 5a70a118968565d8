/**
 * Interoperability of the scan through the real gateway and network: the verdict in EU FMD and US DSCSA terms
 * for every reason, a DSCSA VRS exchange, signed receipts, packs carrying any GS1 AI, scanner-fault hints, and
 * the resolver's answer for bad percent-encoding.
 */
import { createPublicKey, JsonWebKey, randomUUID, verify as verifySignature } from 'node:crypto';
import { api, ApiResponse, Role } from '../support/http';
import { gatewayUrl } from '../support/paths';
import { newGtin, newLot, newSerial } from '../support/ids';
import {
  Batch,
  batchAtPharmacy,
  commissionBatch,
  elementString,
  expectProblem,
  expectStatus,
  glnOf,
  moveUnits,
  shipUnits,
  yymmdd,
} from './supply-chain';

const GS = '\u001d';

interface Answer {
  verdict: string;
  reasons: string[];
  code: Record<string, unknown>;
  hints?: { code: string; text: string }[];
  regimes: { eu: { returnCode: string; alert: boolean }; us: Record<string, unknown> };
  receipt: string;
  txId?: string;
}

async function scan(code: string, as: Role = 'manufacturer'): Promise<Answer> {
  const res = await api<Answer>('POST', '/v1/verify', { as, body: { code } });
  expectStatus(res, 200);
  return res.body;
}

/** A further batch of an existing product (its own lot), at the manufacturer. */
async function addBatch(gtin: string, lot: string, serials: string[], expiry = '2028-06-30'): Promise<Batch> {
  const manufacturedOn = expiry < '2026-11-01' ? '2024-01-01' : '2026-11-01';
  const res = await api('POST', '/v1/batches', {
    as: 'manufacturer',
    body: { gtin, lot, expiry, manufacturedOn, serials },
  });
  expectStatus(res, 201);
  return { gtin, lot, expiry, serials };
}

async function post(path: string, as: Role, body?: unknown, status = 200): Promise<void> {
  expectStatus(await api('POST', path, { as, body }), status);
}

/** Waits until the gateway's peer has committed a transaction (the scan record a receipt names). */
async function committed(txId: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const res = await api('GET', `/v1/transactions/${txId}`, { as: 'regulator' });
    if (res.body?.status === 'COMMITTED') return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`transaction ${txId} never committed`);
}

const alertsFor = async (serial: string): Promise<{ serial: string; reasons: string[] }[]> => {
  const res = await api<{ alerts: { serial: string; reasons: string[] }[] }>(
    'GET',
    '/v1/audit/alerts?limit=200',
    {
      as: 'regulator',
    },
  );
  expectStatus(res, 200);
  return res.body.alerts.filter((a) => a.serial === serial);
};

describe('regimes: every verdict reason in EU FMD and US DSCSA terms', () => {
  const NOT_FOUND_SERIAL = { verified: false, verificationFailureReason: 'No_match_GTIN_Serial' };
  // CLONE_SUSPECTED is evidence of the recorded scan's alert, never a reason of a verify answer.
  const EXPECTED: Record<string, { eu: [string, boolean]; us: Record<string, unknown> }> = {
    UNKNOWN_PRODUCT: { eu: ['NMVS_NC_PC_01', true], us: NOT_FOUND_SERIAL },
    UNKNOWN_SERIAL: { eu: ['NMVS_NC_PC_02', true], us: NOT_FOUND_SERIAL },
    UNKNOWN_BATCH: {
      eu: ['NMVS_FE_LOT_03', true],
      us: { verified: false, verificationFailureReason: 'No_match_GTIN_Serial_Lot' },
    },
    LOT_MISMATCH: {
      eu: ['NMVS_FE_LOT_13', true],
      us: { verified: false, verificationFailureReason: 'No_match_GTIN_Serial_Lot' },
    },
    EXPIRY_MISMATCH: {
      eu: ['NMVS_FE_LOT_12', true],
      us: { verified: false, verificationFailureReason: 'No_match_GTIN_Serial_Expiry' },
    },
    EXPIRED: { eu: ['NMVS_SUCCESS', false], us: { verified: true, additionalInfo: 'Expired' } },
    RECALLED: { eu: ['NMVS_SUCCESS', false], us: { verified: true, additionalInfo: 'Recalled' } },
    QUARANTINED: { eu: ['NMVS_SUCCESS', false], us: { verified: true, additionalInfo: 'Suspect' } },
    ALREADY_DISPENSED: { eu: ['NMVS_NC_PCK_22', false], us: { verified: false, additionalInfo: 'Suspect' } },
    DESTROYED: { eu: ['NMVS_NC_PCK_22', false], us: { verified: false, additionalInfo: 'Suspect' } },
    STOLEN: { eu: ['NMVS_NC_PCK_22', true], us: { verified: false, additionalInfo: 'Illegitimate' } },
    SAMPLE: { eu: ['NMVS_NC_PCK_22', false], us: { verified: false, additionalInfo: 'Suspect' } },
    EXPORTED: { eu: ['NMVS_NC_PCK_22', false], us: { verified: false, additionalInfo: 'Suspect' } },
    IN_TRANSIT: { eu: ['NMVS_SUCCESS', false], us: { verified: true } },
    NOT_IN_CUSTODY: { eu: ['NMVS_SUCCESS', false], us: { verified: true } },
  };
  const scans: Record<string, { code: string; as: Role }> = {};
  let main: Batch;

  beforeAll(async () => {
    main = await commissionBatch(7);
    const [s0, s1, s2, s3, s4, s5, s6] = main.serials;
    const other = await addBatch(main.gtin, newLot(), [newSerial()]);
    const recalled = await addBatch(main.gtin, newLot(), [newSerial()]);
    const held = await addBatch(main.gtin, newLot(), [newSerial()]);
    const expired = await addBatch(main.gtin, newLot(), [newSerial()], '2025-01-31');
    const dispensed = await batchAtPharmacy(1);
    const unit = (s: string) => `/v1/units/${main.gtin}/${s}`;
    const states: [string, string][] = [
      [s1, 'DESTROYED'],
      [s2, 'STOLEN'],
      [s3, 'SAMPLE'],
      [s4, 'EXPORTED'],
    ];
    for (const [serial, state] of states)
      await post(`${unit(serial)}/status`, 'manufacturer', { state, reason: 'system test' });
    await post(`/v1/batches/${main.gtin}/${recalled.lot}/recall`, 'manufacturer', { reason: 'system test' });
    await post(`/v1/batches/${main.gtin}/${held.lot}/quarantine`, 'manufacturer', { reason: 'system test' });
    await post(`/v1/units/${dispensed.gtin}/${dispensed.serials[0]}/dispense`, 'pharmacy');
    await shipUnits(main, [s6], 'manufacturer', 'distributor');
    const unknownProduct: Batch = { ...main, gtin: newGtin() };
    Object.assign(scans, {
      UNKNOWN_PRODUCT: { code: elementString(unknownProduct, s0), as: 'manufacturer' },
      UNKNOWN_SERIAL: { code: elementString(main, newSerial()), as: 'manufacturer' },
      UNKNOWN_BATCH: { code: elementString(main, s0, { lot: newLot() }), as: 'manufacturer' },
      LOT_MISMATCH: { code: elementString(main, s0, { lot: other.lot }), as: 'manufacturer' },
      EXPIRY_MISMATCH: { code: elementString(main, s0, { expiry: '2029-01-31' }), as: 'manufacturer' },
      EXPIRED: { code: elementString(expired, expired.serials[0]), as: 'manufacturer' },
      RECALLED: { code: elementString(recalled, recalled.serials[0]), as: 'manufacturer' },
      QUARANTINED: { code: elementString(held, held.serials[0]), as: 'manufacturer' },
      ALREADY_DISPENSED: { code: elementString(dispensed, dispensed.serials[0]), as: 'pharmacy' },
      DESTROYED: { code: elementString(main, s1), as: 'manufacturer' },
      STOLEN: { code: elementString(main, s2), as: 'manufacturer' },
      SAMPLE: { code: elementString(main, s3), as: 'manufacturer' },
      EXPORTED: { code: elementString(main, s4), as: 'manufacturer' },
      IN_TRANSIT: { code: elementString(main, s6), as: 'manufacturer' },
      NOT_IN_CUSTODY: { code: elementString(main, s5), as: 'pharmacy' },
    });
  });

  it('a genuine pack: NMVS_SUCCESS without alert, DSCSA verified', async () => {
    const res = await scan(elementString(main, main.serials[0]));
    expect(res).toMatchObject({
      verdict: 'GENUINE',
      regimes: { eu: { returnCode: 'NMVS_SUCCESS', alert: false }, us: { verified: true } },
    });
    expect(Object.keys(res.regimes.us)).toEqual(['verified']);
  });

  it.each(Object.keys(EXPECTED))('%s', async (reason) => {
    const res = await scan(scans[reason].code, scans[reason].as);
    const { eu, us } = EXPECTED[reason];
    expect({ reasons: res.reasons, regimes: res.regimes }).toEqual({
      reasons: [reason],
      regimes: { eu: { returnCode: eu[0], alert: eu[1] }, us },
    });
  });

  it('a lot and an expiry mismatch together: No_match_GTIN_Serial_Lot_Expiry', async () => {
    const res = await scan(elementString(main, main.serials[0], { lot: newLot(), expiry: '2029-01-31' }));
    expect(res.regimes).toEqual({
      eu: { returnCode: 'NMVS_FE_LOT_03', alert: true },
      us: { verified: false, verificationFailureReason: 'No_match_GTIN_Serial_Lot_Expiry' },
    });
  });

  describe('refused dispense and undo carry their NMVS returnCode, and change nothing', () => {
    const state = async (b: Batch, serial: string): Promise<string> =>
      (await api('GET', `/v1/units/${b.gtin}/${serial}`, { as: 'pharmacy' })).body.state;

    it('NMVS_NC_PCK_19: dispensing a pack already dispensed', async () => {
      const b = await batchAtPharmacy(1);
      const path = `/v1/units/${b.gtin}/${b.serials[0]}`;
      await post(`${path}/dispense`, 'pharmacy');
      const again = await api('POST', `${path}/dispense`, { as: 'pharmacy' });
      expectProblem(again, 409, 'CONFLICT');
      expect(again.body).toMatchObject({ returnCode: 'NMVS_NC_PCK_19' });
      expect(again.body.detail).not.toContain('STATUS_ALREADY_SET');
      expect(await state(b, b.serials[0])).toBe('DISPENSED');
    });

    it('NMVS_NC_PCK_22: dispensing a pack that is inactive (destroyed)', async () => {
      const res = await api('POST', `/v1/units/${main.gtin}/${main.serials[1]}/dispense`, { as: 'pharmacy' });
      expectProblem(res, 409, 'CONFLICT');
      expect(res.body).toMatchObject({ returnCode: 'NMVS_NC_PCK_22' });
      expect(await state(main, main.serials[1])).toBe('DESTROYED');
    });

    it('NMVS_NC_PCK_06: undoing a dispense of a pack that is not dispensed', async () => {
      const res = await api('POST', `/v1/units/${main.gtin}/${main.serials[5]}/undo-dispense`, {
        as: 'pharmacy',
      });
      expectProblem(res, 409, 'CONFLICT');
      expect(res.body).toMatchObject({ returnCode: 'NMVS_NC_PCK_06' });
      expect(await state(main, main.serials[5])).toBe('ACTIVE');
    });

    it('a refusal that is no decommissioning rule carries no returnCode', async () => {
      const res = await api('POST', `/v1/units/${main.gtin}/${main.serials[5]}/dispense`, { as: 'pharmacy' });
      expectProblem(res, 409, 'CONFLICT');
      expect(res.body).not.toHaveProperty('returnCode');
    });
  });
});

describe('a DSCSA Verification Router Service exchange (GS1 lightweight verification messaging)', () => {
  let returned: Batch;
  const link = (b: Batch, serial: string, query: Record<string, string>, lot = b.lot): string =>
    `/01/${b.gtin}/10/${encodeURIComponent(lot)}/21/${encodeURIComponent(serial)}?` +
    new URLSearchParams({ '17': yymmdd(b.expiry), ...query }).toString();
  const request = (corrUUID = randomUUID()) => ({
    linkType: 'gs1:verificationService',
    context: 'dscsaSaleableReturn',
    reqGLN: glnOf('distributor'),
    corrUUID,
  });

  beforeAll(async () => {
    // A pharmacy returns a pack it bought; the wholesaler must verify it before it may resell it.
    returned = await batchAtPharmacy(2);
    await moveUnits(returned, [returned.serials[0]], 'pharmacy', 'distributor');
  });

  it('the wholesaler’s VRS client verifies a saleable return: 200, its correlation UUID, the manufacturer answering', async () => {
    const corrUUID = randomUUID();
    const before = Date.now();
    const res = await api('GET', link(returned, returned.serials[0], request(corrUUID)), {
      as: 'distributor',
    });
    expectStatus(res, 200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toEqual({
      corrUUID,
      verificationTimestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/),
      responderGLN: glnOf('manufacturer'),
      data: { verified: true },
    });
    expect(Date.parse(res.body.verificationTimestamp)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('answers verified false with the failure reason for an unknown serial, a wrong lot, a wrong expiry', async () => {
    const ask = async (path: string) => (await api('GET', path, { as: 'distributor' })).body.data;
    expect(await ask(link(returned, newSerial(), request()))).toEqual({
      verified: false,
      verificationFailureReason: 'No_match_GTIN_Serial',
    });
    expect(await ask(link(returned, returned.serials[0], request(), newLot()))).toEqual({
      verified: false,
      verificationFailureReason: 'No_match_GTIN_Serial_Lot',
    });
    const wrongExpiry = link({ ...returned, expiry: '2030-01-31' }, returned.serials[0], request());
    expect(await ask(wrongExpiry)).toEqual({
      verified: false,
      verificationFailureReason: 'No_match_GTIN_Serial_Expiry',
    });
  });

  it('a pack the pharmacy dispensed is no saleable return: verified false, Suspect', async () => {
    await post(`/v1/units/${returned.gtin}/${returned.serials[1]}/dispense`, 'pharmacy');
    const res = await api('GET', link(returned, returned.serials[1], request()), { as: 'distributor' });
    expectStatus(res, 200);
    expect(res.body.data).toEqual({ verified: false, additionalInfo: 'Suspect' });
  });

  it('follows the standard’s HTTP statuses: 401 without a key, 400 a malformed request, 403 another’s GLN, 404 an unknown GTIN', async () => {
    const path = link(returned, returned.serials[0], request());
    expectProblem(
      await api('GET', path, { as: null, headers: { accept: 'application/json' } }),
      401,
      'UNAUTHENTICATED',
    );
    expectProblem(
      await api('GET', path, { key: 'not-a-key', headers: { accept: 'application/json' } }),
      401,
      'UNAUTHENTICATED',
    );
    for (const bad of [
      { corrUUID: 'not-a-uuid' },
      { context: '' },
      { context: 'resale' },
      { context: 'dscsaSuspect' },
      { reqGLN: '9506000010008' },
    ]) {
      const res = await api('GET', link(returned, returned.serials[0], { ...request(), ...bad }), {
        as: 'distributor',
        headers: { accept: 'application/json' },
      });
      expectProblem(res, 400, 'INVALID');
    }
    const asPharmacy = link(returned, returned.serials[0], { ...request(), reqGLN: glnOf('pharmacy') });
    expectProblem(
      await api('GET', asPharmacy, { as: 'distributor', headers: { accept: 'application/json' } }),
      403,
      'FORBIDDEN',
    );
    const unknown = link({ ...returned, gtin: newGtin() }, returned.serials[0], request());
    expectProblem(
      await api('GET', unknown, { as: 'distributor', headers: { accept: 'application/json' } }),
      404,
      'NOT_FOUND',
    );
  });

  it('without linkType the same link is the public resolver, key or not', async () => {
    const res = await api('GET', link(returned, returned.serials[0], {}), {
      as: null,
      headers: { accept: 'application/json' },
    });
    expectStatus(res, 200);
    expect(res.body).not.toHaveProperty('corrUUID');
    expect(res.body).toMatchObject({ verdict: expect.any(String), regimes: expect.any(Object) });
  });
});

describe('signed verification receipts', () => {
  let b: Batch;
  let answer: Answer;
  const part = (jws: string, i: number): Record<string, unknown> =>
    JSON.parse(Buffer.from(jws.split('.')[i], 'base64url').toString('utf8'));
  const check = async (receipt: string): Promise<ApiResponse> => {
    const res = await api('POST', '/v1/receipts/verify', { as: 'regulator', body: { receipt } });
    expectStatus(res, 200);
    return res;
  };

  beforeAll(async () => {
    b = await batchAtPharmacy(1);
    answer = await scan(elementString(b, b.serials[0]), 'pharmacy');
  });

  it('is a compact ES256 JWS by the answering organisation over what it answered, naming the scan’s record', async () => {
    expect(answer.receipt.split('.')).toHaveLength(3);
    const header = part(answer.receipt, 0);
    expect(header).toMatchObject({ alg: 'ES256', kid: expect.stringMatching(/^PharmacyMSP-\d{8}T\d{6}Z$/) });
    const claims = part(answer.receipt, 1);
    expect(claims).toEqual({
      verdict: 'GENUINE',
      reasons: [],
      code: { gtin: b.gtin, lot: b.lot, expiry: b.expiry, serial: b.serials[0] },
      asOfBlock: expect.any(Number),
      scanner: { msp: 'PharmacyMSP', gln: glnOf('pharmacy') },
      at: expect.any(String),
      txId: answer.txId,
    });
    expect(claims.asOfBlock as number).toBeGreaterThan(0);
    // The first scan of a pack at a place is recorded: the receipt names that transaction, which commits.
    expect(answer.txId).toMatch(/^[0-9a-f]{64}$/);
    await committed(answer.txId as string);
  });

  it('checks against the published keys, by anyone, with nothing but the JWK set', async () => {
    const jwks = await api<{ keys: (JsonWebKey & { kid: string })[] }>('GET', '/.well-known/jwks.json', {
      as: null,
    });
    expectStatus(jwks, 200);
    const kid = part(answer.receipt, 0).kid;
    const jwk = jwks.body.keys.find((k) => k.kid === kid) as JsonWebKey;
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(jwks.body.keys.some((k) => 'd' in k)).toBe(false);
    const [h, p, s] = answer.receipt.split('.');
    const key = createPublicKey({ key: jwk, format: 'jwk' });
    const signed = Buffer.from(`${h}.${p}`);
    expect(
      verifySignature('sha256', signed, { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url')),
    ).toBe(true);
    expect((await check(answer.receipt)).body).toEqual({
      valid: true,
      kid,
      signer: 'PharmacyMSP',
      claims: part(answer.receipt, 1),
    });
  });

  it('fails the check when any one byte is changed: header, claims or signature', async () => {
    const [h, p, s] = answer.receipt.split('.');
    const flip = (text: string, i: number): string =>
      text.slice(0, i) + (text[i] === 'A' ? 'B' : 'A') + text.slice(i + 1);
    const changedClaims = Buffer.from(
      JSON.stringify({ ...part(answer.receipt, 1), verdict: 'COUNTERFEIT' }),
    ).toString('base64url');
    for (const tampered of [
      `${h}.${flip(p, 10)}.${s}`,
      `${h}.${p}.${flip(s, 5)}`,
      `${flip(h, 3)}.${p}.${s}`,
      `${h}.${changedClaims}.${s}`,
    ]) {
      expect(tampered).not.toBe(answer.receipt);
      expect((await check(tampered)).body).toEqual({ valid: false, reason: expect.any(String) });
    }
    expect((await check('not a receipt')).body).toMatchObject({ valid: false });
    expectProblem(await api('POST', '/v1/receipts/verify', { as: 'regulator', body: {} }), 400, 'INVALID');
    expectProblem(
      await api('POST', '/v1/receipts/verify', { as: null, body: { receipt: answer.receipt } }),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('comes as a QR code for the scan page', async () => {
    const res = await api<string>('POST', '/v1/receipts/qr', {
      as: 'pharmacy',
      body: { receipt: answer.receipt },
    });
    expectStatus(res, 200);
    expect(res.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(res.body).toMatch(/^<svg[\s\S]+<\/svg>\s*$/);
  });

  it('the public resolver’s answer is signed by the regulator, with no scanner named', async () => {
    const path = `/01/${b.gtin}/10/${b.lot}/21/${b.serials[0]}?17=${yymmdd(b.expiry)}`;
    const res = await api<Answer>('GET', path, { as: null, headers: { accept: 'application/json' } });
    expectStatus(res, 200);
    expect(part(res.body.receipt, 0).kid).toMatch(/^RegulatorMSP-/);
    expect(part(res.body.receipt, 1)).toMatchObject({ scanner: null, verdict: 'GENUINE' });
    expect((await check(res.body.receipt)).body).toMatchObject({ valid: true, signer: 'RegulatorMSP' });
  });
});

describe('packs carrying any GS1 AI', () => {
  let b: Batch;
  beforeAll(async () => {
    b = await batchAtPharmacy(2);
  });
  const base = (serial: string) => elementString(b, serial);

  it('GENUINE with (99), (22), (235), (3103), (8030) and (253), reported in code.otherAis', async () => {
    const extras = {
      '99': 'INT-42',
      '22': 'CPV7',
      '235': 'TPX9',
      '3103': '001250',
      '8030': 'MEUCIQ-Dsig_2',
      '253': '9506000134352DOC1',
    };
    const hri =
      base(b.serials[0]) +
      Object.entries(extras)
        .map(([ai, v]) => `(${ai})${v}`)
        .join('');
    const res = await scan(hri, 'pharmacy');
    expect(res).toMatchObject({
      verdict: 'GENUINE',
      reasons: [],
      code: { serial: b.serials[0], otherAis: extras },
    });
    const raw =
      `]d201${b.gtin}17${yymmdd(b.expiry)}3103001250` +
      [`10${b.lot}`, `21${b.serials[1]}`, '99INT-42', '8030MEUCIQ-Dsig_2'].join(GS);
    expect(await scan(raw, 'pharmacy')).toMatchObject({
      verdict: 'GENUINE',
      code: { otherAis: { '3103': '001250', '99': 'INT-42', '8030': 'MEUCIQ-Dsig_2' } },
    });
  });

  it('400 naming the whole AI and its position for bad data of any AI', async () => {
    const code = `${base(b.serials[0])}(235)${'T'.repeat(29)}`;
    const res = await api('POST', '/v1/verify', { as: 'pharmacy', body: { code } });
    expectProblem(res, 400, 'INVALID');
    expect(res.body).toMatchObject({ ai: '235', position: code.indexOf('(235)') + 5 });
    expect(res.body.detail).toContain('AI (235) at position');
    const weight = `${base(b.serials[0])}(3103)00125X`;
    const bad = await api('POST', '/v1/verify', { as: 'pharmacy', body: { code: weight } });
    expectProblem(bad, 400, 'INVALID');
    expect(bad.body).toMatchObject({ ai: '3103', position: weight.length - 1 });
  });
});

describe('scanner-input diagnostics', () => {
  let b: Batch;
  beforeAll(async () => {
    b = await commissionBatch(2, '2028-06-30', {
      lot: `Lx${newLot()}`,
      serials: [`Sx${newSerial()}`, `Ab/${newSerial()}`],
    });
  });
  const invert = (s: string) =>
    s.replace(/[A-Za-z]/g, (c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()));
  const hintCodes = (hints?: { code: string; text: string }[]) => (hints ?? []).map((h) => h.code);

  it('caps lock: an unknown serial whose case-inverted form is a real pack, and a Digital Link in capitals', async () => {
    const inverted = elementString(b, invert(b.serials[0]));
    const res = await scan(inverted);
    expect(res).toMatchObject({ verdict: 'COUNTERFEIT', reasons: ['UNKNOWN_SERIAL'] });
    expect(res.hints).toEqual([{ code: 'CAPS_LOCK_SUSPECTED', text: expect.stringMatching(/caps lock/) }]);
    const link = `HTTPS://ID.EXAMPLE/01/${b.gtin}/10/${invert(b.lot)}/21/${invert(b.serials[0])}?17=${yymmdd(b.expiry)}`;
    expect(hintCodes((await scan(link)).hints)).toEqual(['CAPS_LOCK_SUSPECTED']);
  });

  it('a scan a hint explains raises no counterfeit alert and is recorded as a scanner problem; a fake still alerts', async () => {
    const explained = await scan(elementString(b, invert(b.serials[0])), 'distributor');
    const fakeSerial = newSerial();
    const fake = await scan(elementString(b, fakeSerial), 'distributor');
    expect(fake.hints).toBeUndefined();
    // Both scans are recorded (the receipts name their transactions); only the fake raises an alert.
    await committed(explained.txId as string);
    await committed(fake.txId as string);
    expect(await alertsFor(invert(b.serials[0]))).toEqual([]);
    expect(await alertsFor(fakeSerial)).toEqual([expect.objectContaining({ reasons: ['UNKNOWN_SERIAL'] })]);
  });

  it('keyboard layout: "/" typed as "-" in a Digital Link, ")" typed as "(" in an element string, "/" in a serial', async () => {
    const layout = `https:--id.example-01-${b.gtin}-10-${b.lot}-21-${b.serials[0]}`;
    for (const code of [layout, `(01(${b.gtin}(10(${b.lot}(21(${b.serials[0]}`]) {
      const res = await api('POST', '/v1/verify', { as: 'manufacturer', body: { code } });
      expectProblem(res, 400, 'INVALID');
      expect(res.body.hints).toEqual([
        { code: 'KEYBOARD_LAYOUT_SUSPECTED', text: expect.stringMatching(/keyboard layout/) },
      ]);
    }
    const retyped = await scan(elementString(b, b.serials[1].replace('/', '-')));
    expect(retyped).toMatchObject({ verdict: 'COUNTERFEIT', hints: [{ code: 'KEYBOARD_LAYOUT_SUSPECTED' }] });
  });

  it('missing group separator: a lot that swallowed the serial (400) or the AI after it (a verdict)', async () => {
    const code = `01${b.gtin}17${yymmdd(b.expiry)}10${b.lot}21${b.serials[0]}`;
    const res = await api('POST', '/v1/verify', { as: 'manufacturer', body: { code } });
    expectProblem(res, 400, 'INVALID');
    expect(res.body.hints).toEqual([
      { code: 'MISSING_GROUP_SEPARATOR_SUSPECTED', text: expect.stringMatching(/group separator/) },
    ]);
    const swallowedExpiry = `01${b.gtin}21${b.serials[0]}${GS}10${b.lot}17${yymmdd(b.expiry)}`;
    expect(await scan(swallowedExpiry)).toMatchObject({
      verdict: 'SUSPECT',
      reasons: ['UNKNOWN_BATCH'],
      hints: [{ code: 'MISSING_GROUP_SEPARATOR_SUSPECTED' }],
    });
  });

  it('no hint for a code no scanner fault explains, nor for a genuine pack', async () => {
    const res = await api('POST', '/v1/verify', { as: 'manufacturer', body: { code: `(01)${b.gtin}(21)` } });
    expectProblem(res, 400, 'INVALID');
    expect(res.body).not.toHaveProperty('hints');
    expect(await scan(elementString(b, b.serials[0]))).not.toHaveProperty('hints');
  });
});

describe('the resolver and bad percent-encoding', () => {
  const GTIN = '09506000134352';
  const path = `/01/${GTIN}/10/A%ffB/21/X7K2?17=280630`;

  it('400 naming AI (10) and the position, as POST /v1/verify does, for a JSON client', async () => {
    const res = await api('GET', path, { as: null, headers: { accept: 'application/json' } });
    expectProblem(res, 400, 'INVALID');
    // Positions count from the start of the URL as opened: the gateway's own origin, then the path.
    const position = gatewayUrl.length + path.indexOf('%ff');
    expect(res.body).toMatchObject({
      ai: '10',
      position,
      detail: `AI (10) at position ${position}: bad percent-encoding`,
    });
    const verify = await api('POST', '/v1/verify', { as: 'pharmacy', body: { code: gatewayUrl + path } });
    expectProblem(verify, 400, 'INVALID');
    expect(verify.body).toMatchObject({ ai: '10', position });
  });

  it('an HTML page for a browser, naming the batch number as the fault', async () => {
    const res = await api<string>('GET', path, { as: null, headers: { accept: 'text/html' } });
    expectStatus(res, 400);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.body).toContain('The batch number in this code is not valid.');
    expect(res.body).toMatch(/AI \(10\) at position \d+: bad percent-encoding/);
  });
});
