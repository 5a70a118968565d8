import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { AuditApi, ContractOf } from '../api';
import {
  alertAsRead,
  DEFAULT_ALERTS_PER_READ,
  LedgerEvent,
  MAX_ALERTS_PER_READ,
  refuse,
  roleRefusal,
} from '../domain';
import { KEY } from '../ledger/keys';
import { Alert, AlertList, BatchEventList } from '../ledger/models';
import { assertBatchAuthority } from '../ledger/authority';
import { getBatch } from '../ledger/records';
import { requireInt, session } from '../ledger/session';

/**
 * What regulators read. Alerts are raised only by `verification.RecordScan`, from the chaincode's own verdict
 * and the ledger's sightings: no member can write an alert's reasons.
 */
@Info({ title: 'Audit', description: 'Alerts and batch event trails for regulators' })
export class AuditContract extends Contract implements ContractOf<AuditApi, Context> {
  constructor() {
    super('audit');
  }

  @Transaction(false)
  @Returns('AlertList')
  async Alerts(ctx: Context, limit: string): Promise<AlertList> {
    const { store, caller } = await session(ctx);
    refuse(roleRefusal(caller, 'readAlerts'));
    const max = requireInt(limit || String(DEFAULT_ALERTS_PER_READ), 'limit', 1, MAX_ALERTS_PER_READ);
    const alerts: Alert[] = [];
    for await (const { value } of store.entries<Alert>(KEY.alert, [])) {
      alerts.push(alertAsRead(value));
      if (alerts.length >= max) break;
    }
    return { alerts };
  }

  @Transaction(false)
  @Returns('BatchEventList')
  async BatchEvents(ctx: Context, gtin: string, lot: string): Promise<BatchEventList> {
    const { store, caller } = await session(ctx);
    assertBatchAuthority(caller, await getBatch(store, gtin, lot));
    const events: LedgerEvent[] = [];
    for await (const { value } of store.entries<LedgerEvent>(KEY.batchEvent, [gtin, lot])) events.push(value);
    return { events };
  }
}
