// The one direct @hyperledger/fabric-gateway connection outside the REST gateway, from .drugtrace/network.json:
// the network scripts (registry, wait-endorsable), the system tests and the bench use it.
'use strict';

const { readFileSync } = require('node:fs');
const crypto = require('node:crypto');
const grpc = require('@grpc/grpc-js');
const { connect, signers } = require('@hyperledger/fabric-gateway');

/** The key in network.json of the organisation with this role (the regulator is found by role, not by name). */
function orgKeyOfRole(network, role) {
  const key = Object.keys(network.orgs).find((k) => network.orgs[k].role === role);
  if (!key) throw new Error(`network.json has no organisation with role ${role}`);
  return key;
}

/** A connection as <org>/<user> to that organisation's peer: contract(name) of the chaincode, close(). */
function connectAs(network, orgKey, userName = 'user1') {
  const org = network.orgs[orgKey];
  const user = org.users[userName];
  // Peers require mutual TLS: the user presents its own TLS client certificate.
  const tls = grpc.credentials.createSsl(
    readFileSync(org.peer.tlsRootCertPath),
    readFileSync(user.tlsKeyPath),
    readFileSync(user.tlsCertPath),
  );
  const client = new grpc.Client(org.peer.endpoint, tls, {
    'grpc.ssl_target_name_override': org.peer.hostAlias,
  });
  const gateway = connect({
    client,
    identity: { mspId: org.mspId, credentials: readFileSync(user.certPath) },
    signer: signers.newPrivateKeySigner(crypto.createPrivateKey(readFileSync(user.keyPath))),
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

/** Runs fn(contract) as <org>/<user>, then closes the connection. */
async function withContract(network, orgKey, userName, contractName, fn) {
  const connection = connectAs(network, orgKey, userName);
  try {
    return await fn(connection.contract(contractName));
  } finally {
    connection.close();
  }
}

module.exports = { connectAs, orgKeyOfRole, withContract };
