import { ChaincodeEvent } from '@hyperledger/fabric-gateway';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, take, toArray } from 'rxjs';
import { AppConfig } from '../config/app-config';
import { LedgerClient } from '../fabric/ledger-client';
import { EventListener } from './event-listener';
import { EventStore } from './event-store';

const encoder = new TextEncoder();
const chaincodeEvent = (block: number, txId: string, type: string): ChaincodeEvent => ({
  blockNumber: BigInt(block),
  transactionId: txId,
  chaincodeName: 'drugtrace',
  eventName: type,
  payload: encoder.encode(JSON.stringify({ type, txId, at: '2026-11-01T09:00:00.000Z' })),
});

/** A Fabric network whose chaincode-event stream delivers `events` from the requested block, then stays open. */
function networkDelivering(events: ChaincodeEvent[]) {
  const getChaincodeEvents = jest.fn(async (_name: string, options: { startBlock: bigint }) => {
    let close: () => void = () => undefined;
    const closed = new Promise<void>((resolve) => (close = resolve));
    return {
      close,
      async *[Symbol.asyncIterator]() {
        yield* events.filter((e) => e.blockNumber >= options.startBlock);
        await closed;
      },
    };
  });
  return { getChaincodeEvents };
}

describe(EventStore.name, () => {
  let dir: string;
  let path: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'drugtrace-index-'));
    path = join(dir, 'index.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('applies an event once and moves the checkpoint to its block', () => {
    const sut = new EventStore(path);
    const first = sut.apply({ block: 5, txId: 'tx-a', type: 'COMMISSIONED', payload: {} });
    expect(first).toMatchObject({ id: 1, block: 5, txId: 'tx-a' });
    expect(sut.apply({ block: 5, txId: 'tx-a', type: 'COMMISSIONED', payload: {} })).toBeUndefined();
    expect(sut.checkpoint).toBe(5);
    expect(sut.since(0)).toHaveLength(1);
    sut.close();
  });

  it('never moves the checkpoint backwards', () => {
    const sut = new EventStore(path);
    sut.apply({ block: 9, txId: 'tx-b', type: 'SHIPPED', payload: {} });
    sut.apply({ block: 7, txId: 'tx-a', type: 'COMMISSIONED', payload: {} });
    expect(sut.checkpoint).toBe(9);
    sut.close();
  });

  it('answers block numbers of indexed transactions', () => {
    const sut = new EventStore(path);
    sut.apply({ block: 12, txId: 'tx-c', type: 'RECEIVED', payload: {} });
    expect(sut.blockOf('tx-c')).toBe(12);
    expect(sut.blockOf('tx-unknown')).toBeUndefined();
    sut.close();
  });

  it('filters and pages by position', () => {
    const sut = new EventStore(':memory:');
    ['COMMISSIONED', 'RECALLED', 'ALERT', 'RECALLED'].forEach((type, i) =>
      sut.apply({ block: i, txId: `t${i}`, type, payload: {} }),
    );
    expect(sut.since(0, ['RECALLED']).map((e) => e.id)).toEqual([2, 4]);
    expect(sut.since(2, [], 1).map((e) => e.id)).toEqual([3]);
    sut.close();
  });

  describe('across a restart of the listener', () => {
    const config = { network: { chaincode: { name: 'drugtrace' } } } as AppConfig;

    async function runListener(events: ChaincodeEvent[], expected: number) {
      const store = new EventStore(path);
      const network = networkDelivering(events);
      const ledger = { network: () => network } as unknown as LedgerClient;
      const listener = new EventListener(config, ledger, store);
      const applied = firstValueFrom(listener.live.pipe(take(expected), toArray()));
      listener.onApplicationBootstrap();
      const rows = expected > 0 ? await applied : [];
      await new Promise((resolve) => setImmediate(resolve));
      await listener.onModuleDestroy();
      return { rows, startBlock: network.getChaincodeEvents.mock.calls[0][1].startBlock };
    }

    it('resumes from the checkpoint block and applies no event twice', async () => {
      const before = [chaincodeEvent(3, 'tx-1', 'COMMISSIONED'), chaincodeEvent(4, 'tx-2', 'SHIPPED')];
      const first = await runListener(before, 2);
      expect(first.startBlock).toBe(0n);
      expect(first.rows.map((r) => r.txId)).toEqual(['tx-1', 'tx-2']);

      // Block 4 is delivered again (Fabric resumes at the checkpoint block) together with a new tx in it and block 5.
      const after = [
        ...before,
        chaincodeEvent(4, 'tx-3', 'RECEIVED'),
        chaincodeEvent(5, 'tx-4', 'DISPENSED'),
      ];
      const second = await runListener(after, 2);
      expect(second.startBlock).toBe(4n);
      expect(second.rows.map((r) => r.txId)).toEqual(['tx-3', 'tx-4']);

      const store = new EventStore(path);
      expect(store.since(0).map((e) => e.txId)).toEqual(['tx-1', 'tx-2', 'tx-3', 'tx-4']);
      expect(store.checkpoint).toBe(5);
      store.close();
    });
  });
});
