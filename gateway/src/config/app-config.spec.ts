import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testConfig, writeHome } from '../../test/test-app';
import { openDatabase } from '../database/database.module';
import { PostgresDatabase } from '../database/postgres-database';
import { SqliteDatabase } from '../database/sqlite-database';
import { trustProxyFrom } from './app-config';

describe('AppConfig', () => {
  let home: string;

  beforeEach(() => {
    home = writeHome().home;
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  /** Rewrites network.json in the test home. */
  const editNetwork = (
    edit: (network: { orgs: Record<string, { peer: Record<string, string> }> }) => void,
  ) => {
    const file = join(home, 'network.json');
    const network = JSON.parse(readFileSync(file, 'utf8'));
    edit(network);
    writeFileSync(file, JSON.stringify(network));
  };

  it('accepts the network.json that network.sh writes', () => {
    expect(testConfig(home).regulatorOrg).toBe('regulator');
  });

  it.each(['tlsClientCertPath', 'tlsClientKeyPath'])(
    'refuses to start without the TLS client identity its peers require (%s)',
    (field) => {
      editNetwork((network) => delete network.orgs.pharmacy.peer[field]);
      expect(() => testConfig(home)).toThrow(
        /pharmacy TLS client (certificate|key) \(missing\) does not exist/,
      );
    },
  );

  it("checks the regulator's peer TLS files even when no API key names the regulator", () => {
    const keys = JSON.parse(readFileSync(join(home, 'api-keys.json'), 'utf8'));
    delete keys.regulator;
    writeFileSync(join(home, 'api-keys.json'), JSON.stringify(keys));
    editNetwork((network) => (network.orgs.regulator.peer.tlsClientKeyPath = join(home, 'nowhere.key')));
    expect(() => testConfig(home)).toThrow(/regulator TLS client key .*nowhere\.key\) does not exist/);
  });

  it('has the abuse limits README lists by default, and trusts no proxy', () => {
    const config = testConfig(home);
    expect(config).toMatchObject({
      bodyLimit: '1mb',
      jsonMaxDepth: 32,
      maxErrorDetails: 20,
      imageMaxBytes: 8 * 1024 * 1024,
      imageMaxPixels: 16_000_000,
      imageDecodeQueue: 4,
      imageDecodeTimeoutMs: 5000,
      resolverRateLimitPerMinute: 60,
      apiRateLimitPerMinute: 60000,
      authFailureLimitPerMinute: 20,
      trustProxy: false,
      metricsToken: undefined,
    });
    expect([1, 2]).toContain(config.imageDecodeWorkers);
  });

  it.each([
    ['IMAGE_MAX_PIXELS', '0'],
    ['IMAGE_DECODE_TIMEOUT_MS', '5s'],
    ['IMAGE_DECODE_QUEUE', '-1'],
    ['API_RATE_LIMIT', '1.5'],
    ['AUTH_FAILURE_LIMIT', '0'],
  ])('refuses to start with %s=%s', (name, value) => {
    expect(() => testConfig(home, { [name]: value })).toThrow(new RegExp(`${name} must be an integer`));
  });

  it('keeps its database in SQLite under DRUGTRACE_HOME unless DATABASE_URL names a PostgreSQL server', () => {
    const sqlite = testConfig(home);
    expect(sqlite.databaseUrl).toBeUndefined();
    expect(sqlite.databasePath).toBe(join(home, 'gateway', 'gateway.sqlite'));
    expect(openDatabase(sqlite)).toBeInstanceOf(SqliteDatabase);
    const url = 'postgres://drugtrace:secret@127.0.0.1:5432/drugtrace';
    const postgres = testConfig(home, { DATABASE_URL: url });
    expect(postgres.databaseUrl).toBe(url);
    const db = openDatabase(postgres);
    expect(db).toBeInstanceOf(PostgresDatabase);
    return db.close();
  });

  it.each(['mysql://db/x', 'postgres://', 'not a url'])('refuses DATABASE_URL=%s', (url) => {
    expect(() => testConfig(home, { DATABASE_URL: url })).toThrow(/DATABASE_URL must be a postgres:\/\/ URL/);
  });

  it('refuses a metrics token too short to resist guessing', () => {
    expect(() => testConfig(home, { METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be at least 16/);
    expect(testConfig(home, { METRICS_TOKEN: 'scrape-0123456789abcdef' }).metricsToken).toBe(
      'scrape-0123456789abcdef',
    );
  });
});

describe(trustProxyFrom.name, () => {
  it.each([
    [undefined, false],
    ['', false],
    ['false', false],
    ['1', 1],
    ['loopback', ['loopback']],
    ['10.0.0.1, 192.168.0.0/16 ,uniquelocal', ['10.0.0.1', '192.168.0.0/16', 'uniquelocal']],
    ['::1,fd00::/8', ['::1', 'fd00::/8']],
  ])('TRUST_PROXY=%p trusts %p', (raw, expected) => {
    expect(trustProxyFrom({ TRUST_PROXY: raw })).toEqual(expected);
  });

  it.each(['true', 'proxy.example', '10.0.0.1/33', '::1/129', '10.0.0.0/8/1', '10.0.0.1,,', '11'])(
    'refuses TRUST_PROXY=%p at start-up',
    (raw) => {
      expect(() => trustProxyFrom({ TRUST_PROXY: raw })).toThrow(/TRUST_PROXY must be/);
    },
  );
});
