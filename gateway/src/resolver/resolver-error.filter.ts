import { ArgumentsHost, Catch } from '@nestjs/common';
import { Request, Response } from 'express';
import { ProblemFilter } from '../common/problem.filter';
import { pageLanguage, renderProblemPage } from './verdict-page';

/** The resolver answers JSON only to a client that prefers it to HTML (`Accept: application/json`). */
export const wantsJson = (req: Request): boolean => req.accepts(['html', 'json']) === 'json';

/**
 * The resolver's errors: a readable HTML page for a browser (a malformed code, the rate limit, the ledger out
 * of reach), with the status and headers the problem would have; problem+json for a JSON client.
 */
@Catch()
export class ResolverErrorFilter extends ProblemFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    if (!response.headersSent) response.vary('Accept').vary('Accept-Language');
    if (wantsJson(request)) {
      super.catch(exception, host);
      return;
    }
    const problem = this.problemFor(exception, request, response);
    if (response.headersSent) return;
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
