import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';

const GIVEN_ID = /^[\w.-]{1,64}$/;

/**
 * The request's ID for log correlation: the caller's `X-Request-Id` when it is a plain token, else a new
 * UUID; echoed in the response header. The logger assigns it to every request it sees; the problem filter
 * assigns it to requests refused before the logger ran (a body the parser rejected).
 */
export function requestIdFor(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && GIVEN_ID.test(given) ? given : randomUUID();
  if (!res.headersSent) res.setHeader('X-Request-Id', id);
  return id;
}

/** What the request log line says of a request (pino-http's `req` serializer): no headers, no body. */
export function requestLine(req: {
  id?: unknown;
  method?: string;
  url?: string;
  originalUrl?: string;
}): object {
  return { id: req.id, method: req.method, url: req.originalUrl ?? req.url };
}

/** What the request log line says of its answer (pino-http's `res` serializer). */
export function responseLine(res: { statusCode?: number }): object {
  return { statusCode: res.statusCode };
}
