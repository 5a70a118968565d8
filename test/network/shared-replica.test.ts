/**
 * Two gateway processes of one organisation sharing one read model in a real PostgreSQL server
 * (test-network-scripts/postgres.sh, a database of this test's own): exactly one follows blocks (it holds the
 * follower's advisory lock), the other reads what it applies; both answer verify as the chaincode does. The
 * leader is killed (SIGKILL): the other takes the lock over and its replica keeps up with new writes.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { api } from '../support/http';
import { newGtin, newLot, newSerial } from '../support/ids';
import { isRunning, sleep, until } from '../support/nodes';
import { MISSING_TLS_CERT_HASH, peerLogsWith } from '../support/peer-logs';
import { drugtraceHome, gatewayUrl, repoRoot } from '../support/paths';
import { productBody } from '../e2e/supply-chain';

const POSTGRES = join(repoRoot, 'test-network-scripts', 'postgres.sh');
const postgres = (command: string): string =>
  execFileSync('bash', [POSTGRES, command], { encoding: 'utf8' }).trim();
/** The follower's lease (gateway/src/replica/block-follower.ts FOLLOWER_LEASE). */
const FOLLOWER_LEASE = 'drugtrace-replica-follower';
const EXPIRY = '2028-06-30';

interface Answer<T = Record<string, unknown>> {
  status: number;
  block: number;
  body: T;
}

interface Gateway {
  name: string;
  url: string;
  process: ChildProcess;
}

