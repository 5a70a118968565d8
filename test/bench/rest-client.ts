// One REST call over a keep-alive agent (lighter on the shared CPU than fetch): status and parsed body.

import * as http from 'node:http';
import { gatewayUrl } from '../support/paths';

export interface RestAnswer<T> {
  status: number;
  body: T;
}

export function restCall<T = Record<string, unknown>>(
  agent: http.Agent,
  method: string,
  path: string,
  key: string,
  body?: unknown,
): Promise<RestAnswer<T>> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(path, gatewayUrl),
      {
        method,
        agent,
        timeout: 60_000,
        headers: {
          authorization: `Bearer ${key}`,
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode ?? 0, body: parsed as T });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('client timeout 60s')));
    req.on('error', reject);
    req.end(payload);
  });
}

/** 'ok' for the expected status, else "HTTP <status> <problem code>" (what stats.ts counts as an error). */
export function outcomeOf(answer: RestAnswer<unknown>, expected: number): string {
  if (answer.status === expected) return 'ok';
  const code = (answer.body as { code?: string } | undefined)?.code;
  return `HTTP ${answer.status}${code ? ' ' + code : ''}`;
}
