import { PackCode } from '../types';
import { yymmddFromIso } from './dates';

export type FullPack = Required<PackCode>;

export const DEFAULT_DIGITAL_LINK_BASE = 'https://id.drugtrace.example';

/** The GS1 Digital Link URI a pack's QR code carries (lot and serial percent-encoded). */
export function toDigitalLink(pack: FullPack, base = DEFAULT_DIGITAL_LINK_BASE): string {
  const enc = encodeURIComponent;
  return `${base.replace(/\/+$/, '')}/01/${pack.gtin}/10/${enc(pack.lot)}/21/${enc(pack.serial)}?17=${yymmddFromIso(pack.expiry)}`;
}

/**
 * The element string: "(01)…(17)…(10)…(21)…" for people, or without parentheses the GS1 DataMatrix data,
 * fixed-length AIs first so only the lot needs a GS (FNC1) separator after it.
 */
export function toElementString(pack: FullPack, opts: { parentheses?: boolean } = {}): string {
  const expiry = yymmddFromIso(pack.expiry);
  if (opts.parentheses) return `(01)${pack.gtin}(17)${expiry}(10)${pack.lot}(21)${pack.serial}`;
  return `01${pack.gtin}17${expiry}10${pack.lot}\u001d21${pack.serial}`;
}
