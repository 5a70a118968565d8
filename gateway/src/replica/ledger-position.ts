import { AsyncLocalStorage } from 'node:async_hooks';

/** What one request asked of the ledger's position and what it read or wrote at. */
export interface LedgerPosition {
  /** X-Min-Block: the block the answer must reflect at least. */
  minBlock?: number;
  /** The block the answer reflects (a read) or its transaction committed in (a write): X-Ledger-Block. */
  block?: number;
}

const positions = new AsyncLocalStorage<LedgerPosition>();

/** Runs a request's handling with its own position. */
export function withLedgerPosition<T>(position: LedgerPosition, run: () => T): T {
  return positions.run(position, run);
}

/** The current request's position; undefined outside a request (the block follower, start-up). */
export function ledgerPosition(): LedgerPosition | undefined {
  return positions.getStore();
}

/** Records the block an answer rests on; of several reads and writes in one request, the newest counts. */
export function noteLedgerBlock(block: number): void {
  const position = positions.getStore();
  if (position && (position.block === undefined || block > position.block)) position.block = block;
}
