import { CodeParseError } from '../errors';
import { PackCode, ParsedCode } from '../types';
import { AI_SPECS, AiSpec, matchAi } from './application-identifiers';
import { firstInvalidCset82 } from './character-set';
import { gs1CheckDigit } from './check-digit';
import { isoFromYymmdd } from './dates';

/** FNC1 as a scanner sends it between variable-length elements: ASCII 29, the group separator. */
export const GS = '\u001d';
const SYMBOLOGY_PREFIX = /^\](d2|Q3|C1|e0|J1)/;
const MAX_INPUT = 512;

interface Element {
  ai: string;
  value: string;
  /** Where the element starts in the input: its "(AI)", its AI digits or its Digital Link path segment. */
  position: number;
  /** Where its data starts in the input. */
  dataPosition: number;
  /** Input position of each character of `value`, when percent-decoding moved them apart. */
  offsets?: number[];
}

/** Parses every form a pharmacy meets: Digital Link URI, element string with parentheses, raw payload. */
export function parseCode(raw: string): ParsedCode {
  if (typeof raw !== 'string') throw new CodeParseError(0, 'the code must be a string');
  if (raw.length > MAX_INPUT)
    throw new CodeParseError(MAX_INPUT, `the code is longer than ${MAX_INPUT} characters`);
  const text = raw.trim();
  if (text.length === 0) throw new CodeParseError(0, 'the code is empty');
  // Positions are reported in the input as scanned, before the whitespace a scanner adds was trimmed.
  const lead = raw.length - raw.trimStart().length;
  try {
    if (/^https?:\/\//i.test(text)) return build(parseDigitalLink(text), 'digital-link');
    if (text.startsWith('(')) return build(parseParenthesised(text), 'element-string');
    return build(parseRaw(text), 'raw');
  } catch (e) {
    if (lead > 0 && e instanceof CodeParseError) throw new CodeParseError(e.position + lead, e.reason, e.ai);
    throw e;
  }
}

/** An AI in parentheses. A "(" not followed by digits and ")" is data: lots and serials may contain it. */
const HRI_AI = /\((\d{2,4})\)/;

function parseParenthesised(text: string): Element[] {
  const elements: Element[] = [];
  let pos = 0;
  while (pos < text.length) {
    const m = new RegExp(`^${HRI_AI.source}`).exec(text.slice(pos));
    if (!m) throw new CodeParseError(pos, 'expected "(AI)" followed by its data');
    const dataPosition = pos + m[0].length;
    const next = text.slice(dataPosition).search(HRI_AI);
    const end = next === -1 ? text.length : dataPosition + next;
    elements.push({ ai: m[1], value: text.slice(dataPosition, end), position: pos, dataPosition });
    pos = end;
  }
  return elements;
}

function parseRaw(input: string): Element[] {
  let pos = 0;
  const prefix = SYMBOLOGY_PREFIX.exec(input);
  if (prefix) pos = prefix[0].length;
  else if (input.startsWith(']'))
    throw new CodeParseError(0, `unknown symbology identifier "${input.slice(0, 3)}"`);
  const elements: Element[] = [];
  while (pos < input.length) {
    if (input[pos] === GS) {
      pos++;
      continue;
    }
    const spec = matchAi(input.slice(pos));
    if (!spec) throw new CodeParseError(pos, `unknown or unsupported AI "${input.slice(pos, pos + 2)}"`);
    const start = pos + spec.ai.length;
    let end: number;
    if (spec.fixed) {
      end = start + spec.fixed;
      if (end > input.length) {
        throw new CodeParseError(
          start,
          `needs ${spec.fixed} characters, only ${input.length - start} left`,
          spec.ai,
        );
      }
    } else {
      const gs = input.indexOf(GS, start);
      end = gs === -1 ? input.length : gs;
    }
    elements.push({ ai: spec.ai, value: input.slice(start, end), position: pos, dataPosition: start });
    pos = end;
  }
  return elements;
}

// Key qualifiers of AI 01 in the order the Digital Link standard requires: /01/{gtin}/22/{cpv}/10/{lot}/21/{serial}.
const DL_QUALIFIERS = ['22', '10', '21'];

/**
 * The path and query are read from the text itself, not from WHATWG URL's normalised `pathname`: that one
 * drops "." and ".." segments (a lot may be "."), re-encodes characters and would shift every position.
 */
function parseDigitalLink(text: string): Element[] {
  try {
    new URL(text);
  } catch {
    throw new CodeParseError(0, 'not a valid URI');
  }
  const authority = text.indexOf('//') + 2;
  const hash = text.indexOf('#', authority);
  const end = hash === -1 ? text.length : hash;
  const question = text.indexOf('?', authority);
  const queryStart = question === -1 || question > end ? end : question;
  const slash = text.indexOf('/', authority);
  const pathStart = slash === -1 || slash > queryStart ? queryStart : slash;
  const segments = text.slice(pathStart, queryStart).split('/');
  const keyIndex = segments.findIndex((s, i) => (s === '01' || s === '00') && i + 1 < segments.length);
  if (keyIndex === -1) throw new CodeParseError(pathStart, 'no /01/{gtin} or /00/{sscc} in the path');
  const offsetOf = (index: number): number => pathStart + segments.slice(0, index).join('/').length + 1;
  const elements: Element[] = [];
  let lastQualifier = -1;
  for (let i = keyIndex; i < segments.length; i += 2) {
    const ai = segments[i];
    if (ai === '' && i === segments.length - 1) break;
    if (i + 1 >= segments.length) throw new CodeParseError(offsetOf(i), 'AI without a value', ai);
    if (i > keyIndex) {
      const order = DL_QUALIFIERS.indexOf(ai);
      if (order === -1 || segments[keyIndex] === '00') {
        throw new CodeParseError(offsetOf(i), 'not a key qualifier of this primary key', ai);
      }
      if (order <= lastQualifier) throw new CodeParseError(offsetOf(i), 'key qualifiers out of order', ai);
      lastQualifier = order;
    }
    elements.push({ ai, position: offsetOf(i), ...decode(segments[i + 1], offsetOf(i + 1), ai) });
  }
  let pos = queryStart + 1;
  for (const pair of queryStart < end ? text.slice(queryStart + 1, end).split('&') : []) {
    const eq = pair.indexOf('=');
    const ai = eq === -1 ? pair : pair.slice(0, eq);
    if (/^\d{2,4}$/.test(ai)) {
      elements.push({
        ai,
        position: pos,
        ...decode(eq === -1 ? '' : pair.slice(eq + 1), pos + ai.length + 1, ai),
      });
    }
    pos += pair.length + 1;
  }
  return elements;
}

/** Percent-decodes one path segment or query value, keeping where each decoded character came from. */
function decode(
  segment: string,
  position: number,
  ai: string,
): Pick<Element, 'value' | 'dataPosition' | 'offsets'> {
  if (!segment.includes('%')) return { value: segment, dataPosition: position };
  let value = '';
  const offsets: number[] = [];
  // Plain characters one by one; each run of %XX escapes together, as a UTF-8 sequence may span several.
  for (const m of segment.matchAll(/(?:%[^%]{0,2})+|[^%]+/g)) {
    const at = position + (m.index ?? 0);
    let chunk: string;
    try {
      chunk = m[0].startsWith('%') ? decodeURIComponent(m[0]) : m[0];
    } catch {
      throw new CodeParseError(at, 'bad percent-encoding', ai);
    }
    for (let i = 0; i < chunk.length; i++) offsets.push(m[0].startsWith('%') ? at : at + i);
    value += chunk;
  }
  return { value, dataPosition: position, offsets };
}

function build(elements: Element[], form: ParsedCode['form']): ParsedCode {
  const code: Partial<ParsedCode> = { form };
  const seen = new Set<string>();
  for (const element of elements) {
    const spec = AI_SPECS.get(element.ai);
    if (!spec) throw new CodeParseError(element.position, 'unknown or unsupported AI', element.ai);
    if (seen.has(element.ai)) throw new CodeParseError(element.position, 'appears twice', element.ai);
    seen.add(element.ai);
    const value = validate(spec, element);
    if (spec.field) code[spec.field] = value;
  }
  if (!code.gtin && !code.sscc) throw new CodeParseError(0, 'no GTIN (01) or SSCC (00) in the code');
  if (code.gtin && code.sscc)
    throw new CodeParseError(0, 'a code carries either a GTIN (01) or an SSCC (00)');
  return code as ParsedCode;
}

/** A pack's code: its GTIN and serial, and the lot and expiry when the code carries them. */
export type PackCodeRead = PackCode & { gtin: string; serial: string };

/**
 * A code that names one pack: a GTIN (01) and a serial (21). An SSCC names a container, and a GTIN alone a
 * product; either is refused like any malformed code, naming the missing AI at position 0.
 */
export function parsePackCode(raw: string): PackCodeRead {
  const { gtin, serial, lot, expiry } = parseCode(raw);
  const needs = 'a pack code needs a GTIN (01) and a serial (21)';
  if (!gtin) throw new CodeParseError(0, `${needs}, not an SSCC`, '01');
  if (!serial) throw new CodeParseError(0, `${needs}; this one has no serial`, '21');
  return { gtin, serial, ...(lot !== undefined ? { lot } : {}), ...(expiry !== undefined ? { expiry } : {}) };
}

function validate(spec: AiSpec, { ai, value, dataPosition, offsets }: Element): string {
  const at = (i: number): number => offsets?.[i] ?? dataPosition + i;
  if (spec.fixed && value.length !== spec.fixed) {
    throw new CodeParseError(dataPosition, `must be ${spec.fixed} characters, got ${value.length}`, ai);
  }
  if (value.length === 0) throw new CodeParseError(dataPosition, 'is empty', ai);
  if (value.length > spec.max)
    throw new CodeParseError(dataPosition, `is longer than ${spec.max} characters`, ai);
  switch (spec.kind) {
    case 'gtin':
    case 'sscc':
    case 'numeric': {
      const bad = value.search(/\D/);
      if (bad >= 0) throw new CodeParseError(at(bad), 'must be digits only', ai);
      if (spec.kind !== 'numeric' && gs1CheckDigit(value.slice(0, -1)) !== Number(value.slice(-1))) {
        throw new CodeParseError(
          at(value.length - 1),
          `wrong check digit (expected ${gs1CheckDigit(value.slice(0, -1))})`,
          ai,
        );
      }
      return value;
    }
    case 'date': {
      const { iso, reason } = isoFromYymmdd(value);
      if (!iso) throw new CodeParseError(dataPosition, reason ?? 'bad date', ai);
      return iso;
    }
    case 'cset82': {
      const bad = firstInvalidCset82(value);
      if (bad >= 0)
        throw new CodeParseError(at(bad), `character "${value[bad]}" is not in the GS1 character set`, ai);
      return value;
    }
  }
}
