import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { ContractOf, VerificationApi } from '../api';
import {
  alertFingerprint,
  alertReasons,
  assertGln,
  assessVerification,
  cloneEvidence,
  DomainError,
  parseCode,
  Party,
  Role,
  Sighting,
  withinAlertWindow,
} from '../domain';
import { resolveCaller, ROLE_ATTR } from '../ledger/caller';
import { custodyOf } from '../ledger/custody';
import { emit } from '../ledger/events';
import { KEY } from '../ledger/keys';
import { Alert, Batch, Product, ScanRecord, Unit, Verification } from '../ledger/models';
import { Store } from '../ledger/store';

/** A member scanning at one of its locations; undefined for the anonymous public resolver. */
export type Scanner = (Party & { role: Role }) | undefined;

/** The verdict (README, "Verification") from the ledger's facts. Anonymous scanners (the public resolver) get no custody check. */
export async function verify(store: Store, raw: string, scanner: Scanner): Promise<Verification> {
  const code = parseCode(raw);
  if (!code.gtin) throw new DomainError('INVALID', 'verify needs a pack code (GTIN and serial), not an SSCC');
  if (!code.serial) throw new DomainError('INVALID', 'AI (21) at position 0: the code has no serial number');
  const product = await store.find<Product>(KEY.product, [code.gtin]);
  const unit = product ? await store.find<Unit>(KEY.unit, [code.gtin, code.serial]) : undefined;
  const batch = unit ? await store.find<Batch>(KEY.batch, [code.gtin, unit.lot]) : undefined;
  const custody = unit ? await custodyOf(store, unit) : undefined;
  const { verdict, reasons } = assessVerification({
    code,
    product,
    batch,
    unit:
      unit && custody ? { ...unit, custodian: custody.custodian, inTransit: custody.inTransit } : undefined,
    scanner,
    today: store.now().slice(0, 10),
  });
  return {
    verdict,
    reasons,
    code: { gtin: code.gtin, lot: code.lot, expiry: code.expiry, serial: code.serial },
    product,
    batch,
    unit:
      unit && custody
        ? {
            state: unit.state,
            custodian: custody.custodian,
            inTransit: custody.inTransit,
            lot: unit.lot,
            expiry: unit.expiry,
          }
        : undefined,
  };
}

/** The de-duplicated alert: a repeat of an identical alert within the window counts on the first one. */
async function recordAlert(
  ctx: Context,
  store: Store,
  alert: Pick<Alert, 'gtin' | 'serial' | 'lot' | 'reasons' | 'org' | 'gln' | 'sightings'>,
): Promise<Alert> {
  const now = store.now();
  const txId = store.txId();
  const fingerprint = alertFingerprint(alert);
  const ref = await store.find<{ key: string[] }>(KEY.alertRef, fingerprint);
  const previous = ref && (await store.find<Alert>(KEY.alert, ref.key));
  let recorded: Alert;
  if (ref && previous && withinAlertWindow(previous.at, now)) {
    recorded = { ...previous, count: previous.count + 1, lastSeen: now };
    await store.put(KEY.alert, ref.key, recorded);
  } else {
    // Inverted milliseconds in the key: a plain range scan reads the newest alert first.
    const key = [String(9_999_999_999_999 - Date.parse(now)).padStart(13, '0'), txId];
    recorded = { ...alert, id: txId, at: now, txId, count: 1, lastSeen: now };
    await store.put(KEY.alert, key, recorded);
    await store.put(KEY.alertRef, fingerprint, { key });
  }
  emit(ctx, {
    type: 'ALERT',
    at: now,
    org: alert.org,
    gln: alert.gln,
    txId,
    gtin: alert.gtin,
    lot: alert.lot,
    serial: alert.serial,
    reasons: alert.reasons,
    alertId: recorded.id,
    count: recorded.count,
  });
  return recorded;
}

/**
 * Records where a known pack was scanned, and returns the other organisations' sightings within the clone
 * window: the evidence for CLONE_SUSPECTED, read from the ledger, never from the caller.
 */
async function recordSighting(store: Store, gtin: string, serial: string, place: Party): Promise<Sighting[]> {
  const sightings: Sighting[] = [];
  for await (const { value } of store.entries<Sighting>(KEY.sighting, [gtin, serial])) sightings.push(value);
  const now = store.now();
  await store.put(KEY.sighting, [gtin, serial, place.msp, place.gln], {
    msp: place.msp,
    gln: place.gln,
    at: now,
  });
  return cloneEvidence(place, sightings, now);
}

@Info({ title: 'Verification', description: 'The anti-counterfeit scan and the alerts it raises' })
export class VerificationContract extends Contract implements ContractOf<VerificationApi, Context> {
  constructor() {
    super('verification');
  }

  @Transaction(false)
  @Returns('Verification')
  async Verify(ctx: Context, code: string, scannerGln: string): Promise<Verification> {
    const store = new Store(ctx);
    return verify(store, code, await this.#scanner(ctx, store, scannerGln));
  }

  /**
   * A member's scan, as evidence: the chaincode computes the verdict from the ledger, records the sighting of a
   * known pack at the scanner's own location, and raises an alert when the verdict is not genuine or another
   * organisation scanned the same serial within the clone window. The caller supplies only the code it read.
   */
  @Transaction()
  @Returns('ScanRecord')
  async RecordScan(ctx: Context, code: string, scannerGln: string): Promise<ScanRecord> {
    const store = new Store(ctx);
    const scanner = await this.#scanner(ctx, store, scannerGln);
    if (!scanner) throw new DomainError('FORBIDDEN', 'anonymous scans are not recorded');
    const result = await verify(store, code, scanner);
    const c = result.code;
    const place = { msp: scanner.msp, gln: scanner.gln };
    const evidence = result.unit ? await recordSighting(store, c.gtin, c.serial, place) : [];
    const reasons = alertReasons(result.reasons, evidence.length > 0);
    if (reasons.length === 0) {
      emit(ctx, {
        type: 'SCANNED',
        at: store.now(),
        org: place.msp,
        gln: place.gln,
        txId: store.txId(),
        gtin: c.gtin,
        lot: c.lot,
        serial: c.serial,
      });
      return result;
    }
    const alert = await recordAlert(ctx, store, {
      gtin: c.gtin,
      serial: c.serial,
      lot: c.lot,
      reasons,
      org: place.msp,
      gln: place.gln,
      ...(evidence.length > 0 ? { sightings: evidence } : {}),
    });
    return { ...result, alertId: alert.id, alert };
  }

  async #scanner(ctx: Context, store: Store, gln: string): Promise<Scanner> {
    if (ctx.clientIdentity.getAttributeValue(ROLE_ATTR) === 'RESOLVER') return undefined;
    const caller = await resolveCaller(ctx, store);
    if (!gln) return { msp: caller.msp, role: caller.role, gln: caller.gln };
    assertGln(gln);
    if (!caller.org.glns.includes(gln))
      throw new DomainError('FORBIDDEN', `GLN ${gln} is not a location of ${caller.msp}`);
    return { msp: caller.msp, role: caller.role, gln };
  }
}
