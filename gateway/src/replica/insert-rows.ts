import { Queryable, SqlValue } from '../database/database';

/** The most parameters one INSERT binds: far below what either dialect takes (SQLite 32,766, PostgreSQL 65,535). */
const MAX_PARAMS = 4096;

/** The largest power of two not above n (n >= 1). */
const powerOfTwoAtMost = (n: number): number => 2 ** Math.floor(Math.log2(n));

/**
 * Writes many rows with few statements: `INSERT INTO <into> VALUES (…), (…) <tail>`, each row's parameters one
 * entry of `rows`, every row as long. A statement takes a power-of-two count of rows within the parameter bound, so
 * one table's statements come in at most a dozen shapes (SQLite prepares each once) and any count is at most a
 * dozen statements past the full ones. Rows that would upsert one key twice must not share a call: PostgreSQL
 * refuses a statement that updates a row twice.
 */
export async function insertRows(
  tx: Queryable,
  into: string,
  rows: readonly (readonly SqlValue[])[],
  tail = '',
): Promise<void> {
  if (!rows.length) return;
  const placeholders = `(${rows[0].map(() => '?').join(', ')})`;
  const most = powerOfTwoAtMost(MAX_PARAMS / rows[0].length);
  for (let at = 0; at < rows.length;) {
    const count = Math.min(most, powerOfTwoAtMost(rows.length - at));
    await tx.run(
      `INSERT INTO ${into} VALUES ${Array<string>(count).fill(placeholders).join(', ')} ${tail}`,
      rows.slice(at, at + count).flat(),
    );
    at += count;
  }
}
