/**
 * A fifth organisation joins the running network: a second pharmacy chain is added to a copy of
 * network.yaml and `network.sh up` brings up its CA and peer, updates the channel configuration with a
 * majority of the existing admins' signatures, joins its peer, re-approves the chaincode definition,
 * admits it in the on-ledger registry and writes its API key — leaving every existing identity, key and
 * ledger as it was. Then a pack travels manufacturer → new pharmacy and is verified and dispensed there.
 * Runs after every other system suite: the network has five organisations afterwards.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { commissionBatch, elementString, expectStatus, glnOf, mspOf } from '../e2e/supply-chain';
import { api } from '../support/http';
import {
  drugtraceHome,
  gatewayScript,
  networkScript,
  readApiKeys,
  readNetwork,
  repoRoot,
} from '../support/paths';

const NEW_ORG = {
  key: 'pharmacy2',
  mspId: 'RiversidePharmacyMSP',
  role: 'PHARMACY',
  name: 'Riverside Pharmacy',
  domain: 'riverside.drugtrace.local',
  glns: ['9506000050003'],
  companyPrefixes: ['950600005'],
  caPort: 7554,
  peer: { port: 7551, chaincodePort: 7552, operationsPort: 9551 },
};

const certOf = (org: string): string =>
  readFileSync(join(drugtraceHome, 'crypto', org, 'users', 'user1', 'msp', 'signcerts', 'cert.pem'), 'utf8');

describe('an organisation joins the running network', () => {
  const networkFile = join(tmpdir(), `drugtrace-network-${process.pid}.yaml`);
  const env = { ...process.env, DRUGTRACE_NETWORK_FILE: networkFile };
  let keysBefore: Record<string, string>;
  let certsBefore: Record<string, string>;

  beforeAll(() => {
    const definition = parse(readFileSync(join(repoRoot, 'network', 'network.yaml'), 'utf8'));
    definition.orgs.push(NEW_ORG);
    writeFileSync(networkFile, stringify(definition));
    keysBefore = readApiKeys();
    certsBefore = Object.fromEntries(Object.keys(readNetwork().orgs).map((org) => [org, certOf(org)]));
    execFileSync('bash', [networkScript, 'up'], { env, stdio: 'inherit', timeout: 600_000 });
    // The gateway reads network.json at start-up.
    execFileSync('bash', [gatewayScript, 'stop'], { env, stdio: 'inherit' });
    execFileSync('bash', [gatewayScript, 'start'], { env, stdio: 'inherit' });
  }, 900_000);

  it('keeps every existing identity and API key, and adds the new organisation with a key of its own', () => {
    const keys = readApiKeys();
    expect(keys).toMatchObject(keysBefore);
    expect(keys[NEW_ORG.key]).toMatch(/^dt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    for (const [org, cert] of Object.entries(certsBefore))
      expect({ org, cert: certOf(org) }).toEqual({ org, cert });
    const network = readNetwork();
    expect(network.orgs[NEW_ORG.key]).toMatchObject({ mspId: NEW_ORG.mspId, role: 'PHARMACY' });
  });

  it('has the new peer in the channel at the same height as the others', () => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const out = execFileSync('bash', [networkScript, 'status'], { env, encoding: 'utf8' });
      const heights = Object.fromEntries(
        [...out.matchAll(/peer0\.(\w+) height: (\d+)/g)].map((m) => [m[1], +m[2]]),
      );
      const others = Object.entries(heights).filter(([k]) => k !== NEW_ORG.key);
      if (heights[NEW_ORG.key] && others.every(([, h]) => h === heights[NEW_ORG.key])) {
        expect(others).toHaveLength(4);
        return;
      }
      if (Date.now() > deadline) throw new Error(`peer heights never matched: ${JSON.stringify(heights)}`);
      execFileSync('sleep', ['1']);
    }
  });

  it("gives it an API key that signs as the new pharmacy's user", async () => {
    const me = await api('GET', '/v1/me', { key: readApiKeys()[NEW_ORG.key] });
    expectStatus(me, 200);
    expect(me.body).toMatchObject({
      org: NEW_ORG.key,
      mspId: NEW_ORG.mspId,
      role: 'PHARMACY',
      gln: NEW_ORG.glns[0],
    });
  });

  it('admits it in the registry: a pack goes from the manufacturer to the new pharmacy, GENUINE there, dispensed', async () => {
    const key = readApiKeys()[NEW_ORG.key];
    const batch = await commissionBatch(1);
    const [serial] = batch.serials;
    const ship = await api<{ id: string }>('POST', '/v1/shipments', {
      as: 'manufacturer',
      body: { to: NEW_ORG.mspId, toGln: NEW_ORG.glns[0], units: [{ gtin: batch.gtin, serial }] },
    });
    expectStatus(ship, 201);
    // The new pharmacy's peer may be a block behind the manufacturer's: receive once it sees the shipment.
    let receive = await api('POST', `/v1/shipments/${ship.body.id}/receive`, { key });
    for (let i = 0; i < 50 && receive.status === 404; i++) {
      await new Promise((r) => setTimeout(r, 200));
      receive = await api('POST', `/v1/shipments/${ship.body.id}/receive`, { key });
    }
    expectStatus(receive, 200);
    const verify = await api('POST', '/v1/verify', { key, body: { code: elementString(batch, serial) } });
    expectStatus(verify, 200);
    expect(verify.body).toMatchObject({
      verdict: 'GENUINE',
      unit: { state: 'ACTIVE', custodian: { msp: NEW_ORG.mspId, gln: NEW_ORG.glns[0] } },
    });
    // The original pharmacy sees the pack elsewhere: diversion if it scanned it.
    const elsewhere = await api('POST', '/v1/verify', {
      as: 'pharmacy',
      body: { code: elementString(batch, serial) },
    });
    expect(elsewhere.body).toMatchObject({
      verdict: 'SUSPECT',
      reasons: expect.arrayContaining(['NOT_IN_CUSTODY']),
    });
    expect(mspOf('pharmacy')).not.toBe(NEW_ORG.mspId);
    expect(glnOf('pharmacy')).not.toBe(NEW_ORG.glns[0]);
    const dispense = await api('POST', `/v1/units/${batch.gtin}/${serial}/dispense`, { key });
    expectStatus(dispense, 200);
    expect(dispense.body).toMatchObject({ state: 'DISPENSED' });
  });
});
