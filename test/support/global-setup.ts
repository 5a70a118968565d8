import { execFileSync } from 'node:child_process';
import { gatewayScript, networkScript } from './paths';

/**
 * Brings the real network up (idempotent: builds what is missing, deploys the chaincode) and starts the
 * gateway. Jest skips the global teardown when the set-up throws, so a failed set-up cleans up itself.
 */
export default function globalSetup(): void {
  try {
    execFileSync('bash', [networkScript, 'up'], { stdio: 'inherit' });
    execFileSync('bash', [gatewayScript, 'start'], { stdio: 'inherit' });
  } catch (err) {
    if (process.env.DRUGTRACE_KEEP_STACK !== '1')
      execFileSync('bash', [networkScript, 'down'], { stdio: 'inherit' });
    throw err;
  }
}
