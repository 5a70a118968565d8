// The read model's bench (`npm run bench`, step 3), against the running gateway on this machine only:
// - verify at 200 in flight three ways: REST (answered from the replica), a bare Node HTTP server answering the
//   same JSON (this machine's HTTP floor), and a direct chaincode evaluate (Fabric Gateway, the pharmacy's peer);
//   for the first two also the server process's CPU per answer (/proc), which a loaded machine disturbs least;
// - verify at fixed arrival rates (BENCH_RATES, default 500,1000 a second, BENCH_RATE_SECONDS each): p50/p95/p99,
//   of packs scanned here before (nothing to record), each leg once earlier legs' scan records have committed;
//   then at the first rate over packs never scanned here, whose first scans the gateway records meanwhile;
// - verify at 200 in flight while commissioning and shipping run beside it (the replica applying their blocks);
// - replica lag: a write's answer (committed on the peer) to a read served from the replica at that block;
// - rebuild from block 0 (`npm run index:rebuild` into a database of its own): blocks/s and keys/s;
// - GET the counts of one lot of BENCH_LOT_PACKS packs (default 100,000), commissioned 1,000 a request.
// The machine is shared: compare the figures of one run with each other (ratios), not across runs.
// Figures go to test/artifacts/bench-read-model.json.
import { execFileSync, spawn } from 'node:child_process';
import * as http from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MAX_COMMISSION_BATCH } from '@drugtrace/chaincode/domain';
import { connectAs, json } from '../support/fabric';
import { api } from '../support/http';
import { newGtin, newLot, newSerial } from '../support/ids';
import { drugtraceHome, gatewayUrl, readApiKeys, readNetwork } from '../support/paths';
import { cpuPerTx, sampleCpu, stackPids } from './proc-cpu';
import { int, send } from './rest-client';
import { commissionedBatch, elementString, EXPIRY, expectOk, MANUFACTURED_ON } from './setup';
import { LoadResult, Outcome, percentile, round, runLoad } from './stats';

const REQUESTS = int('BENCH_VERIFY_REQUESTS', 2000, 1, 20_000);
const LOT_PACKS = int('BENCH_LOT_PACKS', 100_000, 1_000, 1_000_000);
const RATE_SECONDS = int('BENCH_RATE_SECONDS', 5, 1, 60);
const RATES = (process.env.BENCH_RATES ?? '500,1000').split(',').map(Number);
const LAG_SAMPLES = int('BENCH_LAG_SAMPLES', 20, 1, 200);
/** Packs per commissioning (and then per shipment) of the writes that run beside the reads. */
const WRITE_PACKS = int('BENCH_WRITE_PACKS', 50, 1, 1000);
/** Which parts run (BENCH_READ_PARTS, comma-separated; default all): verify, rates, writing, lag, rebuild, lot. */
const PARTS = new Set((process.env.BENCH_READ_PARTS ?? 'verify,rates,writing,lag,rebuild,lot').split(','));
const OUT =
  process.env.DRUGTRACE_BENCH_OUT ?? join(process.cwd(), 'test', 'artifacts', 'bench-read-model.json');

/** POST a JSON body over a keep-alive agent; 'ok' when the answer is 200 and `check` accepts the body. */
function poster(agent: http.Agent, url: URL, key: string | undefined, check: (body: string) => boolean) {
  return async (payload: string): Promise<Outcome> => {
    const { status, text } = await send(agent, url, 'POST', key, payload, 30_000);
    return status === 200 && check(text) ? 'ok' : `HTTP ${status}`;
  };
}

/** A bare Node HTTP server in a process of its own, answering every POST with `body` (this machine's floor). */
async function bareServer(body: string): Promise<{ url: URL; pid: number; stop: () => void }> {
  const script = `
    const http = require('node:http');
    const body = Buffer.from(process.env.BARE_BODY);
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body));
    });
    server.keepAliveTimeout = 5000;
    server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));`;
  const child = spawn(process.execPath, ['-e', script], {
    env: { ...process.env, BARE_BODY: body },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('exit', (code) => reject(new Error(`bare server exited (${code})`)));
  });
  return {
    url: new URL(`http://127.0.0.1:${port}/v1/verify`),
    pid: child.pid as number,
    stop: () => child.kill('SIGTERM'),
  };
}

