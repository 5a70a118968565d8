// System bench of commissioning against the real network, through REST (suite `commission` of npm run bench):
// - concurrent lots: BENCH_COMMISSION_LOTS lots of BENCH_COMMISSION_LOT_PACKS packs (pages of
//   BENCH_COMMISSION_PAGE), all lots at once, each lot's pages one after the other: packs/s, p50/p95 per page,
//   stack CPU per pack (/proc) and beside it the chaincode's in-memory CPU per pack (bench-chaincode.json's
//   commissionCpuMsPerPack), so the network's overhead reads as a ratio;
// - one lot of BENCH_BIG_LOT_PACKS packs (default 100,000) end to end, in pages of BENCH_BIG_LOT_PAGE under
//   idempotency keys: a page whose answer is a 503 COMMIT_TIMEOUT or 504 TIMEOUT is sent again under its key
//   (never commissioned twice), then the batch's quantity is read back and compared.
// The machine is shared: figures are printed and written to DRUGTRACE_BENCH_COMMISSION_OUT, never asserted.

import * as http from 'node:http';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MAX_GENERATED_BATCH } from '@drugtrace/chaincode/domain';
import { readApiKeys } from '../support/paths';
import { newGtin, newLot } from '../support/ids';
import { cpuPerTx, sampleCpu } from './proc-cpu';
import { int, restCall } from './rest-client';
import { percentile, round } from './stats';

const LOTS = int('BENCH_COMMISSION_LOTS', 8, 1, 64);
const LOT_PACKS = int('BENCH_COMMISSION_LOT_PACKS', 1000, 1, 100_000);
const BIG_LOT_PACKS = int('BENCH_BIG_LOT_PACKS', 100_000, 0, 1_000_000);
/**
 * Packs per page of the concurrent lots. Far below the limit by default: endorsements in flight at once share
 * one chaincode process, so on the shared 2-core machine 8 pages of 250 all outlast the 15 s endorsement
 * deadline together (504, nothing written) however often they are sent.
 */
const PAGE_PACKS = int('BENCH_COMMISSION_PAGE', 100, 1, MAX_GENERATED_BATCH);
/** Packs per page of the big lot, whose pages go alone, one after the other. */
const BIG_PAGE_PACKS = int('BENCH_BIG_LOT_PAGE', 500, 1, MAX_GENERATED_BATCH);
/** Times one page is sent under its key before the bench gives up (each send is bounded by the gateway). */
const PAGE_ATTEMPTS = 5;
const OUT =
  process.env.DRUGTRACE_BENCH_COMMISSION_OUT ??
  join(process.cwd(), 'test', 'artifacts', 'bench-commission.json');
const CHAINCODE_JSON =
  process.env.BENCH_CHAINCODE_JSON ?? join(process.cwd(), 'test', 'artifacts', 'bench-chaincode.json');

const keys = readApiKeys();
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

interface PageOutcome {
  ms: number;
  attempts: number;
  replayed: boolean;
  /** packs committed by this page: 0 when every attempt ended in 503/504 */
  packs: number;
}

/** One page under its idempotency key, sent again while its outcome is unknown (503/504). */
async function page(gtin: string, lot: string, quantity: number, key: string): Promise<PageOutcome> {
  const body = { gtin, lot, expiry: '2028-06-30', manufacturedOn: '2026-11-01', quantity };
  const t0 = performance.now();
  for (let attempt = 1; attempt <= PAGE_ATTEMPTS; attempt++) {
    const a = await restCall<{ unitCount?: number; replayed?: boolean }>(
      agent,
      'POST',
      '/v1/batches',
      keys.manufacturer,
      body,
      { 'idempotency-key': key },
    );
    if (a.status === 201) {
      if (a.body.unitCount !== quantity)
        throw new Error(`page ${key}: ${a.body.unitCount} packs, not ${quantity}`);
      const replayed = a.body.replayed === true;
      return { ms: performance.now() - t0, attempts: attempt, replayed, packs: quantity };
    }
    if (a.status !== 503 && a.status !== 504)
      throw new Error(`page ${key}: HTTP ${a.status} ${JSON.stringify(a.body)}`);
    const code = (a.body as { code?: string } | undefined)?.code ?? '';
    process.stderr.write(`  page ${key}: HTTP ${a.status} ${code}, sent again under its key\n`);
  }
  // Unknown or not written after every attempt: counted as failed; the lot goes on with its next page.
  return { ms: performance.now() - t0, attempts: PAGE_ATTEMPTS, replayed: false, packs: 0 };
}

/** A lot in pages of `size`, one after the other; with `code`, that lot's pages again under their keys. */
async function lot(
  gtin: string,
  packs: number,
  size: number,
  run: string,
  code = newLot(),
): Promise<{ lot: string; pages: PageOutcome[] }> {
  const pages: PageOutcome[] = [];
  for (let n = 0, left = packs; left > 0; n++, left -= size)
    pages.push(await page(gtin, code, Math.min(left, size), `${run}/${code}/${n}`));
  return { lot: code, pages };
}

async function registerProduct(): Promise<string> {
  const gtin = newGtin();
  const a = await restCall(agent, 'POST', '/v1/products', keys.manufacturer, {
    gtin,
    name: 'Bench paracetamol 500 mg tablets',
    genericName: 'paracetamol',
    strength: '500 mg',
    dosageForm: 'tablet',
    marketingAuthorization: 'BENCH0003',
  });
  if (a.status !== 201) throw new Error(`register product: HTTP ${a.status}`);
  return gtin;
}

async function quantityOf(gtin: string, code: string): Promise<number> {
  const a = await restCall<{ quantity: number }>(
    agent,
    'GET',
    `/v1/batches/${gtin}/${code}`,
    keys.manufacturer,
  );
  if (a.status !== 200) throw new Error(`batch ${gtin}/${code}: HTTP ${a.status}`);
  return a.body.quantity;
}

