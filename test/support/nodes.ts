import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { drugtraceHome, networkScript } from './paths';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The pid a Fabric node's pid file names (`.drugtrace/pids/<node>.pid`). */
export const pidOf = (node: string): number =>
  Number(readFileSync(join(drugtraceHome, 'pids', `${node}.pid`), 'utf8'));

export const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Signals a node by its pid file and waits (at most 20 s) until it has exited. */
export async function stopNode(node: string, signal: NodeJS.Signals): Promise<void> {
  const pid = pidOf(node);
  process.kill(pid, signal);
  for (let i = 0; i < 80 && isRunning(pid); i++) await sleep(250);
  if (isRunning(pid)) throw new Error(`${node} (pid ${pid}) still runs 20 s after ${signal}`);
}

/** `network.sh up` on a created network restarts exactly the nodes that are not running. */
export const resumeNetwork = (): void => {
  execFileSync('bash', [networkScript, 'up'], { stdio: 'pipe' });
};

/** Probes every 500 ms until it returns a value, or fails after the timeout. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(500);
  }
}
