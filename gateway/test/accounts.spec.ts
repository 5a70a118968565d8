import request from 'supertest';
import { AccountStore } from '../src/accounts/account-store';
import { newApiKey } from '../src/accounts/api-key';
import { createTestApp, ORGS, TestApp } from './test-app';

describe('people over REST: /v1/admin/users, and keys that stop working', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await createTestApp();
  });
  afterAll(() => sut.close());

  const addAlice = async (name: string) =>
    (
      await request(sut.http)
        .post('/v1/admin/users')
        .set(sut.bearer('pharmacy'))
        .send({ name, gln: ORGS.pharmacy.gln })
        .expect(201)
    ).body as { apiKey: string; keyId: string; user: string };

  it('an org admin adds a person of their own organisation; the key signs in as them', async () => {
    const alice = await addAlice('alice');
    const me = await request(sut.http)
      .get('/v1/me')
      .set('Authorization', `Bearer ${alice.apiKey}`)
      .expect(200);
    expect(me.body).toMatchObject({ org: 'pharmacy', user: 'alice', gln: ORGS.pharmacy.gln, admin: false });
    const list = await request(sut.http).get('/v1/admin/users').set(sut.bearer('pharmacy')).expect(200);
    expect(list.body.map((u: { name: string }) => u.name)).toEqual(['alice', 'pharmacy-user1']);
    expect(JSON.stringify(list.body)).not.toMatch(/hash|certPath|keyPath/);
    const theirs = await request(sut.http).get('/v1/admin/users').set(sut.bearer('distributor')).expect(200);
    expect(theirs.body.map((u: { name: string }) => u.name)).toEqual(['distributor-user1']);
  });

  it('403 for a person who is not an admin; 400 for a GLN of another organisation; 409 for a duplicate', async () => {
    const bob = await addAlice('bob');
    const asBob = { Authorization: `Bearer ${bob.apiKey}` };
    const forbidden = await request(sut.http).get('/v1/admin/users').set(asBob).expect(403);
    expect(forbidden.body.code).toBe('FORBIDDEN');
    const foreign = await request(sut.http)
      .post('/v1/admin/users')
      .set(sut.bearer('pharmacy'))
      .send({ name: 'carol', gln: ORGS.distributor.gln })
      .expect(400);
    expect(foreign.body).toMatchObject({ code: 'INVALID', detail: expect.stringMatching(/not a location/) });
    const dup = await request(sut.http)
      .post('/v1/admin/users')
      .set(sut.bearer('pharmacy'))
      .send({ name: 'bob', gln: ORGS.pharmacy.gln })
      .expect(409);
    expect(dup.body.code).toBe('CONFLICT');
    const bad = await request(sut.http)
      .post('/v1/admin/users')
      .set(sut.bearer('pharmacy'))
      .send({ name: 'carol', gln: 'x', admin: 'yes' })
      .expect(400);
    expect(bad.body.code).toBe('INVALID');
    const names = (await request(sut.http).get('/v1/admin/users').set(sut.bearer('pharmacy'))).body.map(
      (u: { name: string }) => u.name,
    );
    expect(names).not.toContain('carol');
  });

  it('401 for a revoked person’s keys and for an expired key; 404 revoking someone of another organisation', async () => {
    const dave = await addAlice('dave');
    const asDave = { Authorization: `Bearer ${dave.apiKey}` };
    await request(sut.http).post('/v1/admin/users/dave/revoke').set(sut.bearer('distributor')).expect(404);
    await request(sut.http).get('/v1/me').set(asDave).expect(200);
    const revoked = await request(sut.http)
      .post('/v1/admin/users/dave/revoke')
      .set(sut.bearer('pharmacy'))
      .expect(200);
    expect(revoked.body).toMatchObject({ name: 'dave', status: 'REVOKED' });
    const gone = await request(sut.http).get('/v1/me').set(asDave).expect(401);
    expect(gone.body.code).toBe('UNAUTHENTICATED');

    const store = sut.app.get(AccountStore);
    const { id, key, hash } = newApiKey();
    await store.addKey(
      {
        id,
        org: 'pharmacy',
        user: 'alice',
        hash,
        createdAt: '2026-01-01T00:00:00.000Z',
        expiresAt: '2026-02-01T00:00:00.000Z',
      },
      new Date().toISOString(),
    );
    const expired = await request(sut.http).get('/v1/me').set('Authorization', `Bearer ${key}`).expect(401);
    expect(expired.body.code).toBe('UNAUTHENTICATED');
  });

  it('an admin cannot revoke themselves (the organisation would lose its last way in)', async () => {
    const self = await request(sut.http)
      .post('/v1/admin/users/pharmacy-user1/revoke')
      .set(sut.bearer('pharmacy'))
      .expect(409);
    expect(self.body.code).toBe('CONFLICT');
    await request(sut.http).get('/v1/me').set(sut.bearer('pharmacy')).expect(200);
  });
});
