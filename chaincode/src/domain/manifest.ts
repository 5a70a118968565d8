import { DomainError } from './errors';
import { isValidSscc } from './gs1/check-digit';
import { parseCode } from './gs1/parse';
import { MAX_GOODS_PER_MOVE } from './limits';

// Receiving against the manifest: what a shipment holds (its packs and containers, expanded) compared with
// what the receiver scanned. One rule for the gateway (the 409 report before anything is written) and the
// chaincode (which recomputes it from the ledger before it accepts a discrepancy).

/** A shipment's item as the ledger holds it: a pack, or a container with what it holds. */
export interface ManifestItem {
  /** `(01)<gtin>(21)<serial>` or `(00)<sscc>`: the code this item is scanned as. */
  code: string;
  contents?: ManifestItem[];
}

/** What a receipt found: packs expected and accounted for, and the codes that differ. */
export interface ReceiptReport {
  /** Packs the shipment holds, at every depth. */
  expected: number;
  /** Of those, packs scanned (themselves, or a container holding them). */
  scanned: number;
  /** Codes not scanned, outermost first: a container none of whose contents was scanned is one code. */
  missing: string[];
  /** Scanned codes the shipment does not hold. */
  unexpected: string[];
}

export const packCode = (gtin: string, serial: string): string => `(01)${gtin}(21)${serial}`;
export const ssccCode = (sscc: string): string => `(00)${sscc}`;

/**
 * The key a scan is compared by: a pack's GTIN and serial, or a container's SSCC (lot and expiry ignored). A
 * bare 18-digit SSCC, as printed under a case's barcode, is read as one.
 */
export function scanKey(raw: string): string {
  const bare = raw.trim();
  if (/^\d{18}$/.test(bare) && isValidSscc(bare)) return ssccCode(bare);
  const parsed = parseCode(raw);
  if (parsed.sscc) return ssccCode(parsed.sscc);
  if (!parsed.serial) throw new DomainError('INVALID', `${raw} names no serial: scan a pack or a case`);
  return packCode(parsed.gtin, parsed.serial);
}

/** Scanned codes as keys, each once; at most MAX_GOODS_PER_MOVE. */
export function scanKeys(scanned: readonly string[]): string[] {
  if (!Array.isArray(scanned)) throw new DomainError('INVALID', 'scanned must be an array of codes');
  if (scanned.length > MAX_GOODS_PER_MOVE)
    throw new DomainError('INVALID', `at most ${MAX_GOODS_PER_MOVE} scanned codes at once`);
  return [...new Set(scanned.map((code) => scanKey(String(code))))];
}

const isPack = (item: ManifestItem): boolean => item.code.startsWith('(01)');

function packsIn(item: ManifestItem): number {
  return isPack(item) ? 1 : (item.contents ?? []).reduce((n, c) => n + packsIn(c), 0);
}

/** What was not scanned, outermost first: the items whose code and contents were all left unscanned. */
function unscanned(item: ManifestItem, scanned: ReadonlySet<string>): ManifestItem[] {
  if (scanned.has(item.code)) return [];
  if (isPack(item)) return [item];
  const inner = (item.contents ?? []).map((c) => unscanned(c, scanned));
  // No content scanned: the container itself is missing (an empty container was never scanned either).
  if (inner.every((missing, i) => missing.length === 1 && missing[0] === item.contents?.[i])) return [item];
  return inner.flat();
}

function allCodes(items: readonly ManifestItem[], into = new Set<string>()): Set<string> {
  for (const item of items) {
    into.add(item.code);
    allCodes(item.contents ?? [], into);
  }
  return into;
}

/** The receipt's report, and the items missing (outermost first) for a receipt that accepts them. */
export function compareManifest(
  items: readonly ManifestItem[],
  scannedKeys: readonly string[],
): ReceiptReport & { missingItems: ManifestItem[] } {
  const scanned = new Set(scannedKeys);
  const known = allCodes(items);
  const missingItems = items.flatMap((item) => unscanned(item, scanned));
  const expected = items.reduce((n, item) => n + packsIn(item), 0);
  const missingPacks = missingItems.reduce((n, item) => n + packsIn(item), 0);
  return {
    expected,
    scanned: expected - missingPacks,
    missing: missingItems.map((item) => item.code),
    unexpected: [...scanned].filter((code) => !known.has(code)),
    missingItems,
  };
}

export const hasDiscrepancy = (report: ReceiptReport): boolean =>
  report.missing.length > 0 || report.unexpected.length > 0;
