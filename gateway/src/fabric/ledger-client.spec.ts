import { Logger } from '@nestjs/common';
import { Metadata, status as status_ } from '@grpc/grpc-js';
import { CommitStatusError, EndorseError, StatusCode } from '@hyperledger/fabric-gateway';
import { SubmitError } from '@hyperledger/fabric-gateway/dist/submiterror';
import { gateway as gatewayProtos } from '@hyperledger/fabric-protos';
import { common } from '@hyperledger/fabric-protos';
import { DomainError } from '@drugtrace/chaincode/domain';
import { rmSync } from 'node:fs';
import { createHash, X509Certificate } from 'node:crypto';
import { TEST_TLS_CERTIFICATE, writeHome, testConfig } from '../../test/test-app';
import { Caller } from '../auth/caller';
import { MetricsService } from '../metrics/metrics.service';
import { CommitUnknownError, LedgerTimeoutError, LedgerUnavailableError } from './fabric-errors';
import { CATCH_UP_MAX_WAIT_MS, LedgerClient, MAX_MESSAGE_BYTES, RESUBMIT_AFTER_MS } from './ledger-client';
import type { WriteThread } from './write-thread';

/** A peer's filtered-block stream: the test delivers blocks, fails or ends it. */
class BlockStream {
  readonly #queue: number[] = [];
  #wake: () => void = () => undefined;
  #ended = false;
  #error?: Error;
  readonly close = jest.fn(() => this.end());

  constructor(readonly options: { startBlock?: bigint }) {}

  deliver(block: number): void {
    this.#queue.push(block);
    this.#wake();
  }

  fail(error: Error): void {
    this.#error = error;
    this.#wake();
  }

