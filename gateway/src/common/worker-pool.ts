import { Worker } from 'node:worker_threads';

/** What a pool's worker posts back for each task it is given. */
export type WorkerReply<O> = { ok: true; value: O } | { ok: false; error: string };
/** What a pool's worker posts once, when it has loaded what it needs and takes tasks. */
export const WORKER_READY = 'ready';
/** A worker that is not ready by then is taken for hung: its start does not depend on any input. */
const STARTUP_TIMEOUT_MS = 30_000;

/** The script a pool's workers run; `execArgv` lets the tests load it from its TypeScript source. */
export interface WorkerScript {
  filename: string;
  execArgv: string[];
}

export interface WorkerPoolOptions {
  /** Workers at most, started on demand and kept while they are healthy. */
  size: number;
  /** Tasks that may wait for a free worker; beyond that `run` refuses at once. */
  maxQueue: number;
  /** Time a worker may spend on one task, from when it starts it; then it is terminated. */
  timeoutMs: number;
}

/** Every worker is busy and the queue is full. */
export class PoolBusyError extends Error {}
/** The task ran longer than the pool's time limit; its worker was terminated. */
export class TaskTimeoutError extends Error {}
/** The worker died on the task (crash, out of memory, exit). */
export class WorkerFailedError extends Error {}

interface Job<I, O> {
  input: I;
  resolve: (value: O) => void;
  reject: (error: Error) => void;
}

/**
 * A bounded pool of worker threads for CPU-heavy tasks, so they never block the event loop: at most `size`
 * tasks run at once, at most `maxQueue` wait, and a task that runs too long has its worker terminated (a
 * synchronous WebAssembly call cannot be interrupted any other way), which also frees all its memory.
 */
export class WorkerPool<I, O> {
  readonly #idle: Worker[] = [];
  readonly #alive = new Set<Worker>();
  readonly #ready = new WeakSet<Worker>();
  readonly #queue: Job<I, O>[] = [];
  #closed = false;

  constructor(
    private readonly script: WorkerScript,
    private readonly options: WorkerPoolOptions,
  ) {}

  /** Tasks running and waiting: for tests and metrics. */
  get pending(): { running: number; queued: number } {
    return { running: this.#alive.size - this.#idle.length, queued: this.#queue.length };
  }

  run(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      if (this.#closed) return reject(new Error('the worker pool is closed'));
      const job = { input, resolve, reject };
      const worker = this.#idle.pop() ?? (this.#alive.size < this.options.size ? this.#spawn() : undefined);
      if (worker) this.#start(worker, job);
      else if (this.#queue.length < this.options.maxQueue) this.#queue.push(job);
      else
        reject(new PoolBusyError(`${this.options.size} task(s) running and ${this.#queue.length} waiting`));
    });
  }

  /** Refuses what waits and terminates every worker (a running task is rejected). */
  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#queue.splice(0)) job.reject(new Error('the worker pool is closed'));
    await Promise.all([...this.#alive].map((worker) => worker.terminate()));
  }

  #spawn(): Worker {
    const worker = new Worker(this.script.filename, { execArgv: this.script.execArgv });
    // An idle worker must not keep the process alive; one that dies while idle is forgotten.
    worker.unref();
    worker.on('exit', () => this.#forget(worker));
    worker.on('error', () => this.#forget(worker));
    this.#alive.add(worker);
    return worker;
  }

  /**
   * Gives the job to the worker and settles it by the worker's reply, its death or the time limit. A fresh
   * worker first gets ready (loading, say, WebAssembly) under a time limit of its own, so the job's time
   * counts its own work only.
   */
  #start(worker: Worker, job: Job<I, O>): void {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const settle = (healthy: boolean, outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      outcome();
      if (healthy) this.#release(worker);
      else this.#discard(worker);
    };
    const limit = (ms: number, error: () => Error) =>
      setTimeout(() => settle(false, () => job.reject(error())), ms);
    const begin = (): void => {
      timer = limit(
        this.options.timeoutMs,
        () => new TaskTimeoutError(`the task took longer than ${this.options.timeoutMs} ms`),
      );
      worker.postMessage(job.input);
    };
    const onMessage = (reply: WorkerReply<O> | typeof WORKER_READY) => {
      if (reply === WORKER_READY) {
        this.#ready.add(worker);
        clearTimeout(timer);
        begin();
      } else settle(true, () => (reply.ok ? job.resolve(reply.value) : job.reject(new Error(reply.error))));
    };
    const onError = (error: Error) => settle(false, () => job.reject(new WorkerFailedError(error.message)));
    const onExit = (code: number) =>
      settle(false, () => job.reject(new WorkerFailedError(`the worker exited with code ${code}`)));
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    if (this.#ready.has(worker)) begin();
    else
      timer = limit(
        STARTUP_TIMEOUT_MS,
        () => new WorkerFailedError(`the worker was not ready within ${STARTUP_TIMEOUT_MS} ms`),
      );
  }

  /** A worker that finished a task takes the next one waiting, or goes idle. */
  #release(worker: Worker): void {
    const next = this.#queue.shift();
    if (next) this.#start(worker, next);
    else this.#idle.push(worker);
  }

  /** A worker that timed out or failed is terminated; a fresh one takes the next task waiting. */
  #discard(worker: Worker): void {
    this.#forget(worker);
    void worker.terminate();
    const next = this.#queue.shift();
    if (next) this.#start(this.#spawn(), next);
  }

  #forget(worker: Worker): void {
    this.#alive.delete(worker);
    const idle = this.#idle.indexOf(worker);
    if (idle >= 0) this.#idle.splice(idle, 1);
  }
}