/** One REST call as the manufacturer's demo person, whose key was issued into the shared database. */
async function call<T = Record<string, unknown>>(
  gw: Gateway,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer<T>> {
  const res = await fetch(gw.url + path, {
    method,
    headers: {
      authorization: `Bearer ${manufacturerKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  return {
    status: res.status,
    block: Number(res.headers.get('x-ledger-block')),
    body: (text ? JSON.parse(text) : undefined) as T,
  };
}

/** A verdict less what belongs to each answer: its block, its receipt, its scan record. */
function verdictOf(answer: Record<string, unknown>): Record<string, unknown> {
  const verdict = { ...answer };
  for (const own of ['asOfBlock', 'receipt', 'txId']) delete verdict[own];
  return verdict;
}

let databaseUrl: string;
let databaseName: string;
let startedPostgres = false;
let manufacturerKey: string;
let stateDir: string;
const gateways: Gateway[] = [];

/** Starts a gateway process of its own on `port`, on the shared database (stopped by its pid in afterAll). */
async function startGateway(name: string, port: number): Promise<Gateway> {
  const log = openSync(join(drugtraceHome, 'logs', `gateway-${name}.log`), 'a');
  const child = spawn(process.execPath, [join(repoRoot, 'gateway', 'dist', 'main.js')], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', log, log],
  });
  const gw = { name, url: `http://127.0.0.1:${port}`, process: child };
  gateways.push(gw);
  await until(
    `gateway ${name} to answer /health`,
    () =>
      fetch(`${gw.url}/health`, { signal: AbortSignal.timeout(2000) }).then(
        (r) => (r.status === 200 ? true : undefined),
        () => undefined,
      ),
    90_000,
  );
  return gw;
}

/** The pids of the processes holding the follower's advisory lock on the shared database. */
async function leaseHolders(): Promise<number[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `SELECT a.application_name AS name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = $1)
       AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended($2, 0)`,
      [databaseName, FOLLOWER_LEASE],
    );
    return rows.map((r) => Number(/^drugtrace-(\d+)$/.exec(r.name)?.[1]));
  } finally {
    await client.end();
  }
}

/** A new product and batch written through `gw`: the pack codes, the block the batch committed in, its path. */
async function commissionThrough(
  gw: Gateway,
  count: number,
): Promise<{ codes: string[]; block: number; path: string }> {
  const gtin = newGtin();
  const product = await call(gw, 'POST', '/v1/products', productBody(gtin));
  expect(product.status).toBe(201);
  const lot = newLot();
  const serials = Array.from({ length: count }, newSerial);
  const batch = await call(gw, 'POST', '/v1/batches', {
    gtin,
    lot,
    expiry: EXPIRY,
    manufacturedOn: '2026-11-01',
    serials,
  });
  expect(batch.status).toBe(201);
  const codes = serials.map((s) => `(01)${gtin}(17)280630(10)${lot}(21)${s}`);
  // A pack that was never commissioned: a counterfeit.
  codes.push(`(01)${gtin}(17)280630(10)${lot}(21)${newSerial()}`);
  return { codes, block: batch.block, path: `/v1/batches/${gtin}/${lot}` };
}

/**
 * `gw`'s replica has reached `block`: a replica read of `path` asking for at least that height (X-Min-Block,
 * which waits up to 5 s, else 503) is answered 200 at that height or later.
 */
async function reaches(gw: Gateway, block: number, path: string, timeoutMs: number): Promise<void> {
  await until(
    `gateway ${gw.name}'s replica to reach block ${block}`,
    async () => {
      const res = await call(gw, 'GET', path, undefined, { 'x-min-block': String(block) });
      if (res.status === 503) return undefined;
      expect(res.status).toBe(200);
      expect(res.block).toBeGreaterThanOrEqual(block);
      return true;
    },
    timeoutMs,
  );
}

/** Every code's verdict from `gw`'s replica equals the chaincode's (the peer's evaluate). */
async function expectVerdictsAsChaincode(gw: Gateway, codes: string[]): Promise<string[]> {
  const verdicts: string[] = [];
  for (const code of codes) {
    const replica = await call(gw, 'POST', '/v1/verify', { code });
    const ledger = await call(gw, 'POST', '/v1/verify?consistency=ledger', { code });
    expect(replica.status).toBe(200);
    expect(ledger.status).toBe(200);
    expect(verdictOf(replica.body)).toEqual(verdictOf(ledger.body));
    verdicts.push(String(replica.body.verdict));
  }
  return verdicts;
}

beforeAll(async () => {
  startedPostgres = !postgres('status').includes('running');
  if (startedPostgres) postgres('start');
  const server = postgres('url');
  databaseName = `replica_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${databaseName}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${databaseName}`;
  databaseUrl = url.toString();
  // The demo people's keys, issued into the shared database (the gateways keep only their hashes there).
  stateDir = mkdtempSync(join(tmpdir(), 'drugtrace-shared-'));
  const keysFile = join(stateDir, 'api-keys.json');
  execFileSync(
    process.execPath,
    [join(repoRoot, 'gateway', 'dist', 'accounts', 'cli.js'), 'demo-keys', '--file', keysFile],
    { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: 'ignore' },
  );
  manufacturerKey = (JSON.parse(readFileSync(keysFile, 'utf8')) as Record<string, string>).manufacturer;
}, 120_000);

afterAll(async () => {
  for (const gw of gateways) {
    if (gw.process.exitCode === null && gw.process.signalCode === null) {
      const exited = new Promise((resolve) => gw.process.once('exit', resolve));
      gw.process.kill('SIGTERM');
      await Promise.race([exited, sleep(30_000)]);
    }
  }
  if (databaseName) {
    const admin = new Client({ connectionString: postgres('url') });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
    await admin.end();
  }
  if (startedPostgres) postgres('stop');
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
}, 120_000);

describe('two gateways sharing one replica in PostgreSQL', () => {
  it('one follows blocks, the other reads; both answer verify as the chaincode; the other takes over when the leader dies', async () => {
    const port = Number(new URL(gatewayUrl).port);
    const first = await startGateway('shared-a', port + 100);
    const second = await startGateway('shared-b', port + 101);

    // Exactly one of the two holds the follower's lock.
    const holders = await until(
      'one gateway to take the follower lease',
      async () => {
        const pids = await leaseHolders();
        return pids.length > 0 ? pids : undefined;
      },
      30_000,
    );
    expect(holders).toHaveLength(1);
    const leader = gateways.find((g) => g.process.pid === holders[0]);
    expect(leader).toBeDefined();
    const reader = gateways.find((g) => g !== leader) as Gateway;

    // A write through the reader: both replicas (one database, applied by the leader) reach its block.
    const before = await commissionThrough(reader, 2);
    await reaches(first, before.block, before.path, 120_000);
    await reaches(second, before.block, before.path, 60_000);
    for (const gw of [first, second])
      expect(await expectVerdictsAsChaincode(gw, before.codes)).toEqual([
        'GENUINE',
        'GENUINE',
        'COUNTERFEIT',
      ]);
    expect(await leaseHolders()).toEqual(holders);

    // The leader dies without a goodbye: its connection, and with it the lock, goes.
    leader!.process.kill('SIGKILL');
    await until('the killed leader to exit', () => (isRunning(holders[0]) ? undefined : true), 10_000);
    const taken = await until(
      'the other gateway to take the follower lease over',
      async () => {
        const pids = await leaseHolders();
        return pids.length === 1 && pids[0] === reader.process.pid ? pids : undefined;
      },
      30_000,
    );
    expect(taken).toEqual([reader.process.pid]);

    // The survivor's replica keeps up: its own write is read back from the replica at the write's block.
    const after = await commissionThrough(reader, 2);
    await reaches(reader, after.block, after.path, 30_000);
    expect(await expectVerdictsAsChaincode(reader, after.codes)).toEqual([
      'GENUINE',
      'GENUINE',
      'COUNTERFEIT',
    ]);
    // And a block another gateway wrote (the stack's own, on its SQLite replica) reaches it too.
    const gtin = newGtin();
    const elsewhere = await api('POST', '/v1/products', { as: 'manufacturer', body: productBody(gtin) });
    expect(elsewhere.status).toBe(201);
    await reaches(reader, Number(elsewhere.headers.get('x-ledger-block')), `/v1/products/${gtin}`, 30_000);
    // Both followers' block streams (the first leader's and the one that took over) were accepted by the peer.
    expect(peerLogsWith(MISSING_TLS_CERT_HASH)).toEqual([]);
  });
});
