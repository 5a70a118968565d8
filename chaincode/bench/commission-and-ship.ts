// Chaincode benchmark, in process: the real contract code over the in-memory Fabric (src/testing), so it
// measures the chaincode's own cost (JSON, keys, custody logic) without gRPC, endorsement or disk.
//   npm run bench -w chaincode   (compiles to node_modules/.cache, runs with --expose-gc; contract-api logging at error)
// Phases: commission 10,000 serials in requests of MAX_COMMISSION_BATCH (CPU ms per pack: the figure the
// commission bench, test/bench/commission-bench.ts, puts the network's cost beside); pack them into cases of
// BENCH_CASE_PACKS (100) and the cases onto one pallet; ship the pallet; receive it; ship MAX_GOODS_PER_MOVE loose
// packs in one shipment and receive it (CPU ms per transaction of each: what test/bench/goods-bench.ts puts the
// network's cost beside). Then the per-transaction cost of one-pack custody writes
// (BENCH_SINGLE_TX packs shipped alone, received, dispensed): the figure the system bench (test/bench/write-bench.ts)
// puts the network's cost beside. DRUGTRACE_BENCH_OUT names a JSON file for those figures.

import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { MAX_COMMISSION_BATCH, MAX_GOODS_PER_MOVE } from '../src/domain';
import { Chain, GTIN, ID, sscc } from '../src/testing/harness';

const SERIALS = Number(process.env.BENCH_SERIALS ?? 10_000);
const SINGLE_TX = Number(process.env.BENCH_SINGLE_TX ?? 300);
const CASE_PACKS = Math.min(Number(process.env.BENCH_CASE_PACKS ?? 100), MAX_GOODS_PER_MOVE);
const MB = 1024 * 1024;

