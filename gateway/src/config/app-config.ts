import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';

export interface OrgUser {
  certPath: string;
  keyPath: string;
  gln: string;
  role: string;
}

/**
 * Peers require mutual TLS: `tlsClientCertPath`/`tlsClientKeyPath` is the TLS client identity the
 * gateway's one gRPC connection to this peer presents, whichever of the organisation's users calls.
 */
export interface PeerInfo {
  endpoint: string;
  hostAlias: string;
  tlsRootCertPath: string;
  tlsClientCertPath: string;
  tlsClientKeyPath: string;
}

export interface OrgInfo {
  mspId: string;
  role: string;
  name?: string;
  glns: string[];
  peer: PeerInfo;
  users: Record<string, OrgUser>;
}

export interface NetworkInfo {
  channel: string;
  chaincode: { name: string; sequence: number; label: string };
  orgs: Record<string, OrgInfo>;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${name} must be an integer in ${min}..${max}, got "${raw}"`);
  return n;
}

/** Express's preset names for address ranges (`trust proxy`). */
const PROXY_PRESETS = ['loopback', 'linklocal', 'uniquelocal'];

/** An address, an address/prefix (CIDR) or a preset name, as Express's `trust proxy` takes them. */
function isProxyAddress(entry: string): boolean {
  if (PROXY_PRESETS.includes(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Which proxies in front of the gateway may name the client (X-Forwarded-For), in Express's `trust proxy`
 * terms: a hop count, or addresses, CIDR ranges and presets. None by default: the client is the TCP peer.
 * `true` (trust anyone) is refused: any client could then claim to be loopback or evade per-address limits.
 */
export function trustProxyFrom(env: NodeJS.ProcessEnv): false | number | string[] {
  const raw = (env.TRUST_PROXY ?? '').trim();
  if (raw === '' || raw === 'false') return false;
  if (/^\d+$/.test(raw)) return intFrom(env, 'TRUST_PROXY', 0, 0, 10);
  const entries = raw.split(',').map((e) => e.trim());
  const bad = entries.find((e) => !isProxyAddress(e));
  if (bad !== undefined)
    throw new Error(
      `TRUST_PROXY must be a hop count or a comma-separated list of proxy addresses, CIDR ranges or ${PROXY_PRESETS.join('/')}; "${bad}" is none of these`,
    );
  return entries;
}

function tokenFrom(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^[\x21-\x7e]{16,}$/.test(raw))
    throw new Error(`${name} must be at least 16 printable characters without spaces`);
  return raw;
}

function urlFrom(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name] || fallback;
  if (!/^https?:\/\/[^/\s]+/.test(raw) || !URL.canParse(raw))
    throw new Error(`${name} must be an http(s) URL, got "${raw}"`);
  return raw.replace(/\/+$/, '');
}

/** A PostgreSQL connection URL, or undefined for the embedded SQLite file. */
function databaseUrlFrom(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw === '') return undefined;
  if (!/^postgres(ql)?:\/\/[^/\s]+/.test(raw) || !URL.canParse(raw))
    throw new Error('DATABASE_URL must be a postgres:// URL (unset: the embedded SQLite file)');
  return raw;
}

function readJson<T>(path: string, what: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (err) {
    throw new Error(
      `cannot read ${what} at ${path} (${(err as Error).message}); run 'npm run network:up' first`,
    );
  }
}

function requireFile(path: string | undefined, what: string): void {
  if (!path || !existsSync(path))
    throw new Error(`network.json: ${what} (${path ?? 'missing'}) does not exist`);
}

/** The files the gateway's mutual-TLS connection to an organisation's peer needs. */
function requirePeerTls(org: string, peer: PeerInfo | undefined): void {
  requireFile(peer?.tlsRootCertPath, `${org} peer TLS root`);
  requireFile(peer?.tlsClientCertPath, `${org} TLS client certificate`);
  requireFile(peer?.tlsClientKeyPath, `${org} TLS client key`);
}

/**
 * Every organisation has a usable user1 (its demo person, whose TLS client certificate the gateway's
 * connection to its peer presents), and there is a regulator; returns the regulator's key.
 */
function validateNetwork(network: NetworkInfo): string {
  if (typeof network.channel !== 'string' || !network.chaincode?.name || typeof network.orgs !== 'object') {
    throw new Error('network.json needs channel, chaincode.name and orgs');
  }
  for (const [org, info] of Object.entries(network.orgs)) {
    const user = info.users?.user1;
    if (!user) throw new Error(`network.json defines "${org}" without a user1`);
    requirePeerTls(org, info.peer);
    requireFile(user.certPath, `${org} user1 certificate`);
    requireFile(user.keyPath, `${org} user1 key`);
  }
  const regulator = Object.entries(network.orgs).find(([, o]) => o.role === 'REGULATOR');
  if (!regulator) throw new Error('network.json has no organisation with role REGULATOR');
  return regulator[0];
}

/** Validated at start-up: a bad setting stops the gateway with a clear message instead of failing later. */
export class AppConfig {
  readonly home: string;
  readonly host: string;
  readonly port: number;
  readonly publicBaseUrl: string;
  readonly network: NetworkInfo;
  /** Deadline of one evaluation (a read). */
  readonly evaluateTimeoutMs: number;
  /**
   * The whole of a write — catching up, endorsing, ordering, waiting for the commit, MVCC retries: its answer
   * comes by then, a commit not confirmed by then as an unknown outcome with the transaction's ID.
   */
  readonly writeTimeoutMs: number;
  /** Deadline of one endorsement (within the write's): past it nothing was sent, nothing is written. */
  readonly endorseTimeoutMs: number;
  /** Deadline of one hand-over to the ordering service; repeated while no orderer takes the transaction. */
  readonly submitTimeoutMs: number;
  readonly mvccRetries: number;
  /** Writes run on a worker thread of their own (LEDGER_WRITE_THREAD=0: on the HTTP thread). */
  readonly ledgerWriteThread: boolean;
  readonly regulatorOrg: string;
  readonly logLevel: string;
  /** PostgreSQL shared by several gateway processes (DATABASE_URL); unset: SQLite at `databasePath`. */
  readonly databaseUrl: string | undefined;

  // Abuse limits: every one the gateway enforces, in one place (README, Security).
  /** JSON bodies: size, and nesting depth (checked before parsing; the DTOs nest 3 deep). */
  readonly bodyLimit = '1mb';
  readonly jsonMaxDepth = 32;
  /** Field errors listed in one 400 answer; the rest are counted. */
  readonly maxErrorDetails = 20;
  /** Photos for POST /v1/verify/image: bytes, then pixels from the header (before decoding). */
  readonly imageMaxBytes = 8 * 1024 * 1024;
  readonly imageMaxPixels: number;
  /** Decoding runs in worker threads: how many, how many photos may wait, and for how long one may decode. */
  readonly imageDecodeWorkers: number;
  readonly imageDecodeQueue: number;
  readonly imageDecodeTimeoutMs: number;
  /** Requests a minute: to the public resolver per client address, to /v1 per API key. */
  readonly resolverRateLimitPerMinute: number;
  readonly apiRateLimitPerMinute: number;
  /** Unknown API keys a minute from one client address, after which its key attempts get 429. */
  readonly authFailureLimitPerMinute: number;
  /** Ledger writes (scan records and the alerts they raise) one API key's scans may cause a minute. */
  readonly scanRecordRateLimitPerMinute: number;
  readonly trustProxy: false | number | string[];
  /** When set, GET /metrics also answers non-loopback callers presenting it as a Bearer token. */
  readonly metricsToken: string | undefined;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.home = resolve(env.DRUGTRACE_HOME ?? join(__dirname, '..', '..', '..', '.drugtrace'));
    this.host = env.HOST || '127.0.0.1';
    this.port = intFrom(env, 'PORT', 3000, 1, 65535);
    this.publicBaseUrl = urlFrom(env, 'PUBLIC_BASE_URL', `http://${this.host}:${this.port}`);
    this.evaluateTimeoutMs = intFrom(env, 'EVALUATE_TIMEOUT_MS', 5000, 100, 120000);
    this.writeTimeoutMs = intFrom(env, 'WRITE_TIMEOUT_MS', 20000, 1000, 600000);
    this.endorseTimeoutMs = intFrom(
      env,
      'ENDORSE_TIMEOUT_MS',
      Math.min(15000, this.writeTimeoutMs),
      100,
      this.writeTimeoutMs,
    );
    this.submitTimeoutMs = intFrom(
      env,
      'SUBMIT_TIMEOUT_MS',
      Math.min(5000, this.writeTimeoutMs),
      100,
      this.writeTimeoutMs,
    );
    this.mvccRetries = intFrom(env, 'MVCC_RETRIES', 3, 0, 10);
    this.ledgerWriteThread = intFrom(env, 'LEDGER_WRITE_THREAD', 1, 0, 1) === 1;
    this.imageMaxPixels = intFrom(env, 'IMAGE_MAX_PIXELS', 16_000_000, 10_000, 100_000_000);
    const spareCores = Math.max(1, availableParallelism() - 1);
    this.imageDecodeWorkers = intFrom(env, 'IMAGE_DECODE_WORKERS', Math.min(2, spareCores), 1, 16);
    this.imageDecodeQueue = intFrom(env, 'IMAGE_DECODE_QUEUE', 4, 0, 1000);
    this.imageDecodeTimeoutMs = intFrom(env, 'IMAGE_DECODE_TIMEOUT_MS', 5000, 100, 60000);
    this.resolverRateLimitPerMinute = intFrom(env, 'RESOLVER_RATE_LIMIT', 60, 1, 100000);
    this.apiRateLimitPerMinute = intFrom(env, 'API_RATE_LIMIT', 60000, 1, 10_000_000);
    this.authFailureLimitPerMinute = intFrom(env, 'AUTH_FAILURE_LIMIT', 20, 1, 100000);
    this.scanRecordRateLimitPerMinute = intFrom(env, 'SCAN_RECORD_RATE_LIMIT', 60, 1, 100000);
    this.trustProxy = trustProxyFrom(env);
    this.metricsToken = tokenFrom(env, 'METRICS_TOKEN');
    this.databaseUrl = databaseUrlFrom(env);
    this.logLevel = env.LOG_LEVEL || 'info';
    if (!LOG_LEVELS.includes(this.logLevel))
      throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
    this.network = readJson<NetworkInfo>(join(this.home, 'network.json'), 'the network description');
    this.regulatorOrg = validateNetwork(this.network);
  }

  /** The embedded SQLite database (when DATABASE_URL is unset). */
  get databasePath(): string {
    return join(this.home, 'gateway', 'gateway.sqlite');
  }
}
