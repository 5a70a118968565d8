import 'reflect-metadata';
import { Server } from 'node:http';
import { createApp } from './app.factory';
import { AppConfig } from './config/app-config';

/** Longer than the 60 s idle timeout common to load balancers. */
const KEEP_ALIVE_MS = 65_000;

async function main(): Promise<void> {
  const app = await createApp();
  const config = app.get(AppConfig);
  await app.listen(config.port, config.host);
  // Idle keep-alive connections outlive a client's or proxy's own idle timer (clients read it from the
  // Keep-Alive header), so a busy client does not send on a socket the gateway has just closed.
  const server = app.getHttpServer() as Server;
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
}

main().catch((err: Error) => {
  console.error(`DrugTrace gateway failed to start: ${err.message}`);
  process.exit(1);
});
