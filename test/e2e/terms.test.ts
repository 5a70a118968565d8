/**
 * Commercial terms in private data on the real network: the sender and the receiver see them in
 * GET /v1/shipments/{id}; the regulator sees only termsHash and can check a document against it; no peer's
 * block files hold the purchase order, while they do hold its hash (so the search itself works).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { api } from '../support/http';
import { drugtraceHome, readNetwork } from '../support/paths';
import { newSerial } from '../support/ids';
import { commissionBatch, expectProblem, expectStatus, glnOf, mspOf, seenBy } from './supply-chain';

/** Every peer's block files: `<DRUGTRACE_HOME>/data/peer0.<org>/ledgersData/chains/chains/<channel>/blockfile_*`. */
function blockFiles(): string[] {
  const { channel, orgs } = readNetwork();
  return Object.keys(orgs).flatMap((key) => {
    const dir = join(drugtraceHome, 'data', `peer0.${key}`, 'ledgersData', 'chains', 'chains', channel);
    return readdirSync(dir)
      .filter((f) => f.startsWith('blockfile_'))
      .map((f) => join(dir, f));
  });
}

const peersHolding = (text: string): number => {
  const needle = Buffer.from(text, 'utf8');
  const { orgs } = readNetwork();
  return Object.keys(orgs).filter((key) =>
    blockFiles()
      .filter((f) => f.includes(`peer0.${key}/`))
      .some((f) => readFileSync(f).includes(needle)),
  ).length;
};

describe('shipment terms in private data', () => {
  const purchaseOrder = `PO-${newSerial()}`;
  const terms = { purchaseOrder, invoice: `INV-${newSerial()}`, unitPrice: '12.50', currency: 'EUR' };
  let id: string;
  let termsHash: string;
  let document: Record<string, string>;

  beforeAll(async () => {
    const b = await commissionBatch(1);
    const res = await api<{ id: string; termsHash: string; terms: Record<string, string> }>(
      'POST',
      '/v1/shipments',
      {
        as: 'manufacturer',
        body: {
          to: mspOf('distributor'),
          toGln: glnOf('distributor'),
          units: [{ gtin: b.gtin, serial: b.serials[0] }],
          terms,
        },
      },
    );
    expectStatus(res, 201);
    ({ id, termsHash, terms: document } = res.body);
    expect(termsHash).toMatch(/^[0-9a-f]{64}$/);
    expect(document).toMatchObject({ ...terms, salt: expect.stringMatching(/^[0-9a-f]{32}$/) });
  });

  it('shows the terms to the sender and the receiver, and only termsHash to the regulator', async () => {
    await seenBy('distributor', `/v1/shipments/${id}`, (res) => res.status === 200);
    for (const as of ['manufacturer', 'distributor'] as const) {
      const res = await api('GET', `/v1/shipments/${id}`, { as });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({ termsHash, terms: document });
    }
    await seenBy('regulator', `/v1/shipments/${id}`, (res) => res.status === 200);
    const regulator = await api('GET', `/v1/shipments/${id}`, { as: 'regulator' });
    expect(regulator.body.termsHash).toBe(termsHash);
    expect(regulator.body.terms).toBeUndefined();
    expect(JSON.stringify(regulator.body)).not.toContain(purchaseOrder);
  });

  it('lets the regulator check a document against the hash', async () => {
    const check = (body: unknown) =>
      api('POST', `/v1/shipments/${id}/terms/check`, { as: 'regulator', body });
    const same = await check(document);
    expectStatus(same, 200);
    expect(same.body).toEqual({ matches: true, termsHash });
    const altered = await check({ ...document, unitPrice: '9.99' });
    expect(altered.body).toEqual({ matches: false, termsHash });
    expectProblem(await check({ ...document, salt: 'x' }), 400, 'INVALID');
  });

  it('no peer’s block files hold the purchase order; every peer’s hold its hash', async () => {
    const deadline = Date.now() + 15_000;
    while (peersHolding(termsHash) < Object.keys(readNetwork().orgs).length && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    expect(peersHolding(termsHash)).toBe(Object.keys(readNetwork().orgs).length);
    expect(peersHolding(purchaseOrder)).toBe(0);
    expect(peersHolding(terms.invoice)).toBe(0);
  });

  it('400 for malformed terms, 404 for a receiver not admitted; nothing shipped', async () => {
    const b = await commissionBatch(1);
    const body = {
      to: mspOf('distributor'),
      toGln: glnOf('distributor'),
      units: [{ gtin: b.gtin, serial: b.serials[0] }],
    };
    for (const bad of [
      { ...terms, currency: 'euro' },
      { ...terms, unitPrice: 12.5 },
      { ...terms, purchaseOrder: '' },
    ]) {
      const res = await api('POST', '/v1/shipments', { as: 'manufacturer', body: { ...body, terms: bad } });
      expectProblem(res, 400, 'INVALID');
    }
    const stranger = await api('POST', '/v1/shipments', {
      as: 'manufacturer',
      body: { ...body, to: 'StrangerMSP', terms },
    });
    expectProblem(stranger, 404, 'NOT_FOUND');
    const unit = await api('GET', `/v1/units/${b.gtin}/${b.serials[0]}`, { as: 'manufacturer' });
    expect(unit.body).toMatchObject({ inTransit: false, custodian: { msp: mspOf('manufacturer') } });
  });
});
