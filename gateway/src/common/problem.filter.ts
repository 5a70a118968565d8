import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { CodeParseError, DomainError, ErrorCode } from '@drugtrace/chaincode/domain';
import { Request, Response } from 'express';
import { LedgerUnavailableError } from '../fabric/fabric-errors';
import { Problem, PROBLEM_TITLES } from './problem';

const STATUS_OF: Record<ErrorCode, number> = { INVALID: 400, NOT_FOUND: 404, FORBIDDEN: 403, CONFLICT: 409 };
const CODE_OF_STATUS: Record<number, string> = {
  400: 'INVALID',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'INVALID',
  415: 'INVALID',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};
export const RETRY_AFTER_SECONDS = 5;

/** The one place that knows HTTP: every error becomes application/problem+json; internals never leave. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  readonly #logger = new Logger(ProblemFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { id?: string }>();
    const response = http.getResponse<Response>();
    const problem = this.toProblem(exception);
    problem.instance = request.originalUrl;
    if (request.id !== undefined) problem.requestId = String(request.id);
    if (problem.status >= 500 && problem.code === 'INTERNAL') this.#logger.error(exception);
    if (problem.status === 503) response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    if (response.headersSent) return;
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  toProblem(exception: unknown): Problem {
    if (exception instanceof CodeParseError) {
      return { ...this.#make(400, 'INVALID', exception.detail), ai: exception.ai, position: exception.position };
    }
    if (exception instanceof DomainError) return this.#make(STATUS_OF[exception.code], exception.code, exception.detail);
    if (exception instanceof LedgerUnavailableError) return this.#make(503, 'UNAVAILABLE', exception.detail);
    if (exception instanceof ThrottlerException) return this.#make(429, 'RATE_LIMITED', 'too many requests; slow down');
    if (exception instanceof HttpException) return this.#fromHttp(exception);
    return this.#make(500, 'INTERNAL', 'an unexpected error occurred; it has been logged');
  }

  #fromHttp(exception: HttpException): Problem {
    const status = exception.getStatus();
    const body = exception.getResponse() as string | { message?: string | string[] };
    const messages = typeof body === 'string' ? [body] : Array.isArray(body.message) ? body.message : [body.message ?? exception.message];
    const code = CODE_OF_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'INVALID');
    const problem = this.#make(status, code, status >= 500 ? 'an unexpected error occurred' : messages.join('; '));
    if (status === HttpStatus.BAD_REQUEST && Array.isArray((body as { errors?: unknown }).errors)) {
      problem.errors = (body as { errors: Problem['errors'] }).errors;
    }
    return problem;
  }

  #make(status: number, code: string, detail: string): Problem {
    return { type: `https://drugtrace.example/problems/${code.toLowerCase()}`, title: PROBLEM_TITLES[code] ?? 'Error', status, code, detail };
  }
}
