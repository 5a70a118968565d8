// One REST call over a keep-alive agent (lighter on the shared CPU than fetch): status and parsed body.

import * as http from 'node:http';
import { gatewayUrl } from '../support/paths';

export interface RestAnswer<T> {
  status: number;
  body: T;
}

/** An integer knob from the environment (unset or empty: `fallback`), refused outside min..max. */
export const int = (name: string, fallback: number, min: number, max: number): number => {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${name} must be an integer in ${min}..${max}`);
  return n;
};

export interface RawAnswer {
  status: number;
  text: string;
}

/**
 * One HTTP request over a keep-alive agent, the body read whole as UTF-8 text. With `key`, a bearer token;
 * with `payload`, a JSON body; `extraHeaders` besides. Fails after `timeoutMs` without an answer.
 */
export function send(
  agent: http.Agent,
  url: URL,
  method: string,
  key: string | undefined,
  payload: string | undefined,
  timeoutMs: number,
  extraHeaders: Record<string, string> = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        agent,
        timeout: timeoutMs,
        headers: {
          ...extraHeaders,
          ...(key !== undefined ? { authorization: `Bearer ${key}` } : {}),
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error(`client timeout ${timeoutMs / 1000}s`)));
    req.on('error', reject);
    req.end(payload);
  });
}

export async function restCall<T = Record<string, unknown>>(
  agent: http.Agent,
  method: string,
  path: string,
  key: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<RestAnswer<T>> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const { status, text } = await send(
    agent,
    new URL(path, gatewayUrl),
    method,
    key,
    payload,
    60_000,
    headers,
  );
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status, body: parsed as T };
}

/** 'ok' for the expected status, else "HTTP <status> <problem code>" (what stats.ts counts as an error). */
export function outcomeOf(answer: RestAnswer<unknown>, expected: number): string {
  if (answer.status === expected) return 'ok';
  const code = (answer.body as { code?: string } | undefined)?.code;
  return `HTTP ${answer.status}${code ? ' ' + code : ''}`;
}
