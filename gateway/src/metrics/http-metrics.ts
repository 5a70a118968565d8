import { NextFunction, Request, Response } from 'express';
import { MetricsService } from './metrics.service';

/**
 * Times every request by its route pattern (not the raw URL, which would explode label cardinality); requests
 * no route matched (static pages, 404s) are `unmatched`; a handler answering outside the router (the verify lane)
 * names its route in `response.locals.route`. A plain Express middleware rather than a Nest
 * interceptor: an interceptor wraps every handler in RxJS observables and async-hook bindings, which cost more
 * per request than the timing itself (docs/SCALE.md, the HTTP floor).
 */
export function httpMetrics(metrics: MetricsService) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const end = metrics.http.startTimer({ method: request.method });
    response.once('finish', () =>
      end({
        route:
          (response.locals.route as string | undefined) ??
          (request.route as { path?: string } | undefined)?.path ??
          'unmatched',
        status: String(response.statusCode),
      }),
    );
    next();
  };
}
