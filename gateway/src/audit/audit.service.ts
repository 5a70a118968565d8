import { Injectable } from '@nestjs/common';
import {
  DEFAULT_ALERTS_PER_READ,
  DomainError,
  toEpcisDocument,
  whereaboutsOf,
} from '@drugtrace/chaincode/domain';
import { Caller } from '../auth/caller';
import { Ledger } from '../fabric/ledger';
import { ledgerPosition } from '../replica/ledger-position';
import { ListQueries } from '../replica/lists/list-queries';
import { ReadModel } from '../replica/read-model';
import { AlertsQuery, AlertsResponse, WhereaboutsResponse } from './audit.dto';

/** What regulators read: the alert feed and a batch's full event trail as EPCIS 2.0. */
@Injectable()
export class AuditService {
  constructor(
    private readonly ledger: Ledger,
    private readonly reads: ReadModel,
    private readonly lists: ListQueries,
  ) {}

  /** A page of alerts from the read model's list table (who may read them: the controller's `readAlerts`). */
  async alerts(query: AlertsQuery): Promise<AlertsResponse> {
    const { limit = DEFAULT_ALERTS_PER_READ, ...filters } = query;
    const page = await this.reads.derived('audit:Alerts', () => this.lists.alerts({ ...filters, limit }));
    return { alerts: page.items, ...(page.next && { next: page.next }) };
  }

  /**
   * Where a batch's packs are, per holder and state, for a recall: the regulator, or the batch's manufacturer.
   * The batch's counts come from the read model's per-pack rows (batches:Get over the replica); `asOfBlock` is
   * the block that read reflects.
   */
  async whereabouts(caller: Caller, gtin: string, lot: string): Promise<WhereaboutsResponse> {
    const batch = await this.ledger.batches.get(caller, gtin, lot);
    const asOfBlock = ledgerPosition()?.block ?? -1;
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
