/**
 * People, not demo users: a person added with `user:add` acts with their own key and is named by the ledger;
 * their keys are stored only hashed, rotate, and stop at revocation; and the peers refuse their certificate
 * once it is revoked, when it is presented to Fabric directly.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectWith } from '../support/fabric';
import { api } from '../support/http';
import { drugtraceHome, readNetwork, repoRoot } from '../support/paths';
import { newSerial } from '../support/ids';
import { until } from '../support/nodes';
import { batchAtPharmacy, elementString, expectProblem, expectStatus } from './supply-chain';

const CLI = join(repoRoot, 'gateway', 'dist', 'accounts', 'cli.js');

type Run = { status: number | null; stdout: string; stderr: string };

/**
 * Runs a `user:*` command as `npm run user:<command>` does. Asynchronously: a test process blocked for the
 * seconds a revocation takes would miss the gateway closing its idle keep-alive connections, then reuse one.
 */
function users(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      'node',
      [CLI, ...args],
      { encoding: 'utf8', env: process.env, timeout: 150_000 },
      (err, stdout, stderr) =>
        resolve({ status: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** The one JSON line a successful command prints. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function json<T = Record<string, any>>(run: Run): T {
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  const lines = run.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]) as T;
}

const listed = async (org: string): Promise<string[]> =>
  json<{ name: string }[]>(await users('list', '--org', org)).map((u) => u.name);

const personDir = (org: string, name: string): string => join(drugtraceHome, 'crypto', org, 'people', name);

/** Files under .drugtrace/ holding `text` (grep -r; status 1 means none). */
function filesHolding(text: string): string[] {
  const grep = spawnSync('grep', ['-rlF', '--', text, drugtraceHome], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  expect(grep.status === 0 || grep.status === 1).toBe(true);
  return grep.stdout.split('\n').filter(Boolean);
}

const suffix = (): string => newSerial().slice(1, 7).toLowerCase();

describe('people: user:add, keys stored hashed, every act named, revocation at the ledger', () => {
  const pharmacy = readNetwork().orgs.pharmacy;
  const [mainGln, branchGln] = pharmacy.glns;
  const name = `alice-${suffix()}`;
  let apiKey: string;

  beforeAll(async () => {
    expect(branchGln).toBeDefined(); // network.yaml gives the pharmacy a branch
    const added = json(await users('add', '--org', 'pharmacy', '--name', name, '--gln', mainGln));
    expect(Object.keys(added).sort()).toEqual(['apiKey', 'gln', 'org', 'user']);
    expect(added).toMatchObject({ org: 'pharmacy', user: name, gln: mainGln });
    apiKey = added.apiKey;
  });

  it('keeps no copy of the key anywhere under .drugtrace/ (only its hash, in the account store)', () => {
    expect(apiKey).toMatch(/^dt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(filesHolding(apiKey)).toEqual([]);
  });

  it('GET /v1/me names the person and their branch', async () => {
    const me = await api('GET', '/v1/me', { key: apiKey });
    expectStatus(me, 200);
    expect(me.body).toEqual({
      org: 'pharmacy',
      mspId: pharmacy.mspId,
      role: 'PHARMACY',
      gln: mainGln,
      user: name,
      admin: false,
    });
  });

  it('refuses an unknown organisation, a GLN of another organisation and a duplicate name; creates nothing', async () => {
    const other = `bob-${suffix()}`;
    const distributorGln = readNetwork().orgs.distributor.glns[0];
    const cases: [string[], RegExp][] = [
      [['--org', 'chemist', '--name', other, '--gln', mainGln], /unknown organisation chemist/],
      [['--org', 'pharmacy', '--name', other, '--gln', distributorGln], /not a location of pharmacy/],
      [['--org', 'pharmacy', '--name', name, '--gln', mainGln], /already has a user/],
      [['--org', 'pharmacy', '--name', 'pharmacy-admin', '--gln', mainGln], /CA already has an identity/],
      [['--org', 'pharmacy', '--name', 'Bad Name', '--gln', mainGln], /name must be/],
    ];
    for (const [args, message] of cases) {
      const run = await users('add', ...args);
      expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 1, stdout: '' });
      expect(run.stderr).toMatch(message);
    }
    expect(await listed('pharmacy')).not.toContain(other);
    expect(await listed('pharmacy')).not.toContain('pharmacy-admin');
    expect(existsSync(personDir('pharmacy', other))).toBe(false);
    expect((await listed('pharmacy')).filter((n) => n === name)).toHaveLength(1);
  });

  it('lets org admins manage their own organisation only over REST; others get 403', async () => {
    const carol = `carol-${suffix()}`;
    expectProblem(
      await api('POST', '/v1/admin/users', { key: apiKey, body: { name: carol, gln: mainGln } }),
      403,
      'FORBIDDEN',
    );
    const foreign = await api('POST', '/v1/admin/users', {
      as: 'pharmacy',
      body: { name: carol, gln: readNetwork().orgs.distributor.glns[0] },
    });
    expectProblem(foreign, 400, 'INVALID');
    const added = await api('POST', '/v1/admin/users', {
      as: 'pharmacy',
      body: { name: carol, gln: branchGln },
    });
    expectStatus(added, 201);
    expect(added.body).toMatchObject({ org: 'pharmacy', user: carol, gln: branchGln });
    const me = await api('GET', '/v1/me', { key: added.body.apiKey });
    expect(me.body).toMatchObject({ user: carol, gln: branchGln });
    const theirs = await api<{ name: string }[]>('GET', '/v1/admin/users', { as: 'distributor' });
    expectStatus(theirs, 200);
    expect(theirs.body.map((u) => u.name)).not.toContain(carol);
    expect(JSON.stringify(theirs.body)).not.toMatch(/hash|certPath|keyPath/);
    const ours = await api<{ name: string; keys: { id: string }[] }[]>('GET', '/v1/admin/users', {
      as: 'pharmacy',
    });
    expect(ours.body.find((u) => u.name === carol)?.keys.map((k) => k.id)).toEqual([added.body.keyId]);
    // Another organisation's admin cannot revoke her; her key still works.
    expectProblem(
      await api('POST', `/v1/admin/users/${carol}/revoke`, { as: 'distributor' }),
      404,
      'NOT_FOUND',
    );
    expectStatus(await api('GET', '/v1/me', { key: added.body.apiKey }), 200);
  });

  it('rotates: a second key works beside the first, a third is refused until one is revoked', async () => {
    const second = await api('POST', `/v1/admin/users/${name}/keys`, { as: 'pharmacy', body: {} });
    expectStatus(second, 201);
    expectStatus(await api('GET', '/v1/me', { key: second.body.apiKey }), 200);
    expectStatus(await api('GET', '/v1/me', { key: apiKey }), 200);
    expectProblem(
      await api('POST', `/v1/admin/users/${name}/keys`, { as: 'pharmacy', body: {} }),
      409,
      'CONFLICT',
    );
    const revoke = await api('DELETE', `/v1/admin/users/${name}/keys/${second.body.keyId}`, {
      as: 'pharmacy',
    });
    expectStatus(revoke, 204);
    expectProblem(await api('GET', '/v1/me', { key: second.body.apiKey }), 401, 'UNAUTHENTICATED');
    expectStatus(await api('GET', '/v1/me', { key: apiKey }), 200);
  });

  describe('acting, then revoked', () => {
    let b: Awaited<ReturnType<typeof batchAtPharmacy>>;

    beforeAll(async () => {
      b = await batchAtPharmacy(2);
    });

    it('names the person in the history, the EPCIS export and alerts; another person may not undo (NMVS_NC_PCK_21)', async () => {
      const [serial] = b.serials;
      const dispensed = await api('POST', `/v1/units/${b.gtin}/${serial}/dispense`, { key: apiKey });
      expectStatus(dispensed, 200);
      expect(dispensed.body.stateChangedBy).toEqual({ msp: pharmacy.mspId, gln: mainGln, user: name });

      const history = await api('GET', `/v1/units/${b.gtin}/${serial}/history`, { as: 'regulator' });
      expectStatus(history, 200);
      const last = history.body.events.at(-1);
      expect(last).toMatchObject({ type: 'DISPENSED', org: pharmacy.mspId, gln: mainGln, user: name });
      expect(history.body.events[0]).toMatchObject({ type: 'COMMISSIONED', user: 'manufacturer-user1' });

      // The demo pharmacist works at the same place, but did not dispense it.
      const undoByOther = await api('POST', `/v1/units/${b.gtin}/${serial}/undo-dispense`, {
        as: 'pharmacy',
      });
      expectProblem(undoByOther, 403, 'FORBIDDEN');
      expect(undoByOther.body.detail).toMatch(/NMVS_NC_PCK_21/);
      const unit = await api('GET', `/v1/units/${b.gtin}/${serial}`, { as: 'regulator' });
      expect(unit.body.state).toBe('DISPENSED');
      const undone = await api('POST', `/v1/units/${b.gtin}/${serial}/undo-dispense`, { key: apiKey });
      expectStatus(undone, 200);
      expect(undone.body.state).toBe('ACTIVE');

      const epcis = await api('GET', `/v1/audit/batches/${b.gtin}/${b.lot}/epcis`, { as: 'regulator' });
      expectStatus(epcis, 200);
      const dispensing = epcis.body.epcisBody.eventList.filter(
        (e: Record<string, unknown>) => e['drugtrace:txId'] === last.txId,
      );
      expect(dispensing).toEqual([expect.objectContaining({ 'drugtrace:user': name })]);

      const fake = elementString(b, `FAKE${suffix().toUpperCase()}`);
      const scan = await api('POST', '/v1/verify', { key: apiKey, body: { code: fake } });
      expectStatus(scan, 200);
      const serialOfFake = fake.slice(fake.lastIndexOf('(21)') + 4);
      // The gateway records a non-genuine scan in the background: its alert appears within seconds.
      const alert = await until(
        'the alert of the counterfeit scan',
        async () => {
          const res = await api<{ alerts: { serial: string; user?: string }[] }>(
            'GET',
            '/v1/audit/alerts?limit=1000',
            { as: 'regulator' },
          );
          return res.body.alerts.find((a) => a.serial === serialOfFake);
        },
        30_000,
      );
      expect(alert).toMatchObject({ user: name, org: pharmacy.mspId, gln: mainGln });
    });

    it('revocation: 401 for every key at once, and the peers refuse the certificate on a direct submit', async () => {
      const [, serial] = b.serials;
      const revoked = json(await users('revoke', '--org', 'pharmacy', '--name', name));
      expect(revoked).toMatchObject({ name, status: 'REVOKED' });
      expect(revoked.ledgerRevokedAt).toEqual(expect.any(String));
      expectProblem(await api('GET', '/v1/me', { key: apiKey }), 401, 'UNAUTHENTICATED');
      expectProblem(
        await api('POST', `/v1/units/${b.gtin}/${serial}/dispense`, { key: apiKey }),
        401,
        'UNAUTHENTICATED',
      );
      expect(await listed('pharmacy')).toContain(name); // kept, as revoked: the ledger still names them

      const dir = join(personDir('pharmacy', name), 'msp');
      const direct = connectWith('pharmacy', {
        certPath: join(dir, 'signcerts', 'cert.pem'),
        keyPath: join(dir, 'keystore', 'key.pem'),
      });
      const peerLog = join(drugtraceHome, 'logs', 'peer0.pharmacy.log');
      const logBefore = readFileSync(peerLog, 'utf8').length;
      const refusal = (err: unknown): string =>
        ((err as { details?: { message: string }[] }).details ?? []).map((d) => d.message).join('; ');
      try {
        const submit = await direct
          .contract('units')
          .submitTransaction('Dispense', b.gtin, serial)
          .catch((err: unknown) => err);
        expect(refusal(submit)).toMatch(/access denied: channel \[\w+\] creator org \[PharmacyMSP\]/);
        const read = await direct
          .contract('units')
          .evaluateTransaction('Get', b.gtin, serial)
          .catch((err: unknown) => err);
        expect(refusal(read)).toMatch(/access denied/);
        // The peer says why in its log: the certificate is on its organisation's revocation list.
        const log = readFileSync(peerLog, 'utf8').slice(logBefore);
        expect(log).toMatch(/access denied: identity is not valid .*The certificate has been revoked/);
      } finally {
        direct.close();
      }
      const unit = await api('GET', `/v1/units/${b.gtin}/${serial}`, { as: 'regulator' });
      expect(unit.body.state).toBe('ACTIVE');
      // Revoking again changes nothing and succeeds (the channel already has this CRL).
      expect(json(await users('revoke', '--org', 'pharmacy', '--name', name))).toMatchObject({
        status: 'REVOKED',
      });
    });

    it('the demo keys still work after the channel configuration changed', async () => {
      for (const as of ['manufacturer', 'distributor', 'pharmacy', 'regulator'] as const)
        expectStatus(await api('GET', '/v1/me', { as }), 200);
      const [, serial] = b.serials;
      expectStatus(await api('POST', `/v1/units/${b.gtin}/${serial}/dispense`, { as: 'pharmacy' }), 200);
    });
  });
});
