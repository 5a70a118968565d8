#!/usr/bin/env node
// The on-ledger organisation registry, written as the regulator's user (the organisation whose role is
// REGULATOR):
//   registry.js <network.json> seed <orgs json array>   once, at the network's creation
//   registry.js <network.json> admit <org json>         an organisation that joins a running network
// Retries while a new chaincode server and gossip discovery warm up; a registry that is already seeded
// counts as seeded, and admitting an organisation again rewrites the same entry.
'use strict';

const { readFileSync } = require('node:fs');
const { orgKeyOfRole, withContract } = require('./fabric-client');

const ATTEMPTS = 30;
const PAUSE_MS = 2000;
const TRANSACTIONS = { seed: 'Seed', admit: 'Admit' };

async function main() {
  const [networkFile, action, payload] = process.argv.slice(2);
  const tx = TRANSACTIONS[action];
  if (!tx || !payload) {
    console.error('usage: registry.js <network.json> seed|admit <json>');
    process.exit(2);
  }
  const network = JSON.parse(readFileSync(networkFile, 'utf8'));
  let lastError;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      await withContract(network, orgKeyOfRole(network, 'REGULATOR'), 'user1', 'registry', (contract) =>
        contract.submitTransaction(tx, payload),
      );
      console.log(`[registry] ${action}: done`);
      return;
    } catch (err) {
      const text = [err.message, ...(err.details ?? []).map((d) => d.message)].join(' | ');
      if (action === 'seed' && /CONFLICT: the registry is already seeded/.test(text)) {
        console.log('[registry] already seeded');
        return;
      }
      lastError = text;
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    }
  }
  console.error(`[registry] ${action} gave up after ${ATTEMPTS} attempts: ${lastError}`);
  process.exit(1);
}

main();
