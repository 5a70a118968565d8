import { KeyVersion, WorldStateReader } from '../replica/world-state';
import { FakeLedger } from './fake-ledger';

/** The fake ledger's committed state as a replica reader: what the replica must answer like. */
export class FakeWorldState implements WorldStateReader {
  constructor(private readonly ledger: FakeLedger) {}

  async get(key: string): Promise<Uint8Array | undefined> {
    return this.ledger.read(key);
  }

  async range(start: string, end: string, limit: number): Promise<{ key: string; value: Uint8Array }[]> {
    return this.ledger
      .keysInRange(start, end, limit)
      .map((key) => ({ key, value: this.ledger.read(key) as Uint8Array }));
  }

  async history(key: string): Promise<KeyVersion[]> {
    return this.ledger.historyOf(key).map((h) => ({
      txId: h.txId,
      timestamp: new Date(h.seconds * 1000 + Math.floor(h.nanos / 1e6)),
      isDelete: h.isDelete,
      value: h.value,
    }));
  }
}
