import { Logger, LoggerService, LogLevel } from '@nestjs/common';
import { inspect } from 'node:util';
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
  /** `handingOver` hears each transaction the write sends to the ordering service, just before it goes. */
  write(request: WriteRequest, options: { handingOver: (txId: string) => void }): Promise<Written>;
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

/** A part of a log line as text: an error with its stack, anything else as `console.log` shows it. */
const text = (part: unknown): string => (typeof part === 'string' ? part : inspect(part));

/**
 * Nest's logger for this thread: every line goes to the gateway's thread, into its structured log. Nest's Logger
 * passes its context last (`error` passes a stack before it), as the line's other parameters.
 */
function postedLogger(port: MessagePort): LoggerService {
  const post =
    (level: LogLevel) =>
    (message: unknown, ...params: unknown[]): void => {
      const context =
        params.length > 0 && typeof params.at(-1) === 'string' ? (params.pop() as string) : undefined;
      const lines = [message, ...params].filter((part) => part !== undefined).map(text);
      port.postMessage({ log: { level, context, message: lines.join('\n') } } satisfies FromWriteThread);
    };
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
    const handingOver = (txId: string) => port.postMessage({ id, ordering: txId } satisfies FromWriteThread);
    writer.write(request, { handingOver }).then(
      (written) => port.postMessage({ id, ok: true, written } satisfies FromWriteThread),
      (err: unknown) => port.postMessage({ id, ok: false, error: toWire(err) } satisfies FromWriteThread),
    );
  });
}
