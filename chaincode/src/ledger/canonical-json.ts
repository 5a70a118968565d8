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

function write(value: unknown, ancestors: object[]): string | undefined {
  let node = value as { toJSON?: () => unknown } | null | undefined;
  if (node !== null && node !== undefined) {
    if (node instanceof RegExp) node = node.toString() as never;
    else if (node.toJSON) node = node.toJSON() as never;
  }
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
