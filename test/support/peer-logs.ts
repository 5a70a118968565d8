import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { drugtraceHome } from './paths';

/** Under mutual TLS a peer refuses a deliver (block events) request that does not name the client's TLS certificate hash. */
export const MISSING_TLS_CERT_HASH = "client didn't include its TLS cert hash";

/** The peers' log files (rotated ones included). */
export const peerLogs = (): string[] =>
  readdirSync(join(drugtraceHome, 'logs')).filter((f) => /^peer0\..+\.log(\.\d+)?$/.test(f));

/** The peer log files that contain `text`. */
export const peerLogsWith = (text: string): string[] =>
  peerLogs().filter((f) => readFileSync(join(drugtraceHome, 'logs', f), 'utf8').includes(text));