const committedPacks = (pages: PageOutcome[]): number => pages.reduce((sum, p) => sum + p.packs, 0);

const pageStats = (pages: PageOutcome[]) => {
  const ms = pages
    .filter((p) => p.packs > 0)
    .map((p) => p.ms)
    .sort((a, b) => a - b);
  return {
    pages: pages.length,
    failed: pages.filter((p) => p.packs === 0).length,
    p50Ms: round(percentile(ms, 50), 0),
    p95Ms: round(percentile(ms, 95), 0),
    resent: pages.filter((p) => p.attempts > 1).length,
    replayed: pages.filter((p) => p.replayed).length,
  };
};

async function main(): Promise<void> {
  const load0 = loadavg()[0];
  const inMemory = existsSync(CHAINCODE_JSON)
    ? (JSON.parse(readFileSync(CHAINCODE_JSON, 'utf8')) as { commissionCpuMsPerPack?: number })
        .commissionCpuMsPerPack
    : undefined;
  const run = `bench-${Date.now().toString(36)}`;
  const gtins = await Promise.all(Array.from({ length: LOTS }, registerProduct));

  process.stderr.write(`  ${LOTS} lots of ${LOT_PACKS} packs at once (one product each)\n`);
  const cpu0 = sampleCpu();
  const t0 = performance.now();
  const lots = await Promise.all(gtins.map((gtin) => lot(gtin, LOT_PACKS, PAGE_PACKS, run)));
  const concurrentPages = lots.flatMap((l) => l.pages);
  const packs = committedPacks(concurrentPages);
  const concurrent = { seconds: (performance.now() - t0) / 1000, cpu: cpuPerTx(cpu0, sampleCpu(), packs) };
  const concurrentResult = {
    lots: LOTS,
    packsPerLot: LOT_PACKS,
    packsPerPage: PAGE_PACKS,
    packsCommitted: packs,
    seconds: round(concurrent.seconds, 1),
    packsPerSecond: round(packs / concurrent.seconds, 0),
    ...pageStats(concurrentPages),
    stackCpuMsPerPack: concurrent.cpu.stackMsPerTx,
    cpuMsPerPackByProcess: concurrent.cpu.msPerTx,
    machineBusyCores: concurrent.cpu.machineBusyCores,
    inMemoryCpuMsPerPack: inMemory ?? null,
    cpuRatio: inMemory ? round(concurrent.cpu.stackMsPerTx / inMemory, 0) : null,
  };

  let big: Record<string, unknown> = { skipped: 'BENCH_BIG_LOT_PACKS=0' };
  if (BIG_LOT_PACKS > 0) {
    process.stderr.write(`  one lot of ${BIG_LOT_PACKS} packs, pages of ${BIG_PAGE_PACKS}, end to end\n`);
    const gtin = await registerProduct();
    const cpu0 = sampleCpu();
    const t0 = performance.now();
    let done = await lot(gtin, BIG_LOT_PACKS, BIG_PAGE_PACKS, run);
    // Resumed as a client would: every page sent again under its key (committed ones replay) until all hold.
    for (let again = 0; committedPacks(done.pages) < BIG_LOT_PACKS && again < 3; again++)
      done = await lot(gtin, BIG_LOT_PACKS, BIG_PAGE_PACKS, run, done.lot);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuPerTx(cpu0, sampleCpu(), BIG_LOT_PACKS);
    const counted = await quantityOf(gtin, done.lot);
    if (counted !== BIG_LOT_PACKS)
      throw new Error(`the big lot holds ${counted} packs, not ${BIG_LOT_PACKS}`);
    big = {
      packs: BIG_LOT_PACKS,
      packsPerPage: BIG_PAGE_PACKS,
      seconds: round(seconds, 0),
      packsPerSecond: round(BIG_LOT_PACKS / seconds, 0),
      ...pageStats(done.pages),
      stackCpuMsPerPack: cpu.stackMsPerTx,
      machineBusyCores: cpu.machineBusyCores,
    };
  }

  const result = {
    at: new Date().toISOString(),
    loadAverage1mAtStart: round(load0, 2),
    concurrentLots: concurrentResult,
    bigLot: big,
  };
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, JSON.stringify(result, null, 2) + '\n');
  const c = concurrentResult;
  console.log(
    `Commissioning through REST (machine shared: load average ${result.loadAverage1mAtStart} at start, ` +
      `${c.machineBusyCores} cores busy during the concurrent run)`,
  );
  console.log(
    `  ${LOTS} lots × ${LOT_PACKS} packs at once: ${c.packsPerSecond} packs/s (${c.seconds} s), page p50 ${c.p50Ms} ms ` +
      `p95 ${c.p95Ms} ms, ${c.resent} pages sent again, ${c.failed} of ${c.pages} failed; stack CPU ${c.stackCpuMsPerPack} ms/pack` +
      (inMemory
        ? ` = ${c.cpuRatio}× the chaincode in memory (${inMemory} ms/pack)`
        : ' (no in-memory figure)'),
  );
  if ('packs' in big)
    console.log(
      `  one lot of ${BIG_LOT_PACKS} packs end to end: ${String(big.seconds)} s, ${String(big.packsPerSecond)} packs/s, ` +
        `${String(big.pages)} pages (p50 ${String(big.p50Ms)} ms, ${String(big.resent)} sent again under their key), ` +
        `stack CPU ${String(big.stackCpuMsPerPack)} ms/pack; batch quantity read back: ${BIG_LOT_PACKS}`,
    );
  console.log(`Figures written to ${OUT}`);
}

main()
  .catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => agent.destroy());
