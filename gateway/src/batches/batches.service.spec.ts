import { Caller } from '../auth/caller';
import { Ledger } from '../fabric/ledger';
import { CommissionBatchDto } from './batch.dto';
import { BatchesService } from './batches.service';

const caller = { org: 'manufacturer', mspId: 'ManufacturerMSP', role: 'MANUFACTURER' } as Caller;
const batch: CommissionBatchDto = {
  gtin: '09506000134352',
  lot: 'L1',
  expiry: '2028-06-30',
  manufacturedOn: '2026-11-01',
  quantity: 2,
};

describe(BatchesService.name, () => {
  const commission = jest.fn();
  const service = new BatchesService({ batches: { commission } } as unknown as Ledger);
  beforeEach(() => commission.mockReset().mockResolvedValue({ unitCount: 2 }));

  it('sends the Idempotency-Key header with the request, and the request alone without one', async () => {
    await service.commission(caller, batch, 'L1/page-0');
    expect(commission).toHaveBeenLastCalledWith(caller, { ...batch, idempotencyKey: 'L1/page-0' });
    await service.commission(caller, batch);
    expect(commission).toHaveBeenLastCalledWith(caller, batch);
  });

  it('refuses a malformed key as INVALID before anything is sent to the ledger', () => {
    expect(() => service.commission(caller, batch, 'has space')).toThrow(/^INVALID: Idempotency-Key/);
    expect(commission).not.toHaveBeenCalled();
  });
});
