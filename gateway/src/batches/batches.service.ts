import { Injectable } from '@nestjs/common';
import { BatchAction } from '@drugtrace/chaincode/domain';
import { Caller } from '../auth/caller';
import { LedgerClient } from '../fabric/ledger-client';
import { ReadModel } from '../replica/read-model';
import { BatchResponse, CommissionBatchDto, CommissionResponse } from './batch.dto';

const STATUS_TX: Record<BatchAction, string> = {
  RECALL: 'Recall',
  QUARANTINE: 'Quarantine',
  RELEASE: 'Release',
};

/** Batches: commissioning their serialized packs, reading their status and counts, recall/quarantine/release. */
@Injectable()
export class BatchesService {
  constructor(
    private readonly ledger: LedgerClient,
    private readonly reads: ReadModel,
  ) {}

  commission(caller: Caller, batch: CommissionBatchDto): Promise<CommissionResponse> {
    return this.ledger.submit<CommissionResponse>(caller, 'batches', 'Commission', JSON.stringify(batch));
  }

  get(caller: Caller, gtin: string, lot: string): Promise<BatchResponse> {
    return this.reads.evaluate<BatchResponse>(caller, 'batches', 'Get', gtin, lot);
  }

  changeStatus(
    caller: Caller,
    gtin: string,
    lot: string,
    action: BatchAction,
    reason: string,
  ): Promise<BatchResponse> {
    return this.ledger.submit<BatchResponse>(caller, 'batches', STATUS_TX[action], gtin, lot, reason);
  }

  /** Every serial of a batch, page by page, up to `max`. */
  async serials(caller: Caller, gtin: string, lot: string, max: number): Promise<string[]> {
    const serials: string[] = [];
    let bookmark = '';
    do {
      const pageSize = String(Math.min(1000, max - serials.length));
      const page = await this.reads.evaluate<{ serials: string[]; bookmark: string }>(
        caller,
        'batches',
        'ListSerials',
        gtin,
        lot,
        pageSize,
        bookmark,
      );
      serials.push(...page.serials);
      bookmark = page.serials.length > 0 ? page.bookmark : '';
    } while (bookmark && serials.length < max);
    return serials.slice(0, max);
  }
}
