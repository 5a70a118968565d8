import { BATCHES, UNITS } from '@drugtrace/chaincode/api';
import { Caller } from '../auth/caller';
import { Ledger } from './ledger';
import { ReadModel } from '../replica/read-model';
import { LedgerClient } from './ledger-client';

/** user1 of an organisation, at one of its locations (the facade only passes callers on). */
const member = (org: string, role: Caller['role'], gln: string): Caller => ({
  org,
  mspId: `${org.charAt(0).toUpperCase()}${org.slice(1)}MSP`,
  role,
  gln,
  user: 'user1',
  admin: false,
  certPath: '',
  keyPath: '',
});
const caller = member('pharmacy', 'PHARMACY', '9506000000027');

describe(Ledger.name, () => {
  const port = { evaluate: jest.fn(), submit: jest.fn() };
  const reads = { read: jest.fn(), ledger: jest.fn(), visible: jest.fn((write: () => unknown) => write()) };
  const ledger = new Ledger(port as unknown as LedgerClient, reads as unknown as ReadModel);
  beforeEach(() => {
    port.evaluate.mockReset();
    reads.read.mockReset().mockResolvedValue({ value: { read: true }, block: 7 });
    reads.ledger.mockReset().mockResolvedValue({ value: { endorsed: true }, block: 6 });
    port.submit.mockReset().mockResolvedValue({ written: true });
  });

  it.each([
    {
      route: 'the read model',
      contracts: () => ledger,
      used: reads.read,
      unused: reads.ledger,
      value: { read: true },
    },
    {
      route: 'onPeer, the caller’s peer (the endorsed answer)',
      contracts: () => ledger.onPeer,
      used: reads.ledger,
      unused: reads.read,
      value: { endorsed: true },
    },
  ])(
    'reads through $route and submits writes, by the contract and transaction names of the API',
    async ({ contracts, used, unused, value }) => {
      await expect(contracts().units.get(caller, '09506000134352', 'S1')).resolves.toEqual(value);
      expect(used).toHaveBeenCalledWith(caller, 'units', 'Get', '09506000134352', 'S1');
      expect(unused).not.toHaveBeenCalled();
      await expect(contracts().units.dispense(caller, '09506000134352', 'S1')).resolves.toEqual({
        written: true,
      });
      expect(port.submit).toHaveBeenCalledWith(caller, 'units', 'Dispense', '09506000134352', 'S1');
      expect(port.evaluate).not.toHaveBeenCalled();
    },
  );

  it('reads for the public resolver (its own identity) from the read model', async () => {
    await expect(ledger.units.get('resolver', '09506000134352', 'S1')).resolves.toEqual({ read: true });
    expect(reads.read).toHaveBeenCalledWith('resolver', 'units', 'Get', '09506000134352', 'S1');
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
        reads.read.mockClear();
        reads.visible.mockClear();
        port.submit.mockClear();
        await contract[tx.charAt(0).toLowerCase() + tx.slice(1)](caller);
        // Every write is answered through the read model's `visible` (once the replica reflects it).
        expect([
          port.submit.mock.calls.length,
          reads.visible.mock.calls.length,
          reads.read.mock.calls.length,
        ]).toEqual(writes ? [1, 1, 0] : [0, 0, 1]);
      }
    }
  });
});

const manufacturer = member('manufacturer', 'MANUFACTURER', '9506000000010');

describe(`${Ledger.name} private and scanned writes`, () => {
  const client = {
    submit: jest.fn().mockResolvedValue({ ok: 1 }),
    submitWith: jest.fn().mockResolvedValue({ id: 't', termsHash: 'h' }),
  };
  const reads = {
    read: jest.fn().mockResolvedValue({ value: { ok: 2 }, block: 3 }),
    ledger: jest.fn(),
    visible: jest.fn((write: () => unknown) => write()),
  };
  const ledger = new Ledger(client as unknown as LedgerClient, reads as unknown as ReadModel);
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
    expect(reads.read).toHaveBeenCalledWith(manufacturer, 'shipments', 'Manifest', 'id1');
    expect(client.submitWith).not.toHaveBeenCalled();
  });
});
