import { Injectable } from '@nestjs/common';
import { DEFAULT_ALERTS_PER_READ, toEpcisDocument } from '@drugtrace/chaincode/domain';
import { Caller } from '../auth/caller';
import { Ledger } from '../fabric/ledger';
import { AlertsResponse } from './audit.dto';

/** What regulators read: the alert feed and a batch's full event trail as EPCIS 2.0. */
@Injectable()
export class AuditService {
  constructor(private readonly ledger: Ledger) {}

  alerts(caller: Caller, limit = DEFAULT_ALERTS_PER_READ): Promise<AlertsResponse> {
    return this.ledger.audit.alerts(caller, String(limit));
  }

  async epcis(caller: Caller, gtin: string, lot: string, now = new Date()): Promise<object> {
    const { events } = await this.ledger.audit.batchEvents(caller, gtin, lot);
    return toEpcisDocument(events, { gtin, lot, createdAt: now.toISOString() });
  }
}
