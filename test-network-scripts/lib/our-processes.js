#!/usr/bin/env node
// Prints "pid command" for every process started for this DRUGTRACE_HOME (they all inherit the exported
// DRUGTRACE_HOME: nodes, CAs, chaincode, gateway, log writers), except this script and its ancestors.
// Matching the environment, not a process name, also finds fabric-ca-server, whose name the kernel
// cuts to 15 characters, and never another checkout's network on the same machine.
'use strict';

const fs = require('node:fs');

const marker = `DRUGTRACE_HOME=${process.env.DRUGTRACE_HOME}`;
const parentOf = (pid) => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
};
const ancestors = new Set();
for (let pid = process.pid; pid > 1; pid = parentOf(pid)) ancestors.add(pid);

for (const entry of fs.readdirSync('/proc')) {
  const pid = Number(entry);
  if (!Number.isInteger(pid) || ancestors.has(pid)) continue;
  try {
    const environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    if (!environ.includes(marker)) continue;
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    console.log(`${pid} ${cmd.slice(0, 120)}`);
  } catch {
    // the process ended while we looked
  }
}
