// A minimal @hyperledger/fabric-gateway connection for the network scripts, from .drugtrace/network.json.
'use strict';

const { readFileSync } = require('node:fs');
const crypto = require('node:crypto');
const grpc = require('@grpc/grpc-js');
const { connect, signers } = require('@hyperledger/fabric-gateway');

/** Runs fn(contract) as <org>/<user> against that org's peer, then closes the connection. */
async function withContract(network, orgKey, userName, contractName, fn) {
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
    evaluateOptions: () => ({ deadline: Date.now() + 10000 }),
    endorseOptions: () => ({ deadline: Date.now() + 30000 }),
    submitOptions: () => ({ deadline: Date.now() + 10000 }),
    commitStatusOptions: () => ({ deadline: Date.now() + 60000 }),
  });
  try {
    const contract = gateway.getNetwork(network.channel).getContract(network.chaincode.name, contractName);
    return await fn(contract);
  } finally {
    gateway.close();
    client.close();
  }
}

module.exports = { withContract };
