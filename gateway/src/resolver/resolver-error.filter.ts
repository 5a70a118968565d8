import { ArgumentsHost, Catch } from '@nestjs/common';
import { CodeParseError, parseCode, parseFailureHints } from '@drugtrace/chaincode/domain';
import { NextFunction, Request, Response } from 'express';
import { HintedScanError } from '../common/problem';
import { ProblemFilter } from '../common/problem.filter';
import { pageLanguage, renderProblemPage, withoutLang } from './verdict-page';

/** The resolver answers JSON only to a client that prefers it to HTML (`Accept: application/json`). */
export const wantsJson = (req: Request): boolean => req.accepts(['html', 'json']) === 'json';

/** A plain host name (and port) only: anything else in the Host header must not become part of the code. */
const PLAIN_HOST = /^[A-Za-z0-9.-]{1,253}(:\d{1,5})?$/;

/** The Digital Link as the client opened it, less the page's own language switch. */
export function scannedUrl(req: Request): string {
  const host = req.get('host') ?? '';
  return `${req.protocol}://${PLAIN_HOST.test(host) ? host : 'resolver.invalid'}${withoutLang(req.originalUrl)}`;
}

/**
 * The resolver's errors: a readable HTML page for a browser (a malformed code, the rate limit, the ledger out
 * of reach), with the status and headers the problem would have; problem+json for a JSON client.
 */
@Catch()
export class ResolverErrorFilter extends ProblemFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    this.respond(exception, http.getRequest<Request>(), http.getResponse<Response>());
  }

  respond(exception: unknown, request: Request, response: Response): void {
    if (!response.headersSent) response.vary('Accept').vary('Accept-Language');
    const problem = this.problemFor(exception, request, response);
    if (response.headersSent) return;
    if (wantsJson(request)) {
      response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
      return;
    }
    const retryAfter = Number(response.getHeader('Retry-After'));
    response
      .status(problem.status)
      .type('html')
      .send(
        renderProblemPage(
          problem,
          pageLanguage(request),
          Number.isFinite(retryAfter) ? retryAfter : undefined,
        ),
      );
  }
}

/**
 * Express decodes a route's parameters before any handler or filter runs, and refuses a path whose
 * percent-encoding does not decode ("/10/A%ffB/") with a bare 400. For the resolver's Digital Link paths this
 * middleware runs first and answers as the resolver does: the parser's AI and position (as POST /v1/verify
 * gives them), and a page for a browser.
 */
export function resolverPathGuard(filter = new ResolverErrorFilter()) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'GET' || !req.path.startsWith('/01/')) return next();
    try {
      decodeURIComponent(req.path);
      return next();
    } catch {
      // Undecodable: the parser names the AI and the position of the bad escape.
    }
    const scanned = scannedUrl(req);
    try {
      parseCode(scanned);
    } catch (err) {
      if (err instanceof CodeParseError) {
        const hints = parseFailureHints(scanned);
        filter.respond(hints.length > 0 ? new HintedScanError(err, hints) : err, req, res);
        return;
      }
      throw err;
    }
    next();
  };
}
