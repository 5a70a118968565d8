import BetterSqlite3 from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Database, Queryable, SqlValue, TransactionStatements, translateError } from './database';

type Params = SqlValue[];

/** Extended result codes of a primary key or unique constraint violation. */
const DUPLICATE_CODES: ReadonlySet<string> = new Set([
  'SQLITE_CONSTRAINT_PRIMARYKEY',
  'SQLITE_CONSTRAINT_UNIQUE',
]);

/** better-sqlite3 binds booleans as numbers only. */
const bindable = (params: readonly SqlValue[]): Params =>
  params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));

/** One better-sqlite3 connection as a Queryable, with its statements prepared once. */
class Connection implements Queryable {
  readonly #statements = new Map<string, BetterSqlite3.Statement>();

  constructor(readonly db: BetterSqlite3.Database) {}

  statement(sql: string): BetterSqlite3.Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  async all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.#translated(() => this.statement(sql).all(...bindable(params)) as T[]);
  }

  async get<T>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return this.#translated(() => this.statement(sql).get(...bindable(params)) as T | undefined);
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.#translated(() => this.statement(sql).run(...bindable(params)).changes);
  }

  #translated<T>(statement: () => T): T {
    try {
      return statement();
    } catch (err) {
      throw translateError(err, DUPLICATE_CODES);
    }
  }
}

/**
 * Embedded SQLite in WAL mode. Two connections: transactions (one at a time, queued) write on one, and reads
 * outside a transaction go to the other, so a read never sees a transaction that has not committed — WAL gives
 * that reader the last committed state while the writer works.
 */
export class SqliteDatabase extends Database {
  readonly dialect = 'sqlite' as const;
  readonly #writer: Connection;
  readonly #reader: Connection;
  /** The tail of the queue of transactions. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(path: string) {
    super();
    const memory = path === ':memory:';
    if (!memory) mkdirSync(dirname(path), { recursive: true });
    const writer = new BetterSqlite3(path);
    writer.pragma('journal_mode = WAL');
    // WAL with synchronous=NORMAL stays consistent after a crash; the last commits may be re-applied from blocks.
    writer.pragma('synchronous = NORMAL');
    writer.pragma('busy_timeout = 5000');
    this.#writer = new Connection(writer);
    // An in-memory database is private to its connection: tests share the one.
    this.#reader = memory ? this.#writer : new Connection(new BetterSqlite3(path, { readonly: false }));
    if (!memory) this.#reader.db.pragma('busy_timeout = 5000');
  }

  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.#reader.all<T>(sql, params);
  }

  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return this.#reader.get<T>(sql, params);
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.transaction((tx) => tx.run(sql, params));
  }

  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const result = this.#queue.then(async () => {
      this.#writer.db.exec('BEGIN IMMEDIATE');
      try {
        const statements = new TransactionStatements(this.#writer);
        const value = await work(statements);
        statements.assertNoFailure();
        this.#writer.db.exec('COMMIT');
        return value;
      } catch (err) {
        if (this.#writer.db.inTransaction) this.#writer.db.exec('ROLLBACK');
        throw err;
      }
    });
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async exec(ddl: string): Promise<void> {
    await this.#queue;
    this.#writer.db.exec(ddl);
  }

  async tryLead(): Promise<boolean> {
    return true;
  }

  protected async lockForMigration(): Promise<void> {
    // BEGIN IMMEDIATE already holds the database's write lock.
  }

  async close(): Promise<void> {
    await this.#queue;
    if (this.#reader !== this.#writer && this.#reader.db.open) this.#reader.db.close();
    if (this.#writer.db.open) this.#writer.db.close();
  }
}
