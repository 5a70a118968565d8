import { Logger, LogLevel } from '@nestjs/common';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LabelValues } from 'prom-client';
import { Who } from '../auth/caller';
import type { WorkerScript } from '../common/worker-pool';
import { MetricsService } from '../metrics/metrics.service';
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
}

/** A committed write: the transaction's result and the block it committed in. */
export interface Written {
  value: unknown;
  block: bigint;
}

export type FabricLabel = 'call' | 'kind' | 'outcome';

/** What the write thread posts: a write's outcome, a timing for the Fabric histogram, a log line. */
export type FromWriteThread =
  | { id: number; ok: true; written: Written }
  | { id: number; ok: false; error: WireError }
  | { metric: { labels: LabelValues<FabricLabel>; seconds: number } }
  | { log: { level: LogLevel; context?: string; message: string } };

export interface ToWriteThread {
  id: number;
  request: WriteRequest;
}

/** How long a closing gateway lets writes under way finish before it stops the thread. */
const CLOSE_GRACE_MS = 10_000;

interface Pending {
  resolve: (written: Written) => void;
  reject: (err: Error) => void;
}

/**
 * The gateway's ledger writes, run on a worker thread of their own (write-worker.ts): a write is about 15 ms of
 * gRPC, protobuf and signing spread over a dozen turns, and on the HTTP thread every one of them delays the
 * verifications queued behind it (docs/SCALE.md, "Writes on a thread of their own"). Requests and answers are
 * structured clones; errors come back as the same domain errors (wire-errors.ts); the thread's Fabric timings
 * and log lines are recorded here. A thread that dies fails the writes it had (their outcome is unknown: a 500,
 * logged) and is started again by the next write.
 */
export class WriteThread {
  readonly #logger = new Logger(WriteThread.name);
  readonly #pending = new Map<number, Pending>();
  readonly #whenIdle: (() => void)[] = [];
  #worker?: Worker;
  #nextId = 0;

  constructor(
    private readonly script: WorkerScript,
    private readonly metrics: MetricsService,
  ) {}

  submit(request: WriteRequest): Promise<Written> {
    return new Promise<Written>((resolve, reject) => {
      const id = this.#nextId++;
      this.#pending.set(id, { resolve, reject });
      this.#thread().postMessage({ id, request } satisfies ToWriteThread);
    });
  }

  /** Lets the writes under way finish (at most `graceMs`), then stops the thread. */
  async close(graceMs = CLOSE_GRACE_MS): Promise<void> {
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
      this.#failAll(
        new Error(`the ledger write thread stopped (exit code ${code}); the write's outcome is unknown`),
      );
    });
    this.#worker = worker;
    return worker;
  }

  #receive(message: FromWriteThread): void {
    if ('metric' in message) this.metrics.fabric.observe(message.metric.labels, message.metric.seconds);
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

  #failAll(err: Error): void {
    for (const id of [...this.#pending.keys()]) this.#settle(id)?.reject(err);
  }
}
