import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountStore } from '../src/accounts/account-store';
import { newApiKey } from '../src/accounts/api-key';
import { EnrolledIdentity, IdentityAuthority } from '../src/accounts/identity-authority';
import { AppModule } from '../src/app.module';
import { configureApp } from '../src/app.factory';
import { AppConfig } from '../src/config/app-config';
import { WorkerScript } from '../src/common/worker-pool';
import { LedgerClient } from '../src/fabric/ledger-client';
import { WRITE_THREAD } from '../src/fabric/write-thread';
import { Database } from '../src/database/database';
import { EventStore, IncomingEvent, IndexedEvent } from '../src/events/event-store';
import { noteLedgerBlock } from '../src/replica/ledger-position';
import { ReadModel } from '../src/replica/read-model';
import { DECODE_WORKER } from '../src/verify/image-decoder';

/**
 * A public X.509 certificate (its key was discarded when it was made): the gateway hashes the TLS client
 * certificate it presents, so the fixture must be a real one.
 */
export const TEST_TLS_CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIIBvzCCAWWgAwIBAgIUSzudOCnNKx+J2vtabTdx+Nv3O2AwCgYIKoZIzj0EAwIw
NDEYMBYGA1UECgwPRHJ1Z1RyYWNlIHRlc3RzMRgwFgYDVQQDDA90ZXN0IFRMUyBj
bGllbnQwIBcNMjYxMTMwMTYxMzIwWhgPMjEyNjExMDYxNjEzMjBaMDQxGDAWBgNV
BAoMD0RydWdUcmFjZSB0ZXN0czEYMBYGA1UEAwwPdGVzdCBUTFMgY2xpZW50MFkw
EwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEHgDi2Hc/HBEpeGGmC4tp7XxI9u1Pph34
S074SDMM4BH/CXFKBfYur+1xaw/T2Eg+SfC+tnGfPp7Wu5u/gUUPuaNTMFEwHQYD
VR0OBBYEFAWCol4g+3l8vnl7olIVoHQ1gvQ+MB8GA1UdIwQYMBaAFAWCol4g+3l8
vnl7olIVoHQ1gvQ+MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIg
aBOOSigjBrUUZvOnPOD1RuOJIPZE7+hLVpo/eXoREuACIQD0sW8t82xWa9GGvRaT
d40CfI3UErUHpgKAr7f02tlYdQ==
-----END CERTIFICATE-----
`;

export const ORGS = {
  manufacturer: { mspId: 'ManufacturerMSP', role: 'MANUFACTURER', gln: '9506000000003', port: 7051 },
  distributor: { mspId: 'DistributorMSP', role: 'DISTRIBUTOR', gln: '9506000010007', port: 8051 },
  pharmacy: { mspId: 'PharmacyMSP', role: 'PHARMACY', gln: '9506000000027', port: 9051 },
  regulator: { mspId: 'RegulatorMSP', role: 'REGULATOR', gln: '9506000000034', port: 10051 },
} as const;
export type OrgName = keyof typeof ORGS;

/**
 * A DRUGTRACE_HOME with network.json and key material shaped like `network.sh up` writes. No api-keys.json:
 * the gateway authenticates from its account store (createTestApp puts the demo users there).
 */
export function writeHome(): { home: string } {
  const home = mkdtempSync(join(tmpdir(), 'drugtrace-gateway-'));
  const file = (name: string, content: string): string => {
    const path = join(home, name);
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  };
  const orgs: Record<string, unknown> = {};
  for (const [name, org] of Object.entries(ORGS) as [OrgName, (typeof ORGS)[OrgName]][]) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const user = (user: string, role: string) => ({
      certPath: file(`${name}-${user}-cert.pem`, `certificate of ${name}/${user}`),
      keyPath: file(
        `${name}-${user}-key.pem`,
        privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      ),
      gln: org.gln,
      role,
    });
    orgs[name] = {
      mspId: org.mspId,
      role: org.role,
      glns: [org.gln],
      peer: {
        endpoint: `127.0.0.1:${org.port}`,
        hostAlias: `peer0.${name}.drugtrace.local`,
        tlsRootCertPath: file(`${name}-tlsca.pem`, 'not parsed by the tests'),
        tlsClientCertPath: file(`${name}-tls-client.crt`, TEST_TLS_CERTIFICATE),
        tlsClientKeyPath: file(`${name}-tls-client.key`, `TLS client key of ${name}`),
      },
      users:
        name === 'regulator'
          ? { user1: user('user1', org.role), resolver: user('resolver', 'RESOLVER') }
          : { user1: user('user1', org.role) },
    };
  }
  file(
    'network.json',
    JSON.stringify({
      channel: 'drugtrace',
      chaincode: { name: 'drugtrace', sequence: 1, label: 'drugtrace_1' },
      orgs,
    }),
  );
  // Receipt signing keys as gateway.sh start makes them: one P-256 key per organisation.
  mkdirSync(join(home, 'state', 'receipt-keys'), { recursive: true });
  for (const org of Object.values(ORGS)) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    file(
      join('state', 'receipt-keys', `${org.mspId}-20261130T000000Z.pem`),
      privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    );
  }
  return { home };
}

export function testConfig(home: string, env: NodeJS.ProcessEnv = {}): AppConfig {
  return new AppConfig({
    DRUGTRACE_HOME: home,
    LOG_LEVEL: 'silent',
    PUBLIC_BASE_URL: 'https://scan.example',
    ...env,
  });
}

/** The image decoder's worker from its TypeScript source (the gateway runs the compiled one). */
export const sourceDecodeWorker: WorkerScript = {
  filename: join(__dirname, '..', 'src', 'verify', 'decode-worker.ts'),
  execArgv: ['--require', join(__dirname, 'ts-worker.js')],
};

/** A block stream that stays open (like a live one) until closed, without delivering anything. */
export function idleEventStream(): AsyncIterable<never> & { close: () => void } {
  let release: () => void = () => undefined;
  const closed = new Promise<IteratorResult<never>>(
    (resolve) => (release = () => resolve({ done: true, value: undefined })),
  );
  return {
    close: () => release(),
    [Symbol.asyncIterator]: () => ({ next: () => closed }),
  };
}

export type MockLedger = {
  [
    K in
      | 'evaluate'
      | 'submit'
      | 'prepareSubmit'
      | 'knownHeight'
      | 'transactionStatus'
      | 'network'
      | 'peerReachable'
      | 'onModuleDestroy'
  ]: jest.Mock;
} & { channel: string };

/** The Fabric port, mocked: tests say what the ledger answers and assert who called what. */
export function mockLedger(): MockLedger {
  let prepared = 0;
  const ledger: MockLedger = {
    // A prepared write is an ordinary submit, known by its transaction ID before it is sent.
    prepareSubmit: jest.fn((...args: unknown[]) => ({
      txId: `prepared-tx-${++prepared}`,
      submit: () => ledger.submit(...args),
    })),
    channel: 'drugtrace',
    evaluate: jest.fn(),
    submit: jest.fn(),
    transactionStatus: jest.fn(),
    knownHeight: jest.fn().mockResolvedValue(42n),
    peerReachable: jest.fn().mockResolvedValue(true),
    onModuleDestroy: jest.fn(),
    network: jest.fn(() => ({
      getBlockEvents: jest.fn().mockResolvedValue(idleEventStream()),
      getContract: jest.fn(() => ({
        evaluateTransaction: jest.fn().mockRejectedValue(new Error('not in the index')),
      })),
    })),
  };
  return ledger;
}

/** The organisations' CAs, faked: records what they were asked, and can be told to refuse. */
export class FakeIdentityAuthority extends IdentityAuthority {
  readonly enrolled: string[] = [];
  readonly revoked: string[] = [];
  refuseEnrol?: Error;
  refuseRevoke?: Error;

  enrol(org: string, name: string): Promise<EnrolledIdentity> {
    if (this.refuseEnrol) return Promise.reject(this.refuseEnrol);
    this.enrolled.push(`${org}/${name}`);
    return Promise.resolve({ certPath: `/crypto/${org}/people/${name}/cert.pem`, keyPath: `/k/${name}` });
  }

  revoke(org: string, name: string): Promise<void> {
    if (this.refuseRevoke) return Promise.reject(this.refuseRevoke);
    this.revoked.push(`${org}/${name}`);
    return Promise.resolve();
  }
}

/** Each organisation's user1 as `npm start` stores it (an admin), with one API key; returns the keys. */
export async function storeDemoUsers(
  store: AccountStore,
  config: AppConfig,
): Promise<Record<OrgName, string>> {
  const keys = {} as Record<OrgName, string>;
  const now = new Date().toISOString();
  for (const name of Object.keys(ORGS) as OrgName[]) {
    const org = config.network.orgs[name];
    const { id, key, hash } = newApiKey();
    await store.addUser(
      {
        org: name,
        name: `${name}-user1`,
        gln: org.users.user1.gln,
        role: org.role,
        admin: true,
        status: 'ACTIVE',
        createdAt: now,
        certPath: org.users.user1.certPath,
        keyPath: org.users.user1.keyPath,
      },
      { id, org: name, user: `${name}-user1`, hash, createdAt: now },
    );
    keys[name] = key;
  }
  return keys;
}

/**
 * Reads answered by the mocked ledger's `evaluate`, as if the replica were at block 0, and list pages by the
 * app's list tables (empty unless a test applies blocks to its replica): these tests are about
 * HTTP, validation and access; the read model has its own (src/replica).
 */
function readsThrough(ledger: MockLedger): Pick<ReadModel, 'read' | 'ledger' | 'derived' | 'visible'> {
  const read = async <T>(who: unknown, contract: string, tx: string, ...args: string[]) => ({
    value: (await ledger.evaluate(who, contract, tx, ...args)) as T,
    block: 0,
  });
  // The list tables are the app's own database's: read without waiting for a height, reporting the page's.
  const derived = async <T extends { height: number }>(_call: string, query: () => Promise<T>) => {
    const value = await query();
    noteLedgerBlock(value.height - 1);
    return value;
  };
  // Writes are answered as the mocked ledger answers them: there is no replica to wait for.
  const visible = <T>(write: () => Promise<T>) => write();
  return { read, ledger: read, derived, visible } as Pick<
    ReadModel,
    'read' | 'ledger' | 'derived' | 'visible'
  >;
}

/** Records an event in the app's event index as the block follower does (not published live). */
export function recordEvent(
  app: NestExpressApplication,
  event: IncomingEvent,
): Promise<IndexedEvent | undefined> {
  return app.get(Database).transaction((tx) => app.get(EventStore).insert(tx, event));
}

/** Records that a transaction committed in a block, as the replica does when it applies the block. */
export async function recordTransaction(
  app: NestExpressApplication,
  txId: string,
  block: number,
): Promise<void> {
  await app.get(Database).run('INSERT INTO replica_transactions (tx_id, block) VALUES (?, ?)', [txId, block]);
}

export interface TestApp {
  app: NestExpressApplication;
  http: ReturnType<NestExpressApplication['getHttpServer']>;
  ledger: MockLedger;
  keys: Record<OrgName, string>;
  bearer: (org: OrgName) => { Authorization: string };
  close: () => Promise<void>;
}

/**
 * The whole application as `main.ts` builds it, over a mocked Fabric port and a temporary home; the image
 * decoder's worker from its source, or the one given.
 */
export async function createTestApp(
  env: NodeJS.ProcessEnv = {},
  decodeWorker: WorkerScript = sourceDecodeWorker,
): Promise<TestApp> {
  const { home } = writeHome();
  const ledger = mockLedger();
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(AppConfig)
    .useValue(testConfig(home, env))
    .overrideProvider(LedgerClient)
    .useValue(ledger)
    .overrideProvider(WRITE_THREAD)
    .useValue(null)
    .overrideProvider(ReadModel)
    .useValue(readsThrough(ledger))
    .overrideProvider(DECODE_WORKER)
    .useValue(decodeWorker)
    .overrideProvider(IdentityAuthority)
    .useValue(new FakeIdentityAuthority())
    .compile();
  const keys = await storeDemoUsers(moduleRef.get(AccountStore), moduleRef.get(AppConfig));
  const app = configureApp(moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false }));
  // Listening on loopback here, so supertest does not bind an ephemeral port on every interface.
  await app.listen(0, '127.0.0.1');
  return {
    app,
    http: app.getHttpServer(),
    ledger,
    keys,
    bearer: (org) => ({ Authorization: `Bearer ${keys[org]}` }),
    close: async () => {
      await app.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
