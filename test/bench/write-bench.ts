// System bench of custody writes against the real network, through REST: what a ship, a receive and a
// dispense cost at fixed numbers in flight, alone (submit → commit), alone while verifications run, and a
// prescription (several packs dispensed in one transaction). For every run: tx/s, p50/p95, CPU per process
// per transaction (/proc, proc-cpu.ts) and the critical path (critical-path.ts).
//   npm run bench   (test-network-scripts/bench.sh compiles this to node_modules/.cache and runs it)
// Each pack is used once: the distributor ships it alone to the pharmacy, the pharmacy receives that
// shipment, then dispenses it. Knobs (environment): BENCH_WRITE_CONCURRENCY ("20,50"), BENCH_WRITE_REQUESTS
// (per run), BENCH_MAX_RUN_S, BENCH_LONE (per kind), BENCH_LOAD_VERIFY_CONCURRENCY, BENCH_PRESCRIPTIONS,
// BENCH_PRESCRIPTION_PACKS, BENCH_CHAINCODE_JSON (the in-memory bench's figures), DRUGTRACE_BENCH_WRITE_OUT.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { agent, call, lotOf, move, net, Pack, setUp, to } from './custody-rest';
import { CriticalPath, criticalPath, snapshot } from './critical-path';
import { CpuPerTx, cpuPerTx, sampleCpu } from './proc-cpu';
import { int, outcomeOf } from './rest-client';
import { EXPIRY } from './setup';
import { LoadResult, percentile, round, runLoad } from './stats';

// "none": only the lone writes (BENCH_SUITES=latency).
const LEVELS_SPEC = process.env.BENCH_WRITE_CONCURRENCY ?? '20,50';
const LEVELS = (LEVELS_SPEC === 'none' ? [] : LEVELS_SPEC.split(',')).map((s) => {
  const n = Number(s.trim());
  if (!Number.isInteger(n) || n < 1 || n > 200)
    throw new Error('BENCH_WRITE_CONCURRENCY: integers in 1..200');
  return n;
});
const REQUESTS = int('BENCH_WRITE_REQUESTS', 600, 1, 5000);
const MAX_RUN_MS = int('BENCH_MAX_RUN_S', 45, 1, 600) * 1000;
const LONE = int('BENCH_LONE', 20, 0, 200);
const LOAD_VERIFY_CONCURRENCY = int('BENCH_LOAD_VERIFY_CONCURRENCY', 20, 1, 200);
const PRESCRIPTIONS = int('BENCH_PRESCRIPTIONS', 30, 0, 500);
const PRESCRIPTION_PACKS = int('BENCH_PRESCRIPTION_PACKS', 10, 1, 100);
const PRESCRIPTION_CONCURRENCY = int('BENCH_PRESCRIPTION_CONCURRENCY', 10, 1, 100);
const VERIFY_POOL = 50;
const OUT =
  process.env.DRUGTRACE_BENCH_WRITE_OUT ?? join(process.cwd(), 'test', 'artifacts', 'bench-write.json');
const CHAINCODE_JSON =
  process.env.BENCH_CHAINCODE_JSON ?? join(process.cwd(), 'test', 'artifacts', 'bench-chaincode.json');

type Kind = 'ship' | 'receive' | 'dispense';

const ship = (p: Pack) =>
  call<{ id: string }>('distributor', 'POST', '/v1/shipments', { ...to('pharmacy'), units: [p] });
const receive = (id: string) => call('pharmacy', 'POST', `/v1/shipments/${id}/receive`);
const dispense = (p: Pack) => call('pharmacy', 'POST', `/v1/units/${p.gtin}/${p.serial}/dispense`);
const TX: Record<Kind, string> = {
  ship: 'shipments:Create',
  receive: 'shipments:Receive',
  dispense: 'units:Dispense',
};

export interface WriteRun {
  kind: Kind;
  concurrency: number;
  load: LoadResult;
  cpu: CpuPerTx;
  path: CriticalPath;
}

/** One measured run: CPU and the stack's own timers are read around it. */
async function measured(
  kind: Kind,
  concurrency: number,
  total: number,
  fn: (i: number) => Promise<string>,
  call_ = TX[kind],
): Promise<WriteRun> {
  const before = await snapshot();
  const cpu0 = sampleCpu();
  const load = await runLoad(concurrency, total, MAX_RUN_MS, fn);
  const cpu = cpuPerTx(cpu0, sampleCpu(), load.ok);
  const path = await criticalPath(before, call_, load.ok);
  process.stderr.write(
    `  ${kind.padEnd(8)} c=${concurrency}: ${load.rps} tx/s, p50 ${load.p50Ms} ms, p95 ${load.p95Ms} ms, ` +
      `ok ${load.ok}/${load.completed}, stack CPU ${cpu.stackMsPerTx} ms/tx, machine busy ${cpu.machineBusyCores} cores` +
      (Object.keys(load.errors).length ? `, errors ${JSON.stringify(load.errors)}` : '') +
      '\n',
  );
  return { kind, concurrency, load, cpu, path };
}

