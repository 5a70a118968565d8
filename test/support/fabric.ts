import * as grpc from '@grpc/grpc-js';
import { connect, Contract, Gateway, signers } from '@hyperledger/fabric-gateway';
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readNetwork } from './paths';

export interface DirectConnection {
  contract(name: string): Contract;
  close(): void;
}

/** A direct @hyperledger/fabric-gateway connection as <org>/<user>, bypassing the REST gateway. */
export function connectAs(orgKey: string, userName = 'user1'): DirectConnection {
  const user = readNetwork().orgs[orgKey].users[userName];
  // Peers require mutual TLS: the connection presents the user's TLS client certificate.
  return connectWith(orgKey, user, { certPath: user.tlsCertPath, keyPath: user.tlsKeyPath });
}

/**
 * A direct connection signing as any identity of the organisation (a person `user:add` enrolled), over a TLS
 * connection presenting `tls` (by default the organisation's shared one, as the gateway's).
 */
export function connectWith(
  orgKey: string,
  signer: { certPath: string; keyPath: string },
  tls?: { certPath: string; keyPath: string },
): DirectConnection {
  const network = readNetwork();
  const org = network.orgs[orgKey];
  const user = signer;
  const presented = tls ?? { certPath: org.peer.tlsClientCertPath, keyPath: org.peer.tlsClientKeyPath };
  const credentials = grpc.credentials.createSsl(
    readFileSync(org.peer.tlsRootCertPath),
    readFileSync(presented.keyPath),
    readFileSync(presented.certPath),
  );
  const client = new grpc.Client(org.peer.endpoint, credentials, {
    'grpc.ssl_target_name_override': org.peer.hostAlias,
  });
  const gateway: Gateway = connect({
    client,
    identity: { mspId: org.mspId, credentials: readFileSync(user.certPath) },
    signer: signers.newPrivateKeySigner(createPrivateKey(readFileSync(user.keyPath))),
    evaluateOptions: () => ({ deadline: Date.now() + 10_000 }),
    endorseOptions: () => ({ deadline: Date.now() + 30_000 }),
    submitOptions: () => ({ deadline: Date.now() + 10_000 }),
    commitStatusOptions: () => ({ deadline: Date.now() + 60_000 }),
  });
  const channel = gateway.getNetwork(network.channel);
  return {
    contract: (name) => channel.getContract(network.chaincode.name, name),
    close: () => {
      gateway.close();
      client.close();
    },
  };
}

/** Decodes a chaincode JSON result. */
export const json = <T = Record<string, unknown>>(bytes: Uint8Array): T =>
  JSON.parse(Buffer.from(bytes).toString('utf8')) as T;
