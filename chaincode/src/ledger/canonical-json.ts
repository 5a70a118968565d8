/**
 * JSON with every object's keys sorted (UTF-16 order, as Array.prototype.sort), so every endorsing peer writes
 * the same bytes for the same document. Byte for byte what json-stringify-deterministic 1.0.16 wrote with its
 * defaults (canonical-json.test.ts proves it): a `toJSON` is called, a RegExp written as its text, an undefined
 * (or function) member left out and an undefined array item written as null, a cycle refused (TypeError). Written
 * in one pass: that library first ran a whole JSON.stringify only to detect cycles, then built arrays of parts.
 */
export function canonicalJson(value: unknown): string {
  return write(value, [])!;
}

/** A value as JSON writes it: a RegExp as its text, else its toJSON() when it has one. */
function jsonValueOf(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (value instanceof RegExp) return value.toString();
  const withToJson = value as { toJSON?: () => unknown };
  return withToJson.toJSON ? withToJson.toJSON() : value;
}

function write(value: unknown, ancestors: object[]): string | undefined {
  const node = jsonValueOf(value);
  if (node === undefined) return undefined;
  if (typeof node !== 'object' || node === null) return JSON.stringify(node) as string | undefined;
  if (ancestors.includes(node)) throw new TypeError('Converting circular structure to JSON');
  ancestors.push(node);
  let out: string;
  if (Array.isArray(node)) {
    out = '[';
    for (let i = 0; i < node.length; i++) out += (i === 0 ? '' : ',') + (write(node[i], ancestors) ?? 'null');
    out += ']';
  } else {
    out = '{';
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record).sort()) {
      const member = write(record[key], ancestors);
      if (member === undefined) continue;
      out += (out.length === 1 ? '' : ',') + JSON.stringify(key) + ':' + member;
    }
    out += '}';
  }
  ancestors.pop();
  return out;
}

/**
 * What JSON.parse(canonicalJson(value)) gives — the same values, the same key order — without writing the text and
 * reading it back: a query's result as a client of the peer reads it (canonical-json.test.ts proves it equal).
 */
export function canonicalCopy(value: unknown): unknown {
  return copy(value, []);
}

/** The parsed form of one member; undefined where canonicalJson writes nothing (or null in an array). */
function copy(value: unknown, ancestors: object[]): unknown {
  const node = jsonValueOf(value);
  switch (typeof node) {
    case 'string':
    case 'boolean':
      return node;
    case 'number':
      // Written as JSON writes numbers: -0 as 0, NaN and the infinities as null.
      return Number.isFinite(node) ? node + 0 : null;
    case 'object':
      break;
    case 'bigint':
      return JSON.stringify(node); // throws, as canonicalJson does
    default:
      return undefined; // undefined, a function, a symbol
  }
  if (node === null) return null;
  if (ancestors.includes(node)) throw new TypeError('Converting circular structure to JSON');
  ancestors.push(node);
  let out: unknown;
  if (Array.isArray(node)) {
    const items: unknown[] = new Array(node.length);
    for (let i = 0; i < node.length; i++) items[i] = copy(node[i], ancestors) ?? null;
    out = items;
  } else {
    const record = node as Record<string, unknown>;
    const members: Record<string, unknown> = {};
    for (const key of Object.keys(record).sort()) {
      const member = copy(record[key], ancestors);
      if (member === undefined) continue;
      // A plain assignment to "__proto__" would set the prototype; JSON.parse makes it an own member.
      if (key === '__proto__')
        Object.defineProperty(members, key, {
          value: member,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else members[key] = member;
    }
    out = members;
  }
  ancestors.pop();
  return out;
}
