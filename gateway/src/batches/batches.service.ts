import { Injectable } from '@nestjs/common';
import { assertIdempotencyKey, BatchAction } from '@drugtrace/chaincode/domain';
import { Caller } from '../auth/caller';
import { Ledger } from '../fabric/ledger';
import { BatchResponse, CommissionBatchDto, CommissionResponse } from './batch.dto';

const STATUS_TX = {
  RECALL: 'recall',
  QUARANTINE: 'quarantine',
  RELEASE: 'release',
} as const satisfies Record<BatchAction, keyof Ledger['batches']>;

/** Batches: commissioning their serialized packs, reading their status and counts, recall/quarantine/release. */
@Injectable()
export class BatchesService {
  constructor(private readonly ledger: Ledger) {}

  /** With an idempotency key, the ledger records it with the request's hash (see docs/DESIGN.md). */
  commission(
    caller: Caller,
    batch: CommissionBatchDto,
    idempotencyKey?: string,
  ): Promise<CommissionResponse> {
    if (idempotencyKey === undefined) return this.ledger.batches.commission(caller, batch);
    assertIdempotencyKey(idempotencyKey);
    return this.ledger.batches.commission(caller, { ...batch, idempotencyKey });
  }

  get(caller: Caller, gtin: string, lot: string): Promise<BatchResponse> {
    return this.ledger.batches.get(caller, gtin, lot);
  }

  changeStatus(
    caller: Caller,
    gtin: string,
    lot: string,
    action: BatchAction,
    reason: string,
  ): Promise<BatchResponse> {
    return this.ledger.batches[STATUS_TX[action]](caller, gtin, lot, reason);
  }

  /** Every serial of a batch, page by page, up to `max`. */
  async serials(caller: Caller, gtin: string, lot: string, max: number): Promise<string[]> {
    const serials: string[] = [];
    let bookmark = '';
    do {
      const pageSize = String(Math.min(1000, max - serials.length));
      const page = await this.ledger.batches.listSerials(caller, gtin, lot, pageSize, bookmark);
      serials.push(...page.serials);
      bookmark = page.serials.length > 0 ? page.bookmark : '';
    } while (bookmark && serials.length < max);
    return serials.slice(0, max);
  }
}
