import { Logger } from '@nestjs/common';
import { join } from 'node:path';
import { DomainError } from '@drugtrace/chaincode/domain';
import { MetricsService } from '../metrics/metrics.service';
import { CommitUnknownError, LedgerUnavailableError } from './fabric-errors';
import { WriteThread } from './write-thread';

const script = {
  filename: join(__dirname, '..', '..', 'test', 'fixtures', 'write-worker.ts'),
  execArgv: ['--require', join(__dirname, '..', '..', 'test', 'ts-worker.js')],
};

// A fresh thread compiles its TypeScript on start, which takes seconds on a loaded machine.
jest.setTimeout(30_000);

describe(WriteThread.name, () => {
  let metrics: MetricsService;
  let thread: WriteThread;
  /** This thread's log: the lines the write thread posts, and its own. */
  let warn: jest.SpyInstance;
  let error: jest.SpyInstance;
  const write = (tx: string, ...args: string[]) =>
    thread.submit({ who: 'listener', contract: 'Test', tx, args });
  beforeEach(() => {
    metrics = new MetricsService();
    thread = new WriteThread(script, metrics);
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(async () => {
    await thread.close(0);
    jest.restoreAllMocks();
  });

  it('answers each write with its own result and block, however they interleave', async () => {
    const answers = await Promise.all([
      write('wait', '300', 'a'),
      write('echo', 'b'),
      write('wait', '100', 'c', 'd'),
    ]);
    expect(answers).toEqual([
      { value: { args: ['300', 'a'] }, block: 2n },
      { value: { args: ['b'] }, block: 1n },
      { value: { args: ['100', 'c', 'd'] }, block: 3n },
    ]);
  });

  it('passes a prepared proposal through as bytes', async () => {
    const written = await thread.submit({
      who: 'listener',
      contract: 'Test',
      tx: 'echo',
      args: [],
      proposal: Uint8Array.of(1, 2, 3),
    });
    expect(written.value).toEqual({ args: [], proposal: [1, 2, 3] });
  });

  it("rejects with the thread's domain error as a DomainError, its fields intact", async () => {
    const refused = write('refuse', 'pack 42');
    await expect(refused).rejects.toBeInstanceOf(DomainError);
    await expect(refused).rejects.toMatchObject({ code: 'CONFLICT', refusal: 'STATUS_ALREADY_SET' });
    // The thread serves on after a refusal.
    await expect(write('echo', 'next')).resolves.toMatchObject({ block: 1n });
  });

  it("records the thread's Fabric timings in this thread's histogram and its log lines in this thread's log", async () => {
    await write('timed', 'p1');
    // The timing and the log line were posted before the answer: they have arrived.
    const histogram = await metrics.fabric.get();
    const count = histogram.values.find(
      (v) => v.metricName?.endsWith('_count') && v.labels.call === 'Test:timed' && v.labels.outcome === 'ok',
    );
    expect(count?.value).toBe(1);
    expect(warn).toHaveBeenCalledWith('wrote p1');
    expect(
      warn.mock.contexts.some(
        (logger) => (logger as unknown as { context?: string }).context === 'FixtureWriter',
      ),
    ).toBe(true);
  });

  it("logs the thread's error lines with their context and stack", async () => {
    await write('log-error', 'p2');
    expect(error).toHaveBeenCalledWith('failed p2\nError: at the stack');
    const logger = error.mock.contexts[0] as unknown as { context?: string };
    expect(logger.context).toBe('FixtureWriter');
  });

  it('fails the writes a dying thread had as nothing written (503), logs it, and starts a fresh thread', async () => {
    const pending = write('wait', '5000');
    const dying = write('die');
    await expect(pending).rejects.toBeInstanceOf(LedgerUnavailableError);
    await expect(pending).rejects.toThrow(
      /exit code 3\) before the transaction went to the ordering service/,
    );
    await expect(pending).rejects.not.toBeInstanceOf(CommitUnknownError);
    await expect(dying).rejects.toMatchObject({ status: 503, code: 'UNAVAILABLE' });
    expect(error).toHaveBeenCalledWith('the ledger write thread stopped (exit code 3)');
    await expect(write('echo', 'after')).resolves.toEqual({ value: { args: ['after'] }, block: 1n });
  });

  it('fails a write whose transaction had gone for ordering as an unknown outcome naming it', async () => {
    const dying = write('order-then-die', 'tx-ordered');
    await expect(dying).rejects.toBeInstanceOf(CommitUnknownError);
    await expect(dying).rejects.toMatchObject({ txId: 'tx-ordered', code: 'COMMIT_TIMEOUT', status: 503 });
    await expect(dying).rejects.toThrow(/GET \/v1\/transactions\/tx-ordered/);
  });

  it('lets the writes under way finish when it closes, and refuses new ones without starting a thread', async () => {
    const underWay = write('wait', '300', 'x');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closed = thread.close(10_000);
    const refused = write('echo', 'late');
    await expect(refused).rejects.toBeInstanceOf(LedgerUnavailableError);
    await expect(refused).rejects.toThrow(/shutting down: nothing was written/);
    await closed;
    await expect(underWay).resolves.toMatchObject({ block: 2n });
    await expect(write('echo', 'later')).rejects.toBeInstanceOf(LedgerUnavailableError);
  });

  it('stops a thread whose writes outlast the grace period', async () => {
    const stuck = write('wait', '20000');
    // Started, so the close below has a thread to stop.
    await write('echo');
    const started = Date.now();
    await thread.close(200);
    await expect(stuck).rejects.toThrow(/write thread stopped/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
