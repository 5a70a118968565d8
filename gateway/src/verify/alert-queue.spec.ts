import { DomainError } from '@drugtrace/chaincode/domain';
import { Caller } from '../auth/caller';
import { CommitUnknownError, LedgerUnavailableError } from '../fabric/fabric-errors';
import { MetricsService } from '../metrics/metrics.service';
import { TransactionsService } from '../transactions/transactions.service';
import { TransactionStatus } from '../transactions/transaction.dto';
import { AlertQueue, AlertWrite, RETRY_DELAYS_MS } from './alert-queue';

const caller = { org: 'pharmacy', user: 'user1', mspId: 'PharmacyMSP', gln: '9506000000002' } as Caller;

describe(AlertQueue.name, () => {
  let sut: AlertQueue;
  let metrics: MetricsService;
  let status: jest.Mock<Promise<{ txId: string; status: TransactionStatus }>, [Caller, string]>;
  /** Every transaction sent, by ID, in order. */
  let sent: string[];

  /** A write whose transactions (the prepared first, then t1, t2, …) answer `outcomes` in turn. */
  const alertWrite = (outcomes: (Error | undefined)[], key = 'K'): AlertWrite & { prepare: jest.Mock } => {
    let made = 0;
    const transaction = (txId: string) => ({
      txId,
      submit: async () => {
        sent.push(txId);
        const outcome = outcomes.shift();
        if (outcome) throw outcome;
      },
    });
    return { key, caller, first: transaction('t0'), prepare: jest.fn(() => transaction(`t${++made}`)) };
  };
  const statuses = (...answers: TransactionStatus[]) =>
    answers.forEach((answer) => status.mockImplementationOnce(async (_, txId) => ({ txId, status: answer })));
  const allDelays = RETRY_DELAYS_MS.reduce((a, b) => a + b, 0) + 1;

  beforeEach(() => {
    jest.useFakeTimers();
    sent = [];
    status = jest.fn();
    metrics = new MetricsService();
    sut = new AlertQueue({ status } as unknown as TransactionsService, metrics);
  });
  afterEach(() => jest.useRealTimers());

  it('retries with back-off while the ledger is unavailable, then records the alert', async () => {
    sut.push(alertWrite([new LedgerUnavailableError(), new LedgerUnavailableError(), undefined]));
    await jest.advanceTimersByTimeAsync(0);
    expect(sent).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(RETRY_DELAYS_MS[0] - 1);
    expect(sent).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1 + RETRY_DELAYS_MS[1]);
    // Nothing of a transaction the ledger could not take was written: each retry is a new transaction.
    expect(sent).toEqual(['t0', 't1', 't2']);
    expect(status).not.toHaveBeenCalled();
    expect(sut.size).toBe(0);
  });

  it('gives up after the last delay', async () => {
    sut.push(
      alertWrite(
        RETRY_DELAYS_MS.map(() => new LedgerUnavailableError()).concat(new LedgerUnavailableError()),
      ),
    );
    await jest.advanceTimersByTimeAsync(allDelays);
    expect(sent).toHaveLength(RETRY_DELAYS_MS.length + 1);
    expect(sut.size).toBe(0);
  });

  it('never runs two tasks of the same key at once, and runs other keys meanwhile', async () => {
    const log: string[] = [];
    const write = (name: string, key: string): AlertWrite => {
      const submit = async () => {
        log.push(`${name} start`);
        await new Promise((resolve) => setTimeout(resolve, 100));
        log.push(`${name} end`);
      };
      return { key, caller, first: { txId: name, submit }, prepare: () => ({ txId: name, submit }) };
    };
    sut.push(write('a1', 'A'));
    sut.push(write('a2', 'A'));
    sut.push(write('b1', 'B'));
    await jest.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['a1 start', 'b1 start']);
    await jest.advanceTimersByTimeAsync(100);
    expect([...log].sort()).toEqual(['a1 end', 'a1 start', 'a2 start', 'b1 end', 'b1 start']);
    expect(log.indexOf('a2 start')).toBeGreaterThan(log.indexOf('a1 end'));
    await jest.advanceTimersByTimeAsync(100);
    expect(log.at(-1)).toBe('a2 end');
    expect(sut.size).toBe(0);
  });

  it('does not retry a refusal that would only repeat', async () => {
    sut.push(alertWrite([new DomainError('FORBIDDEN', 'not yours')]));
    await jest.advanceTimersByTimeAsync(60_000);
    expect(sent).toEqual(['t0']);
    expect(sut.size).toBe(0);
  });

  describe('a transaction whose outcome is unknown (COMMIT_TIMEOUT)', () => {
    it('is asked after before anything is sent again, and a committed one is not sent again', async () => {
      const write = alertWrite([new CommitUnknownError('t0', 'was not confirmed')]);
      statuses('COMMITTED');
      sut.push(write);
      await jest.advanceTimersByTimeAsync(allDelays);
      expect(status).toHaveBeenCalledTimes(1);
      expect(status).toHaveBeenCalledWith(caller, 't0');
      expect(sent).toEqual(['t0']);
      expect(write.prepare).not.toHaveBeenCalled();
      expect(sut.size).toBe(0);
    });

    it('is replaced by one new transaction once it is known invalid', async () => {
      const write = alertWrite([new CommitUnknownError('t0', 'was not confirmed'), undefined]);
      statuses('INVALID');
      sut.push(write);
      await jest.advanceTimersByTimeAsync(allDelays);
      expect(sent).toEqual(['t0', 't1']);
      expect(write.prepare).toHaveBeenCalledTimes(1);
      expect(sut.size).toBe(0);
    });

    it('is asked after again while the peer has not seen it, and never sent twice', async () => {
      const write = alertWrite([new CommitUnknownError('t0', 'was not confirmed')]);
      statuses('UNKNOWN', 'UNKNOWN', 'COMMITTED');
      sut.push(write);
      await jest.advanceTimersByTimeAsync(allDelays);
      expect(status).toHaveBeenCalledTimes(3);
      expect(sent).toEqual(['t0']);
      expect(sut.size).toBe(0);
    });

    it('is given up on, unsent, when it stays unknown through every delay', async () => {
      const write = alertWrite([new CommitUnknownError('t0', 'was not confirmed')]);
      status.mockImplementation(async (_, txId) => ({ txId, status: 'UNKNOWN' }));
      sut.push(write);
      await jest.advanceTimersByTimeAsync(allDelays);
      expect(status).toHaveBeenCalledTimes(RETRY_DELAYS_MS.length);
      expect(sent).toEqual(['t0']);
      expect(write.prepare).not.toHaveBeenCalled();
      expect(sut.size).toBe(0);
    });

    it('asks after the transaction the error names (a re-endorsement after a conflict has its own ID)', async () => {
      const write = alertWrite([new CommitUnknownError('t0-again', 'was not confirmed')]);
      statuses('COMMITTED');
      sut.push(write);
      await jest.advanceTimersByTimeAsync(allDelays);
      expect(status).toHaveBeenCalledWith(caller, 't0-again');
      expect(sent).toEqual(['t0']);
    });

    it('keeps asking, without sending, while the status itself cannot be asked', async () => {
      const write = alertWrite([new CommitUnknownError('t0', 'was not confirmed')]);
      status.mockRejectedValueOnce(new LedgerUnavailableError());
      statuses('COMMITTED');
      sut.push(write);
      await jest.advanceTimersByTimeAsync(allDelays);
      expect(status).toHaveBeenCalledTimes(2);
      expect(sent).toEqual(['t0']);
      expect(write.prepare).not.toHaveBeenCalled();
    });
  });

  it('publishes its backlog (queued and running) as drugtrace_scan_records_pending', async () => {
    const pending = async () => (await metrics.scanRecordsPending.get()).values[0]?.value;
    const slow = (txId: string, key: string): AlertWrite => {
      const submit = () => new Promise<void>((resolve) => setTimeout(resolve, 100));
      return { key, caller, first: { txId, submit }, prepare: () => ({ txId, submit }) };
    };
    for (const [i, key] of ['A', 'B', 'C'].entries()) sut.push(slow(`t${i}`, key));
    expect(await pending()).toBe(3);
    await jest.advanceTimersByTimeAsync(100);
    expect(await pending()).toBe(1);
    await jest.advanceTimersByTimeAsync(100);
    expect(await pending()).toBe(0);
  });
});
