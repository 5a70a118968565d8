import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { Database } from '../src/database/database';
import { PostgresDatabase } from '../src/database/postgres-database';
import { SqliteDatabase } from '../src/database/sqlite-database';

/** A fresh, empty database of one dialect, and how to remove it. */
export interface TestDatabase {
  /** Another connection to the same database (a second gateway process). */
  open(): Database;
  drop(): Promise<void>;
}

/** The PostgreSQL server test/postgres-setup.ts started (test-network-scripts/postgres.sh). */
function serverUrl(): string {
  const url = process.env.DRUGTRACE_TEST_DATABASE_URL;
  if (!url)
    throw new Error('DRUGTRACE_TEST_DATABASE_URL is not set: the jest global set-up starts PostgreSQL');
  return url;
}

export async function sqliteDatabase(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'drugtrace-db-'));
  return {
    open: () => new SqliteDatabase(join(dir, 'gateway.sqlite')),
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A database of its own on the real server, so test files never see each other's tables. */
export async function postgresDatabase(): Promise<TestDatabase> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return {
    open: () => new PostgresDatabase(url.toString(), 4),
    drop: async () => {
      const client = new Client({ connectionString: serverUrl() });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export const DIALECTS: [string, () => Promise<TestDatabase>][] = [
  ['SQLite', sqliteDatabase],
  ['PostgreSQL', postgresDatabase],
];
