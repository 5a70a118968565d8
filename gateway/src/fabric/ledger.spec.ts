import { BATCHES, UNITS } from '@drugtrace/chaincode/api';
import { Caller } from '../auth/caller';
import { Ledger } from './ledger';
import { LedgerClient } from './ledger-client';

const caller: Caller = {
  org: 'pharmacy',
  mspId: 'PharmacyMSP',
  role: 'PHARMACY',
  gln: '9506000000027',
  user: 'user1',
  admin: false,
  certPath: '',
  keyPath: '',
};

describe(Ledger.name, () => {
  const port = { evaluate: jest.fn(), submit: jest.fn() };
  const ledger = new Ledger(port as unknown as LedgerClient);
  beforeEach(() => {
    port.evaluate.mockReset().mockResolvedValue({ read: true });
    port.submit.mockReset().mockResolvedValue({ written: true });
  });

  it('submits a writing transaction and evaluates a read, by the contract and transaction names of the API', async () => {
    await expect(ledger.units.dispense(caller, '09506000134352', 'S1')).resolves.toEqual({ written: true });
    expect(port.submit).toHaveBeenCalledWith(caller, 'units', 'Dispense', '09506000134352', 'S1');
    await expect(ledger.units.get('resolver', '09506000134352', 'S1')).resolves.toEqual({ read: true });
    expect(port.evaluate).toHaveBeenCalledWith('resolver', 'units', 'Get', '09506000134352', 'S1');
  });

  it('sends an object argument as JSON and a text as it is', async () => {
    const request = {
      gtin: '09506000134352',
      lot: 'L1',
      expiry: '2028-06-30',
      manufacturedOn: '2026-11-01',
      quantity: 2,
    };
    await ledger.batches.commission(caller, request);
    expect(port.submit).toHaveBeenCalledWith(caller, 'batches', 'Commission', JSON.stringify(request));
  });

  it('offers every transaction of every contract, each as the API says it writes or reads', async () => {
    for (const spec of [UNITS, BATCHES]) {
      const contract = ledger[spec.name as 'units' | 'batches'] as unknown as Record<
        string,
        (...a: unknown[]) => Promise<unknown>
      >;
      for (const [tx, writes] of Object.entries<boolean>(spec.writes)) {
        port.evaluate.mockClear();
        port.submit.mockClear();
        await contract[tx.charAt(0).toLowerCase() + tx.slice(1)](caller);
        expect([port.submit.mock.calls.length, port.evaluate.mock.calls.length]).toEqual(
          writes ? [1, 0] : [0, 1],
        );
      }
    }
  });
});

const manufacturer: Caller = {
  org: 'manufacturer',
  mspId: 'ManufacturerMSP',
  role: 'MANUFACTURER',
  gln: '9506000000010',
  user: 'user1',
  admin: false,
  certPath: '',
  keyPath: '',
};

describe(`${Ledger.name} private and scanned writes`, () => {
  const client = {
    submit: jest.fn().mockResolvedValue({ ok: 1 }),
    evaluate: jest.fn().mockResolvedValue({ ok: 2 }),
    submitWith: jest.fn().mockResolvedValue({ id: 't', termsHash: 'h' }),
  };
  const ledger = new Ledger(client as unknown as LedgerClient);
  beforeEach(() => jest.clearAllMocks());

  it('sends a private write’s data as transient data, to the named endorsers only, never as an argument', async () => {
    const terms = {
      purchaseOrder: 'PO-1',
      invoice: 'I',
      unitPrice: '1',
      currency: 'EUR',
      salt: 'a'.repeat(32),
    };
    await expect(
      ledger.shipments.recordTerms(
        manufacturer,
        { transient: { terms }, endorsers: ['ManufacturerMSP', 'DistributorMSP'] },
        'DistributorMSP',
      ),
    ).resolves.toEqual({ id: 't', termsHash: 'h' });
    expect(client.submitWith).toHaveBeenCalledWith(
      manufacturer,
      'shipments',
      'RecordTerms',
      {
        transientData: { terms: JSON.stringify(terms) },
        endorsingOrganizations: ['ManufacturerMSP', 'DistributorMSP'],
      },
      'DistributorMSP',
    );
    expect(client.submit).not.toHaveBeenCalled();
  });

  it('submits other writes and evaluates reads with their arguments on the wire', async () => {
    await ledger.shipments.receiveScanned(manufacturer, 'id1', {
      scanned: ['(00)1'],
      acceptDiscrepancies: true,
    });
    expect(client.submit).toHaveBeenCalledWith(
      manufacturer,
      'shipments',
      'ReceiveScanned',
      'id1',
      JSON.stringify({ scanned: ['(00)1'], acceptDiscrepancies: true }),
    );
    await ledger.shipments.manifest(manufacturer, 'id1');
    expect(client.evaluate).toHaveBeenCalledWith(manufacturer, 'shipments', 'Manifest', 'id1');
    expect(client.submitWith).not.toHaveBeenCalled();
  });
});
