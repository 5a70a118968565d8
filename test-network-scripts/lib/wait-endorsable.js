#!/usr/bin/env node
// Waits until every organisation's peer can plan an endorsement across the channel: after a restart,
// gossip discovery needs a few seconds before a submit finds enough peers for the policy.
//   wait-endorsable.js <network.json> <timeout seconds>
// Endorses (never submits) a read-only registry query as each organisation's user, on every organisation's
// peer at once: a custody change may need any of them (holder, receiver, regulator), not just the two that
// the chaincode's own policy asks for.
'use strict';

const { readFileSync } = require('node:fs');
const { withContract } = require('./fabric-client');

const PAUSE_MS = 1000;

async function endorsable(network, orgKey) {
  const everyOrg = Object.values(network.orgs).map((org) => org.mspId);
  try {
    await withContract(network, orgKey, 'user1', 'registry', (contract) =>
      contract.newProposal('List', { endorsingOrganizations: everyOrg }).endorse(),
    );
    return undefined;
  } catch (err) {
    return [err.message, ...(err.details ?? []).map((d) => d.message)].join(' | ');
  }
}

async function main() {
  const [networkFile, timeout] = process.argv.slice(2);
  const network = JSON.parse(readFileSync(networkFile, 'utf8'));
  const deadline = Date.now() + Number(timeout) * 1000;
  for (const orgKey of Object.keys(network.orgs)) {
    for (;;) {
      const error = await endorsable(network, orgKey);
      if (!error) break;
      if (Date.now() > deadline) {
        console.error(`[wait-endorsable] ${orgKey} cannot endorse after ${timeout}s: ${error}`);
        process.exit(1);
      }
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    }
  }
}

main();
