import { Logger, LogLevel } from '@nestjs/common';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LabelValues } from 'prom-client';
import { Who } from '../auth/caller';
import type { WorkerScript } from '../common/worker-pool';
import { MetricsService } from '../metrics/metrics.service';
import { CommitUnknownError, LedgerUnavailableError } from './fabric-errors';
import { fromWire, WireError } from './wire-errors';

/** The provider of the write thread (null when the gateway writes on its own thread: LEDGER_WRITE_THREAD=0). */
export const WRITE_THREAD = Symbol('WRITE_THREAD');

/** The write thread's script: the compiled file beside this one (the unit tests load their own). */
export const compiledWriteWorker: WorkerScript = {
  filename: join(__dirname, 'write-worker.js'),
  execArgv: [],
};

/** One write, as LedgerClient.write takes it. */
export interface WriteRequest {
  who: Who;
  contract: string;
  tx: string;
  args: string[];
  transientData?: Record<string, string>;
  endorsingOrganizations?: string[];
  /** A prepared proposal (unsigned): the write keeps the transaction ID given out before it was sent. */
  proposal?: Uint8Array;
  /**
   * The ledger height the gateway's writes have reached, as its HTTP thread knows it: a fresh write thread
   * lets the endorsing peers reach it too before it writes (read-your-writes across a thread's restart).
   */
  writtenHeight?: bigint;
}

/** A committed write: the transaction's result and the block it committed in. */
export interface Written {
  value: unknown;
  block: bigint;
}

export type FabricLabel = 'call' | 'kind' | 'outcome';

/**
 * What the write thread posts: a write's transaction as it goes to the ordering service (from then on its
 * outcome is unknown until it commits), the write's outcome, a timing for the Fabric histogram, a log line.
 */
export type FromWriteThread =
  | { id: number; ordering: string }
  | { id: number; ok: true; written: Written }
  | { id: number; ok: false; error: WireError }
  | { metric: { labels: LabelValues<FabricLabel>; seconds: number } }
  | { log: { level: LogLevel; context?: string; message: string } };

export interface ToWriteThread {
  id: number;
  request: WriteRequest;
}

interface Pending {
  resolve: (written: Written) => void;
  reject: (err: Error) => void;
  /** The transaction last handed to the ordering service, if any: it may commit whatever happens here. */
  ordering?: string;
}

/**
 * The gateway's ledger writes, run on a worker thread of their own (write-worker.ts): a write's gRPC, protobuf
 * and signing are 5–8 ms of CPU spread over a dozen turns, and on the HTTP thread every one of them delays the
 * verifications queued behind it (docs/SCALE.md, "Writes on a thread of their own"). Requests and answers are
 * structured clones; errors come back as the same domain errors (wire-errors.ts); the thread's Fabric timings
 * and log lines are recorded here. A thread that dies fails the writes it had, and the next write starts another:
 * a write whose transaction had gone to the ordering service as an unknown outcome naming it (503, ask
 * GET /v1/transactions/{txId}), any other as nothing written (503, try again). A closing gateway refuses new
 * writes the same way and lets those under way finish.
 */
export class WriteThread {
  readonly #logger = new Logger(WriteThread.name);
  readonly #pending = new Map<number, Pending>();
  readonly #whenIdle: (() => void)[] = [];
  #worker?: Worker;
  #nextId = 0;
  #closing = false;

  constructor(
    private readonly script: WorkerScript,
    private readonly metrics: MetricsService,
  ) {}

  submit(request: WriteRequest): Promise<Written> {
    if (this.#closing)
      return Promise.reject(
        new LedgerUnavailableError('the gateway is shutting down: nothing was written; try again shortly'),
      );
    return new Promise<Written>((resolve, reject) => {
      const id = this.#nextId++;
      this.#pending.set(id, { resolve, reject });
      this.#thread().postMessage({ id, request } satisfies ToWriteThread);
    });
  }

  /**
   * Refuses new writes, lets those under way finish (at most `graceMs`: a write's own deadline is the write
   * timeout, so a grace past it stops only a thread that hangs), then stops the thread.
   */
  async close(graceMs: number): Promise<void> {
    this.#closing = true;
    const worker = this.#worker;
    if (!worker) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => (this.#pending.size === 0 ? resolve() : this.#whenIdle.push(resolve))),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))),
    ]);
    clearTimeout(timer);
    await worker.terminate();
  }

  #thread(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(this.script.filename, { execArgv: this.script.execArgv });
    // It holds no work of its own between writes: the HTTP server keeps the process alive.
    worker.unref();
    worker.on('message', (message: FromWriteThread) => this.#receive(message));
    worker.on('error', (err) =>
      this.#logger.error(`the ledger write thread failed: ${err.stack ?? err.message}`),
    );
    worker.on('exit', (code) => {
      this.#worker = undefined;
      if (!this.#closing) this.#logger.error(`the ledger write thread stopped (exit code ${code})`);
      this.#failAll(code);
    });
    this.#worker = worker;
    return worker;
  }

  #receive(message: FromWriteThread): void {
    if ('ordering' in message) {
      const pending = this.#pending.get(message.id);
      if (pending) pending.ordering = message.ordering;
    } else if ('metric' in message)
      this.metrics.fabric.observe(message.metric.labels, message.metric.seconds);
    else if ('log' in message)
      new Logger(message.log.context ?? WriteThread.name)[message.log.level](message.log.message);
    else if (message.ok) this.#settle(message.id)?.resolve(message.written);
    else this.#settle(message.id)?.reject(fromWire(message.error));
  }

  #settle(id: number): Pending | undefined {
    const pending = this.#pending.get(id);
    this.#pending.delete(id);
    if (this.#pending.size === 0) this.#whenIdle.splice(0).forEach((resolve) => resolve());
    return pending;
  }

  /** Fails the writes of a thread that stopped (messages it posted before it stopped have all arrived). */
  #failAll(code: number): void {
    const stopped = `the ledger write thread stopped (exit code ${code})`;
    for (const [id, { ordering }] of [...this.#pending]) {
      this.#settle(id)?.reject(
        ordering === undefined
          ? new LedgerUnavailableError(
              `${stopped} before the transaction went to the ordering service: nothing was written; try again`,
            )
          : new CommitUnknownError(ordering, `had gone to the ordering service when ${stopped}`),
      );
    }
  }
}
