import { existsSync, readFileSync } from 'node:fs';
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

function urlFrom(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name] || fallback;
  if (!/^https?:\/\/[^/\s]+/.test(raw) || !URL.canParse(raw))
    throw new Error(`${name} must be an http(s) URL, got "${raw}"`);
  return raw.replace(/\/+$/, '');
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
 * Every key maps to an organisation with a usable user1, and there is a regulator whose peer the gateway
 * can reach too; returns the regulator's key.
 */
function validateNetwork(network: NetworkInfo, apiKeys: Record<string, string>): string {
  if (typeof network.channel !== 'string' || !network.chaincode?.name || typeof network.orgs !== 'object') {
    throw new Error('network.json needs channel, chaincode.name and orgs');
  }
  for (const [org, key] of Object.entries(apiKeys)) {
    if (typeof key !== 'string' || key.length < 16)
      throw new Error(`api-keys.json: the key of "${org}" is too short`);
    const info = network.orgs[org];
    const user = info?.users?.user1;
    if (!user)
      throw new Error(`api-keys.json names "${org}", which network.json does not define with a user1`);
    requirePeerTls(org, info.peer);
    requireFile(user.certPath, `${org} user1 certificate`);
    requireFile(user.keyPath, `${org} user1 key`);
  }
  const regulator = Object.entries(network.orgs).find(([, o]) => o.role === 'REGULATOR');
  if (!regulator) throw new Error('network.json has no organisation with role REGULATOR');
  requirePeerTls(regulator[0], regulator[1].peer);
  return regulator[0];
}

/** Validated at start-up: a bad setting stops the gateway with a clear message instead of failing later. */
export class AppConfig {
  readonly home: string;
  readonly host: string;
  readonly port: number;
  readonly publicBaseUrl: string;
  readonly network: NetworkInfo;
  readonly apiKeys: Record<string, string>;
  readonly evaluateTimeoutMs: number;
  readonly submitTimeoutMs: number;
  readonly commitTimeoutMs: number;
  readonly mvccRetries: number;
  readonly resolverRateLimitPerMinute: number;
  /** Ledger writes (scan records, alerts) one API key's scans may cause a minute. */
  readonly scanRecordRateLimitPerMinute: number;
  readonly regulatorOrg: string;
  readonly logLevel: string;
  readonly bodyLimit = '1mb';

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.home = resolve(env.DRUGTRACE_HOME ?? join(__dirname, '..', '..', '..', '.drugtrace'));
    this.host = env.HOST || '127.0.0.1';
    this.port = intFrom(env, 'PORT', 3000, 1, 65535);
    this.publicBaseUrl = urlFrom(env, 'PUBLIC_BASE_URL', `http://${this.host}:${this.port}`);
    this.evaluateTimeoutMs = intFrom(env, 'EVALUATE_TIMEOUT_MS', 5000, 100, 120000);
    this.submitTimeoutMs = intFrom(env, 'SUBMIT_TIMEOUT_MS', 30000, 100, 600000);
    this.commitTimeoutMs = intFrom(env, 'COMMIT_TIMEOUT_MS', 60000, 100, 600000);
    this.mvccRetries = intFrom(env, 'MVCC_RETRIES', 3, 0, 10);
    this.resolverRateLimitPerMinute = intFrom(env, 'RESOLVER_RATE_LIMIT', 60, 1, 100000);
    this.scanRecordRateLimitPerMinute = intFrom(env, 'SCAN_RECORD_RATE_LIMIT', 60, 1, 100000);
    this.logLevel = env.LOG_LEVEL || 'info';
    if (!LOG_LEVELS.includes(this.logLevel))
      throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
    this.network = readJson<NetworkInfo>(join(this.home, 'network.json'), 'the network description');
    this.apiKeys = readJson<Record<string, string>>(join(this.home, 'api-keys.json'), 'the API keys');
    this.regulatorOrg = validateNetwork(this.network, this.apiKeys);
  }

  get indexPath(): string {
    return join(this.home, 'gateway', 'index.sqlite');
  }
}
