import { Injectable } from '@nestjs/common';
import {
  daysEnding,
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
import { ReplicaStore } from '../replica/replica-store';
import {
  AlertPlaceResponse,
  AlertsQuery,
  AlertsResponse,
  DayStatsResponse,
  StatsResponse,
  WhereaboutsResponse,
} from './audit.dto';

/** Places a dashboard ranks by alerts. */
const TOP_LOCATIONS = 10;

/** What regulators read: the alert feed and a batch's full event trail as EPCIS 2.0. */
@Injectable()
export class AuditService {
  constructor(
    private readonly ledger: Ledger,
    private readonly reads: ReadModel,
    private readonly lists: ListQueries,
    private readonly replica: ReplicaStore,
  ) {}

  /**
   * The regulator dashboard's figures from the read model's daily table: each day's recorded scans by verdict
   * and alert occurrences by reason, and the places that raised most alerts over those days.
   */
  async stats(caller: Caller, days = 14, to = new Date().toISOString().slice(0, 10)): Promise<StatsResponse> {
    // The DTO checks the form; a day the calendar does not have (2026-02-30) is refused here.
    if (new Date(`${to}T00:00:00Z`).toISOString().slice(0, 10) !== to)
      throw new DomainError('INVALID', `to: ${to} is not a day of the calendar`);
    const range = daysEnding(to, days);
    const { value: rows, block } = await this.reads.snapshot(() => this.replica.tables.daily(range[0], to));
    const byDay = new Map<string, DayStatsResponse>(
      range.map((day) => [day, { day, scans: {}, alerts: {} }]),
    );
    const places = new Map<string, number>();
    for (const r of rows) {
      const day = byDay.get(r.day);
      if (!day) continue;
      if (r.metric === 'scan') day.scans[r.key] = r.count;
      else if (r.metric === 'alert') day.alerts[r.key] = r.count;
      else places.set(r.key, (places.get(r.key) ?? 0) + r.count);
    }
    const names = new Map((await this.ledger.registry.list(caller)).map((o) => [o.mspId, o.name]));
    const topLocations: AlertPlaceResponse[] = [...places]
      .map(([key, alerts]) => {
        const [msp, gln] = key.split('|');
        return { msp, gln, name: names.get(msp) ?? msp, alerts };
      })
      .sort((a, b) => b.alerts - a.alerts || `${a.msp}${a.gln}`.localeCompare(`${b.msp}${b.gln}`))
      .slice(0, TOP_LOCATIONS);
    return { from: range[0], to, days: [...byDay.values()], topLocations, asOfBlock: block };
  }

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
