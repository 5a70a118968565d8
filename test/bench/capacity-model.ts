// Capacity model (docs/SCALE.md): from the write bench's measured CPU per transaction (bench-write.json), how
// many custody changes per second one channel sustains when each node has N cores of its own, and how a
// country's volume maps onto channels, peers, orderers and gateway replicas.
//   node <bench build>/bench/capacity-model.js [bench-write.json]   (bench.sh runs it after the write bench)
// Measured: CPU ms per transaction of each process; commit ms per transaction (peer logs, wall time).
// Simulated (assumptions, named in ASSUMPTIONS): cores per node, usable share of a core, volumes, peak factor.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface Run {
  kind: string;
  concurrency: number;
  load: { rps: number; ok: number };
  cpu: { msPerTx: Record<string, number> };
  path: {
    blocksByPeer: Record<
      string,
      { txsPerBlock: number; validateMsPerBlock: number; commitMsPerBlock: number }
    >;
  };
}

/** Everything the model assumes rather than measures. */
export const ASSUMPTIONS = {
  /** share of a core a node may use before latency climbs (queueing) */
  usableShare: 0.6,
  coresPerNode: [2, 8, 32],
  /** EU: ~10 bn packs a year decommissioned (issue 17) → ~320 dispenses/s on average */
  euDispensesPerSecondAverage: 320,
  /** US: assumed of the same order as the EU (not measured, not sourced here): replace with real volumes */
  usDispensesPerSecondAverage: 250,
  /** pharmacy opening hours and the busiest days: peak ÷ average */
  peakFactor: 5,
  /** receipts and shipments per dispense: goods move in cases and pallets, one transaction for many packs */
  movesPerDispense: 0.1,
  /** packs per dispense transaction once prescriptions go in one transaction (POST /v1/units/dispense) */
  packsPerDispenseTx: 1.5,
  /** largest markets' share of the EU volume (Germany's securPharm reports ~150 tx/s in business hours) */
  largestMarketShare: 0.2,
};

export interface NodeCosts {
  /** CPU ms per transaction a peer spends validating and committing it (every peer of the channel) */
  validateCommit: number;
  /** extra CPU ms per transaction on a peer that endorses it, chaincode included */
  endorse: number;
  /** CPU ms per transaction of one orderer (the busiest) */
  orderer: number;
  /** CPU ms per transaction of the REST gateway */
  gateway: number;
  /** wall ms per transaction of the commit, which a peer runs one block at a time (see commitPerTx) */
  commitPerTx: number;
}

const avg = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * Commit ms per transaction: the least of every run's and peer's (commit ms per block ÷ transactions per block).
 * A wall time on a shared machine, so an upper bound of the cost; the least observation is the least inflated
 * by neighbours. The fixed part per block shrinks per transaction as blocks grow, which this ignores.
 */
export function commitPerTx(runs: Run[]): number {
  const perTx = runs.flatMap((r) =>
    Object.values(r.path.blocksByPeer)
      .filter((b) => b.txsPerBlock > 0 && Number.isFinite(b.commitMsPerBlock))
      .map((b) => b.commitMsPerBlock / b.txsPerBlock),
  );
  return Math.min(...perTx);
}

/** Per-role costs from one run: endorsing peers are those that spent more than the validators alone. */
export function costsOf(run: Run, endorsers: string[], commit: number): NodeCosts {
  const ms = run.cpu.msPerTx;
  const peers = Object.keys(ms).filter((k) => k.startsWith('peer0.'));
  const endorsing = peers.filter((p) => endorsers.includes(p.slice('peer0.'.length)));
  const validating = peers.filter((p) => !endorsing.includes(p));
  const validateCommit = avg(validating.map((p) => ms[p]));
  const chaincodePerEndorsement = (ms.chaincode ?? 0) / Math.max(1, endorsing.length);
  const endorse = avg(endorsing.map((p) => ms[p])) - validateCommit + chaincodePerEndorsement;
  const orderer = Math.max(
    ...Object.keys(ms)
      .filter((k) => k.startsWith('orderer'))
      .map((k) => ms[k]),
  );
  return { validateCommit, endorse, orderer, gateway: ms.gateway ?? NaN, commitPerTx: commit };
}

export interface ChannelCapacity {
  cores: number;
  /** the regulator's peer endorses every custody change and validates all: tx/s it sustains with R peers */
  byRegulatorPeers: Record<number, number>;
  /** any peer still validates every transaction: the channel's ceiling however many peers endorse */
  validationCeiling: number;
  /** commits are one block at a time: the ceiling from the measured commit time per transaction */
  commitCeiling: number;
  orderingCeiling: number;
  gatewayPerReplica: number;
}

export function channelCapacity(c: NodeCosts, cores: number, u = ASSUMPTIONS.usableShare): ChannelCapacity {
  const budget = cores * 1000 * u;
  const byRegulatorPeers: Record<number, number> = {};
  for (const r of [1, 2, 4]) byRegulatorPeers[r] = Math.floor(budget / (c.validateCommit + c.endorse / r));
  return {
    cores,
    byRegulatorPeers,
    validationCeiling: Math.floor(budget / c.validateCommit),
    commitCeiling: Math.floor(1000 / c.commitPerTx),
    orderingCeiling: Math.floor(budget / c.orderer),
    gatewayPerReplica: Math.floor(budget / c.gateway),
  };
}

