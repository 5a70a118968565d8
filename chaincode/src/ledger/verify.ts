import { assessVerification, cloneEvidence, parsePackCode, Party, Role, Sighting } from '../domain';
import { custodyOf } from './custody';
import { KEY } from './keys';
import { Batch, Product, Unit, Verification } from './models';
import { Store } from './store';

/** A member scanning at one of its locations; undefined for the anonymous public resolver. */
export type Scanner = (Party & { role: Role }) | undefined;

/** The verdict (README, "Verification") from the ledger's facts. Anonymous scanners (the public resolver) get no custody check. */
export async function verify(store: Store, raw: string, scanner: Scanner): Promise<Verification> {
  const code = parsePackCode(raw);
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

/**
 * Records where a known pack was scanned, and returns the other organisations' sightings within the clone
 * window: the evidence for CLONE_SUSPECTED, read from the ledger, never from the caller.
 */
export async function recordSighting(
  store: Store,
  gtin: string,
  serial: string,
  place: Party,
): Promise<Sighting[]> {
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
