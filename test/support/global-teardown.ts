import { execFileSync } from 'node:child_process';
import { gatewayScript, networkScript } from './paths';

/** Leaves nothing running: the gateway first, then every network process, and all generated state. */
export default function globalTeardown(): void {
  try {
    execFileSync('bash', [gatewayScript, 'stop'], { stdio: 'inherit' });
  } finally {
    if (process.env.DRUGTRACE_KEEP_NETWORK !== '1') {
      execFileSync('bash', [networkScript, 'down'], { stdio: 'inherit' });
    }
  }
}