/** Ship, receive, then dispense `packs` at `concurrency` in flight; returns the three runs. */
async function throughput(packs: Pack[], concurrency: number): Promise<WriteRun[]> {
  const shipped: (string | undefined)[] = [];
  const shipRun = await measured('ship', concurrency, packs.length, async (i) => {
    const a = await ship(packs[i]);
    if (a.status === 201) shipped[i] = a.body.id;
    return outcomeOf(a, 201);
  });
  const toReceive = packs.flatMap((p, i) => (shipped[i] ? [{ pack: p, id: shipped[i] }] : []));
  const received: Pack[] = [];
  const receiveRun = await measured('receive', concurrency, toReceive.length, async (i) => {
    const a = await receive(toReceive[i].id);
    if (a.status === 200) received.push(toReceive[i].pack);
    return outcomeOf(a, 200);
  });
  const dispenseRun = await measured('dispense', concurrency, received.length, async (i) =>
    outcomeOf(await dispense(received[i]), 200),
  );
  return [shipRun, receiveRun, dispenseRun];
}

interface Lone {
  count: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** where the time of these lone writes went */
  path: CriticalPath;
  /** CPU per process per write (under verify load it includes the verifications') */
  cpu: CpuPerTx;
}

const lone = (ms: number[], path: CriticalPath, cpu: CpuPerTx): Lone => {
  const s = [...ms].sort((a, b) => a - b);
  return {
    count: s.length,
    p50Ms: round(percentile(s, 50)),
    p95Ms: round(percentile(s, 95)),
    maxMs: round(s[s.length - 1] ?? NaN),
    path,
    cpu,
  };
};

/** Runs `fn` for each item one after the other, timing each; the stack's own timers read around them all. */
async function oneByOne<T>(
  kind: Kind,
  items: T[],
  fn: (item: T) => Promise<{ status: number; body: unknown }>,
  status: number,
  onBody: (body: unknown) => void = () => undefined,
): Promise<Lone> {
  const before = await snapshot();
  const cpu0 = sampleCpu();
  const ms: number[] = [];
  for (const item of items) {
    const t0 = performance.now();
    const a = await fn(item);
    ms.push(performance.now() - t0);
    if (a.status !== status) throw new Error(`lone ${kind}: HTTP ${a.status}: ${JSON.stringify(a.body)}`);
    onBody(a.body);
  }
  const cpu = cpuPerTx(cpu0, sampleCpu(), items.length);
  return lone(ms, await criticalPath(before, TX[kind], items.length), cpu);
}

/** One pack at a time, nothing else of ours in flight: ship, then receive, then dispense, each timed. */
async function loneWrites(packs: Pack[]): Promise<Record<Kind, Lone>> {
  const ids: string[] = [];
  const shipLone = await oneByOne('ship', packs, ship, 201, (b) => ids.push((b as { id: string }).id));
  const receiveLone = await oneByOne('receive', ids, receive, 200);
  const dispenseLone = await oneByOne('dispense', packs, dispense, 200);
  return { ship: shipLone, receive: receiveLone, dispense: dispenseLone };
}

/** Verifications as the pharmacy, `concurrency` in flight, until `stop` resolves. */
async function verifyLoad(
  codes: string[],
  concurrency: number,
  stop: Promise<void>,
): Promise<{ rps: number; notOk: number }> {
  let done = false;
  void stop.then(() => (done = true));
  let n = 0;
  let notOk = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (!done) {
        const a = await call<{ verdict?: string }>('pharmacy', 'POST', '/v1/verify', {
          code: codes[n++ % codes.length],
        });
        if (a.status !== 200 || a.body.verdict !== 'GENUINE') notOk++;
      }
    }),
  );
  return { rps: round((n / (performance.now() - start)) * 1000, 0), notOk };
}

