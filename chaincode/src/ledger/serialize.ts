import { JSONSerializer } from 'fabric-contract-api';
import { canonicalJson } from './canonical-json';

/**
 * The one serialiser for every state write and every result: keys sorted at every depth, so each
 * endorsing peer produces the same bytes.
 */
export function toJson(value: unknown): string {
  return canonicalJson(value);
}

export function toBytes(value: unknown): Uint8Array {
  return Buffer.from(toJson(value), 'utf8');
}

export function fromBytes<T>(bytes: Uint8Array): T {
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as T;
}

/** A parsed JSON document made read-only at every depth, so readers sharing it cannot change it for each other. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * How fabric-chaincode-node writes a transaction's typed result: an object as `toJson` writes it (Fabric's
 * own serialiser uses JSON.stringify, whose key order follows how the object was built); texts and numbers
 * as Fabric writes them. Arguments are read as Fabric reads them.
 */
export class ResultSerializer extends JSONSerializer {
  override toBuffer(result: unknown, schema: unknown, loggerPrefix?: string): Buffer {
    if (result !== null && typeof result === 'object') return Buffer.from(toJson(result), 'utf8');
    return super.toBuffer(result, schema, loggerPrefix);
  }
}
