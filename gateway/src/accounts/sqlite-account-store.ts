import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  AccountStore,
  DuplicateUserError,
  isUsable,
  KeyRecord,
  MAX_ACTIVE_KEYS,
  TooManyKeysError,
  UserRecord,
  UserWithKeys,
} from './account-store';

interface UserRow {
  org: string;
  name: string;
  gln: string;
  role: string;
  admin: number;
  status: 'ACTIVE' | 'REVOKED';
  created_at: string;
  revoked_at: string | null;
  ledger_revoked_at: string | null;
  cert_path: string;
  key_path: string;
}

interface KeyRow {
  id: string;
  org: string;
  user: string;
  hash: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

const toUser = (r: UserRow): UserRecord => ({
  org: r.org,
  name: r.name,
  gln: r.gln,
  role: r.role,
  admin: r.admin === 1,
  status: r.status,
  createdAt: r.created_at,
  revokedAt: r.revoked_at ?? undefined,
  ledgerRevokedAt: r.ledger_revoked_at ?? undefined,
  certPath: r.cert_path,
  keyPath: r.key_path,
});

const toKey = (r: KeyRow): KeyRecord => ({
  id: r.id,
  org: r.org,
  user: r.user,
  hash: r.hash,
  createdAt: r.created_at,
  expiresAt: r.expires_at ?? undefined,
  revokedAt: r.revoked_at ?? undefined,
});

/**
 * Users and key hashes in one SQLite file (`.drugtrace/gateway/accounts.sqlite`), apart from the block index:
 * the index can be rebuilt from the ledger, accounts cannot. WAL lets the `user:*` commands write while the
 * gateway reads; a key is found by its public id (primary key), never by a scan.
 */
export class SqliteAccountStore extends AccountStore {
  readonly #db: Database.Database;

  constructor(path: string) {
    super();
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.pragma('foreign_keys = ON');
    this.#db.exec(`
      CREATE TABLE IF NOT EXISTS users (
        org TEXT NOT NULL,
        name TEXT NOT NULL,
        gln TEXT NOT NULL,
        role TEXT NOT NULL,
        admin INTEGER NOT NULL,
        status TEXT NOT NULL,
        created_at TEXT NOT NULL,
        revoked_at TEXT,
        ledger_revoked_at TEXT,
        cert_path TEXT NOT NULL,
        key_path TEXT NOT NULL,
        PRIMARY KEY (org, name));
      CREATE TABLE IF NOT EXISTS api_keys (
        id TEXT PRIMARY KEY,
        org TEXT NOT NULL,
        user TEXT NOT NULL,
        hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT,
        revoked_at TEXT,
        FOREIGN KEY (org, user) REFERENCES users (org, name));
      CREATE INDEX IF NOT EXISTS api_keys_user ON api_keys (org, user);`);
  }

  findUser(org: string, name: string): Promise<UserRecord | undefined> {
    const row = this.#db
      .prepare<[string, string], UserRow>('SELECT * FROM users WHERE org = ? AND name = ?')
      .get(org, name);
    return Promise.resolve(row && toUser(row));
  }

  listUsers(org: string): Promise<UserWithKeys[]> {
    const users = this.#db
      .prepare<[string], UserRow>('SELECT * FROM users WHERE org = ? ORDER BY name')
      .all(org);
    const keys = this.#db
      .prepare<[string], KeyRow>('SELECT * FROM api_keys WHERE org = ? ORDER BY created_at')
      .all(org)
      .map(toKey);
    return Promise.resolve(
      users.map((u) => ({
        ...toUser(u),
        keys: keys.filter((k) => k.user === u.name).map(({ hash: _hash, ...key }) => key),
      })),
    );
  }

  addUser(user: UserRecord, key: KeyRecord): Promise<void> {
    const insert = this.#db.transaction(() => {
      if (this.#db.prepare('SELECT 1 FROM users WHERE org = ? AND name = ?').get(user.org, user.name))
        throw new DuplicateUserError(`${user.org} already has a user ${user.name}`);
      this.#db
        .prepare(
          `INSERT INTO users (org, name, gln, role, admin, status, created_at, cert_path, key_path)
           VALUES (?, ?, ?, ?, ?, 'ACTIVE', ?, ?, ?)`,
        )
        .run(
          user.org,
          user.name,
          user.gln,
          user.role,
          user.admin ? 1 : 0,
          user.createdAt,
          user.certPath,
          user.keyPath,
        );
      this.#insertKey(key);
    });
    return Promise.resolve().then(() => insert.immediate());
  }

  addKey(key: KeyRecord, now: string): Promise<void> {
    const insert = this.#db.transaction(() => {
      const keys = this.#db
        .prepare<[string, string], KeyRow>('SELECT * FROM api_keys WHERE org = ? AND user = ?')
        .all(key.org, key.user)
        .map(toKey);
      if (keys.filter((k) => isUsable(k, now)).length >= MAX_ACTIVE_KEYS)
        throw new TooManyKeysError(
          `${key.user} already holds ${MAX_ACTIVE_KEYS} usable keys; revoke one before issuing another`,
        );
      this.#insertKey(key);
    });
    return Promise.resolve().then(() => insert.immediate());
  }

  findKey(id: string): Promise<{ key: KeyRecord; user: UserRecord } | undefined> {
    const key = this.#db.prepare<[string], KeyRow>('SELECT * FROM api_keys WHERE id = ?').get(id);
    if (!key) return Promise.resolve(undefined);
    const user = this.#db
      .prepare<[string, string], UserRow>('SELECT * FROM users WHERE org = ? AND name = ?')
      .get(key.org, key.user);
    return Promise.resolve(user && { key: toKey(key), user: toUser(user) });
  }

  revokeUser(org: string, name: string, at: string): Promise<boolean> {
    const revoke = this.#db.transaction(() => {
      const changed = this.#db
        .prepare(
          `UPDATE users SET status = 'REVOKED', revoked_at = COALESCE(revoked_at, ?) WHERE org = ? AND name = ?`,
        )
        .run(at, org, name).changes;
      this.#db
        .prepare('UPDATE api_keys SET revoked_at = ? WHERE org = ? AND user = ? AND revoked_at IS NULL')
        .run(at, org, name);
      return changed > 0;
    });
    return Promise.resolve().then(() => revoke.immediate());
  }

  revokeKey(org: string, name: string, id: string, at: string): Promise<boolean> {
    const changed = this.#db
      .prepare(
        'UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? AND org = ? AND user = ?',
      )
      .run(at, id, org, name).changes;
    return Promise.resolve(changed > 0);
  }

  markLedgerRevoked(org: string, name: string, at: string): Promise<void> {
    this.#db.prepare('UPDATE users SET ledger_revoked_at = ? WHERE org = ? AND name = ?').run(at, org, name);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.#db.close();
    return Promise.resolve();
  }

  #insertKey(key: KeyRecord): void {
    this.#db
      .prepare('INSERT INTO api_keys (id, org, user, hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(key.id, key.org, key.user, key.hash, key.createdAt, key.expiresAt ?? null);
  }
}
