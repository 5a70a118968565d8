import { DomainError } from '@drugtrace/chaincode/domain';
import { LedgerUnavailableError } from '../fabric/fabric-errors';
import { AlertQueue, RETRY_DELAYS_MS } from './alert-queue';

describe(AlertQueue.name, () => {
  let sut: AlertQueue;
  beforeEach(() => {
    jest.useFakeTimers();
    sut = new AlertQueue();
  });
  afterEach(() => jest.useRealTimers());

  it('retries with back-off while the ledger is unavailable, then records the alert', async () => {
    const task = jest
      .fn()
      .mockRejectedValueOnce(new LedgerUnavailableError())
      .mockRejectedValueOnce(new LedgerUnavailableError())
      .mockResolvedValue(undefined);
    sut.push(task, 'K');
    await jest.advanceTimersByTimeAsync(0);
    expect(task).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(RETRY_DELAYS_MS[0] - 1);
    expect(task).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1 + RETRY_DELAYS_MS[1]);
    expect(task).toHaveBeenCalledTimes(3);
    expect(sut.size).toBe(0);
  });

  it('gives up after the last delay', async () => {
    const task = jest.fn().mockRejectedValue(new LedgerUnavailableError());
    sut.push(task, 'K');
    await jest.advanceTimersByTimeAsync(RETRY_DELAYS_MS.reduce((a, b) => a + b, 0) + 1);
    expect(task).toHaveBeenCalledTimes(RETRY_DELAYS_MS.length + 1);
    expect(sut.size).toBe(0);
  });

  it('never runs two tasks of the same key at once, and runs other keys meanwhile', async () => {
    const log: string[] = [];
    const task = (name: string) => async () => {
      log.push(`${name} start`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      log.push(`${name} end`);
    };
    sut.push(task('a1'), 'A');
    sut.push(task('a2'), 'A');
    sut.push(task('b1'), 'B');
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
    const task = jest.fn().mockRejectedValue(new DomainError('FORBIDDEN', 'not yours'));
    sut.push(task, 'K');
    await jest.advanceTimersByTimeAsync(60_000);
    expect(task).toHaveBeenCalledTimes(1);
    expect(sut.size).toBe(0);
  });
});
