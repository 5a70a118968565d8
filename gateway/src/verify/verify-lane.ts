import { CanActivate, ForbiddenException } from '@nestjs/common';
import {
  EXCEPTION_FILTERS_METADATA,
  GUARDS_METADATA,
  INTERCEPTORS_METADATA,
  PIPES_METADATA,
} from '@nestjs/common/constants';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { NextFunction, Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { storage, Store } from 'nestjs-pino/storage';
import type { Logger } from 'pino';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { Caller } from '../auth/caller';
import { ProblemFilter } from '../common/problem.filter';
import { requestIdFor } from '../common/request-id';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard';
import { withLedgerPosition } from '../replica/ledger-position';
import { trackLedgerPosition } from '../replica/ledger-block.middleware';
import { VerifyController } from './verify.controller';
import { MAX_CODE_LENGTH } from './verify.dto';

export const VERIFY_ROUTE = '/v1/verify';

type LaneRequest = Request & { caller?: Caller; id?: unknown };

/**
 * Whether a parsed body is one VerifyDto's validation accepts as it stands: `{ "code": "…" }` and nothing else,
 * 1–512 characters of ASCII (every GS1 scan is; class-validator counts other text by its own rules, so anything
 * else goes to the validation pipe).
 */
export function isPlainVerifyBody(body: unknown): body is { code: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const keys = Object.keys(body);
  if (keys.length !== 1 || keys[0] !== 'code') return false;
  const code = (body as { code: unknown }).code;
  return (
    typeof code === 'string' &&
    code.length >= 1 &&
    code.length <= MAX_CODE_LENGTH &&
    Buffer.byteLength(code, 'utf8') === code.length // ASCII: one byte a character
  );
}

/**
 * The verify lane: `POST /v1/verify` with a plain JSON body, served without Nest's router. A scan at the counter
 * is the request the gateway answers most, and the router, parameter pipes and per-route middleware cost the
 * gateway more CPU than the verification itself (docs/SCALE.md, the HTTP floor).
 *
 * It is the same endpoint, not a second implementation: the lane runs the application's own guards (the API key
 * guard and the rate limits, on the controller's route, so their counts and headers are the route's), the
 * controller's handler, and the global problem filter for every refusal; it gives the request its ID, its ledger
 * position and its log line as the middleware would. Anything else — another path or method, a query string, a
 * body the validation pipe would have to judge — goes on to the router untouched.
 */
export class VerifyLane {
  readonly #filter = new ProblemFilter();

  constructor(
    private readonly controller: VerifyController,
    private readonly guards: [ApiKeyGuard, RateLimitGuard],
  ) {
    // The lane applies the global guards and filter only: a guard, pipe, interceptor or filter declared on the
    // route itself would be skipped, so such a route must not start with a lane.
    for (const target of [VerifyController, VerifyController.prototype.verify])
      for (const key of [GUARDS_METADATA, PIPES_METADATA, INTERCEPTORS_METADATA, EXCEPTION_FILTERS_METADATA])
        if (Reflect.getMetadata(key, target) !== undefined)
          throw new Error(`the verify lane cannot serve ${VERIFY_ROUTE}: the route declares ${key}`);
  }

  /** The Express middleware; mounted after the body parser. */
  handle(): (req: LaneRequest, res: Response, next: NextFunction) => void {
    return (req, res, next) => {
      if (req.method !== 'POST' || req.url !== VERIFY_ROUTE || !isPlainVerifyBody(req.body)) return next();
      const host = new ExecutionContextHost([req, res, next], VerifyController, this.controller.verify);
      host.setType('http');
      const log = this.#logged(req, res);
      try {
        const position = trackLedgerPosition(req, res);
        // As the request logger binds it: the services' log lines during the request name it.
        void storage.run(new Store(log), () =>
          withLedgerPosition(position, () => this.#serve(req, res, host)),
        );
      } catch (err) {
        this.#filter.catch(err, host);
      }
    };
  }

  async #serve(req: LaneRequest, res: Response, host: ExecutionContextHost): Promise<void> {
    try {
      // As Nest's guards consumer: a guard answering false is a 403.
      for (const guard of this.guards as CanActivate[])
        if (!(await guard.canActivate(host))) throw new ForbiddenException('Forbidden resource');
      const answer = await this.controller.verify(req.caller as Caller, req.body as { code: string }, {});
      // The bytes and headers Express's res.json writes, without its content-type parsing per answer.
      const json = JSON.stringify(answer);
      res.statusCode = 200;
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('Content-Length', Buffer.byteLength(json));
      res.end(json);
    } catch (err) {
      this.#filter.catch(err, host);
    }
  }

  /**
   * The request's ID, its logger and its log line, as the request logger (pino-http) gives every routed request:
   * one line when the answer is sent, or when the client goes away first ("request aborted").
   */
  #logged(req: LaneRequest, res: Response): Logger {
    const started = Date.now();
    req.id = requestIdFor(req, res);
    res.locals.route = VERIFY_ROUTE;
    const log = PinoLogger.root.child({ req });
    const done = (): void => {
      res.removeListener('close', done);
      res.removeListener('finish', done);
      const line = { res, responseTime: Date.now() - started };
      if (res.statusCode >= 500)
        log.info({ ...line, err: new Error(`failed with status code ${res.statusCode}`) }, 'request errored');
      else
        log.info(line, !req.readableAborted && res.writableEnded ? 'request completed' : 'request aborted');
    };
    res.on('close', done);
    res.on('finish', done);
    return log;
  }
}
