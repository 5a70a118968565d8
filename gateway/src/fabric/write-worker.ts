import { parentPort } from 'node:worker_threads';
import { AppConfig } from '../config/app-config';
import { LedgerClient } from './ledger-client';
import { serveWrites } from './write-host';

/**
 * The ledger write thread (write-thread.ts): a LedgerClient of its own, configured as the gateway is (the same
 * environment), with its own gRPC connections to the peers, writing what the gateway's thread sends it.
 */
if (parentPort) {
  const port = parentPort;
  serveWrites(port, (timer) => new LedgerClient(new AppConfig(), timer));
}
