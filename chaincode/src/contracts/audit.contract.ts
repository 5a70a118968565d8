import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import {
  assertGln,
  assertGtin,
  assertSerial,
  DomainError,
  LedgerEvent,
  REASON_CODES,
  ReasonCode,
} from '../domain';
import { requireRole } from '../ledger/caller';
import { KEY } from '../ledger/keys';
import { Alert } from '../ledger/models';
import { toJson } from '../ledger/serialize';
import { assertBatchAuthority, getBatch } from './batches.contract';
import { requireInt, session } from './support';
import { recordAlert } from './verification.contract';

@Info({ title: 'Audit', description: 'Alerts and batch event trails for regulators' })
export class AuditContract extends Contract {
  constructor() {
    super('audit');
  }

  /** An alert raised off-chain by a member, e.g. the gateway's clone detector (one serial, many places). */
  @Transaction()
  @Returns('string')
  async RaiseAlert(
    ctx: Context,
    gtin: string,
    serial: string,
    reasonsJson: string,
    gln: string,
  ): Promise<string> {
    const { store, caller } = await session(ctx);
    assertGtin(gtin);
    assertSerial(serial);
    if (gln) {
      assertGln(gln);
      // An alert names where the scan happened: only one of the caller's own locations.
      if (!caller.org.glns.includes(gln))
        throw new DomainError('FORBIDDEN', `GLN ${gln} is not a location of ${caller.msp}`);
    }
    let reasons: ReasonCode[];
    try {
      reasons = JSON.parse(reasonsJson) as ReasonCode[];
    } catch {
      throw new DomainError('INVALID', 'reasons must be a JSON array');
    }
    if (
      !Array.isArray(reasons) ||
      reasons.length === 0 ||
      !reasons.every((r) => (REASON_CODES as readonly string[]).includes(r))
    ) {
      throw new DomainError('INVALID', `reasons must be a non-empty array of ${REASON_CODES.join(', ')}`);
    }
    const alert = await recordAlert(ctx, store, {
      gtin,
      serial,
      reasons,
      org: caller.msp,
      gln: gln || caller.gln,
    });
    return toJson(alert);
  }

  @Transaction(false)
  @Returns('string')
  async Alerts(ctx: Context, limit: string): Promise<string> {
    const { store, caller } = await session(ctx);
    requireRole(caller, 'REGULATOR');
    const max = requireInt(limit || '100', 'limit', 1, 1000);
    const alerts: Alert[] = [];
    for await (const { value } of store.entries<Alert>(KEY.alert, [])) {
      alerts.push(value);
      if (alerts.length >= max) break;
    }
    return toJson({ alerts });
  }

  @Transaction(false)
  @Returns('string')
  async BatchEvents(ctx: Context, gtin: string, lot: string): Promise<string> {
    const { store, caller } = await session(ctx);
    assertBatchAuthority(caller, await getBatch(store, gtin, lot));
    const events: LedgerEvent[] = [];
    for await (const { value } of store.entries<LedgerEvent>(KEY.batchEvent, [gtin, lot])) events.push(value);
    return toJson({ events });
  }
}
