import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * An API key is `dt_<id>_<secret>`: the public id (16 hex digits) finds its one stored record without a scan,
 * the secret (32 random bytes) is what proves it. Only SHA-256 of the whole key is stored: a key carries 256
 * bits of randomness, so a fast hash is as good as a slow one against guessing, and a lookup costs microseconds.
 */
const KEY_PATTERN = /^dt_([0-9a-f]{16})_[A-Za-z0-9_-]{43}$/;

export interface NewApiKey {
  id: string;
  key: string;
  hash: string;
}

export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');

export function newApiKey(): NewApiKey {
  const id = randomBytes(8).toString('hex');
  const key = `dt_${id}_${randomBytes(32).toString('base64url')}`;
  return { id, key, hash: hashApiKey(key) };
}

/** The public id of a well-formed key; undefined for anything else (nothing to look up). */
export const apiKeyId = (key: string): string | undefined => KEY_PATTERN.exec(key)?.[1];

/** Whether `key` is the one whose hash is stored, in constant time. */
export const matchesHash = (key: string, storedHash: string): boolean =>
  timingSafeEqual(Buffer.from(hashApiKey(key), 'hex'), Buffer.from(storedHash, 'hex'));
