import { Database, Queryable } from '../database/database';
import {
  AccountStore,
  DuplicateUserError,
  isUsable,
  KeyRecord,
  MAX_ACTIVE_KEYS,
  KeyRefusedError,
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
  user_name: string;
  hash: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

/** A key's own dates, named apart from its user's in a row joining both. */
interface KeyDates {
  key_created_at: string;
  key_revoked_at: string | null;
}

const SCHEMA = [
  `CREATE TABLE account_users (
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
   CREATE TABLE account_keys (
     id TEXT PRIMARY KEY,
     org TEXT NOT NULL,
     user_name TEXT NOT NULL,
     hash TEXT NOT NULL,
     created_at TEXT NOT NULL,
     expires_at TEXT,
     revoked_at TEXT,
     FOREIGN KEY (org, user_name) REFERENCES account_users (org, name));
   CREATE INDEX account_keys_user ON account_keys (org, user_name)`,
];

const toUser = (r: UserRow): UserRecord => ({
  org: r.org,
  name: r.name,
  gln: r.gln,
  role: r.role,
  admin: Number(r.admin) === 1,
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
  user: r.user_name,
  hash: r.hash,
  createdAt: r.created_at,
  expiresAt: r.expires_at ?? undefined,
  revokedAt: r.revoked_at ?? undefined,
});

const insertKey = (tx: Queryable, key: KeyRecord): Promise<number> =>
  tx.run(
    'INSERT INTO account_keys (id, org, user_name, hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
    [key.id, key.org, key.user, key.hash, key.createdAt, key.expiresAt ?? null],
  );

/**
 * Users and key hashes in the gateway's database (gateway/src/database: embedded SQLite by default, PostgreSQL
 * when DATABASE_URL is set), written once for both. A key is found by its public id (the primary key), never
 * by a scan. Every write is one transaction.
 */
export class SqlAccountStore extends AccountStore {
  private constructor(private readonly db: Database) {
    super();
  }

  static async open(db: Database): Promise<SqlAccountStore> {
    await db.migrate('accounts', SCHEMA);
    return new SqlAccountStore(db);
  }

  async findUser(org: string, name: string): Promise<UserRecord | undefined> {
    const row = await this.db.get<UserRow>('SELECT * FROM account_users WHERE org = ? AND name = ?', [
      org,
      name,
    ]);
    return row && toUser(row);
  }

  async listUsers(org: string): Promise<UserWithKeys[]> {
    const users = await this.db.all<UserRow>('SELECT * FROM account_users WHERE org = ? ORDER BY name', [
      org,
    ]);
    const keys = (
      await this.db.all<KeyRow>('SELECT * FROM account_keys WHERE org = ? ORDER BY created_at, id', [org])
    ).map(toKey);
    return users.map((u) => ({
      ...toUser(u),
      keys: keys.filter((k) => k.user === u.name).map(({ hash: _hash, ...key }) => key),
    }));
  }

  async addUser(user: UserRecord, key: KeyRecord): Promise<void> {
    await this.db.transaction(async (tx) => {
      // ON CONFLICT DO NOTHING: of two concurrent additions of one name, the second changes no row.
      const added = await tx.run(
        `INSERT INTO account_users (org, name, gln, role, admin, status, created_at, cert_path, key_path)
         VALUES (?, ?, ?, ?, ?, 'ACTIVE', ?, ?, ?) ON CONFLICT (org, name) DO NOTHING`,
        [
          user.org,
          user.name,
          user.gln,
          user.role,
          user.admin ? 1 : 0,
          user.createdAt,
          user.certPath,
          user.keyPath,
        ],
      );
      if (added === 0) throw new DuplicateUserError(`${user.org} already has a user ${user.name}`);
      await insertKey(tx, key);
    });
  }

  async addKey(key: KeyRecord, now: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      // Touching the user's row locks it (PostgreSQL) until commit: two rotations at once count one after the other.
      const active = await tx.run(
        "UPDATE account_users SET status = status WHERE org = ? AND name = ? AND status = 'ACTIVE'",
        [key.org, key.user],
      );
      if (active === 0) throw new KeyRefusedError(`${key.user} of ${key.org} is not an active user`);
      const keys = (
        await tx.all<KeyRow>('SELECT * FROM account_keys WHERE org = ? AND user_name = ?', [
          key.org,
          key.user,
        ])
      ).map(toKey);
      if (keys.filter((k) => isUsable(k, now)).length >= MAX_ACTIVE_KEYS)
        throw new KeyRefusedError(
          `${key.user} already holds ${MAX_ACTIVE_KEYS} usable keys; revoke one before issuing another`,
        );
      await insertKey(tx, key);
    });
  }

  /** One statement (every authenticated request runs it): the key and its user as one committed state. */
  async findKey(id: string): Promise<{ key: KeyRecord; user: UserRecord } | undefined> {
    const row = await this.db.get<UserRow & Omit<KeyRow, 'created_at' | 'revoked_at'> & KeyDates>(
      `SELECT k.id, k.user_name, k.hash, k.created_at AS key_created_at, k.expires_at,
         k.revoked_at AS key_revoked_at, u.*
       FROM account_keys k JOIN account_users u ON u.org = k.org AND u.name = k.user_name WHERE k.id = ?`,
      [id],
    );
    return (
      row && {
        key: toKey({ ...row, created_at: row.key_created_at, revoked_at: row.key_revoked_at }),
        user: toUser(row),
      }
    );
  }

  revokeUser(org: string, name: string, at: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const changed = await tx.run(
        "UPDATE account_users SET status = 'REVOKED', revoked_at = COALESCE(revoked_at, ?) WHERE org = ? AND name = ?",
        [at, org, name],
      );
      await tx.run(
        'UPDATE account_keys SET revoked_at = ? WHERE org = ? AND user_name = ? AND revoked_at IS NULL',
        [at, org, name],
      );
      return changed > 0;
    });
  }

  async revokeKey(org: string, name: string, id: string, at: string): Promise<boolean> {
    const changed = await this.db.run(
      'UPDATE account_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? AND org = ? AND user_name = ?',
      [at, id, org, name],
    );
    return changed > 0;
  }

  async markLedgerRevoked(org: string, name: string, at: string): Promise<void> {
    await this.db.run('UPDATE account_users SET ledger_revoked_at = ? WHERE org = ? AND name = ?', [
      at,
      org,
      name,
    ]);
  }
}
