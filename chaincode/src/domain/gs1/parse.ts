import { CodeParseError } from '../errors';
import { ParsedCode } from '../types';
import { AI_SPECS, AiSpec, matchAi } from './application-identifiers';
import { firstInvalidCset82 } from './character-set';
import { gs1CheckDigit } from './check-digit';
import { isoFromYymmdd } from './dates';

const GS = '\u001d';
const SYMBOLOGY_PREFIX = /^\](d2|Q3|C1|e0|J1)/;
const MAX_INPUT = 512;

interface Element {
  ai: string;
  value: string;
  position: number;
}

/** Parses every form a pharmacy meets: Digital Link URI, element string with parentheses, raw payload. */
export function parseCode(raw: string): ParsedCode {
  if (typeof raw !== 'string') throw new CodeParseError(0, 'the code must be a string');
  if (raw.length > MAX_INPUT)
    throw new CodeParseError(MAX_INPUT, `the code is longer than ${MAX_INPUT} characters`);
  const text = raw.trim();
  if (text.length === 0) throw new CodeParseError(0, 'the code is empty');
  if (/^https?:\/\//i.test(text)) return build(parseDigitalLink(text), 'digital-link');
  if (text.startsWith('(')) return build(parseParenthesised(text), 'element-string');
  return build(parseRaw(text), 'raw');
}

function parseParenthesised(text: string): Element[] {
  const elements: Element[] = [];
  let pos = 0;
  while (pos < text.length) {
    const m = /^\((\d{2,4})\)([^(]*)/.exec(text.slice(pos));
    if (!m) throw new CodeParseError(pos, 'expected "(AI)" followed by its data');
    elements.push({ ai: m[1], value: m[2], position: pos });
    pos += m[0].length;
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
    elements.push({ ai: spec.ai, value: input.slice(start, end), position: pos });
    pos = end;
  }
  return elements;
}

// Key qualifiers of AI 01 in the order the Digital Link standard requires: /01/{gtin}/22/{cpv}/10/{lot}/21/{serial}.
const DL_QUALIFIERS = ['22', '10', '21'];

function parseDigitalLink(text: string): Element[] {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CodeParseError(0, 'not a valid URI');
  }
  const path = url.pathname;
  const segments = path.split('/');
  const keyIndex = segments.findIndex((s, i) => (s === '01' || s === '00') && i + 1 < segments.length);
  if (keyIndex === -1)
    throw new CodeParseError(text.indexOf(path), 'no /01/{gtin} or /00/{sscc} in the path');
  const offsetOf = (index: number): number =>
    text.indexOf(path) + segments.slice(0, index).join('/').length + 1;
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
    elements.push({ ai, value: decode(segments[i + 1], offsetOf(i + 1), ai), position: offsetOf(i) });
  }
  let queryPos = text.indexOf('?');
  for (const [ai, value] of url.searchParams) {
    if (/^\d{2,4}$/.test(ai)) elements.push({ ai, value, position: queryPos + 1 });
    queryPos = text.indexOf('&', queryPos + 1);
  }
  return elements;
}

function decode(segment: string, position: number, ai: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new CodeParseError(position, 'bad percent-encoding', ai);
  }
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

function validate(spec: AiSpec, { ai, value, position }: Element): string {
  const dataPos = position + ai.length;
  if (spec.fixed && value.length !== spec.fixed) {
    throw new CodeParseError(dataPos, `must be ${spec.fixed} characters, got ${value.length}`, ai);
  }
  if (value.length === 0) throw new CodeParseError(dataPos, 'is empty', ai);
  if (value.length > spec.max) throw new CodeParseError(dataPos, `is longer than ${spec.max} characters`, ai);
  switch (spec.kind) {
    case 'gtin':
    case 'sscc':
    case 'numeric': {
      const bad = value.search(/\D/);
      if (bad >= 0) throw new CodeParseError(dataPos + bad, 'must be digits only', ai);
      if (spec.kind !== 'numeric' && gs1CheckDigit(value.slice(0, -1)) !== Number(value.slice(-1))) {
        throw new CodeParseError(
          dataPos + value.length - 1,
          `wrong check digit (expected ${gs1CheckDigit(value.slice(0, -1))})`,
          ai,
        );
      }
      return value;
    }
    case 'date': {
      const { iso, reason } = isoFromYymmdd(value);
      if (!iso) throw new CodeParseError(dataPos, reason ?? 'bad date', ai);
      return iso;
    }
    case 'cset82': {
      const bad = firstInvalidCset82(value);
      if (bad >= 0)
        throw new CodeParseError(
          dataPos + bad,
          `character "${value[bad]}" is not in the GS1 character set`,
          ai,
        );
      return value;
    }
  }
}
