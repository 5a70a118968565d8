/**
 * No secret of the running network is readable by another local user or visible in `ps`: every file and
 * folder under DRUGTRACE_HOME is its owner's alone, no log holds a secret (CA bootstrap passwords, API keys,
 * enrolment secrets, private keys), no process argument carries one, and the peers' and orderers'
 * operations endpoints refuse to change log levels for a caller without a client certificate.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { drugtraceHome, readApiKeys, readNetwork } from '../support/paths';

/** Every file and folder under a directory (no symlinks are made there). */
function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? [path, ...walk(path)] : [path];
  });
}

/** The secrets that must not leak: CA bootstrap passwords, API keys, and every private key's base64 body. */
function secrets(): string[] {
  const state = join(drugtraceHome, 'state');
  const caSecrets = readdirSync(state)
    .filter((f) => f.endsWith('.secret'))
    .map((f) => readFileSync(join(state, f), 'utf8').trim());
  const keyBodies = walk(join(drugtraceHome, 'crypto'))
    .filter((f) => /\.key$|key\.pem$|_sk$/.test(f))
    .map((f) => readFileSync(f, 'utf8').split('\n')[1]) // the first base64 line of the PEM body
    .filter((line) => line && line.length > 20);
  return [...caSecrets, ...Object.values(readApiKeys()), ...keyBodies];
}

/** Command lines of the processes started for this DRUGTRACE_HOME (they inherit it in their environment). */
function ourCommandLines(): string[] {
  const marker = `DRUGTRACE_HOME=${drugtraceHome}`;
  const lines: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(marker)) continue;
      lines.push(readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' '));
    } catch {
      // the process ended while we looked
    }
  }
  return lines;
}

function putLogspec(port: number, ca: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/logspec', method: 'PUT', ca: readFileSync(ca), timeout: 5000 },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', (err) => resolve(`refused: ${err.message}`));
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end('{"spec":"debug"}');
  });
}

describe('secrets on the host', () => {
  it('every file and folder under DRUGTRACE_HOME is for its owner only (0600 / 0700)', () => {
    const open = walk(drugtraceHome)
      .map((path) => ({ path, mode: statSync(path).mode & 0o777 }))
      .filter(({ mode }) => (mode & 0o077) !== 0)
      .map(({ path, mode }) => `${path} ${mode.toString(8)}`);
    expect(open).toEqual([]);
  });

  it('no log holds a secret or a registration password', () => {
    const known = secrets();
    expect(known.length).toBeGreaterThan(20);
    const logs = walk(join(drugtraceHome, 'logs')).filter((f) => statSync(f).isFile());
    expect(logs.length).toBeGreaterThan(10);
    const leaks: string[] = [];
    for (const file of logs) {
      const text = readFileSync(file, 'utf8');
      if (/^Password: /m.test(text)) leaks.push(`${file}: a "Password:" line`);
      for (const secret of known) if (text.includes(secret)) leaks.push(`${file}: ${secret.slice(0, 6)}…`);
    }
    expect(leaks).toEqual([]);
  });

  it('no process argument carries a secret', () => {
    const commands = ourCommandLines();
    // the CAs, orderers, peers, chaincode service and gateway of this network
    expect(commands.length).toBeGreaterThanOrEqual(12);
    expect(commands.some((c) => c.includes('fabric-ca-server start'))).toBe(true);
    const known = secrets();
    const leaks = commands.filter((c) => known.some((s) => c.includes(s)) || /\s-b\s|admin:/.test(c));
    expect(leaks).toEqual([]);
  });

  it('operations endpoints refuse a log-level change from a caller without a client certificate', async () => {
    const network = readNetwork();
    const endpoints = [
      ...Object.values(network.orgs).map((o) => ({
        port: o.peer.operationsPort,
        ca: o.peer.tlsRootCertPath,
      })),
      ...network.ordering.orderers.map((o) => ({
        port: o.operationsPort,
        ca: network.ordering.tlsRootCertPath,
      })),
    ];
    for (const { port, ca } of endpoints) {
      const outcome = await putLogspec(port, ca);
      const refused = outcome === 401 || outcome === 403 || String(outcome).startsWith('refused');
      expect({ port, outcome, refused }).toEqual({ port, outcome, refused: true });
    }
  });
});
