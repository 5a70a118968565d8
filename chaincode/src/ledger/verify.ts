import {
  Agent,
  assessVerification,
  cloneEvidence,
  faultVariants,
  lotHints,
  PackCodeRead,
  parsePackCode,
  Party,
  Role,
  SCAN_HINTS,
  ScanHint,
  Sighting,
  upperCasedUri,
} from '../domain';
import { custodyOf } from './custody';
import { KEY } from './keys';
import { Batch, Product, Unit, Verification } from './models';
import { findUnit } from './records';
import { Store } from './store';

/** A member's person scanning at one of its locations; undefined for the anonymous public resolver. */
export type Scanner = (Agent & { role: Role }) | undefined;

/** The verdict (README, "Verification") from the ledger's facts. Anonymous scanners (the public resolver) get no custody check. */
export async function verify(store: Store, raw: string, scanner: Scanner): Promise<Verification> {
  const code = parsePackCode(raw);
  const product = await store.find<Product>(KEY.product, [code.gtin]);
  const unit = product ? await findUnit(store, code.gtin, code.serial) : undefined;
  const batch = unit ? await store.find<Batch>(KEY.batch, [code.gtin, unit.lot]) : undefined;
  const custody = unit ? await custodyOf(store, unit) : undefined;
  const scannedLotExists =
    unit && code.lot !== undefined && code.lot !== unit.lot
      ? (await store.find<Batch>(KEY.batch, [code.gtin, code.lot])) !== undefined
      : undefined;
  const { verdict, reasons } = assessVerification({
    code,
    product,
    batch,
    scannedLotExists,
    unit:
      unit && custody
        ? {
            ...unit,
            custodian: custody.custodian,
            inTransit: custody.inTransit,
            missing: !!custody.missingInTransit,
          }
        : undefined,
    scanner,
    today: store.now().slice(0, 10),
  });
  const hints = verdict === 'GENUINE' ? [] : await scanHints(store, raw, code, unit);
  return {
    verdict,
    reasons,
    code: {
      gtin: code.gtin,
      lot: code.lot,
      expiry: code.expiry,
      serial: code.serial,
      otherAis: code.otherAis,
    },
    hints: hints.length > 0 ? hints : undefined,
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
 * The scanner faults that explain a bad verdict, from the ledger's facts: an unknown serial whose case-inverted
 * or layout-retyped form is a real pack, a lot that is the pack's own one so misread, a Digital Link typed in
 * capitals.
 */
async function scanHints(
  store: Store,
  raw: string,
  code: PackCodeRead,
  unit: Unit | undefined,
): Promise<ScanHint[]> {
  const hints = new Set<ScanHint>(upperCasedUri(raw) ? ['CAPS_LOCK_SUSPECTED'] : []);
  if (unit) {
    for (const hint of lotHints(code, unit.lot)) hints.add(hint);
  } else {
    for (const { hint, value } of faultVariants(code.serial)) {
      if (await findUnit(store, code.gtin, value)) hints.add(hint);
    }
  }
  return SCAN_HINTS.filter((h) => hints.has(h));
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
