import { Caller } from '../auth/caller';
import { Ledger } from './ledger';
import { LedgerClient } from './ledger-client';

const caller: Caller = {
  org: 'manufacturer',
  mspId: 'ManufacturerMSP',
  role: 'MANUFACTURER',
  gln: '1',
  user: 'user1',
};

describe(Ledger.name, () => {
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
        caller,
        { transient: { terms }, endorsers: ['ManufacturerMSP', 'DistributorMSP'] },
        'DistributorMSP',
      ),
    ).resolves.toEqual({ id: 't', termsHash: 'h' });
    expect(client.submitWith).toHaveBeenCalledWith(
      caller,
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
    await ledger.shipments.receiveScanned(caller, 'id1', { scanned: ['(00)1'], acceptDiscrepancies: true });
    expect(client.submit).toHaveBeenCalledWith(
      caller,
      'shipments',
      'ReceiveScanned',
      'id1',
      JSON.stringify({ scanned: ['(00)1'], acceptDiscrepancies: true }),
    );
    await ledger.shipments.manifest(caller, 'id1');
    expect(client.evaluate).toHaveBeenCalledWith(caller, 'shipments', 'Manifest', 'id1');
    expect(client.submitWith).not.toHaveBeenCalled();
  });
});
