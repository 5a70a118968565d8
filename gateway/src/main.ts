import 'reflect-metadata';
import cluster from 'node:cluster';
import { Server } from 'node:http';
import { createApp } from './app.factory';
import { runPrimary } from './cluster';
import { AppConfig } from './config/app-config';

/** Longer than the 60 s idle timeout common to load balancers. */
const KEEP_ALIVE_MS = 65_000;

async function serve(): Promise<void> {
  const app = await createApp();
  const config = app.get(AppConfig);
  await app.listen(config.port, config.host);
  // Idle keep-alive connections outlive a client's or proxy's own idle timer (clients read it from the
  // Keep-Alive header), so a busy client does not send on a socket the gateway has just closed.
  const server = app.getHttpServer() as Server;
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
}

async function main(): Promise<void> {
  // The primary reads the settings too, so a bad one stops the start before any worker runs.
  const { workers } = new AppConfig();
  if (cluster.isPrimary && workers > 0) runPrimary(workers);
  else await serve();
}

main().catch((err: Error) => {
  console.error(`DrugTrace gateway failed to start: ${err.message}`);
  process.exit(1);
});
