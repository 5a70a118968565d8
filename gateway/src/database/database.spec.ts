import { DIALECTS, TestDatabase } from '../../test/databases';
import { createServer, AddressInfo } from 'node:net';
import {
  Database,
  DatabaseUnavailableError,
  DuplicateKeyError,
  numberedPlaceholders,
  Queryable,
  splitStatements,
} from './database';
import { PostgresDatabase } from './postgres-database';

// A real server and files on a shared, busy machine: allow more than jest's 5 s.
jest.setTimeout(30_000);

describe('placeholders and statements', () => {
  it('numbers ? placeholders outside quotes for PostgreSQL', () => {
    expect(numberedPlaceholders('SELECT ? , \'?\' , "a?" , ?')).toBe('SELECT $1 , \'?\' , "a?" , $2');
  });

  it('splits DDL at semicolons outside quotes', () => {
    expect(splitStatements("CREATE TABLE a (x TEXT DEFAULT ';'); CREATE INDEX b ON a (x);  ")).toEqual([
      "CREATE TABLE a (x TEXT DEFAULT ';')",
      'CREATE INDEX b ON a (x)',
    ]);
  });
});

describe.each(DIALECTS)('Database on %s', (name, create) => {
  let server: TestDatabase;
  let db: Database;
  const opened: Database[] = [];
  const open = (): Database => {
    const another = server.open();
    opened.push(another);
    return another;
  };

  beforeEach(async () => {
    server = await create();
    db = open();
    await db.migrate('test', [
      `CREATE TABLE items (k ${db.types.bytes} PRIMARY KEY, n ${db.types.bigint} NOT NULL)`,
    ]);
  });

  afterEach(async () => {
    for (const d of opened.splice(0)) await d.close();
    await server.drop();
  });

  it('stores bytes and 64-bit integers and reads them back as Buffers and numbers', async () => {
    const key = Buffer.from('\u0000unit\u0000g\u0000', 'utf8');
    expect(await db.run('INSERT INTO items (k, n) VALUES (?, ?)', [key, 2 ** 40])).toBe(1);
    const row = await db.get<{ k: Buffer; n: number }>('SELECT k, n FROM items WHERE k = ?', [key]);
    expect(row).toEqual({ k: key, n: 2 ** 40 });
    expect(await db.get('SELECT k FROM items WHERE k = ?', [Buffer.from('x')])).toBeUndefined();
  });

  it('orders byte keys as unsigned bytes (the peer’s key order)', async () => {
    const keys = ['\u0000b', 'a', '\u{10ffff}', 'é', '\u0000a\u0000z'];
    for (const [i, k] of keys.entries())
      await db.run('INSERT INTO items (k, n) VALUES (?, ?)', [Buffer.from(k), i]);
    const rows = await db.all<{ k: Buffer }>('SELECT k FROM items ORDER BY k');
    expect(rows.map((r) => r.k.toString('utf8'))).toEqual([
      '\u0000a\u0000z',
      '\u0000b',
      'a',
      'é',
      '\u{10ffff}',
    ]);
  });

  it('commits a transaction whole, or on an error leaves nothing of it', async () => {
    await db.transaction(async (tx) => {
      await tx.run('INSERT INTO items (k, n) VALUES (?, ?)', [Buffer.from('a'), 1]);
      await tx.run('INSERT INTO items (k, n) VALUES (?, ?)', [Buffer.from('b'), 2]);
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.run('INSERT INTO items (k, n) VALUES (?, ?)', [Buffer.from('c'), 3]);
        throw new Error('the work fails half-way');
      }),
    ).rejects.toThrow('the work fails half-way');
    const rows = await db.all<{ n: number }>('SELECT n FROM items ORDER BY n');
    expect(rows.map((r) => r.n)).toEqual([1, 2]);
  });

  describe('a duplicate primary key', () => {
    const insert = (q: Queryable, k: string, n: number) =>
      q.run('INSERT INTO items (k, n) VALUES (?, ?)', [Buffer.from(k), n]);
    const numbers = async () =>
      (await db.all<{ n: number }>('SELECT n FROM items ORDER BY n')).map((r) => r.n);

    beforeEach(async () => {
      await insert(db, 'a', 1);
    });

    it('is refused as DuplicateKeyError outside a transaction, and the row keeps its value', async () => {
      const refused = insert(db, 'a', 2);
      await expect(refused).rejects.toBeInstanceOf(DuplicateKeyError);
      await expect(refused).rejects.toMatchObject({ code: 'DUPLICATE_KEY' });
      expect(await numbers()).toEqual([1]);
    });

    it('fails its transaction, and nothing of the transaction is written', async () => {
      await expect(
        db.transaction(async (tx) => {
          await insert(tx, 'c', 3);
          await insert(tx, 'a', 4);
        }),
      ).rejects.toBeInstanceOf(DuplicateKeyError);
      expect(await numbers()).toEqual([1]);
    });

    it('fails its transaction even when the work catches the error and goes on', async () => {
      await expect(
        db.transaction(async (tx) => {
          await insert(tx, 'c', 3);
          await insert(tx, 'a', 4).catch(() => undefined);
          return 'done';
        }),
      ).rejects.toBeInstanceOf(DuplicateKeyError);
      expect(await numbers()).toEqual([1]);
      // The database takes the next transaction as usual.
      await db.transaction((tx) => insert(tx, 'd', 5));
      expect(await numbers()).toEqual([1, 5]);
    });
  });

  it('never shows a read what a transaction has not committed yet', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted: () => void = () => undefined;
    const written = new Promise<void>((resolve) => (inserted = resolve));
    const writing = db.transaction(async (tx) => {
      await tx.run('INSERT INTO items (k, n) VALUES (?, ?)', [Buffer.from('a'), 1]);
      expect(await tx.get('SELECT n FROM items')).toEqual({ n: 1 }); // the transaction sees its own write
      inserted();
      await held;
    });
    await written;
    expect(await db.all('SELECT n FROM items')).toEqual([]);
    expect(await open().all('SELECT n FROM items')).toEqual([]);
    release();
    await writing;
    expect(await db.all('SELECT n FROM items')).toEqual([{ n: 1 }]);
  });

  it('applies each migration step once (PostgreSQL: also when two processes start together)', async () => {
    const steps = ['CREATE TABLE once (x INTEGER)', 'ALTER TABLE once ADD COLUMN y INTEGER'];
    // One SQLite file has one gateway process: a second one in this process would wait on itself.
    if (name === 'PostgreSQL')
      await Promise.all([db.migrate('twice', steps), open().migrate('twice', steps)]);
    else await db.migrate('twice', steps);
    await db.migrate('twice', steps);
    await db.run('INSERT INTO once (x, y) VALUES (?, ?)', [1, 2]);
    expect(await db.get('SELECT version FROM schema_versions WHERE name = ?', ['twice'])).toEqual({
      version: 2,
    });
  });
});

describe('leases on PostgreSQL: one of several gateway processes leads', () => {
  let server: TestDatabase;

  beforeEach(async () => {
    server = await DIALECTS[1][1]();
  });

  afterEach(() => server.drop());

  it('grants a lease to one process at a time, and to another once its holder is gone', async () => {
    const first = server.open();
    const second = server.open();
    expect(await first.tryLead('follower')).toBe(true);
    expect(await first.tryLead('follower')).toBe(true); // still its own
    expect(await second.tryLead('follower')).toBe(false);
    expect(await second.tryLead('another job')).toBe(true);
    await first.close();
    expect(await second.tryLead('follower')).toBe(true);
    await second.close();
  });
});

describe('PostgreSQL out of reach', () => {
  it('is DatabaseUnavailableError (a 503), for a statement and for a transaction', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve())); // nothing listens there now
    const db = new PostgresDatabase(`postgres://nobody@127.0.0.1:${port}/none`);
    try {
      await expect(db.get('SELECT 1')).rejects.toBeInstanceOf(DatabaseUnavailableError);
      await expect(db.transaction((tx) => tx.get('SELECT 1'))).rejects.toBeInstanceOf(
        DatabaseUnavailableError,
      );
    } finally {
      await db.close();
    }
  });
});
