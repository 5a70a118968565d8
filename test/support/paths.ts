import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '..', '..');
export const drugtraceHome = process.env.DRUGTRACE_HOME ?? join(repoRoot, '.drugtrace');
export const networkScript = join(repoRoot, 'test-network-scripts', 'network.sh');
export const gatewayScript = join(repoRoot, 'test-network-scripts', 'gateway.sh');
export const gatewayUrl = process.env.DRUGTRACE_GATEWAY_URL ?? 'http://127.0.0.1:3000';
export const artifactsDir = join(repoRoot, 'test', 'artifacts');

/** A user's signing identity (certPath/keyPath) and the TLS client certificate peers require. */
export interface OrgUser {
  certPath: string;
  keyPath: string;
  tlsCertPath: string;
  tlsKeyPath: string;
  gln: string;
  role: string;
}

export interface OrgInfo {
  mspId: string;
  role: string;
  glns: string[];
  peer: {
    endpoint: string;
    hostAlias: string;
    operationsPort: number;
    tlsRootCertPath: string;
    tlsClientCertPath: string;
    tlsClientKeyPath: string;
  };
  users: Record<string, OrgUser>;
}

export interface OrdererInfo {
  name: string;
  endpoint: string;
  hostAlias: string;
  adminPort: number;
  operationsPort: number;
}

export interface TlsEndpoint {
  endpoint: string;
  hostAlias: string;
  tlsRootCertPath: string;
}

export interface NetworkInfo {
  channel: string;
  chaincode: {
    name: string;
    sequence: number;
    label: string;
    service: TlsEndpoint & { peerClientCertPath: string; peerClientKeyPath: string };
  };
  certificateAuthorities: Record<string, TlsEndpoint>;
  operatorTls: { tlsCertPath: string; tlsKeyPath: string };
  ordering: {
    consensus: 'raft' | 'bft';
    mspId: string;
    tlsRootCertPath: string;
    operationsClient: { tlsCertPath: string; tlsKeyPath: string };
    orderers: OrdererInfo[];
  };
  orgs: Record<string, OrgInfo>;
}

/** What `network.sh up` wrote: endpoints, TLS roots and demo identities (docs/DESIGN.md §2). */
export function readNetwork(): NetworkInfo {
  return JSON.parse(readFileSync(join(drugtraceHome, 'network.json'), 'utf8')) as NetworkInfo;
}

/** The demo API keys, one per organisation name. */
export function readApiKeys(): Record<string, string> {
  return JSON.parse(readFileSync(join(drugtraceHome, 'api-keys.json'), 'utf8')) as Record<string, string>;
}
