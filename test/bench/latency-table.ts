// The latency suite's compact table (BENCH_SUITES=latency npm run bench): one row per block cutting and kind of
// write, from the write bench's JSON files named on the command line (one per BatchTimeout, in run order).
//   node latency-table.js test/artifacts/bench-latency-50ms.json test/artifacts/bench-latency-20ms.json

import { readFileSync } from 'node:fs';
import type { WriteRun } from './write-bench';

type Kind = 'ship' | 'receive' | 'dispense';
interface LoneFigures {
  p50Ms: number;
  p95Ms: number;
  path: { gateway: { endorse: number; order: number; commit: number }; ordering: { blockFillMs: number } };
  cpu: { stackMsPerTx: number };
}
interface LatencyFile {
  at: string;
  loadAverage1mAtStart: number;
  batchTimeout?: string;
  runs: WriteRun[];
  lone: {
    idle: Record<Kind, LoneFigures>;
    underVerifyLoad: Record<Kind, LoneFigures>;
    verifyDuringLone: { rps: number };
  };
}

const pad = (s: string | number, n: number): string => String(s).padStart(n);
const files = process.argv.slice(2).map((f) => JSON.parse(readFileSync(f, 'utf8')) as LatencyFile);
const lines = [
  "Lone submit → commit by block cutting (ms; steps are the gateway's means: endorse / order / commit, and the block fill)",
  `${'BatchTimeout'.padEnd(13)}${'kind'.padEnd(9)}${pad('idle p50', 9)}${pad('p95', 7)}${pad('loaded p50', 11)}${pad('p95', 7)}` +
    `  ${'idle steps'.padEnd(26)}${pad('stack CPU ms', 13)}`,
];
for (const f of files)
  for (const kind of ['dispense', 'receive', 'ship'] as Kind[]) {
    const idle = f.lone.idle[kind];
    const loaded = f.lone.underVerifyLoad[kind];
    const g = idle.path.gateway;
    lines.push(
      `${(f.batchTimeout ?? '?').padEnd(13)}${kind.padEnd(9)}${pad(idle.p50Ms, 9)}${pad(idle.p95Ms, 7)}` +
        `${pad(loaded.p50Ms, 11)}${pad(loaded.p95Ms, 7)}  ` +
        `${`${g.endorse} / ${g.order} / ${g.commit}, ${idle.path.ordering.blockFillMs}`.padEnd(26)}${pad(idle.cpu.stackMsPerTx, 13)}`,
    );
  }
const loads = files.flatMap((f) => f.runs.map((r) => ({ f, r })));
if (loads.length) {
  lines.push("Under load, what the block cutting costs (tx per block and blocks/s on the pharmacy's peer):");
  lines.push(
    `${'BatchTimeout'.padEnd(13)}${'kind'.padEnd(9)}${pad('in flight', 10)}${pad('tx/s', 6)}${pad('p50', 7)}${pad('p95', 7)}` +
      `${pad('tx/block', 9)}${pad('blocks/s', 9)}${pad('stack CPU ms/tx', 16)}`,
  );
  for (const { f, r } of loads) {
    const perBlock = r.path.blocksByPeer.pharmacy?.txsPerBlock ?? NaN;
    lines.push(
      `${(f.batchTimeout ?? '?').padEnd(13)}${r.kind.padEnd(9)}${pad(r.concurrency, 10)}${pad(r.load.rps, 6)}` +
        `${pad(r.load.p50Ms, 7)}${pad(r.load.p95Ms, 7)}${pad(perBlock, 9)}` +
        `${pad(Math.round((r.load.rps / perBlock) * 10) / 10, 9)}${pad(r.cpu.stackMsPerTx, 16)}`,
    );
  }
}
lines.push(
  `Runs: ${files.map((f) => `${f.batchTimeout ?? '?'} at ${f.at} (load average ${f.loadAverage1mAtStart}, verify under load ${f.lone.verifyDuringLone.rps}/s)`).join('; ')}`,
);
console.log(lines.join('\n'));
