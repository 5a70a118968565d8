#!/usr/bin/env node
// Reads network/network.yaml and answers the shell scripts in the forms they need:
//   orgs | orderers | policy | seed | get <path> | configtx <crypto-dir> <out-file>
//   | network-json <crypto-dir> <chaincode-label> <sequence> <out-file>
'use strict';

const { readFileSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');
const YAML = require('yaml');

const NETWORK_FILE = resolve(__dirname, '..', '..', 'network', 'network.yaml');
const net = YAML.parse(readFileSync(NETWORK_FILE, 'utf8'));

const peerHost = (org) => `peer0.${org.domain}`;

/** One line per peer org: key mspId role caPort peerPort chaincodePort operationsPort domain firstGln */
function orgLines() {
  return net.orgs.map((o) =>
    [
      o.key,
      o.mspId,
      o.role,
      o.caPort,
      o.peer.port,
      o.peer.chaincodePort,
      o.peer.operationsPort,
      o.domain,
      o.glns[0],
    ].join(' '),
  );
}

/** One line per orderer: name port adminPort operationsPort */
function ordererLines() {
  return net.ordererOrg.orderers.map((o) => [o.name, o.port, o.adminPort, o.operationsPort].join(' '));
}

function endorsementPolicy() {
  const members = net.orgs.map((o) => `'${o.mspId}.peer'`).join(',');
  return `OutOf(${net.chaincode.endorsement.outOf},${members})`;
}

function registrySeed() {
  return JSON.stringify(
    net.orgs.map((o) => ({
      mspId: o.mspId,
      role: o.role,
      glns: o.glns,
      name: o.name,
      ...(o.companyPrefixes ? { companyPrefixes: o.companyPrefixes } : {}),
    })),
  );
}

function orgPolicies(mspId, withPeers) {
  const policies = {
    Readers: { Type: 'Signature', Rule: `OR('${mspId}.member')` },
    Writers: { Type: 'Signature', Rule: `OR('${mspId}.member')` },
    Admins: { Type: 'Signature', Rule: `OR('${mspId}.admin')` },
  };
  if (withPeers) policies.Endorsement = { Type: 'Signature', Rule: `OR('${mspId}.peer')` };
  return policies;
}

/** configtx.yaml for the application channel's genesis block (no system channel). */
function configtx(cryptoDir) {
  const ordOrg = net.ordererOrg;
  const ordererOrg = {
    Name: ordOrg.mspId,
    ID: ordOrg.mspId,
    MSPDir: join(cryptoDir, ordOrg.key, 'msp'),
    Policies: orgPolicies(ordOrg.mspId, false),
    OrdererEndpoints: ordOrg.orderers.map((o) => `127.0.0.1:${o.port}`),
  };
  const peerOrgs = net.orgs.map((o) => ({
    Name: o.mspId,
    ID: o.mspId,
    MSPDir: join(cryptoDir, o.key, 'msp'),
    Policies: orgPolicies(o.mspId, true),
    AnchorPeers: [{ Host: '127.0.0.1', Port: o.peer.port }],
  }));
  const implicit = (rule) => ({ Type: 'ImplicitMeta', Rule: rule });
  const doc = {
    Profiles: {
      DrugTraceChannel: {
        Policies: {
          Readers: implicit('ANY Readers'),
          Writers: implicit('ANY Writers'),
          Admins: implicit('MAJORITY Admins'),
        },
        Capabilities: { V3_0: true },
        Orderer: {
          OrdererType: 'etcdraft',
          BatchTimeout: net.ordering.batchTimeout,
          BatchSize: {
            MaxMessageCount: net.ordering.maxMessageCount,
            AbsoluteMaxBytes: '99 MB',
            PreferredMaxBytes: '2 MB',
          },
          EtcdRaft: {
            Consenters: ordOrg.orderers.map((o) => {
              const tls = join(cryptoDir, ordOrg.key, 'orderers', o.name, 'tls', 'server.crt');
              return { Host: '127.0.0.1', Port: o.port, ClientTLSCert: tls, ServerTLSCert: tls };
            }),
            Options: { SnapshotIntervalSize: net.ordering.snapshotIntervalSize },
          },
          Organizations: [ordererOrg],
          Policies: {
            Readers: implicit('ANY Readers'),
            Writers: implicit('ANY Writers'),
            Admins: implicit('MAJORITY Admins'),
            BlockValidation: implicit('ANY Writers'),
          },
          Capabilities: { V2_0: true },
        },
        Application: {
          Organizations: peerOrgs,
          Policies: {
            Readers: implicit('ANY Readers'),
            Writers: implicit('ANY Writers'),
            Admins: implicit('MAJORITY Admins'),
            LifecycleEndorsement: implicit('MAJORITY Endorsement'),
            Endorsement: implicit('MAJORITY Endorsement'),
          },
          Capabilities: { V2_5: true },
        },
      },
    },
  };
  return YAML.stringify(doc);
}

/** The client view of the network (docs/DESIGN.md §2). */
function networkJson(cryptoDir, label, sequence) {
  const orgs = {};
  for (const o of net.orgs) {
    const users = {};
    const usersDir = join(cryptoDir, o.key, 'users');
    const user = (name, role) => ({
      certPath: join(usersDir, name, 'msp', 'signcerts', 'cert.pem'),
      keyPath: join(usersDir, name, 'msp', 'keystore', 'key.pem'),
      tlsCertPath: join(usersDir, name, 'tls', 'client.crt'),
      tlsKeyPath: join(usersDir, name, 'tls', 'client.key'),
      gln: o.glns[0],
      role,
    });
    users.user1 = user('user1', o.role);
    if (o.role === 'REGULATOR') users.resolver = user('resolver', 'RESOLVER');
    orgs[o.key] = {
      mspId: o.mspId,
      role: o.role,
      name: o.name,
      glns: o.glns,
      peer: {
        endpoint: `127.0.0.1:${o.peer.port}`,
        hostAlias: peerHost(o),
        tlsRootCertPath: join(cryptoDir, o.key, 'msp', 'tlscacerts', 'tlsca.pem'),
        // Peers require mutual TLS: the client certificate an application shares by all its callers of
        // this organisation on one connection to the peer (user1's).
        tlsClientCertPath: users.user1.tlsCertPath,
        tlsClientKeyPath: users.user1.tlsKeyPath,
      },
      users,
    };
  }
  return JSON.stringify(
    {
      channel: net.channel,
      chaincode: { name: net.chaincode.name, sequence: Number(sequence), label },
      orgs,
    },
    null,
    2,
  );
}

function get(path) {
  const value = path.split('.').reduce((v, k) => (v == null ? undefined : v[k]), net);
  if (value === undefined) throw new Error(`network.yaml has no ${path}`);
  return String(value);
}

const [cmd, ...args] = process.argv.slice(2);
const out = {
  orgs: () => orgLines().join('\n'),
  orderers: () => ordererLines().join('\n'),
  policy: endorsementPolicy,
  seed: registrySeed,
  get: () => get(args[0]),
  configtx: () => writeFileSync(args[1], configtx(args[0])),
  'network-json': () => writeFileSync(args[3], networkJson(args[0], args[1], args[2]) + '\n'),
}[cmd];
if (!out) {
  console.error(`usage: network-config.js orgs|orderers|policy|seed|get <path>|configtx|network-json`);
  process.exit(2);
}
const text = out();
if (typeof text === 'string') console.log(text);
