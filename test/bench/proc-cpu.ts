// CPU time of every process of the stack, read from /proc/<pid>/stat (utime + stime) for the pids that
// network.sh and gateway.sh wrote under the state directory, plus this bench client itself, and the gateway's
// HTTP thread alone (its main thread: /proc/<pid>/task/<pid>/stat), which a write on the write thread leaves
// free. Linux only.

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { drugtraceHome } from '../support/paths';

/** Clock ticks per second, as /proc/<pid>/stat counts CPU time. */
const CLK_TCK = ((): number => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Process name (the pid file's name) → pid, for the network's nodes and the gateway. */
export function stackPids(home = drugtraceHome): Map<string, number> {
  const pids = new Map<string, number>();
  for (const dir of [join(home, 'pids'), join(home, 'gateway')]) {
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.pid'))) {
      const pid = Number(readFileSync(join(dir, file), 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0) pids.set(file.slice(0, -'.pid'.length), pid);
    }
  }
  return pids;
}

/** The gateway's main thread, the one serving HTTP, in the samples (a part of 'gateway', not added to the stack). */
const HTTP_THREAD = 'gateway/http-thread';

/** CPU seconds (user + system) a process (or one of its threads) has used, or undefined when it is gone. */
function cpuSecondsOf(statPath: string): number | undefined {
  try {
    const stat = readFileSync(statPath, 'utf8');
    // Fields after the command name (which may hold spaces) start at the last ')'; utime and stime are
    // fields 14 and 15 of the line, i.e. the 12th and 13th after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return undefined;
  }
}

/** Busy and total jiffies of the whole machine (every core), from /proc/stat: how loaded it was. */
function machineJiffies(): { busy: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = cpu.reduce((a, b) => a + b, 0);
  const idle = cpu[3] + (cpu[4] ?? 0);
  return { busy: total - idle, total };
}

export interface CpuSample {
  at: number;
  byProcess: Map<string, number>;
  machine: { busy: number; total: number };
}

export function sampleCpu(pids = stackPids()): CpuSample {
  const byProcess = new Map<string, number>();
  for (const [name, pid] of pids) {
    const s = cpuSecondsOf(`/proc/${pid}/stat`);
    if (s !== undefined) byProcess.set(name, s);
  }
  const gateway = pids.get('gateway');
  const http = gateway === undefined ? undefined : cpuSecondsOf(`/proc/${gateway}/task/${gateway}/stat`);
  if (http !== undefined) byProcess.set(HTTP_THREAD, http);
  const self = process.cpuUsage();
  byProcess.set('bench-client', (self.user + self.system) / 1e6);
  return { at: Date.now(), byProcess, machine: machineJiffies() };
}

export interface CpuPerTx {
  /** process → CPU milliseconds per successful transaction during the run (CAs left out when idle) */
  msPerTx: Record<string, number>;
  /** every stack process together, the bench client excluded */
  stackMsPerTx: number;
  /** how busy the whole machine was during the run (all users), in cores */
  machineBusyCores: number;
  /** how many cores of that the stack's processes used */
  stackCores: number;
}

const r2 = (x: number): number => Math.round(x * 100) / 100;

/** CPU per transaction between two samples, `txs` successful transactions in between. */
export function cpuPerTx(before: CpuSample, after: CpuSample, txs: number): CpuPerTx {
  const msPerTx: Record<string, number> = {};
  let stack = 0;
  for (const [name, end] of after.byProcess) {
    const start = before.byProcess.get(name);
    if (start === undefined) continue;
    const ms = (end - start) * 1000;
    if (name.startsWith('ca-') && ms < 1) continue; // the CAs take no part in a transaction
    msPerTx[name] = txs > 0 ? r2(ms / txs) : NaN;
    if (name !== 'bench-client' && name !== HTTP_THREAD) stack += ms;
  }
  const seconds = (after.at - before.at) / 1000;
  const machineTotal = after.machine.total - before.machine.total;
  const cores = machineTotal / (seconds * CLK_TCK);
  return {
    msPerTx,
    stackMsPerTx: txs > 0 ? r2(stack / txs) : NaN,
    machineBusyCores: r2(((after.machine.busy - before.machine.busy) / machineTotal) * cores),
    stackCores: r2(stack / 1000 / seconds),
  };
}
