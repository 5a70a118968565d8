import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Request, Response } from 'express';
import { Observable } from 'rxjs';
import { MetricsService } from './metrics.service';

/** Times every request by its route pattern (not the raw URL, which would explode label cardinality). */
@Injectable()
export class MetricsInterceptor implements NestInterceptor {
  constructor(private readonly metrics: MetricsService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const end = this.metrics.http.startTimer({ method: request.method });
    response.once('finish', () =>
      end({
        route: (request.route as { path?: string } | undefined)?.path ?? 'unmatched',
        status: String(response.statusCode),
      }),
    );
    return next.handle();
  }
}