/** Prescriptions: PRESCRIPTION_PACKS packs each, all-or-nothing, in one POST /v1/units/dispense. */
async function prescriptions(packs: Pack[]): Promise<{ run: WriteRun; packsPerSecond: number } | string> {
  const probe = await call('pharmacy', 'POST', '/v1/units/dispense', { units: [] });
  if (probe.status === 404) return 'POST /v1/units/dispense is not served by this gateway';
  const lists = Array.from({ length: Math.floor(packs.length / PRESCRIPTION_PACKS) }, (_, i) =>
    packs.slice(i * PRESCRIPTION_PACKS, (i + 1) * PRESCRIPTION_PACKS),
  );
  const run = await measured(
    'dispense',
    PRESCRIPTION_CONCURRENCY,
    lists.length,
    async (i) => outcomeOf(await call('pharmacy', 'POST', '/v1/units/dispense', { units: lists[i] }), 200),
    'units:DispenseMany',
  );
  return { run, packsPerSecond: round(run.load.rps * PRESCRIPTION_PACKS, 0) };
}

const elementString = (p: Pack): string =>
  `(01)${p.gtin}(17)${EXPIRY.slice(2).replace(/-/g, '')}(10)${lotOf.get(p.serial)}(21)${p.serial}`;

async function main(): Promise<void> {
  const t0 = performance.now();
  const load0 = loadavg()[0];
  const rxPacks = PRESCRIPTIONS * PRESCRIPTION_PACKS;
  const needed = LEVELS.length * REQUESTS + 2 * LONE + VERIFY_POOL + rxPacks;
  process.stderr.write(`  set-up: commissioning ${needed} packs and moving them to the distributor\n`);
  const { packs } = await setUp(needed);
  let next = 0;
  const take = (n: number): Pack[] => packs.slice(next, (next += n));

  // Packs the pharmacy holds and never dispenses, for verifications under load; and the prescriptions' packs.
  const verifyPool = take(VERIFY_POOL);
  const rxPool = take(rxPacks);
  await move([...verifyPool, ...rxPool], 'distributor', 'pharmacy');
  const codes = verifyPool.map(elementString);

  const runs: WriteRun[] = [];
  for (const c of LEVELS) runs.push(...(await throughput(take(REQUESTS), c)));

  process.stderr.write('  lone writes, idle\n');
  const loneIdle = await loneWrites(take(LONE));
  process.stderr.write(`  lone writes while ${LOAD_VERIFY_CONCURRENCY} verifications are in flight\n`);
  let stopLoad!: () => void;
  const stopped = new Promise<void>((r) => (stopLoad = r));
  const load = verifyLoad(codes, LOAD_VERIFY_CONCURRENCY, stopped);
  await sleep(500);
  const loneLoaded = await loneWrites(take(LONE)).finally(stopLoad);
  const verifyDuringLone = await load;

  const prescription = PRESCRIPTIONS > 0 ? await prescriptions(rxPool) : 'skipped (BENCH_PRESCRIPTIONS=0)';

  const inMemory = existsSync(CHAINCODE_JSON)
    ? (JSON.parse(readFileSync(CHAINCODE_JSON, 'utf8')) as { perTxMs?: Record<Kind, number> }).perTxMs
    : undefined;
  // The network's stack CPU per write beside the same contract code in memory: at each load, and alone (idle).
  const ratios = inMemory
    ? Object.fromEntries([
        ...runs.map((r) => [
          `${r.kind}@${r.concurrency}`,
          {
            inMemoryMsPerTx: inMemory[r.kind],
            networkStackCpuMsPerTx: r.cpu.stackMsPerTx,
            networkWallMsPerTx: round(1000 / r.load.rps, 2),
            cpuRatio: round(r.cpu.stackMsPerTx / inMemory[r.kind], 0),
          },
        ]),
        ...(['ship', 'receive', 'dispense'] as Kind[]).map((k) => [
          `lone ${k}`,
          {
            inMemoryMsPerTx: inMemory[k],
            networkStackCpuMsPerTx: loneIdle[k].cpu.stackMsPerTx,
            cpuRatio: round(loneIdle[k].cpu.stackMsPerTx / inMemory[k], 0),
          },
        ]),
      ])
    : undefined;

  const result = {
    at: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    loadAverage1mAtStart: round(load0, 2),
    consensus: net.ordering.consensus,
    /** the channel's BatchTimeout during the run, when bench.sh set it (network.sh batch) */
    batchTimeout: process.env.BENCH_BATCH_TIMEOUT,
    orgs: Object.keys(net.orgs).length,
    runs,
    lone: {
      idle: loneIdle,
      underVerifyLoad: loneLoaded,
      verifyDuringLone,
      verifyConcurrency: LOAD_VERIFY_CONCURRENCY,
    },
    prescription:
      typeof prescription === 'string'
        ? { skipped: prescription }
        : {
            packsPerPrescription: PRESCRIPTION_PACKS,
            packsPerSecond: prescription.packsPerSecond,
            ...prescription.run,
          },
    inMemory: ratios ?? { skipped: `no ${CHAINCODE_JSON}` },
    totalMs: round(performance.now() - t0, 0),
  };
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, JSON.stringify(result, null, 2) + '\n');
  console.log(report(result.runs, loneIdle, loneLoaded, verifyDuringLone.rps, result.prescription, ratios));
  console.log(`Figures written to ${OUT} (write bench took ${round(result.totalMs / 1000, 0)} s)`);
}

