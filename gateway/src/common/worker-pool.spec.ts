import { join } from 'node:path';
import { PoolTask } from '../../test/fixtures/pool-worker';
import { PoolBusyError, TaskTimeoutError, WorkerFailedError, WorkerPool } from './worker-pool';

const script = {
  filename: join(__dirname, '..', '..', 'test', 'fixtures', 'pool-worker.ts'),
  execArgv: ['--require', join(__dirname, '..', '..', 'test', 'ts-worker.js')],
};

// Each fresh worker compiles its TypeScript on start, which takes seconds on a loaded machine.
jest.setTimeout(30_000);

describe(WorkerPool.name, () => {
  let pool: WorkerPool<PoolTask, number>;
  const make = (size: number, maxQueue: number, timeoutMs = 10_000) =>
    (pool = new WorkerPool<PoolTask, number>(script, { size, maxQueue, timeoutMs }));
  afterEach(() => pool.close());

  it('runs tasks in worker threads and keeps a healthy worker for the next task', async () => {
    make(1, 0);
    const first = await pool.run({ op: 'whoami' });
    expect(first).toBeGreaterThan(0);
    expect(await pool.run({ op: 'whoami' })).toBe(first);
  });

  it('does not block the event loop while a worker is busy', async () => {
    make(1, 0);
    const busy = pool.run({ op: 'block', ms: 600 });
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(Date.now() - started).toBeLessThan(300);
    await busy;
  });

  it('queues up to maxQueue tasks and refuses the next one at once', async () => {
    make(1, 2);
    const running = [1, 2, 3].map(() => pool.run({ op: 'block', ms: 200 }));
    expect(pool.pending).toEqual({ running: 1, queued: 2 });
    await expect(pool.run({ op: 'whoami' })).rejects.toBeInstanceOf(PoolBusyError);
    await expect(Promise.all(running)).resolves.toHaveLength(3);
    expect(pool.pending).toEqual({ running: 0, queued: 0 });
  });

  it('terminates a worker that runs past the time limit, counted from the start of its task', async () => {
    make(1, 1, 1_000);
    const slow = pool.run({ op: 'block', ms: 20_000 });
    // Waits 1 s for the worker, then a fresh worker gets ready and runs it within its own 1 s: neither
    // the wait nor the start counts.
    const queued = pool.run({ op: 'block', ms: 300 });
    const started = Date.now();
    await expect(slow).rejects.toBeInstanceOf(TaskTimeoutError);
    // Well short of the task's 20 s, with room for a loaded machine.
    expect(Date.now() - started).toBeLessThan(8_000);
    await expect(queued).resolves.toBeGreaterThan(0);
  });

  it("rejects with the worker's own refusal, and with WorkerFailedError when the worker dies", async () => {
    make(1, 0);
    await expect(pool.run({ op: 'fail' })).rejects.toThrow('refused by the worker');
    const before = await pool.run({ op: 'whoami' });
    await expect(pool.run({ op: 'exit' })).rejects.toBeInstanceOf(WorkerFailedError);
    // A fresh worker takes over.
    const after = await pool.run({ op: 'whoami' });
    expect(after).not.toBe(before);
  });

  it('close refuses what waits and what comes after', async () => {
    make(1, 1);
    const running = pool.run({ op: 'block', ms: 2_000 });
    const waiting = expect(pool.run({ op: 'whoami' })).rejects.toThrow('closed');
    const stopped = expect(running).rejects.toBeInstanceOf(WorkerFailedError);
    await pool.close();
    await waiting;
    await stopped;
    await expect(pool.run({ op: 'whoami' })).rejects.toThrow('closed');
  });
});
