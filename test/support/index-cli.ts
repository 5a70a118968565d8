import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { drugtraceHome, repoRoot } from './paths';

/** Runs `npm run index:verify` against the test network's state, as an operator would; returns its output. */
export function indexVerify(): string {
  return execFileSync('node', [join(repoRoot, 'gateway', 'dist', 'replica', 'index-cli.js'), 'verify'], {
    env: { ...process.env, DRUGTRACE_HOME: drugtraceHome },
    encoding: 'utf8',
    timeout: 120_000,
  });
}