export interface MarketPlan {
  market: string;
  peakTxPerSecond: number;
  cores: number;
  channelTxPerSecond: number;
  channels: number;
  regulatorPeersPerChannel: number;
  gatewayReplicas: number;
  orderingNodes: number;
}

/** A market's peak custody transactions per second, and what serves it on nodes of `cores` cores. */
export function planMarket(
  market: string,
  dispensesAverage: number,
  c: NodeCosts,
  cores: number,
): MarketPlan {
  const a = ASSUMPTIONS;
  const peakTxPerSecond = Math.ceil(
    ((dispensesAverage * a.peakFactor) / a.packsPerDispenseTx) * (1 + a.movesPerDispense),
  );
  const cap = channelCapacity(c, cores);
  const regulatorPeersPerChannel = 2; // one more than needed for a crash, and it spreads endorsements
  const channelTxPerSecond = Math.min(
    cap.byRegulatorPeers[regulatorPeersPerChannel],
    cap.commitCeiling,
    cap.orderingCeiling,
  );
  const channels = Math.ceil(peakTxPerSecond / channelTxPerSecond);
  return {
    market,
    peakTxPerSecond,
    cores,
    channelTxPerSecond,
    channels,
    regulatorPeersPerChannel,
    gatewayReplicas: Math.max(2, Math.ceil(peakTxPerSecond / cap.gatewayPerReplica)),
    // One Raft ordering service (3 nodes: one may crash; SmartBFT: 4, one may lie) serves several channels
    // until its leader's CPU (orderer ms/tx × the channels' tx/s) fills; then another service.
    orderingNodes: 3 * Math.ceil((peakTxPerSecond * c.orderer) / (cores * 1000 * a.usableShare)),
  };
}

function main(): void {
  const file = process.argv[2] ?? join(process.cwd(), 'test', 'artifacts', 'bench-write.json');
  const bench = JSON.parse(readFileSync(file, 'utf8')) as { runs: Run[]; at: string };
  const run =
    bench.runs.find((r) => r.kind === 'dispense' && r.concurrency === 50) ??
    bench.runs.find((r) => r.kind === 'dispense');
  if (!run) throw new Error(`${file} has no dispense run`);
  const costs = costsOf(run, ['pharmacy', 'regulator'], commitPerTx(bench.runs));
  const r1 = (x: number): number => Math.round(x * 10) / 10;
  const capacity = ASSUMPTIONS.coresPerNode.map((n) => channelCapacity(costs, n));
  const markets = ASSUMPTIONS.coresPerNode
    .slice(1)
    .flatMap((n) => [
      planMarket('EU', ASSUMPTIONS.euDispensesPerSecondAverage, costs, n),
      planMarket(
        'largest EU market',
        ASSUMPTIONS.euDispensesPerSecondAverage * ASSUMPTIONS.largestMarketShare,
        costs,
        n,
      ),
      planMarket('US (assumed volume)', ASSUMPTIONS.usDispensesPerSecondAverage, costs, n),
    ]);
  const out = {
    from: file,
    benchAt: bench.at,
    run: `${run.kind}@${run.concurrency}`,
    measuredRps: run.load.rps,
    costs,
    capacity,
    markets,
    assumptions: ASSUMPTIONS,
  };
  writeFileSync(file.replace(/\.json$/, '') + '-model.json', JSON.stringify(out, null, 2) + '\n');

  const l: string[] = [];
  l.push(`Capacity model from ${file} (${out.run}, measured ${run.load.rps} tx/s on this machine)`);
  l.push(
    `measured CPU ms per tx: validate+commit per peer ${r1(costs.validateCommit)}, endorsement (peer + chaincode) ${r1(costs.endorse)}, ` +
      `orderer ${r1(costs.orderer)}, gateway ${r1(costs.gateway)}; commit ${r1(costs.commitPerTx)} ms per tx (least observed, wall time)`,
  );
  l.push(
    `simulated: ${ASSUMPTIONS.usableShare} of each core usable, nodes of ${ASSUMPTIONS.coresPerNode.join('/')} cores`,
  );
  l.push(
    'cores/node  regulator peers 1 / 2 / 4 (tx/s)   validation ceiling  commit ceiling  ordering ceiling  tx/s per gateway',
  );
  for (const c of capacity)
    l.push(
      `${String(c.cores).padStart(10)}  ${[1, 2, 4]
        .map((r) => c.byRegulatorPeers[r])
        .join(' / ')
        .padStart(32)}` +
        `${String(c.validationCeiling).padStart(20)}${String(c.commitCeiling).padStart(16)}${String(c.orderingCeiling).padStart(18)}${String(c.gatewayPerReplica).padStart(18)}`,
    );
  l.push(
    'market                 cores  peak tx/s  tx/s per channel  channels  regulator peers/ch  gateways  orderers',
  );
  for (const m of markets)
    l.push(
      `${m.market.padEnd(22)}${String(m.cores).padStart(6)}${String(m.peakTxPerSecond).padStart(11)}${String(m.channelTxPerSecond).padStart(18)}` +
        `${String(m.channels).padStart(10)}${String(m.regulatorPeersPerChannel).padStart(20)}${String(m.gatewayReplicas).padStart(10)}${String(m.orderingNodes).padStart(10)}`,
    );
  console.log(l.join('\n'));
}

if (require.main === module) main();
