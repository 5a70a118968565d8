import stringify from 'json-stringify-deterministic';

/**
 * The one serialiser for every state write and every result: keys sorted at every depth, so each
 * endorsing peer produces the same bytes.
 */
export function toJson(value: unknown): string {
  return stringify(value);
}

export function toBytes(value: unknown): Uint8Array {
  return Buffer.from(toJson(value), 'utf8');
}

export function fromBytes<T>(bytes: Uint8Array): T {
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as T;
}
