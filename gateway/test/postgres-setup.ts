import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const SCRIPT = join(__dirname, '..', '..', 'test-network-scripts', 'postgres.sh');
const postgres = (command: string): string =>
  execFileSync('bash', [SCRIPT, command], { encoding: 'utf8' }).trim();

/**
 * The PostgreSQL tests run against a real server: the one test-network-scripts/postgres.sh runs under the state
 * directory, started here when it is not running (and then stopped again by the teardown).
 */
export default function setup(): void {
  const running = postgres('status').includes('running');
  if (!running) postgres('start');
  process.env.DRUGTRACE_TEST_DATABASE_URL = postgres('url');
  process.env.DRUGTRACE_TEST_POSTGRES_STARTED = running ? '' : '1';
}

export function teardown(): void {
  if (process.env.DRUGTRACE_TEST_POSTGRES_STARTED) postgres('stop');
}
