import { matchAi } from './gs1/application-identifiers';
import { GS, parseCode } from './gs1/parse';
import { ParsedCode } from './types';

// Scanner set-up faults that make a genuine pack look bad: caps lock inverts letter case, a keyboard layout
// turns "/" into "-" or ")" into "(", software that does not pass on the group separator lets a lot swallow
// the AI after it. A scan such a fault explains is a scanner problem, not evidence of a fake.

export const SCAN_HINTS = [
  'CAPS_LOCK_SUSPECTED',
  'KEYBOARD_LAYOUT_SUSPECTED',
  'MISSING_GROUP_SEPARATOR_SUSPECTED',
] as const;
export type ScanHint = (typeof SCAN_HINTS)[number];

/** The sentence the scan page shows for each hint. */
export const HINT_TEXT: Readonly<Record<ScanHint, string>> = {
  CAPS_LOCK_SUSPECTED:
    'The scanner seems to type with caps lock on: letters arrive in the wrong case. Turn caps lock off and scan again.',
  KEYBOARD_LAYOUT_SUSPECTED:
    'The scanner seems to type for another keyboard layout: "/" or ")" arrive as other characters. Set the scanner to the computer’s keyboard layout and scan again.',
  MISSING_GROUP_SEPARATOR_SUSPECTED:
    'The scanner seems to drop the group separator between fields, so one field swallowed the next. Set the scanner to pass on the GS (FNC1) character and scan again.',
};

export interface HintView {
  code: ScanHint;
  text: string;
}

export const hintViews = (hints: readonly ScanHint[]): HintView[] =>
  hints.map((code) => ({ code, text: HINT_TEXT[code] }));

/** Letters' case inverted, as caps lock types them. */
export const invertCase = (s: string): string =>
  s.replace(/[A-Za-z]/g, (c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()));

/** What a keyboard layout that turned "/" into "-" and ")" into "(" had meant (undefined: nothing to undo). */
export function undoLayout(s: string): string | undefined {
  const fixed = s.replace(/-/g, '/').replace(/\((\d{2,4})\(/g, '($1)');
  return fixed === s ? undefined : fixed;
}

/** The variants of a misread serial or lot a scanner fault explains, each with its hint. */
export function faultVariants(s: string): { hint: ScanHint; value: string }[] {
  const variants: { hint: ScanHint; value: string }[] = [];
  if (invertCase(s) !== s) variants.push({ hint: 'CAPS_LOCK_SUSPECTED', value: invertCase(s) });
  const layout = s.replace(/-/g, '/').replace(/\(/g, ')');
  if (layout !== s) variants.push({ hint: 'KEYBOARD_LAYOUT_SUSPECTED', value: layout });
  return variants;
}

/** A Digital Link whose scheme or host arrived in capitals: caps lock (URIs are typed in lower case). */
export const upperCasedUri = (raw: string): boolean => /^\s*(HTTPS?:\/\/|https?:\/\/[^/?#]*[A-Z])/.test(raw);

const isPackCode = (code: ParsedCode): boolean => code.gtin !== undefined && code.serial !== undefined;

function parsesAsPack(raw: string): boolean {
  try {
    return isPackCode(parseCode(raw));
  } catch {
    return false;
  }
}

/**
 * Why a scan that is not a valid pack code (a 400) may still be a genuine pack: the faults whose repair makes
 * it one. A missing group separator is found by trying one at each place of a raw payload.
 */
export function parseFailureHints(raw: string): ScanHint[] {
  const hints = new Set<ScanHint>();
  if (upperCasedUri(raw)) hints.add('CAPS_LOCK_SUSPECTED');
  const layout = undoLayout(raw);
  if (layout !== undefined && parsesAsPack(layout)) hints.add('KEYBOARD_LAYOUT_SUSPECTED');
  if (/^\s*(\][A-Za-z]\d)?\d/.test(raw)) {
    for (let i = 1; i < raw.length; i++) {
      if (raw[i - 1] !== GS && raw[i] !== GS && parsesAsPack(raw.slice(0, i) + GS + raw.slice(i))) {
        hints.add('MISSING_GROUP_SEPARATOR_SUSPECTED');
        break;
      }
    }
  }
  return [...hints];
}

/**
 * The faults that explain a scanned lot differing from the pack's own: its case inverted, its "/" or ")"
 * retyped, or (in a raw payload) the pack's lot followed by the AI data a missing separator let it swallow.
 */
export function lotHints(code: ParsedCode, packLot: string): ScanHint[] {
  const scanned = code.lot;
  if (scanned === undefined || scanned === packLot) return [];
  const hints = faultVariants(scanned)
    .filter((v) => v.value === packLot)
    .map((v) => v.hint);
  if (code.form === 'raw' && scanned.startsWith(packLot) && matchAi(scanned.slice(packLot.length)))
    hints.push('MISSING_GROUP_SEPARATOR_SUSPECTED');
  return hints;
}
