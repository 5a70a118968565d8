import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

/**
 * The policy is what the pages need and no more: scripts and styles from the gateway itself (zxing-wasm compiles
 * its WebAssembly, which needs 'wasm-unsafe-eval', not 'unsafe-eval'); inline styles, which the pages and the
 * verdict page use for layout (no inline script anywhere); data: images, which Swagger UI's stylesheet embeds;
 * nothing may frame a page. No upgrade-insecure-requests: the gateway also serves plain HTTP on loopback.
 */
const policy = () =>
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });

/**
 * The headers helmet sets under this policy, taken once. The policy has no per-request part (no nonces), so
 * every answer gets the same headers; helmet itself runs a middleware per header on every request, which cost
 * more than any other middleware in front of the API (docs/SCALE.md, the HTTP floor).
 */
export function securityHeaderList(): [string, string][] {
  const headers: [string, string][] = [];
  const recorder = {
    setHeader: (name: string, value: string) => headers.push([name, value]),
    removeHeader: () => undefined,
  };
  let called = false;
  policy()({} as IncomingMessage, recorder as unknown as ServerResponse, () => (called = true));
  if (!called) throw new Error('helmet did not finish synchronously: its headers cannot be taken once');
  return headers;
}

/** Security headers on every answer (pages, API, Swagger UI, the resolver's verdict page). */
export function securityHeaders(): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  const headers = securityHeaderList();
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}
