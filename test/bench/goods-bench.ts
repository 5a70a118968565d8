// System bench of loose packs and aggregation through REST: shipping BENCH_LOOSE_PACKS loose packs in one
// shipment (and receiving it), and packing BENCH_CASES × BENCH_CASE_PACKS packs into cases
// (BENCH_PACK_CONCURRENCY in flight), the cases onto one pallet, the pallet shipped and received. For every step:
// wall time, packs/s, CPU per process (/proc, proc-cpu.ts) per transaction and per pack, and beside it the same
// contract code in memory (chaincode/bench, BENCH_CHAINCODE_JSON) so the network's cost reads as a ratio.
//   BENCH_SUITES=goods npm run bench   (test-network-scripts/bench.sh compiles this to node_modules/.cache)
// Figures also go to DRUGTRACE_BENCH_GOODS_OUT (test/artifacts/bench-goods.json).

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MAX_GOODS_PER_MOVE } from '@drugtrace/chaincode/domain';
import { newSscc } from '../support/ids';
import { agent, call, net, Pack, setUp, to } from './custody-rest';
import { CpuPerTx, cpuPerTx, sampleCpu } from './proc-cpu';
import { int, outcomeOf, RestAnswer } from './rest-client';
import { round, runLoad } from './stats';

const LOOSE = int('BENCH_LOOSE_PACKS', 1000, 1, MAX_GOODS_PER_MOVE);
const CASES = int('BENCH_CASES', 100, 1, MAX_GOODS_PER_MOVE);
const CASE_PACKS = int('BENCH_CASE_PACKS', 100, 1, MAX_GOODS_PER_MOVE);
const PACK_CONCURRENCY = int('BENCH_PACK_CONCURRENCY', 10, 1, 100);
const MAX_RUN_MS = int('BENCH_MAX_RUN_S', 600, 1, 3600) * 1000;
const OUT =
  process.env.DRUGTRACE_BENCH_GOODS_OUT ?? join(process.cwd(), 'test', 'artifacts', 'bench-goods.json');
const CHAINCODE_JSON =
  process.env.BENCH_CHAINCODE_JSON ?? join(process.cwd(), 'test', 'artifacts', 'bench-chaincode.json');

/** The in-memory bench's CPU ms per transaction of the same steps (chaincode/bench/commission-and-ship.ts). */
type InMemory = Partial<Record<StepName, number>>;
type StepName = 'shipLoose' | 'receiveLoose' | 'packCase' | 'packPallet' | 'shipPallet' | 'receivePallet';

interface Step {
  name: StepName;
  what: string;
  txs: number;
  ok: number;
  packs: number;
  wallMs: number;
  /** per transaction: p50 and p95 when there are several */
  p50Ms: number;
  p95Ms: number;
  errors: Record<string, number>;
  cpu: CpuPerTx;
  /** whole stack, CPU ms per pack moved or packed */
  stackMsPerPack: number;
}

/** `txs` transactions of `packsPerTx` packs each, `concurrency` in flight; CPU read around them. */
async function step(
  name: StepName,
  what: string,
  txs: number,
  packsPerTx: number,
  concurrency: number,
  fn: (i: number) => Promise<string>,
): Promise<Step> {
  const cpu0 = sampleCpu();
  const load = await runLoad(concurrency, txs, MAX_RUN_MS, fn);
  const cpu = cpuPerTx(cpu0, sampleCpu(), load.ok);
  const packs = load.ok * packsPerTx;
  const s: Step = {
    name,
    what,
    txs,
    ok: load.ok,
    packs,
    wallMs: load.wallMs,
    p50Ms: load.p50Ms,
    p95Ms: load.p95Ms,
    errors: load.errors,
    cpu,
    stackMsPerPack: packs > 0 ? round((cpu.stackMsPerTx * load.ok) / packs, 3) : NaN,
  };
  process.stderr.write(
    `  ${what}: ${s.ok}/${txs} tx in ${s.wallMs} ms, stack CPU ${cpu.stackMsPerTx} ms/tx` +
      (Object.keys(s.errors).length ? `, errors ${JSON.stringify(s.errors)}` : '') +
      '\n',
  );
  return s;
}

/** One shipment of `units` and/or `containers` from `from` to `toOrg`; its ID once created. */
const shipment = (from: string, toOrg: string, goods: { units?: Pack[]; containers?: string[] }) =>
  call<{ id: string }>(from, 'POST', '/v1/shipments', { ...to(toOrg), ...goods });

const outcome = (a: RestAnswer<unknown>, status: number): string => outcomeOf(a, status);

