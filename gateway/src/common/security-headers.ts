import helmet from 'helmet';

/**
 * Security headers on every answer (pages, API, Swagger UI, the resolver's verdict page). The policy is what
 * the pages need and no more: scripts and styles from the gateway itself (zxing-wasm compiles its WebAssembly,
 * which needs 'wasm-unsafe-eval', not 'unsafe-eval'); inline styles, which the pages and the verdict page use
 * for layout (no inline script anywhere); data: images, which Swagger UI's stylesheet embeds; nothing may frame
 * a page. No upgrade-insecure-requests: the gateway also serves plain HTTP on loopback.
 */
export const securityHeaders = () =>
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
