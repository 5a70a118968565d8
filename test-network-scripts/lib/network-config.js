#!/usr/bin/env node
// Reads network/network.yaml once, resolves it for this run, and answers the shell scripts:
//   shell                                   bash declarations with named fields (eval'd by fabric-env.sh)
//   policy | seed | registry-org <key> | get <path>
//   configtx <crypto-dir> <out-file>        configtx.yaml for the channel's genesis block
//   network-json <crypto-dir> <chaincode-label> <sequence> <out-file>
// Resolution: DRUGTRACE_PORT_OFFSET shifts every port (two networks side by side on one machine);
// DRUGTRACE_CONSENSUS (raft | bft) overrides ordering.consensus. Raft uses the first three orderers,
// SmartBFT all four (3f + 1 with f = 1).
'use strict';

const { readFileSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');
const YAML = require('yaml');

// DRUGTRACE_NETWORK_FILE points at another definition (the system test that adds an organisation).
const NETWORK_FILE =
  process.env.DRUGTRACE_NETWORK_FILE || resolve(__dirname, '..', '..', 'network', 'network.yaml');
const RAFT_NODES = 3;
const BFT_NODES = 4;

function fail(message) {
  console.error(`[network-config] ${message}`);
  process.exit(2);
}

function resolveNetwork(raw, env) {
  const offset = Number(env.DRUGTRACE_PORT_OFFSET ?? 0);
  if (!Number.isInteger(offset) || offset < 0 || offset > 40000)
    fail(`DRUGTRACE_PORT_OFFSET must be an integer from 0 to 40000, not "${env.DRUGTRACE_PORT_OFFSET}"`);
  const consensus = env.DRUGTRACE_CONSENSUS || raw.ordering.consensus || 'raft';
  if (!['raft', 'bft'].includes(consensus))
    fail(`consensus must be raft or bft, not "${consensus}" (ordering.consensus or DRUGTRACE_CONSENSUS)`);
  const nodes = consensus === 'bft' ? BFT_NODES : RAFT_NODES;
  if (raw.ordererOrg.orderers.length < nodes)
    fail(`${consensus} needs ${nodes} orderers; network.yaml lists ${raw.ordererOrg.orderers.length}`);
  const port = (p) => p + offset;
  const net = JSON.parse(JSON.stringify(raw));
  net.ordering.consensus = consensus;
  net.chaincode.port = port(raw.chaincode.port);
  net.database = { port: port(raw.database.port) };
  net.ordererOrg.caPort = port(raw.ordererOrg.caPort);
  net.ordererOrg.orderers = raw.ordererOrg.orderers.slice(0, nodes).map((o) => ({
    ...o,
    port: port(o.port),
    adminPort: port(o.adminPort),
    operationsPort: port(o.operationsPort),
  }));
  for (const org of net.orgs) {
    org.caPort = port(org.caPort);
    org.peer = {
      port: port(org.peer.port),
      chaincodePort: port(org.peer.chaincodePort),
      operationsPort: port(org.peer.operationsPort),
    };
  }
  const regulators = net.orgs.filter((o) => o.role === 'REGULATOR');
  if (regulators.length !== 1) fail(`network.yaml needs exactly one REGULATOR organisation`);
  net.regulatorKey = regulators[0].key;
  return net;
}

const net = resolveNetwork(YAML.parse(readFileSync(NETWORK_FILE, 'utf8')), process.env);

const peerHost = (org) => `peer0.${org.domain}`;
const q = (v) => `'${String(v).replace(/'/g, `'\\''`)}'`;

/** Bash declarations: scalars, ORG_KEYS/ORDERER_NAMES lists and one associative array per field. */
function shell() {
  const lines = [
    `CHANNEL=${q(net.channel)}`,
    `CC_NAME=${q(net.chaincode.name)}`,
    `CC_PORT=${q(net.chaincode.port)}`,
    `CONSENSUS=${q(net.ordering.consensus)}`,
    `ORDERER_KEY=${q(net.ordererOrg.key)}`,
    `ORDERER_MSP=${q(net.ordererOrg.mspId)}`,
    `ORDERER_DOMAIN=${q(net.ordererOrg.domain)}`,
    `ORDERER_CA_PORT=${q(net.ordererOrg.caPort)}`,
    `REGULATOR_KEY=${q(net.regulatorKey)}`,
    `ORG_KEYS=(${net.orgs.map((o) => q(o.key)).join(' ')})`,
    `ORDERER_NAMES=(${net.ordererOrg.orderers.map((o) => q(o.name)).join(' ')})`,
  ];
  const assoc = (name, items, keyOf, valueOf) =>
    `declare -gA ${name}=(${items.map((i) => `[${q(keyOf(i))}]=${q(valueOf(i))}`).join(' ')})`;
  const orgField = (name, valueOf) => lines.push(assoc(name, net.orgs, (o) => o.key, valueOf));
  orgField('ORG_MSP', (o) => o.mspId);
  orgField('ORG_ROLE', (o) => o.role);
  orgField('ORG_DOMAIN', (o) => o.domain);
  orgField('ORG_GLN', (o) => o.glns[0]);
  orgField('ORG_CA_PORT', (o) => o.caPort);
  orgField('ORG_PEER_PORT', (o) => o.peer.port);
  orgField('ORG_CC_PORT', (o) => o.peer.chaincodePort);
  orgField('ORG_OPS_PORT', (o) => o.peer.operationsPort);
  const ordererField = (name, valueOf) =>
    lines.push(assoc(name, net.ordererOrg.orderers, (o) => o.name, valueOf));
  ordererField('ORDERER_PORT', (o) => o.port);
  ordererField('ORDERER_ADMIN_PORT', (o) => o.adminPort);
  ordererField('ORDERER_OPS_PORT', (o) => o.operationsPort);
  return lines.join('\n');
}

function endorsementPolicy() {
  const members = net.orgs.map((o) => `'${o.mspId}.peer'`).join(',');
  return `OutOf(${net.chaincode.endorsement.outOf},${members})`;
}

/** An organisation as the registry admits it; `companyPrefixes` only when network.yaml lists them. */
const registryEntry = (o) => ({
  mspId: o.mspId,
  role: o.role,
  glns: o.glns,
  name: o.name,
  ...(o.companyPrefixes ? { companyPrefixes: o.companyPrefixes } : {}),
});

function registrySeed() {
  return JSON.stringify(net.orgs.map(registryEntry));
}

function registryOrg(key) {
  const org = net.orgs.find((o) => o.key === key);
  if (!org) fail(`network.yaml has no organisation ${key}`);
  return JSON.stringify(registryEntry(org));
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

/** The channel's application organisation as configtxgen defines it (also used to add one later). */
function peerOrgDefinition(o, cryptoDir) {
  return {
    Name: o.mspId,
    ID: o.mspId,
    MSPDir: join(cryptoDir, o.key, 'msp'),
    Policies: orgPolicies(o.mspId, true),
    AnchorPeers: [{ Host: '127.0.0.1', Port: o.peer.port }],
  };
}

/** The consensus part of the Orderer section: Raft consenters, or the SmartBFT consenter mapping. */
function consensusConfig(cryptoDir) {
  const ordOrg = net.ordererOrg;
  const tlsCert = (o) => join(cryptoDir, ordOrg.key, 'orderers', o.name, 'tls', 'server.crt');
  if (net.ordering.consensus === 'bft') {
    return {
      OrdererType: 'BFT',
      ConsenterMapping: ordOrg.orderers.map((o, i) => ({
        ID: i + 1,
        Host: '127.0.0.1',
        Port: o.port,
        MSPID: ordOrg.mspId,
        Identity: join(cryptoDir, ordOrg.key, 'orderers', o.name, 'msp', 'signcerts', 'cert.pem'),
        ClientTLSCert: tlsCert(o),
        ServerTLSCert: tlsCert(o),
      })),
      SmartBFT: net.ordering.smartBFT,
    };
  }
  return {
    OrdererType: 'etcdraft',
    EtcdRaft: {
      Consenters: ordOrg.orderers.map((o) => ({
        Host: '127.0.0.1',
        Port: o.port,
        ClientTLSCert: tlsCert(o),
        ServerTLSCert: tlsCert(o),
      })),
      Options: { SnapshotIntervalSize: net.ordering.snapshotIntervalSize },
    },
  };
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
  const implicit = (rule) => ({ Type: 'ImplicitMeta', Rule: rule });
  const consensus = consensusConfig(cryptoDir);
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
          ...consensus,
          BatchTimeout: net.ordering.batchTimeout,
          BatchSize: {
            MaxMessageCount: net.ordering.maxMessageCount,
            AbsoluteMaxBytes: '99 MB',
            PreferredMaxBytes: '2 MB',
          },
          Organizations: [ordererOrg],
          Policies: {
            Readers: implicit('ANY Readers'),
            Writers: implicit('ANY Writers'),
            Admins: implicit('MAJORITY Admins'),
            // With BFT, peers also check that a quorum of consenters signed each block.
            BlockValidation: implicit('ANY Writers'),
          },
          Capabilities: { V2_0: true },
        },
        Application: {
          Organizations: net.orgs.map((o) => peerOrgDefinition(o, cryptoDir)),
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

/** configtx.yaml holding one organisation, for `configtxgen -printOrg` when it joins a running channel. */
function orgConfigtx(cryptoDir, key) {
  const org = net.orgs.find((o) => o.key === key);
  if (!org) fail(`network.yaml has no organisation ${key}`);
  return YAML.stringify({ Organizations: [peerOrgDefinition(org, cryptoDir)] });
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
        operationsPort: o.peer.operationsPort,
        tlsRootCertPath: join(cryptoDir, o.key, 'msp', 'tlscacerts', 'tlsca.pem'),
        // Peers require mutual TLS: the client certificate an application shares by all its callers of
        // this organisation on one connection to the peer (user1's).
        tlsClientCertPath: users.user1.tlsCertPath,
        tlsClientKeyPath: users.user1.tlsKeyPath,
      },
      users,
    };
  }
  const ordOrg = net.ordererOrg;
  const ccTls = join(cryptoDir, ordOrg.key, 'chaincode');
  const ca = (key, domain, port) => ({
    endpoint: `127.0.0.1:${port}`,
    hostAlias: `ca.${domain}`,
    tlsRootCertPath: join(cryptoDir, key, 'ca', 'ca-cert.pem'),
  });
  return JSON.stringify(
    {
      channel: net.channel,
      chaincode: {
        name: net.chaincode.name,
        sequence: Number(sequence),
        label,
        // The chaincode service: mutual TLS with the client certificate every peer presents.
        service: {
          endpoint: `127.0.0.1:${net.chaincode.port}`,
          hostAlias: `chaincode.${ordOrg.domain}`,
          tlsRootCertPath: join(ccTls, 'server', 'tls', 'ca.crt'),
          peerClientCertPath: join(ccTls, 'client', 'tls', 'client.crt'),
          peerClientKeyPath: join(ccTls, 'client', 'tls', 'client.key'),
        },
      },
      // The Fabric CAs take only the network operator's TLS client certificate.
      certificateAuthorities: Object.fromEntries([
        [ordOrg.key, ca(ordOrg.key, ordOrg.domain, ordOrg.caPort)],
        ...net.orgs.map((o) => [o.key, ca(o.key, o.domain, o.caPort)]),
      ]),
      operatorTls: {
        tlsCertPath: join(cryptoDir, 'operator-tls', 'client.crt'),
        tlsKeyPath: join(cryptoDir, 'operator-tls', 'client.key'),
      },
      ordering: {
        consensus: net.ordering.consensus,
        mspId: ordOrg.mspId,
        tlsRootCertPath: join(cryptoDir, ordOrg.key, 'msp', 'tlscacerts', 'tlsca.pem'),
        // The orderer organisation's admin TLS identity: the operations endpoints' /metrics and the
        // channel participation API (admin port) need it.
        operationsClient: {
          tlsCertPath: join(cryptoDir, ordOrg.key, 'users', 'admin', 'tls', 'client.crt'),
          tlsKeyPath: join(cryptoDir, ordOrg.key, 'users', 'admin', 'tls', 'client.key'),
        },
        orderers: ordOrg.orderers.map((o) => ({
          name: o.name,
          endpoint: `127.0.0.1:${o.port}`,
          hostAlias: `${o.name}.${ordOrg.domain}`,
          adminPort: o.adminPort,
          operationsPort: o.operationsPort,
        })),
      },
      orgs,
    },
    null,
    2,
  );
}

function get(path) {
  const value = path.split('.').reduce((v, k) => (v == null ? undefined : v[k]), net);
  if (value === undefined) fail(`network.yaml has no ${path}`);
  return String(value);
}

const [cmd, ...args] = process.argv.slice(2);
const out = {
  shell,
  policy: endorsementPolicy,
  seed: registrySeed,
  'registry-org': () => registryOrg(args[0]),
  get: () => get(args[0]),
  configtx: () => writeFileSync(args[1], configtx(args[0])),
  'org-configtx': () => writeFileSync(args[2], orgConfigtx(args[0], args[1])),
  'network-json': () => writeFileSync(args[3], networkJson(args[0], args[1], args[2]) + '\n'),
}[cmd];
if (!out)
  fail(
    'usage: network-config.js shell|policy|seed|registry-org|get <path>|configtx|org-configtx|network-json',
  );
const text = out();
if (typeof text === 'string') console.log(text);
