import { Pool, PoolClient, QueryResult, types } from 'pg';
import {
  Database,
  numberedPlaceholders,
  Queryable,
  SqlValue,
  TransactionStatements,
  translateError,
} from './database';

// 64-bit integers (counts, block numbers) as numbers, as SQLite gives them: block heights stay far below 2^53.
types.setTypeParser(types.builtins.INT8, (value) => Number(value));

/** SQLSTATE unique_violation (a primary key is a unique constraint). */
const DUPLICATE_CODES: ReadonlySet<string> = new Set(['23505']);

const CONNECT_TIMEOUT_MS = 5000;

/** A lease name as the 64-bit key pg_try_advisory_lock takes. */
const LEASE_SQL = 'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS led';

class Client implements Queryable {
  constructor(private readonly client: Pool | PoolClient) {}

  async all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return (await this.#query(sql, params)).rows as T[];
  }

  async get<T>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return (await this.#query(sql, params)).rowCount ?? 0;
  }

  async #query(sql: string, params: readonly SqlValue[]): Promise<QueryResult> {
    try {
      return await this.client.query(numberedPlaceholders(sql), params as unknown[]);
    } catch (err) {
      throw translateError(err, DUPLICATE_CODES);
    }
  }
}

/**
 * PostgreSQL through a connection pool. Leases are session advisory locks held on a connection of their own,
 * so they end when this process ends or loses its connection, and another process can take them over.
 */
export class PostgresDatabase extends Database {
  readonly dialect = 'postgres' as const;
  readonly #pool: Pool;
  readonly #pooled: Client;
  readonly #leases = new Map<string, PoolClient>();

  constructor(url: string, poolSize = 10) {
    super();
    // Named by process, so pg_stat_activity (and pg_locks with it) shows which process holds a lease.
    this.#pool = new Pool({
      connectionString: url,
      max: poolSize,
      application_name: `drugtrace-${process.pid}`,
      // A server that does not answer is a 503 within seconds, not a request hanging until the client gives up.
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    });
    // An idle connection that dies (the server restarted) must not take the process down.
    this.#pool.on('error', () => undefined);
    this.#pooled = new Client(this.#pool);
  }

  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.#pooled.all<T>(sql, params);
  }

  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return this.#pooled.get<T>(sql, params);
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.#pooled.run(sql, params);
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect().catch((err: unknown) => {
      throw translateError(err, DUPLICATE_CODES);
    });
    try {
      await client.query('BEGIN');
      const statements = new TransactionStatements(new Client(client));
      const value = await work(statements);
      statements.assertNoFailure();
      await client.query('COMMIT');
      return value;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async exec(ddl: string): Promise<void> {
    await this.#pool.query(ddl);
  }

  async tryLead(name: string): Promise<boolean> {
    const held = this.#leases.get(name);
    if (held) {
      // Still ours while the connection that holds it answers.
      const alive = await held.query('SELECT 1').then(
        () => true,
        () => false,
      );
      if (alive) return true;
      this.#leases.delete(name);
      held.release(true);
    }
    const client = await this.#pool.connect();
    client.on('error', () => undefined);
    const { rows } = await client.query<{ led: boolean }>(LEASE_SQL, [name]).catch(() => ({ rows: [] }));
    if (rows[0]?.led) {
      this.#leases.set(name, client);
      return true;
    }
    client.release();
    return false;
  }

  protected async lockForMigration(tx: Queryable): Promise<void> {
    await tx.get("SELECT pg_advisory_xact_lock(hashtextextended('schema_versions', 0))");
  }

  async close(): Promise<void> {
    for (const client of this.#leases.values()) client.release(true);
    this.#leases.clear();
    await this.#pool.end();
  }
}
