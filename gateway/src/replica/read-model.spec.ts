import { AppConfig } from '../config/app-config';
import { LedgerClient } from '../fabric/ledger-client';
import { MetricsService } from '../metrics/metrics.service';
import { LedgerUnavailableError } from '../fabric/fabric-errors';
import { MIN_BLOCK_WAIT_MS, ReadModel, VISIBLE_WAIT_MS } from './read-model';
import { ReplicaHeight } from './replica-height';
import { ReplicaStore } from './replica-store';

/** The read model's waits for this gateway's own writes: paid by the write, not by the reads after it. */
describe(`${ReadModel.name}: own writes`, () => {
  let height: ReplicaHeight;
  let client: { writtenHeight: bigint };
  let sut: ReadModel;
  const page = jest.fn(async () => ({ height: height.current }));
  /** Whether a derived-table read has answered after the pending promises ran. */
  const answered = async (read: Promise<unknown>): Promise<boolean> => {
    let done = false;
    void read.then(() => (done = true));
    await jest.advanceTimersByTimeAsync(0);
    return done;
  };

  beforeEach(() => {
    jest.useFakeTimers();
    page.mockClear();
    height = new ReplicaHeight();
    height.advance(3);
    client = { writtenHeight: 0n };
    sut = new ReadModel(
      {} as AppConfig,
      client as unknown as LedgerClient,
      {} as ReplicaStore,
      height,
      new MetricsService(),
    );
  });
  afterEach(() => jest.useRealTimers());

  it('answers a write once the replica has its block, and reads after it do not wait', async () => {
    const write = sut.visible(async () => {
      client.writtenHeight = 5n; // committed in block 4
      return 'written';
    });
    expect(await answered(write)).toBe(false);
    height.advance(5);
    await expect(write).resolves.toBe('written');
    expect(await answered(sut.derived('list', page))).toBe(true);
  });

  it('does not hold reads for a write committed but not answered yet', async () => {
    client.writtenHeight = 5n; // a write in flight, waiting for the replica itself
    expect(await answered(sut.derived('list', page))).toBe(true);
  });

  it('answers the write at the bound when the replica lags, and then reads wait for it instead', async () => {
    const write = sut.visible(async () => {
      client.writtenHeight = 5n;
      return 'written';
    });
    await jest.advanceTimersByTimeAsync(VISIBLE_WAIT_MS);
    await expect(write).resolves.toBe('written');
    const read = sut.derived('list', page);
    expect(await answered(read)).toBe(false);
    height.advance(5);
    await expect(read).resolves.toEqual({ height: 5 });
  });

  it('answers at once a write the replica already has', async () => {
    const write = sut.visible(async () => {
      client.writtenHeight = 3n;
      return 'written';
    });
    expect(await answered(write)).toBe(true);
  });

  it('refuses a read (503) when the replica does not reach a write answered past the bound', async () => {
    const write = sut.visible(async () => {
      client.writtenHeight = 5n;
      return 'written';
    });
    await jest.advanceTimersByTimeAsync(VISIBLE_WAIT_MS);
    await write;
    const read = sut.derived('list', page);
    const refused = expect(read).rejects.toBeInstanceOf(LedgerUnavailableError);
    await jest.advanceTimersByTimeAsync(MIN_BLOCK_WAIT_MS);
    await refused;
    expect(page).not.toHaveBeenCalled();
  });

  it('passes a failed write on, and reads do not wait for it', async () => {
    const failure = new Error('refused');
    await expect(
      sut.visible(async () => {
        client.writtenHeight = 9n; // another request's write meanwhile
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await answered(sut.derived('list', page))).toBe(true);
  });
});
