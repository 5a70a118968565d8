import { Global, Module, OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { AppConfig } from '../config/app-config';
import { Database } from './database';
import { PostgresDatabase } from './postgres-database';
import { SqliteDatabase } from './sqlite-database';

/** The database DATABASE_URL names, else the embedded SQLite file under DRUGTRACE_HOME. */
export function openDatabase(config: Pick<AppConfig, 'databaseUrl' | 'databasePath'>): Database {
  return config.databaseUrl
    ? new PostgresDatabase(config.databaseUrl)
    : new SqliteDatabase(config.databasePath);
}

/** The gateway's one database, for every module that keeps state off the ledger (inject `Database`). */
@Global()
@Module({
  providers: [{ provide: Database, useFactory: openDatabase, inject: [AppConfig] }],
  exports: [Database],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(private readonly moduleRef: ModuleRef) {}

  async onApplicationShutdown(): Promise<void> {
    await this.moduleRef.get(Database).close();
  }
}
