/** One committed version of a key, as the peer's history database keeps it. */
export interface KeyVersion {
  txId: string;
  timestamp: Date;
  isDelete: boolean;
  value: Uint8Array;
}

/**
 * Read access to a copy of the chaincode's committed world state at one block height, keyed exactly as the
 * chaincode keys it (composite keys with their U+0000 separators). The gateway's replica implements it.
 */
export interface WorldStateReader {
  /** The committed value, or undefined when the key does not exist. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Keys in [start, end) in the peer's order (UTF-8 bytes), at most `limit` of them. */
  range(start: string, end: string, limit: number): Promise<{ key: string; value: Uint8Array }[]>;
  /** Every committed version of the key, oldest first. */
  history(key: string): Promise<KeyVersion[]>;
}
