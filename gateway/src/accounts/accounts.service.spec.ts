import { DomainError } from '@drugtrace/chaincode/domain';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeIdentityAuthority, TEST_TLS_CERTIFICATE, testConfig, writeHome } from '../../test/test-app';
import { NetworkInfo } from '../config/app-config';
import { AccountsService } from './accounts.service';
import { DIALECTS, TestDatabase } from '../../test/databases';
import { Database } from '../database/database';
import { SqlAccountStore } from './sql-account-store';

const DAY = 24 * 60 * 60 * 1000;

// A real PostgreSQL server and files on a shared, busy machine: allow more than jest's 5 s.
jest.setTimeout(30_000);

describe.each(DIALECTS)('AccountsService on %s', (_dialect, createDatabase) => {
  let home: string;
  let dbDir: string;
  let server: TestDatabase;
  let db: Database;
  let network: NetworkInfo;
  let store: SqlAccountStore;
  let authority: FakeIdentityAuthority;
  let now: Date;
  let sut: AccountsService;
  let pharmacyGln: string;

  const refusal = (code: string, detail: RegExp) =>
    expect.objectContaining({ code, detail: expect.stringMatching(detail) }) as DomainError;

  beforeEach(async () => {
    home = writeHome().home;
    server = await createDatabase();
    db = server.open();
    dbDir = mkdtempSync(join(tmpdir(), 'drugtrace-accounts-'));
    network = testConfig(home).network;
    pharmacyGln = network.orgs.pharmacy.glns[0];
    store = await SqlAccountStore.open(db);
    authority = new FakeIdentityAuthority();
    now = new Date('2027-03-01T10:00:00.000Z');
    sut = new AccountsService(store, network, authority, () => now);
  });
  afterEach(async () => {
    await db.close();
    await server.drop();
    rmSync(home, { recursive: true, force: true });
    rmSync(dbDir, { recursive: true, force: true });
  });

  it('enrols a person at one of the organisation’s GLNs and authenticates their key as them', async () => {
    const added = await sut.addUser({ org: 'pharmacy', name: 'alice', gln: pharmacyGln });
    expect(added).toMatchObject({ org: 'pharmacy', user: 'alice', gln: pharmacyGln });
    expect(authority.enrolled).toEqual(['pharmacy/alice']);
    await expect(sut.authenticate(added.apiKey)).resolves.toEqual({
      org: 'pharmacy',
      mspId: 'PharmacyMSP',
      role: 'PHARMACY',
      gln: pharmacyGln,
      user: 'alice',
      admin: false,
      certPath: '/crypto/pharmacy/people/alice/cert.pem',
      keyPath: '/k/alice',
    });
  });

  it('stores only the hash: neither the key nor its secret is in any row', async () => {
    const { apiKey, keyId } = await sut.addUser({ org: 'pharmacy', name: 'alice', gln: pharmacyGln });
    const rows = JSON.stringify([
      await db.all('SELECT * FROM account_users'),
      await db.all('SELECT * FROM account_keys'),
    ]);
    expect(rows).toContain(keyId); // the public id is the lookup key
    expect(rows).not.toContain(apiKey);
    expect(rows).not.toContain(apiKey.slice(20)); // the secret part
  });

  it('keeps one of two concurrent additions of a name, and at most two keys under concurrent rotations', async () => {
    const results = await Promise.allSettled([
      sut.addUser({ org: 'pharmacy', name: 'alice', gln: pharmacyGln }),
      sut.addUser({ org: 'pharmacy', name: 'alice', gln: pharmacyGln }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rotations = await Promise.allSettled([1, 2, 3].map(() => sut.issueKey('pharmacy', 'alice')));
    expect(rotations.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const [alice] = await sut.listUsers('pharmacy');
    expect(alice.keys).toHaveLength(2);
  });

  it('refuses an unknown organisation, a foreign GLN, a bad or duplicate name; the CA is not asked', async () => {
    await sut.addUser({ org: 'pharmacy', name: 'alice', gln: pharmacyGln });
    authority.enrolled.length = 0;
    const distributorGln = network.orgs.distributor.glns[0];
    await expect(sut.addUser({ org: 'chemist', name: 'bob', gln: pharmacyGln })).rejects.toEqual(
      refusal('NOT_FOUND', /unknown organisation chemist/),
    );
    await expect(sut.addUser({ org: 'pharmacy', name: 'bob', gln: distributorGln })).rejects.toEqual(
      refusal('INVALID', /not a location of pharmacy/),
    );
    for (const name of ['Bob', 'b', 'bob smith', 'bob/x', 'x'.repeat(65)])
      await expect(sut.addUser({ org: 'pharmacy', name, gln: pharmacyGln })).rejects.toEqual(
        refusal('INVALID', /name must be/),
      );
    await expect(sut.addUser({ org: 'pharmacy', name: 'alice', gln: pharmacyGln })).rejects.toEqual(
      refusal('CONFLICT', /already has a user alice/),
    );
    await expect(
      sut.addUser({ org: 'pharmacy', name: 'bob', gln: pharmacyGln, expiresInDays: 0 }),
    ).rejects.toEqual(refusal('INVALID', /expiresInDays/));
    expect(authority.enrolled).toEqual([]);
    expect((await sut.listUsers('pharmacy')).map((u) => u.name)).toEqual(['alice']);
  });

  it('stores nothing when the CA refuses', async () => {
    authority.refuseEnrol = new DomainError(
      'CONFLICT',
      'the CA already has an identity named pharmacy-admin',
    );
    await expect(sut.addUser({ org: 'pharmacy', name: 'pharmacy-admin', gln: pharmacyGln })).rejects.toThrow(
      /already has an identity/,
    );
    expect(await sut.listUsers('pharmacy')).toEqual([]);
  });

  it('refuses a key with a wrong secret, a malformed one, an expired one and a revoked one', async () => {
    const added = await sut.addUser({ org: 'pharmacy', name: 'alice', gln: pharmacyGln, expiresInDays: 30 });
    const { apiKey } = added;
    const forged = apiKey.slice(0, -4) + (apiKey.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    await expect(sut.authenticate(forged)).resolves.toBeUndefined();
    await expect(sut.authenticate('not-a-key')).resolves.toBeUndefined();
    await expect(sut.authenticate(apiKey)).resolves.toBeDefined();
    now = new Date(now.getTime() + 30 * DAY);
    await expect(sut.authenticate(apiKey)).resolves.toBeUndefined();
    now = new Date(now.getTime() - 31 * DAY);
    await sut.revokeKey('pharmacy', 'alice', added.keyId);
    await expect(sut.authenticate(apiKey)).resolves.toBeUndefined();
  });

  it('refuses a key on the very next request once another process revoked it or its user in the same database', async () => {
    const alice = await sut.addUser({ org: 'pharmacy', name: 'alice', gln: pharmacyGln });
    const bob = await sut.addUser({ org: 'pharmacy', name: 'bob', gln: pharmacyGln });
    await expect(sut.authenticate(alice.apiKey)).resolves.toBeDefined();
    await expect(sut.authenticate(bob.apiKey)).resolves.toBeDefined();
    // `npm run user:revoke` is another process: its own connection, its own store.
    const otherDb = server.open();
    try {
      const other = await SqlAccountStore.open(otherDb);
      await other.revokeKey('pharmacy', 'alice', alice.keyId, now.toISOString());
      await expect(sut.authenticate(alice.apiKey)).resolves.toBeUndefined();
      await other.revokeUser('pharmacy', 'bob', now.toISOString());
      await expect(sut.authenticate(bob.apiKey)).resolves.toBeUndefined();
    } finally {
      await otherDb.close();
    }
  });

  it('rotates: two usable keys at most; an expired or revoked one makes room', async () => {
    const first = await sut.addUser({ org: 'pharmacy', name: 'alice', gln: pharmacyGln, expiresInDays: 10 });
    const second = await sut.issueKey('pharmacy', 'alice');
    expect((await sut.authenticate(first.apiKey))?.user).toBe('alice');
    expect((await sut.authenticate(second.apiKey))?.user).toBe('alice');
    await expect(sut.issueKey('pharmacy', 'alice')).rejects.toEqual(refusal('CONFLICT', /2 usable keys/));
    now = new Date(now.getTime() + 11 * DAY);
    const third = await sut.issueKey('pharmacy', 'alice');
    expect((await sut.authenticate(third.apiKey))?.user).toBe('alice');
    await expect(sut.issueKey('pharmacy', 'nobody')).rejects.toEqual(refusal('NOT_FOUND', /no user nobody/));
  });

  it('revokes: every key stops at once, even when the CA step fails; running it again completes it', async () => {
    const { apiKey } = await sut.addUser({ org: 'pharmacy', name: 'alice', gln: pharmacyGln });
    const second = await sut.issueKey('pharmacy', 'alice');
    authority.refuseRevoke = new Error('users.sh revoke failed: orderer unreachable');
    await expect(sut.revokeUser('pharmacy', 'alice')).rejects.toThrow(/orderer unreachable/);
    await expect(sut.authenticate(apiKey)).resolves.toBeUndefined();
    await expect(sut.authenticate(second.apiKey)).resolves.toBeUndefined();
    expect((await store.findUser('pharmacy', 'alice'))?.ledgerRevokedAt).toBeUndefined();
    authority.refuseRevoke = undefined;
    const revoked = await sut.revokeUser('pharmacy', 'alice');
    expect(revoked).toMatchObject({ status: 'REVOKED', ledgerRevokedAt: now.toISOString() });
    expect(authority.revoked).toEqual(['pharmacy/alice']);
    await expect(sut.issueKey('pharmacy', 'alice')).rejects.toEqual(refusal('CONFLICT', /revoked/));
    await expect(sut.revokeUser('pharmacy', 'nobody')).rejects.toEqual(refusal('NOT_FOUND', /no user/));
  });

  it('stores the demo user1 as an admin named by its certificate, and keeps a key that still works', async () => {
    const certPath = join(dbDir, 'user1.pem');
    writeFileSync(certPath, TEST_TLS_CERTIFICATE);
    network.orgs.pharmacy.users.user1.certPath = certPath;
    const key = await sut.ensureDemoUser('pharmacy', undefined);
    expect(await sut.authenticate(key as string)).toMatchObject({ user: 'test TLS client', admin: true });
    await expect(sut.ensureDemoUser('pharmacy', key)).resolves.toBeUndefined();
    // A key from an older network (no public id) is replaced, and the demo user's earlier keys revoked.
    const replaced = await sut.ensureDemoUser('pharmacy', 'old-style-random-key-0123456789');
    expect(await sut.authenticate(replaced as string)).toMatchObject({ user: 'test TLS client' });
    await expect(sut.authenticate(key as string)).resolves.toBeUndefined();
  });
});
