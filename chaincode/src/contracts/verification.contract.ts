import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { assertGln, assessVerification, DomainError, parseCode, ReasonCode, Role } from '../domain';
import { resolveCaller, ROLE_ATTR } from '../ledger/caller';
import { custodyOf } from '../ledger/custody';
import { emit } from '../ledger/events';
import { KEY } from '../ledger/keys';
import { Alert, Batch, Product, Unit } from '../ledger/models';
import { toJson } from '../ledger/serialize';
import { Store } from '../ledger/store';

export type Scanner = { msp: string; role: Role | 'RESOLVER'; gln?: string } | undefined;

/** The verdict of SPEC §5 from the ledger's facts. Anonymous scanners (the public resolver) get no custody check. */
export async function verify(store: Store, raw: string, scanner: Scanner): Promise<Record<string, unknown>> {
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

export async function recordAlert(
  ctx: Context,
  store: Store,
  alert: Omit<Alert, 'id' | 'at' | 'txId'>,
): Promise<Alert> {
  const at = store.now();
  const txId = store.txId();
  const full: Alert = { ...alert, id: txId, at, txId };
  // Inverted milliseconds in the key: a plain range scan reads the newest alert first.
  const inverted = String(9_999_999_999_999 - Date.parse(at)).padStart(13, '0');
  await store.put(KEY.alert, [inverted, txId], full);
  emit(ctx, {
    type: 'ALERT',
    at,
    org: alert.org,
    gln: alert.gln,
    txId,
    gtin: alert.gtin,
    lot: alert.lot,
    serial: alert.serial,
    reasons: alert.reasons,
  });
  return full;
}

@Info({ title: 'Verification', description: 'The anti-counterfeit scan and the alerts it raises' })
export class VerificationContract extends Contract {
  constructor() {
    super('verification');
  }

  @Transaction(false)
  @Returns('string')
  async Verify(ctx: Context, code: string, scannerGln: string): Promise<string> {
    const store = new Store(ctx);
    return toJson(await verify(store, code, await this.#scanner(ctx, store, scannerGln)));
  }

  /** Verifies on-ledger and records an alert for a non-genuine scan, so regulators see it. */
  @Transaction()
  @Returns('string')
  async RecordScan(ctx: Context, code: string, scannerGln: string): Promise<string> {
    const store = new Store(ctx);
    const scanner = await this.#scanner(ctx, store, scannerGln);
    if (!scanner || scanner.role === 'RESOLVER')
      throw new DomainError('FORBIDDEN', 'anonymous scans are not recorded');
    const result = await verify(store, code, scanner);
    if (result.verdict === 'GENUINE') return toJson(result);
    const c = result.code as { gtin: string; serial: string; lot?: string };
    const alert = await recordAlert(ctx, store, {
      gtin: c.gtin,
      serial: c.serial,
      lot: c.lot,
      reasons: result.reasons as ReasonCode[],
      org: scanner.msp,
      gln: scanner.gln ?? '',
    });
    return toJson({ ...result, alertId: alert.id });
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
