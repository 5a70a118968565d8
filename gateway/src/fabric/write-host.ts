import { Logger, LoggerService, LogLevel } from '@nestjs/common';
import type { MessagePort } from 'node:worker_threads';
import type { LabelValues } from 'prom-client';
import { toWire } from './wire-errors';
import type { FabricLabel, FromWriteThread, ToWriteThread, WriteRequest, Written } from './write-thread';

/** The Fabric timer LedgerClient records its calls with (MetricsService's histogram, or one posted across). */
export interface FabricTimer {
  fabric: {
    startTimer(labels?: LabelValues<FabricLabel>): (labels?: LabelValues<FabricLabel>) => number;
  };
}

/** What serves the writes on the write thread: LedgerClient. */
export interface Writer {
  write(request: WriteRequest): Promise<Written>;
}

/** A Fabric timer whose observations are posted to the gateway's thread, which records them in its histogram. */
function postedTimer(port: MessagePort): FabricTimer {
  return {
    fabric: {
      startTimer(start = {}) {
        const started = process.hrtime.bigint();
        return (end = {}) => {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          port.postMessage({ metric: { labels: { ...start, ...end }, seconds } } satisfies FromWriteThread);
          return seconds;
        };
      },
    },
  };
}

/** Nest's logger for this thread: every line goes to the gateway's thread, into its structured log. */
function postedLogger(port: MessagePort): LoggerService {
  const post =
    (level: LogLevel) =>
    (message: unknown, context?: string): void =>
      port.postMessage({
        log: { level, context, message: typeof message === 'string' ? message : String(message) },
      } satisfies FromWriteThread);
  return {
    log: post('log'),
    error: post('error'),
    warn: post('warn'),
    debug: post('debug'),
    verbose: post('verbose'),
    fatal: post('fatal'),
  };
}

/**
 * Serves the gateway's writes on this (worker) thread: each request is written by the writer `make` returns and
 * answered with its result and block, or with its error in a form the gateway's thread rebuilds.
 */
export function serveWrites(port: MessagePort, make: (timer: FabricTimer) => Writer): void {
  Logger.overrideLogger(postedLogger(port));
  const writer = make(postedTimer(port));
  port.on('message', ({ id, request }: ToWriteThread) => {
    writer.write(request).then(
      (written) => port.postMessage({ id, ok: true, written } satisfies FromWriteThread),
      (err: unknown) => port.postMessage({ id, ok: false, error: toWire(err) } satisfies FromWriteThread),
    );
  });
}
