// System bench against the real network: what a pharmacy scan and a manufacturer's commissioning cost
// through the REST gateway, and what the gateway adds on top of a direct @hyperledger/fabric-gateway call.
//   npm run bench   (test-network-scripts/bench.sh compiles this to node_modules/.cache and runs it)
// From one run: set-up through REST (a product, a batch of packs moved manufacturer → distributor →
// pharmacy); verify throughput and latency at fixed concurrency levels through POST /v1/verify and through
// a direct evaluateTransaction('Verify') as the same pharmacy user, several rounds each, interleaved;
// commissioning throughput (POST /v1/batches with a quantity). Reports medians over rounds, never the best.
// Every benchmarked scan must be GENUINE: a non-genuine scan makes the gateway record an alert (a ledger
// write), which would no longer measure a read. The bench counts verdicts and checks the alert log after.
// Knobs (environment): BENCH_PACKS, BENCH_VERIFY_REQUESTS, BENCH_CONCURRENCY ("50,200"), BENCH_ROUNDS,
// BENCH_COMMISSION_QTY, BENCH_COMMISSION_RUNS, BENCH_MAX_RUN_S, DRUGTRACE_BENCH_OUT (JSON path).

import * as http from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { MAX_GENERATED_BATCH } from '@drugtrace/chaincode/domain';
import { connectAs, json } from '../support/fabric';
import { api, Role } from '../support/http';
import { newLot, newSerial } from '../support/ids';
import { gatewayUrl, readApiKeys, readNetwork } from '../support/paths';
import { int, send } from './rest-client';
import { Batch, commissionedBatch, elementString, EXPIRY, expectOk, MANUFACTURED_ON } from './setup';
import { LoadResult, median, Outcome, round, runLoad } from './stats';

const PACKS = int('BENCH_PACKS', 200, 1, 1000);
const VERIFY_REQUESTS = int('BENCH_VERIFY_REQUESTS', 2000, 1, 20_000);
const ROUNDS = int('BENCH_ROUNDS', 3, 1, 9);
const COMMISSION_QTY = int('BENCH_COMMISSION_QTY', 1000, 1, MAX_GENERATED_BATCH);
const COMMISSION_RUNS = int('BENCH_COMMISSION_RUNS', 3, 1, 9);
const MAX_RUN_MS = int('BENCH_MAX_RUN_S', 45, 1, 600) * 1000;
const LONE_DISPENSES = int('BENCH_LONE_DISPENSES', 30, 0, 1000);
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '50,200').split(',').map((s) => {
  const n = Number(s.trim());
  if (!Number.isInteger(n) || n < 1 || n > 500) throw new Error('BENCH_CONCURRENCY: integers in 1..500');
  return n;
});
// Compiled into node_modules/.cache, so the default is relative to the repository root bench.sh runs in.
const OUT = process.env.DRUGTRACE_BENCH_OUT ?? join(process.cwd(), 'test', 'artifacts', 'bench.json');

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The bench only ever loads this machine's own stack. */
function assertLoopback(): void {
  const host = new URL(gatewayUrl).hostname;
  if (!LOOPBACK.has(host)) throw new Error(`refusing to load ${gatewayUrl}: not a loopback address`);
  for (const [key, org] of Object.entries(readNetwork().orgs)) {
    const peerHost = org.peer.endpoint.replace(/:\d+$/, '');
    if (!LOOPBACK.has(peerHost)) throw new Error(`refusing to load peer ${key} at ${org.peer.endpoint}`);
  }
}

/** Receives that got a 404 because the receiver's peer had not yet committed the shipment. */
let receive404s = 0;

