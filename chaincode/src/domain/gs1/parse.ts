import { CodeParseError } from '../errors';
import { ParsedCode } from '../types';
import {
  AI_TABLE,
  AiComponent,
  AiEntry,
  matchAi,
  predefinedLength,
  VERDICT_FIELDS,
} from './application-identifiers';
import { firstInvalidCset39, firstInvalidCset64, firstInvalidCset82 } from './character-set';
import { isoFromYymmdd } from './dates';
import { LINTERS } from './linters';

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
    const entry = matchAi(input.slice(pos));
    if (!entry) throw new CodeParseError(pos, `unknown or unsupported AI "${input.slice(pos, pos + 2)}"`);
    const start = pos + entry.ai.length;
    // An AI of predefined length ends where its data does; any other runs to the next FNC1 (GS) or the end.
    const length = predefinedLength(entry);
    let end: number;
    if (length !== undefined) {
      end = start + length;
      if (end > input.length) {
        throw new CodeParseError(
          start,
          `needs ${length} characters, only ${input.length - start} left`,
          entry.ai,
        );
      }
    } else {
      const gs = input.indexOf(GS, start);
      end = gs === -1 ? input.length : gs;
    }
    elements.push({ ai: entry.ai, value: input.slice(start, end), position: pos, dataPosition: start });
    pos = end;
  }
  return elements;
}

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
  // The qualifier sequences the primary key allows (the dictionary's dlpkey), each with how far it has got.
  const allowed = AI_TABLE.get(segments[keyIndex])?.dlpkey ?? [[]];
  let sequences = allowed.map((seq) => ({ seq, at: -1 }));
  for (let i = keyIndex; i < segments.length; i += 2) {
    const ai = segments[i];
    if (ai === '' && i === segments.length - 1) break;
    if (i + 1 >= segments.length) throw new CodeParseError(offsetOf(i), 'AI without a value', ai);
    if (i > keyIndex) {
      if (!allowed.some((seq) => seq.includes(ai))) {
        throw new CodeParseError(offsetOf(i), 'not a key qualifier of this primary key', ai);
      }
      sequences = sequences
        .map(({ seq, at }) => ({ seq, at: seq.indexOf(ai) > at ? seq.indexOf(ai) : -2 }))
        .filter(({ at }) => at >= 0);
      if (sequences.length === 0) throw new CodeParseError(offsetOf(i), 'key qualifiers out of order', ai);
    }
    elements.push({ ai, position: offsetOf(i), ...decode(segments[i + 1], offsetOf(i + 1), ai) });
  }
  let pos = queryStart + 1;
  for (const pair of queryStart < end ? text.slice(queryStart + 1, end).split('&') : []) {
    const eq = pair.indexOf('=');
    const ai = eq === -1 ? pair : pair.slice(0, eq);
    if (/^\d{2,4}$/.test(ai)) {
      const entry = AI_TABLE.get(ai);
      if (entry && !entry.dlAttribute)
        throw new CodeParseError(pos, 'is not allowed as a Digital Link query attribute', ai);
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
  const other: Record<string, string> = {};
  const seen = new Set<string>();
  for (const element of elements) {
    const entry = AI_TABLE.get(element.ai);
    if (!entry) throw new CodeParseError(element.position, 'unknown or unsupported AI', element.ai);
    if (seen.has(element.ai)) throw new CodeParseError(element.position, 'appears twice', element.ai);
    seen.add(element.ai);
    const value = validate(entry, element);
    const field = VERDICT_FIELDS[element.ai];
    if (field === 'expiry') code.expiry = isoFromYymmdd(value).iso;
    else if (field) code[field] = value;
    else other[element.ai] = value;
  }
  if (!code.gtin && !code.sscc) throw new CodeParseError(0, 'no GTIN (01) or SSCC (00) in the code');
  if (code.gtin && code.sscc)
    throw new CodeParseError(0, 'a code carries either a GTIN (01) or an SSCC (00)');
  if (Object.keys(other).length > 0) code.otherAis = other;
  return code as ParsedCode;
}

/** A pack's code: its GTIN and serial, and whatever else the code carries (lot, expiry, other AIs). */
export type PackCodeRead = ParsedCode & { gtin: string; serial: string };

/**
 * A code that names one pack: a GTIN (01) and a serial (21). An SSCC names a container, and a GTIN alone a
 * product; either is refused like any malformed code, naming the missing AI at position 0.
 */
export function parsePackCode(raw: string): PackCodeRead {
  const code = parseCode(raw);
  const needs = 'a pack code needs a GTIN (01) and a serial (21)';
  if (!code.gtin) throw new CodeParseError(0, `${needs}, not an SSCC`, '01');
  if (!code.serial) throw new CodeParseError(0, `${needs}; this one has no serial`, '21');
  return code as PackCodeRead;
}

const CSET_CHECKS: Record<AiComponent['cset'], { first: (v: string) => number; what: string }> = {
  N: { first: (v) => v.search(/\D/), what: 'is not a digit' },
  X: { first: firstInvalidCset82, what: 'is not in the GS1 character set' },
  Y: { first: firstInvalidCset39, what: 'is not in the GS1 character set 39' },
  Z: { first: firstInvalidCset64, what: 'is not in the GS1 character set 64 (base64url)' },
};

/** Checks an element against its AI's components: length, characters and each component's content checks. */
function validate(entry: AiEntry, { ai, value, dataPosition, offsets }: Element): string {
  const at = (i: number): number => offsets?.[i] ?? dataPosition + i;
  const { components } = entry;
  const min = components.reduce((sum, c) => sum + (c.optional ? 0 : c.min), 0);
  const max = components.reduce((sum, c) => sum + c.max, 0);
  const fixed = components.every((c) => !c.optional && c.min === c.max);
  if (fixed && value.length !== max) {
    throw new CodeParseError(dataPosition, `must be ${max} characters, got ${value.length}`, ai);
  }
  if (value.length === 0) throw new CodeParseError(dataPosition, 'is empty', ai);
  if (value.length > max) throw new CodeParseError(dataPosition, `is longer than ${max} characters`, ai);
  if (value.length < min) throw new CodeParseError(dataPosition, `is shorter than ${min} characters`, ai);
  let pos = 0;
  for (const component of components) {
    if (pos === value.length && component.optional) break;
    // Only the last component may vary in length: a fixed one takes its length, the last one the rest.
    const take = component.min === component.max ? component.max : value.length - pos;
    if (value.length - pos < take)
      throw new CodeParseError(at(pos), `is cut short (${take} characters expected)`, ai);
    const part = value.slice(pos, pos + take);
    const { first, what } = CSET_CHECKS[component.cset];
    const bad = first(part);
    if (bad >= 0) {
      if (component.cset === 'N') throw new CodeParseError(at(pos + bad), 'must be digits only', ai);
      throw new CodeParseError(at(pos + bad), `character "${part[bad]}" ${what}`, ai);
    }
    for (const name of component.linters) {
      const failure = LINTERS[name]?.(part);
      if (failure) throw new CodeParseError(at(pos + failure.offset), failure.reason, ai);
    }
    pos += take;
  }
  return value;
}
