import type { NextFunction, Request, Response } from 'express';
import serveStatic from 'serve-static';

/** Paths whose GETs are the API's and the resolver's: a file is never looked for there. */
const NOT_FILES = ['/v1/', '/01/'];

/**
 * The pages and their assets from `dir` (`/` is index.html). Static files are served before the routes, and a
 * file lookup is a filesystem call: an API GET skips it rather than pay one per request.
 */
export function pages(dir: string): (req: Request, res: Response, next: NextFunction) => void {
  const serve = serveStatic(dir, { index: 'index.html' });
  return (req, res, next) => {
    if (NOT_FILES.some((prefix) => req.path.startsWith(prefix))) return next();
    serve(req, res, next);
  };
}
