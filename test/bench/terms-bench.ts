// What commercial terms in private data cost a shipment: POST /v1/shipments of one pack, without terms and
// with terms (RecordTerms endorsed by the sender's and the receiver's peers with transient data, then the
// shipment), one at a time (latency) and BENCH_TERMS_CONCURRENCY in flight (throughput), alternating.
//   npm run bench   (test-network-scripts/bench.sh runs it after gateway-bench.ts)
// Knobs: BENCH_TERMS_SHIPMENTS (per mode and round, default 20), BENCH_TERMS_CONCURRENCY (default 8),
// BENCH_ROUNDS (default 2).

import { performance } from 'node:perf_hooks';
import { api } from '../support/http';
import { newGtin, newLot, newSerial } from '../support/ids';
import { readNetwork } from '../support/paths';
import { median, round, runLoad } from './stats';

const int = (name: string, fallback: number, max: number): number => {
  const n = Number(process.env[name] || fallback);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`${name} must be an integer in 1..${max}`);
  return n;
};
const SHIPMENTS = int('BENCH_TERMS_SHIPMENTS', 20, 500);
const CONCURRENCY = int('BENCH_TERMS_CONCURRENCY', 8, 50);
const ROUNDS = int('BENCH_ROUNDS', 2, 9);
const MAX_RUN_MS = 120_000;

async function ok<T>(what: string, res: Promise<{ status: number; body: T }>, status: number): Promise<T> {
  const r = await res;
  if (r.status !== status) throw new Error(`${what}: HTTP ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

async function main(): Promise<void> {
  const gtin = newGtin();
  await ok(
    'product',
    api('POST', '/v1/products', {
      as: 'manufacturer',
      body: {
        gtin,
        name: 'Bench ibuprofen 200 mg',
        genericName: 'ibuprofen',
        strength: '200 mg',
        dosageForm: 'tablet',
        marketingAuthorization: 'BENCH0002',
      },
    }),
    201,
  );
  const perRound = 2 * SHIPMENTS * 2; // two modes, latency and throughput runs
  const serials = Array.from({ length: perRound * ROUNDS }, newSerial);
  for (let i = 0; i < serials.length; i += 1000)
    await ok(
      'commission',
      api('POST', '/v1/batches', {
        as: 'manufacturer',
        body: {
          gtin,
          lot: newLot(),
          expiry: '2029-01-31',
          manufacturedOn: '2026-11-01',
          serials: serials.slice(i, i + 1000),
        },
      }),
      201,
    );
  const distributor = readNetwork().orgs.distributor;
  let next = 0;
  const ship = async (withTerms: boolean): Promise<'ok' | string> => {
    const serial = serials[next++];
    const body: Record<string, unknown> = {
      to: distributor.mspId,
      toGln: distributor.users.user1.gln,
      units: [{ gtin, serial }],
    };
    if (withTerms)
      body.terms = {
        purchaseOrder: `PO-${serial}`,
        invoice: `INV-${serial}`,
        unitPrice: '3.20',
        currency: 'EUR',
      };
    const res = await api('POST', '/v1/shipments', { as: 'manufacturer', body });
    return res.status === 201 ? 'ok' : `HTTP ${res.status}`;
  };
  const figures: Record<string, { p50: number[]; p95: number[]; rps: number[]; errors: number }> = {};
  for (const mode of ['plain', 'terms']) figures[mode] = { p50: [], p95: [], rps: [], errors: 0 };
  for (let r = 0; r < ROUNDS; r++) {
    for (const mode of r % 2 === 0 ? ['plain', 'terms'] : ['terms', 'plain']) {
      const withTerms = mode === 'terms';
      const lone: number[] = [];
      for (let i = 0; i < SHIPMENTS; i++) {
        const t0 = performance.now();
        if ((await ship(withTerms)) !== 'ok') figures[mode].errors++;
        lone.push(performance.now() - t0);
      }
      lone.sort((a, b) => a - b);
      figures[mode].p50.push(lone[Math.floor(lone.length / 2)]);
      figures[mode].p95.push(lone[Math.min(lone.length - 1, Math.ceil(lone.length * 0.95) - 1)]);
      const load = await runLoad(CONCURRENCY, SHIPMENTS, MAX_RUN_MS, () => ship(withTerms));
      figures[mode].rps.push(load.rps);
      figures[mode].errors += load.completed - load.ok;
    }
  }
  const row = (mode: string) => {
    const f = figures[mode];
    return `| ${mode === 'plain' ? 'shipment without terms' : 'shipment with terms (private data)'} | ${round(median(f.p50), 0)} | ${round(median(f.p95), 0)} | ${round(median(f.rps), 2)} | ${f.errors} |`;
  };
  console.log(
    [
      `POST /v1/shipments of one pack, ${SHIPMENTS} per mode and round, ${ROUNDS} rounds alternating; throughput at ${CONCURRENCY} in flight (medians of rounds)`,
      '| mode | one at a time p50 ms | p95 ms | shipments/s | errors |',
      '| --- | --- | --- | --- | --- |',
      row('plain'),
      row('terms'),
      `with ÷ without: p50 ${round(median(figures.terms.p50) / median(figures.plain.p50), 2)}×, throughput ${round(median(figures.terms.rps) / median(figures.plain.rps), 2)}×`,
    ].join('\n'),
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
