import { DomainError } from '@drugtrace/chaincode/domain';

/** The longest cursor a list accepts: a few keys, base64url-encoded. */
const MAX_CURSOR_LENGTH = 400;

/** A page's continuation: the last row's keys, opaque to clients (base64url of a JSON array of strings). */
export function encodeCursor(keys: readonly string[]): string {
  return Buffer.from(JSON.stringify(keys), 'utf8').toString('base64url');
}

/** The keys a cursor from encodeCursor carries (`arity` of them), or INVALID for anything else. */
export function decodeCursor(cursor: string, arity: number): string[] {
  const invalid = () => new DomainError('INVALID', 'cursor is not one this list gave out');
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let keys: unknown;
  try {
    keys = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(keys) || keys.length !== arity || !keys.every((k) => typeof k === 'string' && k !== ''))
    throw invalid();
  return keys as string[];
}
