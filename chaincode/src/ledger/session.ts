import { Context } from 'fabric-contract-api';
import { DomainError } from '../domain';
import { Caller, resolveCaller } from './caller';
import { Store } from './store';

/** What every transaction starts from: the store and the resolved caller. */
export async function session(ctx: Context): Promise<{ store: Store; caller: Caller }> {
  const store = new Store(ctx);
  return { store, caller: await resolveCaller(ctx, store) };
}

export function parseJson<T>(text: string, what: string): T {
  try {
    const value = JSON.parse(text) as unknown;
    if (value === null || typeof value !== 'object') throw new Error('not an object');
    return value as T;
  } catch {
    throw new DomainError('INVALID', `${what} must be a JSON object`);
  }
}

export function requireText(value: unknown, field: string, max = 200): string {
  if (typeof value !== 'string' || value.trim().length === 0)
    throw new DomainError('INVALID', `${field} is required`);
  if (value.length > max) throw new DomainError('INVALID', `${field} is longer than ${max} characters`);
  return value;
}

export function requireInt(value: string, field: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new DomainError('INVALID', `${field} must be an integer in ${min}..${max}`);
  return n;
}
