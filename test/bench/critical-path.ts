// Where a write's time goes, from what the stack itself reports during a run:
//   - the gateway's own step timers (/metrics: endorse, order = hand-over to the ordering service, commit =
//     waiting for the caller's peer to report the commit, catch-up = waiting for peers to reach its writes);
//   - each peer's endorser_proposal_duration (its operations endpoint): endorsement per organisation;
//   - the ordering service's blockcutter_block_fill_duration: how long a block waited to be cut;
//   - each peer's log lines "Validated block [n] in X ms" (VSCC: signatures, key-level policies) and
//     "Committed block [n] with k transaction(s) in Y ms" (MVCC check, block store, state database).

import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ordererOperationsGet } from '../support/operations';
import { api } from '../support/http';
import { drugtraceHome, readNetwork } from '../support/paths';

/** Prometheus text → value of the series whose name and labels match (summed over the rest). */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  let found = false;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name + '{') && !line.startsWith(name + ' ')) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    found = true;
  }
  return found ? sum : NaN;
}

/** GET /metrics on a peer's operations endpoint, with the organisation's TLS client certificate. */
function peerMetrics(orgKey: string, timeoutMs = 3000): Promise<string> {
  const org = readNetwork().orgs[orgKey];
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: org.peer.operationsPort,
        path: '/metrics',
        servername: org.peer.hostAlias,
        ca: readFileSync(org.peer.tlsRootCertPath),
        cert: readFileSync(org.peer.tlsClientCertPath),
        key: readFileSync(org.peer.tlsClientKeyPath),
        timeout: timeoutMs,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () =>
          res.statusCode === 200 ? resolve(body) : reject(new Error(`${orgKey} /metrics: ${res.statusCode}`)),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${orgKey} /metrics: no answer`)));
    req.on('error', reject);
    req.end();
  });
}

interface Snapshot {
  gateway: string;
  peers: Record<string, string>;
  orderers: Record<string, string>;
  logOffsets: Record<string, number>;
}

const logPath = (node: string): string => join(drugtraceHome, 'logs', `${node}.log`);
const sizeOf = (path: string): number => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

const peerNodes = (): [string, string][] => Object.keys(readNetwork().orgs).map((k) => [k, `peer0.${k}`]);

export async function snapshot(): Promise<Snapshot> {
  const net = readNetwork();
  const gw = await api<string>('GET', '/metrics', { as: null });
  const peers: Record<string, string> = {};
  const orderers: Record<string, string> = {};
  await Promise.all([
    ...Object.keys(net.orgs).map(async (k) => (peers[k] = await peerMetrics(k).catch(() => ''))),
    ...net.ordering.orderers.map(
      async (o) => (orderers[o.name] = await ordererOperationsGet(o.name, '/metrics').catch(() => '')),
    ),
  ]);
  const logOffsets: Record<string, number> = {};
  for (const [, node] of peerNodes()) logOffsets[node] = sizeOf(logPath(node));
  return { gateway: typeof gw.body === 'string' ? gw.body : '', peers, orderers, logOffsets };
}

/** What a log gained since `offset` (from the start if it was rotated meanwhile). */
function logSince(path: string, offset: number): string {
  const size = sizeOf(path);
  const from = size < offset ? 0 : offset;
  if (size <= from) return '';
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(size - from);
    readSync(fd, buf, 0, buf.length, from);
    return buf.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

const r1 = (x: number): number => (Number.isFinite(x) ? Math.round(x * 10) / 10 : NaN);
/** A series first seen after the run started counted from zero (Prometheus creates it at its first use). */
const delta = (a: string, b: string, name: string, labels: Record<string, string>): number => {
  const before = metricValue(a, name, labels);
  return metricValue(b, name, labels) - (Number.isNaN(before) ? 0 : before);
};
/** Mean of a histogram between two scrapes, in milliseconds. */
const meanMs = (a: string, b: string, name: string, labels: Record<string, string>): number =>
  r1((delta(a, b, `${name}_sum`, labels) / delta(a, b, `${name}_count`, labels)) * 1000);

export interface PeerBlocks {
  blocks: number;
  txsPerBlock: number;
  validateMsPerBlock: number;
  commitMsPerBlock: number;
}

export interface CriticalPath {
  /** the gateway's steps of this transaction, mean ms */
  gateway: {
    endorse: number;
    order: number;
    commit: number;
    submit: number;
    /** waits for a peer to reach the gateway's own writes before endorsing (per peer, in parallel) */
    catchUpWaitsPerTx: number;
    catchUpMeanMs: number;
  };
  /** each organisation's peer: mean ms per endorsement it made (any transaction of the chaincode) */
  endorseMsByOrg: Record<string, number>;
  /** proposals each peer endorsed per transaction of the run */
  endorsementsPerTxByOrg: Record<string, number>;
  /** mean ms a block waited to be cut (the leader's blockcutter), and blocks cut */
  ordering: { blockFillMs: number; blocks: number };
  /** per peer: blocks, transactions per block, ms to validate and to commit one block */
  blocksByPeer: Record<string, PeerBlocks>;
}

const LOG_BLOCK =
  /Validated block \[(\d+)\] in (\d+)ms|Committed block \[(\d+)\] with (\d+) transaction\(s\) in (\d+)ms/g;

function peerBlocks(text: string): PeerBlocks {
  const validate: number[] = [];
  const commit: number[] = [];
  const txs: number[] = [];
  for (const m of text.matchAll(LOG_BLOCK)) {
    if (m[1] !== undefined) validate.push(Number(m[2]));
    else {
      txs.push(Number(m[4]));
      commit.push(Number(m[5]));
    }
  }
  const mean = (v: number[]): number => r1(v.reduce((a, b) => a + b, 0) / v.length);
  return {
    blocks: commit.length,
    txsPerBlock: mean(txs),
    validateMsPerBlock: mean(validate),
    commitMsPerBlock: mean(commit),
  };
}

/** The critical path of `call` (e.g. "units:Dispense") between two snapshots, `txs` transactions apart. */
export async function criticalPath(before: Snapshot, call: string, txs: number): Promise<CriticalPath> {
  const after = await snapshot();
  const net = readNetwork();
  const step = (kind: string): number =>
    meanMs(before.gateway, after.gateway, 'drugtrace_fabric_call_duration_seconds', {
      call,
      kind,
      outcome: 'ok',
    });
  const catchUp = { call, kind: 'catch-up' };
  const endorseMsByOrg: Record<string, number> = {};
  const endorsementsPerTxByOrg: Record<string, number> = {};
  for (const org of Object.keys(net.orgs)) {
    const labels = { chaincode: net.chaincode.name, success: 'true' };
    const [a, b] = [before.peers[org] ?? '', after.peers[org] ?? ''];
    endorseMsByOrg[org] = meanMs(a, b, 'endorser_proposal_duration', labels);
    endorsementsPerTxByOrg[org] = r1(delta(a, b, 'endorser_proposal_duration_count', labels) / txs);
  }
  let fill = { blockFillMs: NaN, blocks: 0 };
  for (const o of net.ordering.orderers) {
    const [a, b] = [before.orderers[o.name] ?? '', after.orderers[o.name] ?? ''];
    const blocks = delta(a, b, 'blockcutter_block_fill_duration_count', { channel: net.channel });
    if (blocks > fill.blocks)
      fill = {
        blockFillMs: meanMs(a, b, 'blockcutter_block_fill_duration', { channel: net.channel }),
        blocks,
      };
  }
  const blocksByPeer: Record<string, PeerBlocks> = {};
  for (const [org, node] of peerNodes())
    blocksByPeer[org] = peerBlocks(logSince(logPath(node), before.logOffsets[node] ?? 0));
  return {
    gateway: {
      endorse: step('endorse'),
      order: step('order'),
      commit: step('commit'),
      submit: step('submit'),
      catchUpWaitsPerTx: r1(
        delta(before.gateway, after.gateway, 'drugtrace_fabric_call_duration_seconds_count', catchUp) / txs,
      ),
      catchUpMeanMs: meanMs(before.gateway, after.gateway, 'drugtrace_fabric_call_duration_seconds', catchUp),
    },
    endorseMsByOrg,
    endorsementsPerTxByOrg,
    ordering: fill,
    blocksByPeer,
  };
}