function report(
  runs: WriteRun[],
  idle: Record<Kind, Lone>,
  loaded: Record<Kind, Lone>,
  verifyRps: number,
  rx: Record<string, unknown>,
  ratios: Record<string, { cpuRatio: number; inMemoryMsPerTx: number }> | undefined,
): string {
  const l: string[] = [];
  const pad = (s: string | number, n: number): string => String(s).padStart(n);
  l.push(
    `Custody writes through REST (${net.ordering.consensus}, ${Object.keys(net.orgs).length} peer organisations)`,
  );
  l.push(
    `${'kind'.padEnd(9)}${pad('in flight', 10)}${pad('tx/s', 7)}${pad('p50 ms', 9)}${pad('p95 ms', 9)}${pad('ok/all', 11)}` +
      `${pad('stack CPU ms/tx', 17)}  per process (ms/tx)`,
  );
  for (const r of runs)
    l.push(
      `${r.kind.padEnd(9)}${pad(r.concurrency, 10)}${pad(r.load.rps, 7)}${pad(r.load.p50Ms, 9)}${pad(r.load.p95Ms, 9)}` +
        `${pad(`${r.load.ok}/${r.load.completed}`, 11)}${pad(r.cpu.stackMsPerTx, 17)}  ` +
        Object.entries(r.cpu.msPerTx)
          .map(([k, v]) => `${k.replace('peer0.', 'p.')} ${v}`)
          .join(', '),
    );
  l.push(
    'Critical path (means): gateway endorse / order / commit ms; endorsements per tx by org; block fill ms; tx per block; validate+commit ms per block (pharmacy peer)',
  );
  for (const r of runs) {
    const p = r.path;
    const ph = p.blocksByPeer.pharmacy;
    l.push(
      `${r.kind.padEnd(9)}${pad(r.concurrency, 4)}: ${p.gateway.endorse} / ${p.gateway.order} / ${p.gateway.commit}; ` +
        Object.entries(p.endorsementsPerTxByOrg)
          .filter(([, n]) => n > 0)
          .map(([o, n]) => `${o} ${n}×${p.endorseMsByOrg[o]} ms`)
          .join(', ') +
        `; fill ${p.ordering.blockFillMs}; ${ph?.txsPerBlock} tx/block; ${ph?.validateMsPerBlock}+${ph?.commitMsPerBlock} ms`,
    );
  }
  l.push(
    `Lone submit → commit (p50 / p95 ms), idle | while ${LOAD_VERIFY_CONCURRENCY} verifications in flight (${verifyRps} verify/s):`,
  );
  const steps = (x: Lone): string => {
    const g = x.path.gateway;
    return `${g.endorse} / ${g.order} / ${g.commit}, fill ${x.path.ordering.blockFillMs}`;
  };
  for (const k of ['ship', 'receive', 'dispense'] as Kind[])
    l.push(
      `  ${k.padEnd(9)}${idle[k].p50Ms} / ${idle[k].p95Ms}  |  ${loaded[k].p50Ms} / ${loaded[k].p95Ms}` +
        `   means endorse / order / commit ms, block fill ms: idle ${steps(idle[k])} | loaded ${steps(loaded[k])}`,
    );
  l.push('Lone writes, idle: CPU ms per write by process (from /proc)');
  for (const k of ['ship', 'receive', 'dispense'] as Kind[])
    l.push(
      `  ${k.padEnd(9)}stack ${idle[k].cpu.stackMsPerTx}: ` +
        Object.entries(idle[k].cpu.msPerTx)
          .map(([p, v]) => `${p.replace('peer0.', 'p.')} ${v}`)
          .join(', '),
    );
  l.push(
    'skipped' in rx
      ? `Prescriptions: ${String(rx.skipped)}`
      : `Prescriptions of ${PRESCRIPTION_PACKS} packs, ${PRESCRIPTION_CONCURRENCY} in flight: ${String(rx.packsPerSecond)} packs/s`,
  );
  if (ratios)
    l.push(
      'Network stack CPU ÷ chaincode in memory, per tx: ' +
        Object.entries(ratios)
          .map(([k, v]) => `${k} ${v.cpuRatio}× (in memory ${v.inMemoryMsPerTx} ms)`)
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
