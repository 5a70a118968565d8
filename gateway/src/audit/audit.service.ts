import { Injectable } from '@nestjs/common';
import {
  DEFAULT_ALERTS_PER_READ,
  DomainError,
  toEpcisDocument,
  whereaboutsOf,
} from '@drugtrace/chaincode/domain';
import { Caller } from '../auth/caller';
import { EventStore } from '../events/event-store';
import { Ledger } from '../fabric/ledger';
import { AlertsResponse, WhereaboutsResponse } from './audit.dto';

/** What regulators read: the alert feed and a batch's full event trail as EPCIS 2.0. */
@Injectable()
export class AuditService {
  constructor(
    private readonly ledger: Ledger,
    private readonly events: EventStore,
  ) {}

  alerts(caller: Caller, limit = DEFAULT_ALERTS_PER_READ): Promise<AlertsResponse> {
    return this.ledger.audit.alerts(caller, String(limit));
  }

  /**
   * Where a batch's packs are, per holder and state, for a recall: the regulator, or the batch's manufacturer.
   * Counted by the chaincode over the batch's packs (its batch counts) until the read model keeps the same
   * per-holder rows; `asOfBlock` is the block the gateway's index had reached before the read.
   */
  async whereabouts(caller: Caller, gtin: string, lot: string): Promise<WhereaboutsResponse> {
    const asOfBlock = this.events.checkpoint;
    const batch = await this.ledger.batches.get(caller, gtin, lot);
    if (caller.role !== 'REGULATOR' && batch.manufacturer !== caller.mspId)
      throw new DomainError('FORBIDDEN', `batch ${gtin}/${lot} is another manufacturer's`);
    const orgs = await this.ledger.registry.list(caller);
    const names = new Map(orgs.map((o) => [o.mspId, o.name]));
    return {
      gtin,
      lot,
      status: batch.status,
      ...whereaboutsOf(batch.counts.byCustodian, names),
      asOfBlock,
    };
  }

  async epcis(caller: Caller, gtin: string, lot: string, now = new Date()): Promise<object> {
    const { events } = await this.ledger.audit.batchEvents(caller, gtin, lot);
    return toEpcisDocument(events, { gtin, lot, createdAt: now.toISOString() });
  }
}
