// Small helpers for the system bench: a bounded closed-loop load runner, percentiles and medians.

import { performance } from 'node:perf_hooks';

/** What one request ended in: 'ok', or a short label of what went wrong (counted, never timed). */
export type Outcome = 'ok' | string;

export interface LoadResult {
  concurrency: number;
  requested: number;
  completed: number;
  ok: number;
  /** label → count of the requests that did not end in 'ok' */
  errors: Record<string, number>;
  wallMs: number;
  /** successful requests per second of wall time */
  rps: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function median(values: number[]): number {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

export const round = (x: number, digits = 1): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/**
 * Closed loop: `concurrency` workers each keep one request in flight until `total` requests were issued
 * or `maxMs` passed (then the in-flight ones finish and nothing new starts). `call(i)` gets the request index.
 */
export async function runLoad(
  concurrency: number,
  total: number,
  maxMs: number,
  call: (i: number) => Promise<Outcome>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  let next = 0;
  let completed = 0;
  const start = performance.now();
  const deadline = start + maxMs;
  const worker = async (): Promise<void> => {
    while (next < total && performance.now() < deadline) {
      const i = next++;
      const t0 = performance.now();
      let outcome: Outcome;
      try {
        outcome = await call(i);
      } catch (err) {
        outcome = `exception: ${err instanceof Error ? err.name + ' ' + err.message.slice(0, 80) : String(err)}`;
      }
      const ms = performance.now() - t0;
      completed++;
      if (outcome === 'ok') latencies.push(ms);
      else errors[outcome] = (errors[outcome] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wallMs = performance.now() - start;
  latencies.sort((a, b) => a - b);
  return {
    concurrency,
    requested: total,
    completed,
    ok: latencies.length,
    errors,
    wallMs: round(wallMs, 0),
    rps: round((latencies.length / wallMs) * 1000, 0),
    meanMs: round(latencies.reduce((a, b) => a + b, 0) / latencies.length),
    p50Ms: round(percentile(latencies, 50)),
    p95Ms: round(percentile(latencies, 95)),
    p99Ms: round(percentile(latencies, 99)),
    maxMs: round(latencies[latencies.length - 1] ?? NaN),
  };
}
