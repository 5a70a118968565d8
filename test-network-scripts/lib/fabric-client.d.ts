// Types of fabric-client.js for the TypeScript system tests and bench.
import type { Contract } from '@hyperledger/fabric-gateway';

/** The parts of .drugtrace/network.json a direct connection reads. */
export interface NetworkFile {
  channel: string;
  chaincode: { name: string };
  orgs: Record<
    string,
    {
      mspId: string;
      role: string;
      peer: { endpoint: string; hostAlias: string; tlsRootCertPath: string };
      users: Record<string, { certPath: string; keyPath: string; tlsCertPath: string; tlsKeyPath: string }>;
    }
  >;
}

export interface DirectConnection {
  contract(name: string): Contract;
  close(): void;
}

export function orgKeyOfRole(network: NetworkFile, role: string): string;
export function connectAs(network: NetworkFile, orgKey: string, userName?: string): DirectConnection;
export function withContract<T>(
  network: NetworkFile,
  orgKey: string,
  userName: string,
  contractName: string,
  fn: (contract: Contract) => Promise<T>,
): Promise<T>;
