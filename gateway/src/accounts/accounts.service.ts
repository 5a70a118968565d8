import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DomainError, Role } from '@drugtrace/chaincode/domain';
import { Caller } from '../auth/caller';
import { NetworkInfo } from '../config/app-config';
import {
  AccountStore,
  DuplicateUserError,
  isUsable,
  KeyRecord,
  KeyRefusedError,
  UserRecord,
  UserWithKeys,
} from './account-store';
import { apiKeyId, matchesHash, newApiKey } from './api-key';
import { IdentityAuthority } from './identity-authority';

/** An enrolment ID: what Fabric CA takes and the ledger shows; no spaces, slashes or colons. */
const NAME_PATTERN = /^[a-z][a-z0-9._-]{1,63}$/;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface NewUser {
  org: string;
  name: string;
  gln: string;
  admin?: boolean;
  expiresInDays?: number;
}

/** What `user:add` prints and POST /v1/admin/users answers: the key is shown this once. */
export interface IssuedUser {
  org: string;
  user: string;
  gln: string;
  apiKey: string;
  keyId: string;
  expiresAt?: string;
}

export interface IssuedKey {
  apiKey: string;
  keyId: string;
  expiresAt?: string;
}

/** The common name of a certificate's subject: the enrolment ID Fabric CA issued it to. */
export function commonNameOf(certPath: string): string {
  const subject = new X509Certificate(readFileSync(certPath)).subject;
  const cn = /^CN=(.+)$/m.exec(subject)?.[1];
  if (!cn) throw new Error(`${certPath} names no common name`);
  return cn;
}

/**
 * People and their API keys, one organisation at a time: enrol at the organisation's CA, issue and rotate
 * keys (stored hashed), revoke (keys at once, then the certificate at the CA and in the channel), and
 * authenticate a presented key. Shared by the `user:*` commands and /v1/admin/users.
 */