interface Row {
  phase: string;
  ms: number;
  /** CPU time (user + system) of the phase: on a shared machine the wall clock measures the neighbours too */
  cpuMs: number;
  heapDeltaMb: number;
  rssMb: number;
  peakRssMb: number;
  writes: number;
  bytesWritten: number;
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

async function measure(phase: string, chain: Chain, fn: () => Promise<unknown>): Promise<Row> {
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const txBefore = chain.ledger.transactions.length;
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  await fn();
  const cpu = process.cpuUsage(cpu0);
  const ms = performance.now() - start;
  const heapAfter = process.memoryUsage().heapUsed;
  const txs = chain.ledger.transactions.slice(txBefore);
  const keys = txs.flatMap((t) => t.writes);
  const bytesWritten = keys.reduce(
    (sum, k) => sum + (chain.ledger.read(k)?.length ?? 0) + Buffer.byteLength(k),
    0,
  );
  return {
    phase,
    ms: Math.round(ms),
    cpuMs: Math.round((cpu.user + cpu.system) / 100) / 10,
    heapDeltaMb: Math.round(((heapAfter - heapBefore) / MB) * 10) / 10,
    rssMb: Math.round(process.memoryUsage().rss / MB),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    writes: keys.length,
    bytesWritten,
  };
}

async function main(): Promise<void> {
  if (!(globalThis as { gc?: unknown }).gc)
    console.warn('run with node --expose-gc for comparable heap figures');
  const chain = new Chain();
  await chain.seed();
  await chain.registerProduct();
  gc();
  const baselineRssMb = Math.round(process.memoryUsage().rss / MB);
  const rows: Row[] = [];
  const serials: string[] = [];

  const requests = Math.ceil(SERIALS / MAX_COMMISSION_BATCH);
  let commissionCpuMs = 0;
  rows.push(
    await measure(`commission ${SERIALS} serials (${requests} tx)`, chain, async () => {
      const cpu0 = process.cpuUsage();
      for (let page = 0, left = SERIALS; left > 0; page++, left -= MAX_COMMISSION_BATCH) {
        const quantity = Math.min(left, MAX_COMMISSION_BATCH);
        serials.push(...(await chain.commission({ quantity, idempotencyKey: `bench/${page}` })).serials);
      }
      const cpu = process.cpuUsage(cpu0);
      commissionCpuMs = (cpu.user + cpu.system) / 1000;
    }),
  );
  /** CPU ms per pack commissioned, in pages under idempotency keys as the network bench sends them. */
  const commissionCpuMsPerPack = Math.round((commissionCpuMs / SERIALS) * 1000) / 1000;

  const cases: string[] = [];
  const caseCount = Math.ceil(SERIALS / CASE_PACKS);
  const packRow = await measure(`pack into ${caseCount} cases (${CASE_PACKS}/tx)`, chain, async () => {
    for (let i = 0; i * CASE_PACKS < serials.length; i++) {
      const code = sscc(100 + i);
      await chain.pack(
        ID.manufacturer,
        code,
        serials.slice(i * CASE_PACKS, (i + 1) * CASE_PACKS).map((serial) => ({ gtin: GTIN, serial })),
      );
      cases.push(code);
    }
  });
  rows.push(packRow);

  const pallet = sscc(1);
  const palletRow = await measure('pack cases onto a pallet (1 tx)', chain, () =>
    chain.pack(
      ID.manufacturer,
      pallet,
      cases.map((code) => ({ sscc: code })),
    ),
  );
  rows.push(palletRow);

  let shipmentId = '';
  const shipPalletRow = await measure(`ship the pallet of ${SERIALS} packs (1 tx)`, chain, async () => {
    shipmentId = (await chain.ship(ID.manufacturer, 'distributor', { containers: [pallet] })).id;
  });
  rows.push(shipPalletRow);
  const receivePalletRow = await measure('receive the pallet (1 tx)', chain, () =>
    chain.receive(ID.distributor, shipmentId),
  );
  rows.push(receivePalletRow);

  // Loose packs: MAX_GOODS_PER_MOVE in one shipment, each pack's own key moved.
  const looseLot = await chain.commission({ quantity: MAX_GOODS_PER_MOVE, lot: 'LOOSE1' });
  const loose = looseLot.serials.map((serial) => ({ gtin: GTIN, serial }));
  let looseId = '';
  const shipLooseRow = await measure(`ship ${loose.length} loose packs (1 tx)`, chain, async () => {
    looseId = (await chain.ship(ID.manufacturer, 'distributor', { units: loose })).id;
  });
  rows.push(shipLooseRow);
  const receiveLooseRow = await measure(`receive ${loose.length} loose packs (1 tx)`, chain, () =>
    chain.receive(ID.distributor, looseId),
  );
  rows.push(receiveLooseRow);
  /** CPU ms per transaction of the steps test/bench/goods-bench.ts runs through the network. */
  const goodsCpuMsPerTx = {
    shipLoose: shipLooseRow.cpuMs,
    receiveLoose: receiveLooseRow.cpuMs,
    packCase: Math.round((packRow.cpuMs / caseCount) * 100) / 100,
    packPallet: palletRow.cpuMs,
    shipPallet: shipPalletRow.cpuMs,
    receivePallet: receivePalletRow.cpuMs,
  };

  const check = await chain.unit(GTIN, serials[serials.length - 1]);
  if (check.custodian.msp !== 'DistributorMSP')
    throw new Error('the last pack did not reach the distributor');
  rows.push(
    await measure('batch Get: counts over all packs (query)', chain, () =>
      chain.evaluate(ID.regulator, (ctx) => chain.batches.Get(ctx, GTIN, 'A1B2')),
    ),
  );

  // One-pack custody writes, one transaction each: distributor → pharmacy, received, dispensed.
  const fresh = await chain.commission({ quantity: SINGLE_TX, lot: 'SINGLE1' });
  const single = fresh.serials.map((serial) => ({ gtin: GTIN, serial }));
  const bulk = await chain.ship(ID.manufacturer, 'distributor', { units: single });
  await chain.receive(ID.distributor, bulk.id);
  const ids: string[] = [];
  // CPU time, not wall time: on a shared machine the wall clock measures the neighbours too.
  const perTx = async (phase: string, fn: (i: number) => Promise<unknown>): Promise<number> => {
    let cpuMs = 0;
    const row = await measure(`${phase}: ${single.length} tx of one pack`, chain, async () => {
      const cpu0 = process.cpuUsage();
      for (let i = 0; i < single.length; i++) await fn(i);
      const cpu = process.cpuUsage(cpu0);
      cpuMs = (cpu.user + cpu.system) / 1000;
    });
    rows.push(row);
    return Math.round((cpuMs / single.length) * 1000) / 1000;
  };
  const perTxMs = {
    ship: await perTx('ship', async (i) =>
      ids.push((await chain.ship(ID.distributor, 'pharmacy', { units: [single[i]] })).id),
    ),
    receive: await perTx('receive', (i) => chain.receive(ID.pharmacy, ids[i])),
    dispense: await perTx('dispense', (i) =>
      chain.submit(ID.pharmacy, (ctx) => chain.units.Dispense(ctx, single[i].gtin, single[i].serial)),
    ),
  };

  console.log(
    `DrugTrace chaincode bench — node ${process.version}, ${SERIALS} serials, in-memory ledger of ${chain.ledger.size} keys`,
  );
  console.log(
    `RSS after loading the contracts and seeding: ${baselineRssMb} MB; heap deltas include what the fake ledger retains`,
  );
  console.table(rows);
  console.log(`one-pack custody writes, CPU ms per transaction: ${JSON.stringify(perTxMs)}`);
  console.log(`commissioning, CPU ms per pack: ${commissionCpuMsPerPack}`);
  console.log(`loose packs and aggregation, CPU ms per transaction: ${JSON.stringify(goodsCpuMsPerTx)}`);
  if (process.env.DRUGTRACE_BENCH_OUT)
    writeFileSync(
      process.env.DRUGTRACE_BENCH_OUT,
      JSON.stringify(
        { at: new Date().toISOString(), rows, perTxMs, commissionCpuMsPerPack, goodsCpuMsPerTx },
        null,
        2,
      ) + '\n',
    );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