async function main(): Promise<void> {
  const t0 = performance.now();
  const load0 = loadavg()[0];
  const total = LOOSE + CASES * CASE_PACKS;
  process.stderr.write(`  set-up: commissioning ${total} packs at the manufacturer\n`);
  const { packs } = await setUp(total, 'manufacturer');
  const loose = packs.slice(0, LOOSE);
  const toCase = packs.slice(LOOSE);
  const steps: Step[] = [];

  let looseId = '';
  steps.push(
    await step('shipLoose', `ship ${LOOSE} loose packs in one shipment`, 1, LOOSE, 1, async () => {
      const a = await shipment('manufacturer', 'distributor', { units: loose });
      if (a.status === 201) looseId = a.body.id;
      return outcome(a, 201);
    }),
  );
  if (looseId)
    steps.push(
      await step('receiveLoose', `receive the ${LOOSE} loose packs`, 1, LOOSE, 1, async () =>
        outcome(await call('distributor', 'POST', `/v1/shipments/${looseId}/receive`), 200),
      ),
    );

  const cases = Array.from({ length: CASES }, () => newSscc());
  const packed: string[] = [];
  steps.push(
    await step(
      'packCase',
      `pack ${CASES} cases of ${CASE_PACKS}, ${PACK_CONCURRENCY} in flight`,
      CASES,
      CASE_PACKS,
      PACK_CONCURRENCY,
      async (i) => {
        const contents = toCase.slice(i * CASE_PACKS, (i + 1) * CASE_PACKS);
        const a = await call('manufacturer', 'POST', '/v1/containers', { sscc: cases[i], contents });
        if (a.status === 201) packed.push(cases[i]);
        return outcome(a, 201);
      },
    ),
  );
  const pallet = newSscc();
  const onPallet = packed.length * CASE_PACKS;
  let palletPacked = false;
  if (packed.length > 0)
    steps.push(
      await step('packPallet', `pack the ${packed.length} cases onto a pallet`, 1, onPallet, 1, async () => {
        const a = await call('manufacturer', 'POST', '/v1/containers', {
          sscc: pallet,
          contents: packed.map((sscc) => ({ sscc })),
        });
        palletPacked = a.status === 201;
        return outcome(a, 201);
      }),
    );
  let palletId = '';
  if (palletPacked)
    steps.push(
      await step('shipPallet', `ship the pallet (${onPallet} packs)`, 1, onPallet, 1, async () => {
        const a = await shipment('manufacturer', 'distributor', { containers: [pallet] });
        if (a.status === 201) palletId = a.body.id;
        return outcome(a, 201);
      }),
    );
  if (palletId)
    steps.push(
      await step('receivePallet', 'receive the pallet', 1, onPallet, 1, async () =>
        outcome(await call('distributor', 'POST', `/v1/shipments/${palletId}/receive`), 200),
      ),
    );

  const inMemory: InMemory = existsSync(CHAINCODE_JSON)
    ? ((JSON.parse(readFileSync(CHAINCODE_JSON, 'utf8')) as { goodsCpuMsPerTx?: InMemory }).goodsCpuMsPerTx ??
      {})
    : {};
  const result = {
    at: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    loadAverage1mAtStart: round(load0, 2),
    loadAverage1mAtEnd: round(loadavg()[0], 2),
    consensus: net.ordering.consensus,
    orgs: Object.keys(net.orgs).length,
    steps,
    inMemoryCpuMsPerTx: inMemory,
    totalMs: round(performance.now() - t0, 0),
  };
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, JSON.stringify(result, null, 2) + '\n');
  console.log(report(steps, inMemory, result.loadAverage1mAtStart, result.loadAverage1mAtEnd));
  console.log(`Figures written to ${OUT} (goods bench took ${round(result.totalMs / 1000, 0)} s)`);
}

function report(steps: Step[], inMemory: InMemory, loadStart: number, loadEnd: number): string {
  const pad = (s: string | number, n: number): string => String(s).padStart(n);
  const l = [
    `Loose packs and aggregation through REST (${net.ordering.consensus}, load average ${loadStart} → ${loadEnd})`,
    `${'step'.padEnd(48)}${pad('ok/tx', 8)}${pad('wall ms', 9)}${pad('p50 ms', 8)}${pad('p95 ms', 8)}` +
      `${pad('packs/s', 9)}${pad('CPU ms/tx', 11)}${pad('ms/pack', 9)}${pad('in mem', 8)}${pad('ratio', 7)}`,
  ];
  for (const s of steps) {
    const mem = inMemory[s.name];
    l.push(
      `${s.what.padEnd(48)}${pad(`${s.ok}/${s.txs}`, 8)}${pad(s.wallMs, 9)}${pad(s.p50Ms, 8)}${pad(s.p95Ms, 8)}` +
        `${pad(round((s.packs / s.wallMs) * 1000, 0), 9)}${pad(s.cpu.stackMsPerTx, 11)}${pad(s.stackMsPerPack, 9)}` +
        `${pad(mem ?? '—', 8)}${pad(mem ? `${round(s.cpu.stackMsPerTx / mem, 0)}×` : '—', 7)}`,
    );
  }
  l.push('CPU ms per transaction by process (from /proc):');
  for (const s of steps)
    l.push(
      `  ${s.name.padEnd(14)}` +
        Object.entries(s.cpu.msPerTx)
          .map(([p, v]) => `${p.replace('peer0.', 'p.')} ${v}`)
          .join(', '),
    );
  return l.join('\n');
}

main()
  .catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => agent.destroy());