async function moveUnits(b: Batch, from: Role, to: Role): Promise<void> {
  const org = readNetwork().orgs[to];
  const ship = await expectOk(
    `ship ${from} → ${to}`,
    api<{ id: string }>('POST', '/v1/shipments', {
      as: from,
      body: {
        to: org.mspId,
        toGln: org.users.user1.gln,
        units: b.serials.map((serial) => ({ gtin: b.gtin, serial })),
      },
    }),
    201,
  );
  // The shipment is committed on the sender's peer when POST /v1/shipments answers; the receiver's peer
  // may not have that block yet, and then answers 404. Retried briefly, and counted in the report.
  for (let attempt = 0; ; attempt++) {
    const res = await api('POST', `/v1/shipments/${ship.id}/receive`, { as: to });
    if (res.status === 404 && attempt < 20) {
      receive404s++;
      await sleep(100);
      continue;
    }
    await expectOk(`receive at ${to}`, Promise.resolve(res), 200);
    return;
  }
}

/** POST /v1/verify over a keep-alive agent (lighter on the shared CPU than fetch), verdict GENUINE → 'ok'. */
function restVerifier(agent: http.Agent, key: string): (code: string) => Promise<Outcome> {
  const url = new URL('/v1/verify', gatewayUrl);
  return async (code) => {
    const { status, text } = await send(agent, url, 'POST', key, JSON.stringify({ code }), 30_000);
    if (status !== 200) {
      let problem = '';
      try {
        problem = ' ' + String((JSON.parse(text) as { code?: string }).code ?? '');
      } catch {
        // not problem+json
      }
      return `HTTP ${status}${problem}`;
    }
    const verdict = (JSON.parse(text) as { verdict?: string }).verdict;
    return verdict === 'GENUINE' ? 'ok' : `verdict ${verdict}`;
  };
}

/** Several rounds' figures, with the same names as one round's. */
interface Summary extends Pick<
  LoadResult,
  'errors' | 'rps' | 'meanMs' | 'p50Ms' | 'p95Ms' | 'p99Ms' | 'maxMs'
> {
  rounds: number;
  okTotal: number;
  completedTotal: number;
  runs: LoadResult[];
}

