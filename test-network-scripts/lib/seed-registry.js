#!/usr/bin/env node
// Seeds the on-ledger organisation registry once, as the regulator's user (the organisation whose role is
// REGULATOR), from network/network.yaml.
//   seed-registry.js <network.json> <seed json>
// Retries while the new chaincode server and gossip discovery warm up; a registry that is already
// seeded (CONFLICT) counts as done.
'use strict';

const { readFileSync } = require('node:fs');
const { withContract } = require('./fabric-client');

const ATTEMPTS = 30;
const PAUSE_MS = 2000;

const regulatorKey = (network) => Object.keys(network.orgs).find((k) => network.orgs[k].role === 'REGULATOR');

async function main() {
  const [networkFile, seed] = process.argv.slice(2);
  const network = JSON.parse(readFileSync(networkFile, 'utf8'));
  let lastError;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      await withContract(network, regulatorKey(network), 'user1', 'registry', (contract) =>
        contract.submitTransaction('Seed', seed),
      );
      console.log('[seed-registry] registry seeded');
      return;
    } catch (err) {
      const text = [err.message, ...(err.details ?? []).map((d) => d.message)].join(' | ');
      if (/CONFLICT: the registry is already seeded/.test(text)) {
        console.log('[seed-registry] registry already seeded');
        return;
      }
      lastError = text;
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    }
  }
  console.error(`[seed-registry] gave up after ${ATTEMPTS} attempts: ${lastError}`);
  process.exit(1);
}

main();