export class AccountsService {
  constructor(
    private readonly store: AccountStore,
    private readonly network: NetworkInfo,
    private readonly authority: IdentityAuthority,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Validates everything before the CA is asked, so a refused request creates nothing anywhere. */
  async addUser(input: NewUser): Promise<IssuedUser> {
    const org = this.#org(input.org);
    if (!NAME_PATTERN.test(input.name))
      throw new DomainError(
        'INVALID',
        'name must be 2–64 characters: lower-case letters, digits, ".", "_" or "-", starting with a letter',
      );
    if (!org.glns.includes(input.gln))
      throw new DomainError(
        'INVALID',
        `GLN ${input.gln} is not a location of ${input.org} (its GLNs: ${org.glns.join(', ')})`,
      );
    const expiresAt = this.#expiry(input.expiresInDays);
    if (await this.store.findUser(input.org, input.name))
      throw new DomainError('CONFLICT', `${input.org} already has a user ${input.name}`);
    const identity = await this.authority.enrol(input.org, input.name, input.gln);
    const user: UserRecord = {
      org: input.org,
      name: input.name,
      gln: input.gln,
      role: org.role,
      admin: input.admin ?? false,
      status: 'ACTIVE',
      createdAt: this.now().toISOString(),
      ...identity,
    };
    const { key, record } = this.#newKey(user, expiresAt);
    try {
      await this.store.addUser(user, record);
    } catch (err) {
      if (err instanceof DuplicateUserError) throw new DomainError('CONFLICT', err.message);
      throw err;
    }
    return { org: user.org, user: user.name, gln: user.gln, apiKey: key, keyId: record.id, expiresAt };
  }

  async listUsers(org: string): Promise<UserWithKeys[]> {
    this.#org(org);
    return this.store.listUsers(org);
  }

  /**
   * The user's keys stop working first (one SQLite transaction), then the CA revokes the certificate and the
   * organisation's MSP in the channel gets the new CRL, after which the peers refuse the certificate. A
   * failure in the second step leaves the keys revoked; running the revocation again completes it.
   */
  async revokeUser(org: string, name: string): Promise<UserRecord> {
    this.#org(org);
    if (!(await this.store.revokeUser(org, name, this.now().toISOString())))
      throw new DomainError('NOT_FOUND', `${org} has no user ${name}`);
    await this.authority.revoke(org, name);
    await this.store.markLedgerRevoked(org, name, this.now().toISOString());
    return (await this.store.findUser(org, name)) as UserRecord;
  }

  /** A further key for a rotation: at most two usable at once. */
  async issueKey(org: string, name: string, expiresInDays?: number): Promise<IssuedKey> {
    const user = await this.#activeUser(org, name);
    const expiresAt = this.#expiry(expiresInDays);
    const { key, record } = this.#newKey(user, expiresAt);
    try {
      await this.store.addKey(record, this.now().toISOString());
    } catch (err) {
      if (err instanceof KeyRefusedError) throw new DomainError('CONFLICT', err.message);
      throw err;
    }
    return { apiKey: key, keyId: record.id, expiresAt };
  }

  async revokeKey(org: string, name: string, keyId: string): Promise<void> {
    if (!(await this.store.revokeKey(org, name, keyId, this.now().toISOString())))
      throw new DomainError('NOT_FOUND', `${name} of ${org} has no key ${keyId}`);
  }

  /** The caller a presented key stands for; undefined when it is unknown, revoked, expired, or its user revoked. */
  async authenticate(presented: string): Promise<Caller | undefined> {
    const id = apiKeyId(presented);
    const found = id && (await this.store.findKey(id));
    if (!found || !matchesHash(presented, found.key.hash)) return undefined;
    const { key, user } = found;
    if (user.status !== 'ACTIVE' || !isUsable(key, this.now().toISOString())) return undefined;
    const org = this.network.orgs[user.org];
    if (!org) return undefined;
    return {
      org: user.org,
      mspId: org.mspId,
      role: org.role as Role,
      gln: user.gln,
      user: user.name,
      admin: user.admin,
      certPath: user.certPath,
      keyPath: user.keyPath,
    };
  }

  /**
   * The demo person of `npm start` (each organisation's `user1` identity, an admin of its organisation), with
   * a key issued like any other. `current` is the key handed out earlier (api-keys.json): kept while it
   * works; otherwise the demo user's old keys are revoked and a new key is returned.
   */
  async ensureDemoUser(orgKey: string, current: string | undefined): Promise<string | undefined> {
    const org = this.#org(orgKey);
    const demo = org.users.user1;
    if (!demo) throw new Error(`network.json has no user1 for ${orgKey}`);
    if (current && (await this.authenticate(current))?.org === orgKey) return undefined;
    const name = commonNameOf(demo.certPath);
    const now = this.now().toISOString();
    const existing = await this.store.findUser(orgKey, name);
    const user: UserRecord = existing ?? {
      org: orgKey,
      name,
      gln: demo.gln,
      role: org.role,
      admin: true,
      status: 'ACTIVE',
      createdAt: now,
      certPath: demo.certPath,
      keyPath: demo.keyPath,
    };
    const { key, record } = this.#newKey(user, undefined);
    if (!existing) await this.store.addUser(user, record);
    else {
      for (const old of (await this.store.listUsers(orgKey)).find((u) => u.name === name)?.keys ?? [])
        await this.store.revokeKey(orgKey, name, old.id, now);
      await this.store.addKey(record, now);
    }
    return key;
  }

  #newKey(user: UserRecord, expiresAt: string | undefined): { key: string; record: KeyRecord } {
    const { id, key, hash } = newApiKey();
    return {
      key,
      record: { id, org: user.org, user: user.name, hash, createdAt: this.now().toISOString(), expiresAt },
    };
  }

  async #activeUser(org: string, name: string): Promise<UserRecord> {
    this.#org(org);
    const user = await this.store.findUser(org, name);
    if (!user) throw new DomainError('NOT_FOUND', `${org} has no user ${name}`);
    if (user.status !== 'ACTIVE') throw new DomainError('CONFLICT', `${name} of ${org} is revoked`);
    return user;
  }

  #expiry(days: number | undefined): string | undefined {
    if (days === undefined) return undefined;
    if (!Number.isInteger(days) || days < 1 || days > 3650)
      throw new DomainError('INVALID', 'expiresInDays must be an integer in 1..3650');
    return new Date(this.now().getTime() + days * DAY_MS).toISOString();
  }

  #org(key: string): NetworkInfo['orgs'][string] {
    const org = this.network.orgs[key];
    if (!org)
      throw new DomainError(
        'NOT_FOUND',
        `unknown organisation ${key} (known: ${Object.keys(this.network.orgs).join(', ')})`,
      );
    return org;
  }
}