function summarise(runs: LoadResult[]): Summary {
  const errors: Record<string, number> = {};
  for (const r of runs) for (const [k, n] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + n;
  return {
    rounds: runs.length,
    okTotal: runs.reduce((s, r) => s + r.ok, 0),
    completedTotal: runs.reduce((s, r) => s + r.completed, 0),
    errors,
    rps: round(median(runs.map((r) => r.rps)), 0),
    meanMs: round(median(runs.map((r) => r.meanMs))),
    p50Ms: round(median(runs.map((r) => r.p50Ms))),
    p95Ms: round(median(runs.map((r) => r.p95Ms))),
    p99Ms: round(median(runs.map((r) => r.p99Ms))),
    maxMs: Math.max(...runs.map((r) => r.maxMs)),
    runs,
  };
}

async function alertsFor(gtin: string): Promise<number> {
  const body = await expectOk(
    'read alerts',
    api<{ alerts: { gtin: string }[] }>('GET', '/v1/audit/alerts?limit=1000', { as: 'regulator' }),
    200,
  );
  return body.alerts.filter((a) => a.gtin === gtin).length;
}

interface GatewaySample {
  fabricSumS: number;
  fabricCount: number;
  cpuS: number;
}

/**
 * The gateway's own Prometheus counters: time spent inside the Fabric call for Verify, and its process CPU.
 * Deltas around a REST run split the latency into the Fabric call and what the gateway adds (other users of
 * the shared stack add a little noise). Undefined when /metrics is not there.
 */
async function gatewaySample(): Promise<GatewaySample | undefined> {
  const res = await api<string>('GET', '/metrics', { as: null });
  if (res.status !== 200 || typeof res.body !== 'string') return undefined;
  const value = (prefix: string): number => {
    const line = res.body.split('\n').find((l) => l.startsWith(prefix));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : NaN;
  };
  const labels = '{call="verification:Verify",kind="evaluate",outcome="ok"}';
  return {
    fabricSumS: value(`drugtrace_fabric_call_duration_seconds_sum${labels}`),
    fabricCount: value(`drugtrace_fabric_call_duration_seconds_count${labels}`),
    cpuS: value('drugtrace_process_cpu_seconds_total'),
  };
}

interface GatewayShare {
  /** mean time the gateway waited on the peer for Verify during the run */
  fabricMeanMs: number;
  /** gateway process CPU per request during the run */
  cpuMsPerRequest: number;
}

function gatewayShare(
  before: GatewaySample | undefined,
  after: GatewaySample | undefined,
  requests: number,
): GatewayShare | undefined {
  if (!before || !after) return undefined;
  const calls = after.fabricCount - before.fabricCount;
  return {
    fabricMeanMs: round(((after.fabricSumS - before.fabricSumS) / calls) * 1000),
    cpuMsPerRequest: round(((after.cpuS - before.cpuS) / requests) * 1000, 2),
  };
}

const pad = (s: string | number, n: number): string => String(s).padStart(n);
const padEnd = (s: string | number, n: number): string => String(s).padEnd(n);

async function main(): Promise<void> {
  assertLoopback();
  const t0 = performance.now();
  const net = readNetwork();
  const pharmacyGln = net.orgs.pharmacy.users.user1.gln;
  const load0 = loadavg()[0];

  // 1. Set-up through REST.
  const setupStart = performance.now();
  const batch = await commissionedBatch(Array.from({ length: PACKS }, newSerial));
  const { gtin, lot, serials } = batch;
  await moveUnits(batch, 'manufacturer', 'distributor');
  await moveUnits(batch, 'distributor', 'pharmacy');
  const setupMs = performance.now() - setupStart;
  const codes = serials.map((s) => elementString(batch, s));
  const alertsBefore = await alertsFor(gtin);

  const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(...CONCURRENCY) + 8 });
  const rest = restVerifier(agent, readApiKeys().pharmacy);
  const conn = connectAs('pharmacy');
  const contract = conn.contract('verification');
  const direct = async (code: string): Promise<Outcome> => {
    const verdict = json<{ verdict: string }>(
      await contract.evaluateTransaction('Verify', code, pharmacyGln),
    ).verdict;
    return verdict === 'GENUINE' ? 'ok' : `verdict ${verdict}`;
  };

  // A sanity scan each way: a non-genuine verdict here means the bench would measure alert writes.
  for (const [name, fn] of [
    ['REST', rest],
    ['direct', direct],
  ] as const) {
    const outcome = await fn(codes[0]);
    if (outcome !== 'ok') throw new Error(`set-up check: ${name} verify of a pharmacy pack gave ${outcome}`);
  }

  // 2 and 3. Verify: warm both paths, then rounds per concurrency level, REST and direct interleaved.
  await runLoad(20, 200, MAX_RUN_MS, (i) => rest(codes[i % codes.length]));
  await runLoad(20, 200, MAX_RUN_MS, (i) => direct(codes[i % codes.length]));
  const verify: {
    concurrency: number;
    requestsPerRun: number;
    rest: Summary;
    direct: Summary;
    gateway?: { restMeanMs: number; fabricMeanMs: number; cpuMsPerRequest: number };
    ratio: { rps: number; p50: number; p95: number; p99: number };
  }[] = [];
  try {
    for (const concurrency of CONCURRENCY) {
      const restRuns: LoadResult[] = [];
      const directRuns: LoadResult[] = [];
      const restShares: GatewayShare[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        const order = r % 2 === 0 ? (['rest', 'direct'] as const) : (['direct', 'rest'] as const);
        for (const path of order) {
          const fn = path === 'rest' ? rest : direct;
          const offset = r * 7919; // a different starting pack per round
          const before = path === 'rest' ? await gatewaySample() : undefined;
          const res = await runLoad(concurrency, VERIFY_REQUESTS, MAX_RUN_MS, (i) =>
            fn(codes[(i + offset) % codes.length]),
          );
          if (path === 'rest') {
            const share = gatewayShare(before, await gatewaySample(), res.completed);
            if (share) restShares.push(share);
          }
          (path === 'rest' ? restRuns : directRuns).push(res);
          process.stderr.write(
            `  verify ${path.padEnd(6)} c=${concurrency} round ${r + 1}/${ROUNDS}: ${res.rps} req/s, ` +
              `p50 ${res.p50Ms} ms, p95 ${res.p95Ms} ms, ok ${res.ok}/${res.completed}` +
              (Object.keys(res.errors).length ? `, errors ${JSON.stringify(res.errors)}` : '') +
              '\n',
          );
        }
      }
      const restS = summarise(restRuns);
      const directS = summarise(directRuns);
      verify.push({
        concurrency,
        requestsPerRun: VERIFY_REQUESTS,
        rest: restS,
        direct: directS,
        gateway: restShares.length
          ? {
              restMeanMs: round(median(restRuns.map((r) => r.meanMs))),
              fabricMeanMs: round(median(restShares.map((g) => g.fabricMeanMs))),
              cpuMsPerRequest: round(median(restShares.map((g) => g.cpuMsPerRequest)), 2),
            }
          : undefined,
        ratio: {
          rps: round(restS.rps / directS.rps, 2),
          p50: round(restS.p50Ms / directS.p50Ms, 2),
          p95: round(restS.p95Ms / directS.p95Ms, 2),
          p99: round(restS.p99Ms / directS.p99Ms, 2),
        },
      });
    }
  } finally {
    conn.close();
    agent.destroy();
  }
  const alertsAfter = await alertsFor(gtin);

  // 4. Commissioning: a new batch of COMMISSION_QTY generated serials per run, one after the other.
  const commissionRuns: number[] = [];
  for (let r = 0; r < COMMISSION_RUNS; r++) {
    const start = performance.now();
    const body = await expectOk(
      'commission',
      api<{ unitCount: number }>('POST', '/v1/batches', {
        as: 'manufacturer',
        body: {
          gtin,
          lot: newLot(),
          expiry: EXPIRY,
          manufacturedOn: MANUFACTURED_ON,
          quantity: COMMISSION_QTY,
        },
      }),
      201,
    );
    const ms = performance.now() - start;
    if (body.unitCount !== COMMISSION_QTY)
      throw new Error(`commission: unitCount ${body.unitCount}, expected ${COMMISSION_QTY}`);
    commissionRuns.push(round(ms, 0));
    process.stderr.write(
      `  commission ${COMMISSION_QTY} packs run ${r + 1}/${COMMISSION_RUNS}: ${round(ms, 0)} ms\n`,
    );
  }
  const commissionMedianMs = median(commissionRuns);

  // 4. Lone dispenses: one at a time, nothing else in flight, so each is a full submit → commit round trip
  // (endorse on the holder's and the regulator's peers, order, validate, commit on the pharmacy's peer).
  const dispenseMs: number[] = [];
  for (const serial of serials.slice(0, Math.min(LONE_DISPENSES, serials.length))) {
    const start = performance.now();
    await expectOk(
      `dispense ${serial}`,
      api('POST', `/v1/units/${gtin}/${serial}/dispense`, { as: 'pharmacy' }),
      200,
    );
    dispenseMs.push(performance.now() - start);
  }
  const sortedDispense = [...dispenseMs].sort((a, b) => a - b);
  const dispensePct = (p: number): number =>
    round(
      sortedDispense[Math.min(sortedDispense.length - 1, Math.floor((p / 100) * sortedDispense.length))] ?? 0,
      1,
    );

  const notes: string[] = [];
  if (receive404s)
    notes.push(
      `set-up: ${receive404s} shipment receive(s) got 404 NOT_FOUND right after the shipment was created ` +
        `(the receiver's peer had not committed it yet) and were retried`,
    );
  if (alertsAfter !== alertsBefore)
    notes.push(`${alertsAfter - alertsBefore} alert(s) were recorded for the bench product during verify`);
  for (const v of verify)
    for (const [path, s] of [
      ['REST', v.rest],
      ['direct', v.direct],
    ] as const)
      if (Object.keys(s.errors).length)
        notes.push(
          `c=${v.concurrency} ${path}: not ok ${JSON.stringify(s.errors)} (excluded from latencies)`,
        );

  const result = {
    at: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    loadAverage1mAtStart: round(load0, 2),
    gatewayUrl,
    consensus: net.ordering.consensus,
    chaincode: net.chaincode,
    setup: { packsAtPharmacy: PACKS, ms: round(setupMs, 0), gtin, lot, receiveRetriesAfter404: receive404s },
    verify,
    alertsDuringVerify: alertsAfter - alertsBefore,
    commission: {
      packsPerRun: COMMISSION_QTY,
      runsMs: commissionRuns,
      medianMs: commissionMedianMs,
      packsPerSecond: round((COMMISSION_QTY / commissionMedianMs) * 1000, 0),
    },
    loneDispense: { count: dispenseMs.length, p50Ms: dispensePct(50), p95Ms: dispensePct(95) },
    totalMs: round(performance.now() - t0, 0),
    notes,
  };
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, JSON.stringify(result, null, 2) + '\n');

  const lines: string[] = [];
  lines.push(
    `DrugTrace system bench — ${gatewayUrl}, ${result.consensus} ordering, node ${process.version}, ${result.cpus} CPUs, ` +
      `load average ${result.loadAverage1mAtStart} at start`,
  );
  lines.push(
    `Set-up (REST): product, batch of ${PACKS} packs, shipped manufacturer → distributor → pharmacy: ` +
      `${result.setup.ms} ms`,
  );
  lines.push('');
  lines.push(
    `Verify as the pharmacy (${pharmacyGln}): ${VERIFY_REQUESTS} requests per run, median of ${ROUNDS} runs; ` +
      `REST = POST /v1/verify, direct = evaluateTransaction('Verify') on 'verification'`,
  );
  lines.push(
    `${padEnd('in-flight', 10)}${padEnd('path', 13)}${pad('req/s', 7)}${pad('p50 ms', 9)}${pad('p95 ms', 9)}` +
      `${pad('p99 ms', 9)}${pad('max ms', 9)}${pad('ok/total', 13)}`,
  );
  for (const v of verify) {
    for (const [name, s] of [
      ['REST', v.rest],
      ['direct', v.direct],
    ] as const)
      lines.push(
        `${padEnd(v.concurrency, 10)}${padEnd(name, 13)}${pad(s.rps, 7)}${pad(s.p50Ms, 9)}${pad(s.p95Ms, 9)}` +
          `${pad(s.p99Ms, 9)}${pad(s.maxMs, 9)}${pad(`${s.okTotal}/${s.completedTotal}`, 13)}`,
      );
    lines.push(
      `${padEnd(v.concurrency, 10)}${padEnd('REST/direct', 13)}${pad(v.ratio.rps + 'x', 7)}` +
        `${pad(v.ratio.p50 + 'x', 9)}${pad(v.ratio.p95 + 'x', 9)}${pad(v.ratio.p99 + 'x', 9)}`,
    );
  }
  lines.push(
    'ratio = REST ÷ direct: below 1x for req/s and above 1x for latency is what the REST gateway costs',
  );
  for (const v of verify)
    if (v.gateway)
      lines.push(
        `in-flight ${v.concurrency}: REST mean ${v.gateway.restMeanMs} ms, of which the gateway waited on the ` +
          `peer (Fabric evaluate) ${v.gateway.fabricMeanMs} ms; gateway CPU ${v.gateway.cpuMsPerRequest} ms per request`,
      );
  lines.push(
    `Alerts recorded for the bench product during verify: ${result.alertsDuringVerify} (0 = the REST path stayed read-only)`,
  );
  lines.push('');
  lines.push(
    `Commission (POST /v1/batches, quantity ${COMMISSION_QTY}, endorse + order + commit), ` +
      `${COMMISSION_RUNS} runs: ${commissionRuns.join(' / ')} ms; median ${commissionMedianMs} ms = ` +
      `${result.commission.packsPerSecond} packs/s`,
  );
  lines.push(
    `Lone dispense (POST /v1/units/…/dispense, one at a time, ${result.consensus} ordering), ` +
      `${dispenseMs.length} packs: p50 ${result.loneDispense.p50Ms} ms, p95 ${result.loneDispense.p95Ms} ms`,
  );
  for (const n of notes) lines.push(`NOTE: ${n}`);
  lines.push(`Figures written to ${OUT} (bench took ${round(result.totalMs / 1000, 0)} s)`);
  console.log(lines.join('\n'));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