  end(): void {
    this.#ended = true;
    this.#wake();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<{ getNumber: () => number }> {
    for (;;) {
      const block = this.#queue.shift();
      if (block !== undefined) yield { getNumber: () => block };
      else if (this.#error) throw this.#error;
      else if (this.#ended) return;
      else await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }
}

/** One organisation's side of the mocked network: its contract, its qscc and its block streams. */
function mockPeer() {
  const chainInfo = jest.fn<Promise<Uint8Array>, []>();
  /** Endorsement of a proposal: resolves to the transaction (see `endorsed`) or fails. */
  const endorse = jest.fn<Promise<unknown>, [string, { arguments: string[] }, { deadline?: number }]>();
  const peer = {
    contract: {
      evaluateTransaction: jest.fn(),
      newProposal: jest.fn((tx: string, options: { arguments: string[] }) => ({
        endorse: (callOptions: { deadline?: number }) => endorse(tx, options, callOptions),
      })),
    },
    endorse,
    newCommit: jest.fn(),
    chainInfo,
    qscc: { newProposal: jest.fn(() => ({ evaluate: chainInfo })) },
    streams: [] as BlockStream[],
    /** The peer's ledger height, as GetChainInfo reports it. */
    reportHeight: (height: number) => {
      const info = new common.BlockchainInfo();
      info.setHeight(height);
      chainInfo.mockResolvedValue(info.serializeBinary());
    },
  };
  const network = {
    getName: () => 'drugtrace',
    getContract: jest.fn((name: string) => (name === 'qscc' ? peer.qscc : peer.contract)),
    getFilteredBlockEvents: jest.fn(async (options: { startBlock?: bigint }) => {
      const stream = new BlockStream(options);
      peer.streams.push(stream);
      return stream;
    }),
  };
  const gateway = {
    getNetwork: jest.fn(() => network),
    close: jest.fn(),
    getIdentity: () => ({ mspId: 'PharmacyMSP', credentials: new TextEncoder().encode('certificate') }),
    newCommit: peer.newCommit,
  };
  return { ...peer, gateway };
}
type MockPeer = ReturnType<typeof mockPeer>;

const peers = new Map<string, MockPeer>();
const grpcClient = { close: jest.fn(), waitForReady: jest.fn() };

jest.mock('@hyperledger/fabric-gateway', () => ({
  ...jest.requireActual('@hyperledger/fabric-gateway'),
  connect: jest.fn((options: { identity: { mspId: string } }) => peers.get(options.identity.mspId)!.gateway),
}));
jest.mock('@grpc/grpc-js', () => ({
  ...jest.requireActual('@grpc/grpc-js'),
  credentials: { createSsl: jest.fn(() => ({})) },
  Client: jest.fn(() => grpcClient),
}));

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { connect } = require('@hyperledger/fabric-gateway') as { connect: jest.Mock };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const grpc = require('@grpc/grpc-js') as { Client: jest.Mock; credentials: { createSsl: jest.Mock } };

const caller = (org: 'manufacturer' | 'pharmacy' | 'distributor', mspId: string): Caller => ({
  org,
  mspId,
  role: 'PHARMACY',
  gln: '9506000000027',
  user: `${org}-user1`,
  admin: false,
  // The demo user1's files, once the test home exists (beforeEach).
  certPath: '',
  keyPath: '',
});
const manufacturer = caller('manufacturer', 'ManufacturerMSP');
const distributor = caller('distributor', 'DistributorMSP');
const pharmacy = caller('pharmacy', 'PharmacyMSP');

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
/** A commit status as the peer reports it. */
const status = (blockNumber: number, code: number = StatusCode.VALID) => ({
  blockNumber: BigInt(blockNumber),
  code,
  successful: code === StatusCode.VALID,
  transactionId: 'tx1',
});
/**
 * What an endorsement resolves to: a transaction 'tx1' whose submit is accepted and whose commit status is
 * `blockNumber` with `code`. Its `submit` and the submitted transaction's `getStatus` are mocks to override.
 */
const endorsed = (blockNumber: number, result: unknown = {}, code: number = StatusCode.VALID) => {
  const submitted = {
    getTransactionId: () => 'tx1',
    getResult: () => bytes(result),
    getStatus: jest.fn(async (_options?: { deadline?: number }) => status(blockNumber, code)),
  };
  return {
    getTransactionId: () => 'tx1',
    submit: jest.fn(async (_options?: { deadline?: number }) => submitted),
    submitted,
  };
};
const grpcError = (code: number) =>
  Object.assign(new Error(`${code} grpc`), { code, details: 'grpc', metadata: new Metadata() });
const endorseError = (code: number) =>
  new EndorseError({ code, message: `${code}`, transactionId: 'tx1', details: [], cause: grpcError(code) });
const submitError = (code: number) =>
  new SubmitError({ code, message: `${code}`, transactionId: 'tx1', details: [], cause: grpcError(code) });
const commitStatusError = (code: number) =>
  new CommitStatusError({
    code,
    message: `${code}`,
    transactionId: 'tx1',
    details: [],
    cause: grpcError(code),
  });
/** A call that fails with DEADLINE_EXCEEDED when its deadline passes, as gRPC does. */
const untilDeadline =
  (error: (code: number) => Error) =>
  (options?: { deadline?: number }): Promise<never> =>
    new Promise((_, reject) =>
      setTimeout(() => reject(error(status_.DEADLINE_EXCEEDED)), (options?.deadline ?? 0) - Date.now()),
    );
/** Lets pending promise callbacks (and the listeners' loops) run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe(LedgerClient.name, () => {
  let sut: LedgerClient;
  let home: string;
  let metrics: MetricsService;
  let warn: jest.SpyInstance;
  let m: MockPeer;
  let d: MockPeer;
  let p: MockPeer;

  beforeEach(() => {
    jest.clearAllMocks();
    for (const msp of ['ManufacturerMSP', 'DistributorMSP', 'PharmacyMSP', 'RegulatorMSP'])
      peers.set(msp, mockPeer());
    [m, d, p] = ['ManufacturerMSP', 'DistributorMSP', 'PharmacyMSP'].map((msp) => peers.get(msp)!);
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
    home = writeHome().home;
    metrics = new MetricsService();
    const config = testConfig(home, { MVCC_RETRIES: '2' });
    for (const c of [manufacturer, distributor, pharmacy])
      Object.assign(c, {
        certPath: config.network.orgs[c.org].users.user1.certPath,
        keyPath: config.network.orgs[c.org].users.user1.keyPath,
      });
    sut = new LedgerClient(config, metrics);
  });
  afterEach(async () => {
    jest.useRealTimers();
    await sut.onModuleDestroy();
    jest.restoreAllMocks();
    rmSync(home, { recursive: true, force: true });
  });

  /** The manufacturer commits a transaction in `block` (its peer is then at height block + 1). */
  async function manufacturerWrites(block: number): Promise<void> {
    m.endorse.mockResolvedValueOnce(endorsed(block, { id: 'shipment' }));
    await sut.submit(manufacturer, 'shipments', 'Ship', '{}');
  }

  const catchUps = async () =>
    (await metrics.fabric.get()).values.filter(
      (v) => v.labels.kind === 'catch-up' && v.metricName?.endsWith('_count'),
    );

  it("connects as each caller's own identity, one gateway per identity, one gRPC client per peer", async () => {
    for (const peer of peers.values()) peer.contract.evaluateTransaction.mockResolvedValue(bytes({ ok: 1 }));
    await sut.evaluate(pharmacy, 'units', 'Get', 'g', 's');
    await sut.evaluate(pharmacy, 'units', 'Get', 'g', 's');
    await sut.evaluate(manufacturer, 'units', 'Get', 'g', 's');
    await sut.evaluate('resolver', 'verification', 'Verify', 'code', '');
    expect(connect).toHaveBeenCalledTimes(3);
    const identities = connect.mock.calls.map(([options]) => options.identity.mspId);
    expect(identities).toEqual(['PharmacyMSP', 'ManufacturerMSP', 'RegulatorMSP']);
    expect(grpc.Client.mock.calls.map(([endpoint]) => endpoint)).toEqual([
      '127.0.0.1:9051',
      '127.0.0.1:7051',
      '127.0.0.1:10051',
    ]);
    // Deliver requests (block listeners) name the TLS client certificate's hash, as mutual TLS requires.
    const tlsDer = new X509Certificate(TEST_TLS_CERTIFICATE).raw;
    for (const [options] of connect.mock.calls)
      expect(Buffer.from(options.tlsClientCertificateHash)).toEqual(
        createHash('sha256').update(tlsDer).digest(),
      );
    const certificates = connect.mock.calls.map(([options]) => options.identity.credentials.toString());
    expect(certificates).toEqual([
      'certificate of pharmacy/user1',
      'certificate of manufacturer/user1',
      'certificate of regulator/resolver',
    ]);
  });

  it("presents the organisation's TLS client certificate on its peer connection (mutual TLS)", async () => {
    for (const peer of peers.values()) peer.contract.evaluateTransaction.mockResolvedValue(bytes({}));
    await sut.evaluate(pharmacy, 'units', 'Get', 'g', 's');
    await sut.evaluate('resolver', 'verification', 'Verify', 'code', '');
    const text = (b?: Buffer) => b?.toString();
    expect(grpc.credentials.createSsl.mock.calls.map((args: Buffer[]) => args.map(text))).toEqual([
      ['not parsed by the tests', 'TLS client key of pharmacy', TEST_TLS_CERTIFICATE],
      ['not parsed by the tests', 'TLS client key of regulator', TEST_TLS_CERTIFICATE],
    ]);
  });

  it("takes answers up to the peer's own message limit, not gRPC's 4 MB default (a large write's endorsement)", async () => {
    for (const peer of peers.values()) peer.contract.evaluateTransaction.mockResolvedValue(bytes({}));
    await sut.evaluate(pharmacy, 'units', 'Get', 'g', 's');
    const options = grpc.Client.mock.calls.map((args: unknown[]) => args[2] as Record<string, unknown>);
    expect(options).toEqual([
      expect.objectContaining({ 'grpc.max_receive_message_length': MAX_MESSAGE_BYTES }),
    ]);
    expect(MAX_MESSAGE_BYTES).toBe(100 * 1024 * 1024);
  });

  it('sets a deadline on every kind of call', () => {
    void sut.network(pharmacy);
    const options = connect.mock.calls[0][0];
    for (const kind of ['evaluateOptions', 'endorseOptions', 'submitOptions', 'commitStatusOptions']) {
      expect(options[kind]().deadline).toBeGreaterThan(Date.now());
    }
  });

  it('retries an MVCC conflict and returns the committed result', async () => {
    p.endorse
      .mockResolvedValueOnce(endorsed(5, {}, StatusCode.MVCC_READ_CONFLICT))
      .mockResolvedValueOnce(endorsed(6, { state: 'DISPENSED' }));
    await expect(sut.submit(pharmacy, 'units', 'Dispense', 'g', 's')).resolves.toEqual({
      state: 'DISPENSED',
    });
    expect(p.endorse).toHaveBeenCalledTimes(2);
    // A dispense needs the holder's and the regulator's peers: both asked at once (endorsement-plan.ts).
    expect(p.contract.newProposal).toHaveBeenCalledWith('Dispense', {
      arguments: ['g', 's'],
      endorsingOrganizations: ['PharmacyMSP', 'RegulatorMSP'],
    });
  });

  it('leaves the endorsement plan to the peers for a receipt (the sender must endorse too)', async () => {
    p.endorse.mockResolvedValueOnce(endorsed(5, { status: 'RECEIVED' }));
    await sut.submit(pharmacy, 'shipments', 'Receive', 'id1');
    expect(p.contract.newProposal).toHaveBeenCalledWith('Receive', {
      arguments: ['id1'],
      endorsingOrganizations: undefined,
    });
  });

  it('gives up after MVCC_RETRIES with a conflict', async () => {
    p.endorse.mockImplementation(async () => endorsed(5, {}, StatusCode.MVCC_READ_CONFLICT));
    await expect(sut.submit(pharmacy, 'units', 'Dispense', 'g', 's')).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(p.endorse).toHaveBeenCalledTimes(3);
  });

  it('retries an endorsement-policy failure (a key-level policy changed earlier in the same block), then 409', async () => {
    p.endorse.mockImplementation(async () => endorsed(5, {}, StatusCode.ENDORSEMENT_POLICY_FAILURE));
    await expect(sut.submit(pharmacy, 'units', 'Dispense', 'g', 's')).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('ENDORSEMENT_POLICY_FAILURE'),
    });
    expect(p.endorse).toHaveBeenCalledTimes(3);
    // The gateway's own plan first; once the validators found it short, the peers plan every retry.
    const plans = p.contract.newProposal.mock.calls.map(
      ([, options]) => (options as { endorsingOrganizations?: string[] }).endorsingOrganizations,
    );
    expect(plans).toEqual([['PharmacyMSP', 'RegulatorMSP'], undefined, undefined]);
  });

