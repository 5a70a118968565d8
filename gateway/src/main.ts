import 'reflect-metadata';
import { createApp } from './app.factory';
import { AppConfig } from './config/app-config';

async function main(): Promise<void> {
  const app = await createApp();
  const config = app.get(AppConfig);
  await app.listen(config.port, config.host);
}

main().catch((err: Error) => {
  console.error(`DrugTrace gateway failed to start: ${err.message}`);
  process.exit(1);
});
