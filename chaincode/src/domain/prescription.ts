import { DomainError } from './errors';
import { MAX_PRESCRIPTION_PACKS } from './limits';

/**
 * A prescription's list of packs: at least one, at most MAX_PRESCRIPTION_PACKS, each pack once (a pack named
 * twice would be dispensed "twice" in one transaction). The packs themselves are checked on the ledger.
 */
export function assertPrescriptionList(units: readonly { gtin: string; serial: string }[]): void {
  if (units.length === 0) throw new DomainError('INVALID', 'units must list at least one pack');
  if (units.length > MAX_PRESCRIPTION_PACKS)
    throw new DomainError(
      'INVALID',
      `units lists ${units.length} packs; one dispense takes at most ${MAX_PRESCRIPTION_PACKS}`,
    );
  const seen = new Set<string>();
  for (const { gtin, serial } of units) {
    const key = `${gtin}/${serial}`;
    if (seen.has(key)) throw new DomainError('INVALID', `pack ${key} is listed twice`);
    seen.add(key);
  }
}