  describe('endorsers that answered differently (peers at different heights)', () => {
    const mismatch = () =>
      new EndorseError({
        code: status_.ABORTED,
        message: 'failed to collect enough transaction endorsements',
        transactionId: 'tx1',
        details: [
          { address: 'peer', mspId: 'RegulatorMSP', message: 'ProposalResponsePayloads do not match' },
        ],
        cause: grpcError(status_.ABORTED),
      });

    it('re-endorses and returns the committed result', async () => {
      p.endorse.mockRejectedValueOnce(mismatch()).mockResolvedValueOnce(endorsed(6, { state: 'DISPENSED' }));
      await expect(sut.submit(pharmacy, 'units', 'Dispense', 'g', 's')).resolves.toEqual({
        state: 'DISPENSED',
      });
      expect(p.endorse).toHaveBeenCalledTimes(2);
    });

    it('gives up after MVCC_RETRIES with a 409 saying nothing was written', async () => {
      p.endorse.mockRejectedValue(mismatch());
      await expect(sut.submit(pharmacy, 'units', 'Dispense', 'g', 's')).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining('nothing was written'),
      });
      expect(p.endorse).toHaveBeenCalledTimes(3);
    });
  });

  it('does not retry another commit failure', async () => {
    p.endorse.mockImplementation(async () => endorsed(5, {}, StatusCode.INVALID_WRITESET));
    await expect(sut.submit(pharmacy, 'units', 'Dispense', 'g', 's')).rejects.toThrow('INVALID_WRITESET');
    expect(p.endorse).toHaveBeenCalledTimes(1);
  });

  it("does not retry the chaincode's refusal", async () => {
    p.endorse.mockRejectedValue(new DomainError('CONFLICT', 'unit is DISPENSED'));
    await expect(sut.submit(pharmacy, 'units', 'Dispense', 'g', 's')).rejects.toThrow('unit is DISPENSED');
    expect(p.endorse).toHaveBeenCalledTimes(1);
  });

  describe('write deadlines', () => {
    const WRITE_MS = 1500;
    let write: LedgerClient;
    beforeEach(() => {
      write = new LedgerClient(
        testConfig(home, {
          WRITE_TIMEOUT_MS: String(WRITE_MS),
          ENDORSE_TIMEOUT_MS: '800',
          SUBMIT_TIMEOUT_MS: '300',
        }),
        metrics,
      );
    });
    afterEach(() => write.onModuleDestroy());

    /** The write's outcome and how long it took to come. */
    const timed = async (call: Promise<unknown>) => {
      const started = Date.now();
      const error = await call.then(
        () => undefined,
        (err: unknown) => err,
      );
      return { error, ms: Date.now() - started };
    };

    it('gives each step its own deadline within the write deadline', async () => {
      const transaction = endorsed(3);
      p.endorse.mockResolvedValue(transaction);
      const started = Date.now();
      await write.submit(pharmacy, 'units', 'Dispense', 'g', 's');
      const [endorseDeadline] = p.endorse.mock.calls.map(([, , options]) => options.deadline as number);
      const [submitOptions] = transaction.submit.mock.calls[0];
      const [statusOptions] = transaction.submitted.getStatus.mock.calls[0];
      expect(endorseDeadline - started).toBeGreaterThanOrEqual(790);
      // Upper bounds leave room for a loaded machine's event loop; each step's own deadline stays apart.
      expect(endorseDeadline - started).toBeLessThanOrEqual(1100);
      expect(submitOptions!.deadline! - started).toBeLessThanOrEqual(600);
      expect(statusOptions!.deadline! - started).toBeGreaterThanOrEqual(WRITE_MS - 10);
      expect(statusOptions!.deadline! - started).toBeLessThanOrEqual(WRITE_MS + 300);
    });

    it('an endorsement past its deadline is a timeout (504) with nothing sent for ordering', async () => {
      const transaction = endorsed(3);
      p.endorse.mockImplementation((_tx, _args, options) =>
        untilDeadline(endorseError)(options).catch((err) => (err.code ? Promise.reject(err) : transaction)),
      );
      const { error, ms } = await timed(write.submit(pharmacy, 'units', 'Dispense', 'g', 's'));
      expect(error).toBeInstanceOf(LedgerTimeoutError);
      expect(error).toMatchObject({ code: 'TIMEOUT', status: 504, txId: undefined });
      expect((error as Error).message).toMatch(
        /did not endorse the transaction within 0\.8 s; nothing was sent/,
      );
      expect(ms).toBeLessThan(WRITE_MS);
      expect(transaction.submit).not.toHaveBeenCalled();
    });

    it('hands the same signed transaction over again while no orderer takes it, without endorsing again', async () => {
      const transaction = endorsed(4, { state: 'DISPENSED' });
      const accepted = transaction.submit.getMockImplementation()!;
      transaction.submit
        .mockRejectedValueOnce(submitError(status_.UNAVAILABLE))
        .mockImplementationOnce(untilDeadline(submitError))
        .mockImplementationOnce(accepted);
      p.endorse.mockResolvedValue(transaction);
      write = new LedgerClient(
        testConfig(home, { WRITE_TIMEOUT_MS: '4000', SUBMIT_TIMEOUT_MS: '300' }),
        metrics,
      );
      await expect(write.submit(pharmacy, 'units', 'Dispense', 'g', 's')).resolves.toEqual({
        state: 'DISPENSED',
      });
      expect(transaction.submit).toHaveBeenCalledTimes(3);
      expect(p.endorse).toHaveBeenCalledTimes(1);
    });

    it('an orderer refusing the transaction itself is final', async () => {
      const transaction = endorsed(4);
      transaction.submit.mockRejectedValue(submitError(status_.ABORTED));
      p.endorse.mockResolvedValue(transaction);
      await expect(write.submit(pharmacy, 'units', 'Dispense', 'g', 's')).rejects.toMatchObject({
        name: 'SubmitError',
      });
      expect(transaction.submit).toHaveBeenCalledTimes(1);
    });

    it('no orderer taking it by the write deadline: 503 COMMIT_TIMEOUT naming the transaction', async () => {
      const transaction = endorsed(4);
      transaction.submit.mockRejectedValue(submitError(status_.UNAVAILABLE));
      p.endorse.mockResolvedValue(transaction);
      const { error, ms } = await timed(write.submit(pharmacy, 'units', 'Dispense', 'g', 's'));
      expect(error).toBeInstanceOf(CommitUnknownError);
      expect(error).toMatchObject({ code: 'COMMIT_TIMEOUT', status: 503, txId: 'tx1' });
      expect((error as Error).message).toMatch(/tx1 was not confirmed taken by the ordering service/);
      expect(ms).toBeLessThanOrEqual(WRITE_MS + 500);
      expect(transaction.submit.mock.calls.length).toBeGreaterThan(1);
    });

    it('a commit not confirmed by the write deadline: 503 COMMIT_TIMEOUT, outcome unknown, never endorsed again', async () => {
      const transaction = endorsed(4);
      transaction.submitted.getStatus.mockImplementation(untilDeadline(commitStatusError));
      p.endorse.mockResolvedValue(transaction);
      const { error, ms } = await timed(write.submit(pharmacy, 'units', 'Dispense', 'g', 's'));
      expect(error).toMatchObject({ code: 'COMMIT_TIMEOUT', status: 503, txId: 'tx1' });
      expect((error as Error).message).toMatch(
        /transaction tx1 was sent for ordering but its commit was not confirmed within 1\.\d s; its outcome is unknown: GET \/v1\/transactions\/tx1/,
      );
      // It waits for the commit until close to the write deadline (the last pause may not fit), never past it.
      expect(ms).toBeGreaterThanOrEqual(WRITE_MS - 600);
      expect(ms).toBeLessThanOrEqual(WRITE_MS + 500);
      expect(p.endorse).toHaveBeenCalledTimes(1);
      expect(transaction.submit).toHaveBeenCalledTimes(1);
    });

    it('hands a transaction the ordering service lost over again, and it commits', async () => {
      jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
      write = new LedgerClient(testConfig(home, { WRITE_TIMEOUT_MS: '20000' }), metrics);
      const transaction = endorsed(4, { state: 'DISPENSED' });
      const committed = transaction.submitted.getStatus.getMockImplementation()!;
      transaction.submitted.getStatus
        .mockImplementationOnce(untilDeadline(commitStatusError)) // never reported: lost
        .mockImplementationOnce(committed);
      p.endorse.mockResolvedValue(transaction);
      const started = Date.now();
      let answered = 0;
      const call = write
        .submit(pharmacy, 'units', 'Dispense', 'g', 's')
        .finally(() => (answered = Date.now()));
      await jest.advanceTimersByTimeAsync(RESUBMIT_AFTER_MS - 100);
      expect(transaction.submit).toHaveBeenCalledTimes(1);
      await jest.advanceTimersByTimeAsync(200);
      await expect(call).resolves.toEqual({ state: 'DISPENSED' });
      expect(transaction.submit).toHaveBeenCalledTimes(2); // the same signed transaction, again
      expect(p.endorse).toHaveBeenCalledTimes(1);
      expect(answered - started).toBeLessThanOrEqual(RESUBMIT_AFTER_MS + 100);
    });

    it('asks for the commit again when the peer drops the call', async () => {
      const transaction = endorsed(4, { ok: true });
      const committed = transaction.submitted.getStatus.getMockImplementation()!;
      transaction.submitted.getStatus
        .mockRejectedValueOnce(commitStatusError(status_.UNAVAILABLE))
        .mockImplementationOnce(committed);
      p.endorse.mockResolvedValue(transaction);
      await expect(write.submit(pharmacy, 'units', 'Dispense', 'g', 's')).resolves.toEqual({ ok: true });
      expect(transaction.submitted.getStatus).toHaveBeenCalledTimes(2);
    });

    it('waits for its peer to catch up only as long as the write deadline leaves', async () => {
      write = new LedgerClient(testConfig(home, { WRITE_TIMEOUT_MS: '1000' }), metrics);
      m.endorse.mockResolvedValueOnce(endorsed(7));
      await write.submit(manufacturer, 'shipments', 'Ship', '{}'); // its own write, in block 7
      d.reportHeight(5); // stuck behind: the catch-up alone could wait CATCH_UP_MAX_WAIT_MS
      const transaction = endorsed(9);
      transaction.submitted.getStatus.mockImplementation(untilDeadline(commitStatusError));
      d.endorse.mockResolvedValue(transaction);
      const { error, ms } = await timed(write.submit(distributor, 'shipments', 'Receive', 'x'));
      expect(error).toMatchObject({ code: 'COMMIT_TIMEOUT' });
      expect(d.chainInfo).toHaveBeenCalled(); // it did wait for the peer first
      expect(ms).toBeLessThanOrEqual(1500);
    });
  });

  describe('transaction status', () => {
    it("asks the caller's peer for the commit status of the transaction, signed as the caller", async () => {
      const getStatus = jest.fn(async () => status(12, StatusCode.MVCC_READ_CONFLICT));
      p.newCommit.mockReturnValue({ getStatus });
      await expect(sut.transactionStatus(pharmacy, 'ab'.repeat(32), 1000)).resolves.toEqual({
        code: StatusCode.MVCC_READ_CONFLICT,
        blockNumber: 12n,
      });
      const signed = gatewayProtos.SignedCommitStatusRequest.deserializeBinary(p.newCommit.mock.calls[0][0]);
      const request = gatewayProtos.CommitStatusRequest.deserializeBinary(signed.getRequest_asU8());
      expect(request.getChannelId()).toBe('drugtrace');
      expect(request.getTransactionId()).toBe('ab'.repeat(32));
      expect(request.getIdentity_asU8().length).toBeGreaterThan(0);
      const [[options]] = getStatus.mock.calls as unknown as [[{ deadline: number }]];
      expect(options.deadline - Date.now()).toBeLessThanOrEqual(1000);
    });

    it('is undefined when the peer has not committed it within the wait', async () => {
      p.newCommit.mockReturnValue({ getStatus: untilDeadline(commitStatusError) });
      await expect(sut.transactionStatus(pharmacy, 'ab'.repeat(32), 100)).resolves.toBeUndefined();
    });

    it('asks again when the peer could not tell, within the wait', async () => {
      const getStatus = jest
        .fn()
        .mockRejectedValueOnce(commitStatusError(status_.ABORTED))
        .mockResolvedValueOnce(status(7, StatusCode.VALID));
      p.newCommit.mockReturnValue({ getStatus });
      await expect(sut.transactionStatus(pharmacy, 'ab'.repeat(32), 1000)).resolves.toEqual({
        code: StatusCode.VALID,
        blockNumber: 7n,
      });
      expect(getStatus).toHaveBeenCalledTimes(2);
    });

    it('is unavailable, never "commit unknown", when the peer cannot tell by the end of the wait', async () => {
      const getStatus = jest.fn().mockRejectedValue(commitStatusError(status_.UNAVAILABLE));
      p.newCommit.mockReturnValue({ getStatus });
      const error = await sut.transactionStatus(pharmacy, 'ab'.repeat(32), 1000).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LedgerUnavailableError);
      expect(error).toMatchObject({ code: 'UNAVAILABLE', status: 503 });
      expect(String((error as Error).message)).toContain('could not tell');
      expect(getStatus.mock.calls.length).toBeGreaterThan(1);
    });

    it('does not ask again when the peer refuses the question, nor says to ask again', async () => {
      const refusal = commitStatusError(status_.PERMISSION_DENIED);
      const getStatus = jest.fn().mockRejectedValue(refusal);
      p.newCommit.mockReturnValue({ getStatus });
      await expect(sut.transactionStatus(pharmacy, 'ab'.repeat(32), 1000)).rejects.toBe(refusal);
      expect(getStatus).toHaveBeenCalledTimes(1);
    });
  });

  describe('read-your-writes across peers', () => {
    it("waits until another organisation's peer has the block of the gateway's own write", async () => {
      d.contract.evaluateTransaction.mockResolvedValue(bytes({ id: 'shipment' }));
      await sut.evaluate(distributor, 'shipments', 'Get', 'x'); // the distributor's listener is open
      await manufacturerWrites(7);
      d.reportHeight(7); // blocks 0..6: one behind

      const read = sut.evaluate(distributor, 'shipments', 'Get', 'shipment');
      await settle();
      expect(d.chainInfo).toHaveBeenCalledTimes(1);
      expect(d.contract.evaluateTransaction).toHaveBeenCalledTimes(1); // only the first read so far

      d.streams[0].deliver(7);
      await expect(read).resolves.toEqual({ id: 'shipment' });
      expect(d.contract.evaluateTransaction).toHaveBeenCalledTimes(2);
      expect(await catchUps()).toEqual([
        expect.objectContaining({ labels: expect.objectContaining({ outcome: 'caught-up' }), value: 1 }),
      ]);
    });

    it('waits before a submit too, and asks a peer first used after the write for its height', async () => {
      await manufacturerWrites(7);
      for (const peer of [d, p, peers.get('RegulatorMSP')!]) peer.reportHeight(8);
      d.endorse.mockResolvedValue(endorsed(9, { status: 'RECEIVED' }));
      await expect(sut.submit(distributor, 'shipments', 'Receive', 'shipment')).resolves.toEqual({
        status: 'RECEIVED',
      });
      expect(d.chainInfo).toHaveBeenCalledTimes(1);
      expect(d.qscc.newProposal).toHaveBeenCalledWith('GetChainInfo', { arguments: ['drugtrace'] });
    });

    it("lets every peer that may endorse reach the gateway's writes before a submit, not only the caller's", async () => {
      await manufacturerWrites(7);
      const regulator = peers.get('RegulatorMSP')!;
      for (const peer of [d, p]) peer.reportHeight(8);
      regulator.reportHeight(7); // blocks 0..6: the co-endorser of custody is one behind
      m.endorse.mockResolvedValueOnce(endorsed(9, { id: 'second' }));

      const write = sut.submit(manufacturer, 'shipments', 'Ship', '{}');
      await settle();
      expect(m.endorse).toHaveBeenCalledTimes(1); // the first write only: the second waits
      regulator.streams[0].deliver(7);
      await expect(write).resolves.toEqual({ id: 'second' });
      expect(m.endorse).toHaveBeenCalledTimes(2);
    });

    it("lets the endorsing peers reach the height the gateway's HTTP thread says its writes reached (a fresh write thread)", async () => {
      const regulator = peers.get('RegulatorMSP')!;
      for (const peer of [m, d, p]) peer.reportHeight(8);
      regulator.reportHeight(7); // blocks 0..6: one behind the writes made before this client existed
      m.endorse.mockResolvedValueOnce(endorsed(9, { id: 'next' }));

      const write = sut.write({
        who: manufacturer,
        contract: 'shipments',
        tx: 'Ship',
        args: ['{}'],
        writtenHeight: 8n,
      });
      await settle();
      expect(m.endorse).not.toHaveBeenCalled();
      regulator.streams[0].deliver(7);
      await expect(write).resolves.toEqual({ value: { id: 'next' }, block: 9n });
    });

    it('calls at once, without asking, when the peer is known to be current', async () => {
      p.contract.evaluateTransaction.mockResolvedValue(bytes({ verdict: 'GENUINE' }));
      m.contract.evaluateTransaction.mockResolvedValue(bytes({ verdict: 'GENUINE' }));
      await sut.evaluate(pharmacy, 'verification', 'Verify', 'c', '');
      await manufacturerWrites(7);
      p.streams[0].deliver(7);
      await settle();

      await sut.evaluate(pharmacy, 'verification', 'Verify', 'c', '');
      await sut.evaluate(manufacturer, 'verification', 'Verify', 'c', ''); // committed there itself
      expect(p.chainInfo).not.toHaveBeenCalled();
      expect(m.chainInfo).not.toHaveBeenCalled();
      expect(await catchUps()).toEqual([]);
    });

    it('never waits before the gateway has written anything', async () => {
      d.contract.evaluateTransaction.mockResolvedValue(bytes({}));
      await sut.evaluate(distributor, 'units', 'Get', 'g', 's');
      expect(d.chainInfo).not.toHaveBeenCalled();
      expect(d.qscc.newProposal).not.toHaveBeenCalled();
    });

    it('waits at most CATCH_UP_MAX_WAIT_MS, then calls the peer anyway', async () => {
      jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
      d.contract.evaluateTransaction.mockResolvedValue(bytes({}));
      await manufacturerWrites(7);
      d.reportHeight(5); // stuck two blocks behind
      const started = Date.now();
      let done = false;
      const read = sut.evaluate(distributor, 'units', 'Get', 'g', 's').then(() => (done = true));

      await jest.advanceTimersByTimeAsync(CATCH_UP_MAX_WAIT_MS - 50);
      expect(done).toBe(false);
      expect(d.contract.evaluateTransaction).not.toHaveBeenCalled();
      expect(d.chainInfo.mock.calls.length).toBeGreaterThan(1); // asked again while waiting
      expect(d.chainInfo.mock.calls.length).toBeLessThanOrEqual(CATCH_UP_MAX_WAIT_MS / 100);

      await jest.advanceTimersByTimeAsync(100);
      await read;
      expect(Date.now() - started).toBeLessThanOrEqual(CATCH_UP_MAX_WAIT_MS + 100);
      expect(d.contract.evaluateTransaction).toHaveBeenCalledTimes(1);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('stayed below height 8'));
    });

    it('does not wait on a peer that does not answer, and holds up nobody else', async () => {
      d.contract.evaluateTransaction.mockRejectedValue(Object.assign(new Error('down'), { code: 14 }));
      p.contract.evaluateTransaction.mockResolvedValue(bytes({ verdict: 'GENUINE' }));
      await sut.evaluate(pharmacy, 'verification', 'Verify', 'c', '');
      await manufacturerWrites(7);
      d.chainInfo.mockRejectedValue(new Error('14 UNAVAILABLE: connection refused'));
      p.streams[0].deliver(7);

      const started = Date.now();
      const reads = [1, 2, 3].map(() => sut.evaluate(distributor, 'units', 'Get', 'g', 's'));
      await expect(sut.evaluate(pharmacy, 'verification', 'Verify', 'c', '')).resolves.toEqual({
        verdict: 'GENUINE',
      });
      for (const read of reads) await expect(read).rejects.toThrow('down');
      expect(Date.now() - started).toBeLessThan(500);
      expect(d.chainInfo).toHaveBeenCalledTimes(1); // one question for all three waiting callers
      expect(d.contract.evaluateTransaction).toHaveBeenCalledTimes(3);
    });

    it('follows each peer from its next unseen block after the stream breaks', async () => {
      d.contract.evaluateTransaction.mockResolvedValue(bytes({}));
      await sut.evaluate(distributor, 'units', 'Get', 'g', 's');
      expect(d.streams[0].options).toEqual({}); // from the next block committed
      d.streams[0].deliver(11);
      await settle();
      d.streams[0].fail(new Error('14 UNAVAILABLE'));
      for (const until = Date.now() + 2000; d.streams.length < 2 && Date.now() < until;)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(d.streams).toHaveLength(2);
      expect(d.streams[1].options).toEqual({ startBlock: 12n });
    });
  });

  describe('with a write thread', () => {
    it("sends each write there with the height this thread's writes reached, and learns the block it committed in", async () => {
      const thread = { submit: jest.fn(), close: jest.fn(async (_graceMs: number) => undefined) };
      thread.submit.mockResolvedValueOnce({ value: { id: 'first' }, block: 7n });
      thread.submit.mockResolvedValueOnce({ value: { id: 'second' }, block: 9n });
      const client = new LedgerClient(testConfig(home), metrics, thread as unknown as WriteThread);
      await expect(client.submit(manufacturer, 'shipments', 'Ship', '{}')).resolves.toEqual({ id: 'first' });
      await expect(client.submit(manufacturer, 'shipments', 'Ship', '{"n":2}')).resolves.toEqual({
        id: 'second',
      });
      expect(thread.submit.mock.calls.map(([request]) => [request.args, request.writtenHeight])).toEqual([
        [['{}'], 0n],
        [['{"n":2}'], 8n],
      ]);
      expect(m.endorse).not.toHaveBeenCalled(); // nothing written on this thread's own connections
      await client.onModuleDestroy();
      expect(thread.close).toHaveBeenCalledTimes(1);
      expect(thread.close.mock.calls[0][0]).toBeGreaterThan(testConfig(home).writeTimeoutMs);
    });

    it("tells the thread each transaction's ID just before it goes to the ordering service", async () => {
      const tx = endorsed(7, { ok: true });
      m.endorse.mockResolvedValueOnce(tx);
      const handingOver = jest.fn();
      await sut.write(
        { who: manufacturer, contract: 'shipments', tx: 'Ship', args: ['{}'] },
        { handingOver },
      );
      expect(handingOver).toHaveBeenCalledWith('tx1');
      expect(handingOver.mock.invocationCallOrder[0]).toBeLessThan(tx.submit.mock.invocationCallOrder[0]);
    });
  });

  it('closes every block listener, gateway and gRPC client on shutdown', async () => {
    for (const peer of peers.values()) peer.contract.evaluateTransaction.mockResolvedValue(bytes({}));
    await sut.evaluate(pharmacy, 'units', 'Get', 'g', 's');
    await sut.evaluate(distributor, 'units', 'Get', 'g', 's');
    await sut.onModuleDestroy();
    expect(p.streams).toHaveLength(1);
    expect(p.streams[0].close).toHaveBeenCalled();
    expect(d.streams[0].close).toHaveBeenCalled();
    expect(p.gateway.close).toHaveBeenCalledTimes(1);
    expect(d.gateway.close).toHaveBeenCalledTimes(1);
    expect(grpcClient.close).toHaveBeenCalledTimes(2);
    await settle();
    expect(p.streams).toHaveLength(1); // not reopened
    expect(d.streams).toHaveLength(1);
  });
});
