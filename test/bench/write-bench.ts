// System bench of custody writes against the real network, through REST: what a ship, a receive and a
// dispense cost at fixed numbers in flight, alone (submit → commit), alone while verifications run, and a
// prescription (several packs dispensed in one transaction). For every run: tx/s, p50/p95, CPU per process
// per transaction (/proc, proc-cpu.ts) and the critical path (critical-path.ts).
//   npm run bench   (test-network-scripts/bench.sh compiles this to node_modules/.cache and runs it)
// Each pack is used once: the distributor ships it alone to the pharmacy, the pharmacy receives that
// shipment, then dispenses it. Knobs (environment): BENCH_WRITE_CONCURRENCY ("20,50"), BENCH_WRITE_REQUESTS
// (per run), BENCH_MAX_RUN_S, BENCH_LONE (per kind), BENCH_LOAD_VERIFY_CONCURRENCY, BENCH_PRESCRIPTIONS,
// BENCH_PRESCRIPTION_PACKS, BENCH_CHAINCODE_JSON (the in-memory bench's figures), DRUGTRACE_BENCH_WRITE_OUT.

import * as http from 'node:http';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { readApiKeys, readNetwork } from '../support/paths';
import { newGtin, newLot } from '../support/ids';
import { CriticalPath, criticalPath, snapshot } from './critical-path';
import { CpuPerTx, cpuPerTx, sampleCpu } from './proc-cpu';
import { int, outcomeOf, restCall } from './rest-client';
import { LoadResult, percentile, round, runLoad } from './stats';

