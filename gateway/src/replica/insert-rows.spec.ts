import { DIALECTS, TestDatabase } from '../../test/databases';
import { Database, Queryable, SqlValue } from '../database/database';
import { insertRows } from './insert-rows';

jest.setTimeout(60_000);

describe.each(DIALECTS)('insertRows on %s', (_name, create) => {
  let server: TestDatabase;
  let db: Database;
  beforeEach(async () => {
    server = await create();
    db = server.open();
    await db.exec(
      'CREATE TABLE t (k TEXT PRIMARY KEY, a TEXT, b INTEGER, c TEXT, d TEXT, e TEXT, f TEXT, g TEXT)',
    );
  });
  afterEach(async () => {
    await db.close();
    await server.drop();
  });

  /** Runs insertRows in a transaction; answers the statements' row counts, in order. */
  const insert = async (rows: SqlValue[][], tail = '') => {
    const statements: number[] = [];
    await db.transaction((tx) => {
      const counting: Queryable = {
        all: (sql, params) => tx.all(sql, params),
        get: (sql, params) => tx.get(sql, params),
        run: (sql, params) => {
          statements.push((params ?? []).length / 8);
          return tx.run(sql, params);
        },
      };
      return insertRows(counting, 't (k, a, b, c, d, e, f, g)', rows, tail);
    });
    return statements;
  };
  const row = (i: number, a = 'x'): SqlValue[] => [`k${i}`, a, i, null, 'd', 'e', 'f', 'g'];

  it('writes every row, in power-of-two statements of at most 4,096 parameters', async () => {
    const rows = Array.from({ length: 1300 }, (_, i) => row(i));
    expect(await insert(rows)).toEqual([512, 512, 256, 16, 4]);
    const stored = await db.all<{ k: string; b: number; c: null }>('SELECT k, b, c FROM t ORDER BY b');
    expect(stored).toHaveLength(1300);
    expect(stored[1299]).toEqual({ k: 'k1299', b: 1299, c: null });
    expect(await insert([])).toEqual([]);
  });

  it('applies its tail to every statement (an upsert), and a failing row writes nothing of the call', async () => {
    await insert([row(1), row(2)]);
    await insert(
      Array.from({ length: 3 }, (_, i) => row(i + 1, 'new')),
      'ON CONFLICT (k) DO UPDATE SET a = excluded.a',
    );
    expect(await db.all('SELECT k, a FROM t ORDER BY k')).toEqual([
      { k: 'k1', a: 'new' },
      { k: 'k2', a: 'new' },
      { k: 'k3', a: 'new' },
    ]);
    // k1 again without the upsert: a duplicate key, and the transaction leaves nothing.
    await expect(insert([row(9), row(1)])).rejects.toThrow();
    expect(await db.get('SELECT k FROM t WHERE k = ?', ['k9'])).toBeUndefined();
  });
});
