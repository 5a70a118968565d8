/** A value a statement binds or a row holds: integers come back as numbers, bytes as Buffers. */
export type SqlValue = string | number | bigint | boolean | Uint8Array | null;

/** Statements on one connection: `?` placeholders in either dialect. */
export interface Queryable {
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** A statement that writes; answers how many rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

export type Dialect = 'sqlite' | 'postgres';

/** Column types and expressions that differ between the dialects; everything else is written once. */
export interface DialectTypes {
  /** Raw bytes compared byte by byte (keys that hold U+0000 and must sort as the peer's LevelDB does). */
  bytes: string;
  /** A 64-bit integer. */
  bigint: string;
  /** An auto-incrementing 64-bit primary key column. */
  serialKey: string;
}

const TYPES: Record<Dialect, DialectTypes> = {
  sqlite: { bytes: 'BLOB', bigint: 'INTEGER', serialKey: 'INTEGER PRIMARY KEY AUTOINCREMENT' },
  postgres: { bytes: 'BYTEA', bigint: 'BIGINT', serialKey: 'BIGSERIAL PRIMARY KEY' },
};

/**
 * A write that would give two rows the same primary key (or unique value). Both dialects answer it with this
 * error, and the transaction it ran in leaves nothing behind.
 */
export class DuplicateKeyError extends Error {
  readonly code = 'DUPLICATE_KEY';

  constructor(detail: string, options?: { cause?: unknown }) {
    super(detail, options);
    this.name = 'DuplicateKeyError';
  }
}

/**
 * The database server could not be reached, or dropped the connection: nothing was done by this statement, and
 * the client may try again later (503).
 */
export class DatabaseUnavailableError extends Error {
  readonly code = 'UNAVAILABLE';

  constructor(options?: { cause?: unknown }) {
    super("the gateway's database is not reachable right now; try again shortly", options);
    this.name = 'DatabaseUnavailableError';
  }
}

/** Socket errors, and SQLSTATE classes 08 (connection exception) and 57P (the server shutting down). */
const UNREACHABLE = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|EPIPE|08...|57P0\d)$/;

/** A connection the driver could not make or lost, recognised by its code or the driver's own wording. */
export function isUnreachable(err: unknown): boolean {
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  return (
    (typeof code === 'string' && UNREACHABLE.test(code)) ||
    (typeof message === 'string' &&
      /^Connection terminated|timeout exceeded when trying to connect/.test(message))
  );
}

/**
 * The driver's error as this module's own where it has one: recognised by the driver's code, since the driver's
 * class may not be this realm's `Error` (a native addon keeps the error class of the first realm that loaded it).
 */
export function translateError(err: unknown, duplicateCodes: ReadonlySet<string>): unknown {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && duplicateCodes.has(code))
    return new DuplicateKeyError(String((err as { message?: unknown }).message), { cause: err });
  if (isUnreachable(err)) return new DatabaseUnavailableError({ cause: err });
  return err;
}

/**
 * A transaction's statements. The first statement that fails dooms the transaction even if the work catches the
 * error and goes on: PostgreSQL would otherwise turn the COMMIT into a silent rollback, and SQLite would commit
 * the statements around the failed one.
 */
export class TransactionStatements implements Queryable {
  #failure: { error: unknown } | undefined;

  constructor(private readonly inner: Queryable) {}

  /** Throws the first failure of a statement, if there was one. */
  assertNoFailure(): void {
    if (this.#failure) throw this.#failure.error;
  }

  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.#watch(this.inner.all<T>(sql, params));
  }

  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return this.#watch(this.inner.get<T>(sql, params));
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.#watch(this.inner.run(sql, params));
  }

  async #watch<T>(statement: Promise<T>): Promise<T> {
    try {
      return await statement;
    } catch (err) {
      this.#failure ??= { error: err };
      throw err;
    }
  }
}

/**
 * The gateway's own database: embedded SQLite (one file, WAL) by default, PostgreSQL when DATABASE_URL names
 * one, so several gateway processes of an organisation share it. Statements are written once with `?`
 * placeholders and the column types in `types`; each module creates its own tables through `migrate`.
 *
 * Reads (`all`, `get`) outside a transaction never see another caller's uncommitted writes. A transaction is
 * all-or-nothing and runs on one connection; on SQLite transactions run one at a time. A duplicate key is a
 * DuplicateKeyError on both.
 */
export abstract class Database implements Queryable {
  abstract readonly dialect: Dialect;

  get types(): DialectTypes {
    return TYPES[this.dialect];
  }

  abstract all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  abstract get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  abstract run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  abstract transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs DDL (several statements separated by `;`, no placeholders). */
  abstract exec(ddl: string): Promise<void>;

  /**
   * Takes the named lease for as long as this process lives (or until `close`), if no other process holds it:
   * how one gateway of several sharing a database is chosen to do a job alone (following blocks). SQLite has
   * one process per file, which always leads.
   */
  abstract tryLead(name: string): Promise<boolean>;

  abstract close(): Promise<void>;

  /**
   * Applies a module's schema once per version: `steps[i]` brings `name` from version i to i + 1, each in its
   * own transaction with the version it reaches. Several processes may start at once; one applies each step.
   */
  async migrate(name: string, steps: readonly string[]): Promise<void> {
    await this.exec(
      'CREATE TABLE IF NOT EXISTS schema_versions (name TEXT PRIMARY KEY, version INTEGER NOT NULL)',
    );
    for (;;) {
      const done = await this.transaction(async (tx) => {
        await this.lockForMigration(tx);
        const row = await tx.get<{ version: number }>('SELECT version FROM schema_versions WHERE name = ?', [
          name,
        ]);
        const version = row?.version ?? 0;
        if (version >= steps.length) return true;
        for (const statement of splitStatements(steps[version])) await tx.run(statement);
        await tx.run(
          'INSERT INTO schema_versions (name, version) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET version = excluded.version',
          [name, version + 1],
        );
        return false;
      });
      if (done) return;
    }
  }

  /** Serialises concurrent migrations (PostgreSQL: a transaction-scoped advisory lock). */
  protected abstract lockForMigration(tx: Queryable): Promise<void>;
}

/** Splits DDL at `;` outside quotes. */
export function splitStatements(ddl: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (const ch of ddl) {
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
    } else if (ch === ';') {
      if (current.trim()) out.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

/** `?` placeholders (outside quotes) as PostgreSQL's `$1`, `$2`, …. */
export function numberedPlaceholders(sql: string): string {
  let n = 0;
  let quote: string | undefined;
  let out = '';
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
    } else if (ch === '?') {
      out += `$${++n}`;
      continue;
    }
    out += ch;
  }
  return out;
}