const LEVELS = (process.env.BENCH_WRITE_CONCURRENCY ?? '20,50').split(',').map((s) => {
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
/** Set-up commissionings and shipments are split so that none nears the write deadline on a loaded machine. */
const MOVE_CHUNK = 250;
const COMMISSION_CHUNK = 500;
const OUT =
  process.env.DRUGTRACE_BENCH_WRITE_OUT ?? join(process.cwd(), 'test', 'artifacts', 'bench-write.json');
const CHAINCODE_JSON =
  process.env.BENCH_CHAINCODE_JSON ?? join(process.cwd(), 'test', 'artifacts', 'bench-chaincode.json');
const EXPIRY = '2028-06-30';

type Kind = 'ship' | 'receive' | 'dispense';
interface Pack {
  gtin: string;
  serial: string;
}

const keys = readApiKeys();
const net = readNetwork();
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const call = <T>(as: string, method: string, path: string, body?: unknown) =>
  restCall<T>(agent, method, path, keys[as], body);

async function ok<T>(what: string, answer: Promise<{ status: number; body: T }>, status: number): Promise<T> {
  const a = await answer;
  if (a.status !== status) throw new Error(`${what}: HTTP ${a.status}: ${JSON.stringify(a.body)}`);
  return a.body;
}

/**
 * A set-up write that must take effect: on a 503 COMMIT_TIMEOUT (a loaded machine) its transaction is looked up
 * until it is known committed; anything else is an error.
 */
async function committed(
  what: string,
  as: string,
  answer: Promise<{ status: number; body: unknown }>,
  status: number,
) {
  const a = await answer;
  const txId =
    (a.body as { code?: string; txId?: string }).code === 'COMMIT_TIMEOUT'
      ? (a.body as { txId: string }).txId
      : '';
  if (a.status === status || !txId) return ok(what, Promise.resolve(a), status);
  for (let i = 0; i < 60; i++) {
    const t = await call<{ status: string }>(as, 'GET', `/v1/transactions/${txId}`);
    if (t.body.status === 'COMMITTED') return undefined;
    if (t.body.status === 'INVALID') break;
    await sleep(1000);
  }
  throw new Error(`${what}: transaction ${txId} did not commit`);
}

const to = (org: string): { to: string; toGln: string } => ({
  to: net.orgs[org].mspId,
  toGln: net.orgs[org].users.user1.gln,
});

/** Ship packs as one shipment and receive it. */
async function move(packs: Pack[], from: string, toOrg: string): Promise<void> {
  for (let i = 0; i < packs.length; i += MOVE_CHUNK) {
    const { id } = await ok<{ id: string }>(
      `ship ${packs.length} ${from} → ${toOrg}`,
      call(from, 'POST', '/v1/shipments', { ...to(toOrg), units: packs.slice(i, i + MOVE_CHUNK) }),
      201,
    );
    await committed(`receive at ${toOrg}`, toOrg, call(toOrg, 'POST', `/v1/shipments/${id}/receive`), 200);
  }
}

/** The lot of every commissioned pack, by serial (verification codes carry it). */
const lotOf = new Map<string, string>();

/** Commissions `count` packs of one product (lots of MAX_COMMISSION_BATCH) and moves them to the distributor. */
async function setUp(count: number): Promise<{ gtin: string; packs: Pack[] }> {
  const gtin = newGtin();
  await ok(
    'register product',
    call('manufacturer', 'POST', '/v1/products', {
      gtin,
      name: 'Bench ibuprofen 400 mg tablets',
      genericName: 'ibuprofen',
      strength: '400 mg',
      dosageForm: 'tablet',
      marketingAuthorization: 'BENCH0002',
    }),
    201,
  );
  const packs: Pack[] = [];
  for (let left = count; left > 0; left -= COMMISSION_CHUNK) {
    const quantity = Math.min(left, COMMISSION_CHUNK);
    const lotCode = newLot();
    const body = { gtin, lot: lotCode, expiry: EXPIRY, manufacturedOn: '2026-01-15', quantity };
    // A 504 TIMEOUT wrote nothing (not sent for ordering): safe to ask again on a loaded machine.
    let answer = await call<{ serials: string[] }>('manufacturer', 'POST', '/v1/batches', body);
    for (let retry = 0; answer.status === 504 && retry < 3; retry++)
      answer = await call<{ serials: string[] }>('manufacturer', 'POST', '/v1/batches', body);
    const { serials } = await ok('commission', Promise.resolve(answer), 201);
    for (const serial of serials) lotOf.set(serial, lotCode);
    const lot = serials.map((serial) => ({ gtin, serial }));
    await move(lot, 'manufacturer', 'distributor');
    packs.push(...lot);
  }
  return { gtin, packs };
}

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
}

const lone = (ms: number[], path: CriticalPath): Lone => {
  const s = [...ms].sort((a, b) => a - b);
  return {
    count: s.length,
    p50Ms: round(percentile(s, 50)),
    p95Ms: round(percentile(s, 95)),
    maxMs: round(s[s.length - 1] ?? NaN),
    path,
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
  const ms: number[] = [];
  for (const item of items) {
    const t0 = performance.now();
    const a = await fn(item);
    ms.push(performance.now() - t0);
    if (a.status !== status) throw new Error(`lone ${kind}: HTTP ${a.status}: ${JSON.stringify(a.body)}`);
    onBody(a.body);
  }
  return lone(ms, await criticalPath(before, TX[kind], items.length));
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
  const ratios = inMemory
    ? Object.fromEntries(
        runs.map((r) => [
          `${r.kind}@${r.concurrency}`,
          {
            inMemoryMsPerTx: inMemory[r.kind],
            networkStackCpuMsPerTx: r.cpu.stackMsPerTx,
            networkWallMsPerTx: round(1000 / r.load.rps, 2),
            cpuRatio: round(r.cpu.stackMsPerTx / inMemory[r.kind], 0),
          },
        ]),
      )
    : undefined;

  const result = {
    at: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    loadAverage1mAtStart: round(load0, 2),
    consensus: net.ordering.consensus,
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
  for (const k of ['ship', 'receive', 'dispense'] as Kind[]) {
    const g = idle[k].path.gateway;
    l.push(
      `  ${k.padEnd(9)}${idle[k].p50Ms} / ${idle[k].p95Ms}  |  ${loaded[k].p50Ms} / ${loaded[k].p95Ms}` +
        `   idle means: endorse ${g.endorse}, order ${g.order}, commit ${g.commit} ms; block fill ${idle[k].path.ordering.blockFillMs} ms`,
    );
  }
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
