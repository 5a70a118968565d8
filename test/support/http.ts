import { gatewayUrl, readApiKeys } from './paths';

export type Role = 'manufacturer' | 'distributor' | 'pharmacy' | 'regulator';

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** One REST call to the real gateway as a demo organisation (or anonymously with `as: null`). */
export async function api<T = Record<string, any>>( // eslint-disable-line @typescript-eslint/no-explicit-any
  method: string,
  path: string,
  opts: { as?: Role | null; key?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  const key = opts.key ?? (opts.as ? readApiKeys()[opts.as] : undefined);
  if (key) headers.authorization = `Bearer ${key}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  }
  const res = await fetch(gatewayUrl + path, { method, headers, body, signal: AbortSignal.timeout(60_000) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON (HTML page, PDF): keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}
