import { CommitError, StatusCode } from '@hyperledger/fabric-gateway';
import { DomainError } from '@drugtrace/chaincode/domain';
import { rmSync } from 'node:fs';
import { writeHome, testConfig } from '../../test/test-app';
import { Caller } from '../auth/caller';
import { MetricsService } from '../metrics/metrics.service';
import { LedgerClient } from './ledger-client';

const contract = { evaluateTransaction: jest.fn(), submitTransaction: jest.fn() };
const gateway = { getNetwork: jest.fn(() => ({ getContract: jest.fn(() => contract) })), close: jest.fn() };
const grpcClient = { close: jest.fn(), waitForReady: jest.fn() };

jest.mock('@hyperledger/fabric-gateway', () => ({
  ...jest.requireActual('@hyperledger/fabric-gateway'),
  connect: jest.fn(() => gateway),
}));
jest.mock('@grpc/grpc-js', () => ({
  ...jest.requireActual('@grpc/grpc-js'),
  credentials: { createSsl: jest.fn(() => ({})) },
  Client: jest.fn(() => grpcClient),
}));

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { connect } = require('@hyperledger/fabric-gateway') as { connect: jest.Mock };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const grpc = require('@grpc/grpc-js') as { Client: jest.Mock };

const caller = (org: 'manufacturer' | 'pharmacy' | 'distributor', mspId: string): Caller => ({
  org,
  mspId,
  role: 'PHARMACY',
  gln: '9506000000027',
  user: 'user1',
});
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const mvcc = () =>
  new CommitError({ code: StatusCode.MVCC_READ_CONFLICT, transactionId: 't', message: 'mvcc' });

describe(LedgerClient.name, () => {
  let sut: LedgerClient;
  let home: string;

  beforeEach(() => {
    jest.clearAllMocks();
    home = writeHome().home;
    sut = new LedgerClient(testConfig(home, { MVCC_RETRIES: '2' }), new MetricsService());
  });
  afterEach(() => {
    sut.onModuleDestroy();
    rmSync(home, { recursive: true, force: true });
  });

  it("connects as each caller's own identity, one gateway per identity, one gRPC client per peer", async () => {
    contract.evaluateTransaction.mockResolvedValue(bytes({ ok: true }));
    await sut.evaluate(caller('pharmacy', 'PharmacyMSP'), 'units', 'Get', 'g', 's');
    await sut.evaluate(caller('pharmacy', 'PharmacyMSP'), 'units', 'Get', 'g', 's');
    await sut.evaluate(caller('manufacturer', 'ManufacturerMSP'), 'units', 'Get', 'g', 's');
    await sut.evaluate('resolver', 'verification', 'Verify', 'code', '');
    expect(connect).toHaveBeenCalledTimes(3);
    const identities = connect.mock.calls.map(([options]) => options.identity.mspId);
    expect(identities).toEqual(['PharmacyMSP', 'ManufacturerMSP', 'RegulatorMSP']);
    expect(grpc.Client.mock.calls.map(([endpoint]) => endpoint)).toEqual([
      '127.0.0.1:9051',
      '127.0.0.1:7051',
      '127.0.0.1:10051',
    ]);
    const certificates = connect.mock.calls.map(([options]) => options.identity.credentials.toString());
    expect(certificates).toEqual([
      'certificate of pharmacy/user1',
      'certificate of manufacturer/user1',
      'certificate of regulator/resolver',
    ]);
  });

  it('sets a deadline on every kind of call', () => {
    void sut.network(caller('pharmacy', 'PharmacyMSP'));
    const options = connect.mock.calls[0][0];
    for (const kind of ['evaluateOptions', 'endorseOptions', 'submitOptions', 'commitStatusOptions']) {
      expect(options[kind]().deadline).toBeGreaterThan(Date.now());
    }
  });

  it('retries an MVCC conflict and returns the committed result', async () => {
    contract.submitTransaction
      .mockRejectedValueOnce(mvcc())
      .mockResolvedValueOnce(bytes({ state: 'DISPENSED' }));
    await expect(
      sut.submit(caller('pharmacy', 'PharmacyMSP'), 'units', 'Dispense', 'g', 's'),
    ).resolves.toEqual({ state: 'DISPENSED' });
    expect(contract.submitTransaction).toHaveBeenCalledTimes(2);
  });

  it('gives up after MVCC_RETRIES with a conflict', async () => {
    contract.submitTransaction.mockRejectedValue(mvcc());
    await expect(
      sut.submit(caller('pharmacy', 'PharmacyMSP'), 'units', 'Dispense', 'g', 's'),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(contract.submitTransaction).toHaveBeenCalledTimes(3);
  });

  it("does not retry the chaincode's refusal", async () => {
    contract.submitTransaction.mockRejectedValue(new DomainError('CONFLICT', 'unit is DISPENSED'));
    await expect(
      sut.submit(caller('pharmacy', 'PharmacyMSP'), 'units', 'Dispense', 'g', 's'),
    ).rejects.toThrow('unit is DISPENSED');
    expect(contract.submitTransaction).toHaveBeenCalledTimes(1);
  });

  it('closes every gateway and gRPC client on shutdown', async () => {
    contract.evaluateTransaction.mockResolvedValue(bytes({}));
    await sut.evaluate(caller('pharmacy', 'PharmacyMSP'), 'units', 'Get', 'g', 's');
    await sut.evaluate(caller('distributor', 'DistributorMSP'), 'units', 'Get', 'g', 's');
    sut.onModuleDestroy();
    expect(gateway.close).toHaveBeenCalledTimes(2);
    expect(grpcClient.close).toHaveBeenCalledTimes(2);
  });
});