/** Open loop: one request every 1000/rate ms for `seconds`, whatever the answers do; latency from its send. */
async function fixedRate(rate: number, seconds: number, call: (i: number) => Promise<Outcome>) {
  const total = rate * seconds;
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const t0 = performance.now();
    pending.push(
      call(i).then(
        (outcome) => {
          if (outcome === 'ok') latencies.push(performance.now() - t0);
          else errors[outcome] = (errors[outcome] ?? 0) + 1;
        },
        (err: Error) => {
          errors[err.message] = (errors[err.message] ?? 0) + 1;
        },
      ),
    );
  }
  await Promise.all(pending);
  latencies.sort((a, b) => a - b);
  return {
    rate,
    sent: total,
    ok: latencies.length,
    errors,
    achievedPerSecond: round((latencies.length / (performance.now() - start)) * 1000, 0),
    p50Ms: round(percentile(latencies, 50)),
    p95Ms: round(percentile(latencies, 95)),
    p99Ms: round(percentile(latencies, 99)),
  };
}

/**
 * Commissioning and shipping beside the reads, until `stop()`: the manufacturer commissions WRITE_PACKS packs at a
 * time and ships them to the distributor, one after the other. Answers how many of each committed.
 */
function writesBeside(gtin: string): {
  stop: () => Promise<{ commissioned: number; shipped: number; failed: number }>;
} {
  const net = readNetwork();
  let running = true;
  const done = { commissioned: 0, shipped: 0, failed: 0 };
  const loop = (async () => {
    while (running) {
      const lot = newLot();
      const serials = Array.from({ length: WRITE_PACKS }, newSerial);
      const made = await api('POST', '/v1/batches', {
        as: 'manufacturer',
        body: { gtin, lot, expiry: EXPIRY, manufacturedOn: '2026-01-15', serials },
      });
      if (made.status !== 201) {
        done.failed++;
        continue;
      }
      done.commissioned += WRITE_PACKS;
      const shipped = await api('POST', '/v1/shipments', {
        as: 'manufacturer',
        body: {
          to: net.orgs.distributor.mspId,
          toGln: net.orgs.distributor.glns[0],
          units: serials.map((serial) => ({ gtin, serial })),
        },
      });
      if (shipped.status === 201) done.shipped += WRITE_PACKS;
      else done.failed++;
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return done;
    },
  };
}

/**
 * `npm run index:rebuild` into a database of its own (a state directory holding only network.json, so its
 * SQLite file is new), while the gateway keeps its own: the rebuild's own line, with blocks/s and keys/s.
 */
function rebuild(): { blocks: number; seconds: number; blocksPerSecond: number; keysPerSecond: number } {
  const home = mkdtempSync(join(tmpdir(), 'drugtrace-rebuild-'));
  try {
    symlinkSync(join(drugtraceHome, 'network.json'), join(home, 'network.json'));
    const out = execFileSync(
      process.execPath,
      [join(process.cwd(), 'gateway', 'dist', 'replica', 'index-cli.js'), 'rebuild'],
      {
        env: { ...process.env, DRUGTRACE_HOME: home, DATABASE_URL: '' },
        encoding: 'utf8',
        timeout: 600_000,
      },
    );
    const m =
      /(\d+) blocks \(0\.\.\d+\) in ([\d.]+) s — ([\d.]+) blocks\/s, \d+ keys written \((\d+) keys\/s\)/.exec(
        out,
      );
    if (!m) throw new Error(`index:rebuild printed no figures: ${out}`);
    return {
      blocks: Number(m[1]),
      seconds: Number(m[2]),
      blocksPerSecond: Number(m[3]),
      keysPerSecond: Number(m[4]),
    };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

const brief = (r: LoadResult, cpuMsPerRequest?: number) => ({
  ...(cpuMsPerRequest !== undefined ? { cpuMsPerRequest } : {}),
  rps: r.rps,
  p50Ms: r.p50Ms,
  p95Ms: r.p95Ms,
  p99Ms: r.p99Ms,
  ok: r.ok,
  errors: r.errors,
});

/** The sum of the gateway's own /metrics (loopback) samples whose line starts with `prefix`; NaN when none does. */
async function gatewayMetric(prefix: string): Promise<number> {
  const res = await api<string>('GET', '/metrics', { as: null });
  const values = (typeof res.body === 'string' ? res.body.split('\n') : [])
    .filter((l) => l.startsWith(prefix))
    .map((l) => Number(l.slice(l.lastIndexOf(' ') + 1)));
  return values.length > 0 ? values.reduce((a, b) => a + b, 0) : NaN;
}

/**
 * Waits (at most a minute) until the scans the gateway queued for the ledger have committed, so a timed leg
 * measures verification and not the tail of an earlier leg's ledger writes; answers the seconds waited.
 */
async function scanRecordsSettled(): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const pending = await gatewayMetric('drugtrace_scan_records_pending ');
    if (Number.isNaN(pending))
      throw new Error('the gateway has no drugtrace_scan_records_pending on /metrics');
    if (pending === 0 || performance.now() - t0 >= 60_000) return round((performance.now() - t0) / 1000, 1);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function main(): Promise<void> {
  const load0 = loadavg()[0];
  const net = readNetwork();
  const keys = readApiKeys();
  // Packs at the manufacturer, verified by the manufacturer: GENUINE, no custody set-up.
  const batch = await commissionedBatch(Array.from({ length: 200 }, newSerial));
  const { gtin } = batch;
  const codes = batch.serials.map((s) => elementString(batch, s));
  const payloads = codes.map((code) => JSON.stringify({ code }));
  const genuine = (text: string) => text.includes('"verdict":"GENUINE"');

  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const rest = poster(agent, new URL('/v1/verify', gatewayUrl), keys.manufacturer, genuine);
  const sample = await expectOk(
    'sample verify',
    api('POST', '/v1/verify', { as: 'manufacturer', body: { code: codes[0] } }),
    200,
  );
  const bare = await bareServer(JSON.stringify(sample));
  const bareCall = poster(agent, bare.url, undefined, genuine);
  const conn = connectAs('manufacturer');
  const contract = conn.contract('verification');
  const gln = net.orgs.manufacturer.users.user1.gln;
  const direct = async (i: number): Promise<Outcome> =>
    json<{ verdict: string }>(await contract.evaluateTransaction('Verify', codes[i % codes.length], gln))
      .verdict === 'GENUINE'
      ? 'ok'
      : 'not genuine';

  const results: Record<string, unknown> = { loadAverageAtStart: round(load0, 1), cores: 2 };
  try {
    // Warm-up: every pack's first scan is recorded (a sighting), which is a ledger write; let those go first.
    await runLoad(20, 400, 60_000, (i) => rest(payloads[i % payloads.length]));
    await runLoad(20, 200, 60_000, (i) => bareCall(payloads[i % payloads.length]));
    await runLoad(20, 200, 60_000, direct);
    await scanRecordsSettled();
    const three: Record<string, ReturnType<typeof brief>> = {};
    // The server's own CPU per answer (/proc), which a loaded machine disturbs far less than req/s: the
    // gateway's for REST, the bare server's for it; the chaincode path spans peers and is left out.
    const servers: Record<string, Map<string, number> | undefined> = {
      'rest (replica)': new Map([['gateway', stackPids().get('gateway') ?? 0]]),
      'bare node http': new Map([['bare', bare.pid]]),
      'chaincode evaluate': undefined,
    };
    if (PARTS.has('verify'))
      for (const [name, fn] of [
        ['rest (replica)', (i: number) => rest(payloads[i % payloads.length])],
        ['bare node http', (i: number) => bareCall(payloads[i % payloads.length])],
        ['chaincode evaluate', direct],
      ] as const) {
        const pids = servers[name];
        const before = pids && sampleCpu(pids);
        const r = await runLoad(200, REQUESTS, 60_000, fn);
        const cpu = pids && before ? cpuPerTx(before, sampleCpu(pids), r.ok).stackMsPerTx : undefined;
        three[name] = brief(r, cpu);
        process.stderr.write(
          `  verify ${name}, 200 in flight: ${r.rps} req/s, p50 ${r.p50Ms} ms, p95 ${r.p95Ms} ms` +
            (cpu !== undefined ? `, server CPU ${cpu} ms per answer` : '') +
            '\n',
        );
      }
    results.verifyAt200 = three;
    const [fromReplica, bareNode] = [three['rest (replica)'], three['bare node http']];
    if (fromReplica && bareNode) {
      // The goals, as ratios within this run: ≥ 0.8× the bare server's req/s, p95 ≤ 1.3× its p95.
      const cpuPerAnswer =
        fromReplica.cpuMsPerRequest && bareNode.cpuMsPerRequest
          ? round(fromReplica.cpuMsPerRequest / bareNode.cpuMsPerRequest, 1)
          : undefined;
      results.restOverBare = {
        rps: round(fromReplica.rps / bareNode.rps, 2),
        p95: round(fromReplica.p95Ms / bareNode.p95Ms, 2),
        ...(cpuPerAnswer !== undefined ? { cpuPerAnswer } : {}),
      };
      process.stderr.write(
        `  rest ÷ bare node http: req/s ${round(fromReplica.rps / bareNode.rps, 2)}× (goal ≥ 0.8×), ` +
          `p95 ${round(fromReplica.p95Ms / bareNode.p95Ms, 2)}× (goal ≤ 1.3×)` +
          (cpuPerAnswer !== undefined ? `, server CPU per answer ${cpuPerAnswer}×\n` : '\n'),
      );
    }
    // A fixed-rate leg, with the scans the gateway recorded on the ledger meanwhile (each one a transaction that
    // peers, orderers and the chaincode commit on this same machine while it answers).
    // No sample yet: none queued since the gateway started.
    const queued = async () => (await gatewayMetric('drugtrace_scan_records_total{outcome="queued"}')) || 0;
    const rateLeg = async (rate: number, legPayloads: string[]) => {
      await scanRecordsSettled();
      const before = await queued();
      const r = await fixedRate(rate, RATE_SECONDS, (i) => rest(legPayloads[i % legPayloads.length]));
      return { ...r, recorded: (await queued()) - before };
    };
    const rates = [];
    // Packs the warm-up scanned first: their sightings stand (SIGHTING_REFRESH), so verifying them records nothing.
    const rescans = payloads.slice(0, 20);
    for (const rate of PARTS.has('rates') ? RATES : []) {
      const r = await rateLeg(rate, rescans);
      rates.push(r);
      process.stderr.write(
        `  verify at ${rate}/s, packs scanned here before (${r.recorded} scans recorded meanwhile): ` +
          `p50 ${r.p50Ms} ms, p95 ${r.p95Ms} ms, p99 ${r.p99Ms} ms\n`,
      );
    }
    results.verifyFixedRate = rates;
    // The first rate over packs this place never scanned: each first scan is a sighting the gateway records, as
    // many as the key's SCAN_RECORD_RATE_LIMIT allows.
    if (PARTS.has('rates')) {
      const fresh = await commissionedBatch(Array.from({ length: MAX_COMMISSION_BATCH }, newSerial));
      const r = await rateLeg(
        RATES[0],
        fresh.serials.map((s) => JSON.stringify({ code: elementString(fresh, s) })),
      );
      results.verifyFirstScans = r;
      process.stderr.write(
        `  verify at ${r.rate}/s, first scans (${r.recorded} recorded meanwhile): ` +
          `p50 ${r.p50Ms} ms, p95 ${r.p95Ms} ms, p99 ${r.p99Ms} ms\n`,
      );
    }
    // The same REST verify load again, now with commissioning and shipping committing blocks beside it.
    if (PARTS.has('writing')) {
      const writes = writesBeside(gtin);
      const during = await runLoad(200, REQUESTS, 60_000, (i) => rest(payloads[i % payloads.length]));
      const written = await writes.stop();
      results.verifyWhileWriting = { ...brief(during), writes: written };
      process.stderr.write(
        `  verify rest (replica), 200 in flight, while commissioning and shipping: ${during.rps} req/s, ` +
          `p50 ${during.p50Ms} ms, p95 ${during.p95Ms} ms (${written.commissioned} packs commissioned, ` +
          `${written.shipped} shipped, ${written.failed} writes failed meanwhile)\n`,
      );
    }
  } finally {
    bare.stop();
    conn.close();
  }

  // Replica lag: from the peer's commit to the replica applying the block. A write is answered once the replica
  // has it (its wait is the gateway's `replica`/`visible` timer); the read at its block then waits for the rest.
  const lag: number[] = [];
  const visibleWaitS = async () =>
    (await gatewayMetric('drugtrace_fabric_call_duration_seconds_sum{call="replica",kind="visible"')) || 0;
  for (let i = 0; i < (PARTS.has('lag') ? LAG_SAMPLES : 0); i++) {
    const g = newGtin();
    const waited = await visibleWaitS();
    const write = await api('POST', '/v1/products', {
      as: 'manufacturer',
      body: {
        gtin: g,
        name: 'Lag',
        genericName: 'lag',
        strength: '1 mg',
        dosageForm: 'tablet',
        marketingAuthorization: 'L1',
      },
    });
    if (write.status !== 201) throw new Error(`lag write: HTTP ${write.status}`);
    const t0 = performance.now();
    const read = await api('GET', `/v1/products/${g}`, {
      as: 'distributor',
      headers: { 'x-min-block': String(write.headers.get('x-ledger-block')) },
    });
    if (read.status !== 200) throw new Error(`lag read: HTTP ${read.status}`);
    const readMs = performance.now() - t0;
    lag.push((await visibleWaitS()) * 1000 - waited * 1000 + readMs);
  }
  lag.sort((a, b) => a - b);
  if (lag.length > 0) {
    results.replicaLag = {
      samples: lag.length,
      p50Ms: round(percentile(lag, 50)),
      p95Ms: round(percentile(lag, 95)),
    };
    process.stderr.write(
      `  replica lag (peer commit → replica applied: the write's wait, then the read's at its block): p50 ${round(percentile(lag, 50))} ms, ` +
        `p95 ${round(percentile(lag, 95))} ms\n`,
    );
  }

  if (PARTS.has('rebuild')) {
    const rebuilt = rebuild();
    results.rebuild = rebuilt;
    process.stderr.write(
      `  index:rebuild from block 0: ${rebuilt.blocks} blocks in ${rebuilt.seconds} s, ` +
        `${rebuilt.blocksPerSecond} blocks/s, ${rebuilt.keysPerSecond} keys/s\n`,
    );
  }

  // A lot of LOT_PACKS packs, commissioned MAX_COMMISSION_BATCH at a time, then its counts read.
  if (PARTS.has('lot')) {
    const bigLot = newLot();
    const commissionStart = performance.now();
    for (let done = 0; done < LOT_PACKS; done += MAX_COMMISSION_BATCH) {
      const body = {
        gtin,
        lot: bigLot,
        expiry: EXPIRY,
        manufacturedOn: MANUFACTURED_ON,
        quantity: Math.min(MAX_COMMISSION_BATCH, LOT_PACKS - done),
      };
      // Each page under its own idempotency key: after a 503 (outcome unknown) or 504 (nothing written) it is
      // sent again, and a page that did commit answers its first result instead of commissioning twice.
      const headers = { 'idempotency-key': `${bigLot}-${done}` };
      for (let attempt = 1; ; attempt++) {
        const page = await api('POST', '/v1/batches', { as: 'manufacturer', body, headers });
        if (page.status === 201) break;
        if (![503, 504].includes(page.status) || attempt === 3)
          throw new Error(`commission chunk: HTTP ${page.status} ${JSON.stringify(page.body).slice(0, 300)}`);
      }
      if ((done / MAX_COMMISSION_BATCH) % 10 === 9)
        process.stderr.write(`  lot: ${done + MAX_COMMISSION_BATCH} packs\n`);
    }
    const commissionS = (performance.now() - commissionStart) / 1000;
    const countMs: number[] = [];
    let counted = 0;
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      const res = await expectOk(
        'batch counts',
        api<{ counts: { byState: Record<string, number> } }>('GET', `/v1/batches/${gtin}/${bigLot}`, {
          as: 'manufacturer',
        }),
        200,
      );
      countMs.push(performance.now() - t0);
      counted = res.counts.byState.ACTIVE ?? 0;
    }
    if (counted !== LOT_PACKS)
      throw new Error(`the lot's counts say ${counted} ACTIVE, expected ${LOT_PACKS}`);
    countMs.sort((a, b) => a - b);
    results.lotCounts = {
      packs: LOT_PACKS,
      commissionSeconds: round(commissionS, 0),
      p50Ms: round(percentile(countMs, 50)),
      p95Ms: round(percentile(countMs, 95)),
    };
    process.stderr.write(
      `  GET counts of a ${LOT_PACKS}-pack lot: p50 ${round(percentile(countMs, 50))} ms\n`,
    );
  }
  agent.destroy();
  results.loadAverageAtEnd = round(loadavg()[0], 1);
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, JSON.stringify(results, null, 2) + '\n');
  console.log(JSON.stringify(results, null, 2));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
