import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import {
  CodeParseError,
  DomainError,
  ErrorCode,
  hintViews,
  REFUSAL_RETURN_CODES,
} from '@drugtrace/chaincode/domain';
import { Request, Response } from 'express';
import { DatabaseUnavailableError } from '../database/database';
import { LedgerUnavailableError } from '../fabric/fabric-errors';
import { ReceiptMismatchError } from './receipt-mismatch.error';
import { FieldError, HintedScanError, Problem, problem, ServerBusyError } from './problem';
import { requestIdFor } from './request-id';

const STATUS_OF: Record<ErrorCode, number> = { INVALID: 400, NOT_FOUND: 404, FORBIDDEN: 403, CONFLICT: 409 };
const CODE_OF_STATUS: Record<number, string> = {
  400: 'INVALID',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'INVALID',
  406: 'INVALID',
  409: 'CONFLICT',
  413: 'TOO_LARGE',
  415: 'INVALID',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};
export const RETRY_AFTER_SECONDS = 5;

/** Errors Express middleware raises (body-parser): a client error with a status and a safe message. */
interface ClientHttpError {
  status: number;
  expose: true;
  message: string;
}

const isClientHttpError = (e: unknown): e is ClientHttpError =>
  typeof e === 'object' &&
  e !== null &&
  (e as ClientHttpError).expose === true &&
  typeof (e as ClientHttpError).status === 'number' &&
  (e as ClientHttpError).status >= 400 &&
  (e as ClientHttpError).status < 500;

/**
 * The one place that knows HTTP: every error becomes application/problem+json with a stable `code`.
 * Domain codes map to 400/403/404/409, an unreachable ledger to 503 with Retry-After (a ledger timeout to
 * 504, an unconfirmed commit to 503 naming its txId), rate limits to 429 with Retry-After. A 500 carries no detail at all; the cause is logged with the request ID.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  readonly #logger = new Logger(ProblemFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const body = this.problemFor(exception, http.getRequest<Request>(), response);
    if (response.headersSent) return;
    response.status(body.status).type('application/problem+json').send(JSON.stringify(body));
  }

  /**
   * The problem for this request, logged when it is a 500 or an unreachable ledger, with Retry-After set for
   * 429, 503 and 504. A request refused before the logger ran (the body parser's errors) gets its request ID here.
   */
  problemFor(exception: unknown, request: Request & { id?: unknown }, response: Response): Problem {
    const body = this.toProblem(exception);
    body.instance = request.originalUrl;
    request.id ??= requestIdFor(request, response);
    body.requestId = String(request.id);
    if (body.code === 'INTERNAL')
      this.#logger.error({ err: exception, requestId: body.requestId }, 'unhandled error');
    if (exception instanceof LedgerUnavailableError) {
      this.#logger.warn(
        { cause: String(exception.cause ?? exception.detail), requestId: body.requestId },
        'ledger unavailable',
      );
    }
    // The rate limiter sets its own Retry-After (the seconds left in its window); keep it.
    if ([429, 503, 504].includes(body.status) && !response.headersSent && !response.hasHeader('Retry-After'))
      response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    return body;
  }

  toProblem(exception: unknown): Problem {
    if (exception instanceof CodeParseError) {
      return { ...problem(400, 'INVALID', exception.detail), ai: exception.ai, position: exception.position };
    }
    if (exception instanceof ReceiptMismatchError)
      return { ...problem(409, 'CONFLICT', exception.detail), report: exception.report };
    if (exception instanceof HintedScanError)
      return { ...this.toProblem(exception.error), hints: hintViews(exception.hints) };
    if (exception instanceof DomainError) {
      const body = problem(STATUS_OF[exception.code], exception.code, exception.detail);
      return exception.refusal ? { ...body, returnCode: REFUSAL_RETURN_CODES[exception.refusal] } : body;
    }
    if (exception instanceof LedgerUnavailableError) {
      const body = problem(exception.status, exception.code, exception.detail);
      return exception.txId ? { ...body, txId: exception.txId } : body;
    }
    if (exception instanceof ServerBusyError) return problem(503, 'BUSY', exception.message);
    if (exception instanceof DatabaseUnavailableError) return problem(503, exception.code, exception.message);
    if (exception instanceof HttpException) return this.#fromHttp(exception);
    // Other body-parser errors (too large, unsupported charset) arrive as they are; a parse failure arrives as
    // the BadRequestException of translateBodyParseError (json-body.ts).
    if (isClientHttpError(exception))
      return problem(exception.status, CODE_OF_STATUS[exception.status] ?? 'INVALID', exception.message);
    return problem(500, 'INTERNAL', 'an unexpected error occurred');
  }

  #fromHttp(exception: HttpException): Problem {
    const status = exception.getStatus();
    const code = CODE_OF_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'INVALID');
    if (status === 503)
      return problem(503, code, 'the ledger network is not reachable right now; try again shortly');
    if (status >= 500) return problem(status, code, 'an unexpected error occurred');
    const body = exception.getResponse() as
      string | { message?: string | string[]; errors?: FieldError[]; errorsOmitted?: number };
    const messages =
      typeof body === 'string'
        ? [body]
        : Array.isArray(body.message)
          ? body.message
          : [body.message ?? exception.message];
    const out = problem(status, code, messages.join('; '));
    if (typeof body === 'object' && Array.isArray(body.errors)) out.errors = body.errors;
    if (typeof body === 'object' && typeof body.errorsOmitted === 'number')
      out.errorsOmitted = body.errorsOmitted;
    return out;
  }
}
