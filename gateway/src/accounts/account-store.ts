/** A person of an organisation, enrolled at its Fabric CA; `name` is the enrolment ID the ledger records. */
export interface UserRecord {
  org: string;
  name: string;
  gln: string;
  role: string;
  /** May manage the organisation's users over REST. */
  admin: boolean;
  status: 'ACTIVE' | 'REVOKED';
  createdAt: string;
  revokedAt?: string;
  /** When the certificate's revocation reached the channel configuration (the peers refuse it from then). */
  ledgerRevokedAt?: string;
  certPath: string;
  keyPath: string;
}

/** One API key of a user: only its hash is kept. */
export interface KeyRecord {
  id: string;
  org: string;
  user: string;
  hash: string;
  createdAt: string;
  expiresAt?: string;
  revokedAt?: string;
}

/** A user as the outside sees them: never where their certificate and key files are. */
export function publicUser<T extends UserRecord>(user: T): Omit<T, 'certPath' | 'keyPath'> {
  const shown: Partial<T> = { ...user };
  delete shown.certPath;
  delete shown.keyPath;
  return shown as Omit<T, 'certPath' | 'keyPath'>;
}

export type UserWithKeys = UserRecord & { keys: Omit<KeyRecord, 'hash'>[] };

/** A user may hold this many usable keys: one in use and its replacement during a rotation. */
export const MAX_ACTIVE_KEYS = 2;

export const isUsable = (key: Pick<KeyRecord, 'revokedAt' | 'expiresAt'>, now: string): boolean =>
  !key.revokedAt && (!key.expiresAt || key.expiresAt > now);

export class DuplicateUserError extends Error {}
export class KeyRefusedError extends Error {}

/**
 * Where users and their key hashes live: the gateway's database (sql-account-store.ts). Every method that
 * writes is atomic: a refused write leaves nothing behind.
 */
export abstract class AccountStore {
  abstract findUser(org: string, name: string): Promise<UserRecord | undefined>;
  abstract listUsers(org: string): Promise<UserWithKeys[]>;
  /** Adds the user with its first key; DuplicateUserError if the organisation already has that name. */
  abstract addUser(user: UserRecord, key: KeyRecord): Promise<void>;
  /** Adds a key to an active user; KeyRefusedError if it already holds MAX_ACTIVE_KEYS usable keys at `now`. */
  abstract addKey(key: KeyRecord, now: string): Promise<void>;
  /** The key with this public id and its user, whatever their state. */
  abstract findKey(id: string): Promise<{ key: KeyRecord; user: UserRecord } | undefined>;
  /** Marks the user revoked and revokes all its keys; false if there is no such user. */
  abstract revokeUser(org: string, name: string, at: string): Promise<boolean>;
  abstract revokeKey(org: string, name: string, id: string, at: string): Promise<boolean>;
  abstract markLedgerRevoked(org: string, name: string, at: string): Promise<void>;
}
