import { invalidFields } from '../../common/validation';

/** The lists that page, each with the sort key a cursor carries: the last row's. */
export interface CursorKeys {
  /** Newest first, then by id: [createdAt, id]. */
  shipments: [createdAt: string, id: string];
  /** The chaincode's alert key: [inverted milliseconds, tx id], newest first. */
  alerts: [inverted: string, txId: string];
}
export type ListName = keyof CursorKeys;

/** A sort-key part longer than this was not written by the chaincode (ids are 64 hex, times ISO 8601). */
const MAX_PART = 128;

/**
 * The opaque cursor of a page's `next`: which list it pages and the sort key of the page's last row, as
 * base64url JSON. It holds no offset, so a page after writes starts exactly after the row the client last saw.
 */
export function encodeCursor<L extends ListName>(list: L, key: CursorKeys[L]): string {
  return Buffer.from(JSON.stringify([list, ...key]), 'utf8').toString('base64url');
}

/** The sort key a cursor of `list` carries; a cursor this gateway did not give for that list is a 400. */
export function decodeCursor<L extends ListName>(list: L, cursor: string): CursorKeys[L] {
  let parts: unknown;
  try {
    if (!/^[A-Za-z0-9_-]{1,512}$/.test(cursor)) throw new Error('not base64url');
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parts = undefined;
  }
  if (
    !Array.isArray(parts) ||
    parts.length !== 3 ||
    parts[0] !== list ||
    !parts.slice(1).every((p) => typeof p === 'string' && p.length > 0 && p.length <= MAX_PART)
  )
    throw invalidFields(
      [{ field: 'cursor', messages: [`cursor is not the next cursor of a ${list} page`] }],
      1,
    );
  return parts.slice(1) as CursorKeys[L];
}
