import { Injectable } from '@nestjs/common';
import { LedgerEvent, toEpcisDocument } from '@drugtrace/chaincode/domain';
import { Caller } from '../auth/caller';
import { ReadModel } from '../replica/read-model';
import { AlertsResponse } from './audit.dto';

export const DEFAULT_ALERT_LIMIT = 100;

/** What regulators read: the alert feed and a batch's full event trail as EPCIS 2.0. */
@Injectable()
export class AuditService {
  constructor(private readonly reads: ReadModel) {}

  alerts(caller: Caller, limit = DEFAULT_ALERT_LIMIT): Promise<AlertsResponse> {
    return this.reads.evaluate<AlertsResponse>(caller, 'audit', 'Alerts', String(limit));
  }

  async epcis(caller: Caller, gtin: string, lot: string, now = new Date()): Promise<object> {
    const { events } = await this.reads.evaluate<{ events: LedgerEvent[] }>(
      caller,
      'audit',
      'BatchEvents',
      gtin,
      lot,
    );
    return toEpcisDocument(events, { gtin, lot, createdAt: now.toISOString() });
  }
}
