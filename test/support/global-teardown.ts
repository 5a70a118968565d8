import { execFileSync } from 'node:child_process';
import { gatewayScript, networkScript } from './paths';

/**
 * Leaves nothing running: the gateway first, then every network process, and all generated state.
 * DRUGTRACE_KEEP_STACK=1 keeps both running, for a developer re-running one suite.
 */
export default function globalTeardown(): void {
  if (process.env.DRUGTRACE_KEEP_STACK === '1') return;
  try {
    execFileSync('bash', [gatewayScript, 'stop'], { stdio: 'inherit' });
  } finally {
    execFileSync('bash', [networkScript, 'down'], { stdio: 'inherit' });
  }
}
