import { execFileSync } from 'node:child_process';
import { gatewayScript, networkScript } from './paths';

/** Brings the real network up (idempotent: builds what is missing, deploys the chaincode) and starts the gateway. */
export default function globalSetup(): void {
  execFileSync('bash', [networkScript, 'up'], { stdio: 'inherit' });
  execFileSync('bash', [gatewayScript, 'start'], { stdio: 'inherit' });
}
