import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { ContractOf, VerificationApi } from '../api';
import { alertReasons, assertGln, DomainError } from '../domain';
import { recordAlert } from '../ledger/alerts';
import { resolveCaller, ROLE_ATTR } from '../ledger/caller';
import { emit } from '../ledger/events';
import { ScanRecord, Verification } from '../ledger/models';
import { Store } from '../ledger/store';
import { recordSighting, Scanner, verify } from '../ledger/verify';

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
